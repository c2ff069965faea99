package report

import (
	"math/big"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/disclosure"
	"github.com/concord-operator/concord/internal/evaluate"
)

func reporterIndicator(minCellSize int32) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "victims"},
		Spec: v1alpha1.IndicatorSpec{
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureCount}, Cadence: v1alpha1.CadenceQuarterly,
			Disaggregations: []v1alpha1.Disaggregation{{Dimension: "sex", Categories: []string{"female", "male"}}},
			Disclosure:      &v1alpha1.Disclosure{MinCellSize: minCellSize},
		},
	}
}

// countedBy is a counted Measurement of reporter r: total, female, male.
func countedBy(period, r, total, female, male string) *v1alpha1.Measurement {
	d := func(s string) *v1alpha1.Decimal { x := v1alpha1.Decimal(s); return &x }
	return &v1alpha1.Measurement{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "victims-" + period + "-" + r},
		Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "victims"}, Period: v1alpha1.Period(period), Reporter: r, Value: d(total),
			Breakdown: []v1alpha1.BreakdownCell{
				{Categories: map[string]v1alpha1.Category{"sex": "female"}, Value: d(female)},
				{Categories: map[string]v1alpha1.Category{"sex": "male"}, Value: d(male)},
			}},
		Status: v1alpha1.MeasurementStatus{Conditions: []metav1.Condition{
			{Type: v1alpha1.ConditionAccepted, Status: metav1.ConditionTrue, Reason: "Valid"},
			{Type: v1alpha1.ConditionSuperseded, Status: metav1.ConditionFalse, Reason: "LatestReport"},
		}},
	}
}

// TestByReporter: each reporter's figures of a period, decided on their
// own, and a reporter whose value the others and the period's total would
// give away withheld whole.
func TestByReporter(t *testing.T) {
	meas := []*v1alpha1.Measurement{
		countedBy("2026-Q1", "Police", "20", "12", "8"),
		countedBy("2026-Q1", "Shelters", "3", "1", "2"),
		countedBy("2026-Q1", "Inspectorate", "30", "18", "12"),
		countedBy("2026-Q2", "Police", "9", "4", "5"),
	}
	got := ByReporter(reporterIndicator(5), meas)
	type row struct{ period, reporter string }
	var order []row
	for _, p := range got {
		order = append(order, row{p.Period, p.Reporters[0]})
	}
	want := []row{{"2026-Q1", "Inspectorate"}, {"2026-Q1", "Police"}, {"2026-Q1", "Shelters"}, {"2026-Q2", "Police"}}
	if len(order) != len(want) {
		t.Fatalf("periods %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("periods %v, want %v", order, want)
		}
	}
	// The Shelters' 3 is below 5; so that 53 less the shown totals does
	// not give it, one more reporter is withheld, with all its cells.
	q1 := map[string]PeriodFigures{}
	for _, p := range got[:3] {
		q1[p.Reporters[0]] = p
	}
	if q1["Shelters"].Total.Mark != disclosure.Below {
		t.Errorf("Shelters' total %+v, want below", q1["Shelters"].Total)
	}
	withheld, shownSum := 0, new(big.Rat)
	for _, r := range []string{"Police", "Inspectorate"} {
		p := q1[r]
		if p.Total.Mark == disclosure.Shown {
			v, _ := evaluate.ParseNumber(p.Total.Value)
			shownSum.Add(shownSum, v)
			continue
		}
		withheld++
		for _, c := range p.Tables[0].Cells {
			if c.Mark == disclosure.Shown {
				t.Errorf("%s: total withheld but %s shown (%s)", r, c.Category, c.Value)
			}
		}
	}
	if withheld != 1 {
		t.Errorf("%d of Police and Inspectorate withheld, want 1: %+v", withheld, q1)
	}
	// The shown reporters' totals, with the period's total 53, leave at
	// least 5 to the withheld ones: none of them can be recovered.
	if left := new(big.Rat).Sub(big.NewRat(53, 1), shownSum); left.Cmp(big.NewRat(5, 1)) < 0 {
		t.Errorf("the withheld reporters hold %s: below 5, the shown ones give them away", left.RatString())
	}
	// A period of one reporter is that reporter's figures, as the combined
	// ones: the 4 women are withheld, and so is another cell.
	q2 := got[3]
	if q2.Total.Value != "9" || q2.Tables[0].Cells[0].Mark == disclosure.Shown || q2.Tables[0].Cells[1].Mark == disclosure.Shown {
		t.Errorf("2026-Q2: %+v", q2)
	}
	// Without disclosure control every figure is shown.
	for _, p := range ByReporter(reporterIndicator(0), meas) {
		if p.Total.Mark != disclosure.Shown || p.Total.Value == "" {
			t.Errorf("%s %s withheld without disclosure control", p.Period, p.Reporters[0])
		}
	}
	// Derived indicators have no reporters.
	ind := reporterIndicator(5)
	ind.Spec.Derived = &v1alpha1.Derived{Operation: v1alpha1.DerivedSum}
	if got := ByReporter(ind, meas); got != nil {
		t.Errorf("derived: %v", got)
	}
}
