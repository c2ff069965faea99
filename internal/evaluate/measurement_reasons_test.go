package evaluate

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// mrCell is a breakdown cell: kv are dimension/category pairs; value is
// "num/den" for Ratio.
func mrCell(value string, kv ...string) v1alpha1.BreakdownCell {
	c := v1alpha1.BreakdownCell{Categories: map[string]v1alpha1.Category{}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Categories[kv[i]] = v1alpha1.Category(kv[i+1])
	}
	m := irReport("", "", value, "", "2026-01-01T00:00:00Z")
	c.Value, c.Numerator, c.Denominator = m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator
	return c
}

func mrEval(ind *v1alpha1.Indicator, m v1alpha1.Measurement, siblings []v1alpha1.Measurement, ev map[string]*v1alpha1.Evidence, now string) (v1alpha1.MeasurementStatus, time.Time) {
	if siblings == nil {
		siblings = []v1alpha1.Measurement{m}
	}
	return Measurement(MeasurementInput{Measurement: &m, Indicator: ind, Siblings: siblings, Evidence: ev}, at(now))
}

// mrMeasure makes the indicator one of measure m, with no baseline or target.
func mrMeasure(m v1alpha1.Measure) func(*v1alpha1.Indicator) {
	return func(i *v1alpha1.Indicator) { i.Spec.Measure, i.Spec.Baseline, i.Spec.Target = m, nil, nil }
}

func mrDisaggregated(ratio bool) func(*v1alpha1.Indicator) {
	return func(i *v1alpha1.Indicator) {
		if ratio {
			mrMeasure(irRatio)(i)
		}
		i.Spec.Disaggregations = []v1alpha1.Disaggregation{
			{Dimension: "gender", Categories: []string{"female", "male", "other", "unknown"}, Required: true},
			{Dimension: "age", Categories: []string{"0-17", "18+", "unknown"}},
			{Dimension: "countryOfOrigin"},
		}
	}
}

