package evaluate

import (
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// DefaultOnTrackThreshold is the percent of a plan's indicators that must be
// met or on track when spec.onTrackThreshold is not set.
const DefaultOnTrackThreshold = 80

// planAreas is the order of scorecard.areas.
var planAreas = []v1alpha1.Area{
	v1alpha1.AreaPrevention, v1alpha1.AreaProtection, v1alpha1.AreaProsecution, v1alpha1.AreaPartnership,
}

// PlanInput is what the ActionPlan evaluator needs, gathered by the caller.
type PlanInput struct {
	Plan       *v1alpha1.ActionPlan
	Indicators []v1alpha1.Indicator            // already selected (see plan_select.go), with status, any namespace
	Mechanisms []v1alpha1.CooperationMechanism // already selected, with status
}

// Plan computes the status of an ActionPlan. The returned time is always
// zero: a plan changes only when its objects do. The status holds counts
// only, never names or messages of the (possibly foreign) objects it rolls up.
func Plan(in PlanInput, now time.Time) (v1alpha1.ActionPlanStatus, time.Time) {
	p := in.Plan
	status := v1alpha1.ActionPlanStatus{ObservedGeneration: p.Generation}
	var conds []Cond
	if msg := planSpecProblem(&p.Spec); msg != "" {
		conds = invalidSpecConds(msg, v1alpha1.ConditionOnTrack)
	} else {
		status.Scorecard = planScorecard(in.Indicators, in.Mechanisms)
		conds = append(readyConds("", ""), planOnTrackCond(status.Scorecard, planThreshold(&p.Spec)))
	}
	status.Conditions = MergeConditions(p.Status.Conditions, conds, p.Generation, now)
	return status, time.Time{}
}

// planSpecProblem describes what makes the spec impossible to evaluate, or
// returns "". The API server's validation already refuses most of it; the
// check is for offline use and for the caller whose selection failed.
func planSpecProblem(spec *v1alpha1.ActionPlanSpec) string {
	selectors := []struct {
		field string
		sel   *metav1.LabelSelector
	}{
		{"spec.indicatorSelector", spec.IndicatorSelector.Meta()},
		{"spec.mechanismSelector", spec.MechanismSelector.Meta()},
		{"spec.namespaceSelector", spec.NamespaceSelector.Meta()},
	}
	for _, s := range selectors {
		if _, err := metav1.LabelSelectorAsSelector(s.sel); err != nil {
			return fmt.Sprintf("%s is not a valid label selector: %v", s.field, err)
		}
	}
	if th := planThreshold(spec); th < 0 || th > 100 {
		return fmt.Sprintf("spec.onTrackThreshold is %d; it must be between 0 and 100", th)
	}
	return ""
}

func planThreshold(spec *v1alpha1.ActionPlanSpec) int64 {
	if spec.OnTrackThreshold == nil {
		return DefaultOnTrackThreshold
	}
	return int64(*spec.OnTrackThreshold)
}

// planOnTrackCond compares the share of met-or-on-track indicators with the
// threshold in exact integer arithmetic: met*100 >= threshold*total.
func planOnTrackCond(sc *v1alpha1.Scorecard, threshold int64) Cond {
	const t = v1alpha1.ConditionOnTrack
	total, good := int64(sc.Indicators), int64(sc.OnTrack)
	if total == 0 {
		return condUnknown(t, v1alpha1.ReasonNoIndicators, "spec.indicatorSelector selects no Indicator")
	}
	msg := fmt.Sprintf("%d of %d indicators (%d%%) are met or on track; the threshold is %d%%",
		good, total, good*100/total, threshold)
	if good*100 >= threshold*total {
		return condTrue(t, v1alpha1.ReasonThresholdMet, msg)
	}
	return condFalse(t, v1alpha1.ReasonBelowThreshold, msg)
}

func planScorecard(inds []v1alpha1.Indicator, mechs []v1alpha1.CooperationMechanism) *v1alpha1.Scorecard {
	sc := &v1alpha1.Scorecard{Areas: planAreaScores(inds), MechanismTypes: planMechanismScores(mechs)}
	for i := range inds {
		met, onTrack, _, _ := planIndicatorFlags(&inds[i])
		sc.Indicators++
		sc.TargetMet += oneIfTrue(met)
		sc.OnTrack += oneIfTrue(met || onTrack)
	}
	return sc
}

// planIndicatorFlags reads TargetMet, OnTrack, EvidenceMissing and
// DataOverdue (each True or not) of an indicator.
func planIndicatorFlags(ind *v1alpha1.Indicator) (met, onTrack, evidenceMissing, overdue bool) {
	c := ind.Status.Conditions
	return meta.IsStatusConditionTrue(c, v1alpha1.ConditionTargetMet),
		meta.IsStatusConditionTrue(c, v1alpha1.ConditionOnTrack),
		meta.IsStatusConditionTrue(c, v1alpha1.ConditionEvidenceMissing),
		meta.IsStatusConditionTrue(c, v1alpha1.ConditionDataOverdue)
}

// planAreaScores has one entry per area that has indicators, in planAreas order.
func planAreaScores(inds []v1alpha1.Indicator) []v1alpha1.AreaScore {
	var out []v1alpha1.AreaScore
	for _, area := range planAreas {
		s := v1alpha1.AreaScore{Area: area}
		for i := range inds {
			if inds[i].Spec.Area != area {
				continue
			}
			met, onTrack, missing, overdue := planIndicatorFlags(&inds[i])
			s.Indicators++
			s.TargetMet += oneIfTrue(met)
			s.OnTrack += oneIfTrue(met || onTrack)
			s.EvidenceMissing += oneIfTrue(missing)
			s.DataOverdue += oneIfTrue(overdue)
		}
		if s.Indicators > 0 {
			out = append(out, s)
		}
	}
	return out
}

// planMechanismScores has one entry per mechanism type present, sorted by type.
func planMechanismScores(mechs []v1alpha1.CooperationMechanism) []v1alpha1.MechanismTypeScore {
	byType := map[v1alpha1.MechanismType]*v1alpha1.MechanismTypeScore{}
	for _, m := range mechs {
		s := byType[m.Spec.Type]
		if s == nil {
			s = &v1alpha1.MechanismTypeScore{Type: m.Spec.Type}
			byType[m.Spec.Type] = s
		}
		c := m.Status.Conditions
		s.Total++
		s.Ready += oneIfTrue(meta.IsStatusConditionTrue(c, v1alpha1.ConditionReady))
		s.Formalized += oneIfTrue(meta.IsStatusConditionTrue(c, v1alpha1.ConditionFormalized))
		s.MeetingsRegular += oneIfTrue(meta.IsStatusConditionTrue(c, v1alpha1.ConditionMeetingsRegular))
	}
	var out []v1alpha1.MechanismTypeScore
	for _, s := range byType {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}
