package evaluate

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// An indicator with measure.fromMechanism takes its values from its
// mechanism rather than from Measurements. The condition is computed here
// from the mechanism's spec and evidence with the mechanism evaluator's own
// functions, not read from the mechanism's status: the mechanism's
// IndicatorsOnTrack depends on this indicator, so reading its status would
// make the two wait on each other, offline and in the cluster.

// mechanismBacked is what an indicator backed by its mechanism is computed
// from.
type mechanismBacked struct {
	which    v1alpha1.MechanismCondition
	mech     *v1alpha1.CooperationMechanism
	evidence []v1alpha1.Evidence
}

// mechanismPeriods returns the per-period values of a mechanism-backed
// indicator, from the window's start to the period of now, and the next
// instant at which time alone would change them (zero: never).
//
// MeetingsRegular has a value for every period: true when every instant of
// it (up to now, for the open period) lies within maxIntervalDays of a
// verified meeting at or before it, so meetings exactly maxIntervalDays
// apart are regular. The other conditions are facts about the mechanism
// now: they give the open period's value only.
func (mb mechanismBacked) periods(cadence v1alpha1.Cadence, cal Calendar, start Period, now time.Time) ([]PeriodData, time.Time) {
	current := PeriodAt(now, cadence, cal)
	if mb.mech == nil {
		return nil, time.Time{}
	}
	if mb.which != v1alpha1.ConditionMeetingsRegular {
		c := mechanismCondition(mb.which, mb.mech, mb.evidence, now)
		if c.Status == metav1.ConditionUnknown {
			return nil, time.Time{}
		}
		return []PeriodData{booleanPeriod(current, c.Status == metav1.ConditionTrue)}, time.Time{}
	}
	mt := mb.mech.Spec.Meetings
	var times []time.Time
	var interval time.Duration
	if mt != nil {
		interval = time.Duration(mt.MaxIntervalDays) * 24 * time.Hour
		times = meetingTimes(mt, mb.evidence, now)
	}
	if start.Cadence == "" {
		if len(times) == 0 {
			return nil, time.Time{}
		}
		start = PeriodAt(times[0], cadence, cal)
	}
	var out []PeriodData
	var next time.Time
	p := start
	for i := 0; i < maxDuePeriods && p.Compare(current) <= 0; i, p = i+1, p.Next() {
		to := p.End(cal)
		if to.After(now) {
			to = now.Add(time.Nanosecond) // the open period, up to now
		}
		ok, until := regularOver(times, interval, p.Start(cal), to)
		out = append(out, booleanPeriod(p, ok))
		if p.Compare(current) == 0 && ok {
			next = until // the open period turns false when cover ends
		}
	}
	return out, Earliest(now, next)
}

func booleanPeriod(p Period, v bool) PeriodData {
	r := new(big.Rat)
	if v {
		r.SetInt64(1)
	}
	return PeriodData{Period: p, Reading: Reading{Value: r}}
}

// meetingTimes are the collection times of the Verified minutes the
// meeting selector picks, oldest first; minutes dated after they were
// recorded never count.
func meetingTimes(mt *v1alpha1.Meetings, evidence []v1alpha1.Evidence, now time.Time) []time.Time {
	sel, err := meetingSelector(mt)
	if err != nil || sel == nil || sel.Empty() {
		return nil
	}
	var out []time.Time
	for i := range evidence {
		e := &evidence[i]
		if sel.Matches(labels.Set(e.Labels)) && !CollectedInFuture(e, now) &&
			meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionVerified) {
			out = append(out, e.Spec.CollectionTime.Time)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// regularOver reports whether every instant of [from, to) lies within
// interval after a meeting at or before it (a meeting at m covers
// [m, m+interval)), and until when the meetings cover.
func regularOver(meetings []time.Time, interval time.Duration, from, to time.Time) (bool, time.Time) {
	var until time.Time
	for _, m := range meetings {
		if m.After(from) {
			break
		}
		until = m.Add(interval)
	}
	if !until.After(from) {
		return false, until
	}
	for _, m := range meetings {
		if !m.After(from) {
			continue
		}
		if !m.Before(to) {
			break
		}
		if m.After(until) {
			return false, until
		}
		if e := m.Add(interval); e.After(until) {
			until = e
		}
	}
	return !until.Before(to), until
}

// mechanismCondition computes one of the mechanism's conditions from its
// spec and evidence.
func mechanismCondition(which v1alpha1.MechanismCondition, mech *v1alpha1.CooperationMechanism, evidence []v1alpha1.Evidence, now time.Time) Cond {
	evidence = sameNamespaceEvidence(mech.Namespace, evidence)
	switch which {
	case v1alpha1.ConditionFormalized:
		return formalizedCond(mech.Spec.Instruments, evidence)
	case v1alpha1.ConditionRolesDefined:
		return rolesCond(mech.Spec.Members)
	case v1alpha1.ConditionSectorsRepresented:
		return sectorsCond(mech.Spec.Members, mech.Spec.RequiredSectors)
	}
	sel, err := meetingSelector(mech.Spec.Meetings)
	if err != nil {
		return condUnknown(string(which), v1alpha1.ReasonNotEvaluated, err.Error())
	}
	c, _ := meetingsCond(mech.Spec.Meetings, sel, evidence, now)
	return c
}

// mechanismEvidenceCond is EvidenceMissing for a mechanism-backed
// indicator: its values come from the mechanism's verified evidence.
func mechanismEvidenceCond(mb mechanismBacked, cur *Current) Cond {
	const t = v1alpha1.ConditionEvidenceMissing
	if cur == nil {
		return condUnknown(t, v1alpha1.ReasonNoData, "No value yet: the mechanism gives none")
	}
	return condFalse(t, v1alpha1.ReasonEvidenceComplete, fmt.Sprintf("Values come from CooperationMechanism %q's %s, computed from its verified evidence", mb.mech.Name, mb.which))
}

// overdue adjusts DataOverdue for a mechanism-backed indicator: the
// conditions that are facts about the mechanism now fall due never;
// MeetingsRegular periods have values computed, not reported.
func (mb mechanismBacked) overdue(c Cond, next time.Time) (Cond, time.Time) {
	if mb.which != v1alpha1.ConditionMeetingsRegular {
		return condFalse(v1alpha1.ConditionDataOverdue, v1alpha1.ReasonNothingDue,
			fmt.Sprintf("Values come from CooperationMechanism %q's %s condition; no period is reported", mb.mech.Name, mb.which)), time.Time{}
	}
	c.Message = strings.Replace(c.Message, "has counted data", "has a value computed from the mechanism's minutes", 1)
	return c, next
}
