package integration

import (
	"testing"

	"github.com/fluxcd/cli-utils/pkg/kstatus/status"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manifest"
)

// TestRejectedMeasurementsFailVisibly: a Measurement the cluster refuses
// for its content is Ready False and Stalled True, so kstatus (Flux, Argo
// CD's kstatus mode) reads it Failed rather than Current; one awaiting
// approval reads InProgress; an accepted one stays Current. The forged
// reportTime of the spoofing attack is refused the same way and does not
// supersede the real figure.
func TestRejectedMeasurementsFailVisibly(t *testing.T) {
	startControllers(t)
	const ns = "rejected"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-11-21T00:00:00Z"))
	ind := lifeIndicator(ns)
	if err := k8s.Create(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	approved := lifeIndicator(ns)
	approved.Name = "approved-referrals"
	approved.Spec.Verification.ApprovalRequired = true
	if err := k8s.Create(ctx(t), approved); err != nil {
		t.Fatal(err)
	}
	real := lifeMeasurement(ns, "q1-ngo-b", "2026-Q1", "45", "NGO B", "2026-04-05T00:00:00Z")
	fraction := lifeMeasurement(ns, "q2-fraction", "2026-Q2", "2.5", "NGO B", "2026-07-05T00:00:00Z")
	monthly := lifeMeasurement(ns, "monthly-period", "2026-03", "45", "NGO B", "2026-04-05T00:00:00Z")
	forged := lifeMeasurement(ns, "q1-forged", "2026-Q1", "1", "NGO B", "9999-12-31T00:00:00Z")
	awaiting := lifeMeasurement(ns, "q1-awaiting", "2026-Q1", "45", "NGO B", "2026-04-05T00:00:00Z")
	awaiting.Spec.IndicatorRef.Name = approved.Name
	for _, m := range []*v1alpha1.Measurement{real, fraction, monthly, forged, awaiting} {
		if err := k8s.Create(ctx(t), m); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		m      *v1alpha1.Measurement
		reason string
		want   status.Status
	}{
		{fraction, v1alpha1.ReasonValueInvalid, status.FailedStatus},
		{monthly, v1alpha1.ReasonPeriodMismatch, status.FailedStatus},
		{forged, v1alpha1.ReasonReportTimeInFuture, status.FailedStatus},
		{awaiting, v1alpha1.ReasonAwaitingApproval, status.InProgressStatus},
		{real, v1alpha1.ReasonValid, status.CurrentStatus},
	} {
		waitCondition(t, tc.m, v1alpha1.ConditionAccepted, acceptedStatus(tc.reason), tc.reason)
		if tc.reason != v1alpha1.ReasonValid {
			waitCondition(t, tc.m, v1alpha1.ConditionReady, metav1.ConditionFalse, tc.reason)
		}
		stalled := metav1.ConditionFalse
		if tc.want == status.FailedStatus {
			stalled = metav1.ConditionTrue
		}
		c := findCond(tc.m, v1alpha1.ConditionStalled)
		if c.Status != stalled {
			t.Errorf("%s: Stalled %s/%s, want %s", tc.m.Name, c.Status, c.Reason, stalled)
		}
		u := &unstructured.Unstructured{}
		u.SetAPIVersion(v1alpha1.GroupVersion.String())
		u.SetKind("Measurement")
		u.SetNamespace(ns)
		u.SetName(tc.m.Name)
		if got, msg := kstatusOf(manifest.Object{Object: u}); got != tc.want {
			t.Errorf("%s (%s): kstatus %s (%s), want %s", tc.m.Name, tc.reason, got, msg, tc.want)
		}
	}
	// The forged figure does not supersede NGO B's real one, and the
	// indicator counts 45, not 1.
	waitCondition(t, real, v1alpha1.ConditionSuperseded, metav1.ConditionFalse, v1alpha1.ReasonLatestReport)
	eventually(t, "the indicator to count the real figure", func() (bool, string) {
		got := &v1alpha1.Indicator{}
		if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(ind), got); err != nil || got.Status.Current == nil {
			return false, "no current value"
		}
		return got.Status.Current.Value == "45", "current " + got.Status.Current.Value
	})
}

func acceptedStatus(reason string) metav1.ConditionStatus {
	if reason == v1alpha1.ReasonValid {
		return metav1.ConditionTrue
	}
	return metav1.ConditionFalse
}
