package evaluate

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// MaxDerivedDepth bounds how far the inputs of a derived indicator are
// followed: its inputs are level 1, their inputs level 2, and so on. An
// indicator reached first at this level must take Measurements itself: a
// derived one would need inputs beyond the bound, and makes the indicator
// that reaches it InvalidSpec. Callers gather inputs with WalkInputs, which
// stops at the same level, so the evaluator never needs an indicator they
// did not gather.
const MaxDerivedDepth = 8

// InputIndicator is an Indicator a derived indicator takes values from,
// with the Measurements whose indicatorRef names it.
type InputIndicator struct {
	Indicator    *v1alpha1.Indicator
	Measurements []v1alpha1.Measurement
}

// WalkInputs visits, breadth first, the Indicators that ind's spec.derived
// names, then the inputs of those that are derived themselves, down to
// MaxDerivedDepth levels. get is called once per name (never for ind's own)
// and returns the Indicator of that name, or nil when the namespace has
// none. It does nothing for an indicator that is not derived.
func WalkInputs(ind *v1alpha1.Indicator, get func(name string) (*v1alpha1.Indicator, error)) error {
	_, err := walk(ind, get)
	return err
}

// reached is an indicator met by walk.
type reached struct {
	ind   *v1alpha1.Indicator // nil: none of that name
	depth int                 // 0 for the root
	via   string              // the derived indicator it was first reached from
	hop   int                 // index of the root's input it was first reached through
}

// walk is WalkInputs, returning what it reached by name, the root included.
func walk(root *v1alpha1.Indicator, get func(string) (*v1alpha1.Indicator, error)) (map[string]*reached, error) {
	seen := map[string]*reached{root.Name: {ind: root, hop: -1}}
	level := []string{root.Name}
	for depth := 1; depth <= MaxDerivedDepth && len(level) > 0; depth++ {
		var next []string
		for _, name := range level {
			from := seen[name]
			if from.ind == nil || from.ind.Spec.Derived == nil {
				continue
			}
			for j, in := range from.ind.Spec.Derived.Inputs {
				if seen[in.Name] != nil {
					continue
				}
				got, err := get(in.Name)
				if err != nil {
					return nil, err
				}
				r := &reached{ind: got, depth: depth, via: name, hop: from.hop}
				if depth == 1 {
					r.hop = j
				}
				seen[in.Name] = r
				next = append(next, in.Name)
			}
		}
		level = next
	}
	return seen, nil
}

// InputProblem is what keeps a derived indicator from being evaluated.
type InputProblem struct {
	// Input is the index, in the indicator's spec.derived.inputs, of the
	// input the problem lies in or is reached through.
	Input int
	// Field is the field at fault below spec.derived.inputs[Input]: "name",
	// or "categories.<dimension>".
	Field string
	// Own is true when the problem lies in the indicator's own
	// spec.derived (an input that does not exist, is of another cadence or
	// calendar, or selects an undeclared category; a cycle through the
	// indicator; a chain of inputs deeper than MaxDerivedDepth). Otherwise
	// it lies in the spec of an input reached through Input, which is
	// itself derived and has the problem as its own.
	Own bool
	// Reason is InvalidSpec (only a spec change can help: Stalled True) or
	// InputNotFound (the input may be created: Stalled False).
	Reason  string
	Message string
}

// CheckInputs finds what keeps a derived indicator from being evaluated:
// inputs that do not exist in its namespace, inputs of another cadence or
// calendar or of a measure the operation cannot combine, categories the
// input does not declare, cycles, and chains deeper than MaxDerivedDepth.
// lookup returns an Indicator of the namespace by name (nil: none). It
// finds nothing for an indicator that is not derived.
func CheckInputs(ind *v1alpha1.Indicator, lookup func(name string) *v1alpha1.Indicator) []InputProblem {
	if ind.Spec.Derived == nil {
		return nil
	}
	seen, _ := walk(ind, func(name string) (*v1alpha1.Indicator, error) { return lookup(name), nil })
	return checkReached(ind, seen)
}

