package controllers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/metrics"
)

// ActionPlanReconciler rolls a plan's scorecard up from the Indicators and
// mechanisms it selects, in its namespace and in namespaces that consent.
type ActionPlanReconciler struct {
	Base
	// Shard, when set, are the only namespaces the manager caches.
	Shard []string
}

// Reconcile evaluates one ActionPlan.
func (r *ActionPlanReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	plan := &v1alpha1.ActionPlan{}
	if found, err := r.load(ctx, metrics.KindPlan, req.NamespacedName, plan); !found {
		return ctrl.Result{}, err
	}
	if suspended(metrics.KindPlan, plan, plan.Spec.Suspend) {
		return ctrl.Result{}, nil
	}
	in, err := r.gather(ctx, plan)
	if err != nil {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	st, next := evaluate.Plan(in, now)
	updated := plan.DeepCopy()
	updated.Status = st
	if err := r.commit(ctx, metrics.KindPlan, plan, updated, same(plan.Status, st)); err != nil {
		return result(err, next, now)
	}
	metrics.SetConditions(metrics.KindPlan, plan.Namespace, plan.Name, st.Conditions)
	return r.requeue(updated, next, now), nil
}

// gather lists the plan's namespaces' Indicators and mechanisms and
// selects them; a selector that does not parse leaves them empty, and the
// evaluator reports InvalidSpec.
func (r *ActionPlanReconciler) gather(ctx context.Context, plan *v1alpha1.ActionPlan) (evaluate.PlanInput, error) {
	in := evaluate.PlanInput{Plan: plan}
	// The lists are read, not modified: they share the cache's objects.
	var nsList corev1.NamespaceList
	if err := r.Client.List(ctx, &nsList, client.UnsafeDisableDeepCopy); err != nil {
		return in, err
	}
	nss, err := evaluate.PlanNamespaces(plan, nsList.Items)
	if err != nil {
		return in, nil
	}
	if outside := r.outsideShard(nss); len(outside) > 0 {
		return in, fmt.Errorf("ActionPlan %s/%s counts namespaces %s, which this manager does not watch (--namespaces %s): run the plan's shard over every namespace it counts",
			plan.Namespace, plan.Name, strings.Join(outside, ", "), strings.Join(r.Shard, ","))
	}
	var inds []v1alpha1.Indicator
	var mechs []v1alpha1.CooperationMechanism
	for _, ns := range nss {
		var il v1alpha1.IndicatorList
		var ml v1alpha1.CooperationMechanismList
		if err := r.Client.List(ctx, &il, client.InNamespace(ns), client.UnsafeDisableDeepCopy); err != nil {
			return in, err
		}
		if err := r.Client.List(ctx, &ml, client.InNamespace(ns), client.UnsafeDisableDeepCopy); err != nil {
			return in, err
		}
		inds, mechs = append(inds, il.Items...), append(mechs, ml.Items...)
	}
	if in.Indicators, err = evaluate.SelectIndicators(plan, nss, inds); err != nil {
		in.Indicators = nil
	}
	if in.Mechanisms, err = evaluate.SelectMechanisms(plan, nss, mechs); err != nil {
		in.Mechanisms = nil
	}
	return in, nil
}

// SetupWithManager watches plans, and maps the Indicator and mechanism
// changes a scorecard counts, and Namespace label changes (consent), to
// the plans they may count in. Indicator and mechanism changes are
// coalesced over RollUpDelay: a plan lists its namespaces' Indicators on
// every evaluation.
func (r *ActionPlanReconciler) SetupWithManager(mgr ctrl.Manager) error {
	allPlans := enqueueAfter(RollUpDelay, func(ctx context.Context, _ client.Object) []reconcile.Request {
		return r.plans(ctx, false)
	})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.ActionPlan{}, notOwnWrite(metrics.KindPlan, r.Writes)).
		Watches(&v1alpha1.Indicator{}, allPlans, indicatorRollUpChanged).
		Watches(&v1alpha1.CooperationMechanism{}, allPlans, mechanismRollUpChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, _ client.Object) []reconcile.Request {
			return r.plans(ctx, true)
		}), labelsChanged).
		Named("actionplan").
		Complete(r)
}

// plans lists every plan (only those with a namespaceSelector when
// crossNamespaceOnly); plans are few, one per national plan of action.
func (r *ActionPlanReconciler) plans(ctx context.Context, crossNamespaceOnly bool) []reconcile.Request {
	var list v1alpha1.ActionPlanList
	if err := r.Client.List(ctx, &list); err != nil {
		return nil
	}
	if crossNamespaceOnly {
		list.Items = filterPlans(list.Items)
	}
	return requests(list.Items)
}

func filterPlans(plans []v1alpha1.ActionPlan) []v1alpha1.ActionPlan {
	var out []v1alpha1.ActionPlan
	for _, p := range plans {
		if p.Spec.NamespaceSelector != nil {
			out = append(out, p)
		}
	}
	return out
}

// outsideShard lists the namespaces of nss this manager does not cache.
func (r *ActionPlanReconciler) outsideShard(nss []string) []string {
	if len(r.Shard) == 0 {
		return nil
	}
	var out []string
	for _, ns := range nss {
		if !slices.Contains(r.Shard, ns) {
			out = append(out, ns)
		}
	}
	return out
}
