package controllers

import (
	"hash/fnv"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// DefaultRecheckInterval is how often URL evidence is fetched again.
const DefaultRecheckInterval = 24 * time.Hour

// urlCheckDue reports whether a URL source must be fetched now: never
// fetched, its spec changed since, the recheck interval passed, or the
// last verdict was reached under another allow-list than today's (allowed
// says whether the manager's policy lets the URL be fetched now): a host
// newly allowed is fetched at once, and one no longer allowed is refused
// at once rather than left Verified until the next recheck.
func urlCheckDue(e *v1alpha1.Evidence, now time.Time, interval time.Duration, allowed bool) bool {
	last := e.Status.LastVerifiedTime
	if last == nil || e.Status.ObservedGeneration != e.Generation {
		return true
	}
	refused := false
	if v := meta.FindStatusCondition(e.Status.Conditions, v1alpha1.ConditionVerified); v != nil {
		refused = v.Reason == v1alpha1.ReasonHostNotAllowed
	}
	if refused == allowed {
		return true
	}
	return !now.Before(nextURLCheck(e.UID, last, interval))
}

// nextURLCheck is the last fetch plus the interval plus a jitter of up to a
// tenth of it, fixed per object so that rechecks spread out and do not move.
func nextURLCheck(uid types.UID, last *metav1.Time, interval time.Duration) time.Time {
	if last == nil || interval <= 0 {
		return time.Time{}
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(uid))
	jitter := time.Duration(uint64(interval/10) * uint64(h.Sum32()) / (1 << 32))
	return last.Add(interval + jitter)
}
