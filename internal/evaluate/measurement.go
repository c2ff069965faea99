package evaluate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// check is one acceptance rule: it returns a reason and message when the
// measurement fails it. The first failing check wins.
type check func(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, now time.Time) (reason, msg string)

var acceptanceChecks = []check{checkTakesMeasurements, checkPeriod, checkReportTime, checkValue, checkBreakdown, checkApproval}

// Accept decides whether a measurement counts for its indicator (nil: not
// found). It returns Accepted with its reason and message.
func Accept(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, now time.Time) Cond {
	if ind == nil {
		return condFalse(v1alpha1.ConditionAccepted, v1alpha1.ReasonIndicatorNotFound,
			fmt.Sprintf("Indicator %q does not exist in namespace %q", m.Spec.IndicatorRef.Name, m.Namespace))
	}
	for _, c := range acceptanceChecks {
		if reason, msg := c(ind, m, now); reason != "" {
			return condFalse(v1alpha1.ConditionAccepted, reason, msg)
		}
	}
	return condTrue(v1alpha1.ConditionAccepted, v1alpha1.ReasonValid,
		fmt.Sprintf("Counts toward Indicator %q for %s", ind.Name, m.Spec.Period)+notStatedNote(ind, m))
}

// checkPeriod refuses a period not of the cadence, or one that had not
// started when the Measurement was recorded: a figure cannot be reported
// before its period begins, and the server's creationTimestamp, not the
// passage of time, says when it was reported.
func checkPeriod(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, now time.Time) (string, string) {
	p, err := ParsePeriod(string(m.Spec.Period), ind.Spec.Cadence)
	if err != nil {
		return v1alpha1.ReasonPeriodMismatch, err.Error()
	}
	if start := p.Start(CalendarOf(ind.Spec.Calendar)); start.After(recordedAt(m.CreationTimestamp, now)) {
		if m.CreationTimestamp.IsZero() {
			return v1alpha1.ReasonPeriodMismatch, fmt.Sprintf("period %s has not started: it starts %s", p, start.Format(time.DateOnly))
		}
		return v1alpha1.ReasonPeriodMismatch, fmt.Sprintf("period %s had not started when the Measurement was created (%s): it starts %s; report it in a new Measurement once it has started",
			p, m.CreationTimestamp.UTC().Format(time.RFC3339), start.Format(time.DateOnly))
	}
	return "", ""
}

// checkReportTime refuses a reportTime later than the Measurement's
// recording plus ClockSkew: such a time would win supersession over every
// real report of its slot.
func checkReportTime(_ *v1alpha1.Indicator, m *v1alpha1.Measurement, now time.Time) (string, string) {
	rt := m.Spec.ReportTime
	if rt == nil || !inFuture(rt.Time, m.CreationTimestamp, now) {
		return "", ""
	}
	return v1alpha1.ReasonReportTimeInFuture, fmt.Sprintf("reportTime %s is later than %s plus the allowed clock skew of %s: a report cannot be dated in the future; report the figure in a new Measurement with the time it was reported, or without reportTime",
		rt.UTC().Format(time.RFC3339), recordingText(m.CreationTimestamp, now), skewText())
}

// checkTakesMeasurements refuses every Measurement of an indicator that
// computes its values: from other indicators (spec.derived) or from its
// mechanism (measure.fromMechanism).
func checkTakesMeasurements(ind *v1alpha1.Indicator, _ *v1alpha1.Measurement, _ time.Time) (string, string) {
	if d := ind.Spec.Derived; d != nil {
		names := make([]string, len(d.Inputs))
		for i, in := range d.Inputs {
			names[i] = fmt.Sprintf("%q", in.Name)
		}
		return v1alpha1.ReasonIndicatorIsDerived, fmt.Sprintf("Indicator %q is derived (spec.derived: %s of %s) and takes no Measurements: report the figures to its inputs",
			ind.Name, d.Operation, strings.Join(names, ", "))
	}
	if c := ind.Spec.Measure.FromMechanism; c != "" {
		mech := "its CooperationMechanism"
		if ref := ind.Spec.MechanismRef; ref != nil {
			mech = fmt.Sprintf("CooperationMechanism %q", ref.Name)
		}
		return v1alpha1.ReasonIndicatorIsDerived, fmt.Sprintf("Indicator %q takes its value from the %s condition of %s (measure.fromMechanism) and takes no Measurements",
			ind.Name, c, mech)
	}
	return "", ""
}

func checkValue(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, _ time.Time) (string, string) {
	if _, err := readingOf(ind.Spec.Measure, m.Spec.Value, m.Spec.Numerator, m.Spec.Denominator); err != nil {
		return v1alpha1.ReasonValueInvalid, err.Error()
	}
	return "", ""
}

func checkApproval(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, _ time.Time) (string, string) {
	if v := ind.Spec.Verification; v != nil && v.ApprovalRequired && m.Spec.Approval == nil {
		return v1alpha1.ReasonAwaitingApproval, fmt.Sprintf("Indicator %q requires approval: set spec.approval", ind.Name)
	}
	return "", ""
}

// reportTime orders reports: reportTime, else the creation time.
func reportTime(m *v1alpha1.Measurement) time.Time {
	if m.Spec.ReportTime != nil {
		return m.Spec.ReportTime.Time
	}
	return m.CreationTimestamp.Time
}

// newer reports whether a is a newer report than b: greatest reportTime
// (else creationTimestamp), then creationTimestamp, then name.
func newer(a, b *v1alpha1.Measurement) bool {
	if ta, tb := reportTime(a), reportTime(b); !ta.Equal(tb) {
		return ta.After(tb)
	}
	if ca, cb := a.CreationTimestamp.Time, b.CreationTimestamp.Time; !ca.Equal(cb) {
		return ca.After(cb)
	}
	return a.Name > b.Name
}

// slotKey identifies a (period, reporter) slot of one indicator.
type slotKey struct{ period, reporter string }

// Latest returns, for every (period, reporter) slot, the newest of the
// given accepted measurements; the others are superseded by it.
func Latest(accepted []*v1alpha1.Measurement) map[slotKey]*v1alpha1.Measurement {
	latest := map[slotKey]*v1alpha1.Measurement{}
	for _, m := range accepted {
		k := slotKey{string(m.Spec.Period), m.Spec.Reporter}
		if cur, ok := latest[k]; !ok || newer(m, cur) {
			latest[k] = m
		}
	}
	return latest
}

// supersededCond is a measurement's Superseded condition given the newest
// report of its slot.
func supersededCond(m, newest *v1alpha1.Measurement) Cond {
	if newest == nil || newest.Name == m.Name {
		return condFalse(v1alpha1.ConditionSuperseded, v1alpha1.ReasonLatestReport,
			fmt.Sprintf("The newest report of %q for %s", m.Spec.Reporter, m.Spec.Period))
	}
	return condTrue(v1alpha1.ConditionSuperseded, v1alpha1.ReasonNewerReport,
		fmt.Sprintf("Superseded by Measurement %q, a newer report of %q for %s", newest.Name, m.Spec.Reporter, m.Spec.Period))
}

// sortedNames returns up to 5 names, then "and N more".
func sortedNames(names []string) string {
	sort.Strings(names)
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}
