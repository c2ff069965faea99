package evaluate

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func TestRegularOver(t *testing.T) {
	day := 24 * time.Hour
	interval := 90 * day
	q3, q3end := mechDate(2026, 7, 1), mechDate(2026, 10, 1)
	cases := []struct {
		name     string
		meetings []time.Time
		from, to time.Time
		regular  bool
		until    time.Time
	}{
		{"no meetings", nil, q3, q3end, false, time.Time{}},
		{"covered from the previous period, then meetings exactly 90 days apart", []time.Time{
			mechDate(2026, 5, 1), mechDate(2026, 5, 1).Add(interval), mechDate(2026, 5, 1).Add(2 * interval),
		}, q3, q3end, true, mechDate(2026, 5, 1).Add(2 * interval)},
		{"a gap one second longer than 90 days", []time.Time{
			mechDate(2026, 5, 1), mechDate(2026, 5, 1).Add(interval + time.Second),
		}, q3, q3end, false, mechDate(2026, 5, 1).Add(interval)},
		{"the period starts uncovered: the first meeting comes a day in", []time.Time{q3.Add(day)}, q3, q3end, false, time.Time{}},
		{"a meeting exactly at the period's start covers it", []time.Time{q3}, q3, q3end, false, q3.Add(interval)},
		{"a meeting at the start and one 90 days later", []time.Time{q3, q3.Add(interval)}, q3, q3end, true, q3.Add(2 * interval)},
		{"cover ends exactly at the period's end", []time.Time{q3end.Add(-2 * interval), q3end.Add(-interval)}, q3, q3end, true, q3end},
		{"cover ends one second before the period's end", []time.Time{q3end.Add(-2*interval - time.Second), q3end.Add(-interval - time.Second)}, q3, q3end, false,
			q3end.Add(-time.Second)},
		{"meetings after the period do not count", []time.Time{mechDate(2026, 1, 1), q3end}, q3, q3end, false, mechDate(2026, 1, 1).Add(interval)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ok, until := regularOver(tc.meetings, interval, tc.from, tc.to)
			if ok != tc.regular || !until.Equal(tc.until) {
				t.Errorf("regularOver = %v until %v, want %v until %v", ok, until, tc.regular, tc.until)
			}
		})
	}
}

// meetingsIndicator is seed 000's "Regular taskforce meetings are held:
// Yes/True", backed by the task force's meeting evidence.
func meetingsIndicator(which v1alpha1.MechanismCondition) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: mechNS, Name: "meetings-regular", Generation: 1,
			CreationTimestamp: metav1.NewTime(mechDate(2026, 1, 10))},
		Spec: v1alpha1.IndicatorSpec{
			Title: "Regular taskforce meetings are held", Area: v1alpha1.AreaPartnership,
			MechanismRef: &v1alpha1.LocalObjectReference{Name: "ntf"},
			Measure:      v1alpha1.Measure{Type: v1alpha1.MeasureBoolean, FromMechanism: which},
			Cadence:      v1alpha1.CadenceQuarterly, Aggregation: v1alpha1.AggregationPerPeriod,
			Baseline: &v1alpha1.Baseline{Period: "2025-Q4", Value: "false"},
			Target:   &v1alpha1.Target{Operator: v1alpha1.OperatorEquals, Value: "true", Deadline: "2026-Q4"},
		},
	}
}

func TestMeetingsRegularBackedIndicator(t *testing.T) {
	verified := v1alpha1.ConditionVerified
	// Minutes every 90 days from 2025-12-20 cover 2026-Q1 and Q2; the
	// next meeting comes 5 days late, so Q3 has a gap and is false.
	m1 := mechDate(2025, 12, 20)
	minutes := []v1alpha1.Evidence{
		mechMinutes("m1", m1, verified),
		mechMinutes("m2", m1.Add(90*24*time.Hour), verified),
		mechMinutes("m3", m1.Add(180*24*time.Hour), verified),
		mechMinutes("m4", m1.Add(275*24*time.Hour), verified),
		mechMinutes("m5", m1.Add(365*24*time.Hour), verified), // after the first evaluation: not counted then
		mechMinutes("unverified", m1.Add(270*24*time.Hour)),
		mechMinutes("forged", mechDate(2999, 1, 1), verified),
		mechEvidence("not-minutes", m1.Add(270*24*time.Hour), verified),
	}
	in := IndicatorInput{Indicator: meetingsIndicator(v1alpha1.ConditionMeetingsRegular), MechanismFound: true, Mechanism: mechObj(), MechanismEvidence: minutes}
	now := mechDate(2026, 10, 20)
	st, next := Indicator(in, now)
	want := map[string]string{"2026-Q4": "true", "2026-Q3": "false", "2026-Q2": "true", "2026-Q1": "true", "2025-Q4": "false"} // 2025-Q4: the baseline
	for _, h := range st.History {
		if w, ok := want[string(h.Period)]; ok && h.Value != w {
			t.Errorf("history %s = %q, want %q", h.Period, h.Value, w)
		}
	}
	if st.Current == nil || st.Current.Period != "2026-Q3" || st.Current.Value != "false" || st.Current.Measurements != 0 {
		t.Errorf("current = %+v, want false in 2026-Q3 (the latest closed period)", st.Current)
	}
	rsnCheck(t, st.Conditions,
		rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil},
		rsnWant{v1alpha1.ConditionTargetMet, stFalse, v1alpha1.ReasonTargetNotReached, []string{"false against a target of true"}},
		rsnWant{v1alpha1.ConditionEvidenceMissing, stFalse, v1alpha1.ReasonEvidenceComplete, []string{`Values come from CooperationMechanism "ntf"'s MeetingsRegular`}},
		rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, []string{"Every due period from 2026-Q1 to 2026-Q2 has a value computed from the mechanism's minutes"}})
	// Q3 falls due before m4's cover of the open period ends.
	if wantNext := mechDate(2026, 10, 31).Add(time.Nanosecond); !next.Equal(wantNext) {
		t.Errorf("next = %v, want just after Q3's grace %v", next, wantNext)
	}
	_, next = Indicator(in, mechDate(2026, 11, 5))
	if wantNext := m1.Add(365 * 24 * time.Hour); !next.Equal(wantNext) {
		t.Errorf("next = %v, want the end of the newest minutes' cover %v", next, wantNext)
	}
	st, _ = Indicator(in, mechDate(2027, 1, 5))
	if st.Current == nil || st.Current.Period != "2026-Q4" || st.Current.Value != "true" {
		t.Errorf("after 2026-Q4 closes: current = %+v, want true in 2026-Q4", st.Current)
	}
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, stTrue, v1alpha1.ReasonTargetReached, nil})
}

