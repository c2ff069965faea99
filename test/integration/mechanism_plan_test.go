package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/controllers"
)

const (
	mechNS       = "mech-life"
	minutesLabel = "concord.dev/minutes-of"
	rollupLabel  = "concord.dev/rollup"
)

// TestMechanismLifecycle takes a CooperationMechanism from an incomplete
// spec to fully formalized, regular and on track, and shows that meetings
// fall overdue on the clock at the instant the reconciler requeues for.
func TestMechanismLifecycle(t *testing.T) {
	startControllers(t)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	createNamespace(t, mechNS, nil)

	mech := newTaskForce()
	mustCreate(t, mech)
	waitConditions(t, mech, []wantCond{
		{v1alpha1.ConditionFormalized, metav1.ConditionFalse, v1alpha1.ReasonEvidenceNotFound},
		{v1alpha1.ConditionRolesDefined, metav1.ConditionFalse, v1alpha1.ReasonRolesMissing},
		{v1alpha1.ConditionSectorsRepresented, metav1.ConditionFalse, v1alpha1.ReasonSectorsMissing},
		{v1alpha1.ConditionMeetingsRegular, metav1.ConditionFalse, v1alpha1.ReasonNoMeetingEvidence},
		{v1alpha1.ConditionIndicatorsOnTrack, metav1.ConditionUnknown, v1alpha1.ReasonNoIndicators},
		{v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated},
	})

	mustCreate(t, newAttestation(mechNS, "sop", "2026-02-01T00:00:00Z", nil))
	waitCondition(t, mech, v1alpha1.ConditionFormalized, metav1.ConditionTrue, v1alpha1.ReasonInstrumentVerified)

	completeMembers(t, mech)
	waitCondition(t, mech, v1alpha1.ConditionRolesDefined, metav1.ConditionTrue, v1alpha1.ReasonRolesDefined)
	waitCondition(t, mech, v1alpha1.ConditionSectorsRepresented, metav1.ConditionTrue, v1alpha1.ReasonAllSectorsRepresented)

	mustCreate(t, newAttestation(mechNS, "minutes-march", "2026-03-01T00:00:00Z", map[string]string{minutesLabel: "task-force"}))
	waitCondition(t, mech, v1alpha1.ConditionMeetingsRegular, metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval)

	checkMeetingsFallOverdue(t, mech)

	ind := newBooleanIndicator(mechNS, "sop-endorsed")
	ind.Spec.MechanismRef = &v1alpha1.LocalObjectReference{Name: "task-force"}
	mustCreate(t, ind)
	mustCreate(t, newMeasurement(mechNS, "sop-endorsed-2026", "sop-endorsed", "2026", "true"))
	waitCondition(t, mech, v1alpha1.ConditionIndicatorsOnTrack, metav1.ConditionTrue, v1alpha1.ReasonAllTargetsMet)
	if c := mech.Status.Indicators; c == nil || c.Total != 1 || c.TargetMet != 1 {
		t.Errorf("status.indicators = %+v, want total 1, targetMet 1", c)
	}
	waitEvent(t, mechNS, "task-force", v1alpha1.ReasonMeetingOverdue)
}

// checkMeetingsFallOverdue calls the reconciler directly: it must requeue
// exactly at the instant the March minutes fall out of the 90-day interval,
// and at that instant MeetingsRegular turns False MeetingOverdue.
func checkMeetingsFallOverdue(t *testing.T, mech *v1alpha1.CooperationMechanism) {
	t.Helper()
	due := mustTime("2026-05-30T00:00:00Z")
	r := &controllers.MechanismReconciler{Base: base()}
	res := reconcileAsRequeue(t, r, mech)
	if want := due.Sub(fakeClock.Now()); res.RequeueAfter != want {
		t.Errorf("RequeueAfter = %v, want %v (until %s)", res.RequeueAfter, want, due)
	}
	fakeClock.SetTime(due)
	reconcileAsRequeue(t, r, mech)
	waitCondition(t, mech, v1alpha1.ConditionMeetingsRegular, metav1.ConditionFalse, v1alpha1.ReasonMeetingOverdue)
}