func TestAcceptedReasons(t *testing.T) {
	value := func(v string) func(*v1alpha1.Measurement) {
		return func(m *v1alpha1.Measurement) {
			r := irReport("", "", v, "", "2026-01-01T00:00:00Z")
			m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator = r.Spec.Value, r.Spec.Numerator, r.Spec.Denominator
		}
	}
	period := func(p string) func(*v1alpha1.Measurement) {
		return func(m *v1alpha1.Measurement) { m.Spec.Period = v1alpha1.Period(p) }
	}
	cells := func(cs ...v1alpha1.BreakdownCell) func(*v1alpha1.Measurement) {
		return func(m *v1alpha1.Measurement) { m.Spec.Breakdown = cs }
	}
	created := func(ts string) func(*v1alpha1.Measurement) {
		return func(m *v1alpha1.Measurement) { m.CreationTimestamp = metav1.NewTime(at(ts)); m.Spec.ReportTime = nil }
	}
	reportTime := func(ts string) func(*v1alpha1.Measurement) {
		return func(m *v1alpha1.Measurement) { t := metav1.NewTime(at(ts)); m.Spec.ReportTime = &t }
	}
	both := func(fs ...func(*v1alpha1.Measurement)) func(*v1alpha1.Measurement) {
		return func(m *v1alpha1.Measurement) {
			for _, f := range fs {
				f(m)
			}
		}
	}
	approval := func(i *v1alpha1.Indicator) { i.Spec.Verification.ApprovalRequired = true }
	approved := func(m *v1alpha1.Measurement) {
		m.Spec.Approval = &v1alpha1.Approval{ApprovedBy: "National Secretariat"}
	}
	pct, level, boolean := mrMeasure(irPct), mrMeasure(irLevel), mrMeasure(irBool)
	amount, ratio := mrMeasure(irAmount), mrMeasure(irRatio)
	disagg, disaggRatio := mrDisaggregated(false), mrDisaggregated(true)
	const (
		valid, mismatch, invalid = v1alpha1.ReasonValid, v1alpha1.ReasonPeriodMismatch, v1alpha1.ReasonValueInvalid
		inconsistent, awaiting   = v1alpha1.ReasonBreakdownInconsistent, v1alpha1.ReasonAwaitingApproval
		future                   = v1alpha1.ReasonReportTimeInFuture
	)
	cases := []struct {
		name   string
		ind    func(*v1alpha1.Indicator)
		m      func(*v1alpha1.Measurement)
		now    string // "": 2026-04-10
		reason string
		msg    string
	}{
		{"valid", nil, nil, "", valid, `Counts toward Indicator "victims-referred" for 2026-Q1`},
		{"monthly period on a quarterly indicator", nil, period("2026-03"), "", mismatch, `period "2026-03" is not a Quarterly period (write it like "2026-Q1")`},
		{"annual period on a quarterly indicator", nil, period("2026"), "", mismatch, `period "2026" is not a Quarterly period`},
		{"lower-case quarter", nil, period("2026-q1"), "", mismatch, `period "2026-q1" is not a Quarterly period`},
		{"created one second before the period starts", nil, both(period("2026-Q2"), created("2026-03-31T23:59:59Z")), "", mismatch,
			"period 2026-Q2 had not started when the Measurement was created (2026-03-31T23:59:59Z): it starts 2026-04-01; report it in a new Measurement once it has started"},
		{"created exactly when the period starts", nil, both(period("2026-Q2"), created("2026-04-01T00:00:00Z")), "", valid, "for 2026-Q2"},
		{"reportTime far in the future", nil, reportTime("9999-12-31T00:00:00Z"), "", future,
			"reportTime 9999-12-31T00:00:00Z is later than the object's creation (2026-04-05T00:00:00Z) plus the allowed clock skew of 5 minutes: a report cannot be dated in the future"},
		{"reportTime one second past the clock skew", nil, reportTime("2026-04-05T00:05:01Z"), "", future, "reportTime 2026-04-05T00:05:01Z is later than"},
		{"reportTime within the clock skew", nil, reportTime("2026-04-05T00:05:00Z"), "", valid, "Counts toward"},
		{"reportTime before the creation", nil, reportTime("2026-04-01T00:00:00Z"), "", valid, "Counts toward"},
		{"the period check comes first", nil, both(period("2026-03"), value("5.5")), "", mismatch, `period "2026-03"`},
		{"Count: a fraction", nil, value("5.5"), "", invalid, "5.5 is not a Count value: write a whole number of 0 or more"},
		{"Count: negative", nil, value("-1"), "", invalid, "-1 is not a Count value"},
		{"Count: exponent", nil, value("1e3"), "", invalid, `"1e3" is not a valid Count value`},
		{"Count: boolean", nil, value("true"), "", invalid, `"true" is not a valid Count value`},
		{"Count: numerator and denominator", nil, value("1/2"), "", invalid, "a Count indicator takes value, not numerator and denominator"},
		{"Boolean: 1", boolean, value("1"), "", invalid, `"1" is not a Boolean value: write "true" or "false"`},
		{"Boolean: false", boolean, value("false"), "", valid, "Counts toward"},
		{"Percentage: 101", pct, value("101"), "", invalid, "101 is not a Percentage value: write a number from 0 to 100"},
		{"Percentage: 100.000001", pct, value("100.000001"), "", invalid, "100.000001 is not a Percentage value"},
		{"Percentage: -0.5", pct, value("-0.5"), "", invalid, "-0.5 is not a Percentage value"},
		{"Percentage: 100", pct, value("100"), "", valid, "Counts toward"},
		{"Level: past the last level", level, value("4"), "", invalid, "4 is not a Level value: write the 0-based position of a name in measure.levels (0 to 3)"},
		{"Level: fraction", level, value("1.5"), "", invalid, "1.5 is not a Level value"},
		{"Level: negative", level, value("-1"), "", invalid, "-1 is not a Level value"},
		{"Level: the last level", level, value("3"), "", valid, "Counts toward"},
		{"Amount: negative decimal", amount, value("-12.5"), "", valid, "Counts toward"},
		{"Amount: seven decimals", amount, value("12.1234567"), "", invalid, `"12.1234567" is not a`},
		{"Ratio: value instead of terms", ratio, value("30"), "", invalid, "a Ratio indicator takes numerator and denominator, not value"},
		{"Ratio: no numerator", ratio, func(m *v1alpha1.Measurement) { m.Spec.Value, m.Spec.Denominator = nil, dec("10") }, "", invalid,
			"a Ratio indicator takes numerator and denominator, not value"},
		{"Ratio: no denominator", ratio, func(m *v1alpha1.Measurement) { m.Spec.Value, m.Spec.Numerator = nil, dec("3") }, "", invalid,
			"a Ratio indicator takes numerator and denominator, not value"},
		{"Ratio: zero denominator", ratio, value("3/0"), "", invalid, `denominator "0" must be a number greater than 0`},
		{"Ratio: negative numerator", ratio, value("-3/10"), "", invalid, `numerator "-3" must be a number of 0 or more`},
		{"Ratio: terms", ratio, value("3/10"), "", valid, "Counts toward"},
		{"undeclared dimension", nil, cells(mrCell("52", "colour", "red")), "", inconsistent, `breakdown[0]: dimension "colour" is not declared by the indicator`},
		{"undeclared category", disagg, cells(mrCell("52", "gender", "robot")), "", inconsistent,
			`breakdown[0]: "robot" is not a category of gender (female, male, other, unknown)`},
		{"open dimension takes any category", disagg, cells(mrCell("52", "gender", "female", "countryOfOrigin", "Atlantis")), "", valid, "Counts toward"},
		{"a cell without the required dimension leaves its table short", disagg, cells(mrCell("30", "gender", "female"), mrCell("22", "age", "18+")), "", inconsistent,
			"the cells of gender sum to 30, less than the value 52"},
		{"required dimension without a breakdown", disagg, nil, "", inconsistent, "no cell names the required dimension gender: give its table"},
		{"cells do not sum to the value", disagg, cells(mrCell("30", "gender", "female"), mrCell("10", "gender", "male")), "", inconsistent,
			"the cells of gender sum to 40, less than the value 52"},
		{"cells sum to the value", disagg, cells(mrCell("30", "gender", "female", "age", "18+"), mrCell("10", "gender", "female", "age", "0-17"),
			mrCell("12", "gender", "male", "age", "18+")), "", valid, "Counts toward"},
		{"a cell repeated (stored before the CRD refused it)", disagg, cells(mrCell("26", "gender", "female"), mrCell("26", "gender", "female")), "", inconsistent,
			"breakdown[1] repeats the categories of breakdown[0]: merge them into one cell"},
		{"cells that differ in one dimension are not repeats", disagg, cells(mrCell("26", "gender", "female", "age", "18+"), mrCell("26", "gender", "female", "age", "0-17")), "", valid, "Counts toward"},
		{"a cell's value is not of the measure", disagg, cells(mrCell("-3", "gender", "female")), "", inconsistent, "breakdown[0]: -3 is not a Count value"},
		{"Ratio cells sum terms", disaggRatio, both(value("3/10"), cells(mrCell("1/4", "gender", "female"), mrCell("2/6", "gender", "male"))), "", valid, "Counts toward"},
		{"Ratio cells do not sum", disaggRatio, both(value("3/10"), cells(mrCell("1/4", "gender", "female"), mrCell("2/5", "gender", "male"))), "", inconsistent,
			"the cells of gender sum to 3/9, less than the value 3/10"},
		{"Ratio cell with a value", disaggRatio, both(value("3/10"), cells(mrCell("3", "gender", "female"))), "", inconsistent,
			"breakdown[0]: a Ratio indicator takes numerator and denominator, not value"},
		{"approval required", approval, nil, "", awaiting, `Indicator "victims-referred" requires approval: set spec.approval`},
		{"approval given", approval, approved, "", valid, "Counts toward"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.ind != nil {
				tc.ind(ind)
			}
			m := report("m", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z", records)
			if tc.m != nil {
				tc.m(&m)
			}
			now := tc.now
			if now == "" {
				now = "2026-04-10T00:00:00Z"
			}
			st, _ := mrEval(ind, m, nil, nil, now)
			if tc.reason == valid {
				rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionAccepted, stTrue, valid, []string{tc.msg}},
					rsnWant{v1alpha1.ConditionSuperseded, stFalse, v1alpha1.ReasonLatestReport, nil})
				return
			}
			notAccepted := "The measurement is not accepted: " + tc.msg
			// Revision 2: a Measurement refused for its content fails
			// visibly (Ready False, Stalled True: only a new Measurement
			// can fix it); one awaiting approval is Ready False but
			// progressing.
			ready := rsnWant{v1alpha1.ConditionReady, stFalse, tc.reason, []string{tc.msg}}
			stalled := rsnWant{v1alpha1.ConditionStalled, stTrue, tc.reason, []string{"Only a new Measurement can fix this: " + tc.msg}}
			if tc.reason == awaiting {
				stalled = rsnWant{v1alpha1.ConditionStalled, stFalse, v1alpha1.ReasonEvaluated, nil}
			}
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionAccepted, stFalse, tc.reason, []string{tc.msg}},
				rsnWant{v1alpha1.ConditionSuperseded, stUnknown, v1alpha1.ReasonNotAccepted, []string{notAccepted}},
				rsnWant{v1alpha1.ConditionVerified, stUnknown, v1alpha1.ReasonNotAccepted, []string{notAccepted}},
				ready, stalled)
		})
	}
}

