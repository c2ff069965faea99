package controllers

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// passes runs an update through the predicate a builder option holds.
func passes(t *testing.T, p predicate.Predicate, old, new client.Object) bool {
	t.Helper()
	return p.Update(event.UpdateEvent{ObjectOld: old, ObjectNew: new})
}

func cond(typ string, status metav1.ConditionStatus) metav1.Condition {
	return metav1.Condition{Type: typ, Status: status, Reason: "R", Message: "m", LastTransitionTime: metav1.Now()}
}

// TestOwnStatusWritesDoNotRequeue: a status write (generation unchanged)
// passes none of the spec watches; a spec change, a creation and a
// deletion pass.
func TestOwnStatusWritesDoNotRequeue(t *testing.T) {
	p := predicate.GenerationChangedPredicate{}
	old := &v1alpha1.Measurement{ObjectMeta: metav1.ObjectMeta{Name: "m", Generation: 1}}
	written := old.DeepCopy()
	written.Status.ObservedGeneration = 1
	written.Status.Conditions = []metav1.Condition{cond(v1alpha1.ConditionAccepted, metav1.ConditionTrue)}
	if passes(t, p, old, written) {
		t.Error("a Measurement's status write passes the spec watch: it requeues itself, its Indicator and its slot")
	}
	approved := old.DeepCopy()
	approved.Generation = 2
	if !passes(t, p, old, approved) {
		t.Error("a spec change does not pass")
	}
	if !p.Create(event.CreateEvent{Object: old}) || !p.Delete(event.DeleteEvent{Object: old}) {
		t.Error("creations and deletions must pass")
	}
}

