package evaluate

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// The derived indicators of seeds/001: the share of officials investigated
// who were disciplined, NGOs per 100,000 persons, the share of women among
// trained officers. Every indicator is quarterly, in namespace
// coordination, created 2026-01-10.

// drMeasured is an indicator that takes Measurements, without baseline,
// target or verification.
func drMeasured(name string, change ...func(*v1alpha1.Indicator)) *v1alpha1.Indicator {
	ind := &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "coordination", Generation: 1, CreationTimestamp: metav1.NewTime(at("2026-01-10T00:00:00Z"))},
		Spec: v1alpha1.IndicatorSpec{Title: name, Area: v1alpha1.AreaProsecution, Measure: irCount, Cadence: v1alpha1.CadenceQuarterly,
			Aggregation: v1alpha1.AggregationPerPeriod, ReportingGraceDays: i32(30)},
	}
	for _, c := range change {
		c(ind)
	}
	return ind
}

// drDerived is a derived indicator of the inputs.
func drDerived(name string, op v1alpha1.DerivedOperation, inputs ...v1alpha1.DerivedInput) *v1alpha1.Indicator {
	measure := irCount
	if op == v1alpha1.DerivedRatio {
		measure = irRatio
	}
	return drMeasured(name, func(i *v1alpha1.Indicator) {
		i.Spec.Measure, i.Spec.Derived = measure, &v1alpha1.Derived{Operation: op, Inputs: inputs}
	})
}

// drIn is an input; kv select categories.
func drIn(name string, kv ...string) v1alpha1.DerivedInput {
	in := v1alpha1.DerivedInput{Name: name}
	for i := 0; i+1 < len(kv); i += 2 {
		if in.Categories == nil {
			in.Categories = map[string]v1alpha1.Category{}
		}
		in.Categories[kv[i]] = v1alpha1.Category(kv[i+1])
	}
	return in
}

// drReport is a Measurement of indicator for period, reported four days
// after the period closed; got is "num/den" for a Ratio.
func drReport(indicator, period, got, reporter string, ev ...v1alpha1.InlineEvidence) v1alpha1.Measurement {
	m := irReport(indicator+"-"+strings.ToLower(period)+"-"+strings.ReplaceAll(strings.ToLower(reporter), " ", "-"), period, got, reporter, afterClose(period), ev...)
	m.Namespace, m.Spec.IndicatorRef.Name = "coordination", indicator
	return m
}

func drCells(m v1alpha1.Measurement, cells ...v1alpha1.BreakdownCell) v1alpha1.Measurement {
	m.Spec.Breakdown = cells
	return m
}

// drWorld is a namespace: its indicators and Measurements.
type drWorld struct {
	indicators []*v1alpha1.Indicator
	ms         []v1alpha1.Measurement
	evidence   map[string]*v1alpha1.Evidence
}

