package controllers

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// DefaultEventSettleTime is how long a new object settles before its
// condition transitions are Events.
const DefaultEventSettleTime = time.Minute

// Settling holds back the Events of objects younger than Time.
//
// A new object's first verdicts depend on the order in which it and the
// objects it reads were created: an Indicator applied a moment before its
// Measurements is DataOverdue until they arrive, a Measurement before its
// Evidence lacks verification. Status shows each verdict as it is; Events,
// which people read in `kubectl describe` and which cost the API server a
// write each, announce only what an object settles into. While an object
// is younger than Time its transitions make no Event. When it settles
// (its reconcile is requeued for that instant) each condition that needs
// attention and turned so while it settled is announced once, as a
// Warning; from then on every transition is an Event, as emitTransitions
// describes. A new object that settles healthy makes no Event at all.
//
// Whether an object was announced is kept in memory. A manager that
// starts more than Time after an object settled announces nothing for it
// (its verdicts were announced by the manager that saw it settle); one
// that restarts within that span may announce an object a second time.
type Settling struct {
	Time time.Duration
	// Wall is the time objects' ages are measured in: creation
	// timestamps are the API server's wall clock, whatever clock the
	// evaluators see.
	Wall      clock.PassiveClock
	announced sync.Map // writeKey → the UID of the object announced
}

// settlesAt is when obj settles.
func (s *Settling) settlesAt(obj client.Object) time.Time {
	return obj.GetCreationTimestamp().Add(s.Time)
}

// remaining is how long obj has yet to settle (0: settled, or no
// settling).
func (s *Settling) remaining(obj client.Object) time.Duration {
	if s == nil {
		return 0
	}
	if d := s.settlesAt(obj).Sub(s.Wall.Now()); d > 0 {
		return d
	}
	return 0
}

// announce records the Events of one reconcile of obj, whose conditions
// went from before to after (wrote: the status was written; otherwise
// before is nil and after is the current status).
func (s *Settling) announce(rec events.EventRecorder, kind string, obj conditioned, before, after []metav1.Condition, wrote bool) {
	if s == nil || rec == nil {
		return
	}
	now, settles := s.Wall.Now(), s.settlesAt(obj)
	if now.Before(settles) {
		return
	}
	uid, seen := s.announced.Swap(writeKey{kind, client.ObjectKeyFromObject(obj)}, obj.GetUID())
	first := (!seen || uid != obj.GetUID()) && now.Before(settles.Add(s.Time))
	for _, c := range after {
		transition := wrote && isTransition(meta.FindStatusCondition(before, c.Type), c)
		settledInto := first && needsAttention(c) && c.LastTransitionTime.Time.Before(settles)
		if transition || settledInto {
			emit(rec, obj, c)
		}
	}
}

// forget drops an object that is gone.
func (s *Settling) forget(kind string, key types.NamespacedName) {
	if s != nil {
		s.announced.Delete(writeKey{kind, key})
	}
}
