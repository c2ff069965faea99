package evaluate

import (
	"fmt"
	"math/big"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// onTrack is the OnTrack condition: the value against the milestone of its
// period, else against the straight line from baseline to target at the
// deadline.
func onTrack(spec *v1alpha1.IndicatorSpec, g *Goal, cur *Current) Cond {
	const t = v1alpha1.ConditionOnTrack
	switch {
	case g == nil:
		return condUnknown(t, v1alpha1.ReasonTargetNotSet, "The indicator sets no target")
	case cur == nil:
		return condUnknown(t, v1alpha1.ReasonNoData, "No counted measurement yet")
	case g.Met(cur.Value):
		return condTrue(t, v1alpha1.ReasonTargetReached, "The target is reached")
	}
	expected, what, ok := expectedAt(spec, g, cur.Period)
	if !ok && spec.Measure.Type == v1alpha1.MeasureBoolean {
		return condUnknown(t, v1alpha1.ReasonNoTrajectory, "No milestone for "+cur.Period.String()+", and a Boolean indicator has no straight line from false to true")
	}
	if !ok {
		return condUnknown(t, v1alpha1.ReasonNoTrajectory, "No milestone for "+cur.Period.String()+", and no baseline and deadline to draw a trajectory from")
	}
	v := display(spec.Measure, cur.Value)
	if (g.downward() && cur.Value.Cmp(expected) <= 0) || (!g.downward() && cur.Value.Cmp(expected) >= 0) {
		return condTrue(t, v1alpha1.ReasonAheadOfTrajectory, fmt.Sprintf("%s in %s is at or past the %s %s", v, cur.Period, what, display(spec.Measure, expected)))
	}
	return condFalse(t, v1alpha1.ReasonBehindTrajectory, fmt.Sprintf("%s in %s is behind the %s %s", v, cur.Period, what, display(spec.Measure, expected)))
}

// expectedAt returns the value expected in period p: its milestone, else
// the straight line from the baseline to the target at the deadline.
func expectedAt(spec *v1alpha1.IndicatorSpec, g *Goal, p Period) (*big.Rat, string, bool) {
	for _, ms := range spec.Milestones {
		if string(ms.Period) == p.String() {
			v, err := ParseMeasureValue(spec.Measure, string(ms.Value))
			return v, "milestone", err == nil
		}
	}
	// A yes/no fact has no straight line between false and true.
	if g.Baseline == nil || g.Deadline == nil || spec.Baseline == nil || spec.Measure.Type == v1alpha1.MeasureBoolean {
		return nil, "", false
	}
	base, err := ParsePeriod(string(spec.Baseline.Period), spec.Cadence)
	if err != nil {
		return nil, "", false
	}
	total := int64(len(PeriodsBetween(base, *g.Deadline)) - 1)
	done := int64(len(PeriodsBetween(base, p)) - 1)
	if total <= 0 {
		return nil, "", false
	}
	done = min(max(done, 0), total)
	step := new(big.Rat).Sub(g.Value, g.Baseline)
	step.Mul(step, big.NewRat(done, total))
	return step.Add(step, g.Baseline), "trajectory value", true
}
