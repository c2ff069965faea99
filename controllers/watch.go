package controllers

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"reflect"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// What each watch reacts to. The evaluators read specs, and of other
// objects' statuses only a few verdicts (below); a watch that maps every
// status write of every object to its dependents makes work that grows
// with the namespace during a bulk load and requeues each object on its
// own status write. Every predicate passes creations and deletions.

// specChanged passes updates that change an object's spec (its
// generation): a Measurement's status write does not requeue its
// Indicator or siblings, since no evaluator reads a Measurement's status.
// A controller's own kind is watched with notOwnWrite instead.
var specChanged = builder.WithPredicates(predicate.GenerationChangedPredicate{})

// evidenceVerdictChanged passes Evidence updates that can change the
// verdict of something that cites it: its method or collection time, its
// labels (meeting
// selectors pick minutes by label), whether it is Verified or Expired, and
// its expiration time (internal/evaluate reads no other part of another
// object's Evidence status). A URL recheck that finds the same digest
// changes lastVerifiedTime only, and maps to nothing.
var evidenceVerdictChanged = builder.WithPredicates(evidencePredicate)

var evidencePredicate = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		o, okOld := e.ObjectOld.(*v1alpha1.Evidence)
		n, okNew := e.ObjectNew.(*v1alpha1.Evidence)
		if !okOld || !okNew {
			return true
		}
		// Of the spec, the evaluators read the method and the collection
		// time; a change of anything else (the source, validForDays) that
		// matters reaches them as a new verdict or expiry, and a new
		// description changes nothing.
		return o.Spec.Method != n.Spec.Method || !o.Spec.CollectionTime.Equal(&n.Spec.CollectionTime) ||
			!equality.Semantic.DeepEqual(o.GetLabels(), n.GetLabels()) ||
			!sameConditionStatus(o.Status.Conditions, n.Status.Conditions, v1alpha1.ConditionVerified, v1alpha1.ConditionExpired) ||
			!equality.Semantic.DeepEqual(o.Status.ExpirationTime, n.Status.ExpirationTime)
	},
}

// indicatorRollUpChanged passes Indicator updates that can change a
// roll-up (a mechanism's or a plan's status): its spec (mechanismRef,
// area), its labels (plan selectors), or one of the verdicts the roll-ups
// count.
var indicatorRollUpChanged = builder.WithPredicates(indicatorRollUpPredicate)

var indicatorRollUpPredicate = verdictsChanged(func(i *v1alpha1.Indicator) []metav1.Condition { return i.Status.Conditions }, nil,
	v1alpha1.ConditionTargetMet, v1alpha1.ConditionOnTrack, v1alpha1.ConditionEvidenceMissing, v1alpha1.ConditionDataOverdue)

// mechanismRollUpChanged passes mechanism updates that can change a plan's
// scorecard: spec (type), labels, and Ready, Formalized, MeetingsRegular.
var mechanismRollUpChanged = builder.WithPredicates(verdictsChanged(
	func(m *v1alpha1.CooperationMechanism) []metav1.Condition { return m.Status.Conditions }, nil,
	v1alpha1.ConditionReady, v1alpha1.ConditionFormalized, v1alpha1.ConditionMeetingsRegular))

// verdictsChanged passes creations, deletions, and updates of a T that
// change its spec (generation), its labels, the status of one of the
// condition types, or what same (when given) finds different.
func verdictsChanged[T client.Object](conds func(T) []metav1.Condition, same func(o, n T) bool, types ...string) predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, okOld := e.ObjectOld.(T)
			n, okNew := e.ObjectNew.(T)
			if !okOld || !okNew {
				return true
			}
			return o.GetGeneration() != n.GetGeneration() || !equality.Semantic.DeepEqual(o.GetLabels(), n.GetLabels()) ||
				!sameConditionStatus(conds(o), conds(n), types...) || (same != nil && !same(o, n))
		},
	}
}

