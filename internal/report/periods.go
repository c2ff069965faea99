package report

import (
	"math/big"
	"sort"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/disclosure"
	"github.com/concord-operator/concord/internal/evaluate"
)

// PeriodFigures is one period of an indicator as a publication of its
// figures (an export) may carry it: the period's value and its breakdown's
// cells, each with the mark disclosure control gives it. A figure that is
// not Shown has no value: what is withheld never leaves this package.
type PeriodFigures struct {
	// Period as the counted Measurements (or status.history) write it.
	Period string
	// Reporters of the counted Measurements behind the figures, sorted.
	Reporters []string
	// Measurements are the counted Measurements behind the figures (none
	// for derived and mechanism-backed indicators, whose values are
	// computed), newest first.
	Measurements []*v1alpha1.Measurement
	Total        PublishedFigure
	// Tables are the breakdown's tables, one per dimension the reports
	// give, in the indicator's order.
	Tables []PeriodTable
}

// PublishedFigure is one published figure. Value is in Concord's canonical decimal
// form (a Ratio's value scaled, with its Numerator and Denominator; a
// Boolean "true" or "false"; a Level its position); all are empty unless
// Mark is Shown.
type PublishedFigure struct {
	Value, Numerator, Denominator string
	Mark                          disclosure.Mark
}

// PeriodTable is one dimension's table of a period's breakdown.
type PeriodTable struct {
	Dimension string
	// Total is the dimension's total policy (Equal, AtMost, Overlapping,
	// NotAdditive).
	Total v1alpha1.DisaggregationTotal
	Cells []PeriodCell
}

// PeriodCell is one category's figure; NotStated marks the part of the
// total the reports did not break down by the dimension (Category empty).
type PeriodCell struct {
	Category  string
	NotStated bool
	PublishedFigure
}

// Periods are the indicator's figures per period, oldest first, as it
// counts them and as disclosure control lets them be published: for each
// period with counted Measurements (Accepted, not Superseded, only the
// consolidating reporter's under consolidatedBy), their combined value
// (summed for Count, Amount and Ratio, else the newest report's) and
// breakdown tables, decided as the report decides its breakdown
// (internal/disclosure, spec.disclosure.minCellSize). Derived and
// mechanism-backed indicators have no Measurements: their periods are
// status.history's values (12 periods at most), a Count or Amount below
// minCellSize withheld.
//
// Each period is decided on its own: no sum of periods is published with
// them. The objects must have been evaluated (their status conditions say
// which Measurements count).
func Periods(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement) []PeriodFigures {
	n := minCellSize(ind)
	if ind.Spec.Derived != nil || ind.Spec.Measure.FromMechanism != "" {
		return historyPeriods(ind, n)
	}
	byPeriod := map[string][]*v1alpha1.Measurement{}
	for _, m := range countedIn(ind, meas, func(string) bool { return true }) {
		p := periodOf(ind, m)
		byPeriod[p] = append(byPeriod[p], m) // stays newest first
	}
	var out []PeriodFigures
	for p, reports := range byPeriod {
		out = append(out, periodFigures(ind, p, reports, tabulate(ind, reports, false, n)))
	}
	sortPeriods(out, ind.Spec.Cadence)
	return out
}

// minCellSize is the Indicator's spec.disclosure.minCellSize; 0 for none.
func minCellSize(ind *v1alpha1.Indicator) int32 {
	if d := ind.Spec.Disclosure; d != nil && d.MinCellSize > 0 {
		return d.MinCellSize
	}
	return 0
}

// periodOf is a Measurement's period as its Indicator writes it ("2026-Q1"
// for a "2026-q1" the cadence reads alike).
func periodOf(ind *v1alpha1.Indicator, m *v1alpha1.Measurement) string {
	p := string(m.Spec.Period)
	if pp, err := evaluate.ParsePeriod(p, ind.Spec.Cadence); err == nil {
		p = pp.String()
	}
	return p
}

// periodFigures are the published figures of a period's tabulated reports.
func periodFigures(ind *v1alpha1.Indicator, period string, reports []*v1alpha1.Measurement, t tabulated) PeriodFigures {
	pf := PeriodFigures{Period: period, Measurements: reports, Reporters: reportersOf(reports)}
	pf.Total = figureOf(ind.Spec.Measure, t.total, t.decision.Total, t.summed, t.reports[0])
	for k, d := range t.dims {
		ft := PeriodTable{Dimension: d.name, Total: d.total}
		for i, c := range d.cells {
			fc := PeriodCell{Category: c.category, NotStated: c.notStated}
			fc.PublishedFigure = figureOf(ind.Spec.Measure, c.q, t.decision.Tables[k][i], true, nil)
			ft.Cells = append(ft.Cells, fc)
		}
		pf.Tables = append(pf.Tables, ft)
	}
	return pf
}

