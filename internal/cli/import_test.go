package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/manager"
)

var importAt = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// referrals are the flags of the example CSV import.
func referrals() importFlags {
	return importFlags{format: "csv", mapFile: "../../examples/exchange/referrals-csv.yaml", indicators: []string{"../../examples/national-plan"}}
}

// TestImportReferralsExample: the example spreadsheet's Labour
// Inspectorate 2026-Q1 rows equal its Measurement (unchanged), its 2026-Q3
// rows differ (a correction that supersedes it), the hotel association's
// 2026-Q3 rows are new (created), and its blank 2026-Q4 row is ignored
// with its line.
func TestImportReferralsExample(t *testing.T) {
	f := referrals()
	f.dryRun = true
	var out bytes.Buffer
	if err := runImport(context.Background(), &out, &out, f, []string{"../../examples/exchange/referrals.csv"}, importAt); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Import summary: OK (dry run: nothing was written)",
		"files: 1, figures read: 9, rows ignored: 1",
		"1 created, 1 unchanged, 1 conflicts",
		"unchanged  victims-referred-2026-q1-labour-inspectorate",
		"correction victims-referred-2026-q3-labour-inspectorate-",
		"supersedes Measurement victims-referred-2026-q3-labour-inspectorate\n",
		"created    victims-referred-2026-q3-tourism-and-hospitality-association (victims-referred 2026-Q3 of \"Tourism and hospitality association\", 2 cells) from ../../examples/exchange/referrals.csv:8",
		"ignored    ../../examples/exchange/referrals.csv:11: no value",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

// TestImportWritesFiles: -o writes one file per Measurement, which
// concordctl validate accepts with the scenario; the stream without -o
// holds the same manifests; a second import into the same directory
// refuses to replace them.
func TestImportWritesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "imported")
	f := referrals()
	f.outDir = dir
	var out bytes.Buffer
	if err := runImport(context.Background(), &out, &out, f, []string{"../../examples/exchange/referrals.csv"}, importAt); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[1].Name() != "victims-referred-2026-q3-tourism-and-hospitality-association.yaml" {
		t.Fatalf("files %v, want the correction and the created Measurement", entries)
	}
	b, err := os.ReadFile(filepath.Join(dir, entries[1].Name()))
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata:
  name: victims-referred-2026-q3-tourism-and-hospitality-association
  namespace: protection
spec:
  indicatorRef: {name: victims-referred}
  period: 2026-Q3
  reporter: Tourism and hospitality association
  value: "6"
  reportTime: "2026-11-20T09:00:00Z"
  breakdown:
    - categories: {age: 18+, gender: female, stakeholderType: privateSector}
      value: "4"
    - categories: {age: 18+, gender: male, stakeholderType: privateSector}
      value: "2"