func TestMechanismBackedFacts(t *testing.T) {
	sop := mechEvidence("sop", mechDate(2026, 2, 1), v1alpha1.ConditionVerified)
	now := mechDate(2026, 7, 1)
	cases := []struct {
		name  string
		which v1alpha1.MechanismCondition
		mech  *v1alpha1.CooperationMechanism
		value string
	}{
		{"formalized by a verified SOP", v1alpha1.ConditionFormalized, mechObj(), "true"},
		{"not formalized without instruments", v1alpha1.ConditionFormalized, mechObj(func(m *v1alpha1.CooperationMechanism) { m.Spec.Instruments = nil }), "false"},
		{"roles defined", v1alpha1.ConditionRolesDefined, mechObj(), "true"},
		{"a sector missing", v1alpha1.ConditionSectorsRepresented, mechObj(func(m *v1alpha1.CooperationMechanism) {
			m.Spec.RequiredSectors = append(m.Spec.RequiredSectors, "Academia")
		}), "false"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := IndicatorInput{Indicator: meetingsIndicator(tc.which), MechanismFound: true, Mechanism: tc.mech, MechanismEvidence: []v1alpha1.Evidence{sop}}
			st, _ := Indicator(in, now)
			if st.Current == nil || st.Current.Period != "2026-Q3" || !st.Current.Provisional || st.Current.Value != tc.value {
				t.Fatalf("current = %+v, want %s in the open period 2026-Q3", st.Current, tc.value)
			}
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonNothingDue,
				[]string{`Values come from CooperationMechanism "ntf"'s ` + string(tc.which) + " condition"}})
		})
	}
}

func TestMechanismBackedWithoutMechanism(t *testing.T) {
	in := IndicatorInput{Indicator: meetingsIndicator(v1alpha1.ConditionMeetingsRegular), MechanismFound: false}
	st, _ := Indicator(in, mechDate(2026, 7, 1))
	rsnCheck(t, st.Conditions,
		rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonMechanismNotFound, []string{`CooperationMechanism "ntf" does not exist`}},
		rsnWant{v1alpha1.ConditionTargetMet, stUnknown, v1alpha1.ReasonNoData, nil})
	if st.Current != nil {
		t.Errorf("current = %+v without a mechanism", st.Current)
	}
}

func TestMeetingsBackedWithoutMeetingsSpec(t *testing.T) {
	mech := mechObj(func(m *v1alpha1.CooperationMechanism) { m.Spec.Meetings = nil })
	in := IndicatorInput{Indicator: meetingsIndicator(v1alpha1.ConditionMeetingsRegular), MechanismFound: true, Mechanism: mech}
	st, _ := Indicator(in, mechDate(2026, 7, 1))
	if st.Current == nil || st.Current.Value != "false" {
		t.Errorf("current = %+v, want false: without spec.meetings no meeting is regular", st.Current)
	}
	for _, h := range st.History {
		if h.Value == "true" {
			t.Errorf("history %s is true without spec.meetings", h.Period)
		}
	}
	if !strings.Contains(string(st.Current.Period), "2026-Q2") {
		t.Errorf("current period %s, want 2026-Q2", st.Current.Period)
	}
}

// TestMechanismBackedLatest: a standing fact with Latest aggregation takes
// the newest computed value (there is no report to take it from).
func TestMechanismBackedLatest(t *testing.T) {
	ind := meetingsIndicator(v1alpha1.ConditionFormalized)
	ind.Spec.Cadence, ind.Spec.Aggregation = v1alpha1.CadenceAnnual, v1alpha1.AggregationLatest
	ind.Spec.Baseline, ind.Spec.Target = &v1alpha1.Baseline{Period: "2024", Value: "false"}, &v1alpha1.Target{Operator: v1alpha1.OperatorEquals, Value: "true", Deadline: "2025"}
	sop := mechEvidence("sop", mechDate(2026, 2, 1), v1alpha1.ConditionVerified)
	st, _ := Indicator(IndicatorInput{Indicator: ind, MechanismFound: true, Mechanism: mechObj(), MechanismEvidence: []v1alpha1.Evidence{sop}}, mechDate(2026, 7, 1))
	if st.Current == nil || st.Current.Value != "true" || st.Current.Period != "2026" {
		t.Fatalf("current = %+v, want true in 2026", st.Current)
	}
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, stTrue, v1alpha1.ReasonTargetReached, nil})
}
