// Package metrics exports Concord's status as Prometheus series, in the
// shape kube-state-metrics uses for conditions: one series per status value,
// 1 for the current one and 0 for the others. Series are deleted when their
// object goes.
package metrics

import (
	"strconv"
	"strings"

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

var (
	conditions = map[string]*prometheus.GaugeVec{}

	indicatorValue = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_value", Help: "Current value of an indicator (Boolean: 1 true, 0 false), as in status.current.value.",
	}, []string{"namespace", "name"})
	indicatorTarget = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_indicator_target_value", Help: "Absolute value an indicator's target means, as in status.targetValue.",
	}, []string{"namespace", "name"})
	evidenceExpiration = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_evidence_expiration_timestamp_seconds", Help: "When an Evidence expires (collectionTime + validForDays), in Unix seconds.",
	}, []string{"namespace", "name"})
	suspended = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "concord_suspended", Help: "1 when an object's spec.suspend stops its evaluation.",
	}, []string{"kind", "namespace", "name"})
	statusWrites = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "concord_status_writes_total", Help: "Status patches written, by kind; a converged cluster adds none.",
	}, []string{"kind"})
)

func init() {
	for _, k := range []string{KindIndicator, KindMeasurement, KindEvidence, KindMechanism, KindPlan} {
		conditions[k] = prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "concord_" + k + "_condition",
			Help: "Condition of a " + k + ": 1 for the current status of each condition type, 0 for the others.",
		}, []string{"namespace", "name", "type", "status"})
		ctrlmetrics.Registry.MustRegister(conditions[k])
	}
	ctrlmetrics.Registry.MustRegister(indicatorValue, indicatorTarget, evidenceExpiration, suspended, statusWrites)
}

// SetConditions exports an object's conditions.
func SetConditions(kind, ns, name string, conds []metav1.Condition) {
	g := conditions[kind]
	for _, c := range conds {
		for _, s := range statuses {
			v := 0.0
			if c.Status == s {
				v = 1
			}
			g.WithLabelValues(ns, name, c.Type, strings.ToLower(string(s))).Set(v)
		}
	}
}

// SetSuspended exports whether an object is suspended.
func SetSuspended(kind, ns, name string, on bool) {
	v := 0.0
	if on {
		v = 1
	}
	suspended.WithLabelValues(kind, ns, name).Set(v)
}

// SetIndicatorValues exports an indicator's current and target values
// (display strings as in status); an empty string removes the series.
func SetIndicatorValues(ns, name, value, target string) {
	setOrDelete(indicatorValue, ns, name, value)
	setOrDelete(indicatorTarget, ns, name, target)
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
	conditions[kind].DeletePartialMatch(labels)
	suspended.DeleteLabelValues(kind, ns, name)
	switch kind {
	case KindIndicator:
		indicatorValue.Delete(labels)
		indicatorTarget.Delete(labels)
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
