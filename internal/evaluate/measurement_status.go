package evaluate

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// measurementConditionTypes follow Ready and Stalled in status order.
var measurementConditionTypes = []string{v1alpha1.ConditionAccepted, v1alpha1.ConditionSuperseded, v1alpha1.ConditionVerified}

// MeasurementInput is what the Measurement evaluator needs.
type MeasurementInput struct {
	Measurement *v1alpha1.Measurement
	// Indicator named by indicatorRef; nil when it does not exist.
	Indicator *v1alpha1.Indicator
	// Siblings are the Measurements of the same indicator, this one
	// included: at least those of its slot (same period and reporter),
	// among which supersession is decided.
	Siblings []v1alpha1.Measurement
	// Evidence of the namespace, by name.
	Evidence map[string]*v1alpha1.Evidence
}

// Measurement computes a Measurement's status at now and the next instant
// at which time alone would change it (zero: never).
func Measurement(in MeasurementInput, now time.Time) (v1alpha1.MeasurementStatus, time.Time) {
	m, ind := in.Measurement, in.Indicator
	st := m.Status.DeepCopy()
	st.ObservedGeneration = m.Generation
	accepted := Accept(ind, m, now)
	conds := []Cond{accepted}
	var next time.Time
	if accepted.Status != metav1.ConditionTrue {
		msg := "The measurement is not accepted: " + accepted.Message
		conds = append(conds, condUnknown(v1alpha1.ConditionSuperseded, v1alpha1.ReasonNotAccepted, msg),
			condUnknown(v1alpha1.ConditionVerified, v1alpha1.ReasonNotAccepted, msg))
	} else {
		var verified Cond
		verified, next = verifiedCond(ind, m, in.Evidence, now)
		conds = append(conds, supersededCond(m, newestOfSlot(ind, m, in.Siblings, now)), verified)
	}
	st.Conditions = MergeConditions(st.Conditions, append(measurementReady(accepted), conds...), m.Generation, now)
	return *st, next
}

// newestOfSlot returns the newest accepted report of m's period and reporter.
func newestOfSlot(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, siblings []v1alpha1.Measurement, now time.Time) *v1alpha1.Measurement {
	var slot []*v1alpha1.Measurement
	for i := range siblings {
		s := &siblings[i]
		if s.Spec.Period == m.Spec.Period && s.Spec.Reporter == m.Spec.Reporter && Accept(ind, s, now).Status == metav1.ConditionTrue {
			slot = append(slot, s)
		}
	}
	return Latest(slot)[slotKey{string(m.Spec.Period), m.Spec.Reporter}]
}

func verifiedCond(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, evidence map[string]*v1alpha1.Evidence, now time.Time) (Cond, time.Time) {
	s := Sufficient(ind.Spec.Verification, CalendarOf(ind.Spec.Calendar), ind.Spec.Cadence, []*v1alpha1.Measurement{m}, evidence, now)
	if s.Sufficient {
		return condTrue(v1alpha1.ConditionVerified, v1alpha1.ReasonEvidenceSufficient, s.Message), s.Next
	}
	return condFalse(v1alpha1.ConditionVerified, s.Reason, s.Message), s.Next
}

// measurementReady is Ready and Stalled of a Measurement given its Accepted
// condition. A Measurement refused for its own content (or a reportTime in
// the future) fails visibly: Ready False and Stalled True with the same
// reason, since its spec is immutable and only a new Measurement can fix
// it, so kstatus reads Failed and GitOps tools show it degraded. One
// awaiting approval, or whose Indicator does not exist yet, is Ready False
// but progressing (Stalled False): an approver or the Indicator may come.
func measurementReady(accepted Cond) []Cond {
	switch accepted.Reason {
	case v1alpha1.ReasonValid:
		return readyConds("", "")
	case v1alpha1.ReasonIndicatorNotFound, v1alpha1.ReasonAwaitingApproval:
		return readyConds(accepted.Reason, accepted.Message)
	}
	return []Cond{
		condFalse(v1alpha1.ConditionReady, accepted.Reason, accepted.Message),
		condTrue(v1alpha1.ConditionStalled, accepted.Reason, "Only a new Measurement can fix this: "+accepted.Message),
	}
}