// input gathers what the controllers gather for root: WalkInputs over the
// namespace, each input with its Measurements.
func (w drWorld) input(t *testing.T, root *v1alpha1.Indicator) IndicatorInput {
	t.Helper()
	in := IndicatorInput{Indicator: root, Evidence: w.evidence, MechanismFound: true, Inputs: map[string]InputIndicator{}}
	for _, m := range w.ms {
		if m.Spec.IndicatorRef.Name == root.Name {
			in.Measurements = append(in.Measurements, m)
		}
	}
	err := WalkInputs(root, func(name string) (*v1alpha1.Indicator, error) {
		if _, twice := in.Inputs[name]; twice {
			t.Errorf("WalkInputs asked for %q twice", name)
		}
		for _, ind := range w.indicators {
			if ind.Name == name {
				x := InputIndicator{Indicator: ind}
				for _, m := range w.ms {
					if m.Spec.IndicatorRef.Name == name {
						x.Measurements = append(x.Measurements, m)
					}
				}
				in.Inputs[name] = x
				return ind, nil
			}
		}
		in.Inputs[name] = InputIndicator{}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func (w drWorld) eval(t *testing.T, root *v1alpha1.Indicator, now string) (v1alpha1.IndicatorStatus, time.Time) {
	t.Helper()
	return Indicator(w.input(t, root), at(now))
}

// drShareWorld is seed 001's "Proportion of formal investigations resulting
// in disciplinary action": disciplined / investigated x 100.
func drShareWorld(ms ...v1alpha1.Measurement) (drWorld, *v1alpha1.Indicator) {
	share := drDerived("share-disciplined", v1alpha1.DerivedRatio, drIn("officials-disciplined"), drIn("officials-investigated"))
	share.Spec.Baseline = &v1alpha1.Baseline{Period: "2025-Q4", Value: "20"}
	share.Spec.Target = &v1alpha1.Target{Operator: v1alpha1.OperatorAtLeast, Value: "40", Deadline: "2026-Q4"}
	return drWorld{indicators: []*v1alpha1.Indicator{share, drMeasured("officials-disciplined"), drMeasured("officials-investigated")}, ms: ms}, share
}

func drValue(t *testing.T, st v1alpha1.IndicatorStatus, period, value string) {
	t.Helper()
	if st.Current == nil {
		t.Fatalf("no current value, want %s in %s; conditions %v", value, period, st.Conditions)
	}
	if string(st.Current.Period) != period || st.Current.Value != value {
		t.Errorf("current %s in %s, want %s in %s", st.Current.Value, st.Current.Period, value, period)
	}
}

// TestDerivedOperations: Ratio, Sum and Difference per period, from the
// inputs' combined figures (reporters summed), an input's category, and
// per 100,000 persons.
func TestDerivedOperations(t *testing.T) {
	female := func(v string) v1alpha1.BreakdownCell { return mrCell(v, "gender", "female") }
	male := func(v string) v1alpha1.BreakdownCell { return mrCell(v, "gender", "male") }
	gendered := func(i *v1alpha1.Indicator) {
		i.Spec.Disaggregations = []v1alpha1.Disaggregation{{Dimension: "gender", Categories: []string{"female", "male"}}}
	}
	per100k := func(i *v1alpha1.Indicator) { i.Spec.Measure = irPer100k }
	cases := []struct {
		name        string
		root        *v1alpha1.Indicator
		inputs      []*v1alpha1.Indicator
		ms          []v1alpha1.Measurement
		period, val string
		counted     int32 // status.current.measurements
		reporters   int32
	}{
		{"Ratio of two counts, two reporters summed",
			drDerived("share", v1alpha1.DerivedRatio, drIn("disciplined"), drIn("investigated")),
			[]*v1alpha1.Indicator{drMeasured("disciplined"), drMeasured("investigated")},
			[]v1alpha1.Measurement{drReport("disciplined", "2026-Q1", "5", "Police"), drReport("disciplined", "2026-Q1", "2", "Prosecutor"),
				drReport("investigated", "2026-Q1", "24", "Inspectorate")},
			"2026-Q1", "29.17", 3, 3},
		{"NGOs per 100,000 persons",
			func() *v1alpha1.Indicator {
				d := drDerived("ngos-per-100k", v1alpha1.DerivedRatio, drIn("ngos"), drIn("population"))
				per100k(d)
				return d
			}(),
			[]*v1alpha1.Indicator{drMeasured("ngos"), drMeasured("population")},
			[]v1alpha1.Measurement{drReport("ngos", "2026-Q1", "104", "Ministry of Justice"), drReport("population", "2026-Q1", "12450000", "Statistics office")},
			"2026-Q1", "0.84", 2, 2},
		{"share of women among trained officers: a category over the value",
			drDerived("women-trained", v1alpha1.DerivedRatio, drIn("officers-trained", "gender", "female"), drIn("officers-trained")),
			[]*v1alpha1.Indicator{drMeasured("officers-trained", gendered)},
			[]v1alpha1.Measurement{drCells(drReport("officers-trained", "2026-Q1", "40", "Police academy"), female("14"), male("26")),
				drCells(drReport("officers-trained", "2026-Q1", "10", "Border academy"), female("6"), male("4"))},
			"2026-Q1", "40", 2, 2},
		{"Sum of three",
			drDerived("all-referrals", v1alpha1.DerivedSum, drIn("a"), drIn("b"), drIn("c")),
			[]*v1alpha1.Indicator{drMeasured("a"), drMeasured("b"), drMeasured("c")},
			[]v1alpha1.Measurement{drReport("a", "2026-Q1", "3", "X"), drReport("b", "2026-Q1", "4", "X"), drReport("c", "2026-Q1", "5", "Y")},
			"2026-Q1", "12", 3, 2},
		{"Sum of two categories of one input",
			drDerived("female-and-male", v1alpha1.DerivedSum, drIn("officers-trained", "gender", "female"), drIn("officers-trained", "gender", "male")),
			// One officer's gender was not recorded (total AtMost): the sum of
			// the two cells is 40, not the value 41.
			[]*v1alpha1.Indicator{drMeasured("officers-trained", gendered, func(i *v1alpha1.Indicator) {
				i.Spec.Disaggregations[0].Total = v1alpha1.TotalAtMost
			})},
			[]v1alpha1.Measurement{drCells(drReport("officers-trained", "2026-Q1", "41", "Police academy"), female("14"), male("26"))},
			"2026-Q1", "40", 1, 1},
		{"a cross cell, selected by both its categories",
			drDerived("adult-women-trained", v1alpha1.DerivedSum, drIn("officers-trained", "gender", "female", "age", "18+"), drIn("officers-trained", "gender", "male", "age", "18+")),
			[]*v1alpha1.Indicator{drMeasured("officers-trained", gendered, func(i *v1alpha1.Indicator) {
				i.Spec.Disaggregations = append(i.Spec.Disaggregations, v1alpha1.Disaggregation{Dimension: "age"})
			})},
			[]v1alpha1.Measurement{drCells(drReport("officers-trained", "2026-Q1", "40", "Police academy"),
				mrCell("12", "gender", "female", "age", "18+"), mrCell("2", "gender", "female", "age", "0-17"), mrCell("26", "gender", "male", "age", "18+"))},
			"2026-Q1", "38", 1, 1},
		{"Difference may be negative",
			drDerived("identified-not-referred", v1alpha1.DerivedDifference, drIn("referred"), drIn("identified")),
			[]*v1alpha1.Indicator{drMeasured("referred"), drMeasured("identified")},
			[]v1alpha1.Measurement{drReport("referred", "2026-Q1", "30", "X"), drReport("identified", "2026-Q1", "42", "X")},
			"2026-Q1", "-12", 2, 1},
		{"an input's consolidatedBy sets its figure",
			drDerived("share", v1alpha1.DerivedRatio, drIn("disciplined"), drIn("investigated")),
			[]*v1alpha1.Indicator{drMeasured("disciplined", func(i *v1alpha1.Indicator) { i.Spec.ConsolidatedBy = "Prosecutor" }), drMeasured("investigated")},
			[]v1alpha1.Measurement{drReport("disciplined", "2026-Q1", "5", "Police"), drReport("disciplined", "2026-Q1", "6", "Prosecutor"),
				drReport("investigated", "2026-Q1", "24", "Inspectorate")},
			"2026-Q1", "25", 2, 2},
		{"a Ratio input's value is its scaled ratio",
			drDerived("ratio-of-rates", v1alpha1.DerivedRatio, drIn("rate-a"), drIn("rate-b")),
			[]*v1alpha1.Indicator{drMeasured("rate-a", per100k), drMeasured("rate-b", per100k)},
			[]v1alpha1.Measurement{drReport("rate-a", "2026-Q1", "3/100000", "X"), drReport("rate-b", "2026-Q1", "12/200000", "X")},
			"2026-Q1", "50", 2, 1},
		{"the newest closed period every input has",
			drDerived("share", v1alpha1.DerivedRatio, drIn("disciplined"), drIn("investigated")),
			[]*v1alpha1.Indicator{drMeasured("disciplined"), drMeasured("investigated")},
			[]v1alpha1.Measurement{drReport("disciplined", "2026-Q1", "1", "X"), drReport("investigated", "2026-Q1", "4", "X"),
				drReport("disciplined", "2026-Q2", "3", "X"), drReport("investigated", "2026-Q3", "9", "X")},
			"2026-Q1", "25", 2, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := drWorld{indicators: append(tc.inputs, tc.root), ms: tc.ms}
			st, _ := w.eval(t, tc.root, "2026-10-15T00:00:00Z")
			rsnCheck(t, st.Conditions,
				rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil},
				rsnWant{v1alpha1.ConditionStalled, stFalse, v1alpha1.ReasonEvaluated, nil})
			drValue(t, st, tc.period, tc.val)
			if st.Current != nil && (st.Current.Measurements != tc.counted || st.Current.Reporters != tc.reporters) {
				t.Errorf("current counts %d measurements and %d reporters, want %d and %d", st.Current.Measurements, st.Current.Reporters, tc.counted, tc.reporters)
			}
		})
	}
}

// TestDerivedExactDecimals: values are exact rationals, compared exactly
// and rounded only for display.
func TestDerivedExactDecimals(t *testing.T) {
	amount := func(i *v1alpha1.Indicator) { i.Spec.Measure = irAmount }
	// 0.1 + 0.2 (two reporters) over 0.3 is exactly 100: a float would
	// give 100.00000000000001, above a target of at most 100.
	ratio := drDerived("spent-share", v1alpha1.DerivedRatio, drIn("spent"), drIn("budget"))
	ratio.Spec.Target = &v1alpha1.Target{Operator: v1alpha1.OperatorAtMost, Value: "100"}
	// 1/3 x 100 is 33.33 for display, and more than 33.33 for targets.
	third := drDerived("third", v1alpha1.DerivedRatio, drIn("spent"), drIn("three"))
	third.Spec.Target = &v1alpha1.Target{Operator: v1alpha1.OperatorAtLeast, Value: "33.34"}
	sum := drDerived("total", v1alpha1.DerivedSum, drIn("spent"), drIn("budget"))
	sum.Spec.Measure = irAmount
	sum.Spec.Target = &v1alpha1.Target{Operator: v1alpha1.OperatorAtMost, Value: "0.6"}
	w := drWorld{
		indicators: []*v1alpha1.Indicator{ratio, third, sum, drMeasured("spent", amount), drMeasured("budget", amount), drMeasured("three", amount)},
		ms: []v1alpha1.Measurement{drReport("spent", "2026-Q1", "0.1", "A"), drReport("spent", "2026-Q1", "0.2", "B"),
			drReport("budget", "2026-Q1", "0.3", "A"), drReport("three", "2026-Q1", "0.9", "A")},
	}
	st, _ := w.eval(t, ratio, "2026-05-01T00:00:00Z")
	drValue(t, st, "2026-Q1", "100")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, stTrue, v1alpha1.ReasonTargetReached, []string{"100 against a target of at most 100"}})
	st, _ = w.eval(t, third, "2026-05-01T00:00:00Z")
	drValue(t, st, "2026-Q1", "33.33")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, stFalse, v1alpha1.ReasonTargetNotReached, nil})
	st, _ = w.eval(t, sum, "2026-05-01T00:00:00Z")
	drValue(t, st, "2026-Q1", "0.6")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, stTrue, v1alpha1.ReasonTargetReached, nil})
}

