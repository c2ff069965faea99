package report

import (
	"fmt"
	"math/big"
	"sort"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/disclosure"
	"github.com/concord-operator/concord/internal/evaluate"
)

// Breakdown is the breakdown of an indicator's current period: per
// dimension, the counted Measurements' cells summed per category, with the
// figures disclosure control withholds (internal/disclosure) replaced by
// what is published instead.
type Breakdown struct {
	Period string
	// Total is the period's value (for Ratio "numerator/denominator
	// (value)"), or what is published instead: "<5" (for minCellSize 5)
	// when it is below minCellSize, SuppressedWord when it is withheld
	// because the same figure is withheld elsewhere in the report.
	Total string
	// TotalSuppressed is true when Total is not the figure.
	TotalSuppressed bool
	// Reports is the number of counted Measurements the cells come from.
	Reports int
	// Summed is true for Count, Amount and Ratio, whose cells add up; the
	// cells of other measures are those of the newest counted report.
	Summed bool
	// MinCellSize is disclosure.minCellSize (0: none).
	MinCellSize int32
	// Suppressed is true when any cell is suppressed.
	Suppressed bool
	Dimensions []Dimension
	// Omitted are the dimensions named by the reports but not shown.
	Omitted []Omission
}

// Omission is a dimension the reports name that the breakdown cannot
// show: its reports give it only in cells that name other dimensions too
// (Reports 0), or several reports give its subgroup figures, which do not
// combine (Reports > 1).
type Omission struct {
	Dimension string
	// Title names it for people.
	Title   string
	Reports int
}

// Dimension is one dimension's table, as the reports published it: cells
// by that dimension alone, else cross cells summed over their other
// dimensions (evaluate.Tables).
type Dimension struct {
	Name string
	// Title names it for people (concord.dev/display-names).
	Title string
	// Total is the dimension's total policy: Equal, AtMost, Overlapping or
	// NotAdditive.
	Total v1alpha1.DisaggregationTotal
	Cells []Cell
	// ShowTotal is false for NotAdditive tables: their cells are each
	// their subgroup's own figure, and no total row sums them.
	ShowTotal bool
	// Note says how to read the table where its cells do not add up to
	// the total.
	Note string
	// Coverage is the share of the total the table breaks down, as it may
	// be published: "99.87%", a bound ("more than 98.2%") when the
	// not-stated cell shows "<N", SuppressedWord when it or the total is
	// withheld; empty where it does not apply (Overlapping, NotAdditive).
	Coverage string
	// CoverageOf is what Coverage is a share of: "the total", or for Ratio
	// "the denominator".
	CoverageOf string
	// Secondary is true when cells of the table are suppressed that are
	// not below minCellSize (complementary suppression, or cells that add
	// up to a suppressed total): every suppressed cell of the table then
	// shows SuppressedWord, since "<5" would be false for some of them.
	Secondary bool
}

// Cell is one category's value. A suppressed cell has no Value: what is
// withheld never reaches the model, so no renderer can show it.
type Cell struct {
	Category string
	// Title names the category for people (concord.dev/display-names),
	// "Not stated" for the part not broken down.
	Title string
	// NotStated marks the part of the total the reports did not break down
	// by this dimension.
	NotStated  bool
	Value      string
	Suppressed bool
	// Text is what the cell shows: its value; "<5" (for minCellSize 5)
	// when it is suppressed as below minCellSize; SuppressedWord in a
	// table with secondary suppression.
	Text string
}

// SuppressedWord is what a withheld figure shows when no bound may be
// given for it: a cell of a table with secondary suppression (some of its
// suppressed cells are below minCellSize, some are not, and the reader
// must not tell which), or a value withheld so that it cannot be worked
// out from the others.
const SuppressedWord = "suppressed"

// SuppressedText is what a figure below minCellSize shows: "<5" for
// minCellSize 5.
func (b *Breakdown) SuppressedText() string { return belowText(b.MinCellSize) }

func belowText(minCellSize int32) string { return fmt.Sprintf("<%d", minCellSize) }

