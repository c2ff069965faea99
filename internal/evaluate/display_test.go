package evaluate

import (
	"math/big"
	"testing"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// TestProgressAgreesWithShownValues: progress is computed from the figures
// status shows (current.value and targetValue, rounded half-even to 2
// places) and spec.baseline.value, so that recomputing it from them gives
// the same number.
func TestProgressAgreesWithShownValues(t *testing.T) {
	ratio := v1alpha1.Measure{Type: v1alpha1.MeasureRatio}
	cases := []struct {
		name               string
		measure            v1alpha1.Measure
		baseline           string
		op                 v1alpha1.TargetOperator
		target, got        string
		value, targetShown string
		progress           string
	}{
		// 50/3 = 16.666... is shown 16.67: progress (16.67-10)/10 = 66.7,
		// where the exact value would give 66.67.
		{"a third shown 16.67", ratio, "10", v1alpha1.OperatorAtLeast, "20", "1/6", "16.67", "20", "66.7"},
		// 2/3 of the way, shown 26.67 on a span of 30: 88.9 (exact: 88.89).
		{"two thirds", ratio, "0", v1alpha1.OperatorAtLeast, "30", "4/15", "26.67", "30", "88.9"},
		// A target shown rounded: +10% of 45.55 is 50.105, shown 50.1
		// (half-even); the value 50.1 is then 100% of the way shown.
		{"target shown rounded", irAmount, "45.55", v1alpha1.OperatorIncreaseByPercent, "10", "50.1", "50.1", "50.1", "100"},
		{"exact figures stay exact", irAmount, "40", v1alpha1.OperatorIncreaseByPercent, "25", "45", "45", "50", "50"},
		{"below the baseline", irAmount, "40", v1alpha1.OperatorAtLeast, "50", "36.004", "36", "50", "-40"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			ind.Spec.Measure, ind.Spec.Verification = tc.measure, nil
			ind.Spec.Baseline.Value = v1alpha1.Decimal(tc.baseline)
			ind.Spec.Target = &v1alpha1.Target{Operator: tc.op, Value: v1alpha1.Decimal(tc.target), Deadline: "2026-Q4"}
			ms := []v1alpha1.Measurement{irReport("q1", "2026-Q1", tc.got, "NGO", "2026-04-05T00:00:00Z")}
			st, _ := irEval(ind, ms, nil, "2026-04-10T00:00:00Z")
			if st.Current == nil || st.Current.Value != tc.value || st.TargetValue != tc.targetShown || st.Progress != tc.progress {
				t.Fatalf("current %+v, targetValue %q, progress %q; want value %q, target %q, progress %q",
					st.Current, st.TargetValue, st.Progress, tc.value, tc.targetShown, tc.progress)
			}
			if re := recomputed(t, st.Current.Value, st.TargetValue, tc.baseline); re != st.Progress {
				t.Errorf("progress %q, but the figures shown give %q", st.Progress, re)
			}
		})
	}
}

// recomputed is the progress a reader computes from status and spec.
func recomputed(t *testing.T, value, target, baseline string) string {
	t.Helper()
	v, err1 := ParseNumber(value)
	g, err2 := ParseNumber(target)
	b, err3 := ParseNumber(baseline)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("unparsable figures %q %q %q", value, target, baseline)
	}
	done := new(big.Rat).Sub(v, b)
	return FormatValue(done.Mul(done, ratHundred).Quo(done, new(big.Rat).Sub(g, b)))
}

// TestLevelShownByName: a Level indicator's status keeps the positions in
// value and targetValue (metrics parse them) and names the levels in the
// display fields the VALUE and TARGET columns show, history included.
func TestLevelShownByName(t *testing.T) {
	ind := victimsReferred()
	ind.Spec.Measure, ind.Spec.Verification = irLevel, nil
	ind.Spec.Baseline = &v1alpha1.Baseline{Period: "2025-Q4", Value: "1"}
	ind.Spec.Target = &v1alpha1.Target{Operator: v1alpha1.OperatorAtLeast, Value: "2", Deadline: "2026-Q4"}
	ms := []v1alpha1.Measurement{irReport("q1", "2026-Q1", "3", "NGO", "2026-04-05T00:00:00Z")}
	st, _ := irEval(ind, ms, nil, "2026-04-10T00:00:00Z")
	if st.Current == nil || st.Current.Value != "3" || st.Current.Display != "High" {
		t.Errorf("current = %+v, want value 3 shown High", st.Current)
	}
	if st.TargetValue != "2" || st.TargetDisplay != "Medium" {
		t.Errorf("targetValue %q targetDisplay %q, want 2 and Medium", st.TargetValue, st.TargetDisplay)
	}
	want := []v1alpha1.HistoryEntry{{Period: "2026-Q2"}, {Period: "2026-Q1", Value: "3", Display: "High", Verified: true},
		{Period: "2025-Q4", Value: "1", Display: "Low", Baseline: true}}
	if len(st.History) != len(want) {
		t.Fatalf("history = %+v, want %+v", st.History, want)
	}
	for i := range want {
		if st.History[i] != want[i] {
			t.Errorf("history[%d] = %+v, want %+v", i, st.History[i], want[i])
		}
	}
	// Other measures show the value itself.
	for _, tc := range []struct {
		m         v1alpha1.Measure
		got, want string
	}{{irBool, "true", "true"}, {irCount, "52", "52"}, {irAmount, "10.125", "10.12"}} {
		ind := victimsReferred()
		ind.Spec.Measure, ind.Spec.Verification, ind.Spec.Baseline = tc.m, nil, nil
		ind.Spec.Target = &v1alpha1.Target{Operator: v1alpha1.OperatorEquals, Value: "true"}
		if tc.m.Type != v1alpha1.MeasureBoolean {
			ind.Spec.Target.Operator, ind.Spec.Target.Value = v1alpha1.OperatorAtLeast, "60"
		}
		st, _ := irEval(ind, []v1alpha1.Measurement{irReport("q1", "2026-Q1", tc.got, "NGO", "2026-04-05T00:00:00Z")}, nil, "2026-04-10T00:00:00Z")
		if st.Current == nil || st.Current.Display != tc.want || st.Current.Value != tc.want || st.TargetDisplay != st.TargetValue {
			t.Errorf("%s: current %+v, target %q shown %q", tc.m.Type, st.Current, st.TargetValue, st.TargetDisplay)
		}
	}
}