// TestDerivedRatioDenominatorZero: a period whose denominator is 0 has no
// value, the messages say so, and it is not overdue: both inputs reported.
func TestDerivedRatioDenominatorZero(t *testing.T) {
	w, share := drShareWorld(
		drReport("officials-disciplined", "2026-Q1", "0", "Inspectorate"), drReport("officials-investigated", "2026-Q1", "0", "Inspectorate"))
	const why = `2026-Q1 has no value: the denominator, input "officials-investigated", is 0`
	st, _ := w.eval(t, share, "2026-05-15T00:00:00Z")
	if st.Current != nil || st.History[1].Period != "2026-Q1" || st.History[1].Value != "" {
		t.Errorf("current %+v, history %+v: want no value for 2026-Q1", st.Current, st.History[:2])
	}
	rsnCheck(t, st.Conditions,
		rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil},
		rsnWant{v1alpha1.ConditionTargetMet, stUnknown, v1alpha1.ReasonNoData, []string{"No period has a value yet", why}},
		rsnWant{v1alpha1.ConditionEvidenceMissing, stUnknown, v1alpha1.ReasonNoData, []string{why}},
		rsnWant{v1alpha1.ConditionOnTrack, stUnknown, v1alpha1.ReasonNoData, []string{why}},
		rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, []string{"The due period 2026-Q1 of its inputs has counted data", why}})

	// 2026-Q2 has a value: it is the current value; 2026-Q1 stays without.
	w.ms = append(w.ms, drReport("officials-disciplined", "2026-Q2", "3", "Inspectorate"), drReport("officials-investigated", "2026-Q2", "6", "Inspectorate"))
	st, _ = w.eval(t, share, "2026-08-15T00:00:00Z")
	drValue(t, st, "2026-Q2", "50")
	rsnCheck(t, st.Conditions,
		rsnWant{v1alpha1.ConditionTargetMet, stTrue, v1alpha1.ReasonTargetReached, nil},
		rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, []string{"from 2026-Q1 to 2026-Q2 has counted data", why}})
}

