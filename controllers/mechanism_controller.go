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

// MechanismReconciler computes a CooperationMechanism's status from its
// instruments' and minutes' Evidence and the Indicators that name it.
type MechanismReconciler struct{ Base }

// Reconcile evaluates one CooperationMechanism.
func (r *MechanismReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	mech := &v1alpha1.CooperationMechanism{}
	if found, err := r.load(ctx, metrics.KindMechanism, req.NamespacedName, mech); !found {
		return ctrl.Result{}, err
	}
	if suspended(metrics.KindMechanism, mech, mech.Spec.Suspend) {
		return ctrl.Result{}, nil
	}
	in, err := r.gather(ctx, mech)
	if err != nil {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	st, next := evaluate.Mechanism(in, now)
	updated := mech.DeepCopy()
	updated.Status = st
	if err := r.commit(ctx, metrics.KindMechanism, mech, updated, same(mech.Status, st)); err != nil {
		return result(err, next, now)
	}
	metrics.SetConditions(metrics.KindMechanism, mech.Namespace, mech.Name, st.Conditions)
	return r.requeue(updated, next, now), nil
}

// gather fetches the mechanism's Evidence and the Indicators through the
// mechanismRef index.
func (r *MechanismReconciler) gather(ctx context.Context, mech *v1alpha1.CooperationMechanism) (evaluate.MechanismInput, error) {
	in := evaluate.MechanismInput{Mechanism: mech}
	var err error
	if in.Evidence, err = r.mechanismEvidence(ctx, mech); err != nil {
		return in, err
	}
	var inds v1alpha1.IndicatorList
	err = r.Client.List(ctx, &inds, client.InNamespace(mech.Namespace), client.MatchingFields{indexMechanismRef: mech.Name}, client.UnsafeDisableDeepCopy)
	in.Indicators = inds.Items
	return in, err
}

// SetupWithManager watches mechanisms, the verdicts of the Evidence their
// instruments or meeting selector pick, and the Indicators that name them
// (their counted verdicts, coalesced over RollUpDelay).
func (r *MechanismReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.CooperationMechanism{}, notOwnWrite(metrics.KindMechanism, r.Writes)).
		Watches(&v1alpha1.Evidence{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			return requests(r.mechanismsOfEvidence(ctx, o))
		}), evidenceVerdictChanged).
		Watches(&v1alpha1.Indicator{}, enqueueAfter(RollUpDelay, func(_ context.Context, o client.Object) []reconcile.Request {
			if ref := o.(*v1alpha1.Indicator).Spec.MechanismRef; ref != nil {
				return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: ref.Name}}}
			}
			return nil
		}), indicatorRollUpChanged).
		Named("cooperationmechanism").
		Complete(r)
}
