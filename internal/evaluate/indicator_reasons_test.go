package evaluate

import (
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Shared by the *_reasons_test.go files.

const (
	stTrue    = metav1.ConditionTrue
	stFalse   = metav1.ConditionFalse
	stUnknown = metav1.ConditionUnknown
)

// rsnWant is one expected condition: status, reason and substrings of its
// message.
type rsnWant struct {
	typ    string
	status metav1.ConditionStatus
	reason string
	msg    []string
}

func rsnCheck(t *testing.T, conds []metav1.Condition, ws ...rsnWant) {
	t.Helper()
	for _, w := range ws {
		c := expectCond(t, conds, w.typ, w.status, w.reason)
		for _, s := range w.msg {
			if !strings.Contains(c.Message, s) {
				t.Errorf("%s message %q lacks %q", w.typ, c.Message, s)
			}
		}
	}
}

func rsnTime(t *testing.T, what string, got time.Time, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("%s = %v, want none", what, got)
		}
		return
	}
	if !got.Equal(at(want)) {
		t.Errorf("%s = %v, want %s", what, got, want)
	}
}

// rsnEvidence is a namespace's Evidence object: conditions of the given
// types are True, Verified and Expired otherwise False; expires sets
// status.expirationTime.
func rsnEvidence(name string, method v1alpha1.VerificationMethod, collected, expires string, trueConds ...string) *v1alpha1.Evidence {
	e := &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "protection", Generation: 1},
		Spec:       v1alpha1.EvidenceSpec{Method: method, CollectionTime: metav1.NewTime(at(collected))},
	}
	for _, typ := range []string{v1alpha1.ConditionVerified, v1alpha1.ConditionExpired} {
		c := metav1.Condition{Type: typ, Status: stFalse, Reason: "Test"}
		for _, tc := range trueConds {
			if tc == typ {
				c.Status = stTrue
			}
		}
		e.Status.Conditions = append(e.Status.Conditions, c)
	}
	if expires != "" {
		ts := metav1.NewTime(at(expires))
		e.Status.ExpirationTime = &ts
	}
	return e
}

// afterClose is four days after the close of a quarterly period, when a
// report of it is typically made (a report cannot be made before its
// period starts).
func afterClose(period string) string {
	p, err := ParsePeriod(period, v1alpha1.CadenceQuarterly)
	if err != nil {
		panic(err)
	}
	return p.End(CalendarOf(nil)).AddDate(0, 0, 4).Format(time.RFC3339)
}

// irReport is report() taking "num/den" as a Ratio's figure.
func irReport(name, period, got, reporter, reported string, ev ...v1alpha1.InlineEvidence) v1alpha1.Measurement {
	m := report(name, period, got, reporter, reported, ev...)
	if num, den, ok := strings.Cut(got, "/"); ok {
		m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator = nil, dec(num), dec(den)
	}
	return m
}

func irRefs(m v1alpha1.Measurement, refs ...string) v1alpha1.Measurement {
	for _, r := range refs {
		m.Spec.EvidenceRefs = append(m.Spec.EvidenceRefs, v1alpha1.LocalObjectReference{Name: r})
	}
	return m
}

func irEval(ind *v1alpha1.Indicator, ms []v1alpha1.Measurement, ev map[string]*v1alpha1.Evidence, now string) (v1alpha1.IndicatorStatus, time.Time) {
	return Indicator(IndicatorInput{Indicator: ind, Measurements: ms, Evidence: ev, MechanismFound: true}, at(now))
}

var (
	irLevel   = v1alpha1.Measure{Type: v1alpha1.MeasureLevel, Levels: []string{"None", "Low", "Medium", "High"}}
	irBool    = v1alpha1.Measure{Type: v1alpha1.MeasureBoolean}
	irCount   = v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "persons"}
	irAmount  = v1alpha1.Measure{Type: v1alpha1.MeasureAmount, Unit: "USD"}
	irPct     = v1alpha1.Measure{Type: v1alpha1.MeasurePercentage}
	irRatio   = v1alpha1.Measure{Type: v1alpha1.MeasureRatio}
	irPer100k = v1alpha1.Measure{Type: v1alpha1.MeasureRatio, Scale: dec("100000")}
)

func TestTargetMetOperators(t *testing.T) {
	const (
		eq, least, most = v1alpha1.OperatorEquals, v1alpha1.OperatorAtLeast, v1alpha1.OperatorAtMost
		incPct, decPct  = v1alpha1.OperatorIncreaseByPercent, v1alpha1.OperatorDecreaseByPercent
		incPts, decPts  = v1alpha1.OperatorIncreaseByPoints, v1alpha1.OperatorDecreaseByPoints
		met, unmet      = v1alpha1.ReasonTargetReached, v1alpha1.ReasonTargetNotReached
	)
	cases := []struct {
		name          string
		measure       v1alpha1.Measure
		baseline      string
		op            v1alpha1.TargetOperator
		target        string
		got           string // the 2026-Q1 figure; "num/den" for Ratio
		reason        string
		targetValue   string
		progress, msg string
	}{
		{"Equals Boolean met", irBool, "false", eq, "true", "true", met, "true", "", "true against a target of true; target reached"},
		{"Equals Boolean unmet", irBool, "false", eq, "true", "false", unmet, "true", "", "false against a target of true; target not reached yet"},
		{"Equals Level met", irLevel, "1", eq, "2", "2", met, "2", "100", "2 (Medium) against a target of 2 (Medium)"},
		{"Equals Level above is unmet", irLevel, "1", eq, "2", "3", unmet, "2", "200", "3 (High) against a target of 2 (Medium)"},
		{"Equals Level below", irLevel, "1", eq, "2", "1", unmet, "2", "0", "1 (Low) against a target of 2 (Medium)"},
		{"AtLeast exactly", irCount, "40", least, "50", "50", met, "50", "100", "50 against a target of at least 50"},
		{"AtLeast one below", irCount, "40", least, "50", "49", unmet, "50", "90", "49 against a target of at least 50"},
		{"AtLeast Level", irLevel, "0", least, "2", "3", met, "2", "150", "3 (High) against a target of at least 2 (Medium)"},
		{"AtMost exactly", irAmount, "2000.5", most, "1000.5", "1000.5", met, "1000.5", "100", "1000.5 against a target of at most 1000.5"},
		{"AtMost above", irAmount, "2000.5", most, "1000.5", "1000.6", unmet, "1000.5", "99.99", "1000.6 against a target of at most 1000.5"},
		{"IncreaseByPercent exactly", irCount, "40", incPct, "25", "50", met, "50", "100", "50 is 25% above the baseline 40; target +25% (50)"},
		{"IncreaseByPercent 49.99", irAmount, "40", incPct, "25", "49.99", unmet, "50", "99.9", "49.99 is 24.98% above the baseline 40; target +25% (50)"},
		{"IncreaseByPercent below baseline", irAmount, "40", incPct, "25", "36", unmet, "50", "-40", "36 is 10% below the baseline 40"},
		{"IncreaseByPercent overshoot", irCount, "40", incPct, "25", "60", met, "50", "200", "60 is 50% above the baseline 40"},
		{"IncreaseByPercent fractional target", irCount, "45", incPct, "10", "49", unmet, "49.5", "88.89", "target +10% (49.5)"},
		{"DecreaseByPercent exactly", irAmount, "50", decPct, "20", "40", met, "40", "100", "40 is 20% below the baseline 50; target -20% (40)"},
		{"DecreaseByPercent 40.01", irAmount, "50", decPct, "20", "40.01", unmet, "40", "99.9", "40.01 is 19.98% below the baseline 50"},
		{"IncreaseByPoints Percentage exactly", irPct, "35.5", incPts, "10", "45.5", met, "45.5", "100", "45.5 is 10 points above the baseline 35.5; target +10 points (45.5)"},
		{"IncreaseByPoints Percentage 45.49", irPct, "35.5", incPts, "10", "45.49", unmet, "45.5", "99.9", "45.49 is 9.99 points above the baseline 35.5"},
		{"DecreaseByPoints Percentage exactly", irPct, "20", decPts, "5", "15", met, "15", "100", "15 is 5 points below the baseline 20; target -5 points (15)"},
		{"DecreaseByPoints Percentage 15.01", irPct, "20", decPts, "5", "15.01", unmet, "15", "99.8", "15.01 is 4.99 points below the baseline 20"},
		{"IncreaseByPoints Ratio per 100000 exactly", irPer100k, "2.5", incPts, "1", "7/200000", met, "3.5", "100", "3.5 is 1 points above the baseline 2.5"},
		{"IncreaseByPoints Ratio per 100000 short", irPer100k, "2.5", incPts, "1", "69/2000000", unmet, "3.5", "95", "3.45 is 0.95 points above the baseline 2.5"},
		{"IncreaseByPercent Ratio per 100000", irPer100k, "2", incPct, "50", "3/100000", met, "3", "100", "3 is 50% above the baseline 2; target +50% (3)"},
		{"DecreaseByPoints Ratio exactly", irRatio, "30", decPts, "10", "1/5", met, "20", "100", "20 is 10 points below the baseline 30"},
		{"DecreaseByPoints Ratio short", irRatio, "30", decPts, "10", "21/100", unmet, "20", "90", "21 is 9 points below the baseline 30"},
		// Progress is computed from the value shown, 33.33: (33.33 - 30) /
		// (27 - 30) x 100 = -111 (from the exact 33.333... it would be
		// -111.11, which no reader of status could recompute).
		{"DecreaseByPercent Ratio thirds", irRatio, "30", decPct, "10", "1/3", unmet, "27", "-111", "33.33 is 11.11% above the baseline 30"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			ind.Spec.Measure, ind.Spec.Verification = tc.measure, nil
			ind.Spec.Baseline.Value = v1alpha1.Decimal(tc.baseline)
			ind.Spec.Target = &v1alpha1.Target{Operator: tc.op, Value: v1alpha1.Decimal(tc.target), Deadline: "2026-Q4"}
			ms := []v1alpha1.Measurement{irReport("q1", "2026-Q1", tc.got, "NGO", "2026-04-05T00:00:00Z")}
			st, _ := irEval(ind, ms, nil, "2026-04-10T00:00:00Z")
			status := stFalse
			if tc.reason == met {
				status = stTrue
			}
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, status, tc.reason, []string{tc.msg}})
			if st.TargetValue != tc.targetValue || st.Progress != tc.progress {
				t.Errorf("targetValue %q progress %q, want %q %q", st.TargetValue, st.Progress, tc.targetValue, tc.progress)
			}
		})
	}
}