func TestSupersededReasons(t *testing.T) {
	// r is a report of 2026-Q1; reportTime "" leaves it unset.
	r := func(name, reporter, reportTime, created, value string) v1alpha1.Measurement {
		m := report(name, "2026-Q1", value, reporter, created, records)
		m.Spec.ReportTime = nil
		if reportTime != "" {
			ts := metav1.NewTime(at(reportTime))
			m.Spec.ReportTime = &ts
		}
		return m
	}
	const d2, d3, d4, d5, d6 = "2026-04-02T00:00:00Z", "2026-04-03T00:00:00Z", "2026-04-04T00:00:00Z", "2026-04-05T00:00:00Z", "2026-04-06T00:00:00Z"
	approval := func(i *v1alpha1.Indicator) { i.Spec.Verification.ApprovalRequired = true }
	approved := func(m v1alpha1.Measurement) v1alpha1.Measurement {
		m.Spec.Approval = &v1alpha1.Approval{ApprovedBy: "National Secretariat"}
		return m
	}
	otherPeriod := r("b", "NGO", d5, d5, "60")
	otherPeriod.Spec.Period = "2026-Q2"
	cases := []struct {
		name  string
		ind   func(*v1alpha1.Indicator)
		ms    []v1alpha1.Measurement // the first is judged
		newer string                 // "": LatestReport
	}{
		{"alone", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52")}, ""},
		{"a later reportTime supersedes", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52"), r("b", "NGO", d3, d3, "50")}, "b"},
		{"the later report is the latest", nil, []v1alpha1.Measurement{r("b", "NGO", d3, d3, "50"), r("a", "NGO", d2, d2, "52")}, ""},
		{"reportTime beats creationTimestamp", nil, []v1alpha1.Measurement{r("a", "NGO", d5, d5, "52"), r("b", "NGO", d4, d6, "50")}, ""},
		{"reportTime beats creationTimestamp, older side", nil, []v1alpha1.Measurement{r("b", "NGO", d4, d6, "50"), r("a", "NGO", d5, d5, "52")}, "a"},
		// A reportTime in the future is not accepted, so it cannot win
		// supersession over the real report (the forged-figure attack).
		{"a future reportTime does not supersede", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52"), r("forged", "NGO", "9999-12-31T00:00:00Z", d3, "1")}, ""},
		{"no reportTime: creationTimestamp stands in", nil, []v1alpha1.Measurement{r("b", "NGO", d5, d5, "50"), r("a", "NGO", "", d6, "52")}, "a"},
		{"equal reportTime: later creationTimestamp", nil, []v1alpha1.Measurement{r("b", "NGO", d5, d5, "50"), r("a", "NGO", d5, d6, "52")}, "a"},
		{"equal times: greater name", nil, []v1alpha1.Measurement{r("a", "NGO", d5, d5, "52"), r("b", "NGO", d5, d5, "50")}, "b"},
		{"equal times: greatest name of three", nil, []v1alpha1.Measurement{r("b", "NGO", d5, d5, "52"), r("a", "NGO", d5, d5, "50"), r("c", "NGO", d5, d5, "51")}, "c"},
		{"newest of three", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52"), r("c", "NGO", d4, d4, "50"), r("b", "NGO", d3, d3, "51")}, "c"},
		{"another reporter does not supersede", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52"), r("b", "Police", d3, d3, "50")}, ""},
		{"another period does not supersede", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52"), otherPeriod}, ""},
		{"an invalid newer report does not supersede", nil, []v1alpha1.Measurement{r("a", "NGO", d2, d2, "52"), r("b", "NGO", d3, d3, "5.5")}, ""},
		{"an unapproved newer report does not supersede", approval, []v1alpha1.Measurement{approved(r("a", "NGO", d2, d2, "52")), r("b", "NGO", d3, d3, "50")}, ""},
		{"an approved newer report supersedes", approval, []v1alpha1.Measurement{approved(r("a", "NGO", d2, d2, "52")), approved(r("b", "NGO", d3, d3, "50"))}, "b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.ind != nil {
				tc.ind(ind)
			}
			st, _ := mrEval(ind, tc.ms[0], tc.ms, nil, "2026-04-10T00:00:00Z")
			if tc.newer == "" {
				rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionSuperseded, stFalse, v1alpha1.ReasonLatestReport, []string{`The newest report of "NGO" for 2026-Q1`}})
				return
			}
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionSuperseded, stTrue, v1alpha1.ReasonNewerReport,
				[]string{`Superseded by Measurement "` + tc.newer + `", a newer report of "NGO" for 2026-Q1`}})
		})
	}
}

