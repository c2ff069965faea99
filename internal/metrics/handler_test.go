package metrics

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// flatten renders families as sorted "name{labels} value" lines, with
// each family's help and type.
func flatten(families map[string]*dto.MetricFamily) []string {
	var out []string
	for name, f := range families {
		out = append(out, "# "+name+" "+f.GetType().String()+" "+f.GetHelp())
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+fmt.Sprintf("%q", l.GetValue()))
			}
			sort.Strings(labels)
			out = append(out, fmt.Sprintf("%s{%s} %v", name, strings.Join(labels, ","), m.GetGauge().GetValue()+m.GetCounter().GetValue()))
		}
	}
	sort.Strings(out)
	return out
}

func scrape(t *testing.T, gzipped bool) map[string]*dto.MetricFamily {
	t.Helper()
	h := Handler(promhttp.HandlerFor(ctrlmetrics.Registry, promhttp.HandlerOpts{}))
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body io.Reader = rec.Body
	if gzipped {
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", rec.Header().Get("Content-Encoding"))
		}
		gz, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = gz
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("Content-Type %q", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(body)
	if err != nil {
		t.Fatalf("the endpoint's output does not parse: %v", err)
	}
	return families
}

// TestHandlerServesWhatTheRegistryHolds: the metrics endpoint shows the
// same families and series as gathering every collector would (object
// series included, label values escaped), in the text format, plain or
// gzipped, whatever format the scraper asks for first.
func TestHandlerServesWhatTheRegistryHolds(t *testing.T) {
	SetConditions(KindIndicator, "protection", `odd"name\`, []metav1.Condition{{Type: "TargetMet", Status: metav1.ConditionTrue}})
	SetSuspended(KindIndicator, "protection", `odd"name\`, true)
	SetConditions(KindMeasurement, "protection", "q3-ngo", []metav1.Condition{{Type: "Accepted", Status: metav1.ConditionFalse}})
	SetSuspended(KindEvidence, "protection", "minutes", false)
	SetIndicatorValues("protection", `odd"name\`, "54", "50")
	StatusWritten(KindIndicator)
	defer func() {
		Forget(KindIndicator, "protection", `odd"name\`)
		Forget(KindMeasurement, "protection", "q3-ngo")
		Forget(KindEvidence, "protection", "minutes")
	}()
	gathered, err := Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*dto.MetricFamily{}
	for _, f := range gathered {
		want[f.GetName()] = f
	}
	for _, gz := range []bool{false, true} {
		got := scrape(t, gz)
		if g, w := strings.Join(flatten(got), "\n"), strings.Join(flatten(want), "\n"); g != w {
			t.Errorf("gzip %v: the endpoint shows\n%s\n\nthe registry holds\n%s", gz, g, w)
		}
	}
	if f := scrape(t, false)["concord_indicator_condition"]; f == nil || len(f.GetMetric()) != 3 {
		t.Errorf("concord_indicator_condition: %v", f)
	}
}

// BenchmarkScrape scrapes the metrics endpoint of a manager holding the
// scale benchmark's 10,000 indicators (60,000 objects, 930,000 object
// series):
//
//	go test ./internal/metrics -run '^$' -bench Scrape -benchmem
func BenchmarkScrape(b *testing.B) {
	mk := func(types ...string) (out []metav1.Condition) {
		for _, ty := range types {
			out = append(out, metav1.Condition{Type: ty, Status: metav1.ConditionTrue})
		}
		return out
	}
	ic := mk("Ready", "Stalled", "TargetMet", "EvidenceMissing", "DataOverdue", "OnTrack", "Anomalous")
	mc := mk("Ready", "Stalled", "Accepted", "Superseded", "Verified")
	ec := mk("Ready", "Stalled", "Verified", "Expired")
	for i := range 10_000 {
		ns, ind := fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("indicator-%05d", i)
		SetConditions(KindIndicator, ns, ind, ic)
		SetSuspended(KindIndicator, ns, ind, false)
		SetConditions(KindEvidence, ns, ind+"-evidence", ec)
		SetSuspended(KindEvidence, ns, ind+"-evidence", false)
		for j := range 4 {
			SetConditions(KindMeasurement, ns, fmt.Sprintf("%s-%d", ind, j), mc)
		}
	}
	h := Handler(promhttp.HandlerFor(ctrlmetrics.Registry, promhttp.HandlerOpts{}))
	b.ResetTimer()
	var size int
	for range b.N {
		w := &discard{header: http.Header{}}
		h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		size = w.n
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB/scrape")
}

// discard is a ResponseWriter that counts the body and keeps none of it,
// as a scraper reading it would.
type discard struct {
	header http.Header
	n      int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }
