package validate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/concord-operator/concord/internal/manifest"
)

var expectLine = regexp.MustCompile(`(?m)^# expect: (.+)$`)

// TestInvalidManifestTable gives the verdict the API server gives in
// test/integration's TestInvalidManifestsAreRejected: every document but
// the last of each file is accepted, the last is refused with an error
// containing the file's "# expect:" text. Cross-object checks are off: the
// table's Measurements name indicators it does not hold.
func TestInvalidManifestTable(t *testing.T) {
	files, err := filepath.Glob("../../test/testdata/invalid/*.yaml")
	if err != nil || len(files) < 30 {
		t.Fatalf("expected at least 30 invalid manifests, found %d (%v)", len(files), err)
	}
	v := mustDefault(t)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			expect := expected(t, f)
			objs, err := manifest.LoadPaths(f)
			if err != nil {
				t.Fatal(err)
			}
			r, entries := v.objects(context.Background(), Options{CrossObject: false}, objs)
			last := entries[len(entries)-1]
			for _, e := range entries[:len(entries)-1] {
				if len(e.errs) > 0 {
					t.Fatalf("setup document %s was refused: %v", e.src.Location(), serverMessage(e))
				}
			}
			msg := serverMessage(last)
			if len(last.errs) == 0 {
				t.Fatalf("%s was accepted; want an error containing %q", f, expect)
			}
			if !strings.Contains(msg, expect) {
				t.Fatalf("error\n  %s\ndoes not contain\n  %q", msg, expect)
			}
			// The report names the same errors, located in the last
			// document (at the line of their field).
			found := false
			for _, i := range r.Errors {
				if i.File != f || i.Line < last.src.Line {
					t.Errorf("error %s is not located in the last document (from %s)", i, last.src.Location())
				}
				found = found || strings.Contains(i.Text(), expect)
			}
			if !found {
				t.Errorf("no reported error contains %q: %v", expect, r.Errors)
			}
			t.Logf("%s", msg)
		})
	}
}

// serverMessage is the message of the API server's error for a document:
// a StatusError "Kind.group "name" is invalid: <aggregate>", or the
// strict decoding error of unknown fields, which stops the request before
// validation (the wording of the API server's handlers, around the field
// errors this package reproduces).
func serverMessage(e *entry) string {
	var unknown []string
	for _, fe := range e.errs {
		if _, ok := fe.BadValue.(unknownField); ok {
			unknown = append(unknown, errorText(fe))
		}
	}
	if len(unknown) > 0 {
		k, ver := e.key.kind, strings.TrimPrefix(e.src.Object.GetAPIVersion(), e.key.group+"/")
		return fmt.Sprintf("%s in version %q cannot be handled as a %s: strict decoding error: %s", k, ver, k, strings.Join(unknown, ", "))
	}
	if len(e.errs) == 0 {
		return ""
	}
	gk := schema.GroupKind{Group: e.key.group, Kind: e.key.kind}
	return gk.String() + ` "` + e.key.name + `" is invalid: ` + e.errs.ToAggregate().Error()
}

func expected(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := expectLine.FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s has no '# expect:' line", file)
	}
	return strings.TrimSpace(string(m[1]))
}

func mustDefault(t *testing.T) *Validator {
	t.Helper()
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