func TestTargetMetDeadlineAndUnknowns(t *testing.T) {
	cases := []struct {
		name        string
		mutate      func(*v1alpha1.Indicator)
		got, now    string // got "": no measurement
		status      metav1.ConditionStatus
		reason      string
		msg         string
		targetValue string
	}{
		{"deadline closes exactly", nil, "49", "2027-01-01T00:00:00Z", stFalse, v1alpha1.ReasonDeadlineMissed,
			"49 is 22.5% above the baseline 40; target +25% (50); the deadline 2026-Q4 closed with the target unmet", "50"},
		{"one second before the deadline closes", nil, "49", "2026-12-31T23:59:59Z", stFalse, v1alpha1.ReasonTargetNotReached, "target not reached yet", "50"},
		{"met after the deadline", nil, "50", "2027-03-01T00:00:00Z", stTrue, v1alpha1.ReasonTargetReached, "target reached", "50"},
		{"no deadline never misses", func(i *v1alpha1.Indicator) { i.Spec.Target.Deadline = "" }, "49", "2030-01-01T00:00:00Z", stFalse, v1alpha1.ReasonTargetNotReached, "not reached yet", "50"},
		{"no data", nil, "", "2027-01-01T00:00:00Z", stUnknown, v1alpha1.ReasonNoData, "No counted measurement yet", "50"},
		{"no target", func(i *v1alpha1.Indicator) { i.Spec.Target = nil }, "49", "2027-01-01T00:00:00Z", stUnknown, v1alpha1.ReasonTargetNotSet, "The indicator sets no target", ""},
		{"no target nor data", func(i *v1alpha1.Indicator) { i.Spec.Target = nil }, "", "2027-01-01T00:00:00Z", stUnknown, v1alpha1.ReasonTargetNotSet, "sets no target", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.mutate != nil {
				tc.mutate(ind)
			}
			var ms []v1alpha1.Measurement
			if tc.got != "" {
				ms = append(ms, report("q4", "2026-Q4", tc.got, "NGO", "2026-12-20T00:00:00Z", records))
			}
			st, _ := irEval(ind, ms, nil, tc.now)
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionTargetMet, tc.status, tc.reason, []string{tc.msg}})
			if st.TargetValue != tc.targetValue {
				t.Errorf("targetValue %q, want %q", st.TargetValue, tc.targetValue)
			}
			if (tc.got == "" || tc.targetValue == "") && st.Progress != "" {
				t.Errorf("progress %q without data or target", st.Progress)
			}
		})
	}
}

