package controllers

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/metrics"
)

// IndicatorReconciler computes an Indicator's status from its Measurements,
// their Evidence and its mechanism.
type IndicatorReconciler struct{ Base }

// Reconcile evaluates one Indicator.
func (r *IndicatorReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	ind := &v1alpha1.Indicator{}
	if found, err := r.load(ctx, metrics.KindIndicator, req.NamespacedName, ind); !found {
		return ctrl.Result{}, err
	}
	if suspended(metrics.KindIndicator, ind, ind.Spec.Suspend) {
		return ctrl.Result{}, nil
	}
	in, err := r.gather(ctx, ind)
	if err != nil {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	st, next, sig := evaluate.IndicatorWithSignals(in, now)
	updated := ind.DeepCopy()
	updated.Status = st
	if err := r.commit(ctx, metrics.KindIndicator, ind, updated, same(ind.Status, st)); err != nil {
		return result(err, next, now)
	}
	metrics.SetConditions(metrics.KindIndicator, ind.Namespace, ind.Name, st.Conditions)
	value := ""
	if st.Current != nil {
		value = st.Current.Value
	}
	metrics.SetIndicatorValues(ind.Namespace, ind.Name, value, st.TargetValue)
	metrics.SetReporting(ind.Namespace, ind.Name, reportingSeries(st.Reporting, sig.Reporters))
	metrics.SetAnomalyScore(ind.Namespace, ind.Name, sig.AnomalyScore)
	return r.requeue(updated, next, now), nil
}

// reportingSeries is what the reporters' metrics show: nil without
// expected reporters or while nothing is due.
func reportingSeries(st *v1alpha1.ReportingStatus, misses []evaluate.ReporterMisses) *metrics.Reporting {
	if st == nil {
		return nil
	}
	r := &metrics.Reporting{Expected: st.Expected, Reported: st.Reported, OnTime: st.OnTime}
	for _, m := range misses {
		r.Missed = append(r.Missed, metrics.ReporterMissed{Reporter: m.Reporter, Periods: m.Missed})
	}
	return r
}

func (r *IndicatorReconciler) gather(ctx context.Context, ind *v1alpha1.Indicator) (evaluate.IndicatorInput, error) {
	in := evaluate.IndicatorInput{Indicator: ind}
	var err error
	if in.Measurements, err = r.measurementsOf(ctx, ind.Namespace, ind.Name); err != nil {
		return in, err
	}
	referring := in.Measurements
	if ind.Spec.Derived != nil {
		if in.Inputs, err = r.inputsOf(ctx, ind); err != nil {
			return in, err
		}
		for _, x := range in.Inputs {
			referring = append(referring, x.Measurements...)
		}
	}
	if in.Evidence, err = r.evidenceFor(ctx, ind.Namespace, referring); err != nil {
		return in, err
	}
	ref := ind.Spec.MechanismRef
	if ref == nil {
		return in, nil
	}
	mech := &v1alpha1.CooperationMechanism{}
	if in.MechanismFound, err = r.exists(ctx, types.NamespacedName{Namespace: ind.Namespace, Name: ref.Name}, mech); err != nil || !in.MechanismFound {
		return in, err
	}
	if ind.Spec.Measure.FromMechanism != "" {
		in.Mechanism = mech
		in.MechanismEvidence, err = r.mechanismEvidence(ctx, mech)
	}
	return in, err
}

// SetupWithManager watches Indicators and what they depend on: the specs
// of their Measurements (the evaluator reads no Measurement status), the
// verdicts of the Evidence those reference, and mechanisms' specs. A
// derived indicator depends on its inputs (their specs and Measurements,
// and that Evidence): every change that maps to an Indicator also maps to
// the derived indicators that take values from it. No status write maps
// to the object written, so writes settle.
//
// Every change is evaluated CoalesceDelay after it arrives, together with
// the changes that arrive meanwhile: an Indicator applied with its
// Measurements, or a batch of Measurements, makes one evaluation and one
// status write instead of one per object.
func (r *IndicatorReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named("indicator").
		Watches(&v1alpha1.Indicator{}, enqueueAfter(CoalesceDelay, func(_ context.Context, o client.Object) []reconcile.Request {
			return []reconcile.Request{{NamespacedName: client.ObjectKeyFromObject(o)}}
		}), notOwnWrite(metrics.KindIndicator, r.Writes)).
		Watches(&v1alpha1.Indicator{}, enqueueAfter(CoalesceDelay, func(ctx context.Context, o client.Object) []reconcile.Request {
			self := reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)}
			return r.dependents(ctx, []reconcile.Request{self})[1:] // the watch above enqueues o itself
		}), specChanged).
		Watches(&v1alpha1.Measurement{}, enqueueAfter(CoalesceDelay, func(ctx context.Context, o client.Object) []reconcile.Request {
			m := o.(*v1alpha1.Measurement)
			return r.dependents(ctx, []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: m.Namespace, Name: m.Spec.IndicatorRef.Name}}})
		}), specChanged).
		Watches(&v1alpha1.Evidence{}, enqueueAfter(CoalesceDelay, func(ctx context.Context, o client.Object) []reconcile.Request {
			return r.dependents(ctx, r.indicatorsOfEvidence(ctx, o))
		}), evidenceVerdictChanged).
		Watches(&v1alpha1.CooperationMechanism{}, enqueueAfter(CoalesceDelay, r.indicatorsOfMechanism), specChanged).
		Complete(r)
}

// indicatorsOfEvidence maps an Evidence to the Indicators of the
// Measurements that reference it, and to the Indicators backed by a
// mechanism whose instruments or minutes it is.
func (r *IndicatorReconciler) indicatorsOfEvidence(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1alpha1.MeasurementList
	if err := r.Client.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexEvidenceRefs: o.GetName()}); err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []reconcile.Request
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}})
		}
	}
	for _, m := range list.Items {
		add(m.Spec.IndicatorRef.Name)
	}
	for _, mech := range r.mechanismsOfEvidence(ctx, o) {
		var inds v1alpha1.IndicatorList
		if err := r.Client.List(ctx, &inds, client.InNamespace(mech.Namespace), client.MatchingFields{indexMechanismRef: mech.Name}); err != nil {
			continue
		}
		for _, ind := range inds.Items {
			if ind.Spec.Measure.FromMechanism != "" {
				add(ind.Name)
			}
		}
	}
	return out
}

func (r *IndicatorReconciler) indicatorsOfMechanism(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1alpha1.IndicatorList
	if err := r.Client.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexMechanismRef: o.GetName()}); err != nil {
		return nil
	}
	return requests(list.Items)
}
