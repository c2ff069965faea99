package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concord-operator/concord/internal/exchange/exchangetest"
)

// execute runs the command line in-process, as a user types it, and
// returns what it printed (stdout and stderr).
func execute(args ...string) (string, error) {
	cmd := NewRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

// concordctl is execute, failing the test on an error.
func concordctl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := execute(args...)
	if err != nil {
		t.Fatalf("concordctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// TestRoundTripDHIS2AndADX: the example DHIS2 dataValueSet (JSON) and ADX
// file, imported into Measurements and exported again in their format,
// give the same data values: each org unit's, as import read them.
func TestRoundTripDHIS2AndADX(t *testing.T) {
	root := repoRoot(t)
	// The scenario's Indicator, without the mechanism it names (not read
	// here), and none of the scenario's Measurements.
	src, err := os.ReadFile(filepath.Join(root, "examples", "national-plan", "34-victims-referred-indicator.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if !strings.Contains(l, "mechanismRef:") {
			lines = append(lines, l)
		}
	}
	indicator := filepath.Join(t.TempDir(), "victims-referred.yaml")
	if err := os.WriteFile(indicator, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		format, mapFile, input string
		values                 func(testing.TB, []byte) []string
	}{
		{"dhis2", "dhis2.yaml", "dhis2-victims-referred.json", exchangetest.DHIS2Values},
		{"adx", "adx.yaml", "adx-victims-referred.xml", exchangetest.ADXValues},
	} {
		t.Run(tc.format, func(t *testing.T) {
			dir := t.TempDir()
			mapFile := filepath.Join(root, "examples", "exchange", tc.mapFile)
			input := filepath.Join(root, "examples", "exchange", tc.input)
			measurements := filepath.Join(dir, "measurements")
			out := concordctl(t, "import", "--format", tc.format, "--map", mapFile, "--indicators", indicator, "-o", measurements, input)
			if !strings.Contains(out, "2 created, 0 unchanged, 0 conflicts") {
				t.Fatalf("import:\n%s", out)
			}
			exported := filepath.Join(dir, "exported")
			concordctl(t, "export", "--format", tc.format, "--map", mapFile, "-f", indicator, "-f", measurements, "--at", at, "--exact", "-o", exported)
			in, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			back, err := os.ReadFile(exported)
			if err != nil {
				t.Fatal(err)
			}
			want, got := tc.values(t, in), tc.values(t, back)
			if !slices.Equal(got, want) {
				t.Errorf("exported data values\n%s\nwant those imported\n%s\n(file:\n%s)", strings.Join(got, "\n"), strings.Join(want, "\n"), back)
			}
		})
	}
}
