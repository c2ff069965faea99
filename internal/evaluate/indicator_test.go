package evaluate

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dec(s string) *v1alpha1.Decimal { d := v1alpha1.Decimal(s); return &d }

func i32(v int32) *int32 { return &v }

// victimsReferred is the indicator of DESIGN.md: +25% on a baseline of 40.
func victimsReferred() *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Name: "victims-referred", Namespace: "protection", Generation: 1,
			CreationTimestamp: metav1.NewTime(at("2026-01-10T00:00:00Z"))},
		Spec: v1alpha1.IndicatorSpec{
			Title: "Victims referred", Area: v1alpha1.AreaProtection,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "persons"}, Cadence: v1alpha1.CadenceQuarterly,
			Aggregation: v1alpha1.AggregationPerPeriod,
			Baseline:    &v1alpha1.Baseline{Period: "2025-Q4", Value: "40"},
			Target:      &v1alpha1.Target{Operator: v1alpha1.OperatorIncreaseByPercent, Value: "25", Deadline: "2026-Q4"},
			Verification: &v1alpha1.Verification{Methods: []v1alpha1.VerificationMethod{v1alpha1.MethodRecordsReview},
				MethodsRequired: v1alpha1.MethodsAll, Level: v1alpha1.LevelDeclared, MinSources: 1},
			ReportingGraceDays: i32(30),
		},
	}
}

func report(name, period, value, reporter, reported string, evidence ...v1alpha1.InlineEvidence) v1alpha1.Measurement {
	t := metav1.NewTime(at(reported))
	return v1alpha1.Measurement{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "protection", Generation: 1, CreationTimestamp: t},
		Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "victims-referred"},
			Period: v1alpha1.Period(period), Value: dec(value), Reporter: reporter, ReportTime: &t, Evidence: evidence},
	}
}

var records = v1alpha1.InlineEvidence{Method: v1alpha1.MethodRecordsReview, Description: "Shelter case records"}

func cond(t *testing.T, conds []metav1.Condition, typ string) metav1.Condition {
	t.Helper()
	c := meta.FindStatusCondition(conds, typ)
	if c == nil {
		t.Fatalf("condition %s missing from %v", typ, conds)
	}
	return *c
}

func expectCond(t *testing.T, conds []metav1.Condition, typ string, status metav1.ConditionStatus, reason string) metav1.Condition {
	t.Helper()
	c := cond(t, conds, typ)
	if c.Status != status || c.Reason != reason {
		t.Errorf("%s = %s/%s (%s), want %s/%s", typ, c.Status, c.Reason, c.Message, status, reason)
	}
	return c
}