// TestDerivedInputNotFound: an input missing from the namespace makes the
// indicator Ready False InputNotFound, Stalled False; creating it resolves
// it.
func TestDerivedInputNotFound(t *testing.T) {
	w, share := drShareWorld(drReport("officials-disciplined", "2026-Q1", "2", "Inspectorate"), drReport("officials-investigated", "2026-Q1", "8", "Inspectorate"))
	investigated := w.indicators[2]
	w.indicators = w.indicators[:2]
	const missing = `input "officials-investigated" (spec.derived.inputs[1]) does not exist in namespace "coordination"`
	st, _ := w.eval(t, share, "2026-05-15T00:00:00Z")
	rsnCheck(t, st.Conditions,
		rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonInputNotFound, []string{missing}},
		rsnWant{v1alpha1.ConditionStalled, stFalse, v1alpha1.ReasonEvaluated, nil},
		rsnWant{v1alpha1.ConditionTargetMet, stUnknown, v1alpha1.ReasonNoData, []string{missing}},
		rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, nil})
	if st.Current != nil {
		t.Errorf("current %+v, want none", st.Current)
	}

	// Deeper in a chain: the indicator that names it says so too.
	chain := drDerived("share-of-share", v1alpha1.DerivedRatio, drIn("share-disciplined"), drIn("officials-disciplined"))
	w.indicators = append(w.indicators, chain)
	st, _ = w.eval(t, chain, "2026-05-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonInputNotFound,
		[]string{`Indicator "share-disciplined" (share-of-share -> share-disciplined): ` + missing}})

	w.indicators = append(w.indicators, investigated)
	st, _ = w.eval(t, share, "2026-05-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil})
	drValue(t, st, "2026-Q1", "25")
}

// TestDerivedCycles: a cycle makes every indicator on it, and every
// indicator that depends on it, Stalled True InvalidSpec, naming the cycle.
func TestDerivedCycles(t *testing.T) {
	x := drMeasured("x")
	cases := []struct {
		name       string
		indicators []*v1alpha1.Indicator
		root       string
		msg        string
	}{
		{"two", []*v1alpha1.Indicator{
			drDerived("a", v1alpha1.DerivedSum, drIn("x"), drIn("b")), drDerived("b", v1alpha1.DerivedSum, drIn("a"), drIn("x")), x},
			"a", "the derived inputs form a cycle: a -> b -> a"},
		{"two, from the other end", []*v1alpha1.Indicator{
			drDerived("a", v1alpha1.DerivedSum, drIn("x"), drIn("b")), drDerived("b", v1alpha1.DerivedSum, drIn("a"), drIn("x")), x},
			"b", "the derived inputs form a cycle: b -> a -> b"},
		{"three", []*v1alpha1.Indicator{
			drDerived("a", v1alpha1.DerivedSum, drIn("b"), drIn("x")), drDerived("b", v1alpha1.DerivedSum, drIn("x"), drIn("c")),
			drDerived("c", v1alpha1.DerivedDifference, drIn("x"), drIn("a")), x},
			"a", "the derived inputs form a cycle: a -> b -> c -> a"},
		{"depending on a cycle", []*v1alpha1.Indicator{
			drDerived("top", v1alpha1.DerivedSum, drIn("x"), drIn("a")),
			drDerived("a", v1alpha1.DerivedSum, drIn("x"), drIn("b")), drDerived("b", v1alpha1.DerivedSum, drIn("a"), drIn("x")), x},
			"top", `input "a" depends on a cycle of derived indicators: a -> b -> a`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := drWorld{indicators: tc.indicators, ms: []v1alpha1.Measurement{drReport("x", "2026-Q1", "3", "X")}}
			var root *v1alpha1.Indicator
			for _, i := range tc.indicators {
				if i.Name == tc.root {
					root = i
				}
			}
			st, next := w.eval(t, root, "2026-05-15T00:00:00Z")
			rsnCheck(t, st.Conditions,
				rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonInvalidSpec, []string{tc.msg}},
				rsnWant{v1alpha1.ConditionStalled, stTrue, v1alpha1.ReasonInvalidSpec, []string{tc.msg}})
			for _, typ := range indicatorConditionTypes {
				rsnCheck(t, st.Conditions, rsnWant{typ, stUnknown, v1alpha1.ReasonNotEvaluated, nil})
			}
			rsnTime(t, "next", next, "")
		})
	}
}