func checkReached(root *v1alpha1.Indicator, seen map[string]*reached) []InputProblem {
	var out []InputProblem
	for _, name := range walkOrder(seen) {
		r := seen[name]
		if r.ind == nil || r.ind.Spec.Derived == nil {
			continue
		}
		if r.depth == MaxDerivedDepth {
			out = append(out, InputProblem{Input: r.hop, Field: "name", Own: true, Reason: v1alpha1.ReasonInvalidSpec,
				Message: fmt.Sprintf("the chain of derived inputs %s is deeper than %d levels: its last indicator must take Measurements", chainTo(seen, name), MaxDerivedDepth)})
			continue
		}
		for j, in := range r.ind.Spec.Derived.Inputs {
			var target *v1alpha1.Indicator
			if t := seen[in.Name]; t != nil {
				target = t.ind
			}
			reason, field, msg := checkEdge(r.ind, j, target)
			if reason == "" {
				continue
			}
			p := InputProblem{Input: j, Field: field, Own: r.depth == 0, Reason: reason, Message: msg}
			if !p.Own {
				p.Input, p.Field = r.hop, "name"
				p.Message = fmt.Sprintf("Indicator %q (%s): %s", name, chainTo(seen, name), msg)
			}
			out = append(out, p)
		}
	}
	if c := findCycle(root, seen); c != nil {
		out = append(out, *c)
	}
	return out
}

// walkOrder lists the names reached, the root first, then by level and
// name, so that problems come in a stable order.
func walkOrder(seen map[string]*reached) []string {
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := seen[names[i]], seen[names[j]]
		if a.depth != b.depth {
			return a.depth < b.depth
		}
		return names[i] < names[j]
	})
	return names
}

