package report

import (
	"fmt"
	"math/big"
	"sort"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// Breakdown is the breakdown of an indicator's current period: per
// dimension, the counted Measurements' cells summed per category, with
// small cells suppressed.
type Breakdown struct {
	Period string
	// Total is the period's value (for Ratio "numerator/denominator (value)").
	Total string
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
	// Secondary is true when a cell of minCellSize or more is suppressed
	// with the one cell below it (secondary suppression).
	Secondary bool
}

// Cell is one category's value. A suppressed cell has no Value: what is
// hidden never reaches the model, so no renderer can show it.
type Cell struct {
	Category string
	// NotStated marks the part of the total the reports did not break down
	// by this dimension.
	NotStated  bool
	Value      string
	Suppressed bool
	// Text is what the cell shows: its value; "<5" (for minCellSize 5)
	// when it is suppressed as a small cell; SuppressedPair for both cells
	// of a dimension with secondary suppression, since one of them is not
	// below minCellSize and "<5" would misstate it.
	Text string
}

// SuppressedPair is what both suppressed cells of a dimension with
// secondary suppression show.
const SuppressedPair = "suppressed"

// SuppressedText is what a cell suppressed as small shows: "<5" for
// minCellSize 5.
func (b *Breakdown) SuppressedText() string { return fmt.Sprintf("<%d", b.MinCellSize) }

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
// counted Measurements have no cells.
func breakdownOf(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement) *Breakdown {
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
	b := &Breakdown{Period: string(ind.Status.Current.Period)}
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
	b.Total = f.format(total)
	for _, d := range ind.Spec.Disaggregations {
		cells, sizes, ok := dimensionCells(d, reports, total, b.Summed)
		if !ok {
			continue
		}
		hide := Suppress(sizes, b.MinCellSize)
		dim := Dimension{Name: d.Dimension}
		limit := big.NewRat(int64(b.MinCellSize), 1)
		for i := range cells {
			dim.Secondary = dim.Secondary || (hide[i] && sizes[i].Cmp(limit) >= 0)
		}
		for i, c := range cells {
			cell := Cell{Category: c.category, NotStated: c.notStated}
			switch {
			case !hide[i]:
				cell.Value = f.format(c.q)
				cell.Text = cell.Value
			case dim.Secondary:
				cell.Suppressed, cell.Text = true, SuppressedPair
			default:
				cell.Suppressed, cell.Text = true, b.SuppressedText()
			}
			b.Suppressed = b.Suppressed || cell.Suppressed
			dim.Cells = append(dim.Cells, cell)
		}
		b.Dimensions = append(b.Dimensions, dim)
	}
	if len(b.Dimensions) == 0 {
		return nil
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
// its own ("not stated"), so that the cells always sum to the total shown
// and suppression protects against subtraction from it. ok is false when
// no cell names the dimension, or when a non-additive report names a
// category twice (its values cannot be combined).
func dimensionCells(d v1alpha1.Disaggregation, reports []*v1alpha1.Measurement, total quantity, summed bool) (cells []rawCell, sizes []*big.Rat, ok bool) {
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
				return nil, nil, false
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
		return nil, nil, false
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
		if rest := total.sub(covered); rest.v.Sign() > 0 || rest.num.Sign() > 0 || rest.den.Sign() > 0 {
			cells = append(cells, rawCell{notStated: true, q: rest})
		}
	}
	for _, c := range cells {
		sizes = append(sizes, sizeOf(c.q))
	}
	return cells, sizes, true
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
