package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func buildInfo(mainVersion string, settings ...string) func() (*debug.BuildInfo, bool) {
	return func() (*debug.BuildInfo, bool) {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/concord-operator/concord", Version: mainVersion}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi, true
	}
}

func noBuildInfo() (*debug.BuildInfo, bool) { return nil, false }

func TestStampedBuildsSayWhatTheMakefileStamped(t *testing.T) {
	// The build info is not read: a stamped build says what it was stamped with.
	got := get("v0.2.0-3-gabcdef0-dirty", "abcdef0123456789abcdef0123456789abcdef01", "2026-07-01T10:00:00Z",
		buildInfo("v9.9.9", "vcs.revision", "ffffffffffffffffffffffffffffffffffffffff", "vcs.modified", "true"))
	want := Info{Version: "v0.2.0-3-gabcdef0-dirty", Commit: "abcdef0123456789abcdef0123456789abcdef01", Date: "2026-07-01T10:00:00Z",
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	line := got.String("concord")
	wantLine := "concord v0.2.0-3-gabcdef0-dirty (commit abcdef0123456789abcdef0123456789abcdef01, built 2026-07-01T10:00:00Z, " +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if line != wantLine {
		t.Errorf("String:\n got %s\nwant %s", line, wantLine)
	}
}

func TestUnstampedBuildsSayDevAndReadTheBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		read func() (*debug.BuildInfo, bool)
		want Info
		line string
	}{{
		name: "go build in a work tree",
		read: buildInfo("(devel)", "vcs", "git", "vcs.revision", "0123456789abcdef0123456789abcdef01234567", "vcs.time", "2026-06-30T08:00:00Z", "vcs.modified", "false"),
		want: Info{Version: Dev, Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-06-30T08:00:00Z"},
		line: "concordctl dev (commit 0123456789abcdef0123456789abcdef01234567, built 2026-06-30T08:00:00Z, ",
	}, {
		name: "go build with uncommitted changes (go 1.24+ makes up a pseudo-version)",
		read: buildInfo("v0.0.0-20260630080000-0123456789ab+dirty", "vcs.revision", "0123456789abcdef0123456789abcdef01234567", "vcs.time", "2026-06-30T08:00:00Z", "vcs.modified", "true"),
		want: Info{Version: Dev, Commit: "0123456789abcdef0123456789abcdef01234567", Modified: true, Date: "2026-06-30T08:00:00Z"},
		line: "concordctl dev (commit 0123456789abcdef0123456789abcdef01234567 (modified), built 2026-06-30T08:00:00Z, ",
	}, {
		name: "go install of an untagged commit",
		read: buildInfo("v0.1.1-0.20260630080000-0123456789ab"),
		want: Info{Version: Dev},
		line: "concordctl dev (commit unknown, built unknown, ",
	}, {
		name: "go install of a release tag",
		read: buildInfo("v0.2.0"),
		want: Info{Version: "v0.2.0"},
		line: "concordctl v0.2.0 (commit unknown, built unknown, ",
	}, {
		name: "-buildvcs=false",
		read: buildInfo("(devel)"),
		want: Info{Version: Dev},
		line: "concordctl dev (commit unknown, built unknown, ",
	}, {
		name: "no build info",
		read: noBuildInfo,
		want: Info{Version: Dev},
		line: "concordctl dev (commit unknown, built unknown, ",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := get("", "", "", tc.read)
			tc.want.GoVersion, tc.want.Platform = runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if line := got.String("concordctl"); !strings.HasPrefix(line, tc.line) {
				t.Errorf("String:\n got %s\nwant %s...", line, tc.line)
			}
		})
	}
}

// TestThisTestBinaryIsUnstamped: go test stamps nothing, so Get reads the
// build info, and says dev.
func TestThisTestBinaryIsUnstamped(t *testing.T) {
	if got := Get(); got.Version != Dev {
		t.Errorf("Get().Version = %q in an unstamped test binary, want %q", got.Version, Dev)
	}
}