func TestMeasurementVerifiedReasons(t *testing.T) {
	rr := v1alpha1.MethodRecordsReview
	ev := map[string]*v1alpha1.Evidence{
		"soon":       rsnEvidence("soon", rr, "2025-04-20T00:00:00Z", "2026-04-20T00:00:00Z", v1alpha1.ConditionVerified),
		"expired":    rsnEvidence("expired", rr, "2025-03-01T00:00:00Z", "2026-03-01T00:00:00Z", v1alpha1.ConditionVerified, v1alpha1.ConditionExpired),
		"unverified": rsnEvidence("unverified", rr, "2026-03-01T00:00:00Z", ""),
	}
	old := records
	oldTime := metav1.NewTime(at("2025-10-02T23:59:59Z"))
	old.CollectionTime = &oldTime
	interview := v1alpha1.InlineEvidence{Method: v1alpha1.MethodInterview, Description: "Survivor interviews"}
	verif := func(f func(*v1alpha1.Verification)) func(*v1alpha1.Indicator) {
		return func(i *v1alpha1.Indicator) { f(i.Spec.Verification) }
	}
	cases := []struct {
		name   string
		ind    func(*v1alpha1.Indicator)
		inline []v1alpha1.InlineEvidence
		refs   []string
		status metav1.ConditionStatus
		reason string
		msg    string
		next   string
	}{
		{"no verification required", func(i *v1alpha1.Indicator) { i.Spec.Verification = nil }, nil, nil, stTrue, v1alpha1.ReasonEvidenceSufficient,
			"The indicator requires no verification", ""},
		{"inline records", nil, []v1alpha1.InlineEvidence{records}, nil, stTrue, v1alpha1.ReasonEvidenceSufficient, "1 source(s) cover RecordsReview", ""},
		{"no evidence", nil, nil, nil, stFalse, v1alpha1.ReasonNoEvidence, "No evidence is given; RecordsReview is required", ""},
		{"method not covered", verif(func(v *v1alpha1.Verification) { v.Methods = append(v.Methods, v1alpha1.MethodSurvey) }),
			[]v1alpha1.InlineEvidence{records, interview}, nil, stFalse, v1alpha1.ReasonMethodNotCovered, "No counted evidence covers Survey", ""},
		{"insufficient sources", verif(func(v *v1alpha1.Verification) { v.MinSources = 2 }), []v1alpha1.InlineEvidence{records, records}, nil,
			stFalse, v1alpha1.ReasonInsufficientSources, "1 distinct source(s) count; minSources is 2", ""},
		{"older than maxAgeDays", verif(func(v *v1alpha1.Verification) { v.MaxAgeDays = i32(180) }), []v1alpha1.InlineEvidence{old}, nil,
			stFalse, v1alpha1.ReasonEvidenceExpired, "1 evidence item(s) expired", ""},
		{"expired Evidence object", nil, nil, []string{"expired"}, stFalse, v1alpha1.ReasonEvidenceExpired, "1 evidence item(s) expired", ""},
		{"missing Evidence object", nil, nil, []string{"nowhere"}, stFalse, v1alpha1.ReasonEvidenceUnverified, "1 evidence item(s) are not Verified Evidence objects", ""},
		{"unverified Evidence object", nil, nil, []string{"unverified"}, stFalse, v1alpha1.ReasonEvidenceUnverified, "(level Declared)", ""},
		{"inline evidence at level Verified", verif(func(v *v1alpha1.Verification) { v.Level = v1alpha1.LevelVerified }), []v1alpha1.InlineEvidence{records}, nil,
			stFalse, v1alpha1.ReasonEvidenceUnverified, "(level Verified); 0 count", ""},
		{"Verified Evidence object until it expires", nil, nil, []string{"soon"}, stTrue, v1alpha1.ReasonEvidenceSufficient, "1 source(s)", "2026-04-20T00:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.ind != nil {
				tc.ind(ind)
			}
			m := irRefs(report("m", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z", tc.inline...), tc.refs...)
			st, next := mrEval(ind, m, nil, ev, "2026-04-10T00:00:00Z")
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionVerified, tc.status, tc.reason, []string{tc.msg}})
			rsnTime(t, "next", next, tc.next)
		})
	}
}

