package main

import (
	"io"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Metrics are the metric families of one scrape, by name.
type Metrics map[string]*dto.MetricFamily

// ParseMetrics reads the Prometheus text format, as the kube-apiserver,
// etcd and the manager serve it on /metrics.
func ParseMetrics(r io.Reader) (Metrics, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(r)
}

// Labels is a series' label set.
type Labels map[string]string

// Each calls f with the labels and value of every series of the metric
// name (counters, gauges and untyped; other types are skipped).
func (m Metrics) Each(name string, f func(l Labels, v float64)) {
	mf := m[name]
	if mf == nil {
		return
	}
	for _, s := range mf.GetMetric() {
		var v float64
		switch {
		case s.Counter != nil:
			v = s.Counter.GetValue()
		case s.Gauge != nil:
			v = s.Gauge.GetValue()
		case s.Untyped != nil:
			v = s.Untyped.GetValue()
		default:
			continue
		}
		l := Labels{}
		for _, p := range s.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		f(l, v)
	}
}

// Sum adds the series of name whose labels match (nil: all).
func (m Metrics) Sum(name string, match func(Labels) bool) float64 {
	total := 0.0
	m.Each(name, func(l Labels, v float64) {
		if match == nil || match(l) {
			total += v
		}
	})
	return total
}

// SumBy adds the series of name whose labels match, per value of label by.
func (m Metrics) SumBy(name, by string, match func(Labels) bool) map[string]float64 {
	out := map[string]float64{}
	m.Each(name, func(l Labels, v float64) {
		if match == nil || match(l) {
			out[l[by]] += v
		}
	})
	return out
}

// Has reports whether the scrape holds the metric.
func (m Metrics) Has(name string) bool { return m[name] != nil }

const apiserverRequests = "apiserver_request_total"

func succeeded(l Labels) bool { return strings.HasPrefix(l["code"], "2") }

// statusWrite: a write to the status subresource of a Concord kind (a
// merge or JSON patch, an apply, or an update).
func statusWrite(l Labels) bool {
	switch l["verb"] {
	case "PATCH", "PUT", "APPLY":
	default:
		return false
	}
	return l["group"] == v1alpha1.GroupVersion.Group && l["subresource"] == "status"
}

// eventWrite: a request on Events, core or events.k8s.io.
func eventWrite(verb string) func(Labels) bool {
	return func(l Labels) bool {
		return l["verb"] == verb && l["resource"] == "events" && (l["group"] == "" || l["group"] == "events.k8s.io") && succeeded(l)
	}
}

// APICounts are the API server's request counters a run reports, taken
// from apiserver_request_total.
type APICounts struct {
	// StatusWrites are successful status writes per resource
	// (indicators, measurements, ...).
	StatusWrites map[string]float64 `json:"statusWrites"`
	// StatusConflicts are status writes refused with 409 Conflict.
	StatusConflicts float64 `json:"statusConflicts"`
	// EventsPosted are Events created (POST), core and events.k8s.io.
	EventsPosted float64 `json:"eventsPosted"`
	// EventsPatched are Event series updated (PATCH): repeats the Events
	// API folds into an existing Event.
	EventsPatched float64 `json:"eventsPatched"`
	// Requests are all requests, every verb and resource.
	Requests float64 `json:"requests"`
	// CPUSeconds is the API server's process_cpu_seconds_total.
	CPUSeconds float64 `json:"cpuSeconds"`
}

// APICountsOf reads the counters of an API server scrape.
func APICountsOf(m Metrics) APICounts {
	return APICounts{
		StatusWrites: m.SumBy(apiserverRequests, "resource", func(l Labels) bool { return statusWrite(l) && succeeded(l) }),
		StatusConflicts: m.Sum(apiserverRequests, func(l Labels) bool {
			return statusWrite(l) && l["code"] == "409"
		}),
		EventsPosted:  m.Sum(apiserverRequests, eventWrite("POST")),
		EventsPatched: m.Sum(apiserverRequests, eventWrite("PATCH")),
		Requests:      m.Sum(apiserverRequests, nil),
		CPUSeconds:    m.Sum("process_cpu_seconds_total", nil),
	}
}

// Sub returns the counts between an earlier scrape b and a.
func (a APICounts) Sub(b APICounts) APICounts {
	out := APICounts{
		StatusWrites:    map[string]float64{},
		StatusConflicts: a.StatusConflicts - b.StatusConflicts,
		EventsPosted:    a.EventsPosted - b.EventsPosted,
		EventsPatched:   a.EventsPatched - b.EventsPatched,
		Requests:        a.Requests - b.Requests,
		CPUSeconds:      a.CPUSeconds - b.CPUSeconds,
	}
	for r, v := range a.StatusWrites {
		if d := v - b.StatusWrites[r]; d != 0 {
			out.StatusWrites[r] = d
		}
	}
	return out
}

// TotalStatusWrites sums the status writes of every resource.
func (a APICounts) TotalStatusWrites() float64 {
	total := 0.0
	for _, v := range a.StatusWrites {
		total += v
	}
	return total
}

// ManagerCounts are what a run reads from the manager's own metrics.
type ManagerCounts struct {
	// Reconciles per controller (controller_runtime_reconcile_total,
	// every result).
	Reconciles map[string]float64 `json:"reconciles"`
	// QueueDepth is the sum of workqueue_depth over the controllers.
	QueueDepth float64 `json:"queueDepth"`
	// Goroutines is go_goroutines.
	Goroutines float64 `json:"goroutines"`
}

// ManagerCountsOf reads a scrape of the manager's metrics.
func ManagerCountsOf(m Metrics) ManagerCounts {
	return ManagerCounts{
		Reconciles: m.SumBy("controller_runtime_reconcile_total", "controller", nil),
		QueueDepth: m.Sum("workqueue_depth", nil),
		Goroutines: m.Sum("go_goroutines", nil),
	}
}

// TotalReconciles sums the reconciles of every controller.
func (c ManagerCounts) TotalReconciles() float64 {
	total := 0.0
	for _, v := range c.Reconciles {
		total += v
	}
	return total
}

// Sub returns the reconciles between an earlier scrape b and c; the queue
// depth and goroutines are c's.
func (c ManagerCounts) Sub(b ManagerCounts) ManagerCounts {
	out := ManagerCounts{Reconciles: map[string]float64{}, QueueDepth: c.QueueDepth, Goroutines: c.Goroutines}
	for k, v := range c.Reconciles {
		out.Reconciles[k] = v - b.Reconciles[k]
	}
	return out
}

// EtcdCounts are etcd's database sizes.
type EtcdCounts struct {
	// DBBytes is the database file's size (etcd_mvcc_db_total_size_in_bytes).
	DBBytes float64 `json:"dbBytes"`
	// InUseBytes is the part of it in use
	// (etcd_mvcc_db_total_size_in_use_in_bytes): the live keys and the
	// revisions not compacted yet.
	InUseBytes float64 `json:"inUseBytes"`
	// Keys is etcd_debugging_mvcc_keys_total, where etcd exports it.
	Keys float64 `json:"keys,omitempty"`
	// CPUSeconds is etcd's process_cpu_seconds_total.
	CPUSeconds float64 `json:"cpuSeconds"`
}

// EtcdCountsOf reads a scrape of etcd's metrics.
func EtcdCountsOf(m Metrics) EtcdCounts {
	return EtcdCounts{
		DBBytes:    m.Sum("etcd_mvcc_db_total_size_in_bytes", nil),
		InUseBytes: m.Sum("etcd_mvcc_db_total_size_in_use_in_bytes", nil),
		Keys:       m.Sum("etcd_debugging_mvcc_keys_total", nil),
		CPUSeconds: m.Sum("process_cpu_seconds_total", nil),
	}
}

// storageBytes is apiserver_storage_size_bytes summed (the API server's
// view of the etcd database size), 0 where the metric is absent.
func storageBytes(m Metrics) float64 { return m.Sum("apiserver_storage_size_bytes", nil) }

// sortedKeys returns a map's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
