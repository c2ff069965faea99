package argocd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestScriptsAreGenerated fails when a per-kind script differs from what
// health.lua.tmpl renders: edit the template and run go run ./hack/argocd/gen.
func TestScriptsAreGenerated(t *testing.T) {
	for _, k := range Kinds {
		want, err := Render(k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "..", ScriptPath(k)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go run ./hack/argocd/gen", ScriptPath(k))
		}
	}
}
