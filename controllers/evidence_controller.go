package controllers

import (
	"context"
	"time"

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

// URLObserver fetches a URL source and reports its digest or why it could
// not; evidence.Fetcher is the production one. Allows tells, without a
// fetch, whether the manager's policy (--evidence-allowed-hosts) lets the
// URL be fetched at all, so a verdict reached under another policy is not
// kept until the next recheck.
type URLObserver interface {
	Observe(ctx context.Context, url string) evaluate.Observation
	Allows(url string) bool
}

// EvidenceReconciler digests, pins and expires Evidence. It reads only
// ConfigMaps labelled concord.dev/evidence: "true" (the only ones the
// manager caches), and fetches URL sources through URLs, again every
// RecheckInterval (jittered per object) and whenever the spec changes.
type EvidenceReconciler struct {
	Base
	URLs            URLObserver
	RecheckInterval time.Duration
}

// Reconcile evaluates one Evidence.
func (r *EvidenceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	e := &v1alpha1.Evidence{}
	if found, err := r.load(ctx, metrics.KindEvidence, req.NamespacedName, e); !found {
		return ctrl.Result{}, err
	}
	if suspended(metrics.KindEvidence, e, e.Spec.Suspend) {
		return ctrl.Result{}, nil
	}
	now := r.Clock.Now()
	obs, err := r.observe(ctx, e, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	st, next := evaluate.Evidence(e, obs, now)
	if e.Spec.Source.Type == v1alpha1.SourceURL {
		next = evaluate.Earliest(now, next, nextURLCheck(e.UID, st.LastVerifiedTime, r.RecheckInterval))
	}
	updated := e.DeepCopy()
	updated.Status = st
	if err := r.commit(ctx, metrics.KindEvidence, e, updated, same(e.Status, st)); err != nil {
		return result(err, next, now)
	}
	metrics.SetConditions(metrics.KindEvidence, e.Namespace, e.Name, st.Conditions)
	metrics.SetEvidenceExpiration(e.Namespace, e.Name, st.ExpirationTime)
	return r.requeue(updated, next, now), nil
}

func (r *EvidenceReconciler) observe(ctx context.Context, e *v1alpha1.Evidence, now time.Time) (evaluate.Observation, error) {
	src := e.Spec.Source
	switch {
	case src.Type == v1alpha1.SourceAttestation:
		return evaluate.Observation{}, nil
	case src.Type == v1alpha1.SourceURL:
		if r.URLs == nil || !urlCheckDue(e, now, r.RecheckInterval, r.URLs.Allows(src.URL)) {
			return evaluate.Observation{Keep: true}, nil
		}
		obs := r.URLs.Observe(ctx, src.URL)
		obs.Checked = true
		return obs, nil
	case src.ConfigMap == nil:
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
		For(&v1alpha1.Evidence{}, notOwnWrite(metrics.KindEvidence, r.Writes)).
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
