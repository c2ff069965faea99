package evaluate

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// expecting is victims-referred (quarterly, 30 days of grace: 2026-Q1 is
// due by 2026-05-01T00:00:00Z) expecting the given reporters.
func expecting(reporters ...string) *v1alpha1.Indicator {
	ind := victimsReferred()
	ind.Spec.Verification = nil
	ind.Spec.Reporting = &v1alpha1.Reporting{ExpectedReporters: reporters}
	return ind
}

// TestExpectedReporters is completeness and timeliness (Revision 2): a due
// period counts as reported only when every expected reporter has a counted
// figure for it, and a figure is on time when it was filed by the period's
// end plus reportingGraceDays.
func TestExpectedReporters(t *testing.T) {
	q1 := func(name, reporter, filed string) v1alpha1.Measurement {
		return report(name, "2026-Q1", "10", reporter, filed)
	}
	onTime := []v1alpha1.Measurement{q1("ngo", "NGO", "2026-04-05T00:00:00Z"), q1("police", "Police", "2026-04-10T00:00:00Z")}
	three := []string{"NGO", "Police", "Labour"}
	tests := []struct {
		name      string
		ind       *v1alpha1.Indicator
		ms        []v1alpha1.Measurement
		now       string
		status    metav1.ConditionStatus
		reason    string
		msg       []string
		reporting *v1alpha1.ReportingStatus
		misses    []ReporterMisses
		value     string
	}{
		{"on the last instant of the grace: on time", expecting(three...), append(onTime, q1("labour", "Labour", "2026-05-01T00:00:00Z")), "2026-05-02T00:00:00Z",
			stFalse, v1alpha1.ReasonReportedOnTime,
			[]string{"The due period 2026-Q1 has counted data from all 3 expected reporters; for 2026-Q1, 3 reported on time (by 2026-05-01T00:00:00Z) and 0 late"},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 3, Reported: 3, OnTime: 3}, []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 0}}, "30"},
		{"one second after the grace: late", expecting(three...), append(onTime, q1("labour", "Labour", "2026-05-01T00:00:01Z")), "2026-05-02T00:00:00Z",
			stFalse, v1alpha1.ReasonReportedOnTime, []string{"for 2026-Q1, 2 reported on time (by 2026-05-01T00:00:00Z) and 1 late"},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 3, Reported: 3, OnTime: 2, Late: 1}, []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 0}}, "30"},
		{"a missing reporter is named", expecting(three...), onTime, "2026-05-02T00:00:00Z",
			stTrue, v1alpha1.ReasonPeriodNotReported, []string{"No counted data for 2026-Q1 from Labour (data is due 30 days after a period closes)"},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 3, Reported: 2, OnTime: 2, Missing: 1}, []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 1}}, "20"},
		{"a refused figure does not count", expecting(three...), append(onTime, report("labour", "2026-Q1", "5.5", "Labour", "2026-04-12T00:00:00Z")), "2026-05-02T00:00:00Z",
			stTrue, v1alpha1.ReasonPeriodNotReported, []string{"from Labour"},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 3, Reported: 2, OnTime: 2, Missing: 1}, []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 1}}, "20"},
		{"periods missed in a row, by period", expecting(three...), []v1alpha1.Measurement{
			q1("ngo-1", "NGO", "2026-04-05T00:00:00Z"), q1("police-1", "Police", "2026-04-05T00:00:00Z"), q1("labour-1", "Labour", "2026-04-05T00:00:00Z"),
			report("ngo-2", "2026-Q2", "10", "NGO", "2026-07-05T00:00:00Z"),
			report("ngo-3", "2026-Q3", "10", "NGO", "2026-10-05T00:00:00Z"), report("labour-3", "2026-Q3", "10", "Labour", "2026-11-05T00:00:00Z"),
		}, "2026-11-10T00:00:00Z",
			stTrue, v1alpha1.ReasonPeriodNotReported, []string{"No counted data for 2026-Q2 from Labour, Police; for 2026-Q3 from Police (data is due 30 days after a period closes)"},
			&v1alpha1.ReportingStatus{Period: "2026-Q3", Expected: 3, Reported: 2, OnTime: 1, Late: 1, Missing: 1}, []ReporterMisses{{"NGO", 0}, {"Police", 2}, {"Labour", 0}}, "20"},
		{"a reporter who is not expected counts in the value only", expecting(three...), append(onTime, q1("labour", "Labour", "2026-04-20T00:00:00Z"), q1("hotline", "Hotline", "2026-04-20T00:00:00Z")), "2026-05-02T00:00:00Z",
			stFalse, v1alpha1.ReasonReportedOnTime, []string{"all 3 expected reporters"},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 3, Reported: 3, OnTime: 3}, []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 0}}, "40"},
		{"up to 5 reporters are named", expecting("A", "B", "C", "D", "E", "F", "G"), nil, "2026-05-02T00:00:00Z",
			stTrue, v1alpha1.ReasonPeriodNotReported, []string{"No counted data for 2026-Q1 from A, B, C, D, E and 2 more ("},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 7, Missing: 7}, []ReporterMisses{{"A", 1}, {"B", 1}, {"C", 1}, {"D", 1}, {"E", 1}, {"F", 1}, {"G", 1}}, ""},
		{"a correction keeps the first figure's timeliness", expecting(three...), append(onTime, q1("labour", "Labour", "2026-04-20T00:00:00Z"), report("labour-fix", "2026-Q1", "12", "Labour", "2026-06-01T00:00:00Z")), "2026-06-02T00:00:00Z",
			stFalse, v1alpha1.ReasonReportedOnTime, []string{"3 reported on time"},
			&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 3, Reported: 3, OnTime: 3}, []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 0}}, "32"},
		{"nothing due", expecting(three...), onTime, "2026-04-15T00:00:00Z", stFalse, v1alpha1.ReasonNothingDue, []string{"No period is due yet"}, nil, nil, "20"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _, sig := IndicatorWithSignals(IndicatorInput{Indicator: tc.ind, Measurements: tc.ms}, at(tc.now))
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, tc.status, tc.reason, tc.msg})
			if !reflect.DeepEqual(st.Reporting, tc.reporting) {
				t.Errorf("status.reporting %+v, want %+v", st.Reporting, tc.reporting)
			}
			if !reflect.DeepEqual(sig.Reporters, tc.misses) {
				t.Errorf("reporter misses %+v, want %+v", sig.Reporters, tc.misses)
			}
			if v := ""; st.Current != nil && st.Current.Value != tc.value || st.Current == nil && tc.value != v {
				t.Errorf("current %+v, want value %q", st.Current, tc.value)
			}
		})
	}
}

