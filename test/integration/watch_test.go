package integration

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// reconciles is controller-runtime's count of reconciles of a controller.
func reconciles(t *testing.T, controller string) float64 {
	t.Helper()
	families, err := crmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for _, f := range families {
		if f.GetName() != "controller_runtime_reconcile_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "controller" && l.GetValue() == controller {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}

// reconcilesDuring counts the reconciles per controller that change
// causes, waiting until none happened for two seconds.
func reconcilesDuring(t *testing.T, change func()) map[string]float64 {
	t.Helper()
	names := []string{"indicator", "measurement", "evidence"}
	before := map[string]float64{}
	for _, c := range names {
		before[c] = reconciles(t, c)
	}
	change()
	total := func() (n float64) {
		for _, c := range names {
			n += reconciles(t, c)
		}
		return n
	}
	last, since := total(), time.Now()
	for time.Since(since) < 2*time.Second {
		time.Sleep(100 * time.Millisecond)
		if n := total(); n != last {
			last, since = n, time.Now()
		}
	}
	out := map[string]float64{}
	for _, c := range names {
		out[c] = reconciles(t, c) - before[c]
	}
	return out
}

// TestStatusWritesDoNotFanOut: no evaluator reads a Measurement's status,
// so a Measurement's status written by someone else reconciles that
// Measurement alone (which restores it), not its Indicator or siblings,
// and the restoring write, the manager's own, reconciles nothing; an
// Evidence status write that changes no verdict (lastVerifiedTime)
// reconciles nothing that cites it, and one that does (Verified turns
// False) reconciles each citing Measurement and the Indicator, once or
// twice (the verdict and its restoration). Before, every status write
// mapped to the Indicator and all its Measurements, and requeued the
// object written.
func TestStatusWritesDoNotFanOut(t *testing.T) {
	startControllers(t)
	const ns = "fan-out"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	ev := &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Name: "case-records", Namespace: ns},
		Spec: v1alpha1.EvidenceSpec{Method: v1alpha1.MethodRecordsReview, CollectionTime: metav1.NewTime(mustTime("2026-04-02T00:00:00Z")),
			Source: v1alpha1.EvidenceSource{Type: v1alpha1.SourceAttestation, Attestation: &v1alpha1.AttestationSource{
				AttestedBy: "Head of the referral unit", Statement: "Case records reviewed"}}},
	}
	ind := lifeIndicator(ns)
	var ms []*v1alpha1.Measurement
	for _, r := range []string{"NGO shelter network", "Police", "Labour inspectorate"} {
		m := lifeMeasurement(ns, "q1-"+map[string]string{"NGO shelter network": "ngo", "Police": "police", "Labour inspectorate": "labour"}[r], "2026-Q1", "20", r, "2026-04-05T00:00:00Z")
		m.Spec.EvidenceRefs = []v1alpha1.LocalObjectReference{{Name: ev.Name}}
		ms = append(ms, m)
	}
	create(t, ev, ind)
	for _, m := range ms {
		create(t, m)
	}
	for _, m := range ms {
		waitCondition(t, m, v1alpha1.ConditionVerified, metav1.ConditionTrue, v1alpha1.ReasonEvidenceSufficient)
	}
	waitCondition(t, ind, v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, v1alpha1.ReasonEvidenceComplete)
	waitForQuiet(t)

	got := reconcilesDuring(t, func() {
		m := &v1alpha1.Measurement{}
		if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(ms[0]), m); err != nil {
			t.Fatal(err)
		}
		c := meta.FindStatusCondition(m.Status.Conditions, v1alpha1.ConditionAccepted)
		c.Message += " (checked)"
		if err := k8s.Status().Update(ctx(t), m); err != nil {
			t.Fatal(err)
		}
	})
	if got["indicator"] != 0 || got["measurement"] != 1 {
		t.Errorf("a Measurement's status written by someone else caused reconciles %v; want the Measurement's alone, once", got)
	}
	waitCondition(t, ms[0], v1alpha1.ConditionAccepted, metav1.ConditionTrue, v1alpha1.ReasonValid)
	if c := meta.FindStatusCondition(ms[0].Status.Conditions, v1alpha1.ConditionAccepted); c == nil || strings.HasSuffix(c.Message, " (checked)") {
		t.Errorf("the Measurement's status was not restored: %+v", c)
	}

	e := &v1alpha1.Evidence{}
	if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(ev), e); err != nil {
		t.Fatal(err)
	}
	got = reconcilesDuring(t, func() {
		e.Status.LastVerifiedTime = &metav1.Time{Time: mustTime("2026-04-09T00:00:00Z")}
		if err := k8s.Status().Update(ctx(t), e); err != nil {
			t.Fatal(err)
		}
	})
	if got["indicator"] != 0 || got["measurement"] != 0 || got["evidence"] != 1 {
		t.Errorf("an Evidence status write that changes no verdict caused reconciles %v; want the Evidence's alone, once", got)
	}

	got = reconcilesDuring(t, func() {
		meta.SetStatusCondition(&e.Status.Conditions, metav1.Condition{Type: v1alpha1.ConditionVerified,
			Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonEvidenceUnverified, Message: "withdrawn"})
		if err := k8s.Status().Update(ctx(t), e); err != nil {
			t.Fatal(err)
		}
	})
	// Each once for the verdict and once for its restoration, and perhaps
	// once more after reading a cache that had not yet seen its own write
	// (the write conflicts and is retried). Before, each Measurement's own
	// write mapped to all its siblings and to the Indicator too.
	n := float64(len(ms))
	if got["measurement"] < n || got["measurement"] > 3*n || got["indicator"] < 1 || got["indicator"] > 3 || got["evidence"] != 1 {
		t.Errorf("Verified turning False caused reconciles %v; want each of the %d Measurements and the Indicator one to three times, the Evidence once", got, len(ms))
	}
	waitCondition(t, e, v1alpha1.ConditionVerified, metav1.ConditionTrue, v1alpha1.ReasonAttested)
}