// labelsChanged passes updates that change an object's labels (a
// Namespace's consent label, for plans).
var labelsChanged = builder.WithPredicates(predicate.LabelChangedPredicate{})

// sameConditionStatus reports whether the conditions of the given types
// have the same status in a and b (absent counts as a status).
func sameConditionStatus(a, b []metav1.Condition, types ...string) bool {
	for _, t := range types {
		ca, cb := meta.FindStatusCondition(a, t), meta.FindStatusCondition(b, t)
		switch {
		case (ca == nil) != (cb == nil):
			return false
		case ca != nil && ca.Status != cb.Status:
			return false
		}
	}
	return true
}

// RollUpDelay is how long a roll-up (a mechanism's or a plan's status,
// each counting many Indicators) waits after a change of something it
// counts before it is evaluated again. Changes within the delay are
// evaluated together: during a bulk load of N Indicators a plan over them
// is evaluated about once per delay rather than once per change, which
// would cost O(N) each time and O(N^2) in all.
const RollUpDelay = 2 * time.Second

// CoalesceDelay is how long an Indicator waits after a change of what it
// reads before it is evaluated. The changes that arrive within it are
// evaluated together.
const CoalesceDelay = time.Second

// enqueueAfter maps an object to requests, as
// handler.EnqueueRequestsFromMapFunc does, and adds them after delay; a
// request already waiting keeps its earlier time, so changes coalesce. An
// update maps both the old and the new object (a changed reference or
// label may move the object from one roll-up to another).
func enqueueAfter(delay time.Duration, fn handler.MapFunc) handler.EventHandler {
	add := func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], objs ...client.Object) {
		for _, o := range objs {
			for _, r := range fn(ctx, o) {
				q.AddAfter(r, delay)
			}
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, q, e.Object)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, q, e.ObjectOld, e.ObjectNew)
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, q, e.Object)
		},
		GenericFunc: func(ctx context.Context, e event.GenericEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, q, e.Object)
		},
	}
}

// WriteLog holds a digest of the last status this manager wrote to each
// object, by kind and key, recorded before the write is sent (its echo may
// reach the watch before the write returns). Its methods are safe for
// concurrent use and do nothing on a nil log.
type WriteLog struct{ m sync.Map }

type writeKey struct {
	kind string
	key  types.NamespacedName
}

// Writing records the status obj is about to be given.
func (l *WriteLog) Writing(kind string, obj client.Object) {
	if l != nil {
		l.m.Store(writeKey{kind, client.ObjectKeyFromObject(obj)}, statusDigest(obj))
	}
}

// Forget drops an object that is gone, or whose write failed.
func (l *WriteLog) Forget(kind string, key types.NamespacedName) {
	if l != nil {
		l.m.Delete(writeKey{kind, key})
	}
}

// own reports whether obj, as the watch sees it, carries the status this
// manager last wrote to it.
func (l *WriteLog) own(kind string, obj client.Object) bool {
	if l == nil {
		return false
	}
	d, ok := l.m.Load(writeKey{kind, client.ObjectKeyFromObject(obj)})
	return ok && d == statusDigest(obj)
}

// statusDigest is a digest of an object's status as the API server
// serializes it (times to the second), "" when it has none.
func statusDigest(obj client.Object) string {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	st := v.Elem().FieldByName("Status")
	if !st.IsValid() {
		return ""
	}
	b, err := json.Marshal(st.Interface())
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return string(sum[:])
}

// notOwnWrite is the predicate of a controller's own kind: it passes
// every event except the echo of this manager's own status write (same
// generation, and the status it wrote). An object is not requeued by its
// own status write, but a status written by anyone else is evaluated, and
// corrected, at once.
func notOwnWrite(kind string, l *WriteLog) builder.Predicates {
	return builder.WithPredicates(ownWritePredicate(kind, l))
}

func ownWritePredicate(kind string, l *WriteLog) predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			return e.ObjectOld.GetGeneration() != e.ObjectNew.GetGeneration() || !l.own(kind, e.ObjectNew)
		},
	}
}
