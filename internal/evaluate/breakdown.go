package evaluate

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// checkBreakdown refuses cells with an undeclared dimension or category or
// a value not of the measure, and required dimensions whose cells do not
// sum to the value (numerators and denominators for Ratio).
func checkBreakdown(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, _ time.Time) (string, string) {
	dims := map[string]v1alpha1.Disaggregation{}
	for _, d := range ind.Spec.Disaggregations {
		dims[d.Dimension] = d
	}
	cells := make([]Reading, len(m.Spec.Breakdown))
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
		r, err := readingOf(ind.Spec.Measure, c.Value, c.Numerator, c.Denominator)
		if err != nil {
			return v1alpha1.ReasonBreakdownInconsistent, fmt.Sprintf("breakdown[%d]: %v", i, err)
		}
		cells[i] = r
	}
	total, err := readingOf(ind.Spec.Measure, m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator)
	if err != nil {
		return "", "" // checkValue reports it
	}
	for _, d := range ind.Spec.Disaggregations {
		if msg := checkRequiredSum(d, m.Spec.Breakdown, cells, total); msg != "" {
			return v1alpha1.ReasonBreakdownInconsistent, msg
		}
	}
	return "", ""
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

func checkRequiredSum(d v1alpha1.Disaggregation, cells []v1alpha1.BreakdownCell, readings []Reading, total Reading) string {
	if !d.Required {
		return ""
	}
	if len(cells) == 0 {
		return fmt.Sprintf("dimension %s is required: break the value down by it", d.Dimension)
	}
	sum := Reading{Value: new(big.Rat), Numerator: new(big.Rat), Denominator: new(big.Rat)}
	for i, c := range cells {
		if _, ok := c.Categories[d.Dimension]; !ok {
			return fmt.Sprintf("breakdown[%d] lacks the required dimension %s", i, d.Dimension)
		}
		addReading(&sum, readings[i])
	}
	if total.Value != nil && sum.Value.Cmp(total.Value) != 0 {
		return fmt.Sprintf("the cells of required dimension %s sum to %s, not to the value %s", d.Dimension, FormatValue(sum.Value), FormatValue(total.Value))
	}
	if total.Numerator != nil && (sum.Numerator.Cmp(total.Numerator) != 0 || sum.Denominator.Cmp(total.Denominator) != 0) {
		return fmt.Sprintf("the cells of required dimension %s sum to %s/%s, not to %s/%s", d.Dimension,
			FormatValue(sum.Numerator), FormatValue(sum.Denominator), FormatValue(total.Numerator), FormatValue(total.Denominator))
	}
	return ""
}

// addReading adds r into sum, term by term.
func addReading(sum *Reading, r Reading) {
	if r.Value != nil {
		sum.Value.Add(sum.Value, r.Value)
	}
	if r.Numerator != nil {
		sum.Numerator.Add(sum.Numerator, r.Numerator)
		sum.Denominator.Add(sum.Denominator, r.Denominator)
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
