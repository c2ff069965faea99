package controllers

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/concord-operator/concord/api/v1alpha1"
)

var created = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func newIndicator(uid string) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Namespace: "protection", Name: "victims-referred",
		UID: types.UID(uid), CreationTimestamp: metav1.NewTime(created)}}
}

func at(typ string, status metav1.ConditionStatus, reason string, since time.Time) metav1.Condition {
	return metav1.Condition{Type: typ, Status: status, Reason: reason, Message: reason, LastTransitionTime: metav1.NewTime(since)}
}

// TestANewObjectSettlesBeforeItsEvents: an Indicator applied before its
// Measurements is DataOverdue for a moment; while it settles its
// transitions make no Event, and one that settles healthy makes none at
// all. One that settles with something needing attention announces it
// once, when it settles, and every later transition is an Event.
func TestANewObjectSettlesBeforeItsEvents(t *testing.T) {
	wall := clocktesting.NewFakePassiveClock(created.Add(2 * time.Second))
	s := &Settling{Time: time.Minute, Wall: wall}
	rec := &fakeRecorder{}
	b := Base{Recorder: rec, Settling: s}
	ind := newIndicator("uid-1")

	overdue := at(v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported, created)
	reported := at(v1alpha1.ConditionDataOverdue, metav1.ConditionFalse, "PeriodsReported", created.Add(3*time.Second))
	missing := at(v1alpha1.ConditionEvidenceMissing, metav1.ConditionTrue, "NoEvidence", created.Add(3*time.Second))
	s.announce(rec, "indicator", ind, nil, []metav1.Condition{overdue}, true)
	wall.SetTime(created.Add(3 * time.Second))
	s.announce(rec, "indicator", ind, []metav1.Condition{overdue}, []metav1.Condition{reported, missing}, true)
	if len(rec.events) != 0 {
		t.Fatalf("Events while the object settles: %q", rec.events)
	}
	ind.Status.Conditions = []metav1.Condition{reported}
	if got := b.requeue(ind, time.Time{}, wall.Now()).RequeueAfter; got != 0 {
		t.Errorf("a settling object with nothing to announce is requeued after %v", got)
	}
	ind.Status.Conditions = []metav1.Condition{reported, missing}
	if got := b.requeue(ind, time.Time{}, wall.Now()).RequeueAfter; got != 57*time.Second {
		t.Errorf("requeued after %v, want 57s (when it settles)", got)
	}
	if got := b.requeue(ind, wall.Now().Add(10*time.Second), wall.Now()).RequeueAfter; got != 10*time.Second {
		t.Errorf("requeued after %v, want the sooner next change (10s)", got)
	}

	wall.SetTime(created.Add(time.Minute))
	if got := b.requeue(ind, time.Time{}, wall.Now()).RequeueAfter; got != 0 {
		t.Errorf("a settled object is requeued after %v", got)
	}
	s.announce(rec, "indicator", ind, nil, []metav1.Condition{reported, missing}, false)
	want := []string{"Warning NoEvidence EvidenceMissing: EvidenceMissing is True: NoEvidence"}
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("when it settles: %q, want %q", rec.events, want)
	}
	wall.SetTime(created.Add(61 * time.Second))
	s.announce(rec, "indicator", ind, nil, []metav1.Condition{reported, missing}, false)
	if len(rec.events) != 1 {
		t.Fatalf("announced again: %q", rec.events)
	}

	complete := at(v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, "EvidenceComplete", wall.Now())
	s.announce(rec, "indicator", ind, []metav1.Condition{reported, missing}, []metav1.Condition{reported, complete}, true)
	want = append(want, "Normal EvidenceComplete EvidenceMissing: EvidenceMissing is False: EvidenceComplete")
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("after settling: %q, want %q", rec.events, want)
	}
}

// TestSettledHealthyMakesNoEvent: a new object that was briefly not
// verified but settles healthy makes no Event at all.
func TestSettledHealthyMakesNoEvent(t *testing.T) {
	wall := clocktesting.NewFakePassiveClock(created)
	s := &Settling{Time: time.Minute, Wall: wall}
	rec := &fakeRecorder{}
	m := newIndicator("uid-2")
	unverified := at(v1alpha1.ConditionVerified, metav1.ConditionFalse, "EvidenceUnverified", created)
	verified := at(v1alpha1.ConditionVerified, metav1.ConditionTrue, "EvidenceSufficient", created.Add(time.Second))
	s.announce(rec, "measurement", m, nil, []metav1.Condition{unverified}, true)
	wall.SetTime(created.Add(time.Second))
	s.announce(rec, "measurement", m, []metav1.Condition{unverified}, []metav1.Condition{verified}, true)
	wall.SetTime(created.Add(time.Minute))
	s.announce(rec, "measurement", m, nil, []metav1.Condition{verified}, false)
	if len(rec.events) != 0 {
		t.Fatalf("a new object that settled healthy made Events %q", rec.events)
	}
}

// TestRestartAnnouncesNothingSettledLongAgo: a manager started long after
// an object settled announces nothing for it (it only records
// transitions); a reason change of a condition that stays bad is one
// Event, not two; an object re-created under the same name is new.
func TestRestartAnnouncesNothingSettledLongAgo(t *testing.T) {
	wall := clocktesting.NewFakePassiveClock(created.Add(24 * time.Hour))
	s := &Settling{Time: time.Minute, Wall: wall}
	rec := &fakeRecorder{}
	ind := newIndicator("uid-3")
	overdue := at(v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported, created)
	s.announce(rec, "indicator", ind, nil, []metav1.Condition{overdue}, false)
	if len(rec.events) != 0 {
		t.Fatalf("a restart announced %q", rec.events)
	}
	other := overdue
	other.Reason = "ReporterMissing"
	s.announce(rec, "indicator", ind, []metav1.Condition{overdue}, []metav1.Condition{other}, true)
	if len(rec.events) != 1 {
		t.Fatalf("a reason change made %d Events: %q", len(rec.events), rec.events)
	}

	// Deleted and created again under the same name, 30 s ago.
	again := newIndicator("uid-4")
	again.CreationTimestamp = metav1.NewTime(wall.Now().Add(-90 * time.Second))
	bad := at(v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported, again.CreationTimestamp.Time)
	s.announce(rec, "indicator", again, nil, []metav1.Condition{bad}, false)
	if len(rec.events) != 2 {
		t.Fatalf("the re-created object was not announced: %q", rec.events)
	}
}
