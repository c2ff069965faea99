package metrics

import (
	"math"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestConditionSeriesOnePerStatusAndForget(t *testing.T) {
	conds := []metav1.Condition{{Type: "TargetMet", Status: metav1.ConditionTrue}, {Type: "DataOverdue", Status: metav1.ConditionUnknown}}
	SetConditions(KindIndicator, "ns", "a", conds)
	SetIndicatorValues("ns", "a", "16.67", "true")
	SetSuspended(KindIndicator, "ns", "a", true)
	err := testutil.CollectAndCompare(objectSeriesCollector, strings.NewReader(`
# HELP concord_indicator_condition Condition of an Indicator: 1 for the current status of each condition type, 0 for the others.
# TYPE concord_indicator_condition gauge
concord_indicator_condition{name="a",namespace="ns",status="false",type="DataOverdue"} 0
concord_indicator_condition{name="a",namespace="ns",status="false",type="TargetMet"} 0
concord_indicator_condition{name="a",namespace="ns",status="true",type="DataOverdue"} 0
concord_indicator_condition{name="a",namespace="ns",status="true",type="TargetMet"} 1
concord_indicator_condition{name="a",namespace="ns",status="unknown",type="DataOverdue"} 1
concord_indicator_condition{name="a",namespace="ns",status="unknown",type="TargetMet"} 0
# HELP concord_suspended Whether an object's spec.suspend stops its evaluation: 1 suspended, 0 not.
# TYPE concord_suspended gauge
concord_suspended{kind="indicator",name="a",namespace="ns"} 1
`))
	if err != nil {
		t.Error(err)
	}
	if v, tv := testutil.ToFloat64(indicatorValue.WithLabelValues("ns", "a")), testutil.ToFloat64(indicatorTarget.WithLabelValues("ns", "a")); v != 16.67 || tv != 1 {
		t.Errorf("value %v target %v", v, tv)
	}
	Forget(KindIndicator, "ns", "a")
	for name, c := range map[string]int{
		"conditions and suspended": testutil.CollectAndCount(objectSeriesCollector), "value": testutil.CollectAndCount(indicatorValue),
		"target": testutil.CollectAndCount(indicatorTarget),
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
	err := testutil.CollectAndCompare(objectSeriesCollector, strings.NewReader(`
# HELP concord_cooperationmechanism_condition Condition of a CooperationMechanism: 1 for the current status of each condition type, 0 for the others.
# TYPE concord_cooperationmechanism_condition gauge
concord_cooperationmechanism_condition{name="m",namespace="ns",status="false",type="Formalized"} 1
concord_cooperationmechanism_condition{name="m",namespace="ns",status="true",type="Formalized"} 0
concord_cooperationmechanism_condition{name="m",namespace="ns",status="unknown",type="Formalized"} 0
`))
	if err != nil {
		t.Error(err)
	}
}

func TestReportingSeriesFollowTheExpectedReporters(t *testing.T) {
	SetReporting("ns", "r", &Reporting{Expected: 3, Reported: 2, OnTime: 1,
		Missed: []ReporterMissed{{"NGO", 0}, {"Police", 2}, {"Labour", 1}}})
	err := testutil.CollectAndCompare(reporterMissed, strings.NewReader(`
# HELP concord_indicator_reporter_missed_periods Due periods an expected reporter of an indicator has missed in a row, up to the latest due period (0: it reported the latest).
# TYPE concord_indicator_reporter_missed_periods gauge
concord_indicator_reporter_missed_periods{name="r",namespace="ns",reporter="Labour"} 1
concord_indicator_reporter_missed_periods{name="r",namespace="ns",reporter="NGO"} 0
concord_indicator_reporter_missed_periods{name="r",namespace="ns",reporter="Police"} 2
`))
	if err != nil {
		t.Error(err)
	}
	for g, want := range map[string]float64{"expected": 3, "reported": 2, "on time": 1} {
		vec := map[string]*prometheus.GaugeVec{"expected": reportersExpected, "reported": reportersReported, "on time": reportersOnTime}[g]
		if got := testutil.ToFloat64(vec.WithLabelValues("ns", "r")); got != want {
			t.Errorf("reporters %s = %v, want %v", g, got, want)
		}
	}

	// A reporter no longer expected loses its series; the others keep theirs.
	SetReporting("ns", "r", &Reporting{Expected: 2, Reported: 2, OnTime: 2, Missed: []ReporterMissed{{"NGO", 0}, {"Police", 0}}})
	if n := testutil.CollectAndCount(reporterMissed); n != 2 {
		t.Errorf("%d reporter series after Labour left, want 2", n)
	}
	// Nothing due: no series.
	SetReporting("ns", "r", nil)
	if n := testutil.CollectAndCount(reporterMissed) + testutil.CollectAndCount(reportersExpected); n != 0 {
		t.Errorf("%d series with nothing due", n)
	}
	// Forget deletes them with the object.
	SetReporting("ns", "r", &Reporting{Expected: 1, Missed: []ReporterMissed{{"NGO", 1}}})
	SetAnomalyScore("ns", "r", "154.97")
	if got := testutil.ToFloat64(anomalyScore.WithLabelValues("ns", "r")); got != 154.97 {
		t.Errorf("anomaly score %v", got)
	}
	Forget(KindIndicator, "ns", "r")
	for name, c := range map[string]int{
		"missed": testutil.CollectAndCount(reporterMissed), "expected": testutil.CollectAndCount(reportersExpected),
		"reported": testutil.CollectAndCount(reportersReported), "on time": testutil.CollectAndCount(reportersOnTime),
		"anomaly": testutil.CollectAndCount(anomalyScore),
	} {
		if c != 0 {
			t.Errorf("%s: %d series left after Forget", name, c)
		}
	}
}

func TestAnomalyScore(t *testing.T) {
	defer Forget(KindIndicator, "ns", "a")
	for score, want := range map[string]float64{"-3.5": -3.5, "+Inf": math.Inf(1), "-Inf": math.Inf(-1)} {
		SetAnomalyScore("ns", "a", score)
		if got := testutil.ToFloat64(anomalyScore.WithLabelValues("ns", "a")); got != want {
			t.Errorf("score %q exported as %v", score, got)
		}
	}
	SetAnomalyScore("ns", "a", "")
	if n := testutil.CollectAndCount(anomalyScore); n != 0 {
		t.Errorf("%d series without a score", n)
	}
}

// TestHelpTextsReadAsSentences gathers every Concord metric, with a series
// set for each, and checks that its help text reads as a sentence: "a
// indicator", "Condition of a cooperationmechanism" or "1 when ..." do not.
func TestHelpTextsReadAsSentences(t *testing.T) {
	for _, k := range kinds {
		SetConditions(k, "help", "x", []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue}})
		SetSuspended(k, "help", "x", false)
		StatusWritten(k)
		defer Forget(k, "help", "x")
	}
	SetIndicatorValues("help", "x", "1", "2")
	SetReporting("help", "x", &Reporting{Expected: 1, Missed: []ReporterMissed{{Reporter: "r", Periods: 1}}})
	SetAnomalyScore("help", "x", "0")
	at := metav1.Unix(0, 0)
	SetEvidenceExpiration("help", "x", &at)

	families, err := Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range families {
		if !strings.HasPrefix(f.GetName(), "concord_") {
			continue
		}
		n++
		for _, d := range HelpTextDefects(f.GetHelp()) {
			t.Errorf("%s: help %q: %s", f.GetName(), f.GetHelp(), d)
		}
	}
	described := 0
	for _, c := range append(collectors, objectSeriesCollector) {
		ch := make(chan *prometheus.Desc, 16)
		c.Describe(ch)
		close(ch)
		for range ch {
			described++
		}
	}
	if n != described {
		t.Errorf("gathered %d Concord metrics, %d are registered: set a series of the new one above", n, described)
	}
}

func TestHelpTextDefects(t *testing.T) {
	for help, want := range map[string]int{
		"Condition of an Indicator: 1 for the current status of each condition type, 0 for the others.": 0,
		"Whether an object's spec.suspend stops its evaluation: 1 suspended, 0 not.":                    0,
		"An hour, a unit, a user, an Evidence, a Measurement, an ActionPlan.":                           0,
		"Condition of a indicator: 1 for the current status.":                                           1,
		"Condition of a evidence.":             1,
		"Condition of a actionplan.":           2,
		"Condition of a cooperationmechanism.": 1,
		"An Measurement.":                      1,
		"1 when an object is suspended.":       1,
		"current value":                        2,
		"":                                     1,
	} {
		if got := HelpTextDefects(help); len(got) != want {
			t.Errorf("HelpTextDefects(%q) = %q, want %d defects", help, got, want)
		}
	}
}
