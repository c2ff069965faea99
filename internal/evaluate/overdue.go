package evaluate

import (
	"fmt"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// maxDuePeriods bounds the periods examined, so that a reporting start far
// in the past cannot make evaluation slow (100 years of months).
const maxDuePeriods = 1200

// Window is the span of periods that must be reported.
type Window struct {
	Start Period
	End   *Period // nil: open-ended
	Grace time.Duration
}

// reportingWindow resolves reportingStart (default: the period after the
// baseline, else the period of creation, else the earliest measured period)
// and reportingEnd (default: the deadline).
func reportingWindow(spec *v1alpha1.IndicatorSpec, cal Calendar, g *Goal, created time.Time, periods []PeriodData) (*Window, error) {
	w := &Window{Grace: 30 * 24 * time.Hour}
	if spec.ReportingGraceDays != nil {
		w.Grace = time.Duration(*spec.ReportingGraceDays) * 24 * time.Hour
	}
	switch {
	case spec.ReportingStart != "":
		p, err := ParsePeriod(string(spec.ReportingStart), spec.Cadence)
		if err != nil {
			return nil, fmt.Errorf("reportingStart: %w", err)
		}
		w.Start = p
	case spec.Baseline != nil:
		p, err := ParsePeriod(string(spec.Baseline.Period), spec.Cadence)
		if err != nil {
			return nil, fmt.Errorf("baseline.period: %w", err)
		}
		w.Start = p.Next()
	case !created.IsZero():
		w.Start = PeriodAt(created, spec.Cadence, cal)
	case len(periods) > 0:
		w.Start = periods[0].Period
	default:
		return nil, nil
	}
	if spec.ReportingEnd != "" {
		p, err := ParsePeriod(string(spec.ReportingEnd), spec.Cadence)
		if err != nil {
			return nil, fmt.Errorf("reportingEnd: %w", err)
		}
		w.End = &p
	} else if g != nil && g.Deadline != nil {
		w.End = g.Deadline
	}
	return w, nil
}

// duePeriods lists the periods whose data is due at now: those that closed
// more than the grace ago (at the grace's end exactly, not yet). It also
// returns the instant the next one falls due, the first instant after its
// grace ends (zero: none will).
func (w *Window) duePeriods(cal Calendar, now time.Time) ([]Period, time.Time) {
	var due []Period
	p := w.Start
	for i := 0; i < maxDuePeriods; i, p = i+1, p.Next() {
		if w.End != nil && p.Compare(*w.End) > 0 {
			return due, time.Time{}
		}
		graceEnd := p.End(cal).Add(w.Grace)
		if !now.After(graceEnd) {
			return due, graceEnd.Add(time.Nanosecond)
		}
		due = append(due, p)
	}
	return due, time.Time{}
}

// due is duePeriods, only the last of them with Latest aggregation.
func (w *Window) due(latestOnly bool, cal Calendar, now time.Time) ([]Period, time.Time) {
	due, next := w.duePeriods(cal, now)
	if latestOnly && len(due) > 1 {
		due = due[len(due)-1:]
	}
	return due, next
}

// dataOverdue is the DataOverdue condition; reported holds the periods with
// counted data. With Latest aggregation only the last due period counts.
func dataOverdue(w *Window, latestOnly bool, reported map[Period]bool, cal Calendar, now time.Time) (Cond, time.Time) {
	const t = v1alpha1.ConditionDataOverdue
	if w == nil {
		return condFalse(t, v1alpha1.ReasonNothingDue, "No reporting period is due"), time.Time{}
	}
	due, next := w.due(latestOnly, cal, now)
	if len(due) == 0 {
		return condFalse(t, v1alpha1.ReasonNothingDue, fmt.Sprintf("No period is due yet: %s is due %s", w.Start, w.Start.End(cal).Add(w.Grace).Format(time.DateOnly))), next
	}
	var missing []string
	for _, p := range due {
		if !reported[p] {
			missing = append(missing, p.String())
		}
	}
	graceDays := int(w.Grace.Hours() / 24)
	if len(missing) == 0 {
		return condFalse(t, v1alpha1.ReasonReportedOnTime, duePeriodsText(due[0], due[len(due)-1], "")+" has counted data"), next
	}
	return condTrue(t, v1alpha1.ReasonPeriodNotReported, fmt.Sprintf("No counted data for %s (data is due %d days after a period closes)", listPeriods(missing), graceDays)), next
}

// listPeriods names up to 5 periods, then "and N more", in order.
func listPeriods(ps []string) string {
	if len(ps) <= 5 {
		return strings.Join(ps, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ps[:5], ", "), len(ps)-5)
}
