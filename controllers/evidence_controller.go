package controllers

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/evidence"
	"github.com/concord-operator/concord/internal/metrics"
)

// EvidenceReconciler digests, pins and expires Evidence. It reads only
// ConfigMaps labelled concord.dev/evidence: "true" (the only ones the
// manager caches). URL sources stay Pending until URL fetching is built.
type EvidenceReconciler struct{ Base }

// Reconcile evaluates one Evidence.
func (r *EvidenceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	e := &v1alpha1.Evidence{}
	if found, err := r.exists(ctx, req.NamespacedName, e); !found {
		metrics.Forget(metrics.KindEvidence, req.Namespace, req.Name)
		return ctrl.Result{}, err
	}
	metrics.SetSuspended(metrics.KindEvidence, e.Namespace, e.Name, e.Spec.Suspend)
	if e.Spec.Suspend {
		return ctrl.Result{}, nil
	}
	obs, err := r.observe(ctx, e)
	if err != nil {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	st, next := evaluate.Evidence(e, obs, now)
	updated := e.DeepCopy()
	updated.Status = st
	if err := r.commit(ctx, metrics.KindEvidence, e, updated, same(e.Status, st)); err != nil {
		return ctrl.Result{}, err
	}
	metrics.SetConditions(metrics.KindEvidence, e.Namespace, e.Name, st.Conditions)
	metrics.SetEvidenceExpiration(e.Namespace, e.Name, st.ExpirationTime)
	return requeueAt(next, now), nil
}

func (r *EvidenceReconciler) observe(ctx context.Context, e *v1alpha1.Evidence) (evaluate.Observation, error) {
	src := e.Spec.Source
	switch {
	case src.Type == v1alpha1.SourceAttestation:
		return evaluate.Observation{}, nil
	case src.Type != v1alpha1.SourceConfigMap || src.ConfigMap == nil:
		return evaluate.Observation{Pending: true}, nil
	}
	cm := &corev1.ConfigMap{}
	found, err := r.exists(ctx, types.NamespacedName{Namespace: e.Namespace, Name: src.ConfigMap.Name}, cm)
	if err != nil || !found {
		return evidence.MissingConfigMap(src.ConfigMap.Name, e.Namespace), err
	}
	return evidence.ObserveConfigMap(cm, src.ConfigMap.Key), nil
}

// SetupWithManager watches Evidence and the labelled ConfigMaps they read.
func (r *EvidenceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Evidence{}).
		Watches(&corev1.ConfigMap{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			var list v1alpha1.EvidenceList
			if err := r.Client.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexConfigMapName: o.GetName()}); err != nil {
				return nil
			}
			return requests(list.Items)
		})).
		Named("evidence").
		Complete(r)
}
