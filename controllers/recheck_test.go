package controllers

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func TestURLRecheckSchedule(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	last := metav1.NewTime(now.Add(-23 * time.Hour))
	e := &v1alpha1.Evidence{ObjectMeta: metav1.ObjectMeta{UID: "a-uid", Generation: 2}}
	if !urlCheckDue(e, now, DefaultRecheckInterval, true) {
		t.Error("never fetched: due")
	}
	e.Status.LastVerifiedTime, e.Status.ObservedGeneration = &last, 2
	if urlCheckDue(e, now, DefaultRecheckInterval, true) {
		t.Error("fetched 23h ago: not due")
	}
	next := nextURLCheck(e.UID, &last, DefaultRecheckInterval)
	if d := next.Sub(last.Time); d < DefaultRecheckInterval || d > DefaultRecheckInterval+DefaultRecheckInterval/10 {
		t.Errorf("next check %v after the last, want 24h plus up to 2.4h", d)
	}
	if next != nextURLCheck(e.UID, &last, DefaultRecheckInterval) {
		t.Error("the jitter moves between calls")
	}
	if other := nextURLCheck("another-uid", &last, DefaultRecheckInterval); other == next {
		t.Error("two objects share a jitter")
	}
	if !urlCheckDue(e, next, DefaultRecheckInterval, true) || urlCheckDue(e, next.Add(-time.Second), DefaultRecheckInterval, true) {
		t.Error("due exactly at the next check")
	}
	e.Generation = 3
	if !urlCheckDue(e, now, DefaultRecheckInterval, true) {
		t.Error("spec changed: due")
	}
}
