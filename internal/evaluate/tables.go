package evaluate

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// TotalOf is the total policy in force for a dimension of a measure: as
// declared, else Equal for Count, Amount and Ratio (their cells add up) and
// NotAdditive for Percentage and Level (each cell is its subgroup's figure).
func TotalOf(d v1alpha1.Disaggregation, m v1alpha1.Measure) v1alpha1.DisaggregationTotal {
	if d.Total != "" {
		return d.Total
	}
	switch m.Type {
	case v1alpha1.MeasureCount, v1alpha1.MeasureAmount, v1alpha1.MeasureRatio:
		return v1alpha1.TotalEqual
	}
	return v1alpha1.TotalNotAdditive
}

// Table is one dimension's table of a breakdown, as it was published.
type Table struct {
	Dimension string
	// Total is the dimension's policy in force (TotalOf).
	Total v1alpha1.DisaggregationTotal
	// Named is true when some cell names the dimension: the table is
	// present, even where its cells cannot be tabulated (cross cells of a
	// NotAdditive dimension are figures of smaller subgroups).
	Named bool
	// Cells has one cell per category: the declared categories first, in
	// their order, then others by name.
	Cells []TableCell
}

// TableCell is one category of a table.
type TableCell struct {
	Category string
	Reading  Reading
	// From are the indexes of the breakdown cells it was taken from: one
	// cell that names the dimension alone, or the cross cells summed over
	// their other dimensions.
	From []int
}

// Marginal reports whether the cell is a cell that names the dimension
// alone (else it is a sum of cross cells).
func (c TableCell) Marginal(cells []v1alpha1.BreakdownCell) bool {
	return len(c.From) == 1 && len(cells[c.From[0]].Categories) == 1
}

// Sum is the sum of the table's cells: Value for measures with a value,
// Numerator and Denominator for Ratio.
func (t Table) Sum(m v1alpha1.Measure) Reading {
	s := zeroReading(m)
	for _, c := range t.Cells {
		addReading(&s, c.Reading)
	}
	return s
}

func zeroReading(m v1alpha1.Measure) Reading {
	if m.Type == v1alpha1.MeasureRatio {
		return Reading{Numerator: new(big.Rat), Denominator: new(big.Rat)}
	}
	return Reading{Value: new(big.Rat)}
}

// addReading adds r into sum, term by term.
func addReading(sum *Reading, r Reading) {
	if r.Value != nil && sum.Value != nil {
		sum.Value.Add(sum.Value, r.Value)
	}
	if r.Numerator != nil && sum.Numerator != nil {
		sum.Numerator.Add(sum.Numerator, r.Numerator)
		sum.Denominator.Add(sum.Denominator, r.Denominator)
	}
}

// Tables returns the table of each of the indicator's dimensions (in their
// declared order) in a breakdown, as Revision 2 reads breakdowns that are
// published per dimension:
//
//   - A category's cell is the cell that names the dimension alone with
//     that category (a marginal table, such as cells by sex alone). Where
//     there is none, it is the cross cells that name the category together
//     with other dimensions, summed over them ({gender: female, age: 18+}
//     and {gender: female, age: 0-17} give gender's female).
//   - The marginal cell wins, category by category: cross cells are not
//     added to it (they break the same persons down further). A category
//     without a marginal cell still takes its cross cells, so cells by sex
//     and age for women next to one cell for men give both sexes.
//   - Where cross cells of several shapes name a category (gender x age and
//     gender x country), only those naming the fewest dimensions are summed
//     (the first in the indicator's order among equals), lest the same
//     persons count twice.
//   - Cross cells are summed only over dimensions whose cells add up
//     without overlap (total Equal or AtMost): summed over an Overlapping
//     dimension they would count a person once per category, and
//     NotAdditive cells are rates or averages. A category given only in
//     such cells is an error for a dimension whose cells add up.
//   - A NotAdditive dimension's cells are its subgroups' own figures: its
//     table holds its marginal cells only, since cross cells are figures of
//     smaller subgroups and do not combine.
//
// Cells with undeclared dimensions are left out (checkBreakdown refuses
// them first). A cell whose figures are not of the measure is an error.
func Tables(m v1alpha1.Measure, dims []v1alpha1.Disaggregation, cells []v1alpha1.BreakdownCell) ([]Table, error) {
	readings := make([]Reading, len(cells))
	for i, c := range cells {
		r, err := readingOf(m, c.Value, c.Numerator, c.Denominator)
		if err != nil {
			return nil, fmt.Errorf("breakdown[%d]: %w", i, err)
		}
		readings[i] = r
	}
	pos := map[string]int{}
	for k, d := range dims {
		pos[d.Dimension] = k
	}
	tables := make([]Table, len(dims))
	for k := range dims {
		t, err := tableOf(m, dims, pos, k, cells, readings)
		if err != nil {
			return nil, err
		}
		tables[k] = t
	}
	return tables, nil
}

