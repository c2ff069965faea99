// Package controllers holds one reconciler per Concord kind. Each is thin
// glue: it gathers the object and its related objects from the cache, calls
// the pure evaluator in internal/evaluate at the clock's time, patches the
// status subresource only when it changed, emits an Event per condition
// transition, exports metrics and requeues at the evaluator's next-change
// instant.
package controllers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/internal/metrics"
)

// Base is what every reconciler shares.
type Base struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Writes remembers the status this manager last wrote to each object,
	// so that the object's own watch can tell its echo from a change by
	// someone else (notOwnWrite). Nil remembers nothing.
	Writes *WriteLog
	// Settling holds back the Events of new objects (events.go). Nil:
	// every transition is an Event at once.
	Settling *Settling
}

// load gets the object a request names. When it is gone, found is false
// and its metric series are deleted.
func (b *Base) load(ctx context.Context, kind string, key types.NamespacedName, obj client.Object) (bool, error) {
	found, err := b.exists(ctx, key, obj)
	if !found && err == nil {
		metrics.Forget(kind, key.Namespace, key.Name)
		b.Writes.Forget(kind, key)
		b.Settling.forget(kind, key)
	}
	return found, err
}

// suspended exports whether an object's spec.suspend is set, and returns it.
func suspended(kind string, obj client.Object, on bool) bool {
	metrics.SetSuspended(kind, obj.GetNamespace(), obj.GetName(), on)
	return on
}

// conditioned is a Concord object with conditions.
type conditioned interface {
	client.Object
	GetConditions() []metav1.Condition
}

// commit writes updated's status over old's in one patch when it differs,
// and emits an Event for every condition transition (emitTransitions).
func (b *Base) commit(ctx context.Context, kind string, old, updated conditioned, statusEqual bool) error {
	if statusEqual {
		b.Settling.announce(b.Recorder, kind, old, nil, old.GetConditions(), false)
		return nil
	}
	// The patch carries old's resourceVersion: from a stale cache (the
	// status was written already, and the cache has not seen it yet) it
	// conflicts instead of being applied again, so its transitions make no
	// second Event. The object is evaluated again shortly (errStale): its
	// own status writes do not requeue it (specChanged), and the status
	// computed now may differ from the one the cache has not seen.
	b.Writes.Writing(kind, updated)
	err := b.Client.Status().Patch(ctx, updated, client.MergeFromWithOptions(old, client.MergeFromWithOptimisticLock{}))
	if err != nil {
		b.Writes.Forget(kind, client.ObjectKeyFromObject(updated))
	}
	if apierrors.IsConflict(err) {
		ctrl.LoggerFrom(ctx).V(1).Info("Status not written: the object changed since it was read; it is evaluated again")
		return errStale
	}
	if err != nil {
		return fmt.Errorf("patching the status of %s %s/%s: %w", kind, updated.GetNamespace(), updated.GetName(), err)
	}
	metrics.StatusWritten(kind)
	ctrl.LoggerFrom(ctx).V(1).Info("Status written", "transitions", transitions(old.GetConditions(), updated.GetConditions()))
	if b.Settling == nil {
		b.emitTransitions(updated, old.GetConditions(), updated.GetConditions())
	} else {
		b.Settling.announce(b.Recorder, kind, updated, old.GetConditions(), updated.GetConditions(), true)
	}
	return nil
}

// errStale says a status was not written because the cache was behind
// the API server; result turns it into a requeue after StaleRetry.
var errStale = errors.New("the cache is behind the API server")

// StaleRetry is how long a reconcile whose status write conflicted waits
// before it reads the cache again.
const StaleRetry = 200 * time.Millisecond

// result is what a reconciler returns after commit: a requeue at next, or
// soon after a stale read, or the error.
func result(err error, next, now time.Time) (ctrl.Result, error) {
	switch {
	case errors.Is(err, errStale):
		return ctrl.Result{RequeueAfter: StaleRetry}, nil
	case err != nil:
		return ctrl.Result{}, err
	}
	return requeueAt(next, now), nil
}

