// Package metrics exports Concord's status as Prometheus series, in the
// shape kube-state-metrics uses for conditions: one series per status value,
// 1 for the current one and 0 for the others. Series are deleted when their
// object goes.
package metrics

import (
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Kinds, as they appear in metric names and the kind label.
const (
	KindIndicator   = "indicator"
	KindMeasurement = "measurement"
	KindEvidence    = "evidence"
	KindMechanism   = "cooperationmechanism"
	KindPlan        = "actionplan"
)

var statuses = []metav1.ConditionStatus{metav1.ConditionTrue, metav1.ConditionFalse, metav1.ConditionUnknown}

// kinds are the kinds with condition series, in the order of the API.
var kinds = []string{KindIndicator, KindMeasurement, KindEvidence, KindMechanism, KindPlan}

// kindInProse is each kind as the help texts write it, with its article.
var kindInProse = map[string]string{
	KindIndicator:   "an Indicator",
	KindMeasurement: "a Measurement",
	KindEvidence:    "an Evidence",
	KindMechanism:   "a CooperationMechanism",
	KindPlan:        "an ActionPlan",
}

var (
	indicatorValue = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_value", Help: "Current value of an indicator (Boolean: 1 true, 0 false), as in status.current.value.",
	}, []string{"namespace", "name"})
	indicatorTarget = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_target_value", Help: "Absolute value an indicator's target means, as in status.targetValue.",
	}, []string{"namespace", "name"})
	evidenceExpiration = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_evidence_expiration_timestamp_seconds", Help: "When an Evidence expires (collectionTime + validForDays), in Unix seconds.",
	}, []string{"namespace", "name"})
	reportersExpected = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_reporters_expected", Help: "Expected reporters of an indicator (spec.reporting.expectedReporters), while a period is due, as in status.reporting.expected.",
	}, []string{"namespace", "name"})
	reportersReported = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_reporters_reported", Help: "Expected reporters with a counted figure for an indicator's latest due period, as in status.reporting.reported.",
	}, []string{"namespace", "name"})
	reportersOnTime = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_reporters_on_time", Help: "Expected reporters whose figure for an indicator's latest due period was filed by its end plus reportingGraceDays, as in status.reporting.onTime.",
	}, []string{"namespace", "name"})
	reporterMissed = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_reporter_missed_periods", Help: "Due periods an expected reporter of an indicator has missed in a row, up to the latest due period (0: it reported the latest).",
	}, []string{"namespace", "name", "reporter"})
	anomalyScore = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_anomaly_score", Help: "Modified z-score of the period an indicator's Anomalous condition judges (outlier beyond -3.5 or 3.5; +Inf or -Inf when the previous periods do not vary).",
	}, []string{"namespace", "name"})
	statusWrites = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "concord_status_writes_total", Help: "Status patches written, by kind; a converged cluster adds none.",
	}, []string{"kind"})
)

// collectors are every metric Concord registers.
var collectors = []prometheus.Collector{indicatorValue, indicatorTarget, evidenceExpiration, statusWrites,
	reportersExpected, reportersReported, reportersOnTime, reporterMissed, anomalyScore}

func init() {
	ctrlmetrics.Registry.MustRegister(collectors...)
}

// SetConditions exports an object's conditions.
func SetConditions(kind, ns, name string, conds []metav1.Condition) {
	objectSeriesCollector.setConditions(kind, ns, name, conds)
}

// SetSuspended exports whether an object is suspended.
func SetSuspended(kind, ns, name string, on bool) {
	objectSeriesCollector.setSuspended(kind, ns, name, on)
}

// SetIndicatorValues exports an indicator's current and target values
// (display strings as in status); an empty string removes the series.
func SetIndicatorValues(ns, name, value, target string) {
	setOrDelete(indicatorValue, ns, name, value)
	setOrDelete(indicatorTarget, ns, name, target)
}

