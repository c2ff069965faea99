package controllers

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
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
		return ctrl.Result{}, err
	}
	metrics.SetConditions(metrics.KindMechanism, mech.Namespace, mech.Name, st.Conditions)
	return requeueAt(next, now), nil
}

// gather fetches the instruments' Evidence by name, the minutes by the
// meeting selector, and the Indicators through the mechanismRef index.
func (r *MechanismReconciler) gather(ctx context.Context, mech *v1alpha1.CooperationMechanism) (evaluate.MechanismInput, error) {
	in := evaluate.MechanismInput{Mechanism: mech}
	for _, inst := range mech.Spec.Instruments {
		if inst.EvidenceRef == nil {
			continue
		}
		e := &v1alpha1.Evidence{}
		found, err := r.exists(ctx, types.NamespacedName{Namespace: mech.Namespace, Name: inst.EvidenceRef.Name}, e)
		if err != nil {
			return in, err
		}
		if found {
			in.Evidence = append(in.Evidence, *e)
		}
	}
	if m := mech.Spec.Meetings; m != nil {
		if sel, err := metav1.LabelSelectorAsSelector(m.EvidenceSelector.Meta()); err == nil {
			var minutes v1alpha1.EvidenceList
			if err := r.Client.List(ctx, &minutes, client.InNamespace(mech.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
				return in, err
			}
			in.Evidence = append(in.Evidence, minutes.Items...)
		}
	}
	var inds v1alpha1.IndicatorList
	err := r.Client.List(ctx, &inds, client.InNamespace(mech.Namespace), client.MatchingFields{indexMechanismRef: mech.Name})
	in.Indicators = inds.Items
	return in, err
}

// SetupWithManager watches mechanisms, the Evidence their instruments or
// meeting selector pick, and the Indicators that name them.
func (r *MechanismReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.CooperationMechanism{}).
		Watches(&v1alpha1.Evidence{}, handler.EnqueueRequestsFromMapFunc(r.mechanismsOfEvidence)).
		Watches(&v1alpha1.Indicator{}, handler.EnqueueRequestsFromMapFunc(func(_ context.Context, o client.Object) []reconcile.Request {
			if ref := o.(*v1alpha1.Indicator).Spec.MechanismRef; ref != nil {
				return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: ref.Name}}}
			}
			return nil
		})).
		Named("cooperationmechanism").
		Complete(r)
}

// mechanismsOfEvidence maps an Evidence to the mechanisms of its namespace
// whose instruments name it (index) or whose meeting selector matches it.
func (r *MechanismReconciler) mechanismsOfEvidence(ctx context.Context, o client.Object) []reconcile.Request {
	var byRef v1alpha1.CooperationMechanismList
	if err := r.Client.List(ctx, &byRef, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexInstrumentRefs: o.GetName()}); err != nil {
		return nil
	}
	out := requests(byRef.Items)
	var all v1alpha1.CooperationMechanismList
	if err := r.Client.List(ctx, &all, client.InNamespace(o.GetNamespace())); err != nil {
		return out
	}
	for i, m := range all.Items {
		if m.Spec.Meetings == nil {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(m.Spec.Meetings.EvidenceSelector.Meta())
		if err == nil && !sel.Empty() && sel.Matches(labels.Set(o.GetLabels())) {
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&all.Items[i])})
		}
	}
	return out
}
