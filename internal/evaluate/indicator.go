package evaluate

import (
	"fmt"
	"math/big"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// historyLength is the number of periods status.history holds.
const historyLength = 12

// indicatorConditionTypes are the Indicator's conditions after Ready and
// Stalled, in status order.
var indicatorConditionTypes = []string{
	v1alpha1.ConditionTargetMet, v1alpha1.ConditionEvidenceMissing,
	v1alpha1.ConditionDataOverdue, v1alpha1.ConditionOnTrack, v1alpha1.ConditionAnomalous,
}

// IndicatorInput is what the Indicator evaluator needs, gathered by the
// caller from the indicator's namespace.
type IndicatorInput struct {
	Indicator *v1alpha1.Indicator
	// Measurements whose indicatorRef names the indicator.
	Measurements []v1alpha1.Measurement
	// Evidence of the namespace, by name.
	Evidence map[string]*v1alpha1.Evidence
	// MechanismFound tells whether spec.mechanismRef resolves (ignored
	// without one).
	MechanismFound bool
	// Mechanism is the CooperationMechanism spec.mechanismRef names (nil
	// when it does not exist), and MechanismEvidence the Evidence of its
	// instruments and minutes. Only measure.fromMechanism reads them.
	Mechanism         *v1alpha1.CooperationMechanism
	MechanismEvidence []v1alpha1.Evidence
	// Inputs are, for a derived indicator, the Indicators WalkInputs
	// reaches from it, by name, each with its Measurements; a name it
	// reached that is absent, or has a nil Indicator, does not exist.
	// Evidence then also holds what their Measurements reference.
	Inputs map[string]InputIndicator
}

// indicatorModel is an indicator's spec resolved for evaluation.
type indicatorModel struct {
	spec  *v1alpha1.IndicatorSpec
	cal   Calendar
	scale *big.Rat
	goal  *Goal
	// backed is set for an indicator whose values come from its mechanism.
	backed *mechanismBacked
	// Per evaluation: when each (period, reporter) was first filed, for
	// expected reporters (reporting.go), and the signals found.
	filed   firstFiled
	signals Signals
}

func modelOf(ind *v1alpha1.Indicator) (*indicatorModel, error) {
	m := &indicatorModel{spec: &ind.Spec, cal: CalendarOf(ind.Spec.Calendar)}
	var err error
	if m.scale, err = scaleOf(ind.Spec.Measure); err != nil {
		return nil, err
	}
	if m.goal, err = resolveGoal(&ind.Spec); err != nil {
		return nil, err
	}
	// Parse the reporting window's periods now, so that a bad one is an
	// invalid spec rather than a surprise later.
	if _, err := reportingWindow(&ind.Spec, m.cal, m.goal, time.Time{}, nil); err != nil {
		return nil, err
	}
	return m, nil
}

// Counted returns the measurements that count: Accepted and not superseded.
func Counted(ind *v1alpha1.Indicator, ms []v1alpha1.Measurement, now time.Time) []*v1alpha1.Measurement {
	return countedOf(acceptedOf(ind, ms, now))
}

func acceptedOf(ind *v1alpha1.Indicator, ms []v1alpha1.Measurement, now time.Time) []*v1alpha1.Measurement {
	var accepted []*v1alpha1.Measurement
	for i := range ms {
		if Accept(ind, &ms[i], now).Status == metav1.ConditionTrue {
			accepted = append(accepted, &ms[i])
		}
	}
	return accepted
}

// countedOf keeps the newest of each (period, reporter), by name.
func countedOf(accepted []*v1alpha1.Measurement) []*v1alpha1.Measurement {
	var out []*v1alpha1.Measurement
	for _, m := range Latest(accepted) {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Indicator computes an Indicator's status at now, and the next instant at
// which time alone would change it (zero: never).
func Indicator(in IndicatorInput, now time.Time) (v1alpha1.IndicatorStatus, time.Time) {
	st, next, _ := IndicatorWithSignals(in, now)
	return st, next
}

// IndicatorWithSignals is Indicator, with what the evaluation found that
// the status does not hold (for metrics).
func IndicatorWithSignals(in IndicatorInput, now time.Time) (v1alpha1.IndicatorStatus, time.Time, Signals) {
	ind := in.Indicator
	st := ind.Status.DeepCopy()
	st.ObservedGeneration = ind.Generation
	m, err := modelOf(ind)
	if err != nil {
		st.Conditions = MergeConditions(st.Conditions, invalidSpecConds(err.Error(), indicatorConditionTypes...), ind.Generation, now)
		return *st, time.Time{}, Signals{}
	}
	if ind.Spec.Derived != nil {
		st, next := m.derivedStatus(in, st, now)
		return st, next, m.signals
	}
	periods, sourceNext := m.periods(in, now)
	conds, next := m.evaluate(ind, periods, in.Evidence, st, now)
	next = Earliest(now, next, sourceNext)
	refReason, refMsg := "", ""
	if ref := ind.Spec.MechanismRef; ref != nil && !in.MechanismFound {
		refReason, refMsg = v1alpha1.ReasonMechanismNotFound, fmt.Sprintf("CooperationMechanism %q does not exist in namespace %q", ref.Name, ind.Namespace)
	}
	st.Conditions = MergeConditions(st.Conditions, append(readyConds(refReason, refMsg), conds...), ind.Generation, now)
	return *st, next, m.signals
}

// periods computes the indicator's per-period data: from its
// Measurements, or from its mechanism (measure.fromMechanism), with the
// instant at which time alone would change them.
func (m *indicatorModel) periods(in IndicatorInput, now time.Time) ([]PeriodData, time.Time) {
	which := m.spec.Measure.FromMechanism
	if which == "" {
		accepted := acceptedOf(in.Indicator, in.Measurements, now)
		if m.spec.Reporting != nil {
			m.filed = firstFiledOf(m.spec.Cadence, accepted, now)
		}
		return byPeriod(m.spec, countedOf(accepted)), time.Time{}
	}
	m.backed = &mechanismBacked{which: which, mech: in.Mechanism, evidence: in.MechanismEvidence}
	win, _ := reportingWindow(m.spec, m.cal, m.goal, in.Indicator.CreationTimestamp.Time, nil) // parsed in modelOf
	start := Period{}
	if win != nil {
		start = win.Start
	}
	return m.backed.periods(m.spec.Cadence, m.cal, start, now)
}

// evaluate fills the computed fields of st and returns the conditions
// after Ready and Stalled, and the next change instant.
func (m *indicatorModel) evaluate(ind *v1alpha1.Indicator, periods []PeriodData, evidence map[string]*v1alpha1.Evidence, st *v1alpha1.IndicatorStatus, now time.Time) ([]Cond, time.Time) {
	win, _ := reportingWindow(m.spec, m.cal, m.goal, ind.CreationTimestamp.Time, periods) // parsed in modelOf
	start := Period{}
	if win != nil {
		start = win.Start
	}
	cur, ok := currentValue(m.spec, m.cal, m.scale, periods, start, now)
	var curp *Current
	if ok {
		curp = &cur
	}
	m.fillValues(st, curp, periods, evidence, now)
	evCond, evNext := m.evidenceMissing(curp, evidence, st, now)
	reported := map[Period]bool{}
	for _, d := range periods {
		reported[d.Period] = true
	}
	overdue, dueNext := dataOverdue(win, m.spec.Aggregation == v1alpha1.AggregationLatest, reported, m.cal, now)
	if m.backed != nil && m.backed.mech != nil {
		overdue, dueNext = m.backed.overdue(overdue, dueNext)
	}
	overdue = m.expectedReporters(win, overdue, reported, st, now)
	conds := []Cond{targetMet(m.spec.Measure, m.goal, curp, m.cal, now), evCond, overdue, onTrack(m.spec, m.goal, curp), m.anomalous(curp, periods, now)}
	return conds, Earliest(now, evNext, dueNext, m.timeEvents(now))
}

// anomalous is the Anomalous condition of the current value, and records
// its score among the signals.
func (m *indicatorModel) anomalous(cur *Current, periods []PeriodData, now time.Time) Cond {
	a := anomaly(cur, periods, m.scale, m.cal, now)
	m.signals.AnomalyScore = a.ScoreText()
	return a.cond()
}

// timeEvents are the instants at which the passage of time changes the
// verdict: the close of the current period (a provisional value becomes
// final) and the close of the deadline period (DeadlineMissed).
func (m *indicatorModel) timeEvents(now time.Time) time.Time {
	next := PeriodAt(now, m.spec.Cadence, m.cal).End(m.cal)
	if m.goal != nil && m.goal.Deadline != nil {
		next = Earliest(now, next, m.goal.Deadline.End(m.cal))
	}
	return next
}

func (m *indicatorModel) fillValues(st *v1alpha1.IndicatorStatus, cur *Current, periods []PeriodData, evidence map[string]*v1alpha1.Evidence, now time.Time) {
	st.Current, st.TargetValue, st.TargetDisplay, st.Progress, st.LastMeasurementTime = nil, "", "", "", nil
	if m.goal != nil {
		st.TargetValue, st.TargetDisplay = display(m.spec.Measure, m.goal.Value), displayName(m.spec.Measure, m.goal.Value)
	}
	if cur != nil {
		st.Current = &v1alpha1.CurrentValue{Period: v1alpha1.Period(cur.Period.String()),
			Value: display(m.spec.Measure, cur.Value), Display: displayName(m.spec.Measure, cur.Value),
			Provisional: cur.Provisional, Measurements: int32(len(cur.Counted)), Reporters: int32(cur.Reporters)}
		if p, ok := progress(m.goal, cur.Value); ok && m.spec.Measure.Type != v1alpha1.MeasureBoolean {
			st.Progress = FormatValue(p)
		}
	}
	var last time.Time
	for _, d := range periods {
		if d.LastReported.After(last) {
			last = d.LastReported
		}
	}
	if !last.IsZero() {
		t := metav1.NewTime(last)
		st.LastMeasurementTime = &t
	}
	st.History = m.history(periods, evidence, now)
}

// history lists the newest periods up to now, newest first, unreported
// ones included, and none before the baseline's period: that one, when it
// is among them, shows the baseline's value and is marked baseline.
func (m *indicatorModel) history(periods []PeriodData, evidence map[string]*v1alpha1.Evidence, now time.Time) []v1alpha1.HistoryEntry {
	data := map[Period]PeriodData{}
	for _, d := range periods {
		data[d.Period] = d
	}
	base, baseValue := m.baseline()
	out := make([]v1alpha1.HistoryEntry, 0, historyLength)
	p := PeriodAt(now, m.spec.Cadence, m.cal)
	for range historyLength {
		if base != nil && p.Compare(*base) < 0 {
			break
		}
		e := v1alpha1.HistoryEntry{Period: v1alpha1.Period(p.String())}
		switch d, ok := data[p]; {
		case base != nil && p.Compare(*base) == 0:
			e.Value, e.Display, e.Baseline = display(m.spec.Measure, baseValue), displayName(m.spec.Measure, baseValue), true
		case ok:
			v := valueOf(d.Reading, m.scale)
			e.Value, e.Display = display(m.spec.Measure, v), displayName(m.spec.Measure, v)
			e.Verified = Sufficient(m.spec.Verification, m.cal, m.spec.Cadence, d.Counted, evidence, now).Sufficient
		}
		out = append(out, e)
		p = p.Prev()
	}
	return out
}

// baseline is the baseline's period and value; nil when the spec has no
// baseline (or one that does not parse, which modelOf refused already).
func (m *indicatorModel) baseline() (*Period, *big.Rat) {
	b := m.spec.Baseline
	if b == nil {
		return nil, nil
	}
	p, err := ParsePeriod(string(b.Period), m.spec.Cadence)
	if err != nil {
		return nil, nil
	}
	v, err := ParseMeasureValue(m.spec.Measure, string(b.Value))
	if err != nil {
		return nil, nil
	}
	return &p, v
}

// evidenceMissing is the EvidenceMissing condition over the measurements
// behind the current value; it also fills status.evidence.
func (m *indicatorModel) evidenceMissing(cur *Current, evidence map[string]*v1alpha1.Evidence, st *v1alpha1.IndicatorStatus, now time.Time) (Cond, time.Time) {
	const t = v1alpha1.ConditionEvidenceMissing
	st.Evidence = nil
	if m.backed != nil && m.backed.mech != nil {
		return mechanismEvidenceCond(*m.backed, cur), time.Time{}
	}
	if cur == nil {
		return condUnknown(t, v1alpha1.ReasonNoData, "No counted measurement yet"), time.Time{}
	}
	s := Sufficient(m.spec.Verification, m.cal, m.spec.Cadence, cur.Counted, evidence, now)
	st.Evidence = &v1alpha1.EvidenceSummary{Sources: int32(s.Sources), VerifiedSources: int32(s.VerifiedSources), MissingMethods: s.MissingMethods}
	if s.Sufficient {
		return condFalse(t, s.Reason, s.Message), s.Next
	}
	return condTrue(t, s.Reason, s.Message), s.Next
}