func TestEvidenceMissingReasons(t *testing.T) {
	interview := v1alpha1.InlineEvidence{Method: v1alpha1.MethodInterview, Description: "Survivor interviews"}
	files := v1alpha1.InlineEvidence{Method: v1alpha1.MethodRecordsReview, Description: "Police case files"}
	collected := func(e v1alpha1.InlineEvidence, s string) v1alpha1.InlineEvidence {
		ts := metav1.NewTime(at(s))
		e.CollectionTime = &ts
		return e
	}
	rr := v1alpha1.MethodRecordsReview
	ev := map[string]*v1alpha1.Evidence{
		"ok":         rsnEvidence("ok", rr, "2026-03-01T00:00:00Z", "2026-09-01T00:00:00Z", v1alpha1.ConditionVerified),
		"ok2":        rsnEvidence("ok2", rr, "2026-03-02T00:00:00Z", "", v1alpha1.ConditionVerified),
		"unverified": rsnEvidence("unverified", rr, "2026-03-01T00:00:00Z", ""),
		"expired":    rsnEvidence("expired", rr, "2025-03-01T00:00:00Z", "2026-03-01T00:00:00Z", v1alpha1.ConditionVerified, v1alpha1.ConditionExpired),
		"lapsing":    rsnEvidence("lapsing", rr, "2025-04-10T00:00:00Z", "2026-04-10T00:00:00Z", v1alpha1.ConditionVerified),
		"edge":       rsnEvidence("edge", rr, "2025-10-03T00:00:00Z", "", v1alpha1.ConditionVerified),
		"old":        rsnEvidence("old", rr, "2025-10-02T23:59:59Z", "", v1alpha1.ConditionVerified),
		// Verified, but collected in 2999: it would never age or expire.
		"future": rsnEvidence("future", rr, "2999-01-01T00:00:00Z", "", v1alpha1.ConditionVerified),
	}
	one := func(refs []string, e ...v1alpha1.InlineEvidence) []v1alpha1.Measurement {
		return []v1alpha1.Measurement{irRefs(report("a", "2026-Q1", "30", "NGO", "2026-04-02T00:00:00Z", e...), refs...)}
	}
	two := func(refsA, refsB []string) []v1alpha1.Measurement {
		return append(one(refsA), irRefs(report("b", "2026-Q1", "22", "Police", "2026-04-03T00:00:00Z"), refsB...))
	}
	methods := func(req v1alpha1.MethodsRequired, ms ...v1alpha1.VerificationMethod) func(*v1alpha1.Verification) {
		return func(v *v1alpha1.Verification) { v.MethodsRequired, v.Methods = req, ms }
	}
	minSources := func(v *v1alpha1.Verification) { v.MinSources = 2 }
	maxAge := func(v *v1alpha1.Verification) { v.MaxAgeDays = i32(180) }
	levelVerified := func(v *v1alpha1.Verification) { v.Level = v1alpha1.LevelVerified }
	none := []v1alpha1.VerificationMethod(nil)
	const (
		noEv, notCovered, fewSources = v1alpha1.ReasonNoEvidence, v1alpha1.ReasonMethodNotCovered, v1alpha1.ReasonInsufficientSources
		expired, unverified          = v1alpha1.ReasonEvidenceExpired, v1alpha1.ReasonEvidenceUnverified
		complete                     = v1alpha1.ReasonEvidenceComplete
	)
	cases := []struct {
		name              string
		verif             func(*v1alpha1.Verification)
		ms                []v1alpha1.Measurement
		reason            string
		sources, verified int32
		missing           []v1alpha1.VerificationMethod
		msg               string
	}{
		{"no evidence", nil, one(nil), noEv, 0, 0, []v1alpha1.VerificationMethod{rr}, "No evidence is given; RecordsReview is required"},
		{"inline records", nil, one(nil, records), complete, 1, 0, none, "1 source(s) cover RecordsReview"},
		{"All: one method uncovered", methods(v1alpha1.MethodsAll, rr, v1alpha1.MethodInterview), one(nil, records), notCovered, 1, 0,
			[]v1alpha1.VerificationMethod{v1alpha1.MethodInterview}, "No counted evidence covers Interview"},
		{"All: both covered", methods(v1alpha1.MethodsAll, rr, v1alpha1.MethodInterview), one(nil, records, interview), complete, 2, 0, none,
			"2 source(s) cover RecordsReview and Interview"},
		{"Any: one covered", methods(v1alpha1.MethodsAny, v1alpha1.MethodInterview, rr), one(nil, records), complete, 1, 0, none, "1 source(s) cover Interview or RecordsReview"},
		{"Any: none covered", methods(v1alpha1.MethodsAny, v1alpha1.MethodSurvey, v1alpha1.MethodInterview), one(nil, records), notCovered, 1, 0,
			[]v1alpha1.VerificationMethod{v1alpha1.MethodInterview, v1alpha1.MethodSurvey}, "No counted evidence covers Interview, Survey"},
		{"minSources 2: distinct inline items", minSources, one(nil, records, files), complete, 2, 0, none, "2 source(s)"},
		{"minSources 2: the same inline item twice", minSources, one(nil, records, records), fewSources, 1, 0, none, "1 distinct source(s) count; minSources is 2"},
		// Revision 2: each counted measurement needs the verification on
		// its own; sources are not pooled across reporters.
		{"minSources 2: one Evidence object from two reporters", minSources, two([]string{"ok"}, []string{"ok"}), fewSources, 1, 1, none,
			"2 of 2 reporters lack the required verification (NGO: 1 distinct source(s) count; minSources is 2)"},
		{"minSources 2: two Evidence objects, one per reporter", minSources, two([]string{"ok"}, []string{"ok2"}), fewSources, 2, 2, none,
			"2 of 2 reporters lack the required verification (NGO: 1 distinct source(s) count; minSources is 2)"},
		{"minSources 2: two Evidence objects for each reporter", minSources, two([]string{"ok", "ok2"}, []string{"ok2", "ok"}), complete, 2, 2, none, "2 source(s)"},
		{"one reporter's evidence does not cover another's figure", nil, two([]string{"ok"}, nil), noEv, 1, 1, []v1alpha1.VerificationMethod{rr},
			"1 of 2 reporters lack the required verification (Police: No evidence is given; RecordsReview is required)"},
		{"both reporters' figures have evidence", nil, two([]string{"ok"}, []string{"ok2"}), complete, 2, 2, none, "2 source(s) cover RecordsReview"},
		{"inline evidence collected in the future", nil, one(nil, collected(records, "2999-01-01T00:00:00Z")), unverified, 0, 0, []v1alpha1.VerificationMethod{rr},
			"1 evidence item(s) have a collectionTime later than the creation of the object declaring them plus 5 minutes, which cannot be trusted; 0 count"},
		{"inline evidence collected within the clock skew", nil, one(nil, collected(records, "2026-04-02T00:05:00Z")), complete, 1, 0, none, "1 source(s)"},
		{"inline evidence collected one second past the clock skew", nil, one(nil, collected(records, "2026-04-02T00:05:01Z")), unverified, 0, 0,
			[]v1alpha1.VerificationMethod{rr}, "1 evidence item(s) have a collectionTime later than"},
		{"Evidence object collected in the future", nil, one([]string{"future"}), unverified, 0, 0, []v1alpha1.VerificationMethod{rr},
			"1 evidence item(s) have a collectionTime later than the creation of the object declaring them plus 5 minutes"},
		{"maxAgeDays: collected exactly 180 days before the period's end", maxAge, one(nil, collected(records, "2025-10-03T00:00:00Z")), complete, 1, 0, none, "1 source(s)"},
		{"maxAgeDays: one second older", maxAge, one(nil, collected(records, "2025-10-02T23:59:59Z")), expired, 0, 0, []v1alpha1.VerificationMethod{rr},
			"1 evidence item(s) expired or are older than maxAgeDays before the period's end; 0 count"},
		{"maxAgeDays: Evidence object at the boundary", maxAge, one([]string{"edge"}), complete, 1, 1, none, "1 source(s)"},
		{"maxAgeDays: Evidence object one second older", maxAge, one([]string{"old"}), expired, 0, 0, []v1alpha1.VerificationMethod{rr}, "1 evidence item(s) expired"},
		{"Evidence object Expired", nil, one([]string{"expired"}), expired, 0, 0, []v1alpha1.VerificationMethod{rr}, "1 evidence item(s) expired"},
		{"Evidence object at its expirationTime", nil, one([]string{"lapsing"}), expired, 0, 0, []v1alpha1.VerificationMethod{rr}, "1 evidence item(s) expired"},
		{"Evidence object missing", nil, one([]string{"nowhere"}), unverified, 0, 0, []v1alpha1.VerificationMethod{rr},
			"1 evidence item(s) are not Verified Evidence objects (level Declared); 0 count"},
		{"Evidence object not Verified", nil, one([]string{"unverified"}), unverified, 0, 0, []v1alpha1.VerificationMethod{rr}, "1 evidence item(s) are not Verified"},
		{"level Verified: inline evidence", levelVerified, one(nil, records), unverified, 0, 0, []v1alpha1.VerificationMethod{rr}, "(level Verified); 0 count"},
		{"level Verified: Verified Evidence object", levelVerified, one([]string{"ok"}, records), complete, 1, 1, none, "1 source(s)"},
		{"level Declared: inline and object", nil, one([]string{"ok"}, records), complete, 2, 1, none, "2 source(s)"},
		{"duplicate ref, one counts", nil, one([]string{"ok", "ok"}), complete, 1, 1, none, "1 source(s)"},
		{"the same item fresh in one report, stale in another reporter's", maxAge, append(one(nil, collected(records, "2026-03-01T00:00:00Z")),
			report("b", "2026-Q1", "22", "Police", "2026-04-03T00:00:00Z", collected(records, "2025-10-02T23:59:59Z"))), expired, 1, 0, []v1alpha1.VerificationMethod{rr},
			"1 of 2 reporters lack the required verification (Police: 1 evidence item(s) expired or are older than maxAgeDays before the period's end; 0 count)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.verif != nil {
				tc.verif(ind.Spec.Verification)
			}
			st, _ := irEval(ind, tc.ms, ev, "2026-04-10T00:00:00Z")
			status := stTrue
			if tc.reason == complete {
				status = stFalse
			}
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, status, tc.reason, []string{tc.msg}})
			want := &v1alpha1.EvidenceSummary{Sources: tc.sources, VerifiedSources: tc.verified, MissingMethods: tc.missing}
			if !reflect.DeepEqual(st.Evidence, want) {
				t.Errorf("status.evidence = %+v, want %+v", st.Evidence, want)
			}
		})
	}
}

