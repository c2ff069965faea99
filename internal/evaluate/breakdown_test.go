package evaluate

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// bdDim declares a dimension: total "" leaves the policy to the measure's
// default.
func bdDim(name string, total v1alpha1.DisaggregationTotal, required bool, categories ...string) v1alpha1.Disaggregation {
	return v1alpha1.Disaggregation{Dimension: name, Total: total, Required: required, Categories: categories}
}

// bdAccept is the Accepted condition of a 2026-Q1 report of value (or
// "num/den") with cells, for victimsReferred with measure ms and dims.
func bdAccept(ms v1alpha1.Measure, dims []v1alpha1.Disaggregation, value string, cells ...v1alpha1.BreakdownCell) Cond {
	ind := victimsReferred()
	ind.Spec.Measure, ind.Spec.Baseline, ind.Spec.Target, ind.Spec.Milestones = ms, nil, nil, nil
	ind.Spec.Disaggregations = dims
	m := irReport("m", "2026-Q1", value, "NGO", "2026-04-05T00:00:00Z", records)
	m.Spec.Breakdown = cells
	return Accept(ind, &m, at("2026-04-10T00:00:00Z"))
}

func TestBreakdownPolicies(t *testing.T) {
	const (
		equal, atMost, overlapping, notAdditive = v1alpha1.TotalEqual, v1alpha1.TotalAtMost, v1alpha1.TotalOverlapping, v1alpha1.TotalNotAdditive
		valid, inconsistent                     = v1alpha1.ReasonValid, v1alpha1.ReasonBreakdownInconsistent
		counts                                  = `Counts toward Indicator "victims-referred" for 2026-Q1`
	)
	amount := v1alpha1.Measure{Type: v1alpha1.MeasureAmount, Unit: "victims per 100,000"}
	c := mrCell
	sex := func(total v1alpha1.DisaggregationTotal, required bool) v1alpha1.Disaggregation {
		return bdDim("sex", total, required, "female", "male")
	}
	age := func(total v1alpha1.DisaggregationTotal) v1alpha1.Disaggregation {
		return bdDim("age", total, false, "0-17", "18+")
	}
	form := bdDim("form", overlapping, false, "sexual", "labour", "begging")
	country := bdDim("country", atMost, false)
	dims := func(ds ...v1alpha1.Disaggregation) []v1alpha1.Disaggregation { return ds }
	cross := []v1alpha1.BreakdownCell{c("30", "sex", "female", "age", "18+"), c("10", "sex", "female", "age", "0-17"), c("12", "sex", "male", "age", "18+")}
	cases := []struct {
		name    string
		measure v1alpha1.Measure
		dims    []v1alpha1.Disaggregation
		value   string
		cells   []v1alpha1.BreakdownCell
		reason  string
		msg     string // the whole message
	}{
		// Equal
		{"Equal: the cells sum to the value", irCount, dims(sex(equal, true)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female"), c("22", "sex", "male")}, valid, counts},
		{"Equal: short", irCount, dims(sex(equal, true)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female"), c("10", "sex", "male")}, inconsistent,
			"the cells of sex sum to 40, less than the value 52: total Equal requires them to sum to it (with total AtMost, the 12 left would be shown as not stated)"},
		{"Equal: over", irCount, dims(sex(equal, true)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female"), c("30", "sex", "male")}, inconsistent,
			"the cells of sex sum to 60, more than the value 52: total Equal requires them to sum to it (total Overlapping accepts cells in which a person may be counted more than once)"},
		{"Equal is the default of a Count, required or not", irCount, dims(sex("", false)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female")}, inconsistent,
			"the cells of sex sum to 30, less than the value 52: total Equal requires them to sum to it (with total AtMost, the 22 left would be shown as not stated)"},
		{"Equal: a dimension no cell names is not checked unless required", irCount, dims(sex(equal, false), age(equal)), "52", []v1alpha1.BreakdownCell{c("30", "age", "18+"), c("22", "age", "0-17")}, valid, counts},

		// AtMost
		{"AtMost: short, the remainder is stated", irCount, dims(sex(atMost, true)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female"), c("10", "sex", "male")}, valid,
			counts + "; not stated: 12 of 52 by sex (23.08%)"},
		{"AtMost: exact, nothing left to state", irCount, dims(sex(atMost, true)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female"), c("22", "sex", "male")}, valid, counts},
		{"AtMost: over", irCount, dims(sex(atMost, true)), "52", []v1alpha1.BreakdownCell{c("30", "sex", "female"), c("23", "sex", "male")}, inconsistent,
			"the cells of sex sum to 53, more than the value 52: total AtMost requires them to sum to at most it"},
		{"AtMost: a share too small to round", irCount, dims(sex(atMost, true)), "100000", []v1alpha1.BreakdownCell{c("99999", "sex", "female")}, valid,
			counts + "; not stated: 1 of 100000 by sex (less than 0.01%)"},
		{"AtMost: a dimension no cell names is not listed", irCount, dims(sex(atMost, true), country), "52", []v1alpha1.BreakdownCell{c("50", "sex", "female")}, valid,
			counts + "; not stated: 2 of 52 by sex (3.85%)"},

		// Overlapping
		{"Overlapping: the sum may exceed the value", irCount, dims(form), "52", []v1alpha1.BreakdownCell{c("40", "form", "sexual"), c("30", "form", "labour")}, valid, counts},
		{"Overlapping: a cell equal to the value", irCount, dims(form), "52", []v1alpha1.BreakdownCell{c("52", "form", "sexual"), c("30", "form", "labour")}, valid, counts},
		{"Overlapping: a cell above the value", irCount, dims(form), "52", []v1alpha1.BreakdownCell{c("10", "form", "labour"), c("53", "form", "sexual")}, inconsistent,
			`form "sexual" is 53, more than the value 52 (breakdown[1]): total Overlapping requires each cell to be at most it`},
		{"Overlapping: a cross sum above the value", irCount, dims(sex(atMost, false), form), "52",
			[]v1alpha1.BreakdownCell{c("30", "sex", "female", "form", "sexual"), c("12", "sex", "female", "form", "labour"), c("23", "sex", "male", "form", "sexual")}, inconsistent,
			`breakdown[0]: sex "female" is given only in cells that also name form (total Overlapping), which cannot be summed over it: a person may be counted in several of its categories; give the sex table on its own, as cells that name sex alone`},
		{"Overlapping: the cross cells of an additive dimension summed", irCount, dims(sex(atMost, false), form), "52",
			[]v1alpha1.BreakdownCell{c("30", "sex", "female"), c("22", "sex", "male"), c("30", "sex", "female", "form", "sexual"), c("23", "sex", "male", "form", "sexual")}, inconsistent,
			`form "sexual" is 53, more than the value 52 (the sum of breakdown[2], breakdown[3]): total Overlapping requires each cell to be at most it`},

		// NotAdditive
		{"NotAdditive: subgroup rates are neither summed nor compared", amount, dims(bdDim("sex", notAdditive, true, "Men", "Women")), "9.2",
			[]v1alpha1.BreakdownCell{c("6.3", "sex", "Men"), c("12", "sex", "Women")}, valid, counts},
		{"NotAdditive: a subgroup figure far above the value", amount, dims(bdDim("sex", notAdditive, true, "Men", "Women")), "9.2",
			[]v1alpha1.BreakdownCell{c("1000", "sex", "Men")}, valid, counts},
		{"NotAdditive: the default of a Percentage", irPct, dims(bdDim("sex", "", true)), "64",
			[]v1alpha1.BreakdownCell{c("70", "sex", "female"), c("55", "sex", "male")}, valid, counts},
		{"NotAdditive: cross cells name the dimension, so its table is present", amount, dims(bdDim("sex", notAdditive, true), bdDim("age", notAdditive, true)), "9.2",
			[]v1alpha1.BreakdownCell{c("3.1", "sex", "Men", "age", "Children")}, valid, counts},
		{"NotAdditive: cells still need declared categories", amount, dims(bdDim("sex", notAdditive, true, "Men", "Women")), "9.2",
			[]v1alpha1.BreakdownCell{c("6.3", "sex", "men")}, inconsistent, `breakdown[0]: "men" is not a category of sex (Men, Women)`},

		// required
		{"required: no breakdown at all", irCount, dims(sex(atMost, true)), "52", nil, inconsistent,
			"no cell names the required dimension sex: give its table, as cells that name sex alone or together with other dimensions"},
		{"required: cells by another dimension only", irCount, dims(sex(atMost, true), age(equal)), "52", []v1alpha1.BreakdownCell{c("30", "age", "18+"), c("22", "age", "0-17")}, inconsistent,
			"no cell names the required dimension sex: give its table, as cells that name sex alone or together with other dimensions"},
		{"required: a cell that does not name it is no longer refused", irCount, dims(sex(equal, true), age(atMost)), "52",
			[]v1alpha1.BreakdownCell{c("30", "sex", "female"), c("22", "sex", "male"), c("40", "age", "18+")}, valid, counts + "; not stated: 12 of 52 by age (23.08%)"},

		// marginal tables
		{"marginal: by sex alone and by age alone", irCount, dims(sex(equal, true), age(equal)), "52",
			[]v1alpha1.BreakdownCell{c("30", "sex", "female"), c("22", "sex", "male"), c("10", "age", "0-17"), c("42", "age", "18+")}, valid, counts},
		{"marginal: the age table is checked on its own", irCount, dims(sex(equal, true), age(equal)), "52",
			[]v1alpha1.BreakdownCell{c("30", "sex", "female"), c("22", "sex", "male"), c("10", "age", "0-17"), c("40", "age", "18+")}, inconsistent,
			"the cells of age sum to 50, less than the value 52: total Equal requires them to sum to it (with total AtMost, the 2 left would be shown as not stated)"},

		// cross cells
		{"cross: cells summed per dimension", irCount, dims(sex(equal, true), age(equal)), "52", cross, valid, counts},
		{"cross: sums checked per dimension", irCount, dims(sex(equal, true), age(atMost)), "60", cross, inconsistent,
			"the cells of sex sum to 52, less than the value 60: total Equal requires them to sum to it (with total AtMost, the 8 left would be shown as not stated)"},
		{"cross: AtMost remainders per dimension", irCount, dims(sex(atMost, true), age(atMost)), "60", cross, valid,
			counts + "; not stated: 8 of 60 by sex (13.33%), 8 of 60 by age (13.33%)"},

		// marginal and cross cells for the same dimension
		{"mixed: the marginal cell wins over the cross cells of its category", irCount, dims(sex(equal, true), age(atMost)), "52",
			append([]v1alpha1.BreakdownCell{c("40", "sex", "female"), c("12", "sex", "male")}, cross[:2]...), valid,
			counts + "; not stated: 12 of 52 by age (23.08%)"},
		{"mixed: a contradicting cross table does not add to the marginal cells", irCount, dims(sex(equal, true), age(atMost)), "52",
			[]v1alpha1.BreakdownCell{c("40", "sex", "female"), c("12", "sex", "male"), c("35", "sex", "female", "age", "18+"), c("10", "sex", "female", "age", "0-17")}, valid,
			counts + "; not stated: 7 of 52 by age (13.46%)"},
		{"mixed: a category without a marginal cell takes its cross cells", irCount, dims(sex(equal, true), age(atMost)), "52",
			[]v1alpha1.BreakdownCell{c("30", "sex", "female", "age", "18+"), c("10", "sex", "female", "age", "0-17"), c("12", "sex", "male")}, valid,
			counts + "; not stated: 12 of 52 by age (23.08%)"},
		{"mixed: two cross tables of a dimension are not added together", irCount, dims(sex(equal, true), age(equal), country), "52",
			append(append([]v1alpha1.BreakdownCell{}, cross...), c("25", "sex", "female", "country", "XA"), c("15", "sex", "female", "country", "XB"), c("10", "sex", "male", "country", "XA")), valid,
			counts + "; not stated: 2 of 52 by country (3.85%)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := bdAccept(tc.measure, tc.dims, tc.value, tc.cells...)
			want := metav1.ConditionFalse
			if tc.reason == valid {
				want = metav1.ConditionTrue
			}
			if got.Status != want || got.Reason != tc.reason || got.Message != tc.msg {
				t.Errorf("Accepted %s %s: %s\nwant       %s %s: %s", got.Status, got.Reason, got.Message, want, tc.reason, tc.msg)
			}
		})
	}
}

// Ratio cells give numerators and denominators, which add up: each term
// is compared with the value's own.
func TestBreakdownPoliciesRatio(t *testing.T) {
	const (
		valid, inconsistent = v1alpha1.ReasonValid, v1alpha1.ReasonBreakdownInconsistent
		counts              = `Counts toward Indicator "victims-referred" for 2026-Q1`
	)
	gender := func(total v1alpha1.DisaggregationTotal) []v1alpha1.Disaggregation {
		return []v1alpha1.Disaggregation{bdDim("gender", total, true, "female", "male")}
	}
	c := mrCell
	cases := []struct {
		name   string
		total  v1alpha1.DisaggregationTotal
		cells  []v1alpha1.BreakdownCell
		reason string
		msg    string
	}{
		{"Equal: both terms sum", v1alpha1.TotalEqual, []v1alpha1.BreakdownCell{c("1/4", "gender", "female"), c("2/6", "gender", "male")}, valid, counts},
		{"Equal: a denominator short", v1alpha1.TotalEqual, []v1alpha1.BreakdownCell{c("1/4", "gender", "female"), c("2/5", "gender", "male")}, inconsistent,
			"the cells of gender sum to 3/9, less than the value 3/10: total Equal requires them to sum to it (with total AtMost, the 0/1 left would be shown as not stated)"},
		{"Equal: one term above, the other below", v1alpha1.TotalEqual, []v1alpha1.BreakdownCell{c("2/4", "gender", "female"), c("2/5", "gender", "male")}, inconsistent,
			"the cells of gender sum to 4/9, not to the value 3/10: total Equal requires them to sum to it"},
		{"AtMost: the remainder in both terms", v1alpha1.TotalAtMost, []v1alpha1.BreakdownCell{c("1/4", "gender", "female"), c("1/4", "gender", "male")}, valid,
			counts + "; not stated: 1/2 of 3/10 by gender"},
		{"AtMost: a numerator over", v1alpha1.TotalAtMost, []v1alpha1.BreakdownCell{c("2/4", "gender", "female"), c("2/4", "gender", "male")}, inconsistent,
			"the cells of gender sum to 4/8, more than the value 3/10: total AtMost requires them to sum to at most it"},
		{"Overlapping: sums above both terms", v1alpha1.TotalOverlapping, []v1alpha1.BreakdownCell{c("3/8", "gender", "female"), c("2/6", "gender", "male")}, valid, counts},
		{"Overlapping: a cell's denominator above", v1alpha1.TotalOverlapping, []v1alpha1.BreakdownCell{c("1/11", "gender", "female")}, inconsistent,
			`gender "female" is 1/11, more than the value 3/10 (breakdown[0]): total Overlapping requires each cell to be at most it`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := bdAccept(irRatio, gender(tc.total), "3/10", tc.cells...)
			if got.Reason != tc.reason || got.Message != tc.msg {
				t.Errorf("Accepted %s: %s\nwant       %s: %s", got.Reason, got.Message, tc.reason, tc.msg)
			}
		})
	}
}

// nsoYear is a year of a national statistics office's SDG 16.2.2 series as
// published: potential victims referred to the national referral
// mechanism, 11387 in all, 11372 of them by sex and 11378 by age (the sex
// or age of a few was not recorded).
func nsoYear() []v1alpha1.BreakdownCell {
	return []v1alpha1.BreakdownCell{
		mrCell("6812", "sex", "female"), mrCell("4560", "sex", "male"),
		mrCell("2154", "age", "0-17"), mrCell("9224", "age", "18+"),
	}
}

// The published shape that was thrown away: marginal tables by sex and by
// age that fall short of the total. With AtMost the year counts, and its
// Accepted message states what is not stated; with Equal it is refused,
// and the indicator falls back on an older year.
func TestBreakdownPublishedShortOfTheTotal(t *testing.T) {
	indicator := func(total v1alpha1.DisaggregationTotal) *v1alpha1.Indicator {
		ind := victimsReferred()
		ind.Name = "nrm-referrals"
		ind.Spec.Cadence, ind.Spec.Baseline, ind.Spec.Target, ind.Spec.Milestones, ind.Spec.Verification = v1alpha1.CadenceAnnual, nil, nil, nil, nil
		ind.Spec.Disaggregations = []v1alpha1.Disaggregation{bdDim("sex", total, true, "female", "male"), bdDim("age", total, true, "0-17", "18+")}
		return ind
	}
	year := func(period, value string, cells []v1alpha1.BreakdownCell) v1alpha1.Measurement {
		m := report("nso-"+period, period, value, "National Bureau of Statistics", period+"-06-30T00:00:00Z")
		m.Spec.IndicatorRef.Name, m.Spec.Breakdown = "nrm-referrals", cells
		return m
	}
	older := year("2013", "10900", []v1alpha1.BreakdownCell{mrCell("6500", "sex", "female"), mrCell("4400", "sex", "male"), mrCell("2100", "age", "0-17"), mrCell("8800", "age", "18+")})
	published := year("2014", "11387", nsoYear())
	now := at("2015-06-30T00:00:00Z")

	atMost := indicator(v1alpha1.TotalAtMost)
	got := Accept(atMost, &published, now)
	if want := `Counts toward Indicator "nrm-referrals" for 2014; not stated: 15 of 11387 by sex (0.13%), 9 of 11387 by age (0.08%)`; got.Reason != v1alpha1.ReasonValid || got.Message != want {
		t.Errorf("AtMost: %s: %s\nwant %s", got.Reason, got.Message, want)
	}
	st, _ := Indicator(IndicatorInput{Indicator: atMost, Measurements: []v1alpha1.Measurement{older, published}, MechanismFound: true}, now)
	if st.Current == nil || st.Current.Period != "2014" || st.Current.Value != "11387" {
		t.Errorf("AtMost: current %+v, want 11387 for 2014", st.Current)
	}

	equal := indicator(v1alpha1.TotalEqual)
	got = Accept(equal, &published, now)
	if got.Reason != v1alpha1.ReasonBreakdownInconsistent || !strings.HasPrefix(got.Message, "the cells of sex sum to 11372, less than the value 11387") {
		t.Errorf("Equal: %s: %s, want BreakdownInconsistent for sex", got.Reason, got.Message)
	}
	st, _ = Indicator(IndicatorInput{Indicator: equal, Measurements: []v1alpha1.Measurement{older, published}, MechanismFound: true}, now)
	if st.Current == nil || st.Current.Period != "2013" {
		t.Errorf("Equal: current %+v, want the older 2013 (the defect this total fixes)", st.Current)
	}
}

// TotalOf gives Count, Amount and Ratio Equal by default and the measures
// whose values do not add up NotAdditive.
func TestTotalOf(t *testing.T) {
	for _, tc := range []struct {
		m     v1alpha1.Measure
		total v1alpha1.DisaggregationTotal
		want  v1alpha1.DisaggregationTotal
	}{
		{irCount, "", v1alpha1.TotalEqual},
		{irAmount, "", v1alpha1.TotalEqual},
		{irRatio, "", v1alpha1.TotalEqual},
		{irPct, "", v1alpha1.TotalNotAdditive},
		{irLevel, "", v1alpha1.TotalNotAdditive},
		{irCount, v1alpha1.TotalOverlapping, v1alpha1.TotalOverlapping},
	} {
		if got := TotalOf(v1alpha1.Disaggregation{Dimension: "d", Total: tc.total}, tc.m); got != tc.want {
			t.Errorf("TotalOf(%s, %q) = %s, want %s", tc.m.Type, tc.total, got, tc.want)
		}
	}
}
