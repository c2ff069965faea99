package evaluate

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Observation is what the caller learnt of an Evidence's source: the
// controller by reading the ConfigMap or fetching the URL, the CLI from the
// manifests at hand. It never holds the content itself.
type Observation struct {
	// Pending: the source was not checked (Verified Unknown).
	Pending bool
	// FailReason and FailMessage: the source could not be read
	// (SourceNotFound, FetchFailed, HostNotAllowed, TooLarge).
	FailReason, FailMessage string
	// Digest ("sha256:...") and Size of the content read.
	Digest string
	Size   int64
	// Checked: the source was read just now, so lastVerifiedTime moves
	// even when the verdict stays the same (URL rechecks).
	Checked bool
	// Keep: the source was not read this time (a URL between rechecks);
	// the Verified verdict and digest stay as they are.
	Keep bool
}

// Evidence computes an Evidence's status at now from an observation of its
// source, and the instant it expires (zero: never, or already).
func Evidence(e *v1alpha1.Evidence, obs Observation, now time.Time) (v1alpha1.EvidenceStatus, time.Time) {
	st := e.Status.DeepCopy()
	st.ObservedGeneration = e.Generation
	verified := verifiedEvidence(e, obs, st, now)
	expired, next := expiredEvidence(e, st, now)
	conds := append(readyConds("", ""), verified, expired)
	st.Conditions = MergeConditions(st.Conditions, conds, e.Generation, now)
	return *st, next
}

func verifiedEvidence(e *v1alpha1.Evidence, obs Observation, st *v1alpha1.EvidenceStatus, now time.Time) Cond {
	const t = v1alpha1.ConditionVerified
	var c Cond
	switch {
	case CollectedInFuture(e, now):
		return condFalse(t, v1alpha1.ReasonCollectionTimeInFuture, fmt.Sprintf("collectionTime %s is later than %s plus the allowed clock skew of %s: evidence cannot be collected after it is recorded; record it in a new Evidence with the time it was collected",
			e.Spec.CollectionTime.UTC().Format(time.RFC3339), recordingText(e.CreationTimestamp, now), skewText()))
	case obs.Keep:
		if old := meta.FindStatusCondition(st.Conditions, t); old != nil {
			return Cond{old.Type, old.Status, old.Reason, old.Message}
		}
		return condUnknown(t, v1alpha1.ReasonPending, "The source has not been checked yet")
	case e.Spec.Source.Type == v1alpha1.SourceAttestation:
		a := e.Spec.Source.Attestation
		c = condTrue(t, v1alpha1.ReasonAttested, fmt.Sprintf("Attested by %s", attester(a)))
	case obs.Pending:
		return condUnknown(t, v1alpha1.ReasonPending, "The source has not been checked yet")
	case obs.FailReason != "":
		c = condFalse(t, obs.FailReason, obs.FailMessage)
	default:
		c = digestCond(e, obs, st)
		st.SizeBytes = obs.Size
	}
	if old := meta.FindStatusCondition(st.Conditions, t); obs.Checked || old == nil || old.Status != c.Status || old.Reason != c.Reason || st.LastVerifiedTime == nil {
		ts := metav1.NewTime(now.UTC().Truncate(time.Second))
		st.LastVerifiedTime = &ts
	}
	return c
}

func attester(a *v1alpha1.AttestationSource) string {
	if a == nil {
		return "an unnamed role"
	}
	return a.AttestedBy
}

// digestCond compares the content's digest with spec.digest, else with the
// digest pinned at the first verification.
func digestCond(e *v1alpha1.Evidence, obs Observation, st *v1alpha1.EvidenceStatus) Cond {
	const t = v1alpha1.ConditionVerified
	if e.Spec.Digest != "" {
		st.ObservedDigest = obs.Digest
		if obs.Digest == e.Spec.Digest {
			return condTrue(t, v1alpha1.ReasonDigestMatched, "The content's sha256 matches spec.digest")
		}
		return condFalse(t, v1alpha1.ReasonDigestMismatch, fmt.Sprintf("The content's digest %s differs from spec.digest %s", obs.Digest, e.Spec.Digest))
	}
	if st.ObservedDigest == "" || st.ObservedDigest == obs.Digest {
		st.ObservedDigest = obs.Digest
		return condTrue(t, v1alpha1.ReasonDigestRecorded, fmt.Sprintf("Digest %s recorded and pinned in status.observedDigest", obs.Digest))
	}
	return condFalse(t, v1alpha1.ReasonContentChanged, fmt.Sprintf("The content's digest %s differs from the pinned %s", obs.Digest, st.ObservedDigest))
}

func expiredEvidence(e *v1alpha1.Evidence, st *v1alpha1.EvidenceStatus, now time.Time) (Cond, time.Time) {
	const t = v1alpha1.ConditionExpired
	if e.Spec.ValidForDays == nil {
		st.ExpirationTime = nil
		return condFalse(t, v1alpha1.ReasonNoExpiry, "spec.validForDays is not set"), time.Time{}
	}
	exp := e.Spec.CollectionTime.Time.AddDate(0, 0, int(*e.Spec.ValidForDays)).UTC()
	ts := metav1.NewTime(exp)
	st.ExpirationTime = &ts
	if !now.Before(exp) {
		return condTrue(t, v1alpha1.ReasonValidityElapsed, fmt.Sprintf("Valid for %d days from %s: expired %s", *e.Spec.ValidForDays, e.Spec.CollectionTime.UTC().Format(time.RFC3339), exp.Format(time.RFC3339))), time.Time{}
	}
	return condFalse(t, v1alpha1.ReasonWithinValidity, fmt.Sprintf("Valid until %s", exp.Format(time.RFC3339))), exp
}