func TestMeasurementReadyAndNext(t *testing.T) {
	cases := []struct {
		name     string
		noInd    bool
		period   string
		now      string
		ready    rsnWant
		accepted rsnWant
		next     string
	}{
		{"indicator not found", true, "2026-Q1", "2026-04-10T00:00:00Z",
			rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonIndicatorNotFound, []string{`Indicator "victims-referred" does not exist in namespace "protection"`}},
			rsnWant{v1alpha1.ConditionAccepted, stFalse, v1alpha1.ReasonIndicatorNotFound, []string{`Indicator "victims-referred" does not exist in namespace "protection"`}}, ""},
		{"period not started when created: refused for good, no requeue", false, "2026-Q3", "2026-07-10T00:00:00Z",
			rsnWant{v1alpha1.ConditionReady, stFalse, v1alpha1.ReasonPeriodMismatch, nil},
			rsnWant{v1alpha1.ConditionAccepted, stFalse, v1alpha1.ReasonPeriodMismatch, nil}, ""},
		{"accepted, nothing expires", false, "2026-Q1", "2026-04-10T00:00:00Z",
			rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil},
			rsnWant{v1alpha1.ConditionAccepted, stTrue, v1alpha1.ReasonValid, nil}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.noInd {
				ind = nil
			}
			m := report("m", tc.period, "52", "NGO", "2026-04-05T00:00:00Z", records)
			m.Generation = 4
			st, next := mrEval(ind, m, nil, nil, tc.now)
			stalled := rsnWant{v1alpha1.ConditionStalled, stFalse, v1alpha1.ReasonEvaluated, nil}
			if tc.ready.reason == v1alpha1.ReasonPeriodMismatch {
				stalled = rsnWant{v1alpha1.ConditionStalled, stTrue, v1alpha1.ReasonPeriodMismatch, nil}
			}
			rsnCheck(t, st.Conditions, tc.ready, tc.accepted, stalled)
			rsnTime(t, "next", next, tc.next)
			if st.ObservedGeneration != 4 || len(st.Conditions) != 5 {
				t.Errorf("observedGeneration %d, %d conditions; want 4 and 5", st.ObservedGeneration, len(st.Conditions))
			}
			for _, c := range st.Conditions {
				if c.ObservedGeneration != 4 {
					t.Errorf("%s observedGeneration %d, want 4", c.Type, c.ObservedGeneration)
				}
			}
		})
	}
}
