// Package version says which build of Concord is running: the version,
// commit and build date that the Makefile stamps into release and `make
// build` binaries with -ldflags -X, or, in a build that was not stamped
// (go build, go install), "dev" and what the Go toolchain recorded in the
// binary's build info.
package version

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
)

// Stamped by the Makefile (VERSION_LDFLAGS):
//
//	-X github.com/concord-operator/concord/internal/version.version=$(git describe --tags --always --dirty)
//	-X github.com/concord-operator/concord/internal/version.commit=$(git rev-parse HEAD)
//	-X github.com/concord-operator/concord/internal/version.date=YYYY-MM-DDTHH:MM:SSZ
var (
	version string
	commit  string
	date    string
)

// Dev is the version of a build that was not stamped.
const Dev = "dev"

// Info describes a build.
type Info struct {
	// Version is the release (v0.2.0), git describe's name of the commit
	// (v0.2.0-3-gabcdef0-dirty), or Dev.
	Version string `json:"version"`
	// Commit is the full commit hash; empty when unknown.
	Commit string `json:"commit,omitempty"`
	// Modified: an unstamped build from a work tree with uncommitted
	// changes (the build info's vcs.modified).
	Modified bool `json:"modified,omitempty"`
	// Date is the build date in UTC (RFC 3339); in an unstamped build, the
	// commit's date (vcs.time). Empty when unknown.
	Date string `json:"date,omitempty"`
	// GoVersion and Platform are the toolchain's and the binary's.
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// Get returns this binary's build.
func Get() Info { return get(version, commit, date, debug.ReadBuildInfo) }

// pseudoVersion matches the versions the go command makes up for untagged
// commits (v0.0.0-20260101120000-abcdef012345) and dirty work trees
// (+dirty): neither names a release.
var pseudoVersion = regexp.MustCompile(`\d{14}-[0-9a-f]{12}|\+dirty`)

func get(v, c, d string, readBuildInfo func() (*debug.BuildInfo, bool)) Info {
	i := Info{Version: v, Commit: c, Date: d, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if v != "" {
		return i
	}
	i.Version = Dev
	bi, ok := readBuildInfo()
	if !ok {
		return i
	}
	// `go install github.com/concord-operator/concord/cmd/concordctl@v0.2.0`
	// builds a release's source: its module version says which.
	if mv := bi.Main.Version; mv != "" && mv != "(devel)" && !pseudoVersion.MatchString(mv) {
		i.Version = mv
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if i.Commit == "" {
				i.Commit = s.Value
			}
		case "vcs.time":
			if i.Date == "" {
				i.Date = s.Value
			}
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// String is the line `concord --version` and `concordctl version` print,
// for the program name.
func (i Info) String(name string) string {
	c := i.Commit
	switch {
	case c == "":
		c = "unknown"
	case i.Modified:
		c += " (modified)"
	}
	d := i.Date
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("%s %s (commit %s, built %s, %s %s)", name, i.Version, c, d, i.GoVersion, i.Platform)
}
