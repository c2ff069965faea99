package manager

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// TestMemoryLimitFollowsTheContainer: in a container limited to 512 MiB
// the runtime is asked to stay under 90% of it; without a limit (or with
// GOMEMLIMIT set by the operator) nothing is set.
func TestMemoryLimitFollowsTheContainer(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	ratio := MemoryLimitRatio
	t.Setenv("GOMEMLIMIT", "")
	v2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(v2, "memory.max"), []byte("536870912\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := SetMemoryLimit(v2), int64(float64(536870912)*ratio); got != want || debug.SetMemoryLimit(-1) != want {
		t.Errorf("cgroup v2 limit 512 MiB: soft limit %d, want %d", got, want)
	}
	v1 := t.TempDir()
	_ = os.MkdirAll(filepath.Join(v1, "memory"), 0o755)
	if err := os.WriteFile(filepath.Join(v1, "memory", "memory.limit_in_bytes"), []byte("268435456"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := SetMemoryLimit(v1); got != int64(float64(268435456)*ratio) {
		t.Errorf("cgroup v1 limit 256 MiB: soft limit %d", got)
	}
	unlimited := t.TempDir()
	_ = os.WriteFile(filepath.Join(unlimited, "memory.max"), []byte("max\n"), 0o644)
	if got := SetMemoryLimit(unlimited); got != 0 {
		t.Errorf("no limit: soft limit %d", got)
	}
	if got := SetMemoryLimit(t.TempDir()); got != 0 {
		t.Errorf("no cgroup files: soft limit %d", got)
	}
	t.Setenv("GOMEMLIMIT", "300MiB")
	if got := SetMemoryLimit(v2); got != 0 {
		t.Errorf("GOMEMLIMIT set: soft limit %d", got)
	}
}