// TestActionPlanAcrossNamespaces rolls a plan up over its own namespace and
// the namespaces that both match its namespaceSelector and consent.
func TestActionPlanAcrossNamespaces(t *testing.T) {
	startControllers(t)
	fakeClock.SetTime(mustTime("2026-06-01T00:00:00Z"))
	createNamespace(t, "plan-own", nil)
	createNamespace(t, "plan-consenting", map[string]string{"team": "x", rollupLabel: "true"})
	createNamespace(t, "plan-unconsenting", map[string]string{"team": "x"})
	createMetIndicator(t, "plan-own", "referral-sop", v1alpha1.AreaProtection)
	createMetIndicator(t, "plan-consenting", "shelter-standards", v1alpha1.AreaProtection)
	createMetIndicator(t, "plan-unconsenting", "hotline-open", v1alpha1.AreaPrevention)
	pending := newBooleanIndicator("plan-own", "training-delivered")
	pending.Spec.Area = v1alpha1.AreaPrevention
	mustCreate(t, pending)
	waitCondition(t, pending, v1alpha1.ConditionTargetMet, metav1.ConditionUnknown, v1alpha1.ReasonNoData)

	plan := newPlan("plan-own", "npa")
	mustCreate(t, plan)
	waitScorecard(t, plan, 3, 2)
	waitCondition(t, plan, v1alpha1.ConditionOnTrack, metav1.ConditionFalse, v1alpha1.ReasonBelowThreshold)
	checkPlanStatus(t, plan, "shelter-standards", "hotline-open", "plan-consenting", "plan-unconsenting")

	consent(t, "plan-unconsenting")
	waitScorecard(t, plan, 4, 3)
	waitCondition(t, plan, v1alpha1.ConditionOnTrack, metav1.ConditionFalse, v1alpha1.ReasonBelowThreshold)
	checkPlanStatus(t, plan, "shelter-standards", "hotline-open", "plan-consenting", "plan-unconsenting")

	mustCreate(t, newMeasurement("plan-own", "training-delivered-2026", "training-delivered", "2026", "true"))
	waitScorecard(t, plan, 4, 4)
	waitCondition(t, plan, v1alpha1.ConditionOnTrack, metav1.ConditionTrue, v1alpha1.ReasonThresholdMet)
	checkPlanStatus(t, plan, "shelter-standards", "hotline-open", "plan-consenting", "plan-unconsenting")
}

// checkPlanStatus checks that the areas add up to the totals and that the
// status names nothing of the other namespaces.
func checkPlanStatus(t *testing.T, plan *v1alpha1.ActionPlan, foreign ...string) {
	t.Helper()
	sc := plan.Status.Scorecard
	var inds, met, onTrack int32
	for _, a := range sc.Areas {
		inds, met, onTrack = inds+a.Indicators, met+a.TargetMet, onTrack+a.OnTrack
	}
	if inds != sc.Indicators || met != sc.TargetMet || onTrack != sc.OnTrack {
		t.Errorf("areas %+v add up to %d indicators, %d met, %d on track; scorecard says %d, %d, %d",
			sc.Areas, inds, met, onTrack, sc.Indicators, sc.TargetMet, sc.OnTrack)
	}
	raw, err := json.Marshal(plan.Status)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range foreign {
		if strings.Contains(string(raw), name) {
			t.Errorf("the plan's status names %q from another namespace: %s", name, raw)
		}
	}
}

// waitScorecard waits until the plan's scorecard counts indicators and met.
func waitScorecard(t *testing.T, plan *v1alpha1.ActionPlan, indicators, met int32) {
	t.Helper()
	what := fmt.Sprintf("%s scorecard with %d indicators, %d met", plan.Name, indicators, met)
	eventually(t, what, func() (bool, string) {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(plan), plan); err != nil {
			return false, err.Error()
		}
		sc := plan.Status.Scorecard
		if sc == nil {
			return false, "no scorecard"
		}
		return sc.Indicators == indicators && sc.TargetMet == met, fmt.Sprintf("%+v", *sc)
	})
}

// consent labels a namespace concord.dev/rollup=true.
func consent(t *testing.T, name string) {
	t.Helper()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ns := &corev1.Namespace{}
		if err := k8s.Get(ctx(t), client.ObjectKey{Name: name}, ns); err != nil {
			return err
		}
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels[rollupLabel] = "true"
		return k8s.Update(ctx(t), ns)
	})
	if err != nil {
		t.Fatalf("labelling namespace %s: %v", name, err)
	}
}

// createMetIndicator creates a Boolean indicator and a Measurement that
// meets its target, and waits for TargetMet True.
func createMetIndicator(t *testing.T, ns, name string, area v1alpha1.Area) {
	t.Helper()
	ind := newBooleanIndicator(ns, name)
	ind.Spec.Area = area
	mustCreate(t, ind)
	mustCreate(t, newMeasurement(ns, name+"-2026", name, "2026", "true"))
	waitCondition(t, ind, v1alpha1.ConditionTargetMet, metav1.ConditionTrue, v1alpha1.ReasonTargetReached)
}

