package evaluate

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func rats(t *testing.T, ss ...string) []*big.Rat {
	t.Helper()
	out := make([]*big.Rat, len(ss))
	for k, s := range ss {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("not a number: %q", s)
		}
		out[k] = r
	}
	return out
}

// TestJudgeValue is the modified z-score rule of Revision 2: |z| > 3.5
// against the median and MAD of the previous periods (at least 4), the
// mean absolute deviation x 1.253314 when the MAD is 0, and any value
// other than the median when that is 0 too.
func TestJudgeValue(t *testing.T) {
	monthly := []string{"52", "48", "55", "50", "47", "53", "51", "49"} // median 50.5, MAD 2
	tests := []struct {
		name     string
		previous []string
		value    string
		reason   string
		median   string // rounded to 6 places
		spread   Spread
		z        string // rounded to 6 places; "" when undefined
	}{
		{"fewer than 4 previous periods", []string{"10", "12", "11"}, "50", v1alpha1.ReasonInsufficientHistory, "", SpreadMAD, ""},
		{"no previous period", nil, "50", v1alpha1.ReasonInsufficientHistory, "", SpreadMAD, ""},
		// median 11.5, deviations 1.5 0.5 0.5 1.5: MAD 1.
		{"exactly 4 previous periods, within", []string{"10", "12", "11", "13"}, "12", v1alpha1.ReasonWithinRange, "11.5", SpreadMAD, "0.33725"},
		{"exactly 4 previous periods, outlier", []string{"10", "12", "11", "13"}, "20", v1alpha1.ReasonOutlierDetected, "11.5", SpreadMAD, "5.73325"},
		{"constant history, same value", []string{"10", "10", "10", "10", "10"}, "10", v1alpha1.ReasonWithinRange, "10", SpreadNone, "0"},
		{"constant history, one more", []string{"10", "10", "10", "10", "10"}, "11", v1alpha1.ReasonOutlierDetected, "10", SpreadNone, ""},
		{"constant history, one less", []string{"10", "10", "10", "10", "10"}, "9", v1alpha1.ReasonOutlierDetected, "10", SpreadNone, ""},
		// MAD 0, mean absolute deviation 0.8: the spread is 1.253314 x 0.8
		// = 1.0026512 and z = (x - 10) / 1.0026512.
		{"MAD 0, mean AD above 0, within", []string{"10", "10", "10", "10", "14"}, "13", v1alpha1.ReasonWithinRange, "10", SpreadMeanAD, "2.9920674"},
		{"MAD 0, mean AD above 0, outlier", []string{"10", "10", "10", "10", "14"}, "14", v1alpha1.ReasonOutlierDetected, "10", SpreadMeanAD, "3.9894232"},
		{"MAD 0, mean AD above 0, exactly at the bound", []string{"10", "10", "10", "10", "14"}, "13.5092792", v1alpha1.ReasonWithinRange, "10", SpreadMeanAD, "3.5"},
		{"a data-entry error: an extra zero", monthly, "510", v1alpha1.ReasonOutlierDetected, "50.5", SpreadMAD, "154.966375"},
		{"a data-entry error: a zero dropped", monthly, "5", v1alpha1.ReasonOutlierDetected, "50.5", SpreadMAD, "-15.344875"},
		{"a normal value", monthly, "54", v1alpha1.ReasonWithinRange, "50.5", SpreadMAD, "1.180375"},
		{"a value of a normal month in a high range", monthly, "56", v1alpha1.ReasonWithinRange, "50.5", SpreadMAD, "1.854875"},
		// median 10, MAD 1.349: z = 0.6745 x 7 / 1.349 = 3.5 exactly.
		{"bound exactly at 3.5 above: not an outlier", []string{"8.651", "10", "10", "11.349", "11.349"}, "17", v1alpha1.ReasonWithinRange, "10", SpreadMAD, "3.5"},
		{"bound exactly at 3.5 below: not an outlier", []string{"8.651", "10", "10", "11.349", "11.349"}, "3", v1alpha1.ReasonWithinRange, "10", SpreadMAD, "-3.5"},
		{"just beyond the bound", []string{"8.651", "10", "10", "11.349", "11.349"}, "17.000001", v1alpha1.ReasonOutlierDetected, "10", SpreadMAD, "3.5000005"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := judgeValue(rats(t, tc.value)[0], rats(t, tc.previous...))
			if s.Reason != tc.reason {
				t.Fatalf("reason %s, want %s (%+v)", s.Reason, tc.reason, s)
			}
			if tc.reason == v1alpha1.ReasonInsufficientHistory {
				return
			}
			if got := Format(s.Median, 6); got != tc.median {
				t.Errorf("median %s, want %s", got, tc.median)
			}
			if s.Spread != tc.spread {
				t.Errorf("spread %v, want %v", s.Spread, tc.spread)
			}
			z := ""
			if s.Z != nil {
				z = Format(s.Z, 7)
			}
			if z != tc.z {
				t.Errorf("z %s, want %s", z, tc.z)
			}
		})
	}
}