// TestEvidenceVerdictChanged: only what the evaluators read of another
// object's Evidence passes: spec, labels, Verified, Expired, expiration.
func TestEvidenceVerdictChanged(t *testing.T) {
	p := evidencePredicate
	base := &v1alpha1.Evidence{ObjectMeta: metav1.ObjectMeta{Name: "e", Generation: 1, Labels: map[string]string{"a": "b"}}}
	base.Status.Conditions = []metav1.Condition{cond(v1alpha1.ConditionVerified, metav1.ConditionTrue), cond(v1alpha1.ConditionExpired, metav1.ConditionFalse)}
	base.Status.LastVerifiedTime = &metav1.Time{Time: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		name string
		edit func(e *v1alpha1.Evidence)
		want bool
	}{
		{"a recheck with the same verdict", func(e *v1alpha1.Evidence) {
			e.Status.LastVerifiedTime = &metav1.Time{Time: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
			e.Status.Conditions[0].Message = "digest checked again"
		}, false},
		{"observedGeneration only", func(e *v1alpha1.Evidence) { e.Status.ObservedGeneration = 1 }, false},
		{"Verified turns False", func(e *v1alpha1.Evidence) { e.Status.Conditions[0].Status = metav1.ConditionFalse }, true},
		{"Expired turns True", func(e *v1alpha1.Evidence) { e.Status.Conditions[1].Status = metav1.ConditionTrue }, true},
		{"Verified first written", func(e *v1alpha1.Evidence) { e.Status.Conditions = e.Status.Conditions[1:] }, true},
		{"expiration time", func(e *v1alpha1.Evidence) {
			e.Status.ExpirationTime = &metav1.Time{Time: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
		}, true},
		{"labels (meeting selectors)", func(e *v1alpha1.Evidence) { e.Labels = map[string]string{"a": "c"} }, true},
		{"the description (spec)", func(e *v1alpha1.Evidence) { e.Generation = 2; e.Spec.Description = "Minutes, signed" }, false},
		{"the collection time", func(e *v1alpha1.Evidence) {
			e.Generation = 2
			e.Spec.CollectionTime = metav1.NewTime(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
		}, true},
		{"the method", func(e *v1alpha1.Evidence) { e.Generation = 2; e.Spec.Method = v1alpha1.MethodInterview }, true},
	} {
		n := base.DeepCopy()
		c.edit(n)
		if got := passes(t, p, base, n); got != c.want {
			t.Errorf("%s: passes %v, want %v", c.name, got, c.want)
		}
	}
}

// TestIndicatorRollUpChanged: a roll-up is evaluated again when an
// Indicator's counted verdicts, labels or spec change, not for a message
// or a value.
func TestIndicatorRollUpChanged(t *testing.T) {
	p := indicatorRollUpPredicate
	base := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "i", Generation: 1}}
	base.Status.Conditions = []metav1.Condition{cond(v1alpha1.ConditionTargetMet, metav1.ConditionFalse), cond(v1alpha1.ConditionReady, metav1.ConditionTrue)}
	for _, c := range []struct {
		name string
		edit func(i *v1alpha1.Indicator)
		want bool
	}{
		{"a new message and value", func(i *v1alpha1.Indicator) {
			i.Status.Conditions[0].Message = "54 of 60"
			i.Status.Current = &v1alpha1.CurrentValue{Value: "54"}
		}, false},
		{"Ready changes (not counted)", func(i *v1alpha1.Indicator) { i.Status.Conditions[1].Status = metav1.ConditionFalse }, false},
		{"TargetMet turns True", func(i *v1alpha1.Indicator) { i.Status.Conditions[0].Status = metav1.ConditionTrue }, true},
		{"DataOverdue appears", func(i *v1alpha1.Indicator) {
			i.Status.Conditions = append(i.Status.Conditions, cond(v1alpha1.ConditionDataOverdue, metav1.ConditionTrue))
		}, true},
		{"labels", func(i *v1alpha1.Indicator) { i.Labels = map[string]string{"plan": "npa"} }, true},
		{"spec", func(i *v1alpha1.Indicator) { i.Generation = 2 }, true},
	} {
		n := base.DeepCopy()
		c.edit(n)
		if got := passes(t, p, base, n); got != c.want {
			t.Errorf("%s: passes %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRollUpsCoalesce: many changes within RollUpDelay make one request,
// added after the delay; an update maps the old and the new object.
func TestRollUpsCoalesce(t *testing.T) {
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
	defer q.ShutDown()
	h := enqueueAfter(50*time.Millisecond, func(_ context.Context, o client.Object) []reconcile.Request {
		return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "plan-of-" + o.GetName()}}}
	})
	ctx := context.Background()
	for range 1000 {
		h.Create(ctx, event.CreateEvent{Object: &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "a"}}}, q)
	}
	h.Update(ctx, event.UpdateEvent{
		ObjectOld: &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "a"}},
		ObjectNew: &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "b"}},
	}, q)
	if q.Len() != 0 {
		t.Fatalf("%d requests ready before the delay", q.Len())
	}
	time.Sleep(200 * time.Millisecond)
	if q.Len() != 2 {
		t.Fatalf("%d requests after the delay; want 2 (plan-of-a once for 1,001 changes, plan-of-b)", q.Len())
	}
}

// TestOwnWriteEchoIsFiltered: the echo of the manager's own status write
// (recorded before it is sent) does not requeue the object; a status
// written by anyone else, a spec change, or a write that failed does.
func TestOwnWriteEchoIsFiltered(t *testing.T) {
	l := &WriteLog{}
	p := ownWritePredicate("indicator", l)
	old := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "i", Generation: 1}}
	ours := old.DeepCopy()
	ours.Status.Conditions = []metav1.Condition{cond(v1alpha1.ConditionTargetMet, metav1.ConditionTrue)}
	l.Writing("indicator", ours)
	echo := ours.DeepCopy()
	echo.ResourceVersion = "7"
	if passes(t, p, old, echo) {
		t.Error("the echo of the manager's own status write requeues the object")
	}
	forged := echo.DeepCopy()
	forged.Status.Conditions[0].Status = metav1.ConditionFalse
	if !passes(t, p, echo, forged) {
		t.Error("a status written by someone else is not evaluated again")
	}
	if spec := echo.DeepCopy(); func() bool { spec.Generation = 2; return !passes(t, p, echo, spec) }() {
		t.Error("a spec change with the same status does not pass")
	}
	l.Forget("indicator", types.NamespacedName{Namespace: "ns", Name: "i"})
	if !passes(t, p, old, echo) {
		t.Error("after a failed write (forgotten), the status is evaluated again")
	}
	if !passes(t, ownWritePredicate("indicator", nil), old, echo) {
		t.Error("without a log every update passes")
	}
}
