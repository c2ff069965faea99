package metrics

import (
	"bufio"
	"compress/gzip"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// objectCollector exports the series every object has: its conditions
// (concord_<kind>_condition, one series per status value) and whether it
// is suspended (concord_suspended). It keeps a few bytes per object and
// makes the series when Prometheus scrapes: a GaugeVec child per series
// would hold about 700 bytes each, some 10 KiB per Measurement, and
// deleting an object's series from a GaugeVec scans every series of the
// kind.
type objectCollector struct {
	mu      sync.RWMutex
	objects map[string]map[objectKey]*objectSeries // by kind

	conditionDesc map[string]*prometheus.Desc // by kind
	suspendedDesc *prometheus.Desc
}

type objectKey struct{ namespace, name string }

// objectSeries is what an object's series show.
type objectSeries struct {
	conditions []conditionState
	// suspended: 0 no series yet, 1 not suspended, 2 suspended.
	suspended uint8
}

type conditionState struct {
	typ    string
	status metav1.ConditionStatus
}

var objectSeriesCollector = newObjectCollector()

func newObjectCollector() *objectCollector {
	c := &objectCollector{
		objects:       map[string]map[objectKey]*objectSeries{},
		conditionDesc: map[string]*prometheus.Desc{},
		suspendedDesc: prometheus.NewDesc("concord_suspended",
			"Whether an object's spec.suspend stops its evaluation: 1 suspended, 0 not.", []string{"kind", "namespace", "name"}, nil),
	}
	for _, k := range kinds {
		c.objects[k] = map[objectKey]*objectSeries{}
		c.conditionDesc[k] = prometheus.NewDesc("concord_"+k+"_condition",
			"Condition of "+kindInProse[k]+": 1 for the current status of each condition type, 0 for the others.",
			[]string{"namespace", "name", "type", "status"}, nil)
	}
	return c
}

// Describe sends every family's description.
func (c *objectCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, k := range kinds {
		ch <- c.conditionDesc[k]
	}
	ch <- c.suspendedDesc
}

// Collect makes the series of every object.
func (c *objectCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, k := range kinds {
		desc := c.conditionDesc[k]
		for key, o := range c.objects[k] {
			for _, cs := range o.conditions {
				for _, s := range statuses {
					v := 0.0
					if cs.status == s {
						v = 1
					}
					ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, key.namespace, key.name, cs.typ, statusLabel[s])
				}
			}
			if o.suspended != 0 {
				ch <- prometheus.MustNewConstMetric(c.suspendedDesc, prometheus.GaugeValue, float64(o.suspended-1), k, key.namespace, key.name)
			}
		}
	}
}

var statusLabel = map[metav1.ConditionStatus]string{}

func init() {
	for _, s := range statuses {
		statusLabel[s] = strings.ToLower(string(s))
	}
}

// entry returns the object's series, made when missing; c.mu is held.
func (c *objectCollector) entry(kind, ns, name string) *objectSeries {
	key := objectKey{ns, name}
	o := c.objects[kind][key]
	if o == nil {
		o = &objectSeries{}
		c.objects[kind][key] = o
	}
	return o
}

func (c *objectCollector) setConditions(kind, ns, name string, conds []metav1.Condition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := c.entry(kind, ns, name)
	// Types not in conds keep their series, as before: a condition type
	// is never dropped from a status.
	for _, in := range conds {
		found := false
		for i := range o.conditions {
			if o.conditions[i].typ == in.Type {
				o.conditions[i].status, found = in.Status, true
				break
			}
		}
		if !found {
			o.conditions = append(o.conditions, conditionState{typ: intern(in.Type), status: in.Status})
		}
	}
}

func (c *objectCollector) setSuspended(kind, ns, name string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := c.entry(kind, ns, name)
	o.suspended = 1
	if on {
		o.suspended = 2
	}
}

func (c *objectCollector) forget(kind, ns, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.objects[kind], objectKey{ns, name})
}

// interned holds the condition types seen, so that an object's series do
// not keep the decoded object they were read from alive.
var interned sync.Map

func intern(s string) string {
	if v, ok := interned.Load(s); ok {
		return v.(string)
	}
	s = strings.Clone(s)
	v, _ := interned.LoadOrStore(s, s)
	return v.(string)
}

