package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/concord-operator/concord/internal/exchange"
)

const sdmxMap = "../../examples/exchange/sdg-16-2-2-sdmx.yaml"

func offlineExport(o exportOptions) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	if o.paths == nil && !o.fromCluster {
		o.paths = []string{examplePlan}
	}
	if o.at == "" && !o.fromCluster {
		o.at = "2026-11-21T00:00:00Z"
	}
	err = runExport(context.Background(), &out, &errOut, o, fixed, nil)
	return out.String(), errOut.String(), err
}

// TestExportExactRefused: --exact is refused for the formats that publish
// (sdmx-csv, iati, open-sdg), before anything is read or written.
func TestExportExactRefused(t *testing.T) {
	for _, format := range []string{"sdmx-csv", "iati", "open-sdg"} {
		path := filepath.Join(t.TempDir(), "out")
		_, _, err := offlineExport(exportOptions{format: format, mapFile: sdmxMap, exact: true, output: path})
		if err == nil || !strings.Contains(err.Error(), "--exact is refused for "+format) {
			t.Errorf("%s: %v", format, err)
		}
		if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("%s: the output was written", format)
		}
	}
}

// exactCodec writes each figure's value, for the --exact test.
type exactCodec struct{}

func (exactCodec) Read(*exchange.Map, string, io.Reader) (exchange.Read, error) {
	return exchange.Read{}, nil
}

func (exactCodec) Write(_ *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	for _, f := range figures {
		if _, err := io.WriteString(w, f.Period+" "+f.Value+" "+string(f.Status)+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// TestExportExact: where --exact is allowed, the figures below the
// threshold are written and stderr says so.
func TestExportExact(t *testing.T) {
	exchange.Register("test-exact", exactCodec{})
	exactFormats["test-exact"] = true
	defer delete(exactFormats, "test-exact")
	dir := t.TempDir()
	mapFile := filepath.Join(dir, "map.yaml")
	if err := os.WriteFile(mapFile, []byte("format: test-exact\nnamespace: ex\nindicators: [{indicator: victims}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := exportOptions{format: "test-exact", mapFile: mapFile, paths: []string{"../exchange/testdata/disclosure.yaml"}}
	out, stderr, err := offlineExport(o)
	if err != nil || strings.Contains(out, "2026-Q2 4 ") || !strings.Contains(out, "2026-Q2  Suppressed\n") || stderr != "" {
		t.Fatalf("without --exact: %v\n%s\n%s", err, out, stderr)
	}
	o.exact = true
	out, stderr, err = offlineExport(o)
	if err != nil || !strings.Contains(out, "2026-Q2 4 \n") {
		t.Fatalf("--exact: %v\n%s", err, out)
	}
	if !strings.Contains(stderr, "exact figures, including figures below the Indicators' disclosure.minCellSize") {
		t.Errorf("stderr does not warn: %q", stderr)
	}
}

// TestExportWritesWholeFile: -o gets the whole export, and a failed export
// leaves the file as it was and no temporary file behind.
func TestExportWritesWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sdg.csv")
	if _, _, err := offlineExport(exportOptions{format: "sdmx-csv", mapFile: sdmxMap, output: path}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../exchange/sdmx/testdata/sdg-16-2-2.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the file is not the golden export")
	}
	bad := filepath.Join(dir, "bad.yaml")
	src, _ := os.ReadFile(sdmxMap)
	if err := os.WriteFile(bad, bytes.Replace(src, []byte("F: female, "), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = offlineExport(exportOptions{format: "sdmx-csv", mapFile: bad, output: path})
	if err == nil || !strings.Contains(err.Error(), `no SEX code for category "female"`) {
		t.Fatalf("an unmapped category: %v", err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, want) {
		t.Error("a failed export changed the output file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // sdg.csv and bad.yaml
		t.Errorf("files left: %v", entries)
	}
}

func TestExportArguments(t *testing.T) {
	for name, tc := range map[string]struct {
		o    exportOptions
		want string
	}{
		"no format":      {exportOptions{mapFile: sdmxMap}, "--format is required"},
		"unknown format": {exportOptions{format: "xls", mapFile: sdmxMap}, `--format: unknown format "xls"`},
		"no map":         {exportOptions{format: "sdmx-csv"}, "--map is required"},
		"map of another format": {exportOptions{format: "iati", mapFile: sdmxMap},
			`sdg-16-2-2-sdmx.yaml: format is "sdmx-csv", but --format is "iati"`},
		"both sources": {exportOptions{format: "sdmx-csv", mapFile: sdmxMap, paths: []string{examplePlan}, fromCluster: true}, "use -f or --from-cluster, not both"},
		"bad --at":     {exportOptions{format: "sdmx-csv", mapFile: sdmxMap, at: "yesterday"}, `--at "yesterday" is not an RFC 3339 time`},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := offlineExport(tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestExportFromCluster: the export of a cluster's objects, with the
// status its controllers computed, is the offline one.
func TestExportFromCluster(t *testing.T) {
	var out bytes.Buffer
	o := exportOptions{format: "sdmx-csv", mapFile: sdmxMap, fromCluster: true}
	if err := runExport(context.Background(), &out, io.Discard, o, fixed, clusterOf(t, interceptor.Funcs{})); err != nil {
		t.Fatal(err)
	}
	offline, _, err := offlineExport(exportOptions{format: "sdmx-csv", mapFile: sdmxMap})
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != offline {
		t.Errorf("from the cluster:\n%s\noffline:\n%s", out.String(), offline)
	}
}
