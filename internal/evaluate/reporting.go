package evaluate

import (
	"fmt"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Expected reporters: completeness and timeliness (spec.reporting).
//
// A reporter has a counted figure for a period when one of its
// Measurements for the period is accepted: the newest of them counts (a
// contribution under consolidatedBy counts for completeness too, though
// only the consolidator's figure sets the value). Its figure came on time
// when the reporter first filed an accepted figure for the period (its
// reportTime, else its creation) no later than the period's end plus
// reportingGraceDays: a correction filed later keeps the first figure's
// timeliness. Reporters who report without being expected count in the
// value, not here.

// Signals are what an evaluation finds that the status does not hold, for
// metrics.
type Signals struct {
	// Reporters are the expected reporters, in spec order, with the due
	// periods each has missed in a row up to the latest due one (0: it
	// reported the latest); nil without expected reporters, or while no
	// period is due.
	Reporters []ReporterMisses
	// AnomalyScore is the modified z-score of the period Anomalous judged,
	// rounded to 2 places ("+Inf" or "-Inf" when it is undefined); empty
	// when Anomalous is Unknown.
	AnomalyScore string
}

// ReporterMisses counts the due periods an expected reporter missed in a
// row, up to the latest due period.
type ReporterMisses struct {
	Reporter string
	Missed   int
}

// Timeliness is an expected reporter's standing for one due period.
type Timeliness int

const (
	// Missing: no counted figure.
	Missing Timeliness = iota
	// OnTime: first filed by the period's end plus reportingGraceDays.
	OnTime
	// Late: first filed after that.
	Late
)

// reporterSlot is one reporter's figure for one period.
type reporterSlot struct {
	period   Period
	reporter string
}

// firstFiled holds, for every (period, reporter) with a counted figure,
// when the reporter first filed an accepted figure for it.
type firstFiled map[reporterSlot]time.Time

// filedAt is when a Measurement was filed: its reportTime, else its
// recording (offline, without a creationTimestamp: now, as if the
// manifests were applied then).
func filedAt(m *v1alpha1.Measurement, now time.Time) time.Time {
	if m.Spec.ReportTime != nil {
		return m.Spec.ReportTime.Time
	}
	return recordedAt(m.CreationTimestamp, now)
}

// firstFiledOf indexes accepted Measurements (superseded ones included).
func firstFiledOf(c v1alpha1.Cadence, accepted []*v1alpha1.Measurement, now time.Time) firstFiled {
	f := firstFiled{}
	for _, m := range accepted {
		p, err := ParsePeriod(string(m.Spec.Period), c)
		if err != nil {
			continue
		}
		k, t := reporterSlot{p, m.Spec.Reporter}, filedAt(m, now)
		if first, ok := f[k]; !ok || t.Before(first) {
			f[k] = t
		}
	}
	return f
}

// Reporting is the expected reporters' record over due periods.
type Reporting struct {
	// Expected reporters, in spec order.
	Expected []string
	// Due periods, oldest first.
	Due []Period
	// States[r][k] is Expected[r]'s standing for Due[k].
	States [][]Timeliness
	// Deadlines[k] is the last instant a figure for Due[k] was on time.
	Deadlines []time.Time
}

// reportingOf is the record of the expected reporters over the due periods.
func reportingOf(expected []string, due []Period, f firstFiled, cal Calendar, grace time.Duration) Reporting {
	r := Reporting{Expected: expected, Due: due, States: make([][]Timeliness, len(expected))}
	for _, p := range due {
		r.Deadlines = append(r.Deadlines, p.End(cal).Add(grace))
	}
	for i, name := range expected {
		r.States[i] = make([]Timeliness, len(due))
		for k, p := range due {
			t, ok := f[reporterSlot{p, name}]
			switch {
			case !ok:
				r.States[i][k] = Missing
			case t.After(r.Deadlines[k]):
				r.States[i][k] = Late
			default:
				r.States[i][k] = OnTime
			}
		}
	}
	return r
}

// count counts the reporters in state s for Due[k].
func (r Reporting) count(k int, s Timeliness) int {
	n := 0
	for i := range r.Expected {
		if r.States[i][k] == s {
			n++
		}
	}
	return n
}

// missing names the expected reporters without a figure for Due[k].
func (r Reporting) missing(k int) []string {
	var out []string
	for i, name := range r.Expected {
		if r.States[i][k] == Missing {
			out = append(out, name)
		}
	}
	return out
}

// Tally counts one reporter's due periods by standing.
func (r Reporting) Tally(i int) (onTime, late, missing int) {
	for _, s := range r.States[i] {
		switch s {
		case OnTime:
			onTime++
		case Late:
			late++
		default:
			missing++
		}
	}
	return onTime, late, missing
}

// status counts the latest due period.
func (r Reporting) status() *v1alpha1.ReportingStatus {
	k := len(r.Due) - 1
	on, late := r.count(k, OnTime), r.count(k, Late)
	return &v1alpha1.ReportingStatus{Period: v1alpha1.Period(r.Due[k].String()), Expected: int32(len(r.Expected)),
		Reported: int32(on + late), OnTime: int32(on), Late: int32(late), Missing: int32(len(r.Expected) - on - late)}
}

// misses counts, per expected reporter, the due periods missed in a row up
// to the latest.
func (r Reporting) misses() []ReporterMisses {
	out := make([]ReporterMisses, len(r.Expected))
	for i, name := range r.Expected {
		out[i].Reporter = name
		for k := len(r.Due) - 1; k >= 0 && r.States[i][k] == Missing; k-- {
			out[i].Missed++
		}
	}
	return out
}

// expectedReporters makes DataOverdue, status.reporting and the reporters'
// signals of an indicator with spec.reporting.expectedReporters: a due
// period counts as reported only when it has counted data and every
// expected reporter has a counted figure for it. Without expected
// reporters, or while nothing is due, overdue is returned as it is.
func (m *indicatorModel) expectedReporters(w *Window, overdue Cond, reported map[Period]bool, st *v1alpha1.IndicatorStatus, now time.Time) Cond {
	st.Reporting = nil
	if m.spec.Reporting == nil || len(m.spec.Reporting.ExpectedReporters) == 0 || w == nil {
		return overdue
	}
	due, _ := w.due(m.latestOnly(), m.cal, now)
	if len(due) == 0 {
		return overdue
	}
	r := reportingOf(m.spec.Reporting.ExpectedReporters, due, m.filed, m.cal, w.Grace)
	st.Reporting = r.status()
	m.signals.Reporters = r.misses()
	return r.overdue(reported, m.spec.ConsolidatedBy, int(w.Grace.Hours()/24))
}

func (m *indicatorModel) latestOnly() bool { return m.spec.Aggregation == v1alpha1.AggregationLatest }

// overdue is DataOverdue over the record: True PeriodNotReported naming,
// per unreported period, who has no counted figure (the consolidator too,
// when the period has no value without it); else False ReportedOnTime with
// the latest period's timeliness.
func (r Reporting) overdue(reported map[Period]bool, consolidator string, graceDays int) Cond {
	const t = v1alpha1.ConditionDataOverdue
	var gaps []string
	for k, p := range r.Due {
		names := r.missing(k)
		if !reported[p] && consolidator != "" && !contains(names, consolidator) {
			names = append(names, consolidator)
		}
		if len(names) > 0 {
			gaps = append(gaps, fmt.Sprintf("for %s from %s", p, sortedNames(names)))
		}
	}
	if len(gaps) > 0 {
		if len(gaps) > 5 {
			gaps = append(gaps[:5], fmt.Sprintf("and %d more periods", len(gaps)-5))
		}
		return condTrue(t, v1alpha1.ReasonPeriodNotReported, fmt.Sprintf("No counted data %s (data is due %d days after a period closes)", strings.Join(gaps, "; "), graceDays))
	}
	k := len(r.Due) - 1
	return condFalse(t, v1alpha1.ReasonReportedOnTime, fmt.Sprintf("%s has counted data from %s; for %s, %d reported on time (by %s) and %d late",
		duePeriodsText(r.Due[0], r.Due[k], ""), expectedText(len(r.Expected)), r.Due[k], r.count(k, OnTime), r.Deadlines[k].UTC().Format(time.RFC3339), r.count(k, Late)))
}

// basis is what an indicator's conditions are computed from.
type basis struct {
	model   *indicatorModel
	win     *Window
	periods []PeriodData
	cur     *Current
	filed   firstFiled
}

// basisOf computes, from an indicator's accepted Measurements, what its
// conditions are judged on, as Indicator does.
func basisOf(ind *v1alpha1.Indicator, accepted []*v1alpha1.Measurement, now time.Time) (*basis, error) {
	m, err := modelOf(ind)
	if err != nil {
		return nil, err
	}
	b := &basis{model: m, periods: byPeriod(m.spec, countedOf(accepted)), filed: firstFiledOf(ind.Spec.Cadence, accepted, now)}
	b.win, _ = reportingWindow(m.spec, m.cal, m.goal, ind.CreationTimestamp.Time, b.periods) // parsed in modelOf
	start := Period{}
	if b.win != nil {
		start = b.win.Start
	}
	if cur, ok := currentValue(m.spec, m.cal, m.scale, b.periods, start, now); ok {
		b.cur = &cur
	}
	return b, nil
}

// ReportingHistory is the expected reporters' record over the due periods
// among the 12 newest periods up to now, as status.history spans them
// (with Latest aggregation, the latest due period only), from the
// indicator's accepted Measurements (Accepted True, superseded ones
// included), for reports. ok is false without expected reporters, with a
// spec that cannot be evaluated, or when no period of the span is due.
func ReportingHistory(ind *v1alpha1.Indicator, accepted []*v1alpha1.Measurement, now time.Time) (Reporting, bool) {
	if ind.Spec.Reporting == nil || len(ind.Spec.Reporting.ExpectedReporters) == 0 {
		return Reporting{}, false
	}
	b, err := basisOf(ind, accepted, now)
	if err != nil || b.win == nil {
		return Reporting{}, false
	}
	due, _ := b.win.due(b.model.latestOnly(), b.model.cal, now)
	oldest := PeriodAt(now, ind.Spec.Cadence, b.model.cal)
	for range historyLength - 1 {
		oldest = oldest.Prev()
	}
	due = filter(due, func(p Period) bool { return p.Compare(oldest) >= 0 })
	if len(due) == 0 {
		return Reporting{}, false
	}
	return reportingOf(ind.Spec.Reporting.ExpectedReporters, due, b.filed, b.model.cal, b.win.Grace), true
}