// TestDerivedInvalidInputs: inputs of another cadence or calendar, of a
// measure the operation cannot combine, or selecting an undeclared
// category, and chains deeper than MaxDerivedDepth are InvalidSpec.
func TestDerivedInvalidInputs(t *testing.T) {
	gendered := func(i *v1alpha1.Indicator) {
		i.Spec.Disaggregations = []v1alpha1.Disaggregation{{Dimension: "gender", Categories: []string{"female", "male"}}, {Dimension: "region"}}
	}
	set := func(f func(*v1alpha1.IndicatorSpec)) func(*v1alpha1.Indicator) {
		return func(i *v1alpha1.Indicator) { f(&i.Spec) }
	}
	cases := []struct {
		name  string
		root  *v1alpha1.Indicator
		input *v1alpha1.Indicator
		msg   string
	}{
		{"another cadence", drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b")),
			drMeasured("b", set(func(s *v1alpha1.IndicatorSpec) { s.Cadence = v1alpha1.CadenceAnnual })),
			`input "b" is Annual, not Quarterly like Indicator "d": the inputs of a derived indicator share its cadence and calendar`},
		{"another calendar", drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b")),
			drMeasured("b", set(func(s *v1alpha1.IndicatorSpec) {
				s.Calendar = &v1alpha1.Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelEnd}
			})),
			`input "b" counts years from month 7 (EndYear), not from month 1 (StartYear) like Indicator "d"`},
		{"a Percentage input", drDerived("d", v1alpha1.DerivedRatio, drIn("a"), drIn("b")),
			drMeasured("b", set(func(s *v1alpha1.IndicatorSpec) { s.Measure = irPct })),
			`input "b" is a Percentage measure: derived.operation Ratio divides Count, Amount or Ratio values`},
		{"an Amount into a Count", drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b")),
			drMeasured("b", set(func(s *v1alpha1.IndicatorSpec) { s.Measure = irAmount })),
			`input "b" is an Amount measure: a derived Count adds up Count inputs only; use measure.type Amount to add up Amounts`},
		{"a Boolean into an Amount", func() *v1alpha1.Indicator {
			d := drDerived("d", v1alpha1.DerivedDifference, drIn("a"), drIn("b"))
			d.Spec.Measure = irAmount
			return d
		}(), drMeasured("b", set(func(s *v1alpha1.IndicatorSpec) { s.Measure = irBool })),
			`input "b" is a Boolean measure: derived.operation Difference takes Count or Amount values`},
		{"an undeclared dimension", drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b", "age", "18+")),
			drMeasured("b", gendered), `input "b" declares no dimension age (it declares gender, region)`},
		{"no disaggregations", drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b", "gender", "female")),
			drMeasured("b"), `input "b" declares no disaggregations, so it has no category gender=female`},
		{"a category not in a closed dimension", drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b", "gender", "femme")),
			drMeasured("b", gendered), `"femme" is not a category of dimension gender of input "b" (female, male)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := drWorld{indicators: []*v1alpha1.Indicator{tc.root, drMeasured("a"), tc.input}}
			st, _ := w.eval(t, tc.root, "2026-05-15T00:00:00Z")
			rsnCheck(t, st.Conditions,
				rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonInvalidSpec, []string{tc.msg}},
				rsnWant{v1alpha1.ConditionStalled, stTrue, v1alpha1.ReasonInvalidSpec, nil},
				rsnWant{v1alpha1.ConditionTargetMet, stUnknown, v1alpha1.ReasonNotEvaluated, nil})
		})
	}
	t.Run("an open dimension takes any category", func(t *testing.T) {
		d := drDerived("d", v1alpha1.DerivedSum, drIn("a"), drIn("b", "region", "north"))
		w := drWorld{indicators: []*v1alpha1.Indicator{d, drMeasured("a"), drMeasured("b", gendered)}}
		st, _ := w.eval(t, d, "2026-05-15T00:00:00Z")
		rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil})
	})
}

// drChain is a chain of n derived indicators: level-0 = Sum(level-1, x),
// ..., level-(n-1) = Sum(leaf, x).
func drChain(n int) []*v1alpha1.Indicator {
	out := []*v1alpha1.Indicator{drMeasured("x"), drMeasured("leaf")}
	for i := range n {
		next := "leaf"
		if i < n-1 {
			next = "level-" + strconv.Itoa(i+1)
		}
		out = append(out, drDerived("level-"+strconv.Itoa(i), v1alpha1.DerivedSum, drIn(next), drIn("x")))
	}
	return out
}

// TestDerivedChains: an input may itself be derived; its value for a
// period is its derived value; chains are followed MaxDerivedDepth levels.
func TestDerivedChains(t *testing.T) {
	ms := []v1alpha1.Measurement{drReport("x", "2026-Q1", "1", "X"), drReport("leaf", "2026-Q1", "10", "Y")}
	t.Run("a share of a sum", func(t *testing.T) {
		total := drDerived("complaints-total", v1alpha1.DerivedSum, drIn("complaints-police"), drIn("complaints-labour"))
		share := drDerived("share-by-victims", v1alpha1.DerivedRatio, drIn("complaints-by-victims"), drIn("complaints-total"))
		w := drWorld{indicators: []*v1alpha1.Indicator{share, total, drMeasured("complaints-police"), drMeasured("complaints-labour"), drMeasured("complaints-by-victims")},
			ms: []v1alpha1.Measurement{drReport("complaints-police", "2026-Q1", "30", "Police"), drReport("complaints-labour", "2026-Q1", "10", "Labour Inspectorate"),
				drReport("complaints-by-victims", "2026-Q1", "10", "Prosecutor")}}
		st, _ := w.eval(t, share, "2026-05-15T00:00:00Z")
		drValue(t, st, "2026-Q1", "25")
		if st.Current.Measurements != 3 || st.Current.Reporters != 3 {
			t.Errorf("current counts %+v, want the 3 measurements of the 3 measured indicators behind it", st.Current)
		}
	})
	t.Run("as deep as allowed", func(t *testing.T) {
		chain := drChain(MaxDerivedDepth)
		st, _ := drWorld{indicators: chain, ms: ms}.eval(t, chain[2], "2026-05-15T00:00:00Z")
		drValue(t, st, "2026-Q1", "18") // leaf 10 + 8 levels of x 1
	})
	t.Run("one level deeper", func(t *testing.T) {
		chain := drChain(MaxDerivedDepth + 1)
		st, _ := drWorld{indicators: chain, ms: ms}.eval(t, chain[2], "2026-05-15T00:00:00Z")
		rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionStalled, stTrue, v1alpha1.ReasonInvalidSpec,
			[]string{"the chain of derived inputs level-0 -> level-1 -> level-2 -> level-3 -> level-4 -> level-5 -> level-6 -> level-7 -> level-8 is deeper than 8 levels"}})
	})
}

// TestDerivedVerificationInherited: the verification of a derived value is
// its inputs': EvidenceMissing is True when any input's counted
// Measurements behind the value lack theirs.
func TestDerivedVerificationInherited(t *testing.T) {
	verified := func(i *v1alpha1.Indicator) {
		i.Spec.Verification = &v1alpha1.Verification{Methods: []v1alpha1.VerificationMethod{v1alpha1.MethodRecordsReview}, MinSources: 1}
	}
	ev := map[string]*v1alpha1.Evidence{
		"case-files": rsnEvidence("case-files", v1alpha1.MethodRecordsReview, "2026-04-01T00:00:00Z", "2026-09-01T00:00:00Z", v1alpha1.ConditionVerified),
	}
	build := func(disciplinedEvidence bool) (drWorld, *v1alpha1.Indicator) {
		w, share := drShareWorld()
		verified(w.indicators[1])
		verified(w.indicators[2])
		d := drReport("officials-disciplined", "2026-Q1", "2", "Inspectorate")
		if disciplinedEvidence {
			d.Spec.Evidence = []v1alpha1.InlineEvidence{records}
		}
		w.ms = []v1alpha1.Measurement{d, irRefs(drReport("officials-investigated", "2026-Q1", "8", "Inspectorate"), "case-files")}
		w.evidence = ev
		return w, share
	}
	w, share := build(false)
	st, next := w.eval(t, share, "2026-05-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, stTrue, v1alpha1.ReasonNoEvidence,
		[]string{`1 of 2 inputs lack the required verification (officials-disciplined: No evidence is given; RecordsReview is required)`}})
	if st.Evidence == nil || st.Evidence.Sources != 1 || st.Evidence.VerifiedSources != 1 || len(st.Evidence.MissingMethods) != 1 {
		t.Errorf("evidence %+v, want 1 source, verified, RecordsReview missing", st.Evidence)
	}
	if st.History[1].Period != "2026-Q1" || st.History[1].Verified {
		t.Errorf("history %+v: 2026-Q1 should not be verified", st.History[1])
	}
	// The Evidence object behind an input's figure expires on 2026-09-01:
	// the derived indicator is evaluated again then.
	rsnTime(t, "next", next, "2026-07-01T00:00:00Z") // the close of 2026-Q2 comes first
	_, next = w.eval(t, share, "2026-08-15T00:00:00Z")
	rsnTime(t, "next", next, "2026-09-01T00:00:00Z")

	w, share = build(true)
	st, _ = w.eval(t, share, "2026-05-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, stFalse, v1alpha1.ReasonEvidenceComplete,
		[]string{"The counted measurements of every input have the required verification (2 source(s))"}})
	if !st.History[1].Verified {
		t.Errorf("history %+v: 2026-Q1 should be verified", st.History[1])
	}
	st, _ = w.eval(t, share, "2026-09-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, stTrue, v1alpha1.ReasonEvidenceExpired,
		[]string{`1 of 2 inputs lack the required verification (officials-investigated: 1 evidence item(s) expired`}})

	t.Run("no input requires verification", func(t *testing.T) {
		w, share := drShareWorld(drReport("officials-disciplined", "2026-Q1", "2", "X"), drReport("officials-investigated", "2026-Q1", "8", "X"))
		st, _ := w.eval(t, share, "2026-05-15T00:00:00Z")
		rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, stFalse, v1alpha1.ReasonEvidenceComplete, []string{"No input requires verification"}})
	})
	t.Run("through a chain", func(t *testing.T) {
		w, _ := build(false)
		total := drDerived("officials-involved", v1alpha1.DerivedSum, drIn("officials-disciplined"), drIn("officials-investigated"))
		top := drDerived("share-of-involved", v1alpha1.DerivedRatio, drIn("officials-disciplined"), drIn("officials-involved"))
		w.indicators = append(w.indicators, total, top)
		st, _ := w.eval(t, top, "2026-05-15T00:00:00Z")
		drValue(t, st, "2026-Q1", "20")
		rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, stTrue, v1alpha1.ReasonNoEvidence, []string{"1 of 2 inputs lack"}})
	})
}

// TestDerivedOverdueInherited: the overdue periods of a derived indicator
// are its inputs', each by its own grace, within its own reporting window.
func TestDerivedOverdueInherited(t *testing.T) {
	w, share := drShareWorld(drReport("officials-disciplined", "2026-Q1", "2", "X"), drReport("officials-investigated", "2026-Q1", "8", "X"),
		drReport("officials-investigated", "2026-Q2", "9", "X"))
	w.indicators[1].Spec.ReportingGraceDays = i32(60) // disciplinary decisions take longer
	// 2026-Q2 closed on 2026-07-01; investigated's data is due 30 days
	// later, which it has; disciplined's 60 days later.
	st, next := w.eval(t, share, "2026-08-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, []string{"from 2026-Q1 to 2026-Q2"}})
	rsnTime(t, "next", next, "2026-08-30T00:00:00.000000001Z")
	st, _ = w.eval(t, share, "2026-08-30T00:00:00.000000001Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stTrue, v1alpha1.ReasonPeriodNotReported,
		[]string{`No counted data for 2026-Q2 from input(s) officials-disciplined (each input's data is due by its own reportingGraceDays)`}})
	drValue(t, st, "2026-Q1", "25")

	// The derived indicator's reportingEnd ends what it inherits.
	share.Spec.ReportingEnd = "2026-Q1"
	st, _ = w.eval(t, share, "2026-12-01T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime, []string{"The due period 2026-Q1 of its inputs has counted data"}})

	// Nothing due yet.
	st, _ = w.eval(t, share, "2026-04-15T00:00:00Z")
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonNothingDue, []string{"No period of its inputs is due yet"}})
}

// TestDerivedCategoryBelowDisclosure: a category input whose cell
// disclosure control would suppress in reports gives its exact value in
// status (reports control the derived figure as any other).
func TestDerivedCategoryBelowDisclosure(t *testing.T) {
	small := func(i *v1alpha1.Indicator) {
		i.Spec.Disaggregations = []v1alpha1.Disaggregation{{Dimension: "gender", Categories: []string{"female", "male"}}}
		i.Spec.Disclosure = &v1alpha1.Disclosure{MinCellSize: 5}
	}
	d := drDerived("girls-referred-all", v1alpha1.DerivedSum, drIn("referred-shelters", "gender", "female"), drIn("referred-police", "gender", "female"))
	d.Spec.Disclosure = &v1alpha1.Disclosure{MinCellSize: 5}
	w := drWorld{indicators: []*v1alpha1.Indicator{d, drMeasured("referred-shelters", small), drMeasured("referred-police", small)},
		ms: []v1alpha1.Measurement{
			drCells(drReport("referred-shelters", "2026-Q1", "20", "Shelters"), mrCell("1", "gender", "female"), mrCell("19", "gender", "male")),
			drCells(drReport("referred-police", "2026-Q1", "12", "Police"), mrCell("2", "gender", "female"), mrCell("10", "gender", "male")),
		}}
	st, _ := w.eval(t, d, "2026-05-15T00:00:00Z")
	drValue(t, st, "2026-Q1", "3")
	if st.History[1].Value != "3" {
		t.Errorf("history %+v, want the exact 3", st.History[1])
	}
}

// TestDerivedMissingCell: a counted Measurement without the selected cell
// leaves the period without a value (summing the others would undercount).
func TestDerivedMissingCell(t *testing.T) {
	gendered := func(i *v1alpha1.Indicator) {
		i.Spec.Disaggregations = []v1alpha1.Disaggregation{{Dimension: "gender", Categories: []string{"female", "male"}}, {Dimension: "age"}}
	}
	d := drDerived("women-trained", v1alpha1.DerivedRatio, drIn("officers-trained", "gender", "female"), drIn("officers-trained"))
	w := drWorld{indicators: []*v1alpha1.Indicator{d, drMeasured("officers-trained", gendered)},
		ms: []v1alpha1.Measurement{
			drCells(drReport("officers-trained", "2026-Q1", "40", "Police academy"), mrCell("14", "gender", "female"), mrCell("26", "gender", "male")),
			drReport("officers-trained", "2026-Q1", "10", "Border academy"),
			// A cross cell gives gender's table its female cell, summed over
			// age (Revision 2: breakdowns as published).
			drCells(drReport("officers-trained", "2026-Q2", "10", "Border academy"), v1alpha1.BreakdownCell{
				Categories: map[string]v1alpha1.Category{"gender": "female", "age": "18+"}, Value: dec("10")}),
		}}
	t.Run("a cell naming fewer categories than selected", func(t *testing.T) {
		adult := drDerived("adult-women-trained", v1alpha1.DerivedRatio, drIn("officers-trained", "gender", "female", "age", "18+"), drIn("officers-trained"))
		w := drWorld{indicators: []*v1alpha1.Indicator{adult, w.indicators[1]}, ms: w.ms[:1]}
		st, _ := w.eval(t, adult, "2026-08-15T00:00:00Z")
		if st.Current != nil {
			t.Errorf("current %+v, want none: the cell gender=female does not say how many are 18+", st.Current)
		}
	})
	st, _ := w.eval(t, d, "2026-08-15T00:00:00Z")
	if st.Current == nil || st.Current.Period != "2026-Q2" || st.Current.Value != "100" {
		t.Errorf("current %+v, want 100 in 2026-Q2: the cross cell gives 10 women of 10", st.Current)
	}
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, stFalse, v1alpha1.ReasonReportedOnTime,
		[]string{`2026-Q1 has no value: input "officers-trained" (gender=female) has no value: 1 of 2 of its counted Measurements give no such cell`}})
}