func TestIndicatorLife(t *testing.T) {
	ind := victimsReferred()
	now := at("2026-02-01T00:00:00Z")
	st, next := Indicator(IndicatorInput{Indicator: ind}, now)
	expectCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)
	expectCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionFalse, v1alpha1.ReasonEvaluated)
	expectCond(t, st.Conditions, v1alpha1.ConditionTargetMet, metav1.ConditionUnknown, v1alpha1.ReasonNoData)
	expectCond(t, st.Conditions, v1alpha1.ConditionEvidenceMissing, metav1.ConditionUnknown, v1alpha1.ReasonNoData)
	expectCond(t, st.Conditions, v1alpha1.ConditionDataOverdue, metav1.ConditionFalse, v1alpha1.ReasonNothingDue)
	expectCond(t, st.Conditions, v1alpha1.ConditionOnTrack, metav1.ConditionUnknown, v1alpha1.ReasonNoData)
	if st.TargetValue != "50" || st.ObservedGeneration != 1 || len(st.History) != 2 || st.History[0].Period != "2026-Q1" || !st.History[1].Baseline {
		t.Errorf("targetValue %q, observedGeneration %d, history %v", st.TargetValue, st.ObservedGeneration, st.History)
	}
	if want := at("2026-04-01T00:00:00Z"); !next.Equal(want) {
		t.Errorf("next = %v, want the close of 2026-Q1 %v", next, want)
	}

	// A Q1 report without evidence: provisional until Q1 closes, then final.
	ms := []v1alpha1.Measurement{report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")}
	now = at("2026-04-10T00:00:00Z")
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	met := expectCond(t, st.Conditions, v1alpha1.ConditionTargetMet, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)
	if !strings.Contains(met.Message, "52 is 30% above the baseline 40; target +25% (50)") {
		t.Errorf("TargetMet message %q", met.Message)
	}
	expectCond(t, st.Conditions, v1alpha1.ConditionEvidenceMissing, metav1.ConditionTrue, v1alpha1.ReasonNoEvidence)
	if st.Current == nil || st.Current.Value != "52" || st.Current.Provisional || st.Progress != "120" {
		t.Errorf("current %+v progress %q", st.Current, st.Progress)
	}

	// Evidence added: EvidenceMissing False.
	ms[0].Spec.Evidence = []v1alpha1.InlineEvidence{records}
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	expectCond(t, st.Conditions, v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, v1alpha1.ReasonEvidenceComplete)

	// Q2 closes without data; once its grace has ended (the first instant
	// after it) it is overdue.
	graceEnd := at("2026-07-31T00:00:00Z")
	dueAt := graceEnd.Add(time.Nanosecond)
	st, next = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, graceEnd)
	expectCond(t, st.Conditions, v1alpha1.ConditionDataOverdue, metav1.ConditionFalse, v1alpha1.ReasonReportedOnTime)
	if !next.Equal(dueAt) {
		t.Errorf("next = %v, want just after the end of Q2's grace %v", next, dueAt)
	}
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, dueAt)
	od := expectCond(t, st.Conditions, v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported)
	if !strings.Contains(od.Message, "2026-Q2") {
		t.Errorf("DataOverdue message %q", od.Message)
	}

	// A correction from the same reporter supersedes the first report.
	ms = append(ms, report("q1-fix", "2026-Q1", "41", "NGO", "2026-04-20T00:00:00Z", records))
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	expectCond(t, st.Conditions, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached)
	// 41 is behind the straight line from 40 (2025-Q4) to 50 (2026-Q4): 42.5 in Q1.
	ot := expectCond(t, st.Conditions, v1alpha1.ConditionOnTrack, metav1.ConditionFalse, v1alpha1.ReasonBehindTrajectory)
	if !strings.Contains(ot.Message, "42.5") {
		t.Errorf("OnTrack message %q", ot.Message)
	}
	mst, _ := Measurement(MeasurementInput{Measurement: &ms[0], Indicator: ind, Siblings: ms}, now)
	sup := expectCond(t, mst.Conditions, v1alpha1.ConditionSuperseded, metav1.ConditionTrue, v1alpha1.ReasonNewerReport)
	if !strings.Contains(sup.Message, `"q1-fix"`) {
		t.Errorf("Superseded message %q", sup.Message)
	}
}

func TestReportersCombine(t *testing.T) {
	ind := victimsReferred()
	now := at("2026-04-10T00:00:00Z")
	ms := []v1alpha1.Measurement{
		report("a", "2026-Q1", "30", "NGO", "2026-04-02T00:00:00Z", records),
		report("b", "2026-Q1", "22", "Police", "2026-04-03T00:00:00Z", records),
	}
	st, _ := Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	if st.Current.Value != "52" || st.Current.Reporters != 2 || st.Current.Measurements != 2 {
		t.Errorf("sum of reporters: %+v", st.Current)
	}
	ind.Spec.ConsolidatedBy = "Police"
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	if st.Current.Value != "22" || st.Current.Reporters != 1 {
		t.Errorf("consolidated: %+v", st.Current)
	}
}

func TestDeadlineMissed(t *testing.T) {
	ind := victimsReferred()
	ms := []v1alpha1.Measurement{report("q4", "2026-Q4", "41", "NGO", "2027-01-05T00:00:00Z", records)}
	st, _ := Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, at("2027-01-01T00:00:00Z"))
	expectCond(t, st.Conditions, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonDeadlineMissed)
	st, _ = Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, at("2026-12-31T23:59:59Z"))
	expectCond(t, st.Conditions, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached)
}

func TestMechanismNotFoundMakesReadyFalse(t *testing.T) {
	ind := victimsReferred()
	ind.Spec.MechanismRef = &v1alpha1.LocalObjectReference{Name: "nrm"}
	st, _ := Indicator(IndicatorInput{Indicator: ind}, at("2026-02-01T00:00:00Z"))
	expectCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonMechanismNotFound)
	expectCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionFalse, v1alpha1.ReasonEvaluated)
}

