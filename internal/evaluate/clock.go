package evaluate

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