// TestDerivedAggregation: the derived indicator's own aggregation works
// over the derived periods: Cumulative sums numerators and denominators of
// a Ratio, Latest takes the newest period with a value.
func TestDerivedAggregation(t *testing.T) {
	ms := []v1alpha1.Measurement{
		drReport("officials-disciplined", "2026-Q1", "1", "X"), drReport("officials-investigated", "2026-Q1", "4", "X"),
		drReport("officials-disciplined", "2026-Q2", "3", "X"), drReport("officials-investigated", "2026-Q2", "4", "X"),
	}
	for _, tc := range []struct {
		agg       v1alpha1.Aggregation
		now       string
		value     string
		period    string
		provision bool
	}{
		{v1alpha1.AggregationPerPeriod, "2026-08-01T00:00:00Z", "75", "2026-Q2", false},
		{v1alpha1.AggregationCumulative, "2026-08-01T00:00:00Z", "50", "2026-Q2", false}, // (1+3)/(4+4)
		{v1alpha1.AggregationLatest, "2026-08-01T00:00:00Z", "75", "2026-Q2", false},
		{v1alpha1.AggregationPerPeriod, "2026-06-15T00:00:00Z", "25", "2026-Q1", false}, // 2026-Q2 is still open
	} {
		t.Run(string(tc.agg)+" at "+tc.now, func(t *testing.T) {
			w, share := drShareWorld(ms...)
			share.Spec.Aggregation = tc.agg
			st, _ := w.eval(t, share, tc.now)
			drValue(t, st, tc.period, tc.value)
		})
	}
}

