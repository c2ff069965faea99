package offline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/evidence"
	"github.com/concord-operator/concord/internal/manifest"
)

const pinFixture = `# Minutes of the task force.
apiVersion: v1
kind: ConfigMap
metadata:
  name: minutes
  namespace: ns
  labels: {concord.dev/evidence: "true"}
data:
  minutes.txt: Minutes read and approved
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Evidence
metadata:
  name: minutes-march
  namespace: ns
spec:
  method: DocumentReview   # kept as written
  collectionTime: "2026-03-01T00:00:00Z"
  source:
    type: ConfigMap
    configMap: {name: minutes, key: minutes.txt}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Evidence
metadata: {name: online, namespace: ns}
spec:
  method: DocumentReview
  collectionTime: "2026-03-01T00:00:00Z"
  source: {type: URL, url: "https://docs.example.gov/sop.pdf"}
`

func TestPinWritesTheDigestIntoTheSpec(t *testing.T) {
	file := filepath.Join(t.TempDir(), "evidence.yaml")
	if err := os.WriteFile(file, []byte(pinFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, err := manifest.LoadPaths(file)
	if err != nil {
		t.Fatal(err)
	}
	set, err := Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	pins, notes := set.PinsFromSet()
	if len(pins) != 1 || len(notes) != 1 || !strings.Contains(notes[0], "Evidence ns/online: a URL source") {
		t.Fatalf("pins %v notes %v", pins, notes)
	}
	if err := WritePins(pins); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	want := strings.Replace(pinFixture, "spec:\n  method: DocumentReview   # kept as written",
		"spec:\n  digest: "+evidence.Digest([]byte("Minutes read and approved"))+"\n  method: DocumentReview   # kept as written", 1)
	if string(got) != want {
		t.Fatalf("file after pinning:\n%s", got)
	}
	// Pinned files evaluate to DigestMatched and pin nothing more.
	objs, _ = manifest.LoadPaths(file)
	set, _ = Decode(objs)
	if pins, _ := set.PinsFromSet(); len(pins) != 0 {
		t.Fatalf("pinned twice: %v", pins)
	}
}
