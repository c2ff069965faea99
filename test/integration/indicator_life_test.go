package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/controllers"
)

func decimal(s string) *v1alpha1.Decimal { d := v1alpha1.Decimal(s); return &d }

func lifeIndicator(ns string) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Name: "victims-referred", Namespace: ns},
		Spec: v1alpha1.IndicatorSpec{
			Title: "Victims referred", Area: v1alpha1.AreaProtection, Cadence: v1alpha1.CadenceQuarterly,
			Measure:      v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "persons"},
			Baseline:     &v1alpha1.Baseline{Period: "2025-Q4", Value: "40"},
			Target:       &v1alpha1.Target{Operator: v1alpha1.OperatorIncreaseByPercent, Value: "25", Deadline: "2026-Q4"},
			Verification: &v1alpha1.Verification{Methods: []v1alpha1.VerificationMethod{v1alpha1.MethodRecordsReview}},
		},
	}
}

func lifeMeasurement(ns, name, period, value, reporter, reported string) *v1alpha1.Measurement {
	t := metav1.NewTime(mustTime(reported))
	return &v1alpha1.Measurement{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "victims-referred"},
			Period: v1alpha1.Period(period), Value: decimal(value), Reporter: reporter, ReportTime: &t},
	}
}

// TestIndicatorLife follows an indicator through DESIGN.md's life: no data,
// data without evidence, evidence, target reached, a quarter overdue by
// the injected clock, and a correction superseding a report.
func TestIndicatorLife(t *testing.T) {
	startControllers(t)
	const ns = "life"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	ind := lifeIndicator(ns)
	if err := k8s.Create(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionUnknown, v1alpha1.ReasonNoData)
	waitCondition(t, ind, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)

	ngo := lifeMeasurement(ns, "q1-ngo", "2026-Q1", "45", "NGO shelter network", "2026-04-05T00:00:00Z")
	if err := k8s.Create(ctx(t), ngo); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ind, v1alpha1.ConditionEvidenceMissing, metav1.ConditionTrue, v1alpha1.ReasonNoEvidence)
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached)
	waitCondition(t, ngo, v1alpha1.ConditionVerified, metav1.ConditionFalse, v1alpha1.ReasonNoEvidence)

	addEvidence(t, ngo)
	waitCondition(t, ind, v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, v1alpha1.ReasonEvidenceComplete)
	waitCondition(t, ngo, v1alpha1.ConditionVerified, metav1.ConditionTrue, v1alpha1.ReasonEvidenceSufficient)

	police := lifeMeasurement(ns, "q1-police", "2026-Q1", "10", "Border Police", "2026-04-06T00:00:00Z")
	police.Spec.Evidence = []v1alpha1.InlineEvidence{{Method: v1alpha1.MethodRecordsReview, Description: "Police referral register Q1"}}
	if err := k8s.Create(ctx(t), police); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)
	if ind.Status.Current == nil || ind.Status.Current.Value != "55" || ind.Status.TargetValue != "50" {
		t.Errorf("current %+v, targetValue %q; want 55 against 50", ind.Status.Current, ind.Status.TargetValue)
	}
	expectOverdueByClock(t, ind)
	expectCorrectionSupersedes(t, ns, ngo, ind)
	expectEvent(t, ns, "victims-referred", v1alpha1.ReasonNoEvidence)
}

func addEvidence(t *testing.T, m *v1alpha1.Measurement) {
	t.Helper()
	if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(m), m); err != nil {
		t.Fatal(err)
	}
	m.Spec.Evidence = []v1alpha1.InlineEvidence{{Method: v1alpha1.MethodRecordsReview, Description: "Shelter case records Q1"}}
	if err := k8s.Update(ctx(t), m); err != nil {
		t.Fatal(err)
	}
}

// expectOverdueByClock calls the reconciler as its requeue would: it must
// ask to be woken at the first instant after Q2's grace ends (a period is
// overdue once it closed more than the grace ago), and then DataOverdue
// turns True.
func expectOverdueByClock(t *testing.T, ind *v1alpha1.Indicator) {
	t.Helper()
	r := &controllers.IndicatorReconciler{Base: base()}
	fakeClock.SetTime(mustTime("2026-07-15T00:00:00Z"))
	res := reconcileAsRequeue(t, r, ind)
	graceEnd := mustTime("2026-07-31T00:00:00Z") // 2026-Q2 closes 2026-07-01, plus 30 days' grace
	dueAt := graceEnd.Add(time.Nanosecond)
	if want := dueAt.Sub(fakeClock.Now()); res.RequeueAfter != want {
		t.Fatalf("RequeueAfter %v, want %v (just after the end of 2026-Q2's grace)", res.RequeueAfter, want)
	}
	waitCondition(t, ind, v1alpha1.ConditionDataOverdue, metav1.ConditionFalse, v1alpha1.ReasonReportedOnTime)
	fakeClock.SetTime(graceEnd)
	reconcileAsRequeue(t, r, ind)
	waitCondition(t, ind, v1alpha1.ConditionDataOverdue, metav1.ConditionFalse, v1alpha1.ReasonReportedOnTime)
	fakeClock.SetTime(dueAt)
	reconcileAsRequeue(t, r, ind)
	waitCondition(t, ind, v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported)
	if c := findCond(ind, v1alpha1.ConditionDataOverdue); !strings.Contains(c.Message, "2026-Q2") {
		t.Errorf("DataOverdue message %q does not name 2026-Q2", c.Message)
	}
}

