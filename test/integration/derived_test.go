package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

func derivedCount(ns, name string) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1alpha1.IndicatorSpec{Title: name, Area: v1alpha1.AreaProsecution, Cadence: v1alpha1.CadenceQuarterly,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "officials"}, ReportingStart: "2026-Q1"},
	}
}

func derivedShare(ns string) *v1alpha1.Indicator {
	share := derivedCount(ns, "share-disciplined")
	share.Spec.Measure = v1alpha1.Measure{Type: v1alpha1.MeasureRatio, Scale: decimal("100")}
	share.Spec.Derived = &v1alpha1.Derived{Operation: v1alpha1.DerivedRatio,
		Inputs: []v1alpha1.DerivedInput{{Name: "officials-disciplined"}, {Name: "officials-investigated"}}}
	return share
}

func derivedReport(ns, indicator, name, value, reporter string) *v1alpha1.Measurement {
	m := lifeMeasurement(ns, name, "2026-Q2", value, reporter, "2026-07-06T09:00:00Z")
	m.Spec.IndicatorRef.Name = indicator
	return m
}

func create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := k8s.Create(ctx(t), o); err != nil {
			t.Fatalf("creating %s: %v", o.GetName(), err)
		}
	}
}

// waitValue waits until the indicator's current value is value.
func waitValue(t *testing.T, ind *v1alpha1.Indicator, value string) {
	t.Helper()
	eventually(t, ind.Name+" value "+value, func() (bool, string) {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(ind), ind); err != nil {
			return false, err.Error()
		}
		if ind.Status.Current == nil {
			return false, "no current value"
		}
		return ind.Status.Current.Value == value, ind.Status.Current.Value
	})
}

// TestDerivedIndicatorFollowsItsInputs: a derived indicator's status
// follows its inputs' Measurements (a new report, evidence added to one),
// and its status writes settle.
func TestDerivedIndicatorFollowsItsInputs(t *testing.T) {
	startControllers(t)
	const ns = "derived-follows"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-08-15T00:00:00Z"))
	disciplined := derivedCount(ns, "officials-disciplined")
	disciplined.Spec.Verification = &v1alpha1.Verification{Methods: []v1alpha1.VerificationMethod{v1alpha1.MethodRecordsReview}}
	share := derivedShare(ns)
	d := derivedReport(ns, "officials-disciplined", "disciplined-q2", "3", "Inspectorate General")
	create(t, share, disciplined, derivedCount(ns, "officials-investigated"), d,
		derivedReport(ns, "officials-investigated", "investigated-q2", "12", "Inspectorate General"))
	waitValue(t, share, "25")
	waitCondition(t, share, v1alpha1.ConditionEvidenceMissing, metav1.ConditionTrue, v1alpha1.ReasonNoEvidence)

	// Another reporter's figure for the denominator: 3 of 15.
	create(t, derivedReport(ns, "officials-investigated", "investigated-q2-police", "3", "Police internal affairs"))
	waitValue(t, share, "20")
	if share.Status.Current.Measurements != 3 || share.Status.Current.Reporters != 2 {
		t.Errorf("current %+v, want 3 measurements from 2 reporters", share.Status.Current)
	}

	// Evidence added to the numerator's Measurement.
	addEvidence(t, d)
	waitCondition(t, share, v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, v1alpha1.ReasonEvidenceComplete)

	// Settled: the derived indicator's own status writes do not feed back.
	waitForQuiet(t)
	before := share.ResourceVersion
	time.Sleep(2 * time.Second)
	if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(share), share); err != nil {
		t.Fatal(err)
	}
	if share.ResourceVersion != before {
		t.Errorf("the derived indicator was written again (resourceVersion %s, then %s) with nothing changed", before, share.ResourceVersion)
	}
}

// TestDerivedInputCreated: an input missing from the namespace makes the
// derived indicator Ready False InputNotFound; creating it makes it
// Evaluated, with the value.
func TestDerivedInputCreated(t *testing.T) {
	startControllers(t)
	const ns = "derived-input-created"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-08-15T00:00:00Z"))
	share := derivedShare(ns)
	create(t, share, derivedCount(ns, "officials-disciplined"),
		derivedReport(ns, "officials-disciplined", "disciplined-q2", "3", "Inspectorate General"),
		derivedReport(ns, "officials-investigated", "investigated-q2", "12", "Inspectorate General"))
	waitCondition(t, share, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonInputNotFound)
	waitCondition(t, share, v1alpha1.ConditionStalled, metav1.ConditionFalse, v1alpha1.ReasonEvaluated)

	create(t, derivedCount(ns, "officials-investigated"))
	waitCondition(t, share, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)
	waitValue(t, share, "25")
}

// TestDerivedVerdictsMatchOffline: the cluster's verdicts on the derived
// scenario are those concordctl evaluate computes offline from the same
// manifests (internal/offline/testdata/derived.yaml).
func TestDerivedVerdictsMatchOffline(t *testing.T) {
	startControllers(t)
	now := mustTime("2026-11-21T00:00:00Z")
	fakeClock.SetTime(now)
	objs, err := manifest.LoadPaths("../../internal/offline/testdata/derived.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, err := offline.Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	set.Evaluate(now)
	if err := devenv.Apply(ctx(t), k8s, objs); err != nil {
		t.Fatal(err)
	}
	for _, want := range set.Indicators {
		got := &v1alpha1.Indicator{}
		eventually(t, want.Name+" as evaluated offline", func() (bool, string) {
			if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(want), got); err != nil {
				return false, err.Error()
			}
			a, b := verdict(got.Status), verdict(want.Status)
			return a == b, "cluster:\n" + a + "offline:\n" + b
		})
	}
}

// verdict writes what an indicator's status says, without transition
// times. While InvalidSpec holds, the values are those of the last valid
// evaluation, which depends on the order objects reached the cluster in:
// only the conditions count.
func verdict(st v1alpha1.IndicatorStatus) string {
	s := ""
	for _, c := range st.Conditions {
		s += fmt.Sprintf("%s=%s %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
	}
	if meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionStalled) {
		return s
	}
	if c := st.Current; c != nil {
		s += fmt.Sprintf("current %s in %s (%d measurements, %d reporters)\n", c.Value, c.Period, c.Measurements, c.Reporters)
	}
	for _, h := range st.History {
		s += fmt.Sprintf("%s=%s verified %v; ", h.Period, h.Value, h.Verified)
	}
	if e := st.Evidence; e != nil {
		s += fmt.Sprintf("\nevidence %d %d %v", e.Sources, e.VerifiedSources, e.MissingMethods)
	}
	if meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady) == nil {
		s += "\nnot evaluated"
	}
	return s + "\ntarget " + st.TargetValue + " progress " + st.Progress + "\n"
}
