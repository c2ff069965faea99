package evaluate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

var planNow = time.Date(2026, time.July, 1, 12, 0, 0, 0, time.UTC)

// planObj is the national plan in namespace coordination; threshold nil
// means the default.
func planObj(threshold *int32) *v1alpha1.ActionPlan {
	return &v1alpha1.ActionPlan{
		ObjectMeta: metav1.ObjectMeta{Namespace: "coordination", Name: "npa", Generation: 2},
		Spec: v1alpha1.ActionPlanSpec{
			Title: "National Plan of Action", Start: "2025-Q1", End: "2027-Q4",
			OnTrackThreshold: threshold,
		},
	}
}

func planThresholdOf(v int32) *int32 { return &v }

// planIndicator has the given conditions True.
func planIndicator(ns, name string, area v1alpha1.Area, trueConds ...string) v1alpha1.Indicator {
	ind := mechIndicator(name, trueConds...)
	ind.Namespace, ind.Spec.Area = ns, area
	return ind
}

// planIndicators is met met-only, onTrack on-track-only and rest neither.
func planIndicators(met, onTrack, rest int) []v1alpha1.Indicator {
	var out []v1alpha1.Indicator
	for i := 0; i < met+onTrack+rest; i++ {
		var c []string
		switch {
		case i < met:
			c = []string{v1alpha1.ConditionTargetMet}
		case i < met+onTrack:
			c = []string{v1alpha1.ConditionOnTrack}
		}
		out = append(out, planIndicator("coordination", "i", v1alpha1.AreaProtection, c...))
	}
	return out
}

// planMechanism has the given conditions True.
func planMechanism(ns, name string, typ v1alpha1.MechanismType, trueConds ...string) v1alpha1.CooperationMechanism {
	return v1alpha1.CooperationMechanism{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.CooperationMechanismSpec{Type: typ},
		Status:     v1alpha1.CooperationMechanismStatus{Conditions: mechTrueConds(trueConds...)},
	}
}

func TestPlanOnTrack(t *testing.T) {
	tests := []struct {
		name      string
		threshold *int32
		inds      []v1alpha1.Indicator
		status    metav1.ConditionStatus
		reason    string
		msg       string
	}{
		{"no indicators", nil, nil, metav1.ConditionUnknown, v1alpha1.ReasonNoIndicators, "selects no Indicator"},
		{"exactly the default 80%", nil, planIndicators(5, 3, 2), metav1.ConditionTrue, v1alpha1.ReasonThresholdMet,
			"8 of 10 indicators (80%) are met or on track; the threshold is 80%"},
		{"below the default", nil, planIndicators(4, 3, 3), metav1.ConditionFalse, v1alpha1.ReasonBelowThreshold,
			"7 of 10 indicators (70%) are met or on track; the threshold is 80%"},
		{"percent rounded down for display", planThresholdOf(67), planIndicators(1, 1, 1), metav1.ConditionFalse, v1alpha1.ReasonBelowThreshold,
			"2 of 3 indicators (66%) are met or on track; the threshold is 67%"},
		{"exact comparison, not the rounded percent", planThresholdOf(66), planIndicators(1, 1, 1), metav1.ConditionTrue, v1alpha1.ReasonThresholdMet,
			"(66%)"},
		{"threshold 0", planThresholdOf(0), planIndicators(0, 0, 3), metav1.ConditionTrue, v1alpha1.ReasonThresholdMet, "0 of 3"},
		{"threshold 100", planThresholdOf(100), planIndicators(3, 0, 0), metav1.ConditionTrue, v1alpha1.ReasonThresholdMet, "3 of 3 indicators (100%)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, next := Plan(PlanInput{Plan: planObj(tt.threshold), Indicators: tt.inds}, planNow)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionOnTrack, tt.status, tt.reason, tt.msg)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionFalse, v1alpha1.ReasonEvaluated)
			if !next.IsZero() {
				t.Errorf("next = %v, want zero", next)
			}
		})
	}
}

func TestPlanScorecard(t *testing.T) {
	met, onTrack := v1alpha1.ConditionTargetMet, v1alpha1.ConditionOnTrack
	in := PlanInput{Plan: planObj(nil),
		Indicators: []v1alpha1.Indicator{
			planIndicator("protection", "p1", v1alpha1.AreaProtection, met, onTrack),
			planIndicator("protection", "p2", v1alpha1.AreaProtection, onTrack, v1alpha1.ConditionEvidenceMissing),
			planIndicator("coordination", "c1", v1alpha1.AreaPartnership, v1alpha1.ConditionDataOverdue),
			planIndicator("coordination", "v1", v1alpha1.AreaPrevention, met),
		},
		Mechanisms: []v1alpha1.CooperationMechanism{
			planMechanism("coordination", "ntf", v1alpha1.MechanismTaskForce, v1alpha1.ConditionReady, v1alpha1.ConditionFormalized),
			planMechanism("protection", "nrm", v1alpha1.MechanismNationalReferralMechanism, v1alpha1.ConditionReady, v1alpha1.ConditionMeetingsRegular),
			planMechanism("coordination", "ltf", v1alpha1.MechanismTaskForce, v1alpha1.ConditionMeetingsRegular),
		},
	}
	st, _ := Plan(in, planNow)
	want := &v1alpha1.Scorecard{Indicators: 4, TargetMet: 2, OnTrack: 3,
		Areas: []v1alpha1.AreaScore{
			{Area: v1alpha1.AreaPrevention, Indicators: 1, TargetMet: 1, OnTrack: 1},
			{Area: v1alpha1.AreaProtection, Indicators: 2, TargetMet: 1, OnTrack: 2, EvidenceMissing: 1},
			{Area: v1alpha1.AreaPartnership, Indicators: 1, DataOverdue: 1},
		},
		MechanismTypes: []v1alpha1.MechanismTypeScore{
			{Type: v1alpha1.MechanismNationalReferralMechanism, Total: 1, Ready: 1, MeetingsRegular: 1},
			{Type: v1alpha1.MechanismTaskForce, Total: 2, Ready: 1, Formalized: 1, MeetingsRegular: 1},
		},
	}
	if !reflect.DeepEqual(st.Scorecard, want) {
		t.Errorf("scorecard = %+v\nwant %+v", st.Scorecard, want)
	}
	mechWantCond(t, st.Conditions, v1alpha1.ConditionOnTrack, metav1.ConditionFalse, v1alpha1.ReasonBelowThreshold, "3 of 4 indicators (75%)")
}

