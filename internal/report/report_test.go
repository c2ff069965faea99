package report

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// goldenAt is the instant the goldens are evaluated at, as in the README.
var goldenAt = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

// evaluated loads manifests and evaluates them offline at goldenAt.
func evaluated(t *testing.T, paths ...string) []client.Object {
	t.Helper()
	objs, err := manifest.LoadPaths(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return evaluatedAt(t, objs, goldenAt)
}

// evaluatedAt evaluates manifests offline at now.
func evaluatedAt(t *testing.T, objs []manifest.Object, now time.Time) []client.Object {
	t.Helper()
	set, err := offline.Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	var out []client.Object
	for _, r := range set.Evaluate(now) {
		out = append(out, r.Object)
	}
	for k := range set.Namespaces { // their display names
		out = append(out, &set.Namespaces[k])
	}
	return out
}

// testdataReport is the report of the manifests in dir, evaluated at
// goldenAt.
func testdataReport(t *testing.T, dir string) *Report {
	t.Helper()
	return Build(evaluated(t, dir), Options{Generated: goldenAt, At: goldenAt, Source: "manifests: " + dir})
}

func nationalPlan(t *testing.T) *Report {
	t.Helper()
	return Build(evaluated(t, "../../examples/national-plan"), Options{
		Generated: goldenAt, At: goldenAt, Source: "manifests: examples/national-plan",
	})
}

func TestGoldens(t *testing.T) {
	r := nationalPlan(t)
	for _, tc := range []struct {
		file  string
		write func(io.Writer, *Report) error
	}{
		{"national-plan.md", WriteMarkdown},
		{"national-plan.csv", WriteCSV},
		{"national-plan.html", WriteHTML},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report/ -update to write it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from the output; if the change is intended, run go test ./internal/report/ -update and review the diff", path)
			}
		})
	}
}