// TestDerivedStatusShape: a derived indicator has every condition of an
// Indicator, in order, and its history, progress and target as any other.
func TestDerivedStatusShape(t *testing.T) {
	w, share := drShareWorld(drReport("officials-disciplined", "2026-Q1", "3", "X"), drReport("officials-investigated", "2026-Q1", "10", "X"))
	st, next := w.eval(t, share, "2026-05-15T00:00:00Z")
	want := append([]string{v1alpha1.ConditionReady, v1alpha1.ConditionStalled}, indicatorConditionTypes...)
	if len(st.Conditions) != len(want) {
		t.Fatalf("%d conditions, want %v", len(st.Conditions), want)
	}
	for i, c := range st.Conditions {
		if c.Type != want[i] || c.ObservedGeneration != 1 {
			t.Errorf("condition %d is %s (generation %d), want %s", i, c.Type, c.ObservedGeneration, want[i])
		}
	}
	if st.TargetValue != "40" || st.Progress != "50" || len(st.History) != 3 || st.History[1].Value != "30" || st.History[2].Value != "20" || !st.History[2].Baseline || st.LastMeasurementTime == nil {
		t.Errorf("targetValue %q progress %q history %+v lastMeasurementTime %v", st.TargetValue, st.Progress, st.History[:2], st.LastMeasurementTime)
	}
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionOnTrack, stTrue, v1alpha1.ReasonAheadOfTrajectory, []string{"30 in 2026-Q1 is at or past the trajectory value 25"}})
	rsnTime(t, "next", next, "2026-07-01T00:00:00Z")
	// Evaluated again with the status it wrote, nothing changes.
	share.Status = st
	again, _ := w.eval(t, share, "2026-05-15T01:00:00Z")
	if !sameStatus(st, again) {
		t.Errorf("a second evaluation changed the status:\n%+v\n%+v", st, again)
	}
}

func sameStatus(a, b v1alpha1.IndicatorStatus) bool {
	return equality.Semantic.DeepEqual(a, b)
}