// publish is what a figure shows under its disclosure mark.
func publish(m disclosure.Mark, value string, minCellSize int32) string {
	switch m {
	case disclosure.Below:
		return belowText(minCellSize)
	case disclosure.Withheld:
		return SuppressedWord
	}
	return value
}

// CategoryText is a cell's category for people.
func (c Cell) CategoryText() string {
	if c.NotStated {
		return "(not stated)"
	}
	return c.Category
}

// quantity is a cell's or a total's amount: a value, or a numerator and a
// denominator for Ratio.
type quantity struct{ v, num, den *big.Rat }

func newQuantity() quantity {
	return quantity{v: new(big.Rat), num: new(big.Rat), den: new(big.Rat)}
}

func (q quantity) add(o quantity) {
	q.v.Add(q.v, o.v)
	q.num.Add(q.num, o.num)
	q.den.Add(q.den, o.den)
}

func (q quantity) sub(o quantity) quantity {
	r := newQuantity()
	r.v.Sub(q.v, o.v)
	r.num.Sub(q.num, o.num)
	r.den.Sub(q.den, o.den)
	return r
}

// read parses a value or numerator/denominator; missing parts are zero.
func read(v, num, den *v1alpha1.Decimal) quantity {
	q := newQuantity()
	for _, p := range []struct {
		d  *v1alpha1.Decimal
		to *big.Rat
	}{{v, q.v}, {num, q.num}, {den, q.den}} {
		if p.d != nil {
			if r, err := evaluate.ParseNumber(string(*p.d)); err == nil {
				p.to.Set(r)
			}
		}
	}
	return q
}

// counted are the Measurements of the indicator's current period that
// count: Accepted True and Superseded False, from the consolidating
// reporter when consolidatedBy is set. Newest first.
func counted(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement) []*v1alpha1.Measurement {
	cur := ind.Status.Current
	if cur == nil || cur.Period == "" {
		return nil
	}
	return countedIn(ind, meas, func(p string) bool { return samePeriod(p, string(cur.Period), ind.Spec.Cadence) })
}

// countedIn are the Measurements that count whose period inPeriod accepts,
// newest first.
func countedIn(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement, inPeriod func(string) bool) []*v1alpha1.Measurement {
	var out []*v1alpha1.Measurement
	for _, m := range meas {
		c := m.Status.Conditions
		if m.Namespace != ind.Namespace || m.Spec.IndicatorRef.Name != ind.Name ||
			!inPeriod(string(m.Spec.Period)) ||
			!meta.IsStatusConditionTrue(c, v1alpha1.ConditionAccepted) ||
			!meta.IsStatusConditionFalse(c, v1alpha1.ConditionSuperseded) ||
			(ind.Spec.ConsolidatedBy != "" && m.Spec.Reporter != ind.Spec.ConsolidatedBy) {
			continue
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return newer(out[i], out[j]) })
	return out
}

func samePeriod(a, b string, c v1alpha1.Cadence) bool {
	pa, errA := evaluate.ParsePeriod(a, c)
	pb, errB := evaluate.ParsePeriod(b, c)
	if errA != nil || errB != nil {
		return a == b
	}
	return pa.Compare(pb) == 0
}

// newer orders reports as the evaluator does: reportTime (else creation
// time), then creation time, then name.
func newer(a, b *v1alpha1.Measurement) bool {
	ta, tb := a.CreationTimestamp.Time, b.CreationTimestamp.Time
	if a.Spec.ReportTime != nil {
		ta = a.Spec.ReportTime.Time
	}
	if b.Spec.ReportTime != nil {
		tb = b.Spec.ReportTime.Time
	}
	if !ta.Equal(tb) {
		return ta.After(tb)
	}
	if ca, cb := a.CreationTimestamp.Time, b.CreationTimestamp.Time; !ca.Equal(cb) {
		return ca.After(cb)
	}
	return a.Name > b.Name
}

