package evaluate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// MechanismInput is what the CooperationMechanism evaluator needs, gathered by the caller.
type MechanismInput struct {
	Mechanism  *v1alpha1.CooperationMechanism
	Evidence   []v1alpha1.Evidence  // every Evidence of the mechanism's namespace, with status
	Indicators []v1alpha1.Indicator // the same-namespace Indicators whose spec.mechanismRef names the mechanism, with status
}

// mechanismCondTypes are the condition types after Ready and Stalled, in
// the order they appear in status.
var mechanismCondTypes = []string{
	v1alpha1.ConditionFormalized,
	v1alpha1.ConditionRolesDefined,
	v1alpha1.ConditionSectorsRepresented,
	v1alpha1.ConditionMeetingsRegular,
	v1alpha1.ConditionIndicatorsOnTrack,
}

// Mechanism computes the status and the next instant at which time alone would change it (zero: never).
// spec.suspend is the caller's business: Mechanism evaluates regardless.
func Mechanism(in MechanismInput, now time.Time) (v1alpha1.CooperationMechanismStatus, time.Time) {
	m := in.Mechanism
	evidence := sameNamespaceEvidence(m.Namespace, in.Evidence)
	indicators := mechanismIndicators(m, in.Indicators)
	status := v1alpha1.CooperationMechanismStatus{
		ObservedGeneration: m.Generation,
		Indicators:         countMechanismIndicators(indicators),
	}

	var conds []Cond
	var next time.Time
	if sel, err := meetingSelector(m.Spec.Meetings); err != nil {
		conds = invalidSpecConds(err.Error(), mechanismCondTypes...)
	} else {
		meetings, due := meetingsCond(m.Spec.Meetings, sel, evidence, now)
		conds = append(readyConds("", ""),
			formalizedCond(m.Spec.Instruments, evidence),
			rolesCond(m.Spec.Members),
			sectorsCond(m.Spec.Members, m.Spec.RequiredSectors),
			meetings,
			indicatorsOnTrackCond(indicators),
		)
		next = Earliest(now, due)
	}
	status.Conditions = MergeConditions(m.Status.Conditions, conds, m.Generation, now)
	return status, next
}

// sameNamespaceEvidence keeps the Evidence of ns: references resolve in the
// referrer's own namespace only.
func sameNamespaceEvidence(ns string, all []v1alpha1.Evidence) []v1alpha1.Evidence {
	var out []v1alpha1.Evidence
	for _, e := range all {
		if e.Namespace == ns {
			out = append(out, e)
		}
	}
	return out
}

// mechanismIndicators keeps the Indicators of the mechanism's namespace
// whose mechanismRef names it.
func mechanismIndicators(m *v1alpha1.CooperationMechanism, all []v1alpha1.Indicator) []v1alpha1.Indicator {
	var out []v1alpha1.Indicator
	for _, ind := range all {
		ref := ind.Spec.MechanismRef
		if ind.Namespace == m.Namespace && ref != nil && ref.Name == m.Name {
			out = append(out, ind)
		}
	}
	return out
}

func countMechanismIndicators(inds []v1alpha1.Indicator) *v1alpha1.IndicatorCounts {
	c := &v1alpha1.IndicatorCounts{}
	for _, ind := range inds {
		conds := ind.Status.Conditions
		c.Total++
		c.TargetMet += oneIfTrue(meta.IsStatusConditionTrue(conds, v1alpha1.ConditionTargetMet))
		c.OnTrack += oneIfTrue(meta.IsStatusConditionTrue(conds, v1alpha1.ConditionOnTrack))
		c.EvidenceMissing += oneIfTrue(meta.IsStatusConditionTrue(conds, v1alpha1.ConditionEvidenceMissing))
		c.DataOverdue += oneIfTrue(meta.IsStatusConditionTrue(conds, v1alpha1.ConditionDataOverdue))
	}
	return c
}

