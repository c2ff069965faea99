package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestConditionSeriesOnePerStatusAndForget(t *testing.T) {
	conds := []metav1.Condition{{Type: "TargetMet", Status: metav1.ConditionTrue}, {Type: "DataOverdue", Status: metav1.ConditionUnknown}}
	SetConditions(KindIndicator, "ns", "a", conds)
	SetIndicatorValues("ns", "a", "16.67", "true")
	SetSuspended(KindIndicator, "ns", "a", true)
	g := conditions[KindIndicator]
	for status, want := range map[string]float64{"true": 1, "false": 0, "unknown": 0} {
		if got := testutil.ToFloat64(g.WithLabelValues("ns", "a", "TargetMet", status)); got != want {
			t.Errorf("TargetMet status=%s: %v, want %v", status, got, want)
		}
	}
	if got := testutil.ToFloat64(g.WithLabelValues("ns", "a", "DataOverdue", "unknown")); got != 1 {
		t.Errorf("DataOverdue unknown = %v", got)
	}
	if v, tv := testutil.ToFloat64(indicatorValue.WithLabelValues("ns", "a")), testutil.ToFloat64(indicatorTarget.WithLabelValues("ns", "a")); v != 16.67 || tv != 1 {
		t.Errorf("value %v target %v", v, tv)
	}
	Forget(KindIndicator, "ns", "a")
	for name, c := range map[string]int{
		"conditions": testutil.CollectAndCount(g), "value": testutil.CollectAndCount(indicatorValue),
		"target": testutil.CollectAndCount(indicatorTarget), "suspended": testutil.CollectAndCount(suspended),
	} {
		if c != 0 {
			t.Errorf("%s: %d series left after Forget", name, c)
		}
	}
}

func TestEvidenceExpirationAndEmptyValues(t *testing.T) {
	at := metav1.Unix(1_800_000_000, 0)
	SetEvidenceExpiration("ns", "e", &at)
	if got := testutil.ToFloat64(evidenceExpiration.WithLabelValues("ns", "e")); got != 1.8e9 {
		t.Errorf("expiration %v", got)
	}
	SetEvidenceExpiration("ns", "e", nil)
	SetIndicatorValues("ns", "b", "", "")
	if n := testutil.CollectAndCount(evidenceExpiration) + testutil.CollectAndCount(indicatorValue); n != 0 {
		t.Errorf("%d series for absent values", n)
	}
}

func TestMetricNamesFollowTheContract(t *testing.T) {
	SetConditions(KindMechanism, "ns", "m", []metav1.Condition{{Type: "Formalized", Status: metav1.ConditionFalse}})
	defer Forget(KindMechanism, "ns", "m")
	err := testutil.CollectAndCompare(conditions[KindMechanism], strings.NewReader(`
# HELP concord_cooperationmechanism_condition Condition of a cooperationmechanism: 1 for the current status of each condition type, 0 for the others.
# TYPE concord_cooperationmechanism_condition gauge
concord_cooperationmechanism_condition{name="m",namespace="ns",status="false",type="Formalized"} 1
concord_cooperationmechanism_condition{name="m",namespace="ns",status="true",type="Formalized"} 0
concord_cooperationmechanism_condition{name="m",namespace="ns",status="unknown",type="Formalized"} 0
`))
	if err != nil {
		t.Error(err)
	}
}
