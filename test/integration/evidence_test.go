package integration

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/controllers"
	"github.com/concord-operator/concord/internal/evidence"
)

func evidenceConfigMap(ns, name, content string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{evidence.Label: "true"}},
		Data:       map[string]string{"records.txt": content},
	}
}

func configMapEvidence(ns, name, cm, digest string, validForDays *int32) *v1alpha1.Evidence {
	return &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1alpha1.EvidenceSpec{
			Method: v1alpha1.MethodRecordsReview, CollectionTime: metav1.NewTime(mustTime("2026-04-02T00:00:00Z")),
			ValidForDays: validForDays, Digest: digest,
			Source: v1alpha1.EvidenceSource{Type: v1alpha1.SourceConfigMap, ConfigMap: &v1alpha1.ConfigMapSource{Name: cm, Key: "records.txt"}},
		},
	}
}

func updateConfigMap(t *testing.T, cm *corev1.ConfigMap, content string) {
	t.Helper()
	if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(cm), cm); err != nil {
		t.Fatal(err)
	}
	cm.Data["records.txt"] = content
	if err := k8s.Update(ctx(t), cm); err != nil {
		t.Fatal(err)
	}
}

// TestConfigMapEvidencePinsAndExpires: the first digest is pinned, a change
// of content is ContentChanged, and the evidence expires at the instant.
func TestConfigMapEvidencePinsAndExpires(t *testing.T) {
	startControllers(t)
	const ns = "evidence-pin"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	cm := evidenceConfigMap(ns, "shelter-records", "Q1: 52 referrals")
	days := int32(30)
	e := configMapEvidence(ns, "shelter-records-q1", "shelter-records", "", &days)
	for _, o := range []client.Object{cm, e} {
		if err := k8s.Create(ctx(t), o); err != nil {
			t.Fatal(err)
		}
	}
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionTrue, v1alpha1.ReasonDigestRecorded)
	if want := evidence.Digest([]byte("Q1: 52 referrals")); e.Status.ObservedDigest != want || e.Status.SizeBytes != 16 {
		t.Fatalf("observedDigest %q size %d, want %q 16", e.Status.ObservedDigest, e.Status.SizeBytes, want)
	}
	updateConfigMap(t, cm, "Q1: 99 referrals")
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonContentChanged)
	if e.Status.ObservedDigest != evidence.Digest([]byte("Q1: 52 referrals")) {
		t.Errorf("the pinned digest moved to %q", e.Status.ObservedDigest)
	}

	r := &controllers.EvidenceReconciler{Base: base()}
	res := reconcileAsRequeue(t, r, e)
	expiry := mustTime("2026-05-02T00:00:00Z") // collected 2026-04-02, valid 30 days
	if want := expiry.Sub(fakeClock.Now()); res.RequeueAfter != want {
		t.Fatalf("RequeueAfter %v, want %v (the expiry)", res.RequeueAfter, want)
	}
	waitCondition(t, e, v1alpha1.ConditionExpired, metav1.ConditionFalse, v1alpha1.ReasonWithinValidity)
	fakeClock.SetTime(expiry)
	reconcileAsRequeue(t, r, e)
	waitCondition(t, e, v1alpha1.ConditionExpired, metav1.ConditionTrue, v1alpha1.ReasonValidityElapsed)
}

// TestDigestMismatchMakesEvidenceMissing: an Indicator whose measurement's
// referenced Evidence stops matching its digest turns EvidenceMissing True
// (EvidenceUnverified), end to end.
func TestDigestMismatchMakesEvidenceMissing(t *testing.T) {
	startControllers(t)
	const ns = "evidence-mismatch"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	content := "Q1: 52 referrals"
	cm := evidenceConfigMap(ns, "shelter-records", content)
	e := configMapEvidence(ns, "shelter-records-q1", "shelter-records", evidence.Digest([]byte(content)), nil)
	ind := lifeIndicator(ns)
	ind.Spec.Verification.Level = v1alpha1.LevelVerified
	m := lifeMeasurement(ns, "q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")
	m.Spec.EvidenceRefs = []v1alpha1.LocalObjectReference{{Name: e.Name}}
	for _, o := range []client.Object{cm, e, ind, m} {
		if err := k8s.Create(ctx(t), o); err != nil {
			t.Fatal(err)
		}
	}
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionTrue, v1alpha1.ReasonDigestMatched)
	waitCondition(t, ind, v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, v1alpha1.ReasonEvidenceComplete)
	updateConfigMap(t, cm, "Q1: 99 referrals")
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonDigestMismatch)
	waitCondition(t, ind, v1alpha1.ConditionEvidenceMissing, metav1.ConditionTrue, v1alpha1.ReasonEvidenceUnverified)
	waitCondition(t, m, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonEvidenceUnverified)
	expectEvent(t, ns, e.Name, v1alpha1.ReasonDigestMismatch)
}

// TestUnlabelledConfigMapIsNotRead: a ConfigMap without the evidence label
// is not in the manager's cache and is never read.
func TestUnlabelledConfigMapIsNotRead(t *testing.T) {
	startControllers(t)
	const ns = "evidence-unlabelled"
	createNamespace(t, ns, nil)
	cm := evidenceConfigMap(ns, "private", "not evidence")
	cm.Labels = nil
	e := configMapEvidence(ns, "private-records", "private", "", nil)
	for _, o := range []client.Object{cm, e} {
		if err := k8s.Create(ctx(t), o); err != nil {
			t.Fatal(err)
		}
	}
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonSourceNotFound)
	if e.Status.ObservedDigest != "" || e.Status.SizeBytes != 0 {
		t.Fatalf("an unlabelled ConfigMap was read: %+v", e.Status)
	}
}

func urlEvidence(ns, name string) *v1alpha1.Evidence {
	return &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1alpha1.EvidenceSpec{
			Method: v1alpha1.MethodDocumentReview, CollectionTime: metav1.NewTime(mustTime("2026-02-01T00:00:00Z")),
			Source: v1alpha1.EvidenceSource{Type: v1alpha1.SourceURL, URL: "https://docs.example.gov/nrm-sop.pdf"},
		},
	}
}

// TestURLEvidenceNeedsAnAllowedHost: the manager's default allows no host,
// so URL evidence reports HostNotAllowed and nothing is fetched.
func TestURLEvidenceNeedsAnAllowedHost(t *testing.T) {
	startControllers(t)
	const ns = "evidence-url"
	createNamespace(t, ns, nil)
	e := urlEvidence(ns, "nrm-sop")
	if err := k8s.Create(ctx(t), e); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonHostNotAllowed)
	if c := findCond(e, v1alpha1.ConditionVerified); !strings.Contains(c.Message, "--evidence-allowed-hosts") {
		t.Errorf("HostNotAllowed message %q does not name the flag", c.Message)
	}
}
