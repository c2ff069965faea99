package evaluate

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

var (
	erDigestA = "sha256:" + strings.Repeat("a", 64)
	erDigestB = "sha256:" + strings.Repeat("b", 64)
)

// erObject is the Evidence of DESIGN.md with a source of type typ.
func erObject(typ v1alpha1.SourceType, digest string) *v1alpha1.Evidence {
	e := &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Name: "nrm-sop-2026", Namespace: "coordination", Generation: 2},
		Spec: v1alpha1.EvidenceSpec{Method: v1alpha1.MethodDocumentReview, Description: "Endorsed SOP",
			CollectionTime: metav1.NewTime(at("2026-02-01T00:00:00Z")), Source: v1alpha1.EvidenceSource{Type: typ}, Digest: digest},
	}
	switch typ {
	case v1alpha1.SourceConfigMap:
		e.Spec.Source.ConfigMap = &v1alpha1.ConfigMapSource{Name: "nrm-sop", Key: "sop.pdf"}
	case v1alpha1.SourceURL:
		e.Spec.Source.URL = "https://docs.example.gov/nrm-sop.pdf"
	case v1alpha1.SourceAttestation:
		e.Spec.Source.Attestation = &v1alpha1.AttestationSource{AttestedBy: "Head of Secretariat", Statement: "Minutes read and approved"}
	}
	return e
}

func TestEvidenceVerifiedReasons(t *testing.T) {
	const cm, url, att = v1alpha1.SourceConfigMap, v1alpha1.SourceURL, v1alpha1.SourceAttestation
	read := func(d string) Observation { return Observation{Digest: d, Size: 1234} }
	fail := func(reason, msg string) Observation { return Observation{FailReason: reason, FailMessage: msg} }
	cases := []struct {
		name         string
		typ          v1alpha1.SourceType
		specDigest   string
		pinned       string // status.observedDigest before
		obs          Observation
		status       metav1.ConditionStatus
		reason       string
		msg          string
		wantDigest   string
		wantSize     int64
		wantVerified bool // lastVerifiedTime set
	}{
		{"attested", att, "", "", Observation{}, stTrue, v1alpha1.ReasonAttested, "Attested by Head of Secretariat", "", 0, true},
		{"attestation needs no fetch", att, "", "", Observation{Pending: true}, stTrue, v1alpha1.ReasonAttested, "Attested by Head of Secretariat", "", 0, true},
		{"digest matched", cm, erDigestA, "", read(erDigestA), stTrue, v1alpha1.ReasonDigestMatched, "The content's sha256 matches spec.digest", erDigestA, 1234, true},
		{"digest mismatch", cm, erDigestA, "", read(erDigestB), stFalse, v1alpha1.ReasonDigestMismatch,
			"The content's digest " + erDigestB + " differs from spec.digest " + erDigestA, erDigestB, 1234, true},
		{"first digest recorded and pinned", cm, "", "", read(erDigestA), stTrue, v1alpha1.ReasonDigestRecorded,
			"Digest " + erDigestA + " recorded and pinned in status.observedDigest", erDigestA, 1234, true},
		{"URL digest recorded", url, "", "", read(erDigestB), stTrue, v1alpha1.ReasonDigestRecorded, "Digest " + erDigestB + " recorded", erDigestB, 1234, true},
		{"pinned digest seen again", cm, "", erDigestA, read(erDigestA), stTrue, v1alpha1.ReasonDigestRecorded, "recorded and pinned", erDigestA, 1234, true},
		{"content changed from the pinned digest", cm, "", erDigestA, read(erDigestB), stFalse, v1alpha1.ReasonContentChanged,
			"The content's digest " + erDigestB + " differs from the pinned " + erDigestA, erDigestA, 1234, true},
		{"source not found", cm, "", erDigestA, fail(v1alpha1.ReasonSourceNotFound, `ConfigMap "nrm-sop" has no key "sop.pdf"`), stFalse,
			v1alpha1.ReasonSourceNotFound, `ConfigMap "nrm-sop" has no key "sop.pdf"`, erDigestA, 0, true},
		{"fetch failed", url, "", "", fail(v1alpha1.ReasonFetchFailed, "GET returned 503"), stFalse, v1alpha1.ReasonFetchFailed, "GET returned 503", "", 0, true},
		{"host not allowed", url, erDigestA, "", fail(v1alpha1.ReasonHostNotAllowed, `host "docs.example.gov" is not allowed`), stFalse,
			v1alpha1.ReasonHostNotAllowed, `host "docs.example.gov" is not allowed`, "", 0, true},
		{"too large", url, "", "", fail(v1alpha1.ReasonTooLarge, "larger than 10485760 bytes"), stFalse, v1alpha1.ReasonTooLarge, "larger than 10485760 bytes", "", 0, true},
		{"pending", cm, "", erDigestA, Observation{Pending: true}, stUnknown, v1alpha1.ReasonPending, "The source has not been checked yet", erDigestA, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := erObject(tc.typ, tc.specDigest)
			e.Status.ObservedDigest = tc.pinned
			st, _ := Evidence(e, tc.obs, at("2026-02-02T10:00:00Z"))
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionVerified, tc.status, tc.reason, []string{tc.msg}},
				rsnWant{v1alpha1.ConditionReady, stTrue, v1alpha1.ReasonEvaluated, nil},
				rsnWant{v1alpha1.ConditionStalled, stFalse, v1alpha1.ReasonEvaluated, nil},
				rsnWant{v1alpha1.ConditionExpired, stFalse, v1alpha1.ReasonNoExpiry, nil})
			if st.ObservedDigest != tc.wantDigest || st.SizeBytes != tc.wantSize || st.ObservedGeneration != 2 {
				t.Errorf("observedDigest %q sizeBytes %d generation %d, want %q %d 2", st.ObservedDigest, st.SizeBytes, st.ObservedGeneration, tc.wantDigest, tc.wantSize)
			}
			if (st.LastVerifiedTime != nil) != tc.wantVerified || (tc.wantVerified && !st.LastVerifiedTime.Time.Equal(at("2026-02-02T10:00:00Z"))) {
				t.Errorf("lastVerifiedTime %v, want set: %v", st.LastVerifiedTime, tc.wantVerified)
			}
		})
	}
}