// objectRegistry holds the object series for Gather: tests and tools that
// read families. The metrics endpoint streams them instead (Handler).
var objectRegistry = prometheus.NewRegistry()

func init() { objectRegistry.MustRegister(objectSeriesCollector) }

// Gatherer gathers every Concord and controller-runtime family, the
// object series included, as the metrics endpoint shows them. It builds
// every series in memory: for a few objects, not for a scrape.
func Gatherer() prometheus.Gatherer {
	return prometheus.Gatherers{ctrlmetrics.Registry, objectRegistry}
}

// snapshotRow is one object's series, copied out of the collector so that
// a slow scrape does not hold reconcilers back.
type snapshotRow struct {
	key objectKey
	objectSeries
}

func (c *objectCollector) snapshot(kind string) []snapshotRow {
	c.mu.RLock()
	defer c.mu.RUnlock()
	rows := make([]snapshotRow, 0, len(c.objects[kind]))
	for k, o := range c.objects[kind] {
		rows = append(rows, snapshotRow{k, objectSeries{conditions: slices.Clone(o.conditions), suspended: o.suspended}})
	}
	return rows
}

// writeText writes the object families in the Prometheus text format
// (0.0.4), one kind at a time, series by series.
func (c *objectCollector) writeText(w *bufio.Writer) error {
	var suspended []snapshotRow
	var suspendedKind []string
	for _, k := range kinds {
		rows := c.snapshot(k)
		name := "concord_" + k + "_condition"
		writeHeader(w, name, "Condition of "+kindInProse[k]+": 1 for the current status of each condition type, 0 for the others.")
		for _, r := range rows {
			for _, cs := range r.conditions {
				for _, s := range statuses {
					v := " 0\n"
					if cs.status == s {
						v = " 1\n"
					}
					w.WriteString(name)
					writeLabels(w, "namespace", r.key.namespace, "name", r.key.name, "type", cs.typ, "status", statusLabel[s])
					w.WriteString(v)
				}
			}
			if r.suspended != 0 {
				suspended, suspendedKind = append(suspended, r), append(suspendedKind, k)
			}
		}
	}
	writeHeader(w, "concord_suspended", "Whether an object's spec.suspend stops its evaluation: 1 suspended, 0 not.")
	for i, r := range suspended {
		w.WriteString("concord_suspended")
		writeLabels(w, "kind", suspendedKind[i], "namespace", r.key.namespace, "name", r.key.name)
		w.WriteString(" " + strconv.Itoa(int(r.suspended-1)) + "\n")
	}
	return w.Flush()
}

func writeHeader(w *bufio.Writer, name, help string) {
	w.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n")
}

// writeLabels writes {k="v",...} with the text format's escaping of label
// values (backslash, double quote, line feed).
func writeLabels(w *bufio.Writer, kv ...string) {
	w.WriteByte('{')
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(kv[i])
		w.WriteString(`="`)
		if v := kv[i+1]; strings.ContainsAny(v, "\\\"\n") {
			labelEscaper.WriteString(w, v)
		} else {
			w.WriteString(v)
		}
		w.WriteByte('"')
	}
	w.WriteByte('}')
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

// Handler serves the metrics endpoint: next (controller-runtime's handler
// of its registry, which holds every family but the object series) asked
// for the text format, followed by the object series written as they are
// read. Building a million series in memory, as a registry's Gather does,
// takes gigabytes and longer than Prometheus' scrape timeout; writing
// them takes a few hundred milliseconds and a few megabytes.
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner := r.Clone(r.Context())
		inner.Header.Set("Accept", "text/plain;version=0.0.4")
		inner.Header.Del("Accept-Encoding")
		var out io.Writer = w
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			gz := gzip.NewWriter(w)
			defer gz.Close()
			out = gz
		}
		next.ServeHTTP(writerTo{w, out}, inner)
		_ = objectSeriesCollector.writeText(bufio.NewWriterSize(out, 64<<10))
	})
}

// writerTo is a ResponseWriter whose body goes to out.
type writerTo struct {
	http.ResponseWriter
	out io.Writer
}

func (w writerTo) Write(b []byte) (int, error) { return w.out.Write(b) }