// ByReporter are the indicator's figures per period and reporter, oldest
// period first and reporters sorted, for formats that key each figure by
// its reporter (a DHIS2 org unit): each reporter's counted Measurement of
// a period, its breakdown tables decided on their own as Periods decides
// the combined ones. Where the reporters' values add up to the period's
// (Count, Amount and Ratio), the reporters are also decided as the cells
// of a table summing to the period's value, and a reporter that may not be
// shown among the others has all its figures of the period withheld: with
// the period's total published elsewhere, the others' values do not give
// its value away. Each PeriodFigures names one reporter.
//
// Derived and mechanism-backed indicators have no reporters: nil.
func ByReporter(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement) []PeriodFigures {
	if ind.Spec.Derived != nil || ind.Spec.Measure.FromMechanism != "" {
		return nil
	}
	n := minCellSize(ind)
	type key struct{ period, reporter string }
	byKey := map[key][]*v1alpha1.Measurement{}
	reporters := map[string][]string{} // by period
	for _, m := range countedIn(ind, meas, func(string) bool { return true }) {
		p := periodOf(ind, m)
		k := key{p, m.Spec.Reporter}
		if byKey[k] == nil {
			reporters[p] = append(reporters[p], m.Spec.Reporter)
		}
		byKey[k] = append(byKey[k], m) // stays newest first
	}
	var out []PeriodFigures
	for p, rs := range reporters {
		sort.Strings(rs)
		ts := make([]tabulated, len(rs))
		for i, r := range rs {
			ts[i] = tabulate(ind, byKey[key{p, r}], false, n)
		}
		if len(rs) > 1 && ts[0].summed {
			sum := newQuantity()
			cells := make([]*big.Rat, len(rs))
			for i, t := range ts {
				sum.add(t.total)
				cells[i] = sizeOf(t.total)
			}
			d := disclosure.Decide(disclosure.Breakdown{Total: sizeOf(sum),
				Tables: []disclosure.Table{{Cells: cells, Additive: true}}}, n)
			for i, mark := range d.Tables[0] {
				if mark != disclosure.Shown {
					ts[i] = tabulate(ind, byKey[key{p, rs[i]}], true, n)
				}
			}
		}
		for i, r := range rs {
			out = append(out, periodFigures(ind, p, byKey[key{p, r}], ts[i]))
		}
	}
	sortPeriods(out, ind.Spec.Cadence)
	return out
}

// historyPeriods are the values of status.history, oldest first.
func historyPeriods(ind *v1alpha1.Indicator, n int32) []PeriodFigures {
	var out []PeriodFigures
	for _, h := range ind.Status.History {
		if h.Baseline || h.Value == "" {
			continue
		}
		pf := PeriodFigures{Period: string(h.Period), Total: PublishedFigure{Value: h.Value}}
		if r, err := evaluate.ParseNumber(h.Value); err == nil && countsValues(ind.Spec.Measure.Type) && disclosure.Small(r, n) {
			pf.Total = PublishedFigure{Mark: disclosure.Below}
		}
		out = append(out, pf)
	}
	sortPeriods(out, ind.Spec.Cadence)
	return out
}

// sortPeriods orders figures by period, then by their first reporter.
func sortPeriods(ps []PeriodFigures, c v1alpha1.Cadence) {
	first := func(p PeriodFigures) string {
		if len(p.Reporters) == 0 {
			return ""
		}
		return p.Reporters[0]
	}
	sort.Slice(ps, func(i, j int) bool {
		a, errA := evaluate.ParsePeriod(ps[i].Period, c)
		b, errB := evaluate.ParsePeriod(ps[j].Period, c)
		switch {
		case errA != nil || errB != nil:
			if ps[i].Period != ps[j].Period {
				return ps[i].Period < ps[j].Period
			}
		case a.Compare(b) != 0:
			return a.Compare(b) < 0
		}
		return first(ps[i]) < first(ps[j])
	})
}

func reportersOf(ms []*v1alpha1.Measurement) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		if !seen[m.Spec.Reporter] {
			seen[m.Spec.Reporter] = true
			out = append(out, m.Spec.Reporter)
		}
	}
	sort.Strings(out)
	return out
}

// figureOf is a quantity as published under its mark. A value that does
// not add up (a Boolean, a Percentage, a Level) is the newest report's as
// it wrote it.
func figureOf(ms v1alpha1.Measure, q quantity, mark disclosure.Mark, summed bool, newest *v1alpha1.Measurement) PublishedFigure {
	if mark != disclosure.Shown {
		return PublishedFigure{Mark: mark}
	}
	if !summed && newest != nil && newest.Spec.Value != nil {
		v := string(*newest.Spec.Value)
		if r, err := evaluate.ParseNumber(v); err == nil {
			v = evaluate.FormatValue(r)
		}
		return PublishedFigure{Value: v}
	}
	if ms.Type != v1alpha1.MeasureRatio {
		return PublishedFigure{Value: evaluate.FormatValue(q.v)}
	}
	f := PublishedFigure{Numerator: evaluate.FormatValue(q.num), Denominator: evaluate.FormatValue(q.den)}
	scale := big.NewRat(100, 1)
	if ms.Scale != nil {
		if s, err := evaluate.ParseNumber(string(*ms.Scale)); err == nil {
			scale = s
		}
	}
	if v := evaluate.RatioValue(q.num, q.den, scale); v != nil {
		f.Value = evaluate.FormatValue(v)
	}
	return f
}