func TestEvidenceExpiredReasons(t *testing.T) {
	cases := []struct {
		name      string
		collected string
		days      *int32
		now       string
		status    metav1.ConditionStatus
		reason    string
		msg       string
		expires   string // "": none
		next      string
	}{
		{"no validForDays", "2026-02-01T00:00:00Z", nil, "2030-01-01T00:00:00Z", stFalse, v1alpha1.ReasonNoExpiry, "spec.validForDays is not set", "", ""},
		{"one second before it elapses", "2026-02-01T00:00:00Z", i32(365), "2027-01-31T23:59:59Z", stFalse, v1alpha1.ReasonWithinValidity,
			"Valid until 2027-02-01T00:00:00Z", "2027-02-01T00:00:00Z", "2027-02-01T00:00:00Z"},
		{"exactly when it elapses", "2026-02-01T00:00:00Z", i32(365), "2027-02-01T00:00:00Z", stTrue, v1alpha1.ReasonValidityElapsed,
			"Valid for 365 days from 2026-02-01T00:00:00Z: expired 2027-02-01T00:00:00Z", "2027-02-01T00:00:00Z", ""},
		{"long after", "2026-02-01T00:00:00Z", i32(365), "2030-01-01T00:00:00Z", stTrue, v1alpha1.ReasonValidityElapsed, "expired 2027-02-01T00:00:00Z", "2027-02-01T00:00:00Z", ""},
		{"days across a leap day", "2028-02-01T00:00:00Z", i32(30), "2028-03-01T23:59:59Z", stFalse, v1alpha1.ReasonWithinValidity,
			"Valid until 2028-03-02T00:00:00Z", "2028-03-02T00:00:00Z", "2028-03-02T00:00:00Z"},
		{"collectionTime with an offset", "2026-02-01T02:00:00+02:00", i32(1), "2026-02-01T23:59:59Z", stFalse, v1alpha1.ReasonWithinValidity,
			"Valid until 2026-02-02T00:00:00Z", "2026-02-02T00:00:00Z", "2026-02-02T00:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := erObject(v1alpha1.SourceAttestation, "")
			e.Spec.CollectionTime, e.Spec.ValidForDays = metav1.NewTime(at(tc.collected)), tc.days
			stale := metav1.NewTime(at("2020-01-01T00:00:00Z"))
			e.Status.ExpirationTime = &stale // recomputed from the spec every time
			st, next := Evidence(e, Observation{}, at(tc.now))
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionExpired, tc.status, tc.reason, []string{tc.msg}})
			rsnTime(t, "next", next, tc.next)
			var exp time.Time
			if st.ExpirationTime != nil {
				exp = st.ExpirationTime.Time
			}
			rsnTime(t, "expirationTime", exp, tc.expires)
		})
	}
}