func TestPlanStatusHasNoForeignNamesOrMessages(t *testing.T) {
	ind := planIndicator("protection", "secret-indicator", v1alpha1.AreaProtection)
	ind.Status.Conditions = append(ind.Status.Conditions,
		metav1.Condition{Type: v1alpha1.ConditionOnTrack, Status: metav1.ConditionFalse, Reason: "BehindTrajectory", Message: "secret-message"})
	mech := planMechanism("protection", "secret-mechanism", v1alpha1.MechanismCoalition)
	st, _ := Plan(PlanInput{Plan: planObj(nil), Indicators: []v1alpha1.Indicator{ind}, Mechanisms: []v1alpha1.CooperationMechanism{mech}}, planNow)
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"secret", "protection"} {
		if strings.Contains(string(out), s) {
			t.Errorf("status %s contains %q", out, s)
		}
	}
}

func TestPlanInvalidSpec(t *testing.T) {
	bad := v1alpha1.LabelSelector{MatchExpressions: []v1alpha1.LabelSelectorRequirement{{Key: "tier", Operator: "Near"}}}
	tests := []struct {
		name   string
		change func(*v1alpha1.ActionPlanSpec)
		field  string
	}{
		{"indicatorSelector", func(s *v1alpha1.ActionPlanSpec) { s.IndicatorSelector = bad }, "spec.indicatorSelector"},
		{"mechanismSelector", func(s *v1alpha1.ActionPlanSpec) { s.MechanismSelector = &bad }, "spec.mechanismSelector"},
		{"namespaceSelector", func(s *v1alpha1.ActionPlanSpec) { s.NamespaceSelector = &bad }, "spec.namespaceSelector"},
		{"threshold", func(s *v1alpha1.ActionPlanSpec) { s.OnTrackThreshold = planThresholdOf(101) }, "spec.onTrackThreshold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planObj(nil)
			tt.change(&p.Spec)
			st, _ := Plan(PlanInput{Plan: p, Indicators: planIndicators(1, 0, 0)}, planNow)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonInvalidSpec, tt.field)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec, tt.field)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionOnTrack, metav1.ConditionUnknown, v1alpha1.ReasonNotEvaluated)
			if st.Scorecard != nil {
				t.Errorf("scorecard = %+v, want none while the spec is invalid", st.Scorecard)
			}
		})
	}
}

func TestPlanGenerationAndTransitionTime(t *testing.T) {
	p := planObj(nil)
	first, _ := Plan(PlanInput{Plan: p, Indicators: planIndicators(4, 0, 1)}, planNow)
	wantTypes := []string{v1alpha1.ConditionReady, v1alpha1.ConditionStalled, v1alpha1.ConditionOnTrack}
	for i, c := range first.Conditions {
		if c.Type != wantTypes[i] || c.ObservedGeneration != 2 {
			t.Errorf("condition %d = %s at generation %d, want %s at 2", i, c.Type, c.ObservedGeneration, wantTypes[i])
		}
	}
	if first.ObservedGeneration != 2 || len(first.Conditions) != 3 {
		t.Fatalf("observedGeneration %d with %d conditions, want 2 with 3", first.ObservedGeneration, len(first.Conditions))
	}
	p.Status = first
	later := planNow.Add(time.Hour)
	second, _ := Plan(PlanInput{Plan: p, Indicators: planIndicators(5, 0, 0)}, later)
	onTrack := second.Conditions[2]
	if !onTrack.LastTransitionTime.Equal(&first.Conditions[2].LastTransitionTime) {
		t.Errorf("OnTrack lastTransitionTime moved to %v though it stayed True", onTrack.LastTransitionTime)
	}
	p.Status = second
	third, _ := Plan(PlanInput{Plan: p, Indicators: planIndicators(1, 0, 4)}, later)
	if got := third.Conditions[2]; got.Status != metav1.ConditionFalse || !got.LastTransitionTime.Time.Equal(later) {
		t.Errorf("OnTrack = %s at %v, want False at %v", got.Status, got.LastTransitionTime, later)
	}
}