// TestExpectedReportersUnderConsolidation: with consolidatedBy, only the
// consolidator's figure sets the value, but an expected reporter's
// contribution counts as reported; a period without the consolidator's
// figure has no value, and DataOverdue names the consolidator.
func TestExpectedReportersUnderConsolidation(t *testing.T) {
	ind := expecting("NGO", "Police")
	ind.Spec.ConsolidatedBy = "Secretariat"
	ms := []v1alpha1.Measurement{
		report("ngo", "2026-Q1", "30", "NGO", "2026-04-05T00:00:00Z"),
		report("police", "2026-Q1", "22", "Police", "2026-04-06T00:00:00Z"),
	}
	now := at("2026-05-02T00:00:00Z")
	st, _ := Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stTrue, v1alpha1.ReasonPeriodNotReported, []string{"No counted data for 2026-Q1 from Secretariat ("}})
	if want := (&v1alpha1.ReportingStatus{Period: "2026-Q1", Expected: 2, Reported: 2, OnTime: 2}); !reflect.DeepEqual(st.Reporting, want) {
		t.Errorf("status.reporting %+v, want %+v", st.Reporting, want)
	}
	if st.Current != nil {
		t.Errorf("contributions set a value: %+v", st.Current)
	}
	ms = append(ms, report("secretariat", "2026-Q1", "50", "Secretariat", "2026-04-25T00:00:00Z"))
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, []string{"both expected reporters"}})
	if st.Current == nil || st.Current.Value != "50" || st.Current.Reporters != 1 {
		t.Errorf("current %+v, want the consolidator's 50", st.Current)
	}
}