func TestEvidenceMissingWithoutDataOrVerification(t *testing.T) {
	cases := []struct {
		name    string
		verif   bool
		ms      []v1alpha1.Measurement
		status  metav1.ConditionStatus
		reason  string
		msg     string
		summary *v1alpha1.EvidenceSummary
	}{
		{"no data", true, nil, stUnknown, v1alpha1.ReasonNoData, "No counted measurement yet", nil},
		{"only an unaccepted measurement", true, []v1alpha1.Measurement{report("q1", "2026-Q1", "5.5", "NGO", "2026-04-05T00:00:00Z", records)},
			stUnknown, v1alpha1.ReasonNoData, "No counted measurement yet", nil},
		{"no verification required", false, []v1alpha1.Measurement{report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")},
			stFalse, v1alpha1.ReasonEvidenceComplete, "The indicator requires no verification", &v1alpha1.EvidenceSummary{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if !tc.verif {
				ind.Spec.Verification = nil
			}
			st, _ := irEval(ind, tc.ms, nil, "2026-04-10T00:00:00Z")
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionEvidenceMissing, tc.status, tc.reason, []string{tc.msg}})
			if !reflect.DeepEqual(st.Evidence, tc.summary) {
				t.Errorf("status.evidence = %+v, want %+v", st.Evidence, tc.summary)
			}
		})
	}
}

func TestDataOverdueReasons(t *testing.T) {
	q := func(period, reporter string) v1alpha1.Measurement {
		return report("m-"+period+"-"+reporter, period, "52", reporter, afterClose(period), records)
	}
	monthly := func(i *v1alpha1.Indicator) {
		i.Spec.Cadence, i.Spec.Baseline, i.Spec.Target, i.Spec.ReportingStart = v1alpha1.CadenceMonthly, nil, nil, "2025-01"
	}
	set := func(f func(*v1alpha1.IndicatorSpec)) func(*v1alpha1.Indicator) {
		return func(i *v1alpha1.Indicator) { f(&i.Spec) }
	}
	latest := set(func(s *v1alpha1.IndicatorSpec) { s.Aggregation = v1alpha1.AggregationLatest })
	noBaseline := func(created string) func(*v1alpha1.Indicator) {
		return func(i *v1alpha1.Indicator) {
			i.Spec.Baseline, i.Spec.Target = nil, &v1alpha1.Target{Operator: v1alpha1.OperatorAtLeast, Value: "50", Deadline: "2026-Q4"}
			i.CreationTimestamp = metav1.Time{}
			if created != "" {
				i.CreationTimestamp = metav1.NewTime(at(created))
			}
		}
	}
	const (
		missing, onTime, nothing = v1alpha1.ReasonPeriodNotReported, v1alpha1.ReasonReportedOnTime, v1alpha1.ReasonNothingDue
	)
	cases := []struct {
		name   string
		mutate func(*v1alpha1.Indicator)
		ms     []v1alpha1.Measurement
		now    string
		reason string
		msg    string
		next   string // "": not asserted
	}{
		// Due periods closed *more than* reportingGraceDays ago: at the
		// grace's end exactly, nothing is overdue yet; the next instant it is.
		{"one second before the grace ends", nil, nil, "2026-04-30T23:59:59Z", nothing, "No period is due yet: 2026-Q1 is due 2026-05-01", "2026-05-01T00:00:00.000000001Z"},
		{"exactly when the grace ends", nil, nil, "2026-05-01T00:00:00Z", nothing, "No period is due yet: 2026-Q1 is due 2026-05-01", "2026-05-01T00:00:00.000000001Z"},
		{"one nanosecond after the grace ends", nil, nil, "2026-05-01T00:00:00.000000001Z", missing, "No counted data for 2026-Q1 (data is due 30 days after a period closes)", "2026-07-01T00:00:00Z"},
		{"reported", nil, []v1alpha1.Measurement{q("2026-Q1", "NGO")}, "2026-05-01T00:00:01Z", onTime, "The due period 2026-Q1 has counted data", "2026-07-01T00:00:00Z"},
		{"grace 0: due after the close", set(func(s *v1alpha1.IndicatorSpec) { s.ReportingGraceDays = i32(0) }), nil, "2026-04-01T00:00:01Z", missing,
			"No counted data for 2026-Q1 (data is due 0 days after a period closes)", "2026-07-01T00:00:00Z"},
		{"grace 0: at the close", set(func(s *v1alpha1.IndicatorSpec) { s.ReportingGraceDays = i32(0) }), nil, "2026-04-01T00:00:00Z", nothing,
			"2026-Q1 is due 2026-04-01", "2026-04-01T00:00:00.000000001Z"},
		{"grace defaults to 30", set(func(s *v1alpha1.IndicatorSpec) { s.ReportingGraceDays = nil }), nil, "2026-05-01T00:00:01Z", missing, "(data is due 30 days", ""},
		{"five periods named", monthly, nil, "2025-07-01T00:00:01Z", missing, "No counted data for 2025-01, 2025-02, 2025-03, 2025-04, 2025-05 (data", "2025-07-31T00:00:00.000000001Z"},
		{"six periods: and 1 more", monthly, nil, "2025-08-01T00:00:01Z", missing, "No counted data for 2025-01, 2025-02, 2025-03, 2025-04, 2025-05 and 1 more (data", ""},
		{"twelve periods: and 7 more", monthly, nil, "2026-01-31T00:00:01Z", missing, "2025-01, 2025-02, 2025-03, 2025-04, 2025-05 and 7 more (data", ""},
		{"only missing periods named", monthly, []v1alpha1.Measurement{
			report("jan", "2025-01", "1", "NGO", "2025-02-01T00:00:00Z"), report("mar", "2025-03", "1", "NGO", "2025-04-01T00:00:00Z")},
			"2025-07-01T00:00:01Z", missing, "No counted data for 2025-02, 2025-04, 2025-05 (data", ""},
		{"reportingEnd stops dues", set(func(s *v1alpha1.IndicatorSpec) { s.ReportingEnd = "2026-Q2" }), nil, "2027-06-01T00:00:01Z", missing,
			"No counted data for 2026-Q1, 2026-Q2 (data", "2027-07-01T00:00:00Z"},
		{"reportingEnd reported", set(func(s *v1alpha1.IndicatorSpec) { s.ReportingEnd = "2026-Q2" }), []v1alpha1.Measurement{q("2026-Q1", "NGO"), q("2026-Q2", "NGO")},
			"2027-06-01T00:00:01Z", onTime, "Every due period from 2026-Q1 to 2026-Q2 has counted data", ""},
		{"reportingEnd defaults to the deadline", nil, nil, "2028-01-01T00:00:01Z", missing, "No counted data for 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4 (data", ""},
		{"Latest: only the last due period", latest, []v1alpha1.Measurement{q("2026-Q1", "NGO")}, "2026-10-31T00:00:01Z", missing, "No counted data for 2026-Q3 (data", ""},
		{"Latest: last due period reported", latest, []v1alpha1.Measurement{q("2026-Q3", "NGO")}, "2026-10-31T00:00:01Z", onTime, "The due period 2026-Q3 has counted data", ""},
		{"Latest: nothing due", latest, nil, "2026-04-30T23:59:59Z", nothing, "2026-Q1 is due 2026-05-01", ""},
		{"start defaults to the period after the baseline", set(func(s *v1alpha1.IndicatorSpec) { s.Baseline.Period = "2025-Q2" }), nil, "2026-05-01T00:00:01Z", missing,
			"No counted data for 2025-Q3, 2025-Q4, 2026-Q1 (data", ""},
		{"no baseline: start at the period of creation", noBaseline("2025-11-10T00:00:00Z"), nil, "2026-05-01T00:00:01Z", missing, "No counted data for 2025-Q4, 2026-Q1 (data", ""},
		{"offline: start at the earliest measured period", noBaseline(""), []v1alpha1.Measurement{q("2026-Q2", "NGO")}, "2026-11-01T00:00:01Z", missing,
			"No counted data for 2026-Q3 (data", ""},
		{"offline without data: nothing due", noBaseline(""), nil, "2026-11-01T00:00:00Z", nothing, "No reporting period is due", ""},
		{"explicit reportingStart", set(func(s *v1alpha1.IndicatorSpec) { s.ReportingStart = "2026-Q2" }), nil, "2026-05-01T00:00:01Z", nothing, "2026-Q2 is due 2026-07-31", ""},
		{"an unaccepted report does not count", nil, []v1alpha1.Measurement{report("bad", "2026-Q1", "5.5", "NGO", "2026-04-05T00:00:00Z")},
			"2026-05-01T00:00:01Z", missing, "No counted data for 2026-Q1 (data", ""},
		{"consolidatedBy: only its report counts", set(func(s *v1alpha1.IndicatorSpec) { s.ConsolidatedBy = "Secretariat" }),
			[]v1alpha1.Measurement{q("2026-Q1", "NGO")}, "2026-05-01T00:00:01Z", missing, "No counted data for 2026-Q1 (data", ""},
		{"consolidatedBy reported", set(func(s *v1alpha1.IndicatorSpec) { s.ConsolidatedBy = "Secretariat" }),
			[]v1alpha1.Measurement{q("2026-Q1", "Secretariat")}, "2026-05-01T00:00:01Z", onTime, "The due period 2026-Q1 has counted data", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			if tc.mutate != nil {
				tc.mutate(ind)
			}
			st, next := irEval(ind, tc.ms, nil, tc.now)
			status := stFalse
			if tc.reason == missing {
				status = stTrue
			}
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionDataOverdue, status, tc.reason, []string{tc.msg}})
			if tc.next != "" {
				rsnTime(t, "next", next, tc.next)
			}
		})
	}
}