// monthlyCount is a monthly Count without target, reported from 2025-01.
func monthlyCount(aggregation v1alpha1.Aggregation) *v1alpha1.Indicator {
	ind := victimsReferred()
	ind.Spec.Cadence = v1alpha1.CadenceMonthly
	ind.Spec.Aggregation = aggregation
	ind.Spec.Baseline, ind.Spec.Target, ind.Spec.Verification = nil, nil, nil
	ind.Spec.ReportingStart = "2025-01"
	return ind
}

// monthlyReports reports the values for the months from 2025-01 on, each
// on the 5th of the next month or at the time after an "@" ("5@2025-10-10"
// is reported on 2025-10-10); "" leaves a month unreported.
func monthlyReports(values ...string) []v1alpha1.Measurement {
	var ms []v1alpha1.Measurement
	p := Period{Cadence: v1alpha1.CadenceMonthly, Year: 2025, Index: 1}
	for _, v := range values {
		if v != "" {
			reported := p.End(Calendar{}).AddDate(0, 0, 4).Format(time.RFC3339)
			if value, day, ok := strings.Cut(v, "@"); ok {
				v, reported = value, day+"T00:00:00Z"
			}
			ms = append(ms, report("m-"+p.String(), p.String(), v, "NGO", reported))
		}
		p = p.Next()
	}
	return ms
}

// TestAnomalousCondition is the Anomalous condition of an Indicator: the
// current period's own value against the previous up to 8 periods with
// data, whatever the aggregation; never Ready.
func TestAnomalousCondition(t *testing.T) {
	history := []string{"52", "48", "55", "50", "47", "53", "51", "49"} // 2025-01 to 2025-08
	tests := []struct {
		name        string
		aggregation v1alpha1.Aggregation
		values      []string // from 2025-01
		now         string
		status      metav1.ConditionStatus
		reason      string
		msg         []string
		score       string
	}{
		{"no data", v1alpha1.AggregationPerPeriod, nil, "2025-10-15T00:00:00Z", stUnknown, v1alpha1.ReasonNoData, []string{"No counted measurement yet"}, ""},
		{"three previous periods", v1alpha1.AggregationPerPeriod, []string{"52", "48", "55", "510"}, "2025-05-15T00:00:00Z", stUnknown, v1alpha1.ReasonInsufficientHistory,
			[]string{"2025-04 has 3 previous periods with data; at least 4 are needed"}, ""},
		{"an extra zero", v1alpha1.AggregationPerPeriod, append(history, "510"), "2025-10-15T00:00:00Z", stTrue, v1alpha1.ReasonOutlierDetected,
			[]string{"2025-09: 510 is an outlier against the 8 previous periods with data (2025-01 to 2025-08): median 50.5, MAD 2, modified z-score 154.97; the bound is 3.5"}, "154.97"},
		{"within range", v1alpha1.AggregationPerPeriod, append(history, "54"), "2025-10-15T00:00:00Z", stFalse, v1alpha1.ReasonWithinRange,
			[]string{"2025-09: 54 is within range of the 8 previous periods with data (2025-01 to 2025-08): median 50.5, MAD 2, modified z-score 1.18; the bound is 3.5"}, "1.18"},
		// Only the 8 newest previous periods with data count, and months
		// without data are skipped: the two huge oldest figures are left
		// out, the gap of 2025-05 too.
		{"only the previous 8 periods with data", v1alpha1.AggregationPerPeriod,
			[]string{"900", "900", "52", "48", "", "55", "50", "47", "53", "51", "49", "54"}, "2026-01-15T00:00:00Z", stFalse, v1alpha1.ReasonWithinRange,
			[]string{"2025-12: 54 is within range of the 8 previous periods with data (2025-03 to 2025-11)"}, "1.18"},
		{"constant history", v1alpha1.AggregationPerPeriod, []string{"10", "10", "10", "10", "10", "11"}, "2025-07-15T00:00:00Z", stTrue, v1alpha1.ReasonOutlierDetected,
			[]string{"2025-06: 11 is an outlier against the 5 previous periods with data (2025-01 to 2025-05): each of them is 10 (MAD and mean absolute deviation 0), so any other value is an outlier"}, "+Inf"},
		{"constant history, below", v1alpha1.AggregationPerPeriod, []string{"10", "10", "10", "10", "10", "9"}, "2025-07-15T00:00:00Z", stTrue, v1alpha1.ReasonOutlierDetected, nil, "-Inf"},
		{"MAD 0, mean absolute deviation in its place", v1alpha1.AggregationPerPeriod, []string{"10", "10", "10", "10", "14", "14"}, "2025-07-15T00:00:00Z", stTrue, v1alpha1.ReasonOutlierDetected,
			[]string{"median 10, MAD 0 (1.253314 × mean absolute deviation 0.8 = 1 in its place), modified z-score 3.99; the bound is 3.5"}, "3.99"},
		// Cumulative: the period's own value is judged, not the running
		// sum (which is 445 + 54 here).
		{"cumulative judges the period's own value", v1alpha1.AggregationCumulative, append(history, "54"), "2025-10-15T00:00:00Z", stFalse, v1alpha1.ReasonWithinRange,
			[]string{"2025-09: 54 is within range"}, "1.18"},
		// Latest: the newest report's period, with its own value.
		{"latest judges the newest report's period", v1alpha1.AggregationLatest, append(history, "510"), "2025-10-15T00:00:00Z", stTrue, v1alpha1.ReasonOutlierDetected,
			[]string{"2025-09: 510 is an outlier"}, "154.97"},
		// A provisional value (the open period) is not judged: its figure
		// may be incomplete. The latest closed period with data is.
		{"provisional cumulative value: the latest closed period", v1alpha1.AggregationCumulative, append(history, "54", "5@2025-10-10"), "2025-10-15T00:00:00Z", stFalse, v1alpha1.ReasonWithinRange,
			[]string{"2025-09: 54 is within range", "(2025-10 is open and its value provisional: the latest closed period with data is judged)"}, "1.18"},
		{"one previous period", v1alpha1.AggregationPerPeriod, []string{"52", "510"}, "2025-03-15T00:00:00Z", stUnknown, v1alpha1.ReasonInsufficientHistory,
			[]string{"2025-02 has 1 previous period with data; at least 4 are needed to judge its value"}, ""},
		{"provisional value without a closed period", v1alpha1.AggregationPerPeriod, []string{"52@2025-01-10"}, "2025-01-15T00:00:00Z", stUnknown, v1alpha1.ReasonNoData,
			[]string{"No closed period has counted data yet: 2025-01 is open and its value provisional"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ind := monthlyCount(tc.aggregation)
			ind.Spec.ReportingStart = "2025-01"
			st, _, sig := IndicatorWithSignals(IndicatorInput{Indicator: ind, Measurements: monthlyReports(tc.values...)}, at(tc.now))
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionAnomalous, tc.status, tc.reason, tc.msg},
				rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil})
			if sig.AnomalyScore != tc.score {
				t.Errorf("anomaly score %q, want %q", sig.AnomalyScore, tc.score)
			}
		})
	}
}