// breakdownOf builds the breakdown of the current period, or nil when its
// counted Measurements have no cells. withholdTotal withholds the period's
// value, as the report withholds it elsewhere (a period of a Cumulative
// indicator suppressed so that the others cannot give it away).
func breakdownOf(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement, withholdTotal bool) *Breakdown {
	if len(ind.Spec.Disaggregations) == 0 {
		return nil
	}
	reports := counted(ind, meas)
	hasCells := false
	for _, m := range reports {
		hasCells = hasCells || len(m.Spec.Breakdown) > 0
	}
	if !hasCells {
		return nil
	}
	mt := ind.Spec.Measure.Type
	b := &Breakdown{Period: safe(string(ind.Status.Current.Period)), MinCellSize: minCellSize(ind)}
	f := formatter{measure: ind.Spec.Measure}
	t := tabulate(ind, reports, withholdTotal, b.MinCellSize)
	b.Summed, b.Reports = t.summed, len(t.reports)
	for _, o := range t.omitted {
		o.Dimension = safe(o.Dimension)
		b.Omitted = append(b.Omitted, o)
	}
	if len(t.dims) == 0 && len(b.Omitted) == 0 {
		return nil
	}
	decision, total := t.decision, t.total
	b.Total = publish(decision.Total, f.format(total), b.MinCellSize)
	b.TotalSuppressed = decision.Total != disclosure.Shown
	for k, d := range t.dims {
		dim := Dimension{Name: safe(d.name), Total: d.total, ShowTotal: d.total != v1alpha1.TotalNotAdditive, Note: tableNote(d.total)}
		for i, c := range d.cells {
			cell := Cell{Category: safe(c.category), NotStated: c.notStated}
			mark := decision.Tables[k][i]
			cell.Text = publish(mark, f.format(c.q), b.MinCellSize)
			if mark == disclosure.Shown {
				cell.Value = cell.Text
			}
			cell.Suppressed = mark != disclosure.Shown
			dim.Secondary = dim.Secondary || mark == disclosure.Withheld
			b.Suppressed = b.Suppressed || cell.Suppressed
			dim.Cells = append(dim.Cells, cell)
		}
		dim.Coverage, dim.CoverageOf = coverage(d, decision.Tables[k], decision.Total, total, b.MinCellSize), "the total"
		if mt == v1alpha1.MeasureRatio {
			dim.CoverageOf = "the denominator"
		}
		b.Dimensions = append(b.Dimensions, dim)
	}
	return b
}

// tabulated is one period's counted reports combined: their total, each
// dimension's table, and what disclosure control decides of them.
type tabulated struct {
	// reports are those whose figures make the period's: all the counted
	// reports for measures that add up (summed), else the newest one.
	reports  []*v1alpha1.Measurement
	summed   bool
	total    quantity
	dims     []publishedTable
	omitted  []Omission
	decision disclosure.Decision
}

// tabulate combines the counted reports of one period (newest first) and
// decides which of their figures may be published under minCellSize.
// withholdTotal withholds the period's value, as a report withholds it
// elsewhere.
func tabulate(ind *v1alpha1.Indicator, reports []*v1alpha1.Measurement, withholdTotal bool, minCellSize int32) tabulated {
	t := tabulated{reports: reports}
	switch ind.Spec.Measure.Type {
	case v1alpha1.MeasureCount, v1alpha1.MeasureAmount, v1alpha1.MeasureRatio:
		t.summed = true
	default:
		// Percentages, levels and Booleans do not add up: the period's
		// value is the newest report's, and so are its cells.
		if len(reports) > 1 {
			t.reports = reports[:1]
		}
	}
	t.total = newQuantity()
	var tables [][]evaluate.Table // per report
	for _, m := range t.reports {
		t.total.add(read(m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator))
		// A counted report's cells were accepted, so they tabulate.
		if ts, err := evaluate.Tables(ind.Spec.Measure, ind.Spec.Disaggregations, m.Spec.Breakdown); err == nil {
			tables = append(tables, ts)
		}
	}
	in := disclosure.Breakdown{WithholdTotal: withholdTotal}
	if t.summed {
		// Values that do not add up are not sizes: their total is shown
		// and no table sums to it.
		in.Total = sizeOf(t.total)
	}
	for k, d := range ind.Spec.Disaggregations {
		pt, omitted := publishedTableOf(d, evaluate.TotalOf(d, ind.Spec.Measure), columnOf(tables, k), t.total, t.summed)
		if omitted != nil {
			t.omitted = append(t.omitted, *omitted)
		}
		if pt == nil {
			continue
		}
		t.dims = append(t.dims, *pt)
		in.Tables = append(in.Tables, pt.table)
	}
	t.decision = disclosure.Decide(in, minCellSize)
	return t
}

