package controllers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func TestRequeueAt(t *testing.T) {
	now := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	if r := requeueAt(time.Time{}, now); r.RequeueAfter != 0 {
		t.Errorf("no next change: %v", r)
	}
	if r := requeueAt(now, now); r.RequeueAfter != 0 {
		t.Errorf("next == now: %v", r)
	}
	if r := requeueAt(now.Add(90*time.Minute), now); r.RequeueAfter != 90*time.Minute {
		t.Errorf("RequeueAfter %v", r.RequeueAfter)
	}
}

// fakeRecorder keeps Events as strings: "type reason action: note".
type fakeRecorder struct{ events []string }

func (f *fakeRecorder) Eventf(_ runtime.Object, _ runtime.Object, kind, reason, action, note string, args ...any) {
	f.events = append(f.events, kind+" "+reason+" "+action+": "+strings.TrimSpace(fmt.Sprintf(note, args...)))
}

var _ events.EventRecorder = &fakeRecorder{}

func TestEventsOnTransitionsOnly(t *testing.T) {
	rec := &fakeRecorder{}
	b := Base{Recorder: rec}
	before := []metav1.Condition{
		{Type: "Ready", Status: "True", Reason: "Evaluated"},
		{Type: "EvidenceMissing", Status: "False", Reason: "EvidenceComplete"},
		{Type: "TargetMet", Status: "False", Reason: "TargetNotReached"},
	}
	after := []metav1.Condition{
		{Type: "Ready", Status: "True", Reason: "Evaluated"},
		{Type: "EvidenceMissing", Status: "True", Reason: "NoEvidence", Message: "No evidence is given"},
		{Type: "TargetMet", Status: "False", Reason: "DeadlineMissed", Message: "the deadline 2026-Q4 closed"},
	}
	b.emitTransitions(&v1alpha1.Indicator{}, before, after)
	want := []string{
		"Warning NoEvidence EvidenceMissing: EvidenceMissing is True: No evidence is given",
		"Normal DeadlineMissed TargetMet: TargetMet is False: the deadline 2026-Q4 closed",
	}
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("events %q, want %q", rec.events, want)
	}
}

// TestAnomalousTransitionsAreEvents: the generic condition Events carry
// Anomalous too (there is no Anomalous-specific code): an outlier is a
// Warning, since a person should check the figure; its return within range
// is Normal.
func TestAnomalousTransitionsAreEvents(t *testing.T) {
	rec := &fakeRecorder{}
	b := Base{Recorder: rec}
	within := metav1.Condition{Type: v1alpha1.ConditionAnomalous, Status: "False", Reason: v1alpha1.ReasonWithinRange, Message: "2026-Q2: 47 is within range"}
	outlier := metav1.Condition{Type: v1alpha1.ConditionAnomalous, Status: "True", Reason: v1alpha1.ReasonOutlierDetected, Message: "2026-Q3: 540 is an outlier"}
	b.emitTransitions(&v1alpha1.Indicator{}, []metav1.Condition{within}, []metav1.Condition{outlier})
	b.emitTransitions(&v1alpha1.Indicator{}, []metav1.Condition{outlier}, []metav1.Condition{outlier})
	b.emitTransitions(&v1alpha1.Indicator{}, []metav1.Condition{outlier}, []metav1.Condition{within})
	want := []string{
		"Warning OutlierDetected Anomalous: Anomalous is True: 2026-Q3: 540 is an outlier",
		"Normal WithinRange Anomalous: Anomalous is False: 2026-Q2: 47 is within range",
	}
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("events %q, want %q", rec.events, want)
	}
}