// tableOf builds the table of dims[k].
func tableOf(m v1alpha1.Measure, dims []v1alpha1.Disaggregation, pos map[string]int, k int, cells []v1alpha1.BreakdownCell, readings []Reading) (Table, error) {
	d := dims[k]
	t := Table{Dimension: d.Dimension, Total: TotalOf(d, m)}
	marginal := map[string]int{}
	cross := map[string][]int{}    // usable cross cells per category
	blocked := map[string][2]int{} // a cross cell per category that cannot be summed, and the dimension at fault
	var cats []string
	for i, c := range cells {
		cat, ok := c.Categories[d.Dimension]
		if !ok || !declared(c, pos) {
			continue
		}
		t.Named = true
		name := string(cat)
		cats = append(cats, name)
		switch {
		case len(c.Categories) == 1:
			marginal[name] = i
		case t.Total == v1alpha1.TotalNotAdditive:
			// Figures of smaller subgroups: not the category's own.
		default:
			if at := overlapping(c, d.Dimension, dims, pos, m); at >= 0 {
				if _, b := blocked[name]; !b {
					blocked[name] = [2]int{i, at}
				}
				continue
			}
			cross[name] = append(cross[name], i)
		}
	}
	for _, name := range OrderCategories(d.Categories, cats) {
		if i, ok := marginal[name]; ok {
			t.Cells = append(t.Cells, TableCell{Category: name, Reading: readings[i], From: []int{i}})
			continue
		}
		from := narrowest(cross[name], cells, pos)
		if len(from) == 0 {
			if b, ok := blocked[name]; ok {
				other := dims[b[1]]
				return t, fmt.Errorf("breakdown[%d]: %s %q is given only in cells that also name %s (total %s), which cannot be summed over it: %s; give the %s table on its own, as cells that name %s alone",
					b[0], d.Dimension, name, other.Dimension, TotalOf(other, m), whyNotSummed(TotalOf(other, m)), d.Dimension, d.Dimension)
			}
			continue // NotAdditive: only cross cells
		}
		sum := zeroReading(m)
		for _, i := range from {
			addReading(&sum, readings[i])
		}
		t.Cells = append(t.Cells, TableCell{Category: name, Reading: sum, From: from})
	}
	return t, nil
}

func whyNotSummed(t v1alpha1.DisaggregationTotal) string {
	if t == v1alpha1.TotalOverlapping {
		return "a person may be counted in several of its categories"
	}
	return "its cells are each their subgroup's own figure"
}

// declared reports whether every dimension a cell names is declared.
func declared(c v1alpha1.BreakdownCell, pos map[string]int) bool {
	for k := range c.Categories {
		if _, ok := pos[k]; !ok {
			return false
		}
	}
	return true
}

// overlapping returns the position of a dimension other than dim that the
// cell names and whose cells cannot be summed over without counting
// persons twice or adding rates (Overlapping, NotAdditive), else -1. The
// first in the indicator's order is returned.
func overlapping(c v1alpha1.BreakdownCell, dim string, dims []v1alpha1.Disaggregation, pos map[string]int, m v1alpha1.Measure) int {
	at := -1
	for k := range c.Categories {
		if k == dim {
			continue
		}
		p := pos[k]
		switch TotalOf(dims[p], m) {
		case v1alpha1.TotalEqual, v1alpha1.TotalAtMost:
		default:
			if at < 0 || p < at {
				at = p
			}
		}
	}
	return at
}

// narrowest keeps the cells of one shape (the set of dimensions they name):
// the shape naming the fewest dimensions, the first in the indicator's
// order among equals.
func narrowest(idx []int, cells []v1alpha1.BreakdownCell, pos map[string]int) []int {
	var best []int
	var bestShape []int
	for _, i := range idx {
		s := shapeOf(cells[i], pos)
		switch c := compareShapes(s, bestShape); {
		case best == nil || c < 0:
			best, bestShape = []int{i}, s
		case c == 0:
			best = append(best, i)
		}
	}
	return best
}

// shapeOf is the sorted positions of the dimensions a cell names.
func shapeOf(c v1alpha1.BreakdownCell, pos map[string]int) []int {
	s := make([]int, 0, len(c.Categories))
	for k := range c.Categories {
		s = append(s, pos[k])
	}
	sort.Ints(s)
	return s
}

// compareShapes orders shapes by size, then position by position.
func compareShapes(a, b []int) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}

// OrderCategories orders categories, once each: the declared ones first,
// in their order, then the others by name.
func OrderCategories(decl, seen []string) []string {
	in := map[string]bool{}
	for _, c := range seen {
		in[c] = true
	}
	var out, open []string
	for _, c := range decl {
		if in[c] {
			out = append(out, c)
			delete(in, c)
		}
	}
	for c := range in {
		open = append(open, c)
	}
	sort.Strings(open)
	return append(out, open...)
}
