// Package test holds the tests that look at the repository as a whole:
// generated files are fresh, and (in integration/) the API server accepts
// and refuses what it should.
package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesAreFresh regenerates the CRDs, RBAC and deepcopy code
// into a temporary directory and compares them with the committed ones: a
// change to api/ without `make generate manifests` fails here.
func TestGeneratedFilesAreFresh(t *testing.T) {
	gen := os.Getenv("CONTROLLER_GEN")
	if gen == "" {
		gen = filepath.Join("..", "bin", "controller-gen")
	}
	// The command runs in the repository root: make a relative path absolute.
	if abs, err := filepath.Abs(gen); err == nil {
		gen = abs
	}
	if _, err := os.Stat(gen); err != nil {
		if testing.Short() {
			t.Skipf("controller-gen not built (%v); run make test", err)
		}
		t.Fatalf("controller-gen not found at %s (make test installs it): %v", gen, err)
	}
	out := t.TempDir()
	cmd := exec.Command(gen,
		"object:headerFile=hack/boilerplate.go.txt", "paths=./api/...", "output:object:dir="+out,
		"crd", "rbac:roleName=concord-manager", "paths=./internal/manager/...",
		"output:crd:dir="+filepath.Join(out, "crd"), "output:rbac:dir="+filepath.Join(out, "rbac"))
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("controller-gen: %v\n%s", err, b)
	}
	compare := func(generated, committed string) {
		t.Helper()
		want, err := os.ReadFile(generated)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", committed))
		if err != nil {
			t.Fatalf("%s: %v (run make generate manifests)", committed, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run make generate manifests and commit the result", committed)
		}
	}
	compare(filepath.Join(out, "zz_generated.deepcopy.go"), "api/v1alpha1/zz_generated.deepcopy.go")
	compare(filepath.Join(out, "rbac", "role.yaml"), "config/rbac/role.yaml")
	crds, err := filepath.Glob(filepath.Join(out, "crd", "*.yaml"))
	if err != nil || len(crds) != 6 {
		t.Fatalf("expected 6 generated CRDs, got %v (%v)", crds, err)
	}
	for _, f := range crds {
		compare(f, filepath.Join("config", "crd", "bases", filepath.Base(f)))
	}
	committed, _ := filepath.Glob(filepath.Join("..", "config", "crd", "bases", "*.yaml"))
	if len(committed) != len(crds) {
		t.Errorf("config/crd/bases holds %d files, controller-gen makes %d: remove stale ones", len(committed), len(crds))
	}
}