// TestEventsOfConditionsSharingAReason: TargetMet and OnTrack turning True
// together share the reason TargetReached, and Ready and Stalled share
// Evaluated; each Event names its condition in its action, so the Events
// API keeps them apart, and each note is its condition's message.
func TestEventsOfConditionsSharingAReason(t *testing.T) {
	rec := &fakeRecorder{}
	b := Base{Recorder: rec}
	before := []metav1.Condition{
		{Type: "Ready", Status: "False", Reason: "InvalidSpec", Message: "spec.target: bad"},
		{Type: "Stalled", Status: "True", Reason: "InvalidSpec", Message: "spec.target: bad"},
		{Type: "TargetMet", Status: "False", Reason: "TargetNotReached", Message: "45 is 12.5% above the baseline 40"},
		{Type: "OnTrack", Status: "False", Reason: "BehindTrajectory", Message: "45 is behind"},
	}
	after := []metav1.Condition{
		{Type: "Ready", Status: "True", Reason: "Evaluated", Message: "The current generation was evaluated"},
		{Type: "Stalled", Status: "False", Reason: "Evaluated", Message: "The spec is valid"},
		{Type: "TargetMet", Status: "True", Reason: "TargetReached", Message: "55 is 37.5% above the baseline 40; target reached"},
		{Type: "OnTrack", Status: "True", Reason: "TargetReached", Message: "The target is reached"},
	}
	b.emitTransitions(&v1alpha1.Indicator{}, before, after)
	want := []string{
		"Normal Evaluated Ready: Ready is True: The current generation was evaluated",
		"Normal Evaluated Stalled: Stalled is False: The spec is valid",
		"Normal TargetReached TargetMet: TargetMet is True: 55 is 37.5% above the baseline 40; target reached",
		"Normal TargetReached OnTrack: OnTrack is True: The target is reached",
	}
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(rec.events, "\n"), strings.Join(want, "\n"))
	}
}

// TestEventsOnFirstSight: an object's first evaluation makes Events only
// for the conditions that need attention, not one per condition; and a
// requeue that changes nothing makes none.
func TestEventsOnFirstSight(t *testing.T) {
	rec := &fakeRecorder{}
	b := Base{Recorder: rec}
	first := []metav1.Condition{
		{Type: "Ready", Status: "True", Reason: "Evaluated", Message: "The current generation was evaluated"},
		{Type: "Stalled", Status: "False", Reason: "Evaluated", Message: "The spec is valid"},
		{Type: "TargetMet", Status: "True", Reason: "TargetReached", Message: "54 is 35% above the baseline 40; target reached"},
		{Type: "EvidenceMissing", Status: "False", Reason: "EvidenceComplete", Message: "4 source(s)"},
		{Type: "DataOverdue", Status: "True", Reason: "PeriodNotReported", Message: "No counted data for 2026-Q3"},
		{Type: "OnTrack", Status: "True", Reason: "TargetReached", Message: "The target is reached"},
		{Type: "Anomalous", Status: "Unknown", Reason: "InsufficientHistory", Message: "2 previous periods"},
	}
	b.emitTransitions(&v1alpha1.Indicator{}, nil, first)
	b.emitTransitions(&v1alpha1.Indicator{}, first, first)
	want := []string{"Warning PeriodNotReported DataOverdue: DataOverdue is True: No counted data for 2026-Q3"}
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(rec.events, "\n"), strings.Join(want, "\n"))
	}
}

// TestNoSecondEventFromAStaleCache: a reconcile that read the object
// before its status was written (the cache lags) computes the same
// transitions again; its status patch conflicts instead of being applied a
// second time, records no Event, and asks to be evaluated again soon (its
// own status write, once the cache sees it, does not requeue it).
func TestNoSecondEventFromAStaleCache(t *testing.T) {
	scheme := runtime.NewScheme()
	_ = v1alpha1.AddToScheme(scheme)
	ind := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "victims-referred", Namespace: "ns", Generation: 1}}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(ind).WithStatusSubresource(ind).Build()
	ctx := context.Background()
	stale := &v1alpha1.Indicator{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(ind), stale); err != nil {
		t.Fatal(err)
	}
	overdue := metav1.Condition{Type: v1alpha1.ConditionDataOverdue, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonPeriodNotReported,
		Message: "No counted data for 2026-Q3", LastTransitionTime: metav1.Now()}
	rec := &fakeRecorder{}
	b := Base{Client: c, Recorder: rec}
	for i := range 2 { // the second reconcile reads the same stale object
		updated := stale.DeepCopy()
		updated.Status.Conditions = []metav1.Condition{overdue}
		err := b.commit(ctx, "Indicator", stale, updated, false)
		if i == 0 && err != nil {
			t.Fatalf("commit 1: %v", err)
		}
		if i == 1 {
			now := time.Now()
			if res, err := result(err, now.Add(time.Hour), now); err != nil || res.RequeueAfter != StaleRetry {
				t.Fatalf("commit 2 from a stale cache: result %+v, %v; want a requeue after %v", res, err, StaleRetry)
			}
		}
	}
	want := []string{"Warning PeriodNotReported DataOverdue: DataOverdue is True: No counted data for 2026-Q3"}
	if strings.Join(rec.events, "|") != strings.Join(want, "|") {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(rec.events, "\n"), strings.Join(want, "\n"))
	}
}