func TestEvidenceLastVerifiedTime(t *testing.T) {
	const t1 = "2026-02-02T10:00:00Z"
	cases := []struct {
		name   string
		typ    v1alpha1.SourceType
		pinned string
		first  Observation
		then   Observation
		want   string // lastVerifiedTime and Verified's lastTransitionTime after the second evaluation
	}{
		{"same digest again", v1alpha1.SourceConfigMap, "", Observation{Digest: erDigestA}, Observation{Digest: erDigestA, Size: 99}, t1},
		{"attested again", v1alpha1.SourceAttestation, "", Observation{}, Observation{}, t1},
		{"still changed", v1alpha1.SourceConfigMap, erDigestA, Observation{Digest: erDigestB}, Observation{Digest: erDigestB}, t1},
		{"verdict changed", v1alpha1.SourceConfigMap, "", Observation{Digest: erDigestA}, Observation{Digest: erDigestB}, "2026-03-01T00:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := erObject(tc.typ, "")
			e.Status.ObservedDigest = tc.pinned
			st, _ := Evidence(e, tc.first, at(t1).Add(400*time.Millisecond))
			if st.LastVerifiedTime == nil || !st.LastVerifiedTime.Time.Equal(at(t1)) {
				t.Fatalf("first lastVerifiedTime %v, want %s truncated to the second", st.LastVerifiedTime, t1)
			}
			e.Status = st
			st, _ = Evidence(e, tc.then, at("2026-03-01T00:00:00Z"))
			rsnTime(t, "lastVerifiedTime", st.LastVerifiedTime.Time, tc.want)
			rsnTime(t, "Verified lastTransitionTime", cond(t, st.Conditions, v1alpha1.ConditionVerified).LastTransitionTime.Time, tc.want)
		})
	}
}

// TestEvidenceCollectedInFuture: evidence cannot be collected after it is
// recorded; a collectionTime past the creation plus the clock skew is
// Verified False whatever the source says, so it counts nowhere (it would
// never age, expire or let meetings fall overdue).
func TestEvidenceCollectedInFuture(t *testing.T) {
	created := at("2026-02-02T10:00:00Z")
	cases := []struct {
		name      string
		typ       v1alpha1.SourceType
		collected time.Time
		created   time.Time // zero: offline, the evaluation time stands in
		status    metav1.ConditionStatus
		reason    string
		msg       string
	}{
		{"in 2999", v1alpha1.SourceConfigMap, at("2999-12-31T00:00:00Z"), created, stFalse, v1alpha1.ReasonCollectionTimeInFuture,
			"collectionTime 2999-12-31T00:00:00Z is later than the object's creation (2026-02-02T10:00:00Z) plus the allowed clock skew of 5 minutes"},
		{"attested, in 2999", v1alpha1.SourceAttestation, at("2999-12-31T00:00:00Z"), created, stFalse, v1alpha1.ReasonCollectionTimeInFuture, "collectionTime 2999-12-31"},
		{"one second past the skew", v1alpha1.SourceConfigMap, created.Add(ClockSkew + time.Second), created, stFalse, v1alpha1.ReasonCollectionTimeInFuture, ""},
		{"at the skew", v1alpha1.SourceConfigMap, created.Add(ClockSkew), created, stTrue, v1alpha1.ReasonDigestMatched, ""},
		{"offline, after the evaluation time", v1alpha1.SourceConfigMap, at("2026-03-01T00:00:00Z"), time.Time{}, stFalse, v1alpha1.ReasonCollectionTimeInFuture,
			"later than the evaluation time 2026-02-02T10:00:00Z plus"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := erObject(tc.typ, erDigestA)
			if tc.typ == v1alpha1.SourceAttestation {
				e.Spec.Digest = ""
			}
			e.Spec.CollectionTime = metav1.NewTime(tc.collected)
			e.CreationTimestamp = metav1.NewTime(tc.created)
			if tc.created.IsZero() {
				e.CreationTimestamp = metav1.Time{}
			}
			st, _ := Evidence(e, Observation{Digest: erDigestA, Size: 10}, at("2026-02-02T10:00:00Z"))
			rsnCheck(t, st.Conditions, rsnWant{v1alpha1.ConditionVerified, tc.status, tc.reason, []string{tc.msg}})
		})
	}
}
