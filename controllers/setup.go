package controllers

import (
	"context"
	"fmt"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
)

// FieldManager names Concord in managedFields and Events.
const FieldManager = "concord"

// Setup registers the field indexes and every reconciler with the manager.
// clk is the time the evaluators see; tests inject a fake one.
func Setup(ctx context.Context, mgr ctrl.Manager, clk clock.PassiveClock) error {
	if err := addIndexes(ctx, mgr.GetFieldIndexer()); err != nil {
		return fmt.Errorf("registering field indexes: %w", err)
	}
	base := Base{Client: mgr.GetClient(), Clock: clk, Recorder: mgr.GetEventRecorder(FieldManager)}
	for name, r := range map[string]interface{ SetupWithManager(ctrl.Manager) error }{
		"Indicator":            &IndicatorReconciler{base},
		"Measurement":          &MeasurementReconciler{base},
		"Evidence":             &EvidenceReconciler{base},
		"CooperationMechanism": &MechanismReconciler{base},
		"ActionPlan":           &ActionPlanReconciler{base},
	} {
		if err := r.SetupWithManager(mgr); err != nil {
			return fmt.Errorf("setting up the %s controller: %w", name, err)
		}
	}
	return nil
}