type rawCell struct {
	category  string
	notStated bool
	q         quantity
}

// publishedTable is one dimension's table before disclosure control.
type publishedTable struct {
	name  string
	total v1alpha1.DisaggregationTotal
	cells []rawCell
	table disclosure.Table
}

// columnOf is the table of dimension k in each report.
func columnOf(tables [][]evaluate.Table, k int) []evaluate.Table {
	out := make([]evaluate.Table, len(tables))
	for i, ts := range tables {
		out[i] = ts[k]
	}
	return out
}

// publishedTableOf combines the reports' tables of one dimension. Tables
// whose cells add up (Equal, AtMost, Overlapping) are summed per category
// over the reports, declared categories first, then others by name. For
// Equal and AtMost the part of the total no cell covers is a cell of its
// own ("not stated"), so that the cells sum to the total and disclosure
// control protects against subtraction from it; such a table is additive
// unless its cells exceed the total. An Overlapping table is not additive
// but bounded: each cell is at most the total. A NotAdditive table's cells
// are subgroups' own figures, shown as one report gave them. It returns nil
// when no report tabulates the dimension, with an Omission when reports
// name it but their figures cannot be shown.
func publishedTableOf(d v1alpha1.Disaggregation, policy v1alpha1.DisaggregationTotal, reports []evaluate.Table, total quantity, summed bool) (*publishedTable, *Omission) {
	var given []evaluate.Table
	named := false
	for _, t := range reports {
		named = named || t.Named
		if len(t.Cells) > 0 {
			given = append(given, t)
		}
	}
	switch {
	case len(given) == 0 && named:
		return nil, &Omission{Dimension: d.Dimension}
	case len(given) == 0:
		return nil, nil
	case policy == v1alpha1.TotalNotAdditive && len(given) > 1:
		return nil, &Omission{Dimension: d.Dimension, Reports: len(given)}
	}
	sums := map[string]quantity{}
	var seen []string
	covered := newQuantity()
	for _, t := range given {
		for _, c := range t.Cells {
			s, ok := sums[c.Category]
			if !ok {
				s = newQuantity()
				sums[c.Category] = s
				seen = append(seen, c.Category)
			}
			q := quantityOf(c.Reading)
			s.add(q)
			covered.add(q)
		}
	}
	pt := &publishedTable{name: d.Dimension, total: policy}
	for _, c := range evaluate.OrderCategories(d.Categories, seen) {
		pt.cells = append(pt.cells, rawCell{category: c, q: sums[c]})
	}
	switch {
	case !summed || policy == v1alpha1.TotalNotAdditive:
	case policy == v1alpha1.TotalOverlapping:
		pt.table.Bounded = true
	default:
		rest := total.sub(covered)
		if rest.v.Sign() > 0 || rest.num.Sign() > 0 || rest.den.Sign() > 0 {
			pt.cells = append(pt.cells, rawCell{notStated: true, q: rest})
		}
		pt.table.Additive = rest.v.Sign() >= 0 && rest.num.Sign() >= 0 && rest.den.Sign() >= 0
	}
	for _, c := range pt.cells {
		pt.table.Cells = append(pt.table.Cells, sizeOf(c.q))
	}
	return pt, nil
}