// Reporting is what the reporters' series of an indicator show: the counts
// of status.reporting and, per expected reporter, the due periods missed in
// a row.
type Reporting struct {
	Expected, Reported, OnTime int32
	Missed                     []ReporterMissed
}

// ReporterMissed is one expected reporter's due periods missed in a row.
type ReporterMissed struct {
	Reporter string
	Periods  int
}

// reporterSeries remembers the reporters each indicator has series for,
// so that a reporter no longer expected loses its series without the
// others' disappearing for a moment (which would restart an alert's for:).
var reporterSeries = struct {
	sync.Mutex
	byIndicator map[[2]string]map[string]bool
}{byIndicator: map[[2]string]map[string]bool{}}

// SetReporting exports an indicator's reporters' series; nil (no expected
// reporters, or no period due) removes them.
func SetReporting(ns, name string, r *Reporting) {
	if r == nil {
		forgetReporting(ns, name)
		return
	}
	reportersExpected.WithLabelValues(ns, name).Set(float64(r.Expected))
	reportersReported.WithLabelValues(ns, name).Set(float64(r.Reported))
	reportersOnTime.WithLabelValues(ns, name).Set(float64(r.OnTime))
	now := map[string]bool{}
	for _, m := range r.Missed {
		now[m.Reporter] = true
		reporterMissed.WithLabelValues(ns, name, m.Reporter).Set(float64(m.Periods))
	}
	reporterSeries.Lock()
	defer reporterSeries.Unlock()
	key := [2]string{ns, name}
	for reporter := range reporterSeries.byIndicator[key] {
		if !now[reporter] {
			reporterMissed.DeleteLabelValues(ns, name, reporter)
		}
	}
	reporterSeries.byIndicator[key] = now
}

func forgetReporting(ns, name string) {
	for _, g := range []*prometheus.GaugeVec{reportersExpected, reportersReported, reportersOnTime} {
		g.DeleteLabelValues(ns, name)
	}
	reporterSeries.Lock()
	defer reporterSeries.Unlock()
	reporterMissed.DeletePartialMatch(prometheus.Labels{"namespace": ns, "name": name})
	delete(reporterSeries.byIndicator, [2]string{ns, name})
}

// SetAnomalyScore exports the modified z-score of an indicator's judged
// period ("154.97", "+Inf"); an empty string removes the series.
func SetAnomalyScore(ns, name, score string) {
	setOrDelete(anomalyScore, ns, name, score)
}

// SetEvidenceExpiration exports when an Evidence expires (nil: never).
func SetEvidenceExpiration(ns, name string, at *metav1.Time) {
	if at == nil {
		evidenceExpiration.DeleteLabelValues(ns, name)
		return
	}
	evidenceExpiration.WithLabelValues(ns, name).Set(float64(at.Unix()))
}

// StatusWritten counts a status patch.
func StatusWritten(kind string) { statusWrites.WithLabelValues(kind).Inc() }

// StatusWrites returns the status patches written for a kind so far.
func StatusWrites(kind string) float64 {
	var m dto.Metric
	_ = statusWrites.WithLabelValues(kind).Write(&m)
	return m.GetCounter().GetValue()
}

// Forget deletes every series of an object that is gone.
func Forget(kind, ns, name string) {
	labels := prometheus.Labels{"namespace": ns, "name": name}
	objectSeriesCollector.forget(kind, ns, name)
	switch kind {
	case KindIndicator:
		indicatorValue.Delete(labels)
		indicatorTarget.Delete(labels)
		anomalyScore.Delete(labels)
		forgetReporting(ns, name)
	case KindEvidence:
		evidenceExpiration.Delete(labels)
	}
}

func setOrDelete(g *prometheus.GaugeVec, ns, name, value string) {
	v, ok := parseValue(value)
	if !ok {
		g.DeleteLabelValues(ns, name)
		return
	}
	g.WithLabelValues(ns, name).Set(v)
}

// parseValue reads a status value for Prometheus, which carries floats.
func parseValue(s string) (float64, bool) {
	switch s {
	case "":
		return 0, false
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