func newPlan(ns, name string) *v1alpha1.ActionPlan {
	threshold := int32(80)
	return &v1alpha1.ActionPlan{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.ActionPlanSpec{
			Title:             "National Plan of Action against Trafficking 2025-2027",
			Start:             "2025-Q1",
			End:               "2027-Q4",
			IndicatorSelector: v1alpha1.LabelSelector{},
			MechanismSelector: &v1alpha1.LabelSelector{},
			NamespaceSelector: &v1alpha1.LabelSelector{MatchLabels: map[string]v1alpha1.LabelValue{"team": "x"}},
			OnTrackThreshold:  &threshold,
		},
	}
}

func newTaskForce() *v1alpha1.CooperationMechanism {
	return &v1alpha1.CooperationMechanism{
		ObjectMeta: metav1.ObjectMeta{Namespace: mechNS, Name: "task-force"},
		Spec: v1alpha1.CooperationMechanismSpec{
			Type:            v1alpha1.MechanismTaskForce,
			Level:           "National",
			Members:         []v1alpha1.Member{{Organization: "Ministry of Interior", Sector: "Government"}},
			RequiredSectors: []v1alpha1.Sector{"Government", "CivilSociety"},
			Instruments: []v1alpha1.Instrument{{
				Type: "SOP", Title: "Referral SOP", EvidenceRef: &v1alpha1.LocalObjectReference{Name: "sop"},
			}},
			Meetings: &v1alpha1.Meetings{
				MaxIntervalDays:  90,
				EvidenceSelector: v1alpha1.LabelSelector{MatchLabels: map[string]v1alpha1.LabelValue{minutesLabel: "task-force"}},
			},
		},
	}
}

// completeMembers gives every member a role and responsibilities and adds
// a civil-society member.
func completeMembers(t *testing.T, mech *v1alpha1.CooperationMechanism) {
	t.Helper()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(mech), mech); err != nil {
			return err
		}
		mech.Spec.Members = []v1alpha1.Member{
			{Organization: "Ministry of Interior", Sector: "Government", Role: "Chair", Responsibilities: []string{"Convene meetings"}},
			{Organization: "Women's Rights Coalition", Sector: "CivilSociety", Role: "Member", Responsibilities: []string{"Shelter referrals"}},
		}
		return k8s.Update(ctx(t), mech)
	})
	if err != nil {
		t.Fatalf("updating the members of %s: %v", mech.Name, err)
	}
}

func newAttestation(ns, name, collected string, labels map[string]string) *v1alpha1.Evidence {
	return &v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: v1alpha1.EvidenceSpec{
			Method:         v1alpha1.MethodDocumentReview,
			CollectionTime: metav1.NewTime(mustTime(collected)),
			Source: v1alpha1.EvidenceSource{
				Type:        v1alpha1.SourceAttestation,
				Attestation: &v1alpha1.AttestationSource{AttestedBy: "Head of Secretariat", Statement: "Read and approved"},
			},
		},
	}
}

// newBooleanIndicator is an Annual Boolean indicator with target "true"
// and no verification.
func newBooleanIndicator(ns, name string) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.IndicatorSpec{
			Title:   "Is " + name + " in place",
			Area:    v1alpha1.AreaPartnership,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureBoolean},
			Cadence: v1alpha1.CadenceAnnual,
			Target:  &v1alpha1.Target{Operator: v1alpha1.OperatorEquals, Value: "true"},
		},
	}
}

func newMeasurement(ns, name, indicator, period, value string) *v1alpha1.Measurement {
	v := v1alpha1.Decimal(value)
	return &v1alpha1.Measurement{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MeasurementSpec{
			IndicatorRef: v1alpha1.LocalObjectReference{Name: indicator},
			Period:       v1alpha1.Period(period),
			Value:        &v,
			Reporter:     "Secretariat",
		},
	}
}

func mustCreate(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Create(ctx(t), obj); err != nil {
		t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
	}
}

type wantCond struct {
	typ    string
	status metav1.ConditionStatus
	reason string
}

func waitConditions(t *testing.T, obj conditioned, want []wantCond) {
	t.Helper()
	for _, w := range want {
		waitCondition(t, obj, w.typ, w.status, w.reason)
	}
}

// waitEvent waits for an events.k8s.io/v1 Event in ns about the object
// named regarding with the reason.
func waitEvent(t *testing.T, ns, regarding, reason string) {
	t.Helper()
	eventually(t, "an Event "+reason+" for "+regarding, func() (bool, string) {
		var list eventsv1.EventList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
			return false, err.Error()
		}
		var seen []string
		for _, e := range list.Items {
			if e.Regarding.Name == regarding && e.Reason == reason {
				return true, ""
			}
			seen = append(seen, e.Regarding.Name+"/"+e.Reason)
		}
		return false, fmt.Sprintf("events: %v", seen)
	})
}
