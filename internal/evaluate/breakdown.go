package evaluate

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// checkBreakdown refuses cells with an undeclared dimension or category or
// a value not of the measure, repeated cells, and dimension tables (Tables)
// that do not hold: a required dimension that no cell names, and a table
// against its total policy (checkTable).
func checkBreakdown(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, _ time.Time) (string, string) {
	dims := map[string]v1alpha1.Disaggregation{}
	for _, d := range ind.Spec.Disaggregations {
		dims[d.Dimension] = d
	}
	seen := map[string]int{}
	for i, c := range m.Spec.Breakdown {
		if msg := checkCellCategories(i, c, dims); msg != "" {
			return v1alpha1.ReasonBreakdownInconsistent, msg
		}
		// The CRD refuses repeated cells; this holds for objects stored
		// before that rule: a repeated cell counts the same people twice.
		key := cellKey(c)
		if j, dup := seen[key]; dup {
			return v1alpha1.ReasonBreakdownInconsistent, fmt.Sprintf("breakdown[%d] repeats the categories of breakdown[%d]: merge them into one cell", i, j)
		}
		seen[key] = i
	}
	tables, err := Tables(ind.Spec.Measure, ind.Spec.Disaggregations, m.Spec.Breakdown)
	if err != nil {
		return v1alpha1.ReasonBreakdownInconsistent, err.Error()
	}
	total, err := readingOf(ind.Spec.Measure, m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator)
	if err != nil {
		return "", "" // checkValue reports it
	}
	for k, d := range ind.Spec.Disaggregations {
		t := tables[k]
		if d.Required && !t.Named {
			return v1alpha1.ReasonBreakdownInconsistent, fmt.Sprintf("no cell names the required dimension %s: give its table, as cells that name %s alone or together with other dimensions", d.Dimension, d.Dimension)
		}
		if msg := checkTable(ind.Spec.Measure, t, m.Spec.Breakdown, total); msg != "" {
			return v1alpha1.ReasonBreakdownInconsistent, msg
		}
	}
	return "", ""
}

// checkTable checks a present table against its total policy: Equal, its
// cells sum to the value; AtMost, to at most the value; Overlapping, each
// cell is at most the value; NotAdditive, nothing (each cell is its
// subgroup's own figure). For Ratio the numerators and the denominators
// are compared, each with its own.
func checkTable(ms v1alpha1.Measure, t Table, cells []v1alpha1.BreakdownCell, total Reading) string {
	if len(t.Cells) == 0 {
		return ""
	}
	switch t.Total {
	case v1alpha1.TotalEqual:
		sum := t.Sum(ms)
		switch c := compareReadings(sum, total); {
		case c == mixed:
			return fmt.Sprintf("the cells of %s sum to %s, not to the value %s: total Equal requires them to sum to it", t.Dimension, quantityText(sum), quantityText(total))
		case c < 0:
			return fmt.Sprintf("the cells of %s sum to %s, less than the value %s: total Equal requires them to sum to it (with total AtMost, the %s left would be shown as not stated)",
				t.Dimension, quantityText(sum), quantityText(total), quantityText(subReadings(total, sum)))
		case c > 0:
			return fmt.Sprintf("the cells of %s sum to %s, more than the value %s: total Equal requires them to sum to it (total Overlapping accepts cells in which a person may be counted more than once)",
				t.Dimension, quantityText(sum), quantityText(total))
		}
	case v1alpha1.TotalAtMost:
		if sum := t.Sum(ms); compareReadings(sum, total) > 0 {
			return fmt.Sprintf("the cells of %s sum to %s, more than the value %s: total AtMost requires them to sum to at most it",
				t.Dimension, quantityText(sum), quantityText(total))
		}
	case v1alpha1.TotalOverlapping:
		for _, c := range t.Cells {
			if compareReadings(c.Reading, total) > 0 {
				return fmt.Sprintf("%s %q is %s, more than the value %s (%s): total Overlapping requires each cell to be at most it",
					t.Dimension, c.Category, quantityText(c.Reading), quantityText(total), cellSource(c, cells))
			}
		}
	}
	return ""
}

// cellSource says where a table's cell comes from.
func cellSource(c TableCell, cells []v1alpha1.BreakdownCell) string {
	if c.Marginal(cells) {
		return fmt.Sprintf("breakdown[%d]", c.From[0])
	}
	idx := make([]string, len(c.From))
	for i, k := range c.From {
		idx[i] = "breakdown[" + strconv.Itoa(k) + "]"
	}
	return "the sum of " + strings.Join(idx, ", ")
}

// mixed is what compareReadings returns when a Ratio's numerator is above
// and its denominator below (or the reverse).
const mixed = 2

