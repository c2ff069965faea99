package evaluate

import (
	"fmt"
	"math/big"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Goal is an indicator's target resolved to absolute values.
type Goal struct {
	Operator v1alpha1.TargetOperator
	// Change is the target's value as written (the size of a change for
	// the Increase and Decrease operators).
	Change *big.Rat
	// Value is the absolute value the target means.
	Value    *big.Rat
	Baseline *big.Rat // nil without a baseline
	Deadline *Period  // nil without a deadline
}

// resolveGoal computes the target's absolute value: Equals, AtLeast and
// AtMost take it as written; percent changes scale the baseline; point
// changes add to or subtract from it.
func resolveGoal(spec *v1alpha1.IndicatorSpec) (*Goal, error) {
	t := spec.Target
	if t == nil {
		return nil, nil
	}
	g := &Goal{Operator: t.Operator}
	var err error
	if spec.Baseline != nil {
		if g.Baseline, err = ParseMeasureValue(spec.Measure, string(spec.Baseline.Value)); err != nil {
			return nil, fmt.Errorf("baseline.value: %w", err)
		}
	}
	if t.Deadline != "" {
		p, err := ParsePeriod(string(t.Deadline), spec.Cadence)
		if err != nil {
			return nil, fmt.Errorf("target.deadline: %w", err)
		}
		g.Deadline = &p
	}
	if isChange(t.Operator) {
		return g, resolveChange(g, string(t.Value))
	}
	if g.Value, err = ParseMeasureValue(spec.Measure, string(t.Value)); err != nil {
		return nil, fmt.Errorf("target.value: %w", err)
	}
	g.Change = g.Value
	return g, nil
}

func isChange(op v1alpha1.TargetOperator) bool {
	switch op {
	case v1alpha1.OperatorIncreaseByPercent, v1alpha1.OperatorDecreaseByPercent,
		v1alpha1.OperatorIncreaseByPoints, v1alpha1.OperatorDecreaseByPoints:
		return true
	}
	return false
}

func resolveChange(g *Goal, value string) error {
	change, err := ParseNumber(value)
	if err != nil || change.Sign() <= 0 {
		return fmt.Errorf("target.value %q must be a number greater than 0", value)
	}
	if g.Baseline == nil {
		return fmt.Errorf("target.operator %s needs spec.baseline", g.Operator)
	}
	g.Change = change
	delta := new(big.Rat).Set(change)
	if g.Operator == v1alpha1.OperatorIncreaseByPercent || g.Operator == v1alpha1.OperatorDecreaseByPercent {
		if g.Baseline.Sign() <= 0 {
			return fmt.Errorf("target.operator %s needs a baseline value greater than 0", g.Operator)
		}
		delta.Mul(delta, g.Baseline).Quo(delta, ratHundred)
	}
	if g.Operator == v1alpha1.OperatorDecreaseByPercent || g.Operator == v1alpha1.OperatorDecreaseByPoints {
		delta.Neg(delta)
	}
	g.Value = new(big.Rat).Add(g.Baseline, delta)
	return nil
}

// downward reports whether lower values are better.
func (g *Goal) downward() bool {
	switch g.Operator {
	case v1alpha1.OperatorAtMost, v1alpha1.OperatorDecreaseByPercent, v1alpha1.OperatorDecreaseByPoints:
		return true
	case v1alpha1.OperatorEquals:
		return g.Baseline != nil && g.Value.Cmp(g.Baseline) < 0
	}
	return false
}

// Met reports whether v satisfies the goal. Percent changes compare
// exactly: (v - b) * 100 >= change * b is v >= b * (1 + change/100).
func (g *Goal) Met(v *big.Rat) bool {
	c := v.Cmp(g.Value)
	switch g.Operator {
	case v1alpha1.OperatorEquals:
		return c == 0
	case v1alpha1.OperatorAtMost, v1alpha1.OperatorDecreaseByPercent, v1alpha1.OperatorDecreaseByPoints:
		return c <= 0
	default:
		return c >= 0
	}
}

// targetMet is the TargetMet condition.
func targetMet(m v1alpha1.Measure, g *Goal, cur *Current, cal Calendar, now time.Time) Cond {
	const t = v1alpha1.ConditionTargetMet
	switch {
	case g == nil:
		return condUnknown(t, v1alpha1.ReasonTargetNotSet, "The indicator sets no target")
	case cur == nil:
		return condUnknown(t, v1alpha1.ReasonNoData, "No counted measurement yet")
	}
	desc := describe(m, g, cur.Value)
	if g.Met(cur.Value) {
		return condTrue(t, v1alpha1.ReasonTargetReached, desc+"; target reached")
	}
	if g.Deadline != nil && !g.Deadline.End(cal).After(now) {
		return condFalse(t, v1alpha1.ReasonDeadlineMissed, fmt.Sprintf("%s; the deadline %s closed with the target unmet", desc, g.Deadline))
	}
	return condFalse(t, v1alpha1.ReasonTargetNotReached, desc+"; target not reached yet")
}

// describe states the value against the target in numbers, such as "52 is
// 30% above the baseline 40; target +25% (50)".
func describe(m v1alpha1.Measure, g *Goal, v *big.Rat) string {
	val := display(m, v)
	switch g.Operator {
	case v1alpha1.OperatorIncreaseByPercent, v1alpha1.OperatorDecreaseByPercent:
		pct := PercentChange(v, g.Baseline)
		return fmt.Sprintf("%s is %s the baseline %s; target %s%s%% (%s)", val, relative(pct, "%"), display(m, g.Baseline), sign(g), FormatValue(g.Change), display(m, g.Value))
	case v1alpha1.OperatorIncreaseByPoints, v1alpha1.OperatorDecreaseByPoints:
		diff := new(big.Rat).Sub(v, g.Baseline)
		return fmt.Sprintf("%s is %s the baseline %s; target %s%s points (%s)", val, relative(diff, " points"), display(m, g.Baseline), sign(g), FormatValue(g.Change), display(m, g.Value))
	case v1alpha1.OperatorAtLeast:
		return fmt.Sprintf("%s against a target of at least %s", levelName(m, val, v), levelName(m, display(m, g.Value), g.Value))
	case v1alpha1.OperatorAtMost:
		return fmt.Sprintf("%s against a target of at most %s", levelName(m, val, v), levelName(m, display(m, g.Value), g.Value))
	default:
		return fmt.Sprintf("%s against a target of %s", levelName(m, val, v), levelName(m, display(m, g.Value), g.Value))
	}
}

func sign(g *Goal) string {
	if g.Operator == v1alpha1.OperatorDecreaseByPercent || g.Operator == v1alpha1.OperatorDecreaseByPoints {
		return "-"
	}
	return "+"
}

func relative(d *big.Rat, unit string) string {
	switch d.Sign() {
	case 0:
		return "equal to"
	case 1:
		return FormatValue(d) + unit + " above"
	}
	return FormatValue(new(big.Rat).Neg(d)) + unit + " below"
}

// levelName shows a Level value with its name: "2 (Medium)".
func levelName(m v1alpha1.Measure, s string, v *big.Rat) string {
	if name, ok := levelNameOf(m, v); ok {
		return fmt.Sprintf("%s (%s)", s, name)
	}
	return s
}

// progress is the percent of the way from baseline to target, computed
// from the figures status shows: the value and the target rounded half-even
// to 2 places (Shown), so that a reader who recomputes it from
// status.current.value, status.targetValue and spec.baseline.value finds
// the same number. ok is false without a baseline, or when the target shown
// equals the baseline.
func progress(g *Goal, v *big.Rat) (*big.Rat, bool) {
	if g == nil || g.Baseline == nil || v == nil {
		return nil, false
	}
	v = Shown(v)
	span := new(big.Rat).Sub(Shown(g.Value), g.Baseline)
	if span.Sign() == 0 {
		return nil, false
	}
	done := new(big.Rat).Sub(v, g.Baseline)
	return done.Mul(done, ratHundred).Quo(done, span), true
}
