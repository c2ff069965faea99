package apidocs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestAPIReferenceIsFresh fails when docs/api.md does not match the CRDs:
// run make docs.
func TestAPIReferenceIsFresh(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatalf("%v (run make docs)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatal("docs/api.md is stale: run make docs and commit it")
	}
	for _, want := range []string{"## Indicator", "`spec.target.operator`", "One of: Equals, AtLeast", "`spec.measure`: measure.scale applies only to type Ratio"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the reference lacks %q", want)
		}
	}
}
