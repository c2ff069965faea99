package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
)

// FieldManager names Concord in managedFields and Events.
const FieldManager = "concord"

// Options configure the reconcilers.
type Options struct {
	// Clock is the time the evaluators see; tests inject a fake one.
	Clock clock.PassiveClock
	// URLs fetches URL evidence; nil leaves URL evidence Pending.
	URLs URLObserver
	// RecheckInterval is how often URL evidence is fetched again.
	RecheckInterval time.Duration
	// Namespaces, when set, are the only namespaces the manager caches (a
	// shard); a plan that selects another namespace is an error.
	Namespaces []string
	// EventSettleTime is how long after its creation an object's condition
	// transitions are held back from Events (events.go); 0 holds none.
	EventSettleTime time.Duration
}

// Setup registers the field indexes and every reconciler with the manager.
func Setup(ctx context.Context, mgr ctrl.Manager, o Options) error {
	if err := addIndexes(ctx, mgr.GetFieldIndexer()); err != nil {
		return fmt.Errorf("registering field indexes: %w", err)
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	if o.RecheckInterval <= 0 {
		o.RecheckInterval = DefaultRecheckInterval
	}
	base := Base{Client: mgr.GetClient(), Clock: o.Clock, Recorder: mgr.GetEventRecorder(FieldManager), Writes: &WriteLog{}}
	if o.EventSettleTime > 0 {
		base.Settling = &Settling{Time: o.EventSettleTime, Wall: clock.RealClock{}}
	}
	for name, r := range map[string]interface{ SetupWithManager(ctrl.Manager) error }{
		"Indicator":            &IndicatorReconciler{base},
		"Measurement":          &MeasurementReconciler{base},
		"Evidence":             &EvidenceReconciler{Base: base, URLs: o.URLs, RecheckInterval: o.RecheckInterval},
		"CooperationMechanism": &MechanismReconciler{base},
		"ActionPlan":           &ActionPlanReconciler{Base: base, Shard: o.Namespaces},
	} {
		if err := r.SetupWithManager(mgr); err != nil {
			return fmt.Errorf("setting up the %s controller: %w", name, err)
		}
	}
	return nil
}