// TestExpectedReportersWithLatest: with Latest aggregation only the last
// due period is due, for the completeness of every reporter too.
func TestExpectedReportersWithLatest(t *testing.T) {
	ind := expecting("NGO", "Police", "Labour")
	ind.Spec.Aggregation = v1alpha1.AggregationLatest
	ms := []v1alpha1.Measurement{
		report("ngo-1", "2026-Q1", "10", "NGO", "2026-04-05T00:00:00Z"),
		report("ngo-3", "2026-Q3", "10", "NGO", "2026-10-05T00:00:00Z"),
		report("police-3", "2026-Q3", "10", "Police", "2026-10-06T00:00:00Z"),
	}
	st, _, sig := IndicatorWithSignals(IndicatorInput{Indicator: ind, Measurements: ms}, at("2026-11-10T00:00:00Z"))
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stTrue, v1alpha1.ReasonPeriodNotReported, []string{"No counted data for 2026-Q3 from Labour ("}})
	if want := []ReporterMisses{{"NGO", 0}, {"Police", 0}, {"Labour", 1}}; !reflect.DeepEqual(sig.Reporters, want) {
		t.Errorf("misses %+v, want %+v", sig.Reporters, want)
	}
	if st.Reporting == nil || st.Reporting.Period != "2026-Q3" || st.Reporting.Missing != 1 {
		t.Errorf("status.reporting %+v", st.Reporting)
	}
}

// TestExpectedReportersLimits: up to 5 periods are named, and status and
// signals go when the spec no longer expects reporters.
func TestExpectedReportersLimits(t *testing.T) {
	ind := expecting("NGO")
	ind.Spec.ReportingStart = "2025-Q1"
	st, _ := Indicator(IndicatorInput{Indicator: ind}, at("2026-11-10T00:00:00Z"))
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stTrue, v1alpha1.ReasonPeriodNotReported,
		[]string{"No counted data for 2025-Q1 from NGO; for 2025-Q2 from NGO; for 2025-Q3 from NGO; for 2025-Q4 from NGO; for 2026-Q1 from NGO; and 2 more periods ("}})

	ind.Status = st
	ind.Spec.Reporting = nil
	st, _, sig := IndicatorWithSignals(IndicatorInput{Indicator: ind}, at("2026-11-10T00:00:00Z"))
	if st.Reporting != nil || sig.Reporters != nil {
		t.Errorf("without expected reporters: status.reporting %+v, misses %+v", st.Reporting, sig.Reporters)
	}
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stTrue, v1alpha1.ReasonPeriodNotReported, []string{"No counted data for 2025-Q1, 2025-Q2, 2025-Q3, 2025-Q4, 2026-Q1 and 2 more"}})
}

// TestOfflineFilingTime: offline, a Measurement without reportTime and
// without creationTimestamp is filed at the evaluation time, as if the
// manifests were applied then.
func TestOfflineFilingTime(t *testing.T) {
	ind := expecting("NGO")
	m := report("ngo", "2026-Q1", "10", "NGO", "2026-04-05T00:00:00Z")
	m.Spec.ReportTime, m.CreationTimestamp = nil, metav1.Time{}
	for now, want := range map[string]*v1alpha1.ReportingStatus{
		"2026-05-01T00:00:00Z": nil, // not due yet
		"2026-05-01T00:00:01Z": {Period: "2026-Q1", Expected: 1, Reported: 1, Late: 1},
	} {
		st, _ := Indicator(IndicatorInput{Indicator: ind, Measurements: []v1alpha1.Measurement{m}}, at(now))
		if !reflect.DeepEqual(st.Reporting, want) {
			t.Errorf("at %s: status.reporting %+v, want %+v", now, st.Reporting, want)
		}
	}
}

