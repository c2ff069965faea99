package controllers

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/metrics"
)

// MeasurementReconciler decides whether a Measurement counts: accepted,
// not superseded, verified.
type MeasurementReconciler struct{ Base }

// Reconcile evaluates one Measurement.
func (r *MeasurementReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	m := &v1alpha1.Measurement{}
	if found, err := r.load(ctx, metrics.KindMeasurement, req.NamespacedName, m); !found {
		return ctrl.Result{}, err
	}
	in := evaluate.MeasurementInput{Measurement: m}
	ind := &v1alpha1.Indicator{}
	found, err := r.exists(ctx, types.NamespacedName{Namespace: m.Namespace, Name: m.Spec.IndicatorRef.Name}, ind)
	if err != nil {
		return ctrl.Result{}, err
	}
	if found {
		in.Indicator = ind
	}
	if in.Siblings, err = r.slotOf(ctx, m); err != nil {
		return ctrl.Result{}, err
	}
	if in.Evidence, err = r.evidenceFor(ctx, m.Namespace, []v1alpha1.Measurement{*m}); err != nil {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	st, next := evaluate.Measurement(in, now)
	updated := m.DeepCopy()
	updated.Status = st
	if err := r.commit(ctx, metrics.KindMeasurement, m, updated, same(m.Status, st)); err != nil {
		return result(err, next, now)
	}
	metrics.SetConditions(metrics.KindMeasurement, m.Namespace, m.Name, st.Conditions)
	return r.requeue(updated, next, now), nil
}

// SetupWithManager watches Measurements, their Indicator's spec
// (acceptance depends on it), the specs of the Measurements of their slot
// (supersession is decided among one period's reports by one reporter,
// from their specs) and the verdicts of their Evidence.
func (r *MeasurementReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Measurement{}, notOwnWrite(metrics.KindMeasurement, r.Writes)).
		Watches(&v1alpha1.Indicator{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			return r.byIndicator(ctx, o.GetNamespace(), o.GetName())
		}), specChanged).
		Watches(&v1alpha1.Measurement{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			ms, err := r.slotOf(ctx, o.(*v1alpha1.Measurement))
			if err != nil {
				return nil
			}
			var out []reconcile.Request
			for _, req := range requests(ms) {
				if req.Name != o.GetName() { // For enqueues o itself
					out = append(out, req)
				}
			}
			return out
		}), specChanged).
		Watches(&v1alpha1.Evidence{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			var list v1alpha1.MeasurementList
			if err := r.Client.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexEvidenceRefs: o.GetName()}, client.UnsafeDisableDeepCopy); err != nil {
				return nil
			}
			return requests(list.Items)
		}), evidenceVerdictChanged).
		Named("measurement").
		Complete(r)
}

func (r *MeasurementReconciler) byIndicator(ctx context.Context, ns, indicator string) []reconcile.Request {
	ms, err := r.measurementsOf(ctx, ns, indicator)
	if err != nil {
		return nil
	}
	return requests(ms)
}
