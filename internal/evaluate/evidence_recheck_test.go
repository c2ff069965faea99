package evaluate

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Between URL rechecks the verdict is kept as it is; a recheck moves
// lastVerifiedTime even when the verdict is the same.
func TestEvidenceKeepAndChecked(t *testing.T) {
	e := erObject(v1alpha1.SourceURL, "")
	first, _ := Evidence(e, Observation{Digest: erDigestA, Size: 10, Checked: true}, at("2026-02-02T10:00:00Z"))
	e.Status = first
	kept, _ := Evidence(e, Observation{Keep: true}, at("2026-02-02T12:00:00Z"))
	if !same(kept, first) {
		t.Fatalf("Keep changed the status:\n%+v\n%+v", kept, first)
	}
	e.Status = kept
	changed, _ := Evidence(e, Observation{Digest: erDigestB, Size: 11, Checked: true}, at("2026-02-03T10:00:00Z"))
	expectCond(t, changed.Conditions, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonContentChanged)
	e.Status = changed
	rechecked, _ := Evidence(e, Observation{Digest: erDigestB, Size: 11, Checked: true}, at("2026-02-04T10:00:00Z"))
	if !rechecked.LastVerifiedTime.Time.Equal(at("2026-02-04T10:00:00Z")) {
		t.Fatalf("lastVerifiedTime %v after a recheck", rechecked.LastVerifiedTime)
	}
	fresh := erObject(v1alpha1.SourceURL, "")
	st, _ := Evidence(fresh, Observation{Keep: true}, at("2026-02-02T10:00:00Z"))
	expectCond(t, st.Conditions, v1alpha1.ConditionVerified, metav1.ConditionUnknown, v1alpha1.ReasonPending)
}

func same(a, b v1alpha1.EvidenceStatus) bool {
	return a.ObservedDigest == b.ObservedDigest && a.SizeBytes == b.SizeBytes && a.LastVerifiedTime.Equal(b.LastVerifiedTime) &&
		len(a.Conditions) == len(b.Conditions) && a.Conditions[2] == b.Conditions[2]
}