`
	if string(b) != want {
		t.Errorf("manifest\n%s\nwant\n%s", b, want)
	}
	if err := runValidate(context.Background(), &out, []string{"../../examples/national-plan", dir}, "text", true); err != nil {
		t.Fatalf("validate refuses the written files: %v\n%s", err, out.String())
	}

	f.outDir = ""
	var stream, summary bytes.Buffer
	if err := runImport(context.Background(), &stream, &summary, f, []string{"../../examples/exchange/referrals.csv"}, importAt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stream.String(), "---\n"+want) || strings.Contains(stream.String(), "Import summary") || !strings.Contains(summary.String(), "Import summary") {
		t.Errorf("stream\n%s\nsummary\n%s", stream.String(), summary.String())
	}

	f.outDir = dir
	out.Reset()
	err = runImport(context.Background(), &out, &out, f, []string{"../../examples/exchange/referrals.csv"}, importAt)
	if err == nil || !strings.Contains(err.Error(), "already exist: an import never replaces a file") {
		t.Errorf("second import into %s: %v", dir, err)
	}
}

// TestImportBadInput: each class of bad input refuses the whole import
// with the file and line, and writes nothing.
func TestImportBadInput(t *testing.T) {
	head := "Quarter,Organisation,Sex,Age,Place,Referred by,Victims,Notes\n"
	ok := "2026-Q3,Hotel association,,,,,6,\n"
	for _, c := range []struct{ name, data, want string }{
		{"malformed CSV", head + ok + "2026-Q3,Hotel association,\"Women,Adults,,Private sector,4,\n", "in.csv:3: malformed CSV"},
		{"field count", head + ok + "2026-Q3,Hotel association,6\n", "in.csv:3: malformed CSV: wrong number of fields"},
		{"unknown column", strings.Replace(head, "Notes", "Region", 1) + ok, `in.csv:1: column "Region" is not mapped`},
		{"mapped column missing", strings.Replace(head, "Place,", "", 1), `in.csv:1: column "Place" (dimensions[2] locationOfIdentification) is not in the header`},
		{"unmapped label", head + ok + "2026-Q3,Hotel association,Woman,Adults,,Private sector,6,\n", `in.csv:3: gender "Woman" (column "Sex") is not mapped`},
		{"period not of the cadence", head + "2026-07,Hotel association,,,,,6,\n", `in.csv:2: period "2026-07" is not a Quarterly period (write it like "2026-Q1"): Indicator victims-referred is reported Quarterly`},
		{"value not of the type", head + "2026-Q3,Hotel association,,,,,2.5,\n", `in.csv:2: value: 2.5 is not a Count value`},
		{"not a number", head + "2026-Q3,Hotel association,,,,,six,\n", `in.csv:2: column "Victims": "six" is not a number`},
		{"duplicate rows", head + ok + ok, "in.csv:3: repeats the figure of in.csv:2 (victims-referred 2026-Q3 of \"Tourism and hospitality association\", the total)"},
		{"cells without total", head + "2026-Q3,Hotel association,Women,Adults,,Private sector,6,\n", "in.csv:2: victims-referred 2026-Q3 of \"Tourism and hospitality association\" has breakdown cells but no total"},
		{"breakdown does not hold", head + ok + "2026-Q3,Hotel association,Women,,,,7,\n", "in.csv:2: Measurement protection/victims-referred-2026-q3-tourism-and-hospitality-association"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			in := filepath.Join(tmp, "in.csv")
			if err := os.WriteFile(in, []byte(c.data), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(tmp)
			f := referrals()
			f.mapFile = filepath.Join(repoRoot(t), "examples", "exchange", "referrals-csv.yaml")
			f.indicators = []string{filepath.Join(repoRoot(t), "examples", "national-plan")}
			f.outDir = filepath.Join(tmp, "out")
			var out bytes.Buffer
			err := runImport(context.Background(), &out, &out, f, []string{"in.csv"}, importAt)
			if err == nil || !strings.Contains(err.Error(), "nothing was written") {
				t.Fatalf("error %v, want the import refused:\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "Import summary: ERROR: nothing was written") || !strings.Contains(out.String(), c.want) {
				t.Errorf("summary lacks %q:\n%s", c.want, out.String())
			}
			if _, err := os.Stat(f.outDir); !os.IsNotExist(err) {
				t.Errorf("%s was written (%v)", f.outDir, err)
			}
		})
	}
}

var testRoot string

// repoRoot is the module root, found from the test's directory before any
// t.Chdir.
func repoRoot(t *testing.T) string {
	t.Helper()
	if testRoot != "" {
		return testRoot
	}
	t.Fatal("testRoot not set")
	return ""
}

func init() {
	if wd, err := os.Getwd(); err == nil {
		testRoot = filepath.Clean(filepath.Join(wd, "..", ".."))
	}
}

// TestImportFromCluster: --from-cluster reads the namespace's Indicators
// and Measurements as manifests without status and server-set fields, and
// the import compares with them.
func TestImportFromCluster(t *testing.T) {
	ind := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "sdg-16-2-2", Namespace: "sdg", ResourceVersion: "7", UID: "u1"},
		Spec: v1alpha1.IndicatorSpec{Title: "Victims per 100,000", Area: v1alpha1.AreaProtection,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureAmount, Unit: "per 100,000"}, Cadence: v1alpha1.CadenceAnnual, ReportingStart: "2014"}}
	value := v1alpha1.Decimal("5.8")
	created := metav1.NewTime(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	meas := &v1alpha1.Measurement{ObjectMeta: metav1.ObjectMeta{Name: "m-2022", Namespace: "sdg", CreationTimestamp: created},
		Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "sdg-16-2-2"}, Period: "2022", Value: &value, Reporter: "National Bureau of Statistics"}}
	other := &v1alpha1.Measurement{ObjectMeta: metav1.ObjectMeta{Name: "elsewhere", Namespace: "other"},
		Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "x"}, Period: "2022", Value: &value, Reporter: "r"}}
	c := fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(ind, meas, other).Build()
	base, err := clusterBase(context.Background(), c, "sdg")
	if err != nil {
		t.Fatal(err)
	}
	if len(base) != 2 {
		t.Fatalf("%d objects read, want the namespace's 2", len(base))
	}
	for _, o := range base {
		md := o.Object.Object["metadata"].(map[string]any)
		if _, ok := md["resourceVersion"]; ok || o.Object.GetAPIVersion() != "monitoring.concord.dev/v1alpha1" || o.Object.Object["status"] != nil {
			t.Errorf("%s read as %v", o.Describe(), o.Object.Object)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(file, []byte("Year,Value\n2021,13.7\n2022,5.8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := exchange.ParseMap("m.yaml", []byte("format: open-sdg\nnamespace: sdg\nreporter: National Bureau of Statistics\nreportTime: \"2026-11-20T00:00:00Z\"\nindicators: [{indicator: sdg-16-2-2}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	codec, _ := exchange.CodecFor("open-sdg")
	res := exchange.Import(context.Background(), exchange.ImportRequest{Map: m, Codec: codec, Files: []string{file}, Base: base, Now: importAt})
	if !res.OK() || res.Count(exchange.OutcomeCreated) != 1 || res.Count(exchange.OutcomeUnchanged) != 1 {
		t.Fatalf("created %d, unchanged %d, errors %v", res.Count(exchange.OutcomeCreated), res.Count(exchange.OutcomeUnchanged), res.Errors)
	}
}

// TestImportDocumentedCommands runs the concordctl import commands of
// docs/interop.md's sh blocks (which read ../shared, outside the README
// tour's reach) from the repository's top level; -o DIR goes to a
// temporary directory.
func TestImportDocumentedCommands(t *testing.T) {
	root := repoRoot(t)
	f, err := os.Open(filepath.Join(root, "docs", "interop.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []string
	in, cont := false, false
	s := bufio.NewScanner(f)
	for s.Scan() {
		l := s.Text()
		switch {
		case strings.HasPrefix(l, "```sh"):
			in = true
		case in && strings.HasPrefix(l, "```"):
			in, cont = false, false
		case in && cont:
			cmds[len(cmds)-1] += " " + strings.TrimSpace(strings.TrimSuffix(l, `\`))
			cont = strings.HasSuffix(l, `\`)
		case in && strings.HasPrefix(l, "concordctl import "):
			cmds = append(cmds, strings.TrimSpace(strings.TrimSuffix(l, `\`)))
			cont = strings.HasSuffix(l, `\`)
		}
	}
	if len(cmds) < 2 {
		t.Fatalf("docs/interop.md has %d concordctl import commands in sh blocks, want the Moldova import (dry run and -o)", len(cmds))
	}
	shared := os.Getenv("CONCORD_SHARED")
	if shared == "" {
		shared = filepath.Join(root, "..", "shared")
	}
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("the shared data the documented commands read is absent (set CONCORD_SHARED): %v", err)
	}
	t.Chdir(root)
	tmp := t.TempDir()
	for _, c := range cmds {
		args := strings.Fields(c)[1:]
		for i := range args {
			if args[i] == "-o" && i+1 < len(args) {
				args[i+1] = filepath.Join(tmp, args[i+1])
			}
			if rest, ok := strings.CutPrefix(args[i], "../shared/"); ok {
				args[i] = filepath.Join(shared, rest)
			}
		}
		out, err := execute(args...)
		if err != nil {
			t.Errorf("`%s`: %v\n%s", c, err, out)
			continue
		}
		if !strings.Contains(out, "9 created, 0 unchanged, 0 conflicts") || !strings.Contains(out, "rows ignored: 100") {
			t.Errorf("`%s` printed\n%s", c, out)
		}
	}
}

// TestEveryFormatIsRegistered: concordctl knows every format the issue
// names, for import and export alike (a codec not imported here would be
// "unknown format" at the command line).
func TestEveryFormatIsRegistered(t *testing.T) {
	for _, want := range []string{"adx", "csv", "dhis2", "iati", "open-sdg", "sdmx-csv"} {
		if _, err := exchange.CodecFor(want); err != nil {
			t.Error(err)
		}
	}
}
