package report

import (
	"math/big"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/disclosure"
	"github.com/concord-operator/concord/internal/evaluate"
)

// WithheldMessage replaces a condition message that states a figure the
// report withholds.
const WithheldMessage = "(message withheld: it states a figure below the indicator's disclosure.minCellSize)"

// countsValues reports whether the measure's values are counts (of
// persons, cases, hours or money) that disclosure.minCellSize applies to.
// A percentage, a rate, a level or a Boolean is not a count: it is shown
// as it is, and only breakdown cells are controlled.
func countsValues(t v1alpha1.MeasureType) bool {
	return t == v1alpha1.MeasureCount || t == v1alpha1.MeasureAmount
}

// discloseValues replaces the indicator's figures that disclosure control
// withholds (internal/disclosure) by what is published instead: the
// current value, the history and trend, the baseline, and what would give
// them away (the progress, the absolute value of a target relative to a
// withheld baseline, the TargetMet and OnTrack messages). It runs before
// the row leaves indicatorRow, so no withheld figure stays in the model.
// periodWithheld reports whether the value of the current period is
// withheld, which its breakdown's total must then be too.
func discloseValues(row *Indicator, spec *v1alpha1.IndicatorSpec) (periodWithheld bool) {
	n := row.MinCellSize
	if n <= 0 || !countsValues(spec.Measure.Type) {
		return false
	}
	small := func(v string) bool {
		r, err := evaluate.ParseNumber(v)
		return err == nil && disclosure.Small(r, n)
	}

	current := disclosure.Shown
	if row.CurrentValue != "" && small(row.CurrentValue) {
		current = disclosure.Below
	}
	var periodMark disclosure.Mark
	if spec.Aggregation == v1alpha1.AggregationCumulative {
		current, periodMark = discloseCumulative(row, n)
	} else {
		for _, entries := range [][]HistoryEntry{row.History, row.Trend} {
			for k, h := range entries {
				if h.Value != "" && small(h.Value) {
					entries[k].Value, entries[k].Suppressed = publish(disclosure.Below, h.Value, n), true
				}
			}
		}
		periodMark = current
	}
	if current != disclosure.Shown {
		row.CurrentValue, row.CurrentSuppressed = publish(current, row.CurrentValue, n), true
	}
	if row.BaselineValue != "" && small(row.BaselineValue) {
		row.BaselineValue, row.BaselineSuppressed = publish(disclosure.Below, row.BaselineValue, n), true
		// A relative target's absolute value is the baseline moved by
		// the target: "+25% of baseline" at 5 gives the baseline 4.
		if strings.Contains(row.TargetOperator, "By") {
			row.AbsoluteTarget, row.TargetWithheld = "", true
		}
	}
	if row.CurrentSuppressed || row.BaselineSuppressed {
		// The progress is computed from the value and the baseline, and
		// the messages of TargetMet and OnTrack state them.
		row.Progress = ""
		for _, c := range []*Condition{&row.TargetMet, &row.OnTrack} {
			if c.Message != "" {
				c.Message = WithheldMessage
			}
		}
	}
	return periodMark != disclosure.Shown
}

// discloseCumulative controls a Cumulative indicator's series. Its value
// is the sum of its periods' values; where the history reaches back to the
// first period summed (the trend is a running total), the periods are a
// table of that total, protected as a breakdown's cells are: a single
// withheld period would be the value less the others. Running totals are
// shown only where the shown figures give them anyway. It returns the
// marks of the value and of the current period.
func discloseCumulative(row *Indicator, n int32) (current, period disclosure.Mark) {
	var idx []int // row.History entries with a value, oldest first
	at := -1
	var terms []*big.Rat
	for k := len(row.History) - 1; k >= 0; k-- {
		h := row.History[k]
		if h.Value == "" {
			continue
		}
		r, err := evaluate.ParseNumber(h.Value)
		if err != nil {
			r = new(big.Rat) // not a number: counted as small
		}
		if h.Period == row.CurrentPeriod {
			at = len(idx)
		}
		idx = append(idx, k)
		terms = append(terms, r)
	}
	marks := make([]disclosure.Mark, len(terms))
	for p, t := range terms {
		if disclosure.Small(t, n) {
			marks[p] = disclosure.Below
		}
	}
	current = disclosure.Shown
	total, err := evaluate.ParseNumber(row.CurrentValue)
	switch {
	case err != nil:
	case row.TrendKind == TrendRunningTotal && at >= 0:
		// The terms up to the value's period sum to it.
		var head []disclosure.Mark
		current, head = disclosure.Series(terms[:at+1], total, true, n)
		copy(marks, head)
	case disclosure.Small(total, n):
		current = disclosure.Below
	}
	for p, k := range idx {
		if marks[p] != disclosure.Shown {
			row.History[k].Value, row.History[k].Suppressed = publish(marks[p], row.History[k].Value, n), true
		}
	}
	trendMarks := marks
	if row.TrendKind == TrendRunningTotal {
		trendMarks = disclosure.RunningTotals(marks, at, current)
	}
	p := 0
	for k, h := range row.Trend {
		if h.Value == "" {
			continue
		}
		if p < len(trendMarks) && trendMarks[p] != disclosure.Shown {
			row.Trend[k].Value, row.Trend[k].Suppressed = publish(trendMarks[p], h.Value, n), true
		}
		p++
	}
	if at >= 0 {
		period = marks[at]
	}
	return current, period
}
