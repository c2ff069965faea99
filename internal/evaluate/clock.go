package evaluate

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// ClockSkew is how far a time written by a client (a Measurement's
// reportTime, evidence's collectionTime) may lie after the server's
// creationTimestamp of the object that carries it and still be trusted.
// Clients' clocks run a little ahead of the API server's; a time further
// ahead is not a report from the past but a claim about the future, and
// does not count.
const ClockSkew = 5 * time.Minute

// recordedAt is the instant an object was recorded by the API server: its
// creationTimestamp, or now for an object that has none (offline
// evaluation of manifests, which are recorded when they are applied).
func recordedAt(created metav1.Time, now time.Time) time.Time {
	if created.IsZero() {
		return now
	}
	return created.Time
}

// inFuture reports whether a client-written time t lies after the object's
// recording instant plus ClockSkew.
func inFuture(t time.Time, created metav1.Time, now time.Time) bool {
	return t.After(recordedAt(created, now).Add(ClockSkew))
}

// recordingText names the instant a time is compared with, for messages.
func recordingText(created metav1.Time, now time.Time) string {
	if created.IsZero() {
		return "the evaluation time " + now.UTC().Format(time.RFC3339)
	}
	return "the object's creation (" + created.UTC().Format(time.RFC3339) + ")"
}

// skewText is ClockSkew for people ("5 minutes").
func skewText() string {
	return fmt.Sprintf("%d minutes", int(ClockSkew/time.Minute))
}

// CollectedInFuture reports whether an Evidence object's collectionTime
// lies after its recording plus ClockSkew. Such evidence counts nowhere:
// it would never age or expire, and would keep meetings "regular" for
// ever.
func CollectedInFuture(e *v1alpha1.Evidence, now time.Time) bool {
	return inFuture(e.Spec.CollectionTime.Time, e.CreationTimestamp, now)
}
