package evaluate

import (
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

var fuzzOperators = []v1alpha1.TargetOperator{
	v1alpha1.OperatorAtLeast, v1alpha1.OperatorAtMost, v1alpha1.OperatorIncreaseByPercent, v1alpha1.OperatorDecreaseByPercent,
}

var fuzzAggregations = []v1alpha1.Aggregation{v1alpha1.AggregationPerPeriod, v1alpha1.AggregationCumulative, v1alpha1.AggregationLatest}

// fuzzMeasurements turns bytes into a measurement set: each 4 bytes are a
// quarter, a value, a reporter and whether evidence is attached.
func fuzzMeasurements(data []byte) []v1alpha1.Measurement {
	var ms []v1alpha1.Measurement
	for i := 0; i+4 <= len(data) && len(ms) < 64; i += 4 {
		period := fmt.Sprintf("%d-Q%d", 2025+int(data[i]%3), 1+int(data[i]>>2)%4)
		value := fmt.Sprint(data[i+1])
		if data[i+1]%17 == 0 {
			value = "1.5" // not a Count: must be refused, never counted
		}
		m := report(fmt.Sprintf("m%d", i), period, value, fmt.Sprintf("r%d", data[i+2]%3), "2026-01-01T00:00:00Z")
		m.Spec.ReportTime = &metav1.Time{Time: at("2025-01-01T00:00:00Z").Add(time.Duration(data[i+2]) * 24 * time.Hour)}
		if data[i+3]%2 == 0 {
			m.Spec.Evidence = []v1alpha1.InlineEvidence{records}
		}
		ms = append(ms, m)
	}
	return ms
}

// FuzzEvaluateIndicator evaluates random measurement sets: it must never
// panic, always set every condition, and never claim a met target, present
// evidence or a current value without accepted data.
func FuzzEvaluateIndicator(f *testing.F) {
	f.Add([]byte{0, 52, 1, 0, 4, 40, 2, 1}, uint8(2), uint8(0), uint16(100))
	f.Add([]byte{8, 17, 0, 0}, uint8(0), uint8(1), uint16(400))
	f.Add([]byte{}, uint8(1), uint8(2), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, op, agg uint8, days uint16) {
		ind := victimsReferred()
		ind.Spec.Target.Operator = fuzzOperators[int(op)%len(fuzzOperators)]
		ind.Spec.Aggregation = fuzzAggregations[int(agg)%len(fuzzAggregations)]
		ms := fuzzMeasurements(data)
		now := at("2025-06-01T00:00:00Z").Add(time.Duration(days) * 24 * time.Hour)
		st, next := Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
		checkInvariants(t, ind, ms, st, next, now)
	})
}

func checkInvariants(t *testing.T, ind *v1alpha1.Indicator, ms []v1alpha1.Measurement, st v1alpha1.IndicatorStatus, next, now time.Time) {
	t.Helper()
	for _, typ := range append([]string{v1alpha1.ConditionReady, v1alpha1.ConditionStalled}, indicatorConditionTypes...) {
		c := meta.FindStatusCondition(st.Conditions, typ)
		if c == nil || c.ObservedGeneration != ind.Generation || c.Reason == "" {
			t.Fatalf("condition %s missing or incomplete: %+v", typ, c)
		}
	}
	counted := len(Counted(ind, ms, now))
	met := meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionTargetMet)
	if counted == 0 && (met || st.Current != nil || st.Evidence != nil) {
		t.Fatalf("no accepted data, yet TargetMet %v, current %+v, evidence %+v", met, st.Current, st.Evidence)
	}
	if !next.IsZero() && !next.After(now) {
		t.Fatalf("next change %v is not after now %v", next, now)
	}
	checkHistory(t, ind, st.History, now)
}

// checkHistory: the history runs from the period of now back, newest
// first, at most historyLength periods and none before the baseline, whose
// entry (if listed) alone is marked and shows the baseline's value.
func checkHistory(t *testing.T, ind *v1alpha1.Indicator, h []v1alpha1.HistoryEntry, now time.Time) {
	t.Helper()
	cal := CalendarOf(ind.Spec.Calendar)
	p := PeriodAt(now, ind.Spec.Cadence, cal)
	var base *Period
	if b := ind.Spec.Baseline; b != nil {
		bp, err := ParsePeriod(string(b.Period), ind.Spec.Cadence)
		if err != nil {
			t.Fatal(err)
		}
		base = &bp
	}
	want := 0
	for q := p; want < historyLength && (base == nil || q.Compare(*base) >= 0); q = q.Prev() {
		want++
	}
	if len(h) != want {
		t.Fatalf("history has %d entries, want %d (now %s, baseline %v)", len(h), want, p, base)
	}
	for i, e := range h {
		if string(e.Period) != p.String() {
			t.Fatalf("history[%d] is %s, want %s", i, e.Period, p)
		}
		isBase := base != nil && p.Compare(*base) == 0
		if e.Baseline != isBase || (isBase && e.Value != string(ind.Spec.Baseline.Value)) {
			t.Fatalf("history[%d] = %+v; baseline %v", i, e, base)
		}
		p = p.Prev()
	}
}