func oneIfTrue(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// meetingSelector parses spec.meetings.evidenceSelector; nil meetings give
// a nil selector and no error.
func meetingSelector(mt *v1alpha1.Meetings) (labels.Selector, error) {
	if mt == nil {
		return nil, nil
	}
	sel, err := metav1.LabelSelectorAsSelector(mt.EvidenceSelector.Meta())
	if err != nil {
		return nil, fmt.Errorf("spec.meetings.evidenceSelector is not a valid label selector: %v", err)
	}
	return sel, nil
}

// mechEvidenceCurrent reports whether e is Verified and not Expired.
func mechEvidenceCurrent(e *v1alpha1.Evidence) bool {
	return meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionVerified) &&
		!meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionExpired)
}

func mechEvidenceByName(evidence []v1alpha1.Evidence, name string) *v1alpha1.Evidence {
	for i := range evidence {
		if evidence[i].Name == name {
			return &evidence[i]
		}
	}
	return nil
}

// formalizedCond: the first instrument whose Evidence is Verified and not
// Expired formalizes the mechanism.
func formalizedCond(instruments []v1alpha1.Instrument, evidence []v1alpha1.Evidence) Cond {
	const t = v1alpha1.ConditionFormalized
	if len(instruments) == 0 {
		return condFalse(t, v1alpha1.ReasonNoInstruments, "spec.instruments lists no instrument")
	}
	var missing, problems []string
	for _, ins := range instruments {
		if ins.EvidenceRef == nil {
			problems = append(problems, fmt.Sprintf("%q has no evidenceRef", ins.Title))
			continue
		}
		name := ins.EvidenceRef.Name
		e := mechEvidenceByName(evidence, name)
		switch {
		case e == nil:
			missing = append(missing, name)
		case mechEvidenceCurrent(e):
			return condTrue(t, v1alpha1.ReasonInstrumentVerified,
				fmt.Sprintf("instrument %q is verified by Evidence %s", ins.Title, name))
		case meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionVerified):
			problems = append(problems, fmt.Sprintf("%q: Evidence %s expired", ins.Title, name))
		default:
			problems = append(problems, fmt.Sprintf("%q: Evidence %s is not verified", ins.Title, name))
		}
	}
	if len(missing) > 0 {
		return condFalse(t, v1alpha1.ReasonEvidenceNotFound,
			"instruments reference Evidence that does not exist: "+mechanismNameList(missing))
	}
	return condFalse(t, v1alpha1.ReasonInstrumentNotVerified,
		"no instrument has Verified, unexpired Evidence: "+mechanismNameList(problems))
}

// mechanismNameList joins up to 5 names, then "and N more".
func mechanismNameList(names []string) string {
	const limit = 5
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:limit], ", "), len(names)-limit)
}

func rolesCond(members []v1alpha1.Member) Cond {
	const t = v1alpha1.ConditionRolesDefined
	if len(members) == 0 {
		return condFalse(t, v1alpha1.ReasonRolesMissing, "no members are listed")
	}
	var lacking []string
	for _, mb := range members {
		if mb.Role == "" || len(mb.Responsibilities) == 0 {
			lacking = append(lacking, mb.Organization)
		}
	}
	if len(lacking) > 0 {
		return condFalse(t, v1alpha1.ReasonRolesMissing, fmt.Sprintf(
			"%s a role or a responsibility: %s",
			someOf(len(lacking), len(members), "member", "lacks", "lack"), mechanismNameList(lacking)))
	}
	return condTrue(t, v1alpha1.ReasonRolesDefined,
		allOf(len(members), "member", "has", "have")+" a role and at least one responsibility")
}

func sectorsCond(members []v1alpha1.Member, required []v1alpha1.Sector) Cond {
	const t = v1alpha1.ConditionSectorsRepresented
	if len(required) == 0 {
		return condTrue(t, v1alpha1.ReasonAllSectorsRepresented, "no sectors are required")
	}
	present := map[v1alpha1.Sector]bool{}
	for _, mb := range members {
		present[mb.Sector] = true
	}
	var missing []string
	for _, s := range required {
		if !present[s] {
			present[s] = true // report each missing sector once
			missing = append(missing, string(s))
		}
	}
	if len(missing) > 0 {
		return condFalse(t, v1alpha1.ReasonSectorsMissing,
			"no member represents the required sectors "+strings.Join(missing, ", "))
	}
	return condTrue(t, v1alpha1.ReasonAllSectorsRepresented,
		allOf(len(required), "required sector", "has", "have")+" a member")
}

