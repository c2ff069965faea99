package exchange_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/csv"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
	"github.com/concord-operator/concord/internal/exchange/opensdg"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
	"github.com/concord-operator/concord/internal/validate"
)

var importNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// importMoldova imports the shared Moldova file (read in place) with the
// example map and Indicator.
func importMoldova(t *testing.T) (*exchange.ImportResult, *exchange.Map, []manifest.Object, string) {
	t.Helper()
	root := exchangetest.Root(t)
	file := exchangetest.Shared(t, "data", "open-sdg-moldova-16-2-2", "indicator_16-2-2.csv")
	m, err := exchange.LoadMap(filepath.Join(root, "examples", "exchange", "moldova-16-2-2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := manifest.LoadPaths(filepath.Join(root, "examples", "exchange", "moldova-16-2-2-indicator.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	codec, err := exchange.CodecFor("open-sdg")
	if err != nil {
		t.Fatal(err)
	}
	res := exchange.Import(context.Background(), exchange.ImportRequest{Map: m, Codec: codec, Files: []string{file}, Base: base, Now: importNow})
	return res, m, base, file
}

// importObjects are Measurements as manifests, read back from their YAML.
func importObjects(t *testing.T, ms []*v1alpha1.Measurement) []manifest.Object {
	t.Helper()
	var buf bytes.Buffer
	if err := exchange.WriteMeasurementStream(&buf, ms); err != nil {
		t.Fatal(err)
	}
	objs, err := manifest.Parse("imported.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestImportMoldova: the real Open SDG file imports into 9 Measurements
// (2014-2022, each a total and 24 cells), its 100 blank rows are reported
// as ignored with their lines; concordctl validate's checks accept the
// Measurements written, and the offline evaluator counts them.
func TestImportMoldova(t *testing.T) {
	res, _, base, file := importMoldova(t)
	if !res.OK() {
		t.Fatalf("import refused:\n%s", strings.Join(res.Errors, "\n"))
	}
	if res.Count(exchange.OutcomeCreated) != 9 || len(res.Written()) != 9 || res.Figures != 225 {
		t.Fatalf("%d created of %d figures, want 9 of 225", res.Count(exchange.OutcomeCreated), res.Figures)
	}
	if len(res.Ignored) != 100 || res.Ignored[0].Line != 2 || res.Ignored[99].Line != 101 || res.Ignored[0].File != file {
		t.Fatalf("ignored %d rows (first %+v), want lines 2-101 of %s", len(res.Ignored), res.Ignored[0], file)
	}
	first := res.Written()[0]
	if first.Name != "sdg-16-2-2-2014-national-bureau-of-statistics" || *first.Spec.Value != "9.2" || len(first.Spec.Breakdown) != 24 ||
		first.Spec.ReportTime.UTC().Format(time.RFC3339) != "2026-11-01T00:00:00Z" {
		t.Fatalf("first Measurement %s = %+v", first.Name, first.Spec)
	}
	var summary bytes.Buffer
	res.PrintSummary(&summary, true)
	for _, want := range []string{"Import summary: OK (dry run", "9 created, 0 unchanged, 0 conflicts", "ignored    " + file + ":2: no value"} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.String())
		}
	}

	objs := append(append([]manifest.Object(nil), base...), importObjects(t, res.Written())...)
	v, err := validate.Default()
	if err != nil {
		t.Fatal(err)
	}
	if r := v.Objects(context.Background(), validate.Options{CrossObject: true, Now: importNow}, objs); !r.OK(true) {
		t.Fatalf("validate refuses the import: %+v %+v", r.Errors, r.Warnings)
	}
	set, err := offline.Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, r := range set.Evaluate(importNow) {
		switch o := r.Object.(type) {
		case *v1alpha1.Indicator:
			if c := o.Status.Current; c == nil || c.Period != "2022" || c.Value != "5.8" {
				t.Errorf("current %+v, want 2022's 5.8", c)
			}
		case *v1alpha1.Measurement:
			if meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionAccepted) {
				accepted++
			} else {
				t.Errorf("%s not accepted: %+v", o.Name, o.Status.Conditions)
			}
		}
	}
	if accepted != 9 {
		t.Errorf("%d Measurements accepted, want 9", accepted)
	}
}

// importFigures turns Measurements back into figures: the total, then the
// cells in breakdown order.
func importFigures(ms []*v1alpha1.Measurement) []exchange.Figure {
	str := func(d *v1alpha1.Decimal) string {
		if d == nil {
			return ""
		}
		return string(*d)
	}
	var out []exchange.Figure
	for _, m := range ms {
		f := exchange.Figure{Indicator: m.Spec.IndicatorRef.Name, Period: string(m.Spec.Period), Reporter: m.Spec.Reporter,
			Value: str(m.Spec.Value), Numerator: str(m.Spec.Numerator), Denominator: str(m.Spec.Denominator)}
		out = append(out, f)
		for _, c := range m.Spec.Breakdown {
			cats := map[string]string{}
			for k, v := range c.Categories {
				cats[k] = string(v)
			}
			out = append(out, exchange.Figure{Indicator: f.Indicator, Period: f.Period, Reporter: f.Reporter, Categories: cats,
				Value: str(c.Value), Numerator: str(c.Numerator), Denominator: str(c.Denominator)})
		}
	}
	return out
}