// compareReadings compares a with b: -1 when a is below b (for Ratio,
// neither term above and one below), 0 when equal, 1 when above (neither
// term below and one above), mixed (above 0 too: one term is above)
// otherwise.
func compareReadings(a, b Reading) int {
	if a.Value != nil && b.Value != nil {
		return a.Value.Cmp(b.Value)
	}
	if a.Numerator == nil || b.Numerator == nil {
		return 0
	}
	n, d := a.Numerator.Cmp(b.Numerator), a.Denominator.Cmp(b.Denominator)
	switch {
	case n == d, d == 0:
		return n
	case n == 0:
		return d
	}
	return mixed
}

// subReadings is a - b, term by term.
func subReadings(a, b Reading) Reading {
	var r Reading
	if a.Value != nil && b.Value != nil {
		r.Value = new(big.Rat).Sub(a.Value, b.Value)
	}
	if a.Numerator != nil && b.Numerator != nil {
		r.Numerator = new(big.Rat).Sub(a.Numerator, b.Numerator)
		r.Denominator = new(big.Rat).Sub(a.Denominator, b.Denominator)
	}
	return r
}

// quantityText writes a value, or a Ratio's numerator/denominator.
func quantityText(r Reading) string {
	if r.Value != nil {
		return FormatValue(r.Value)
	}
	return FormatValue(r.Numerator) + "/" + FormatValue(r.Denominator)
}

// notStatedNote is what the Accepted message adds for the indicator's
// AtMost dimensions whose table is present and falls short of the value:
// the part their cells leave not stated, "; not stated: 15 of 11387 by sex
// (0.13%), 9 of 11387 by age (0.08%)". Ratio remainders are written
// numerator/denominator ("2/3 of 30/40 by gender"), without a share.
// Tables that cover the value, and absent tables, are not listed.
func notStatedNote(ind *v1alpha1.Indicator, m *v1alpha1.Measurement) string {
	atMost := false
	for _, d := range ind.Spec.Disaggregations {
		atMost = atMost || TotalOf(d, ind.Spec.Measure) == v1alpha1.TotalAtMost
	}
	if !atMost || len(m.Spec.Breakdown) == 0 {
		return ""
	}
	tables, err := Tables(ind.Spec.Measure, ind.Spec.Disaggregations, m.Spec.Breakdown)
	total, errTotal := readingOf(ind.Spec.Measure, m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator)
	if err != nil || errTotal != nil {
		return ""
	}
	var parts []string
	for _, t := range tables {
		if t.Total != v1alpha1.TotalAtMost || len(t.Cells) == 0 {
			continue
		}
		rest := subReadings(total, t.Sum(ind.Spec.Measure))
		if compareReadings(rest, zeroReading(ind.Spec.Measure)) == 0 {
			continue // the table covers the value
		}
		part := fmt.Sprintf("%s of %s by %s", quantityText(rest), quantityText(total), t.Dimension)
		if rest.Value != nil && total.Value.Sign() != 0 {
			part += " (" + SharePercent(rest.Value, total.Value) + ")"
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ""
	}
	return "; not stated: " + strings.Join(parts, ", ")
}

// SharePercent is part/whole in percent, rounded half-even to 2 places and
// never rounded to 100% or 0% when it is not: "0.13%", "less than 0.01%",
// "more than 99.99%".
func SharePercent(part, whole *big.Rat) string {
	p := new(big.Rat).Quo(part, whole)
	p.Mul(p, big.NewRat(100, 1))
	s := FormatValue(p)
	switch {
	case s == "100" && p.Cmp(big.NewRat(100, 1)) < 0:
		return "more than 99.99%"
	case s == "0" && p.Sign() > 0:
		return "less than 0.01%"
	}
	return s + "%"
}

// cellKey identifies a cell by its categories, whatever their order.
func cellKey(c v1alpha1.BreakdownCell) string {
	keys := make([]string, 0, len(c.Categories))
	for k := range c.Categories {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%q=%q;", k, c.Categories[k])
	}
	return b.String()
}

func checkCellCategories(i int, c v1alpha1.BreakdownCell, dims map[string]v1alpha1.Disaggregation) string {
	keys := make([]string, 0, len(c.Categories))
	for k := range c.Categories {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d, ok := dims[k]
		if !ok {
			return fmt.Sprintf("breakdown[%d]: dimension %q is not declared by the indicator", i, k)
		}
		if len(d.Categories) > 0 && !contains(d.Categories, string(c.Categories[k])) {
			return fmt.Sprintf("breakdown[%d]: %q is not a category of %s (%s)", i, c.Categories[k], k, sortedNames(append([]string(nil), d.Categories...)))
		}
	}
	return ""
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