func TestOnTrackReasons(t *testing.T) {
	milestone := func(period, value string) func(*v1alpha1.Indicator) {
		return func(i *v1alpha1.Indicator) {
			i.Spec.Milestones = []v1alpha1.Milestone{{Period: v1alpha1.Period(period), Value: v1alpha1.Decimal(value)}}
		}
	}
	decrease := func(i *v1alpha1.Indicator) {
		i.Spec.Baseline.Value, i.Spec.Target.Operator, i.Spec.Target.Value = "50", v1alpha1.OperatorDecreaseByPercent, "20"
	}
	noDeadline := func(i *v1alpha1.Indicator) { i.Spec.Target.Deadline = "" }
	const ahead, behind = v1alpha1.ReasonAheadOfTrajectory, v1alpha1.ReasonBehindTrajectory
	cases := []struct {
		name   string
		mutate []func(*v1alpha1.Indicator)
		period string // of the single report; "" none
		got    string
		status metav1.ConditionStatus
		reason string
		msg    string
	}{
		{"exactly on the straight line", nil, "2026-Q1", "42.5", stTrue, ahead, "42.5 in 2026-Q1 is at or past the trajectory value 42.5"},
		{"just behind the straight line", nil, "2026-Q1", "42.49", stFalse, behind, "42.49 in 2026-Q1 is behind the trajectory value 42.5"},
		{"half way", nil, "2026-Q2", "45", stTrue, ahead, "45 in 2026-Q2 is at or past the trajectory value 45"},
		{"milestone of the period wins over the line", []func(*v1alpha1.Indicator){milestone("2026-Q1", "45")}, "2026-Q1", "44", stFalse, behind,
			"44 in 2026-Q1 is behind the milestone 45"},
		{"exactly at the milestone", []func(*v1alpha1.Indicator){milestone("2026-Q1", "45")}, "2026-Q1", "45", stTrue, ahead, "45 in 2026-Q1 is at or past the milestone 45"},
		{"milestone of another period", []func(*v1alpha1.Indicator){milestone("2026-Q2", "49")}, "2026-Q1", "43", stTrue, ahead, "at or past the trajectory value 42.5"},
		{"target reached", nil, "2026-Q1", "50", stTrue, v1alpha1.ReasonTargetReached, "The target is reached"},
		{"downward: on the line", []func(*v1alpha1.Indicator){decrease}, "2026-Q1", "47.5", stTrue, ahead, "47.5 in 2026-Q1 is at or past the trajectory value 47.5"},
		{"downward: above the line", []func(*v1alpha1.Indicator){decrease}, "2026-Q1", "47.51", stFalse, behind, "47.51 in 2026-Q1 is behind the trajectory value 47.5"},
		{"after the deadline the line is the target", nil, "2027-Q1", "49", stFalse, behind, "49 in 2027-Q1 is behind the trajectory value 50"},
		{"no deadline, no milestone", []func(*v1alpha1.Indicator){noDeadline}, "2026-Q1", "44", stUnknown, v1alpha1.ReasonNoTrajectory, "No milestone for 2026-Q1"},
		{"no deadline, a milestone", []func(*v1alpha1.Indicator){noDeadline, milestone("2026-Q1", "45")}, "2026-Q1", "46", stTrue, ahead, "at or past the milestone 45"},
		{"no target", []func(*v1alpha1.Indicator){func(i *v1alpha1.Indicator) { i.Spec.Target = nil }}, "2026-Q1", "44", stUnknown, v1alpha1.ReasonTargetNotSet, "sets no target"},
		{"no data", nil, "", "", stUnknown, v1alpha1.ReasonNoData, "No counted measurement yet"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			ind.Spec.Measure = irAmount
			for _, f := range tc.mutate {
				f(ind)
			}
			var ms []v1alpha1.Measurement
			if tc.period != "" {
				ms = append(ms, report("m", tc.period, tc.got, "NGO", afterClose(tc.period), records))
			}
			st, _ := irEval(ind, ms, nil, "2027-06-01T00:00:00Z")
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionOnTrack, tc.status, tc.reason, []string{tc.msg}})
		})
	}
}