// chainTo writes the path from the root to name: "a -> b -> c".
func chainTo(seen map[string]*reached, name string) string {
	path := []string{name}
	for r := seen[name]; r.depth > 0; r = seen[r.via] {
		path = append(path, r.via)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return strings.Join(path, " -> ")
}

// checkEdge judges input j of the derived indicator d, which resolves to
// in (nil: not found). The message names the input.
func checkEdge(d *v1alpha1.Indicator, j int, in *v1alpha1.Indicator) (reason, field, msg string) {
	sel := d.Spec.Derived.Inputs[j]
	if in == nil {
		return v1alpha1.ReasonInputNotFound, "name", fmt.Sprintf("input %q (spec.derived.inputs[%d]) does not exist in namespace %q", sel.Name, j, d.Namespace)
	}
	if msg := sameCalendar(d, in); msg != "" {
		return v1alpha1.ReasonInvalidSpec, "name", msg
	}
	if msg := combinable(d, in); msg != "" {
		return v1alpha1.ReasonInvalidSpec, "name", msg
	}
	if _, err := modelOf(in); err != nil {
		return v1alpha1.ReasonInvalidSpec, "name", fmt.Sprintf("input %q cannot be evaluated: %v", in.Name, err)
	}
	if dim, msg := declaredCategories(sel, in); msg != "" {
		return v1alpha1.ReasonInvalidSpec, "categories." + dim, msg
	}
	return "", "", ""
}

// sameCalendar requires an input of the derived indicator's cadence and
// calendar: periods of different lengths or years do not line up.
func sameCalendar(d, in *v1alpha1.Indicator) string {
	const why = "the inputs of a derived indicator share its cadence and calendar, so that their periods line up"
	if in.Spec.Cadence != d.Spec.Cadence {
		return fmt.Sprintf("input %q is %s, not %s like Indicator %q: %s", in.Name, in.Spec.Cadence, d.Spec.Cadence, d.Name, why)
	}
	if a, b := CalendarOf(in.Spec.Calendar), CalendarOf(d.Spec.Calendar); a != b {
		return fmt.Sprintf("input %q counts years from month %d (%s), not from month %d (%s) like Indicator %q: %s",
			in.Name, a.YearStartMonth, a.YearLabel, b.YearStartMonth, b.YearLabel, d.Name, why)
	}
	return ""
}

// combinable requires inputs whose values are quantities the operation can
// combine: Ratio divides Counts, Amounts or Ratios; a Count adds up Counts
// only (its value stays whole); an Amount adds up Counts and Amounts.
// Booleans, Levels and Percentages are not quantities that add or divide.
func combinable(d, in *v1alpha1.Indicator) string {
	t := in.Spec.Measure.Type
	switch {
	case d.Spec.Derived.Operation == v1alpha1.DerivedRatio:
		if t == v1alpha1.MeasureCount || t == v1alpha1.MeasureAmount || t == v1alpha1.MeasureRatio {
			return ""
		}
		return fmt.Sprintf("input %q is %s %s measure: derived.operation Ratio divides Count, Amount or Ratio values", in.Name, measureArticle(t), t)
	case d.Spec.Measure.Type == v1alpha1.MeasureCount:
		if t == v1alpha1.MeasureCount {
			return ""
		}
		return fmt.Sprintf("input %q is %s %s measure: a derived Count adds up Count inputs only; use measure.type Amount to add up Amounts", in.Name, measureArticle(t), t)
	default:
		if t == v1alpha1.MeasureCount || t == v1alpha1.MeasureAmount {
			return ""
		}
		return fmt.Sprintf("input %q is %s %s measure: derived.operation %s takes Count or Amount values", in.Name, measureArticle(t), t, d.Spec.Derived.Operation)
	}
}

func measureArticle(t v1alpha1.MeasureType) string {
	if t == v1alpha1.MeasureAmount {
		return "an"
	}
	return "a"
}

// declaredCategories requires every selected dimension to be declared by
// the input, and the category to be one of a closed dimension's. It
// returns the dimension at fault.
func declaredCategories(sel v1alpha1.DerivedInput, in *v1alpha1.Indicator) (string, string) {
	dims := map[string]v1alpha1.Disaggregation{}
	var names []string
	for _, d := range in.Spec.Disaggregations {
		dims[d.Dimension] = d
		names = append(names, d.Dimension)
	}
	for _, k := range slices.Sorted(maps.Keys(sel.Categories)) {
		cat := string(sel.Categories[k])
		d, ok := dims[k]
		switch {
		case !ok && len(names) == 0:
			return k, fmt.Sprintf("input %q declares no disaggregations, so it has no category %s=%s", in.Name, k, cat)
		case !ok:
			return k, fmt.Sprintf("input %q declares no dimension %s (it declares %s)", in.Name, k, sortedNames(names))
		case len(d.Categories) > 0 && !contains(d.Categories, cat):
			return k, fmt.Sprintf("%q is not a category of dimension %s of input %q (%s)", cat, k, in.Name, sortedNames(append([]string(nil), d.Categories...)))
		}
	}
	return "", ""
}

// findCycle looks for a cycle among the derived indicators reached, by a
// depth-first search from the root in input order. A cycle through the
// root is its own problem; one further down is reached through an input.
func findCycle(root *v1alpha1.Indicator, seen map[string]*reached) *InputProblem {
	const (
		open = 1
		done = 2
	)
	state := map[string]int{}
	var stack []string
	var hops []int // hops[i]: the input index taken from stack[i]
	var found *InputProblem
	var visit func(name string) bool
	visit = func(name string) bool {
		state[name] = open
		stack = append(stack, name)
		r := seen[name]
		if r != nil && r.ind != nil && r.ind.Spec.Derived != nil && r.depth < MaxDerivedDepth {
			for j, in := range r.ind.Spec.Derived.Inputs {
				next := seen[in.Name]
				if next == nil || next.ind == nil || next.ind.Spec.Derived == nil {
					continue
				}
				hops = append(hops, j)
				switch state[in.Name] {
				case open:
					found = cycleProblem(stack, hops, in.Name)
					return true
				case 0:
					if visit(in.Name) {
						return true
					}
				}
				hops = hops[:len(hops)-1]
			}
		}
		state[name] = done
		stack = stack[:len(stack)-1]
		return false
	}
	visit(root.Name)
	return found
}

// cycleProblem describes the cycle closed by an edge from the top of the
// stack back to name.
func cycleProblem(stack []string, hops []int, name string) *InputProblem {
	start := 0
	for stack[start] != name {
		start++
	}
	cycle := strings.Join(append(append([]string(nil), stack[start:]...), name), " -> ")
	p := &InputProblem{Input: hops[0], Field: "name", Own: start == 0, Reason: v1alpha1.ReasonInvalidSpec}
	if p.Own {
		p.Message = "the derived inputs form a cycle: " + cycle + "; a derived indicator cannot depend on itself"
	} else {
		p.Message = fmt.Sprintf("input %q depends on a cycle of derived indicators: %s", stack[1], cycle)
	}
	return p
}
