package integration

import (
	"context"
	"fmt"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// TestMechanismBackedIndicator: an indicator with measure.fromMechanism
// takes each quarter's value from its mechanism's verified minutes; new
// minutes that close a gap reach it without any report; deleting the
// mechanism makes it Ready False MechanismNotFound.
func TestMechanismBackedIndicator(t *testing.T) {
	startControllers(t)
	const ns = "mechanism-backed"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-11-21T00:00:00Z"))
	mech := newTaskForce()
	mech.Namespace = ns
	mustCreate(t, mech)
	minutes := map[string]string{minutesLabel: "task-force"}
	// Minutes of 2026-03-20 and 2026-08-20: a gap from 2026-06-18 (the
	// March minutes' cover ends) to 2026-08-20 in both quarters.
	mustCreate(t, newAttestation(ns, "minutes-march", "2026-03-20T00:00:00Z", minutes))
	mustCreate(t, newAttestation(ns, "minutes-august", "2026-08-20T00:00:00Z", minutes))
	ind := &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "meetings-regular"},
		Spec: v1alpha1.IndicatorSpec{
			Title: "Regular taskforce meetings are held", Area: v1alpha1.AreaProtection,
			MechanismRef: &v1alpha1.LocalObjectReference{Name: mech.Name},
			Measure:      v1alpha1.Measure{Type: v1alpha1.MeasureBoolean, FromMechanism: v1alpha1.ConditionMeetingsRegular},
			Cadence:      v1alpha1.CadenceQuarterly, ReportingStart: "2026-Q2",
			Target: &v1alpha1.Target{Operator: v1alpha1.OperatorEquals, Value: "true", Deadline: "2027-Q4"},
		},
	}
	mustCreate(t, ind)
	waitHistory(t, ind, map[string]string{"2026-Q2": "false", "2026-Q3": "false"})
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached)

	// Minutes of 2026-06-10, found later, close the gap. They are not the
	// newest, so the mechanism's own status does not change: the Evidence
	// alone must reach the indicator.
	mustCreate(t, newAttestation(ns, "minutes-june", "2026-06-10T00:00:00Z", minutes))
	waitHistory(t, ind, map[string]string{"2026-Q2": "true", "2026-Q3": "true"})
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)

	// A Measurement of it is refused: nobody reports a computed value.
	m := newMeasurement(ns, "meetings-regular-2026-q3", ind.Name, "2026-Q3", "false")
	mustCreate(t, m)
	waitCondition(t, m, v1alpha1.ConditionAccepted, metav1.ConditionFalse, v1alpha1.ReasonIndicatorIsDerived)
	waitCondition(t, m, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonIndicatorIsDerived)

	if err := k8s.Delete(ctx(t), mech); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ind, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonMechanismNotFound)
	if c := findCond(ind, v1alpha1.ConditionStalled); c.Status != metav1.ConditionFalse {
		t.Errorf("Stalled %s/%s, want False: the mechanism may come back", c.Status, c.Reason)
	}
}

// waitHistory waits until the indicator's history holds the values given
// per period.
func waitHistory(t *testing.T, ind *v1alpha1.Indicator, want map[string]string) {
	t.Helper()
	eventually(t, ind.Name+" history", func() (bool, string) {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(ind), ind); err != nil {
			return false, err.Error()
		}
		got := map[string]string{}
		for _, h := range ind.Status.History {
			got[string(h.Period)] = h.Value
		}
		for p, v := range want {
			if got[p] != v {
				return false, fmt.Sprintf("%v", ind.Status.History)
			}
		}
		return true, ""
	})
}
