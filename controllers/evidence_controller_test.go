package controllers

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// countingFetcher stands in for the HTTPS fetcher.
type countingFetcher struct {
	calls  int
	digest string
}

func (f *countingFetcher) Allows(string) bool { return true }

func (f *countingFetcher) Observe(context.Context, string) evaluate.Observation {
	f.calls++
	return evaluate.Observation{Digest: f.digest, Size: 6}
}

// urlEvidenceFixture is a URL Evidence in a fake client, and a clock at
// 2026-04-10.
func urlEvidenceFixture() (*v1alpha1.Evidence, client.Client, *clocktesting.FakeClock) {
	scheme := runtime.NewScheme()
	_ = v1alpha1.AddToScheme(scheme)
	e := &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Name: "nrm-sop", Namespace: "ns", UID: "uid-1", Generation: 1},
		Spec: v1alpha1.EvidenceSpec{Method: v1alpha1.MethodDocumentReview, CollectionTime: metav1.NewTime(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)),
			Source: v1alpha1.EvidenceSource{Type: v1alpha1.SourceURL, URL: "https://docs.example.gov/nrm-sop.pdf"}},
	}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(e).WithStatusSubresource(e).Build()
	return e, c, clocktesting.NewFakeClock(time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC))
}

// TestURLEvidenceRechecksOnItsInterval: fetched once, not again until the
// recheck instant the result asks to be woken at, again when the spec
// changes, and a changed document is ContentChanged.
func TestURLEvidenceRechecksOnItsInterval(t *testing.T) {
	e, c, clk := urlEvidenceFixture()
	f := &countingFetcher{digest: "sha256:aa"}
	r := &EvidenceReconciler{Base: Base{Client: c, Clock: clk}, URLs: f, RecheckInterval: DefaultRecheckInterval}
	reconcile := func() (ctrl.Result, *v1alpha1.Evidence) {
		t.Helper()
		res, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(e)})
		if err != nil {
			t.Fatal(err)
		}
		got := &v1alpha1.Evidence{}
		if err := c.Get(context.Background(), client.ObjectKeyFromObject(e), got); err != nil {
			t.Fatal(err)
		}
		return res, got
	}
	res, got := reconcile()
	if f.calls != 1 || !meta.IsStatusConditionTrue(got.Status.Conditions, v1alpha1.ConditionVerified) {
		t.Fatalf("first reconcile: %d fetches, conditions %v", f.calls, got.Status.Conditions)
	}
	if res.RequeueAfter < 24*time.Hour || res.RequeueAfter > 24*time.Hour+144*time.Minute {
		t.Fatalf("RequeueAfter %v, want 24h plus up to 2.4h", res.RequeueAfter)
	}
	clk.Step(time.Hour)
	if reconcile(); f.calls != 1 {
		t.Fatalf("fetched again an hour later: %d fetches", f.calls)
	}
	clk.Step(res.RequeueAfter - time.Hour)
	f.digest = "sha256:bb"
	_, got = reconcile()
	if c := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionVerified); f.calls != 2 || c.Reason != v1alpha1.ReasonContentChanged {
		t.Fatalf("at the recheck instant: %d fetches, Verified %v", f.calls, c)
	}
	got.Generation = 2 // a spec change is fetched at once
	if err := c.Update(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	if reconcile(); f.calls != 3 {
		t.Fatalf("a spec change was not fetched: %d fetches", f.calls)
	}
}

// policyFetcher stands in for the HTTPS fetcher under an allow-list: a
// host not allowed is refused without a fetch, as evidence.Fetcher does.
type policyFetcher struct {
	allowed bool
	fetches int
}

func (f *policyFetcher) Allows(string) bool { return f.allowed }

func (f *policyFetcher) Observe(context.Context, string) evaluate.Observation {
	if !f.allowed {
		return evaluate.Observation{FailReason: v1alpha1.ReasonHostNotAllowed, FailMessage: "Host is not allowed", Checked: true}
	}
	f.fetches++
	return evaluate.Observation{Digest: "sha256:aa", Size: 6}
}

// TestURLEvidenceFollowsAChangedAllowList: a verdict reached under one
// --evidence-allowed-hosts does not outlive it. After a restart with the
// host newly allowed, HostNotAllowed is fetched again at once; with the
// host no longer allowed, Verified turns HostNotAllowed at once, not at the
// next 24 h recheck.
func TestURLEvidenceFollowsAChangedAllowList(t *testing.T) {
	e, c, clk := urlEvidenceFixture()
	f := &policyFetcher{allowed: false}
	// Each "restart" is a new reconciler over the same stored status.
	verified := func() *metav1.Condition {
		t.Helper()
		r := &EvidenceReconciler{Base: Base{Client: c, Clock: clk}, URLs: f, RecheckInterval: DefaultRecheckInterval}
		if _, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(e)}); err != nil {
			t.Fatal(err)
		}
		got := &v1alpha1.Evidence{}
		if err := c.Get(context.Background(), client.ObjectKeyFromObject(e), got); err != nil {
			t.Fatal(err)
		}
		return meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionVerified)
	}
	if v := verified(); v.Reason != v1alpha1.ReasonHostNotAllowed {
		t.Fatalf("not allowed: Verified %s, want HostNotAllowed", v.Reason)
	}
	clk.Step(time.Hour)
	f.allowed = true // restarted with the host allowed
	if v := verified(); f.fetches != 1 || v.Reason != v1alpha1.ReasonDigestRecorded {
		t.Fatalf("host newly allowed: %d fetches, Verified %s; want a fetch at once and DigestRecorded", f.fetches, v.Reason)
	}
	clk.Step(time.Hour)
	if verified(); f.fetches != 1 {
		t.Fatalf("still allowed an hour later: %d fetches, want no refetch before the recheck", f.fetches)
	}
	f.allowed = false // restarted with the host removed
	if v := verified(); v.Reason != v1alpha1.ReasonHostNotAllowed {
		t.Fatalf("host no longer allowed: Verified %s, want HostNotAllowed at once", v.Reason)
	}
}
