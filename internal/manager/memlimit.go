package manager

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
)

// MemoryLimitRatio is the share of the container's memory limit the Go
// runtime is asked to keep the manager's memory under (GOMEMLIMIT). The
// rest is left for what the runtime does not count (thread stacks, the
// binary) and for headroom: the garbage collector works harder as the
// heap nears the limit, instead of letting it double between collections
// and the kernel kill the Pod.
const MemoryLimitRatio = 0.9

// cgroupMemoryFiles are where a container's memory limit is read: cgroup
// v2, then v1.
var cgroupMemoryFiles = []string{"memory.max", "memory/memory.limit_in_bytes"}

// SetMemoryLimit sets the runtime's soft memory limit to
// MemoryLimitRatio of the container's limit, read under cgroupRoot
// (/sys/fs/cgroup), unless GOMEMLIMIT is set or there is no limit. It
// returns the limit set, 0 when none.
func SetMemoryLimit(cgroupRoot string) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := containerMemoryLimit(cgroupRoot)
	if limit <= 0 {
		return 0
	}
	soft := int64(float64(limit) * MemoryLimitRatio)
	debug.SetMemoryLimit(soft)
	return soft
}

// containerMemoryLimit reads the cgroup memory limit in bytes; 0 when
// there is none ("max", or v1's "unlimited" value near MaxInt64) or it
// cannot be read.
func containerMemoryLimit(root string) int64 {
	for _, f := range cgroupMemoryFiles {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue
		}
		s := strings.TrimSpace(string(b))
		if s == "max" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 {
			return 0
		}
		return n
	}
	return 0
}
