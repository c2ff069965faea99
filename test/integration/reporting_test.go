package integration

import (
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// gauge reads one series of a gauge from the manager's registry.
func gauge(name string, labels map[string]string) (float64, bool) {
	families, err := ctrlmetrics.Registry.Gather()
	if err != nil {
		return 0, false
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue series
				}
			}
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

func waitGauge(t *testing.T, name string, labels map[string]string, want float64) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s%v = %v", name, labels, want), func() (bool, string) {
		v, ok := gauge(name, labels)
		return ok && v == want, fmt.Sprintf("present %v, value %v", ok, v)
	})
}

// TestExpectedReportersAndAnomalies: an indicator expecting two reporters,
// one of whom stopped reporting three months ago, and whose latest month
// holds a figure with an extra zero. The controller writes status.reporting,
// names the missing reporter in DataOverdue, flags the outlier with a
// Warning Event, exports the reporters' and the anomaly's series, and
// deletes them with the indicator.
func TestExpectedReportersAndAnomalies(t *testing.T) {
	startControllers(t)
	const ns = "reporting"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2025-08-15T00:00:00Z"))
	ind := &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Name: "victims-referred", Namespace: ns},
		Spec: v1alpha1.IndicatorSpec{
			Title: "Victims referred", Area: v1alpha1.AreaProtection, Cadence: v1alpha1.CadenceMonthly,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "persons"}, ReportingStart: "2025-01",
			Reporting: &v1alpha1.Reporting{ExpectedReporters: []string{"NGO shelter network", "Border Police"}},
		},
	}
	if err := k8s.Create(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	ngo := []string{"50", "52", "48", "41", "39", "500"} // 2025-01 to 2025-06; the last has an extra zero
	for k, v := range ngo {
		p := fmt.Sprintf("2025-%02d", k+1)
		reported := fmt.Sprintf("2025-%02d-05T00:00:00Z", k+2)
		if err := k8s.Create(ctx(t), lifeMeasurement(ns, "ngo-"+p, p, v, "NGO shelter network", reported)); err != nil {
			t.Fatal(err)
		}
		if k < 3 { // the Border Police stopped after 2025-03
			if err := k8s.Create(ctx(t), lifeMeasurement(ns, "police-"+p, p, "10", "Border Police", reported)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 500 against 60, 62, 58, 41 and 39: median 58, MAD 4. The figure of
	// 2025-06 is the last one created, so once it is judged every figure
	// was seen. (39 in 2025-05 is an outlier too, against 60, 62, 58 and
	// 41: wait for the verdict on 500, not for any outlier.)
	eventually(t, "the figure of 2025-06 judged an outlier", func() (bool, string) {
		if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(ind), ind); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(ind.Status.Conditions, v1alpha1.ConditionAnomalous)
		if c == nil {
			return false, "no Anomalous condition"
		}
		return c.Status == metav1.ConditionTrue && strings.HasPrefix(c.Message, "2025-06: 500 "), string(c.Status) + " " + c.Message
	})
	waitCondition(t, ind, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)
	// 2025-01 to 2025-06 are due on 2025-08-15: the Border Police missed
	// the last three.
	waitCondition(t, ind, v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported)
	if c := findCond(ind, v1alpha1.ConditionDataOverdue); c.Message != "No counted data for 2025-04 from Border Police; for 2025-05 from Border Police; for 2025-06 from Border Police (data is due 30 days after a period closes)" {
		t.Errorf("DataOverdue message %q", c.Message)
	}
	if want := (v1alpha1.ReportingStatus{Period: "2025-06", Expected: 2, Reported: 1, OnTime: 1, Missing: 1}); ind.Status.Reporting == nil || *ind.Status.Reporting != want {
		t.Errorf("status.reporting %+v, want %+v", ind.Status.Reporting, want)
	}
	expectEvent(t, ns, "victims-referred", v1alpha1.ReasonOutlierDetected)

	labels := map[string]string{"namespace": ns, "name": "victims-referred"}
	waitGauge(t, "concord_indicator_reporters_expected", labels, 2)
	waitGauge(t, "concord_indicator_reporters_reported", labels, 1)
	waitGauge(t, "concord_indicator_reporters_on_time", labels, 1)
	waitGauge(t, "concord_indicator_reporter_missed_periods", map[string]string{"namespace": ns, "name": "victims-referred", "reporter": "Border Police"}, 3)
	waitGauge(t, "concord_indicator_reporter_missed_periods", map[string]string{"namespace": ns, "name": "victims-referred", "reporter": "NGO shelter network"}, 0)
	waitGauge(t, "concord_indicator_anomaly_score", labels, 74.53) // 0.6745 x (500 - 58) / 4

	if err := k8s.Delete(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"concord_indicator_reporters_expected", "concord_indicator_reporter_missed_periods", "concord_indicator_anomaly_score"} {
		eventually(t, name+" deleted with the indicator", func() (bool, string) {
			_, ok := gauge(name, labels)
			return !ok, "still exported"
		})
	}
}