func TestAggregation(t *testing.T) {
	agg := func(a v1alpha1.Aggregation, m v1alpha1.Measure) func(*v1alpha1.Indicator) {
		return func(i *v1alpha1.Indicator) { i.Spec.Aggregation, i.Spec.Measure = a, m }
	}
	perPeriod, cumulative, latest := agg(v1alpha1.AggregationPerPeriod, irCount), agg(v1alpha1.AggregationCumulative, irCount), agg(v1alpha1.AggregationLatest, irCount)
	r := func(period, got, reporter, reported string) v1alpha1.Measurement {
		return irReport("m-"+period+"-"+reporter, period, got, reporter, reported, records)
	}
	cases := []struct {
		name        string
		mutate      func(*v1alpha1.Indicator)
		ms          []v1alpha1.Measurement
		now         string
		period      string
		value       string
		provisional bool
		counted     int32
		reporters   int32
	}{
		{"PerPeriod: the closed period beats the open one", perPeriod,
			[]v1alpha1.Measurement{r("2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "60", "NGO", "2026-05-01T00:00:00Z")},
			"2026-05-02T00:00:00Z", "2026-Q1", "52", false, 1, 1},
		{"PerPeriod: only the open period has data", perPeriod, []v1alpha1.Measurement{r("2026-Q2", "60", "NGO", "2026-05-01T00:00:00Z")},
			"2026-05-02T00:00:00Z", "2026-Q2", "60", true, 1, 1},
		{"PerPeriod: latest closed period with data", perPeriod,
			[]v1alpha1.Measurement{r("2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q3", "70", "NGO", "2026-07-05T00:00:00Z")},
			"2026-08-01T00:00:00Z", "2026-Q1", "52", false, 1, 1},
		{"PerPeriod: a period is closed at its end instant", perPeriod,
			[]v1alpha1.Measurement{r("2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "60", "NGO", "2026-05-01T00:00:00Z")},
			"2026-07-01T00:00:00Z", "2026-Q2", "60", false, 1, 1},
		{"Cumulative: sums from reportingStart", cumulative, []v1alpha1.Measurement{r("2025-Q4", "40", "NGO", "2026-01-05T00:00:00Z"),
			r("2026-Q1", "10", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "15", "NGO", "2026-07-05T00:00:00Z")},
			"2026-07-10T00:00:00Z", "2026-Q2", "25", false, 2, 1},
		{"Cumulative: open period provisional", cumulative, []v1alpha1.Measurement{r("2026-Q1", "10", "NGO", "2026-04-05T00:00:00Z"),
			r("2026-Q2", "15", "Police", "2026-06-05T00:00:00Z")},
			"2026-06-10T00:00:00Z", "2026-Q2", "25", true, 2, 2},
		{"Cumulative: explicit reportingStart", func(i *v1alpha1.Indicator) { cumulative(i); i.Spec.ReportingStart = "2026-Q2" },
			[]v1alpha1.Measurement{r("2026-Q1", "10", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "15", "NGO", "2026-07-05T00:00:00Z")},
			"2026-07-10T00:00:00Z", "2026-Q2", "15", false, 1, 1},
		{"Cumulative Ratio: sum of numerators over sum of denominators", agg(v1alpha1.AggregationCumulative, irRatio),
			[]v1alpha1.Measurement{r("2026-Q1", "1/4", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "2/6", "NGO", "2026-07-05T00:00:00Z")},
			"2026-07-10T00:00:00Z", "2026-Q2", "30", false, 2, 1},
		{"Cumulative Ratio per 100000", agg(v1alpha1.AggregationCumulative, irPer100k),
			[]v1alpha1.Measurement{r("2026-Q1", "3/100000", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "0/200000", "NGO", "2026-07-05T00:00:00Z")},
			"2026-07-10T00:00:00Z", "2026-Q2", "1", false, 2, 1},
		{"Latest: newest report", latest,
			[]v1alpha1.Measurement{r("2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z"), r("2026-Q2", "48", "NGO", "2026-07-03T00:00:00Z")},
			"2026-07-10T00:00:00Z", "2026-Q2", "48", false, 1, 1},
		{"Latest: newest report even of an older period", latest,
			[]v1alpha1.Measurement{r("2026-Q1", "55", "Police", "2026-07-05T00:00:00Z"), r("2026-Q2", "48", "NGO", "2026-07-03T00:00:00Z")},
			"2026-07-10T00:00:00Z", "2026-Q1", "55", false, 1, 1},
		{"Latest: open period provisional", latest, []v1alpha1.Measurement{r("2026-Q2", "48", "NGO", "2026-05-01T00:00:00Z")},
			"2026-05-02T00:00:00Z", "2026-Q2", "48", true, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			tc.mutate(ind)
			st, _ := irEval(ind, tc.ms, nil, tc.now)
			want := &v1alpha1.CurrentValue{Period: v1alpha1.Period(tc.period), Value: tc.value, Display: tc.value, Provisional: tc.provisional, Measurements: tc.counted, Reporters: tc.reporters}
			if !reflect.DeepEqual(st.Current, want) {
				t.Errorf("current = %+v, want %+v", st.Current, want)
			}
		})
	}
}

func TestCombineReporters(t *testing.T) {
	r := func(name, got, reporter, reported string) v1alpha1.Measurement {
		return irReport(name, "2026-Q1", got, reporter, reported, records)
	}
	cases := []struct {
		name         string
		measure      v1alpha1.Measure
		consolidated string
		ms           []v1alpha1.Measurement
		value        string // "": no current value
		counted      int32
		reporters    int32
	}{
		{"Count sums", irCount, "", []v1alpha1.Measurement{r("a", "30", "NGO", "2026-04-02T00:00:00Z"), r("b", "22", "Police", "2026-04-03T00:00:00Z")}, "52", 2, 2},
		{"Amount sums", irAmount, "", []v1alpha1.Measurement{r("a", "10.25", "NGO", "2026-04-02T00:00:00Z"), r("b", "5.5", "Police", "2026-04-03T00:00:00Z")}, "15.75", 2, 2},
		{"Ratio sums terms", irRatio, "", []v1alpha1.Measurement{r("a", "1/4", "NGO", "2026-04-02T00:00:00Z"), r("b", "2/6", "Police", "2026-04-03T00:00:00Z")}, "30", 2, 2},
		{"Boolean takes the newest", irBool, "", []v1alpha1.Measurement{r("a", "true", "NGO", "2026-04-02T00:00:00Z"), r("b", "false", "Police", "2026-04-03T00:00:00Z")}, "false", 2, 2},
		{"Percentage takes the newest", irPct, "", []v1alpha1.Measurement{r("a", "60", "NGO", "2026-04-02T00:00:00Z"), r("b", "40", "Police", "2026-04-03T00:00:00Z")}, "40", 2, 2},
		{"Percentage newest whatever the order", irPct, "", []v1alpha1.Measurement{r("b", "40", "Police", "2026-04-03T00:00:00Z"), r("a", "60", "NGO", "2026-04-02T00:00:00Z")}, "40", 2, 2},
		{"Level takes the newest", irLevel, "", []v1alpha1.Measurement{r("a", "3", "NGO", "2026-04-03T00:00:00Z"), r("b", "1", "Police", "2026-04-02T00:00:00Z")}, "3", 2, 2},
		{"shown rounded half-even (down)", irAmount, "", []v1alpha1.Measurement{r("a", "10.125", "NGO", "2026-04-02T00:00:00Z")}, "10.12", 1, 1},
		{"shown rounded half-even (up)", irAmount, "", []v1alpha1.Measurement{r("a", "10.135", "NGO", "2026-04-02T00:00:00Z")}, "10.14", 1, 1},
		{"same reporter: the correction", irCount, "", []v1alpha1.Measurement{r("a", "30", "NGO", "2026-04-02T00:00:00Z"), r("b", "35", "NGO", "2026-04-04T00:00:00Z")}, "35", 1, 1},
		{"consolidatedBy: only its figure", irCount, "Police", []v1alpha1.Measurement{r("a", "30", "NGO", "2026-04-02T00:00:00Z"), r("b", "22", "Police", "2026-04-03T00:00:00Z")}, "22", 1, 1},
		{"consolidatedBy beats a newer contribution", irPct, "Police", []v1alpha1.Measurement{r("a", "60", "NGO", "2026-04-04T00:00:00Z"), r("b", "40", "Police", "2026-04-03T00:00:00Z")}, "40", 1, 1},
		{"consolidatedBy absent: no value", irCount, "Secretariat", []v1alpha1.Measurement{r("a", "30", "NGO", "2026-04-02T00:00:00Z")}, "", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			ind.Spec.Measure, ind.Spec.ConsolidatedBy, ind.Spec.Baseline, ind.Spec.Target = tc.measure, tc.consolidated, nil, nil
			st, _ := irEval(ind, tc.ms, nil, "2026-04-10T00:00:00Z")
			if tc.value == "" {
				if st.Current != nil {
					t.Errorf("current = %+v, want none", st.Current)
				}
				return
			}
			display := tc.value
			if tc.measure.Type == v1alpha1.MeasureLevel {
				display = "High" // the level at position 3
			}
			want := &v1alpha1.CurrentValue{Period: "2026-Q1", Value: tc.value, Display: display, Measurements: tc.counted, Reporters: tc.reporters}
			if !reflect.DeepEqual(st.Current, want) {
				t.Errorf("current = %+v, want %+v", st.Current, want)
			}
		})
	}
}

func TestFiscalCalendar(t *testing.T) {
	cases := []struct {
		name                     string
		cadence                  v1alpha1.Cadence
		baseline, deadline, per  string
		reported, now            string
		provisional              bool
		history0, history1, next string
	}{
		{"Q1 (Jul-Sep 2025) open", v1alpha1.CadenceQuarterly, "2025-Q4", "2026-Q4", "2026-Q1", "2025-09-20T00:00:00Z", "2025-09-30T23:59:59Z",
			true, "2026-Q1", "2025-Q4", "2025-10-01T00:00:00Z"},
		{"Q1 closed at 2025-10-01", v1alpha1.CadenceQuarterly, "2025-Q4", "2026-Q4", "2026-Q1", "2025-09-20T00:00:00Z", "2025-10-01T00:00:00Z",
			false, "2026-Q2", "2026-Q1", "2025-10-31T00:00:00.000000001Z"},
		{"after Q1's grace, Q2 closes 2026-01-01", v1alpha1.CadenceQuarterly, "2025-Q4", "2026-Q4", "2026-Q1", "2025-09-20T00:00:00Z", "2025-10-31T00:00:01Z",
			false, "2026-Q2", "2026-Q1", "2026-01-01T00:00:00Z"},
		{"year 2026 open until 2026-07-01", v1alpha1.CadenceAnnual, "2025", "2027", "2026", "2026-06-01T00:00:00Z", "2026-06-30T23:59:59Z",
			true, "2026", "2025", "2026-07-01T00:00:00Z"},
		{"year 2026 closed", v1alpha1.CadenceAnnual, "2025", "2027", "2026", "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z",
			false, "2027", "2026", "2026-07-31T00:00:00.000000001Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ind := victimsReferred()
			ind.Spec.Cadence, ind.Spec.Calendar = tc.cadence, &v1alpha1.Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelEnd}
			ind.Spec.Baseline.Period, ind.Spec.Target.Deadline = v1alpha1.Period(tc.baseline), v1alpha1.Period(tc.deadline)
			ms := []v1alpha1.Measurement{report("m", tc.per, "52", "NGO", tc.reported, records)}
			st, next := irEval(ind, ms, nil, tc.now)
			if st.Current == nil || string(st.Current.Period) != tc.per || st.Current.Provisional != tc.provisional {
				t.Errorf("current = %+v, want %s provisional %v", st.Current, tc.per, tc.provisional)
			}
			if string(st.History[0].Period) != tc.history0 || string(st.History[1].Period) != tc.history1 {
				t.Errorf("history starts %s, %s; want %s, %s", st.History[0].Period, st.History[1].Period, tc.history0, tc.history1)
			}
			rsnTime(t, "next", next, tc.next)
		})
	}
}

