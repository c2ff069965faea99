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
		return ctrl.Result{}, err
	}
	metrics.SetConditions(metrics.KindIndicator, ind.Namespace, ind.Name, st.Conditions)
	value := ""
	if st.Current != nil {
		value = st.Current.Value
	}
	metrics.SetIndicatorValues(ind.Namespace, ind.Name, value, st.TargetValue)
	metrics.SetReporting(ind.Namespace, ind.Name, reportingSeries(st.Reporting, sig.Reporters))
	metrics.SetAnomalyScore(ind.Namespace, ind.Name, sig.AnomalyScore)
	return requeueAt(next, now), nil
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
	if in.Evidence, err = r.evidenceFor(ctx, ind.Namespace, in.Measurements); err != nil {
		return in, err
	}
	if ref := ind.Spec.MechanismRef; ref != nil {
		in.MechanismFound, err = r.exists(ctx, types.NamespacedName{Namespace: ind.Namespace, Name: ref.Name}, &v1alpha1.CooperationMechanism{})
	}
	return in, err
}

// SetupWithManager watches Indicators and what they depend on: their
// Measurements, the Evidence those reference, and mechanisms.
func (r *IndicatorReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Indicator{}).
		Watches(&v1alpha1.Measurement{}, handler.EnqueueRequestsFromMapFunc(func(_ context.Context, o client.Object) []reconcile.Request {
			m := o.(*v1alpha1.Measurement)
			return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: m.Namespace, Name: m.Spec.IndicatorRef.Name}}}
		})).
		Watches(&v1alpha1.Evidence{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsOfEvidence)).
		Watches(&v1alpha1.CooperationMechanism{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsOfMechanism)).
		Named("indicator").
		Complete(r)
}

// indicatorsOfEvidence maps an Evidence to the Indicators of the
// Measurements that reference it.
func (r *IndicatorReconciler) indicatorsOfEvidence(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1alpha1.MeasurementList
	if err := r.Client.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexEvidenceRefs: o.GetName()}); err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []reconcile.Request
	for _, m := range list.Items {
		if name := m.Spec.IndicatorRef.Name; !seen[name] {
			seen[name] = true
			out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: m.Namespace, Name: name}})
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