// quantityOf is a Reading as a quantity (missing terms are zero).
func quantityOf(r evaluate.Reading) quantity {
	q := newQuantity()
	for _, p := range []struct{ from, to *big.Rat }{{r.Value, q.v}, {r.Numerator, q.num}, {r.Denominator, q.den}} {
		if p.from != nil {
			p.to.Set(p.from)
		}
	}
	return q
}

// tableNote says how to read a table whose cells do not add up to the
// total.
func tableNote(t v1alpha1.DisaggregationTotal) string {
	switch t {
	case v1alpha1.TotalOverlapping:
		return "A person may be counted in several categories: the cells may sum to more than the total."
	case v1alpha1.TotalNotAdditive:
		return "Each figure is its subgroup's own (a rate, share or average of that subgroup): the figures are not summed and have no total."
	}
	return ""
}

// coverage is the share of the total that an Equal or AtMost table breaks
// down (for Ratio, of the denominator), as far as disclosure control lets
// it be published: it is the total less the not-stated cell, so it is
// withheld with the total or that cell, and given as a bound where that
// cell shows "<N" (it is then less than N, for a value; a Ratio's "<N"
// bounds the smaller term only, so its share is withheld).
func coverage(t publishedTable, marks []disclosure.Mark, totalMark disclosure.Mark, total quantity, minCellSize int32) string {
	if (t.total != v1alpha1.TotalEqual && t.total != v1alpha1.TotalAtMost) || !t.table.Additive {
		return ""
	}
	base, ratio := total.v, total.den.Sign() != 0
	if ratio {
		base = total.den
	}
	if base.Sign() <= 0 {
		return ""
	}
	if totalMark != disclosure.Shown {
		return SuppressedWord
	}
	last := len(t.cells) - 1
	if last < 0 || !t.cells[last].notStated {
		return "100%"
	}
	rest := t.cells[last].q.v
	if ratio {
		rest = t.cells[last].q.den
	}
	switch {
	case marks[last] == disclosure.Shown:
		return evaluate.SharePercent(new(big.Rat).Sub(base, rest), base)
	case marks[last] == disclosure.Below && !ratio:
		// rest < N, so the share is above (base - N) / base.
		low := new(big.Rat).Sub(base, big.NewRat(int64(minCellSize), 1))
		return "more than " + floorPercent(low, base)
	}
	return SuppressedWord
}

// floorPercent is part/whole in percent, rounded down to 2 places (a lower
// bound stays one); 0% when part is not above 0.
func floorPercent(part, whole *big.Rat) string {
	if part.Sign() <= 0 {
		return "0%"
	}
	p := new(big.Rat).Quo(part, whole)
	p.Mul(p, big.NewRat(10000, 1))
	hundredths := new(big.Int).Quo(p.Num(), p.Denom())
	return evaluate.FormatValue(new(big.Rat).SetFrac(hundredths, big.NewInt(100))) + "%"
}

// sizeOf is what minCellSize is compared with: the value, or for a Ratio
// the smaller of numerator and denominator (both may count persons).
func sizeOf(q quantity) *big.Rat {
	if q.num.Sign() != 0 || q.den.Sign() != 0 {
		if q.num.Cmp(q.den) < 0 {
			return q.num
		}
		return q.den
	}
	return q.v
}

type formatter struct{ measure v1alpha1.Measure }

func (f formatter) format(q quantity) string {
	switch f.measure.Type {
	case v1alpha1.MeasureRatio:
		scale := big.NewRat(100, 1)
		if f.measure.Scale != nil {
			if s, err := evaluate.ParseNumber(string(*f.measure.Scale)); err == nil {
				scale = s
			}
		}
		s := evaluate.FormatValue(q.num) + "/" + evaluate.FormatValue(q.den)
		if v := evaluate.RatioValue(q.num, q.den, scale); v != nil {
			s += " (" + evaluate.FormatValue(v) + ")"
		}
		return s
	case v1alpha1.MeasureLevel:
		return showLevel(f.measure.Levels, evaluate.FormatValue(q.v))
	}
	return evaluate.FormatValue(q.v)
}