// transitions names the conditions that changed status or reason, as
// "Type=Status/Reason", for logs.
func transitions(before, after []metav1.Condition) []string {
	var out []string
	for _, c := range after {
		if prev := meta.FindStatusCondition(before, c.Type); prev == nil || prev.Status != c.Status || prev.Reason != c.Reason {
			out = append(out, c.Type+"="+string(c.Status)+"/"+c.Reason)
		}
	}
	return out
}

// emitTransitions records one Event per real transition of a condition:
// its status or reason changed. A condition seen for the first time (the
// object's first evaluation, or a condition new to its kind) is a
// transition only when it needs attention, so a new object's healthy
// verdicts (Ready True, Stalled False, ...) make no Events; a condition
// that did not change makes none, however often the object is requeued.
//
// Each Event names its condition in the events.k8s.io action field and
// takes the condition's reason as its reason: TargetMet and OnTrack both
// turning True (reason TargetReached) are two Events, with actions
// TargetMet and OnTrack, rather than one series of two that keeps the
// first note (the Events API aggregates Events whose regarding object,
// type, reason and action are the same). The note is "Type is Status:
// message", the condition's own message. Warning when the new state needs
// attention, else Normal.
func (b *Base) emitTransitions(obj conditioned, before, after []metav1.Condition) {
	if b.Recorder == nil {
		return
	}
	for _, c := range after {
		if isTransition(meta.FindStatusCondition(before, c.Type), c) {
			emit(b.Recorder, obj, c)
		}
	}
}

// isTransition reports whether c, whose previous state was prev (nil:
// first seen), is a transition worth an Event: its status or reason
// changed, or it is seen for the first time and needs attention.
func isTransition(prev *metav1.Condition, c metav1.Condition) bool {
	if prev == nil {
		return needsAttention(c)
	}
	return prev.Status != c.Status || prev.Reason != c.Reason
}

// emit records c as an Event of obj: the condition type is the action,
// its reason the reason, "Type is Status: message" the note; Warning when
// it needs attention.
func emit(rec events.EventRecorder, obj conditioned, c metav1.Condition) {
	kind := "Normal"
	if needsAttention(c) {
		kind = "Warning"
	}
	rec.Eventf(obj, nil, kind, c.Reason, c.Type, "%s is %s: %s", c.Type, c.Status, c.Message)
}

// bad lists the (type, status) pairs that need a person's attention.
var bad = map[string]metav1.ConditionStatus{
	"Ready": metav1.ConditionFalse, "Stalled": metav1.ConditionTrue, "EvidenceMissing": metav1.ConditionTrue,
	"DataOverdue": metav1.ConditionTrue, "Accepted": metav1.ConditionFalse, "Verified": metav1.ConditionFalse,
	"Expired": metav1.ConditionTrue, "MeetingsRegular": metav1.ConditionFalse, "Formalized": metav1.ConditionFalse,
	"Anomalous": metav1.ConditionTrue,
}

func needsAttention(c metav1.Condition) bool {
	s, ok := bad[c.Type]
	return ok && s == c.Status
}

// requeueAt turns the evaluator's next-change instant into a result.
func requeueAt(next, now time.Time) ctrl.Result {
	if next.IsZero() || !next.After(now) {
		return ctrl.Result{}
	}
	return ctrl.Result{RequeueAfter: next.Sub(now)}
}

// requeue is the result of a reconcile that wrote obj's status (or found
// it current): a requeue at next, the evaluator's next-change instant, or
// when obj settles if that is sooner and one of its conditions needs
// attention, so that it is announced then. (A condition that turns so
// later, while the object settles, is written by a reconcile that
// requeues it likewise.)
func (b *Base) requeue(obj conditioned, next, now time.Time) ctrl.Result {
	res := requeueAt(next, now)
	if !slices.ContainsFunc(obj.GetConditions(), needsAttention) {
		return res
	}
	if in := b.Settling.remaining(obj); in > 0 && (res.RequeueAfter == 0 || in < res.RequeueAfter) {
		res.RequeueAfter = in
	}
	return res
}

// same reports whether two statuses are equal, nil and empty alike.
func same(a, b any) bool { return equality.Semantic.DeepEqual(a, b) }
