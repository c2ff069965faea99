package evaluate

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Cond is a condition before it is stamped with a generation and time.
type Cond struct {
	Type    string
	Status  metav1.ConditionStatus
	Reason  string
	Message string
}

func condTrue(t, reason, msg string) Cond  { return Cond{t, metav1.ConditionTrue, reason, msg} }
func condFalse(t, reason, msg string) Cond { return Cond{t, metav1.ConditionFalse, reason, msg} }
func condUnknown(t, reason, msg string) Cond {
	return Cond{t, metav1.ConditionUnknown, reason, msg}
}

// MergeConditions sets conds onto existing, keeping each condition's
// lastTransitionTime when its status did not change, and returns them in
// the order of conds. now is the transition time of changed conditions.
func MergeConditions(existing []metav1.Condition, conds []Cond, generation int64, now time.Time) []metav1.Condition {
	out := make([]metav1.Condition, 0, len(conds))
	for _, c := range conds {
		nc := metav1.Condition{
			Type: c.Type, Status: c.Status, Reason: c.Reason, Message: c.Message,
			ObservedGeneration: generation, LastTransitionTime: metav1.NewTime(now.UTC().Truncate(time.Second)),
		}
		if old := meta.FindStatusCondition(existing, c.Type); old != nil && old.Status == c.Status {
			nc.LastTransitionTime = old.LastTransitionTime
		}
		out = append(out, nc)
	}
	return out
}

// readyConds are Ready and Stalled for an evaluated object: Ready False
// only for an unresolved reference (reason and message given).
func readyConds(unresolvedReason, unresolvedMsg string) []Cond {
	stalled := condFalse(v1alpha1.ConditionStalled, v1alpha1.ReasonEvaluated, "The spec is valid")
	if unresolvedReason != "" {
		return []Cond{condFalse(v1alpha1.ConditionReady, unresolvedReason, unresolvedMsg), stalled}
	}
	return []Cond{condTrue(v1alpha1.ConditionReady, v1alpha1.ReasonEvaluated, "The current generation was evaluated"), stalled}
}

// invalidSpecConds are the conditions of an object whose spec cannot be
// evaluated: Ready False and Stalled True (InvalidSpec), every other type
// Unknown (NotEvaluated).
func invalidSpecConds(msg string, others ...string) []Cond {
	conds := []Cond{
		condFalse(v1alpha1.ConditionReady, v1alpha1.ReasonInvalidSpec, msg),
		condTrue(v1alpha1.ConditionStalled, v1alpha1.ReasonInvalidSpec, msg),
	}
	for _, t := range others {
		conds = append(conds, condUnknown(t, v1alpha1.ReasonNotEvaluated, "The spec is invalid: "+msg))
	}
	return conds
}

// Earliest returns the earliest of the times that are after now, or the
// zero time if none is.
func Earliest(now time.Time, ts ...time.Time) time.Time {
	var best time.Time
	for _, t := range ts {
		if t.After(now) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	return best
}
