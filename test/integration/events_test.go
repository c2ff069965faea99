package integration

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// TestEventsOfTargetMetAndOnTrack: an indicator whose TargetMet and OnTrack
// both turn True (both with reason TargetReached) in one status write has
// two events.k8s.io Events, told apart by their action (the condition
// type), each with its own condition's message as note and no series (the
// Events API would fold two Events of the same regarding, reason and action
// into one, keeping the first note). Its first evaluation, all healthy,
// made no Event.
func TestEventsOfTargetMetAndOnTrack(t *testing.T) {
	startControllers(t)
	const ns = "events-pair"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	ind := lifeIndicator(ns)
	ind.Spec.Verification = nil
	// 41 in 2026-Q1: short of 50, and behind the straight line from 40
	// (2025-Q4) to 50 (2026-Q4), which is at 42.5 in 2026-Q1.
	ngo := lifeMeasurement(ns, "q1-ngo", "2026-Q1", "41", "NGO shelter network", "2026-04-05T00:00:00Z")
	for _, o := range []client.Object{ind, ngo} {
		if err := k8s.Create(ctx(t), o); err != nil {
			t.Fatal(err)
		}
	}
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached)
	waitCondition(t, ind, v1alpha1.ConditionOnTrack, metav1.ConditionFalse, v1alpha1.ReasonBehindTrajectory)

	// 41 + 14 = 55: both turn True, reason TargetReached.
	police := lifeMeasurement(ns, "q1-police", "2026-Q1", "14", "Border Police", "2026-04-06T00:00:00Z")
	if err := k8s.Create(ctx(t), police); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)
	waitCondition(t, ind, v1alpha1.ConditionOnTrack, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)
	want := map[string]string{}
	for _, typ := range []string{v1alpha1.ConditionTargetMet, v1alpha1.ConditionOnTrack} {
		c := findCond(ind, typ)
		want[typ] = fmt.Sprintf("%s is %s: %s", typ, c.Status, c.Message)
	}
	var got []eventsv1.Event
	eventually(t, "two TargetReached Events, one per condition", func() (bool, string) {
		got = indicatorEvents(t, ns, ind.Name, v1alpha1.ReasonTargetReached)
		return len(got) >= 2, fmt.Sprintf("%d TargetReached Events: %s", len(got), describeEvents(got))
	})
	if len(got) != 2 {
		t.Fatalf("%d TargetReached Events, want 2: %s", len(got), describeEvents(got))
	}
	for _, e := range got {
		note, ok := want[e.Action]
		switch {
		case !ok:
			t.Errorf("Event with action %q; want the condition type TargetMet or OnTrack: %s", e.Action, describeEvents(got))
		case e.Note != note:
			t.Errorf("Event %s has the note %q; want its condition's %q", e.Action, e.Note, note)
		case e.Series != nil:
			t.Errorf("Event %s is a series of %d: Events of different conditions were folded together", e.Action, e.Series.Count)
		}
		delete(want, e.Action)
	}
	// The first evaluation was healthy (Ready True, Stalled False): no
	// Event for them. And no Event about the indicator is a series: each
	// transition is recorded once, not again on a requeue (a status
	// written from a stale cache conflicts instead).
	if evs := indicatorEvents(t, ns, ind.Name, v1alpha1.ReasonEvaluated); len(evs) > 0 {
		t.Errorf("Events on first sight of healthy conditions: %s", describeEvents(evs))
	}
	all := indicatorEvents(t, ns, ind.Name, "")
	for _, e := range all {
		if e.Series != nil {
			t.Errorf("an Event recorded more than once: %s", describeEvents(all))
			break
		}
	}
}

// indicatorEvents lists the events.k8s.io Events about an Indicator with a
// reason (any, if empty), by action.
func indicatorEvents(t *testing.T, ns, name, reason string) []eventsv1.Event {
	t.Helper()
	var list eventsv1.EventList
	if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	var out []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Kind == "Indicator" && e.Regarding.Name == name && (reason == "" || e.Reason == reason) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

func describeEvents(evs []eventsv1.Event) string {
	var b strings.Builder
	for _, e := range evs {
		n := int32(1)
		if e.Series != nil {
			n = e.Series.Count
		}
		fmt.Fprintf(&b, "\n  %s %s action=%s x%d: %s", e.Type, e.Reason, e.Action, n, e.Note)
	}
	return b.String()
}
