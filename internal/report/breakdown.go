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
}

// Dimension is one dimension's table.
type Dimension struct {
	Name  string
	Cells []Cell
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
	var out []*v1alpha1.Measurement
	for _, m := range meas {
		c := m.Status.Conditions
		if m.Namespace != ind.Namespace || m.Spec.IndicatorRef.Name != ind.Name ||
			!samePeriod(string(m.Spec.Period), string(cur.Period), ind.Spec.Cadence) ||
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
	b := &Breakdown{Period: safe(string(ind.Status.Current.Period))}
	if d := ind.Spec.Disclosure; d != nil && d.MinCellSize > 0 {
		b.MinCellSize = d.MinCellSize
	}
	f := formatter{measure: ind.Spec.Measure}
	switch mt {
	case v1alpha1.MeasureCount, v1alpha1.MeasureAmount, v1alpha1.MeasureRatio:
		b.Summed, b.Reports = true, len(reports)
	default:
		// Percentages, levels and Booleans do not add up: the period's
		// value is the newest report's, and so are its cells.
		reports, b.Reports = reports[:1], 1
	}
	total := newQuantity()
	for _, m := range reports {
		total.add(read(m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator))
	}
	in := disclosure.Breakdown{WithholdTotal: withholdTotal}
	if b.Summed {
		// Values that do not add up are not sizes: their total is shown
		// and no table sums to it.
		in.Total = sizeOf(total)
	}
	type dimension struct {
		name  string
		cells []rawCell
	}
	var dims []dimension
	for _, d := range ind.Spec.Disaggregations {
		cells, table, ok := dimensionCells(d, reports, total, b.Summed)
		if !ok {
			continue
		}
		dims = append(dims, dimension{d.Dimension, cells})
		in.Tables = append(in.Tables, table)
	}
	if len(dims) == 0 {
		return nil
	}
	decision := disclosure.Decide(in, b.MinCellSize)
	b.Total = publish(decision.Total, f.format(total), b.MinCellSize)
	b.TotalSuppressed = decision.Total != disclosure.Shown
	for k, d := range dims {
		dim := Dimension{Name: safe(d.name)}
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
		b.Dimensions = append(b.Dimensions, dim)
	}
	return b
}

type rawCell struct {
	category  string
	notStated bool
	q         quantity
}

// dimensionCells sums the reports' cells per category of one dimension,
// declared categories first, then others by name. For measures that add
// up, the part of the total no cell of the dimension covers is a cell of
// its own ("not stated"), so that the cells sum to the total and
// disclosure control protects against subtraction from it; the table is
// additive unless its cells exceed the total. table holds the cells'
// sizes. ok is false when no cell names the dimension, or when a
// non-additive report names a category twice (its values cannot be
// combined).
func dimensionCells(d v1alpha1.Disaggregation, reports []*v1alpha1.Measurement, total quantity, summed bool) (cells []rawCell, table disclosure.Table, ok bool) {
	sums := map[string]quantity{}
	covered := newQuantity()
	for _, m := range reports {
		for _, c := range m.Spec.Breakdown {
			cat, has := c.Categories[d.Dimension]
			if !has {
				continue
			}
			q := read(c.Value, c.Numerator, c.Denominator)
			s, seen := sums[string(cat)]
			if seen && !summed {
				return nil, table, false
			}
			if !seen {
				s = newQuantity()
				sums[string(cat)] = s
			}
			s.add(q)
			covered.add(q)
		}
	}
	if len(sums) == 0 {
		return nil, table, false
	}
	var order []string
	for _, c := range d.Categories {
		if _, has := sums[c]; has {
			order = append(order, c)
		}
	}
	var open []string
	for c := range sums {
		if !contains(d.Categories, c) {
			open = append(open, c)
		}
	}
	sort.Strings(open)
	for _, c := range append(order, open...) {
		cells = append(cells, rawCell{category: c, q: sums[c]})
	}
	if summed {
		rest := total.sub(covered)
		if rest.v.Sign() > 0 || rest.num.Sign() > 0 || rest.den.Sign() > 0 {
			cells = append(cells, rawCell{notStated: true, q: rest})
		}
		table.Additive = rest.v.Sign() >= 0 && rest.num.Sign() >= 0 && rest.den.Sign() >= 0
	}
	for _, c := range cells {
		table.Cells = append(table.Cells, sizeOf(c.q))
	}
	return cells, table, true
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