func expectCorrectionSupersedes(t *testing.T, ns string, first *v1alpha1.Measurement, ind *v1alpha1.Indicator) {
	t.Helper()
	fix := lifeMeasurement(ns, "q1-ngo-correction", "2026-Q1", "35", "NGO shelter network", "2026-04-20T00:00:00Z")
	fix.Spec.Evidence = []v1alpha1.InlineEvidence{{Method: v1alpha1.MethodRecordsReview, Description: "Shelter case records Q1, revised"}}
	if err := k8s.Create(ctx(t), fix); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, first, v1alpha1.ConditionSuperseded, metav1.ConditionTrue, v1alpha1.ReasonNewerReport)
	if c := findCond(first, v1alpha1.ConditionSuperseded); !strings.Contains(c.Message, "q1-ngo-correction") {
		t.Errorf("Superseded message %q does not name the correction", c.Message)
	}
	waitCondition(t, fix, v1alpha1.ConditionSuperseded, metav1.ConditionFalse, v1alpha1.ReasonLatestReport)
	// 35 + 10 = 45 is short of 50.
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached)
}

func findCond(o conditioned, typ string) metav1.Condition {
	for _, c := range o.GetConditions() {
		if c.Type == typ {
			return c
		}
	}
	return metav1.Condition{}
}

func expectEvent(t *testing.T, ns, name, reason string) {
	t.Helper()
	eventually(t, "an Event "+reason+" for "+name, func() (bool, string) {
		var list eventsv1.EventList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
			return false, err.Error()
		}
		for _, e := range list.Items {
			if e.Reason == reason && e.Regarding.Name == name {
				return true, ""
			}
		}
		return false, fmt.Sprintf("no such Event among %d", len(list.Items))
	})
}

// TestDeletingAnIndicatorOrphansItsMeasurements: deleting never cascades;
// the Measurements show the dangling reference and heal on re-creation.
func TestDeletingAnIndicatorOrphansItsMeasurements(t *testing.T) {
	startControllers(t)
	const ns = "orphans"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	ind := lifeIndicator(ns)
	m := lifeMeasurement(ns, "q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")
	for _, o := range []client.Object{ind, m} {
		if err := k8s.Create(ctx(t), o); err != nil {
			t.Fatal(err)
		}
	}
	waitCondition(t, m, v1alpha1.ConditionAccepted, metav1.ConditionTrue, v1alpha1.ReasonValid)
	if err := k8s.Delete(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, m, v1alpha1.ConditionAccepted, metav1.ConditionFalse, v1alpha1.ReasonIndicatorNotFound)
	waitCondition(t, m, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonIndicatorNotFound)
	if err := k8s.Get(ctx(t), types.NamespacedName{Namespace: ns, Name: "q1"}, m); err != nil {
		t.Fatalf("the Measurement was deleted with its Indicator: %v", err)
	}
	if err := k8s.Create(ctx(t), lifeIndicator(ns)); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, m, v1alpha1.ConditionAccepted, metav1.ConditionTrue, v1alpha1.ReasonValid)
}

// TestSuspendFreezesStatus: a suspended Indicator keeps its last status
// while its data changes, and resumes when unsuspended.
func TestSuspendFreezesStatus(t *testing.T) {
	startControllers(t)
	const ns = "suspend"
	createNamespace(t, ns, nil)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	ind := lifeIndicator(ns)
	ind.Spec.Suspend = true
	if err := k8s.Create(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	m := lifeMeasurement(ns, "q1", "2026-Q1", "52", "NGO", "2026-04-05T00:00:00Z")
	if err := k8s.Create(ctx(t), m); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, m, v1alpha1.ConditionAccepted, metav1.ConditionTrue, v1alpha1.ReasonValid)
	time.Sleep(time.Second)
	if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(ind), ind); err != nil {
		t.Fatal(err)
	}
	if len(ind.Status.Conditions) != 0 {
		t.Fatalf("a suspended Indicator was evaluated: %v", ind.Status.Conditions)
	}
	ind.Spec.Suspend = false
	if err := k8s.Update(ctx(t), ind); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)
}