func TestInvalidSpecMakesEverythingUnknown(t *testing.T) {
	ind := victimsReferred()
	ind.Spec.Baseline.Value = "0" // CEL refuses it; offline input may still carry it
	st, next := Indicator(IndicatorInput{Indicator: ind}, at("2026-02-01T00:00:00Z"))
	expectCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonInvalidSpec)
	expectCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec)
	for _, typ := range indicatorConditionTypes {
		expectCond(t, st.Conditions, typ, metav1.ConditionUnknown, v1alpha1.ReasonNotEvaluated)
	}
	if !next.IsZero() {
		t.Errorf("an invalid spec requeues at %v", next)
	}
}

func TestMeasurementAcceptance(t *testing.T) {
	now := at("2026-04-10T00:00:00Z")
	cases := map[string]struct {
		mutate func(ind *v1alpha1.Indicator, m *v1alpha1.Measurement)
		reason string
	}{
		"valid":              {func(*v1alpha1.Indicator, *v1alpha1.Measurement) {}, v1alpha1.ReasonValid},
		"monthly period":     {func(_ *v1alpha1.Indicator, m *v1alpha1.Measurement) { m.Spec.Period = "2026-03" }, v1alpha1.ReasonPeriodMismatch},
		"not started":        {func(_ *v1alpha1.Indicator, m *v1alpha1.Measurement) { m.Spec.Period = "2026-Q3" }, v1alpha1.ReasonPeriodMismatch},
		"fraction for count": {func(_ *v1alpha1.Indicator, m *v1alpha1.Measurement) { m.Spec.Value = dec("5.5") }, v1alpha1.ReasonValueInvalid},
		"ratio terms for count": {func(_ *v1alpha1.Indicator, m *v1alpha1.Measurement) {
			m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator = nil, dec("1"), dec("2")
		}, v1alpha1.ReasonValueInvalid},
		"undeclared dimension": {func(_ *v1alpha1.Indicator, m *v1alpha1.Measurement) {
			m.Spec.Breakdown = []v1alpha1.BreakdownCell{{Categories: map[string]v1alpha1.Category{"colour": "red"}, Value: dec("52")}}
		}, v1alpha1.ReasonBreakdownInconsistent},
		"required cells do not sum": {func(ind *v1alpha1.Indicator, m *v1alpha1.Measurement) {
			ind.Spec.Disaggregations = []v1alpha1.Disaggregation{{Dimension: "gender", Categories: []string{"female", "male"}, Required: true}}
			m.Spec.Breakdown = []v1alpha1.BreakdownCell{{Categories: map[string]v1alpha1.Category{"gender": "female"}, Value: dec("30")}}
		}, v1alpha1.ReasonBreakdownInconsistent},
		"unknown category": {func(ind *v1alpha1.Indicator, m *v1alpha1.Measurement) {
			ind.Spec.Disaggregations = []v1alpha1.Disaggregation{{Dimension: "gender", Categories: []string{"female", "male"}}}
			m.Spec.Breakdown = []v1alpha1.BreakdownCell{{Categories: map[string]v1alpha1.Category{"gender": "robot"}, Value: dec("52")}}
		}, v1alpha1.ReasonBreakdownInconsistent},
		"approval required": {func(ind *v1alpha1.Indicator, _ *v1alpha1.Measurement) { ind.Spec.Verification.ApprovalRequired = true }, v1alpha1.ReasonAwaitingApproval},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ind := victimsReferred()
			m := report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")
			tc.mutate(ind, &m)
			if c := Accept(ind, &m, now); c.Reason != tc.reason {
				t.Errorf("Accepted reason %s (%s), want %s", c.Reason, c.Message, tc.reason)
			}
		})
	}
	m := report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")
	st, _ := Measurement(MeasurementInput{Measurement: &m}, now)
	expectCond(t, st.Conditions, v1alpha1.ConditionAccepted, metav1.ConditionFalse, v1alpha1.ReasonIndicatorNotFound)
	expectCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonIndicatorNotFound)
	expectCond(t, st.Conditions, v1alpha1.ConditionVerified, metav1.ConditionUnknown, v1alpha1.ReasonNotAccepted)
}
