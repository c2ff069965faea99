package cli

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/concord-operator/concord/internal/version"
)

// TestVersionCommand: `concordctl version` and `concordctl --version` print
// the version, commit and build date (this test binary is not stamped: dev),
// and `-o json` the same fields.
func TestVersionCommand(t *testing.T) {
	line := regexp.MustCompile(`^concordctl dev \(commit [^,]+, built [^,]+, go1\.\S+ \w+/\w+\)\n$`)
	for _, args := range [][]string{{"version"}, {"--version"}} {
		cmd := NewRootCommand()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("concordctl %v: %v", args, err)
		}
		if !line.MatchString(out.String()) {
			t.Errorf("concordctl %v printed %q", args, out.String())
		}
	}

	cmd := NewRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"version", "-o", "json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var got version.Info
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("concordctl version -o json: %v\n%s", err, out.String())
	}
	if want := version.Get(); got != want {
		t.Errorf("concordctl version -o json = %+v, want %+v", got, want)
	}
}