// TestReportingHistory is the report's per-reporter record: the due
// periods of the 12 newest up to now, with each reporter's standing.
func TestReportingHistory(t *testing.T) {
	ind := expecting("NGO", "Police")
	ms := []v1alpha1.Measurement{
		report("ngo-1", "2026-Q1", "10", "NGO", "2026-04-05T00:00:00Z"),
		report("ngo-2", "2026-Q2", "10", "NGO", "2026-08-05T00:00:00Z"),
		report("police-1", "2026-Q1", "10", "Police", "2026-04-05T00:00:00Z"),
		report("police-2", "2026-Q2", "10", "Police", "2026-07-05T00:00:00Z"),
		report("police-2-fix", "2026-Q2", "12", "Police", "2026-09-05T00:00:00Z"),
	}
	var accepted []*v1alpha1.Measurement
	for k := range ms {
		accepted = append(accepted, &ms[k])
	}
	r, ok := ReportingHistory(ind, accepted, at("2026-11-10T00:00:00Z"))
	if !ok {
		t.Fatal("no record")
	}
	if got := []string{r.Due[0].String(), r.Due[len(r.Due)-1].String()}; !reflect.DeepEqual(got, []string{"2026-Q1", "2026-Q3"}) {
		t.Errorf("due %v", r.Due)
	}
	for i, want := range [][3]int{{1, 1, 1}, {2, 0, 1}} {
		on, late, missing := r.Tally(i)
		if [3]int{on, late, missing} != want {
			t.Errorf("%s: on time %d, late %d, missing %d; want %v", r.Expected[i], on, late, missing, want)
		}
	}
	if _, ok := ReportingHistory(victimsReferred(), accepted, at("2026-11-10T00:00:00Z")); ok {
		t.Error("a record without expected reporters")
	}
	// Only the periods of the history's span: from 2024-Q1 to 2026-Q4 on
	// 2026-11-10, so 2023 is left out.
	ind.Spec.ReportingStart = "2023-Q1"
	if r, _ = ReportingHistory(ind, accepted, at("2026-11-10T00:00:00Z")); r.Due[0].String() != "2024-Q1" || len(r.Due) != 11 {
		t.Errorf("due %v, want 2024-Q1 to 2026-Q3", r.Due)
	}
}

// FuzzExpectedReporters evaluates random measurement sets against three
// expected reporters (r0 and r1 report, r3 never does): the counts of
// status.reporting add up, a missing reporter makes DataOverdue True and is
// named, and the missed-periods signal of r3 counts every due period.
func FuzzExpectedReporters(f *testing.F) {
	f.Add([]byte{0, 52, 1, 0, 4, 40, 2, 1}, uint8(0), uint16(400))
	f.Add([]byte{8, 17, 0, 0, 9, 3, 1, 0}, uint8(1), uint16(700))
	f.Add([]byte{}, uint8(2), uint16(900))
	f.Fuzz(func(t *testing.T, data []byte, agg uint8, days uint16) {
		ind := expecting("r0", "r1", "r3")
		ind.Spec.ReportingStart = "2025-Q1"
		ind.Spec.Aggregation = fuzzAggregations[int(agg)%len(fuzzAggregations)]
		ms := fuzzMeasurements(data)
		now := at("2025-06-01T00:00:00Z").Add(time.Duration(days) * 24 * time.Hour)
		st, next, sig := IndicatorWithSignals(IndicatorInput{Indicator: ind, Measurements: ms}, now)
		checkInvariants(t, ind, ms, st, next, now)
		r := st.Reporting
		if r == nil {
			if sig.Reporters != nil {
				t.Fatalf("signals %+v without status.reporting", sig.Reporters)
			}
			return
		}
		if r.Expected != 3 || r.Reported != r.OnTime+r.Late || r.Missing != r.Expected-r.Reported || r.Missing < 1 {
			t.Fatalf("status.reporting %+v does not add up (r3 never reports)", r)
		}
		od := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionDataOverdue)
		if od.Status != metav1.ConditionTrue || !strings.Contains(od.Message, "r3") {
			t.Fatalf("r3 is missing, DataOverdue %s %q", od.Status, od.Message)
		}
		if len(sig.Reporters) != 3 || sig.Reporters[2].Missed < 1 || sig.Reporters[0].Missed > sig.Reporters[2].Missed {
			t.Fatalf("misses %+v", sig.Reporters)
		}
		if a := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionAnomalous); (a.Status == metav1.ConditionUnknown) != (sig.AnomalyScore == "") {
			t.Fatalf("Anomalous %s with score %q", a.Status, sig.AnomalyScore)
		}
	})
}