// newestMinutes is the Verified Evidence matching sel with the newest
// collectionTime (ties broken by name, for a stable message), or nil.
// Expiry does not matter for minutes: a meeting took place or it did not.
// Minutes dated after they were recorded never count, even with a status
// written before that rule: they would keep meetings regular for ever.
func newestMinutes(sel labels.Selector, evidence []v1alpha1.Evidence, now time.Time) *v1alpha1.Evidence {
	var best *v1alpha1.Evidence
	for i := range evidence {
		e := &evidence[i]
		if !sel.Matches(labels.Set(e.Labels)) || CollectedInFuture(e, now) ||
			!meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionVerified) {
			continue
		}
		if best == nil || e.Spec.CollectionTime.After(best.Spec.CollectionTime.Time) ||
			(e.Spec.CollectionTime.Equal(&best.Spec.CollectionTime) && e.Name > best.Name) {
			best = e
		}
	}
	return best
}

// meetingsCond returns MeetingsRegular and the instant the newest minutes
// fall out of the interval (zero when there are none).
func meetingsCond(mt *v1alpha1.Meetings, sel labels.Selector, evidence []v1alpha1.Evidence, now time.Time) (Cond, time.Time) {
	const t = v1alpha1.ConditionMeetingsRegular
	if mt == nil {
		return condFalse(t, v1alpha1.ReasonNoMeetingEvidence, "spec.meetings is not set"), time.Time{}
	}
	best := newestMinutes(sel, evidence, now)
	if best == nil {
		return condFalse(t, v1alpha1.ReasonNoMeetingEvidence, fmt.Sprintf(
			"no Verified Evidence matches spec.meetings.evidenceSelector %q", sel.String())), time.Time{}
	}
	collected := best.Spec.CollectionTime.Time
	due := collected.Add(time.Duration(mt.MaxIntervalDays) * 24 * time.Hour)
	msg := fmt.Sprintf("newest minutes %s collected %s; meetings are due every %d days",
		best.Name, mechanismInstant(collected), mt.MaxIntervalDays)
	if now.Before(due) {
		return condTrue(t, v1alpha1.ReasonMeetingWithinInterval,
			fmt.Sprintf("%s, next by %s", msg, mechanismInstant(due))), due
	}
	return condFalse(t, v1alpha1.ReasonMeetingOverdue,
		fmt.Sprintf("%s; the next was due %s", msg, mechanismInstant(due))), due
}

// mechanismInstant shows an absolute time: a date when it is midnight UTC,
// else RFC 3339.
func mechanismInstant(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

func indicatorsOnTrackCond(inds []v1alpha1.Indicator) Cond {
	const t = v1alpha1.ConditionIndicatorsOnTrack
	if len(inds) == 0 {
		return condUnknown(t, v1alpha1.ReasonNoIndicators, "no Indicator names this mechanism in spec.mechanismRef")
	}
	met := 0
	var behind []string
	for _, ind := range inds {
		conds := ind.Status.Conditions
		switch {
		case meta.IsStatusConditionTrue(conds, v1alpha1.ConditionTargetMet):
			met++
		case !meta.IsStatusConditionTrue(conds, v1alpha1.ConditionOnTrack):
			behind = append(behind, ind.Name)
		}
	}
	if len(behind) > 0 {
		sort.Strings(behind)
		return condFalse(t, v1alpha1.ReasonTargetsNotMet, fmt.Sprintf(
			"%s neither met nor on track: %s",
			someOf(len(behind), len(inds), "indicator", "is", "are"), mechanismNameList(behind)))
	}
	if met == len(inds) {
		return condTrue(t, v1alpha1.ReasonAllTargetsMet, allOf(met, "indicator", "has met its target", "have met their targets"))
	}
	return condTrue(t, v1alpha1.ReasonOnTrack, fmt.Sprintf(
		"%s met or on track: %d met, %d on track", allOf(len(inds), "indicator", "is", "are"), met, len(inds)-met))
}