// TestAnomalousTransitionsOnTheClose: a provisional value becomes judged
// when its period closes, so the requeue at the close of the current
// period (already there for provisional values) also moves Anomalous.
func TestAnomalousTransitionsOnTheClose(t *testing.T) {
	ind := monthlyCount(v1alpha1.AggregationLatest)
	ms := monthlyReports("52", "48", "55", "50", "47", "510@2025-06-19")
	st, next, _ := IndicatorWithSignals(IndicatorInput{Indicator: ind, Measurements: ms}, at("2025-06-20T00:00:00Z"))
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionAnomalous, stFalse, v1alpha1.ReasonWithinRange, []string{"2025-05: 47 is within range", "2025-06 is open"}})
	if !next.Equal(at("2025-07-01T00:00:00Z")) {
		t.Fatalf("next %v, want the close of 2025-06", next)
	}
	st, _, _ = IndicatorWithSignals(IndicatorInput{Indicator: ind, Measurements: ms}, at("2025-07-01T00:00:00Z"))
	rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionAnomalous, stTrue, v1alpha1.ReasonOutlierDetected, []string{"2025-06: 510 is an outlier"}})
}

// TestAnomalyOfMatchesTheCondition: the report's AnomalyOf, from accepted
// Measurements, judges the same period with the same message.
func TestAnomalyOfMatchesTheCondition(t *testing.T) {
	ind := monthlyCount(v1alpha1.AggregationPerPeriod)
	ms := monthlyReports("52", "48", "55", "50", "47", "53", "51", "49", "510")
	now := at("2025-10-15T00:00:00Z")
	st, _ := Indicator(IndicatorInput{Indicator: ind, Measurements: ms}, now)
	var accepted []*v1alpha1.Measurement
	for k := range ms {
		accepted = append(accepted, &ms[k])
	}
	a, ok := AnomalyOf(ind, accepted, now)
	if !ok {
		t.Fatal("no anomaly judgement")
	}
	c := cond(t, st.Conditions, v1alpha1.ConditionAnomalous)
	if a.Reason != c.Reason || a.Message != c.Message || a.Period.String() != "2025-09" || FormatValue(a.Value) != "510" || FormatValue(a.Median) != "50.5" {
		t.Errorf("AnomalyOf %+v, condition %s %q", a, c.Reason, c.Message)
	}
	if !strings.Contains(fmt.Sprint(a.Previous), "2025-01") {
		t.Errorf("previous periods %v", a.Previous)
	}
}