func TestFiscalPeriodStart(t *testing.T) {
	cases := []struct {
		cadence v1alpha1.Cadence
		period  string
		start   string
		msg     string
	}{
		{v1alpha1.CadenceQuarterly, "2026-Q3", "2026-01-01T00:00:00Z", "period 2026-Q3 had not started when the Measurement was created (2025-12-31T23:59:59Z): it starts 2026-01-01"},
		{v1alpha1.CadenceSemiAnnual, "2026-H2", "2026-01-01T00:00:00Z", "period 2026-H2 had not started when the Measurement was created (2025-12-31T23:59:59Z): it starts 2026-01-01"},
		{v1alpha1.CadenceAnnual, "2027", "2026-07-01T00:00:00Z", "period 2027 had not started when the Measurement was created (2026-06-30T23:59:59Z): it starts 2026-07-01"},
		{v1alpha1.CadenceMonthly, "2026-03", "2026-03-01T00:00:00Z", "period 2026-03 had not started when the Measurement was created (2026-02-28T23:59:59Z): it starts 2026-03-01"},
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			ind := victimsReferred()
			ind.Spec.Cadence, ind.Spec.Calendar = tc.cadence, &v1alpha1.Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelEnd}
			// Judged against the creation time, not the evaluation time:
			// a report made before its period started stays refused.
			early := report("m", tc.period, "52", "NGO", at(tc.start).Add(-time.Second).Format(time.RFC3339))
			if c := Accept(ind, &early, at("2027-12-01T00:00:00Z")); c.Reason != v1alpha1.ReasonPeriodMismatch || !strings.HasPrefix(c.Message, tc.msg) {
				t.Errorf("created before the start: %s %q, want PeriodMismatch %q", c.Reason, c.Message, tc.msg)
			}
			onTime := report("m", tc.period, "52", "NGO", tc.start)
			if c := Accept(ind, &onTime, at("2027-12-01T00:00:00Z")); c.Reason != v1alpha1.ReasonValid {
				t.Errorf("created at the start: %s %q, want Valid", c.Reason, c.Message)
			}
			// Offline, with no creation time, the evaluation time stands in.
			offline := report("m", tc.period, "52", "NGO", tc.start)
			offline.CreationTimestamp, offline.Spec.ReportTime = metav1.Time{}, nil
			if c := Accept(ind, &offline, at(tc.start).Add(-time.Second)); c.Reason != v1alpha1.ReasonPeriodMismatch || !strings.Contains(c.Message, "has not started") {
				t.Errorf("offline before the start: %s %q, want PeriodMismatch", c.Reason, c.Message)
			}
			if c := Accept(ind, &offline, at(tc.start)); c.Reason != v1alpha1.ReasonValid {
				t.Errorf("offline at the start: %s %q, want Valid", c.Reason, c.Message)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	ms := []v1alpha1.Measurement{
		report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z", records),
		report("q4", "2025-Q4", "40", "NGO", "2026-01-05T00:00:00Z"),
		report("q3-bad", "2025-Q3", "4.5", "NGO", "2025-10-05T00:00:00Z", records),
		report("q2-ngo", "2025-Q2", "3", "NGO", "2025-07-05T00:00:00Z", records),
		report("q2-police", "2025-Q2", "4", "Police", "2025-07-06T00:00:00Z"),
		report("q3-2023", "2023-Q3", "9", "NGO", "2023-10-05T00:00:00Z", records),
		report("q2-2023", "2023-Q2", "8", "NGO", "2023-07-05T00:00:00Z", records),
	}
	noBaseline := victimsReferred()
	noBaseline.Spec.Baseline, noBaseline.Spec.Target = nil, nil
	early := victimsReferred()
	early.Spec.Baseline.Period = "2023-Q2"
	cases := []struct {
		name string
		ind  *v1alpha1.Indicator
		want []v1alpha1.HistoryEntry
	}{
		// Without a baseline: the 12 newest periods up to now, unreported
		// ones included.
		{"no baseline", noBaseline, []v1alpha1.HistoryEntry{
			{Period: "2026-Q2"}, {Period: "2026-Q1", Value: "52", Display: "52", Verified: true}, {Period: "2025-Q4", Value: "40", Display: "40"}, {Period: "2025-Q3"},
			// 2025-Q2: the NGO's figure has evidence, the Police's has none;
			// evidence is per counted measurement, so the period is not verified.
			{Period: "2025-Q2", Value: "7", Display: "7", Verified: false}, {Period: "2025-Q1"}, {Period: "2024-Q4"}, {Period: "2024-Q3"},
			{Period: "2024-Q2"}, {Period: "2024-Q1"}, {Period: "2023-Q4"}, {Period: "2023-Q3", Value: "9", Display: "9", Verified: true},
		}},
		// The baseline 2025-Q4 ends the history: no period before it, and
		// its entry shows the baseline's value (40, here also reported).
		{"baseline within the 12", victimsReferred(), []v1alpha1.HistoryEntry{
			{Period: "2026-Q2"}, {Period: "2026-Q1", Value: "52", Display: "52", Verified: true},
			{Period: "2025-Q4", Value: "40", Display: "40", Baseline: true},
		}},
		// A baseline older than the 12 newest periods changes nothing.
		{"baseline before the 12", early, []v1alpha1.HistoryEntry{
			{Period: "2026-Q2"}, {Period: "2026-Q1", Value: "52", Display: "52", Verified: true}, {Period: "2025-Q4", Value: "40", Display: "40"}, {Period: "2025-Q3"},
			{Period: "2025-Q2", Value: "7", Display: "7", Verified: false}, {Period: "2025-Q1"}, {Period: "2024-Q4"}, {Period: "2024-Q3"},
			{Period: "2024-Q2"}, {Period: "2024-Q1"}, {Period: "2023-Q4"}, {Period: "2023-Q3", Value: "9", Display: "9", Verified: true},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := irEval(tc.ind, ms, nil, "2026-04-10T00:00:00Z")
			if len(st.History) != len(tc.want) {
				t.Fatalf("history has %d entries, want %d: %+v", len(st.History), len(tc.want), st.History)
			}
			for i, w := range tc.want {
				if st.History[i] != w {
					t.Errorf("history[%d] = %+v, want %+v", i, st.History[i], w)
				}
			}
			if st.LastMeasurementTime == nil || !st.LastMeasurementTime.Time.Equal(at("2026-04-05T00:00:00Z")) {
				t.Errorf("lastMeasurementTime = %v, want 2026-04-05", st.LastMeasurementTime)
			}
		})
	}
}

// TestHistoryBaselineValue: the baseline's entry shows the baseline's
// value, not what was reported for its period, and a baseline after now
// leaves no period to list.
func TestHistoryBaselineValue(t *testing.T) {
	ind := victimsReferred()
	ms := []v1alpha1.Measurement{report("q4", "2025-Q4", "38", "NGO", "2026-01-05T00:00:00Z", records)}
	st, _ := irEval(ind, ms, nil, "2026-01-10T00:00:00Z")
	want := []v1alpha1.HistoryEntry{{Period: "2026-Q1"}, {Period: "2025-Q4", Value: "40", Display: "40", Baseline: true}}
	if !reflect.DeepEqual(st.History, want) {
		t.Errorf("history = %+v, want %+v", st.History, want)
	}
	ind.Spec.Baseline.Period, ind.Spec.Target.Deadline = "2026-Q3", "2027-Q4"
	if st, _ := irEval(ind, ms, nil, "2026-01-10T00:00:00Z"); len(st.History) != 0 {
		t.Errorf("history = %+v before the baseline period, want none", st.History)
	}
}

func TestIndicatorNextChange(t *testing.T) {
	rr := v1alpha1.MethodRecordsReview
	ev := map[string]*v1alpha1.Evidence{
		"soon":    rsnEvidence("soon", rr, "2025-04-20T00:00:00Z", "2026-04-20T00:00:00Z", v1alpha1.ConditionVerified),
		"later":   rsnEvidence("later", rr, "2025-09-01T00:00:00Z", "2026-09-01T00:00:00Z", v1alpha1.ConditionVerified),
		"elapsed": rsnEvidence("elapsed", rr, "2025-04-01T00:00:00Z", "2026-04-01T00:00:00Z", v1alpha1.ConditionVerified),
	}
	q1 := func(refs ...string) []v1alpha1.Measurement {
		return []v1alpha1.Measurement{irRefs(report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z"), refs...)}
	}
	all := []v1alpha1.Measurement{
		report("q1", "2026-Q1", "45", "NGO", "2026-04-05T00:00:00Z", records), report("q2", "2026-Q2", "46", "NGO", "2026-07-05T00:00:00Z", records),
		report("q3", "2026-Q3", "47", "NGO", "2026-10-05T00:00:00Z", records), report("q4", "2026-Q4", "48", "NGO", "2026-12-05T00:00:00Z", records),
	}
	cases := []struct {
		name string
		ms   []v1alpha1.Measurement
		now  string
		next string
	}{
		{"the close of the current period", nil, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z"},
		{"just after the end of the previous period's grace", nil, "2026-04-10T00:00:00Z", "2026-05-01T00:00:00.000000001Z"},
		{"one second before the grace ends", nil, "2026-04-30T23:59:59Z", "2026-05-01T00:00:00.000000001Z"},
		{"the close of the deadline period", all, "2026-12-15T00:00:00Z", "2027-01-01T00:00:00Z"},
		{"the deadline's grace, after which nothing falls due", all, "2027-01-01T00:00:00Z", "2027-01-31T00:00:00.000000001Z"},
		{"after the reporting end only period closes", all, "2027-02-15T00:00:00Z", "2027-04-01T00:00:00Z"},
		{"a counted Evidence object expires first", q1("soon"), "2026-04-10T00:00:00Z", "2026-04-20T00:00:00Z"},
		{"an Evidence object expiring later", q1("later"), "2026-05-02T00:00:00Z", "2026-07-01T00:00:00Z"},
		{"an expired Evidence object", q1("elapsed"), "2026-05-02T00:00:00Z", "2026-07-01T00:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, next := irEval(victimsReferred(), tc.ms, ev, tc.now)
			rsnTime(t, "next", next, tc.next)
		})
	}
}

func TestIndicatorTransitionTimeAndGeneration(t *testing.T) {
	ind := victimsReferred()
	ind.Generation = 7
	ms := []v1alpha1.Measurement{report("q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z", records)}
	first := at("2026-04-10T08:30:00Z")
	steps := []struct {
		now     string
		changed []string // condition types whose transition is at now
	}{
		{"2026-04-10T08:30:00Z", []string{"Ready", "Stalled", "TargetMet", "EvidenceMissing", "DataOverdue", "OnTrack", "Anomalous"}},
		{"2026-04-20T00:00:00Z", nil},
		{"2026-05-01T00:00:00Z", nil},                     // NothingDue -> ReportedOnTime: same status
		{"2026-07-31T00:00:01Z", []string{"DataOverdue"}}, // Q2 overdue
	}
	for _, s := range steps {
		st, _ := irEval(ind, ms, nil, s.now)
		if st.ObservedGeneration != 7 {
			t.Errorf("%s: observedGeneration %d, want 7", s.now, st.ObservedGeneration)
		}
		for _, c := range st.Conditions {
			want := first
			if contains(s.changed, c.Type) {
				want = at(s.now)
			}
			if !c.LastTransitionTime.Time.Equal(want) || c.ObservedGeneration != 7 {
				t.Errorf("%s: %s lastTransitionTime %v generation %d, want %v and 7", s.now, c.Type, c.LastTransitionTime, c.ObservedGeneration, want)
			}
		}
		if len(st.Conditions) != 7 {
			t.Errorf("%s: %d conditions, want 7", s.now, len(st.Conditions))
		}
		ind.Status = st
	}
}