// TestMeasurementOfComputedIndicator: an indicator that computes its values
// refuses Measurements: Accepted False IndicatorIsDerived, which only a new
// Measurement (of another indicator) can fix.
func TestMeasurementOfComputedIndicator(t *testing.T) {
	derived := drDerived("share-disciplined", v1alpha1.DerivedRatio, drIn("officials-disciplined"), drIn("officials-investigated"))
	mech := drMeasured("nhri-in-task-force", func(i *v1alpha1.Indicator) {
		i.Spec.Measure = v1alpha1.Measure{Type: v1alpha1.MeasureBoolean, FromMechanism: "MeetingsRegular"}
		i.Spec.MechanismRef = &v1alpha1.LocalObjectReference{Name: "national-task-force"}
	})
	for _, tc := range []struct {
		ind *v1alpha1.Indicator
		got string
		msg string
	}{
		{derived, "1/4", `Indicator "share-disciplined" is derived (spec.derived: Ratio of "officials-disciplined", "officials-investigated") and takes no Measurements: report the figures to its inputs`},
		{mech, "true", `Indicator "nhri-in-task-force" takes its value from the MeetingsRegular condition of CooperationMechanism "national-task-force" (measure.fromMechanism) and takes no Measurements`},
	} {
		t.Run(tc.ind.Name, func(t *testing.T) {
			m := drReport(tc.ind.Name, "2026-Q1", tc.got, "X")
			st, _ := mrEval(tc.ind, m, nil, nil, "2026-05-15T00:00:00Z")
			rsnCheck(t, st.Conditions,
				rsnWant{v1alpha1.ConditionAccepted, stFalse, v1alpha1.ReasonIndicatorIsDerived, []string{tc.msg}},
				rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonIndicatorIsDerived, []string{tc.msg}},
				rsnWant{v1alpha1.ConditionStalled, stTrue, v1alpha1.ReasonIndicatorIsDerived, nil},
				rsnWant{v1alpha1.ConditionSuperseded, stUnknown, v1alpha1.ReasonNotAccepted, nil},
				rsnWant{v1alpha1.ConditionVerified, stUnknown, v1alpha1.ReasonNotAccepted, nil})
			// Even a Measurement of a period that has not started is
			// refused for this first.
			m.Spec.Period = "2999-Q1"
			st, _ = mrEval(tc.ind, m, nil, nil, "2026-05-15T00:00:00Z")
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionAccepted, stFalse, v1alpha1.ReasonIndicatorIsDerived, nil})
		})
	}
}

// TestCheckInputs: what concordctl validate reports, at the field at
// fault: the indicator's own problems, not those of its inputs.
func TestCheckInputs(t *testing.T) {
	a := drDerived("a", v1alpha1.DerivedSum, drIn("x"), drIn("b"))
	b := drDerived("b", v1alpha1.DerivedSum, drIn("a"), drIn("ghost"))
	top := drDerived("top", v1alpha1.DerivedSum, drIn("x"), drIn("a"), drIn("y", "gender", "female"))
	all := map[string]*v1alpha1.Indicator{"a": a, "b": b, "top": top, "x": drMeasured("x"), "y": drMeasured("y")}
	lookup := func(name string) *v1alpha1.Indicator { return all[name] }
	got := CheckInputs(top, lookup)
	want := []InputProblem{
		{Input: 2, Field: "categories.gender", Own: true, Reason: v1alpha1.ReasonInvalidSpec, Message: `input "y" declares no disaggregations, so it has no category gender=female`},
		{Input: 1, Field: "name", Own: false, Reason: v1alpha1.ReasonInputNotFound, Message: `Indicator "b" (top -> a -> b): input "ghost" (spec.derived.inputs[1]) does not exist in namespace "coordination"`},
		{Input: 1, Field: "name", Own: false, Reason: v1alpha1.ReasonInvalidSpec, Message: `input "a" depends on a cycle of derived indicators: a -> b -> a`},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems %+v, want %+v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("problem %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	got = CheckInputs(b, lookup)
	if len(got) != 2 || !got[0].Own || got[0].Input != 1 || got[0].Reason != v1alpha1.ReasonInputNotFound ||
		!got[1].Own || got[1].Input != 0 || got[1].Message != "the derived inputs form a cycle: b -> a -> b; a derived indicator cannot depend on itself" {
		t.Errorf("problems of b: %+v", got)
	}
	if got := CheckInputs(all["x"], lookup); got != nil {
		t.Errorf("a measured indicator has problems %+v", got)
	}
}

// TestWalkInputsIsBounded: WalkInputs asks for each name once, and not
// beyond MaxDerivedDepth levels.
func TestWalkInputsIsBounded(t *testing.T) {
	chain := drChain(MaxDerivedDepth + 3)
	byName := map[string]*v1alpha1.Indicator{}
	for _, i := range chain {
		byName[i.Name] = i
	}
	var asked []string
	err := WalkInputs(chain[2], func(name string) (*v1alpha1.Indicator, error) {
		asked = append(asked, name)
		return byName[name], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// level-1 .. level-8 and x, each once.
	if len(asked) != MaxDerivedDepth+1 || contains(asked, "level-9") || contains(asked, "leaf") {
		t.Errorf("asked for %v", asked)
	}
}

// TestDerivedMechanismNotFound: a derived indicator may name its mechanism;
// an unresolved one makes Ready False as for any indicator, after a
// missing input.
func TestDerivedMechanismNotFound(t *testing.T) {
	w, share := drShareWorld(drReport("officials-disciplined", "2026-Q1", "2", "X"), drReport("officials-investigated", "2026-Q1", "8", "X"))
	share.Spec.MechanismRef = &v1alpha1.LocalObjectReference{Name: "criminal-justice-working-group"}
	in := w.input(t, share)
	in.MechanismFound = false
	st, _ := Indicator(in, at("2026-05-15T00:00:00Z"))
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonMechanismNotFound,
		[]string{`CooperationMechanism "criminal-justice-working-group" does not exist in namespace "coordination"`}})
	drValue(t, st, "2026-Q1", "25")
	delete(in.Inputs, "officials-investigated")
	st, _ = Indicator(in, at("2026-05-15T00:00:00Z"))
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonInputNotFound, nil})
}