// TestImportRoundTripOpenSDG: Open SDG -> import -> Measurements -> Open
// SDG gives the file's rows again, in order (its blank rows excepted).
func TestImportRoundTripOpenSDG(t *testing.T) {
	res, m, _, file := importMoldova(t)
	if !res.OK() {
		t.Fatal(res.Errors)
	}
	var out bytes.Buffer
	if err := (opensdg.Codec{}).Write(m, &out, importFigures(res.Written())); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := exchangetest.ValuedRows(t, out.Bytes()), exchangetest.ValuedRows(t, orig); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d rows written, want the file's %d:\n%s", len(got), len(want), out.String())
	}
}

// TestImportAgainUnchanged: importing the same file over its own
// Measurements changes nothing; a revised figure with a later reportTime
// is a correction that supersedes the Measurement, under a new name.
func TestImportAgainUnchanged(t *testing.T) {
	res, m, base, file := importMoldova(t)
	withFirst := append(append([]manifest.Object(nil), base...), importObjects(t, res.Written())...)
	again := exchange.Import(context.Background(), exchange.ImportRequest{Map: m, Codec: opensdg.Codec{}, Files: []string{file}, Base: withFirst, Now: importNow})
	if !again.OK() || again.Count(exchange.OutcomeUnchanged) != 9 || len(again.Written()) != 0 {
		t.Fatalf("second import: %d unchanged, %d written, errors %v; want 9 unchanged", again.Count(exchange.OutcomeUnchanged), len(again.Written()), again.Errors)
	}

	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	revised := filepath.Join(t.TempDir(), "revised.csv")
	if err := os.WriteFile(revised, bytes.Replace(orig, []byte("2022,,,,,5.8"), []byte("2022,,,,,5.9"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	m2 := *m
	m2.ReportTime = "2026-11-15T00:00:00Z"
	fix := exchange.Import(context.Background(), exchange.ImportRequest{Map: &m2, Codec: opensdg.Codec{}, Files: []string{revised}, Base: withFirst, Now: importNow})
	if !fix.OK() || fix.Count(exchange.OutcomeCorrection) != 1 || fix.Count(exchange.OutcomeUnchanged) != 8 {
		t.Fatalf("revised import: %d corrections, %d unchanged, errors %v", fix.Count(exchange.OutcomeCorrection), fix.Count(exchange.OutcomeUnchanged), fix.Errors)
	}
	c := fix.Written()[0]
	if !strings.HasPrefix(c.Name, "sdg-16-2-2-2022-national-bureau-of-statistics-") || *c.Spec.Value != "5.9" {
		t.Fatalf("correction %s %+v", c.Name, c.Spec)
	}
	set, err := offline.Decode(append(withFirst, importObjects(t, fix.Written())...))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Evaluate(importNow) {
		if o, ok := r.Object.(*v1alpha1.Measurement); ok && o.Name == "sdg-16-2-2-2022-national-bureau-of-statistics" &&
			!meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionSuperseded) {
			t.Errorf("the first 2022 Measurement is not superseded: %+v", o.Status.Conditions)
		}
		if o, ok := r.Object.(*v1alpha1.Indicator); ok && o.Status.Current.Value != "5.9" {
			t.Errorf("current %+v, want the corrected 5.9", o.Status.Current)
		}
	}

	// The same revision with the first import's reportTime cannot
	// supersede: refused, with the line of the total.
	stale := exchange.Import(context.Background(), exchange.ImportRequest{Map: m, Codec: opensdg.Codec{}, Files: []string{revised}, Base: withFirst, Now: importNow})
	if stale.OK() || !strings.Contains(strings.Join(stale.Errors, "\n"), revised+":302: sdg-16-2-2 2022") {
		t.Errorf("stale correction: errors %v, want one at %s:302", stale.Errors, revised)
	}
}

// TestMeasurementNames: names are DNS-1123 subdomains, long ones cut with
// a hash.
func TestMeasurementNames(t *testing.T) {
	root := exchangetest.Root(t)
	base, err := manifest.LoadPaths(filepath.Join(root, "examples", "exchange", "moldova-16-2-2-indicator.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "x.csv")
	reporter := strings.TrimSpace(strings.Repeat("Ministère de l'Intérieur ", 10)) // 249 characters: a reporter has at most 253
	if err := os.WriteFile(file, []byte("Year,Value\n2020,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := exchange.ParseMap("m.yaml", []byte(fmt.Sprintf("format: open-sdg\nnamespace: sdg\nreporter: %q\nindicators: [{indicator: sdg-16-2-2}]\n", reporter)))
	if err != nil {
		t.Fatal(err)
	}
	res := exchange.Import(context.Background(), exchange.ImportRequest{Map: m, Codec: opensdg.Codec{}, Files: []string{file}, Base: base, Now: importNow})
	if !res.OK() {
		t.Fatal(res.Errors)
	}
	name := res.Written()[0].Name
	if len(name) > 253 || len(name) < 250 || !strings.HasPrefix(name, "sdg-16-2-2-2020-minist-re-de-l-int-rieur-minist") || name[len(name)-9] != '-' {
		t.Errorf("name %q (%d characters)", name, len(name))
	}
}

// BenchmarkImportCSV imports 100,000 CSV rows: 2,000 reporters x 5
// quarters, each a total and 9 cells (sex and age tables), into 10,000
// Measurements, validated as concordctl validate would. Validation (the
// API server's schema and CEL libraries) takes most of the time: see
// docs/interop.md, "Speed". peak-heap-MiB is the most heap the import held
// (live objects and garbage not yet collected).
func BenchmarkImportCSV(b *testing.B) {
	benchmarkImport(b, 70, func(res *exchange.ImportResult) bool {
		return res.OK() && len(res.Written()) == benchReporters*5
	})
}

// BenchmarkImportCSVRefused imports the same rows with every total one
// more than its cells: each of the 10,000 Measurements is refused, with
// the CSV line of its total.
func BenchmarkImportCSVRefused(b *testing.B) {
	benchmarkImport(b, 71, func(res *exchange.ImportResult) bool {
		return len(res.Errors) == benchReporters*5 && strings.HasPrefix(res.Errors[0], "big.csv:2: Measurement bench/")
	})
}

func benchmarkImport(b *testing.B, total int, ok func(*exchange.ImportResult) bool) {
	dir := b.TempDir()
	ind := filepath.Join(dir, "indicator.yaml")
	if err := os.WriteFile(ind, []byte(`apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: victims, namespace: bench}
spec:
  title: Victims identified
  area: Protection
  measure: {type: Count, unit: persons}
  cadence: Quarterly
  reportingStart: "2025-Q1"
  disaggregations:
  - {dimension: sex, categories: [female, male]}
  - {dimension: age, categories: ["0-4", "5-9", "10-14", "15-17", "18-24", "25-59", "60+"]}
`), 0o644); err != nil {
		b.Fatal(err)
	}
	var data bytes.Buffer
	data.WriteString("Quarter,District,Sex,Age,Victims\n")
	ages := []string{"0-4", "5-9", "10-14", "15-17", "18-24", "25-59", "60+"}
	rows := 0
	for r := 0; r < benchReporters; r++ {
		for _, q := range []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"} {
			d := fmt.Sprintf("District %04d", r)
			fmt.Fprintf(&data, "%s,%s,,,%d\n%s,%s,Women,,40\n%s,%s,Men,,30\n", q, d, total, q, d, q, d)
			for _, a := range ages {
				fmt.Fprintf(&data, "%s,%s,,%s,10\n", q, d, a)
			}
			rows += 10
		}
	}
	if rows != benchReporters*50 {
		b.Fatalf("%d rows", rows)
	}
	file := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(file, data.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	ageMap := map[string]string{}
	for _, a := range ages {
		ageMap[a] = a
	}
	m := &exchange.Map{Format: "csv", Namespace: "bench", ReportTime: "2026-05-01T00:00:00Z", File: "bench.yaml",
		Indicators: []exchange.IndicatorMap{{Indicator: "victims"}},
		Dimensions: []exchange.DimensionMap{
			{Dimension: "sex", Source: "Sex", Categories: map[string]string{"Women": "female", "Men": "male"}},
			{Dimension: "age", Source: "Age", Categories: ageMap},
		},
		Options: []byte(`{"columns": {"period": "Quarter", "reporter": "District", "value": "Victims"}}`)}
	base, err := manifest.LoadPaths(ind)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := validate.Default(); err != nil { // compiled once per process, as concordctl does
		b.Fatal(err)
	}
	// Errors name big.csv; the garbage collector runs as under concordctl
	// import.
	b.Chdir(dir)
	defer debug.SetGCPercent(debug.SetGCPercent(exchange.ImportGCPercent))
	b.ReportAllocs()
	runtime.GC()
	peak := watchHeap()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := exchange.Import(context.Background(), exchange.ImportRequest{Map: m, Codec: csv.Codec{}, Files: []string{"big.csv"}, Base: base, Now: importNow})
		if !ok(res) {
			b.Fatalf("%d written, %d errors %v", len(res.Written()), len(res.Errors), res.Errors[:min(len(res.Errors), 5)])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
}

// watchHeap samples the heap's objects (live and not yet collected) every
// millisecond; the function it returns stops sampling and gives the
// largest figure seen.
func watchHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak
	}
}

// benchReporters makes BenchmarkImportCSV's 100,000 rows.
var benchReporters = 2000
