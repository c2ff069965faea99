package evaluate

import (
	"fmt"
	"maps"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// A derived indicator (spec.derived) computes each period's value from
// other Indicators of its namespace: Ratio (the first input over the
// second, times measure.scale), Sum, or Difference (the first minus the
// second). A period has a value when every input has one for it. The value
// of an input for a period is its combined figure of that period, as
// byPeriod computes it (its own consolidatedBy, reporters summed), or, for
// an input that selects categories, the cell naming exactly those
// categories summed over the same counted Measurements. Its verification
// and its overdue periods are its inputs'. Its own aggregation, target,
// milestones and history work as for any indicator over these periods.

// derivedStatus evaluates a derived indicator whose spec m resolves.
func (m *indicatorModel) derivedStatus(in IndicatorInput, st *v1alpha1.IndicatorStatus, now time.Time) (v1alpha1.IndicatorStatus, time.Time) {
	ind := in.Indicator
	seen, _ := walk(ind, func(name string) (*v1alpha1.Indicator, error) {
		if x, ok := in.Inputs[name]; ok {
			return x.Indicator, nil
		}
		return nil, nil
	})
	problems := checkReached(ind, seen)
	if msg := problemText(problems, v1alpha1.ReasonInvalidSpec); msg != "" {
		st.Conditions = MergeConditions(st.Conditions, invalidSpecConds(msg, indicatorConditionTypes...), ind.Generation, now)
		return *st, time.Time{}
	}
	d := &derivation{seen: seen, inputs: in.Inputs, now: now,
		models: map[string]*indicatorModel{ind.Name: m}, measured: map[string][]PeriodData{},
		series: map[string]*series{}, leafOf: map[*v1alpha1.Measurement]string{}, overdueMemo: map[string]overdue{}}
	s := d.seriesOf(ind.Name)
	periods := d.periodData(s)
	win, _ := reportingWindow(m.spec, m.cal, m.goal, ind.CreationTimestamp.Time, periods) // parsed in modelOf
	start := Period{}
	if win != nil {
		start = win.Start
	}
	var cur *Current
	if c, ok := derivedCurrent(m, periods, start, now); ok {
		cur = &c
	}
	m.fillValues(st, cur, periods, in.Evidence, now)
	d.verifyHistory(st.History, s, in.Evidence)
	evCond, evNext := d.evidenceMissing(cur, in.Evidence, st)
	od := d.overdueOf(ind.Name)
	notes := noteText(s)
	conds := []Cond{targetMet(m.spec.Measure, m.goal, cur, m.cal, now), evCond, od.cond(notes), onTrack(m.spec, m.goal, cur), m.anomalous(cur, periods, now)}
	for i := range conds {
		if conds[i].Reason == v1alpha1.ReasonNoData {
			conds[i].Message = noValueYet(s, problems)
		}
	}
	reason, msg := v1alpha1.ReasonInputNotFound, problemText(problems, v1alpha1.ReasonInputNotFound)
	if msg == "" {
		reason, msg = mechanismNotFound(in)
	}
	st.Conditions = MergeConditions(st.Conditions, append(readyConds(reason, msg), conds...), ind.Generation, now)
	return *st, Earliest(now, evNext, od.next, m.timeEvents(now))
}

// mechanismNotFound is the reason and message of Ready False when
// spec.mechanismRef resolves to nothing (as Indicator says it), else empty.
func mechanismNotFound(in IndicatorInput) (string, string) {
	if ref := in.Indicator.Spec.MechanismRef; ref != nil && !in.MechanismFound {
		return v1alpha1.ReasonMechanismNotFound, fmt.Sprintf("CooperationMechanism %q does not exist in namespace %q", ref.Name, in.Indicator.Namespace)
	}
	return "", ""
}

// derivation evaluates the indicators a derived indicator reaches.
type derivation struct {
	seen   map[string]*reached
	inputs map[string]InputIndicator
	now    time.Time

	models      map[string]*indicatorModel
	measured    map[string][]PeriodData // combined periods of measured inputs
	series      map[string]*series      // values of derived indicators
	leafOf      map[*v1alpha1.Measurement]string
	overdueMemo map[string]overdue
}

// series are the values of an input, or of a derived indicator, by period.
type series struct {
	values map[Period]*figure
	// notes say why a period that every input reported has no value.
	notes map[Period]string
}

// figure is one period's value and the counted Measurements behind it, by
// the measured indicator they belong to.
type figure struct {
	reading Reading  // a derived Ratio keeps numerator and denominator
	value   *big.Rat // in the indicator's units
	behind  map[string][]*v1alpha1.Measurement
}

func (d *derivation) model(name string) *indicatorModel {
	if m, ok := d.models[name]; ok {
		return m
	}
	m, _ := modelOf(d.seen[name].ind) // CheckInputs refused those that fail
	d.models[name] = m
	return m
}

// periodsOf combines the counted Measurements of a measured input by
// period, once.
func (d *derivation) periodsOf(name string) []PeriodData {
	if ps, ok := d.measured[name]; ok {
		return ps
	}
	ind := d.seen[name].ind
	ms := d.inputs[name].Measurements
	ps := byPeriod(&ind.Spec, Counted(ind, ms, d.now))
	for _, p := range ps {
		for _, c := range p.Counted {
			d.leafOf[c] = name
		}
	}
	d.measured[name] = ps
	return ps
}

// input is the series of one input as the selection reads it.
func (d *derivation) input(sel v1alpha1.DerivedInput) *series {
	r := d.seen[sel.Name]
	switch {
	case r == nil || r.ind == nil:
		return &series{}
	case r.ind.Spec.Derived != nil:
		return d.seriesOf(sel.Name)
	}
	m := d.model(sel.Name)
	out := &series{values: map[Period]*figure{}, notes: map[Period]string{}}
	for _, pd := range d.periodsOf(sel.Name) {
		reading := pd.Reading
		if len(sel.Categories) > 0 {
			var missing int
			if reading, missing = cellOf(&r.ind.Spec, pd.Counted, sel.Categories); missing > 0 {
				out.notes[pd.Period] = fmt.Sprintf("%d of %d of its counted Measurements give no such cell", missing, len(pd.Counted))
				continue
			}
		}
		if v := valueOf(reading, m.scale); v != nil {
			out.values[pd.Period] = &figure{value: v, behind: map[string][]*v1alpha1.Measurement{sel.Name: pd.Counted}}
		}
	}
	return out
}

// seriesOf computes a derived indicator's values: a period has one when
// every input has one for it, and a Ratio's denominator is not 0.
func (d *derivation) seriesOf(name string) *series {
	if s, ok := d.series[name]; ok {
		return s
	}
	spec := d.seen[name].ind.Spec.Derived
	ins := make([]*series, len(spec.Inputs))
	for j, sel := range spec.Inputs {
		ins[j] = d.input(sel)
	}
	out := &series{values: map[Period]*figure{}, notes: map[Period]string{}}
	for _, p := range reportedByAll(ins) {
		f, note := combine(spec, d.model(name).scale, ins, p)
		if f != nil {
			out.values[p] = f
		} else {
			out.notes[p] = note
		}
	}
	d.series[name] = out
	return out
}

// reportedByAll lists the periods every input reported: with a value, or
// with a note saying why it has none.
func reportedByAll(ins []*series) []Period {
	sets := make([]map[Period]bool, len(ins))
	for j, s := range ins {
		sets[j] = s.reported()
	}
	var out []Period
	for p := range sets[0] {
		all := true
		for _, set := range sets[1:] {
			all = all && set[p]
		}
		if all {
			out = append(out, p)
		}
	}
	return out
}

func (s *series) reported() map[Period]bool {
	out := map[Period]bool{}
	for p := range s.values {
		out[p] = true
	}
	for p := range s.notes {
		out[p] = true
	}
	return out
}

// combine applies the operation to the inputs' values of period p, or says
// why p has no value.
func combine(spec *v1alpha1.Derived, scale *big.Rat, ins []*series, p Period) (*figure, string) {
	f := &figure{behind: map[string][]*v1alpha1.Measurement{}}
	vals := make([]*big.Rat, len(ins))
	for j, s := range ins {
		in, ok := s.values[p]
		if !ok {
			return nil, fmt.Sprintf("input %s has no value: %s", inputLabel(spec.Inputs[j]), s.notes[p])
		}
		vals[j] = in.value
		for leaf, ms := range in.behind {
			f.behind[leaf] = append(f.behind[leaf], ms...)
		}
	}
	switch spec.Operation {
	case v1alpha1.DerivedRatio:
		if vals[1].Sign() == 0 {
			return nil, fmt.Sprintf("the denominator, input %q, is 0", spec.Inputs[1].Name)
		}
		f.reading = Reading{Numerator: vals[0], Denominator: vals[1]}
	case v1alpha1.DerivedDifference:
		f.reading = Reading{Value: new(big.Rat).Sub(vals[0], vals[1])}
	default:
		sum := new(big.Rat)
		for _, v := range vals {
			sum.Add(sum, v)
		}
		f.reading = Reading{Value: sum}
	}
	f.value = valueOf(f.reading, scale)
	return f, ""
}

// cellOf sums, over the reports, the breakdown cell that names exactly the
// selected categories (the same dimensions, each with the selected
// category), and counts the reports that have no such cell.
//
// A selection of one dimension reads that dimension's table as published
// (Tables): its own cell for the category, or the cross cells that name the
// category summed over the other dimensions. A selection of several
// dimensions reads the cross cell naming exactly those categories.
func cellOf(spec *v1alpha1.IndicatorSpec, reports []*v1alpha1.Measurement, sel map[string]v1alpha1.Category) (Reading, int) {
	m := spec.Measure
	sum := Reading{Value: new(big.Rat)}
	if m.Type == v1alpha1.MeasureRatio {
		sum = Reading{Numerator: new(big.Rat), Denominator: new(big.Rat)}
	}
	missing := 0
	for _, r := range reports {
		if rd, ok := selectedCell(spec, r.Spec.Breakdown, sel); ok {
			addReading(&sum, rd)
		} else {
			missing++
		}
	}
	return sum, missing
}

// selectedCell is one report's figure for the selected categories.
func selectedCell(spec *v1alpha1.IndicatorSpec, cells []v1alpha1.BreakdownCell, sel map[string]v1alpha1.Category) (Reading, bool) {
	if len(sel) == 1 {
		tables, err := Tables(spec.Measure, spec.Disaggregations, cells)
		if err != nil {
			return Reading{}, false
		}
		for dim, cat := range sel {
			for _, t := range tables {
				if t.Dimension != dim {
					continue
				}
				for _, c := range t.Cells {
					if c.Category == string(cat) {
						return c.Reading, true
					}
				}
			}
		}
		return Reading{}, false
	}
	for _, c := range cells {
		if maps.Equal(c.Categories, sel) {
			rd, err := readingOf(spec.Measure, c.Value, c.Numerator, c.Denominator)
			return rd, err == nil
		}
	}
	return Reading{}, false
}

// inputLabel names an input for messages: "officers-trained" (gender=female).
func inputLabel(sel v1alpha1.DerivedInput) string {
	if len(sel.Categories) == 0 {
		return fmt.Sprintf("%q", sel.Name)
	}
	return fmt.Sprintf("%q (%s)", sel.Name, categoriesText(sel.Categories))
}

// categoriesText writes a selection as "age=18+, gender=female".
func categoriesText(sel map[string]v1alpha1.Category) string {
	parts := make([]string, 0, len(sel))
	for k, v := range sel {
		parts = append(parts, k+"="+string(v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// periodData turns a derived indicator's values into the periods the
// indicator evaluator aggregates, in chronological order. Counted are the
// distinct Measurements behind each value.
func (d *derivation) periodData(s *series) []PeriodData {
	out := make([]PeriodData, 0, len(s.values))
	for p, f := range s.values {
		pd := PeriodData{Period: p, Reading: f.reading, Counted: distinct(f.behind)}
		reporters := map[string]bool{}
		for _, m := range pd.Counted {
			reporters[m.Spec.Reporter] = true
			if t := reportTime(m); t.After(pd.LastReported) {
				pd.LastReported = t
			}
		}
		pd.Reporters = len(reporters)
		out = append(out, pd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Period.Compare(out[j].Period) < 0 })
	return out
}

// distinct lists the Measurements behind a value once each (an indicator
// may be reached through two inputs), by name.
func distinct(behind map[string][]*v1alpha1.Measurement) []*v1alpha1.Measurement {
	set := map[*v1alpha1.Measurement]bool{}
	var out []*v1alpha1.Measurement
	for _, ms := range behind {
		for _, m := range ms {
			if !set[m] {
				set[m] = true
				out = append(out, m)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// derivedCurrent applies the indicator's aggregation to the derived
// periods. Latest takes the newest period with a value: a derived value
// has no single report to be the newest.
func derivedCurrent(m *indicatorModel, periods []PeriodData, start Period, now time.Time) (Current, bool) {
	if m.spec.Aggregation != v1alpha1.AggregationLatest || len(periods) == 0 {
		return currentValue(m.spec, m.cal, m.scale, periods, start, now)
	}
	last := periods[len(periods)-1]
	return fromPeriod(last, m.scale, last.Period.End(m.cal).After(now)), true
}

// verification judges the counted Measurements behind a value against the
// verification of the measured indicator each belongs to: it is its
// inputs' verification.
func (d *derivation) verification(counted []*v1alpha1.Measurement, evidence map[string]*v1alpha1.Evidence) Sufficiency {
	byLeaf := map[string][]*v1alpha1.Measurement{}
	var names []string
	for _, m := range counted {
		leaf := d.leafOf[m]
		if byLeaf[leaf] == nil {
			names = append(names, leaf)
		}
		byLeaf[leaf] = append(byLeaf[leaf], m)
	}
	sort.Strings(names)
	var out Sufficiency
	var lacking []lack
	missing := map[v1alpha1.VerificationMethod]bool{}
	requiring := 0
	for _, name := range names {
		ind, m := d.seen[name].ind, d.model(name)
		if ind.Spec.Verification != nil {
			requiring++
		}
		s := Sufficient(ind.Spec.Verification, m.cal, ind.Spec.Cadence, byLeaf[name], evidence, d.now)
		out.Sources += s.Sources
		out.VerifiedSources += s.VerifiedSources
		out.Next = Earliest(d.now, out.Next, s.Next)
		if !s.Sufficient {
			lacking = append(lacking, lack{name, s})
			for _, mm := range s.MissingMethods {
				missing[mm] = true
			}
		}
	}
	out.MissingMethods = sortedMethods(missing)
	switch {
	case len(lacking) > 0:
		first := lacking[0]
		out.Reason = first.verdict.Reason
		out.Message = fmt.Sprintf("Input %q lacks the required verification: %s", first.reporter, first.verdict.Message)
		if len(names) > 1 {
			out.Message = fmt.Sprintf("%d of %d inputs lack the required verification (%s: %s)", len(lacking), len(names), first.reporter, first.verdict.Message)
		}
	case requiring == 0:
		out.Sufficient, out.Reason, out.Message = true, v1alpha1.ReasonEvidenceComplete, "No input requires verification"
	default:
		out.Sufficient, out.Reason = true, v1alpha1.ReasonEvidenceComplete
		out.Message = fmt.Sprintf("The counted measurements of every input have the required verification (%d source(s))", out.Sources)
	}
	return out
}

// evidenceMissing is the EvidenceMissing condition over the Measurements
// behind the current value; it also fills status.evidence.
func (d *derivation) evidenceMissing(cur *Current, evidence map[string]*v1alpha1.Evidence, st *v1alpha1.IndicatorStatus) (Cond, time.Time) {
	const t = v1alpha1.ConditionEvidenceMissing
	st.Evidence = nil
	if cur == nil {
		return condUnknown(t, v1alpha1.ReasonNoData, ""), time.Time{}
	}
	s := d.verification(cur.Counted, evidence)
	st.Evidence = &v1alpha1.EvidenceSummary{Sources: int32(s.Sources), VerifiedSources: int32(s.VerifiedSources), MissingMethods: s.MissingMethods}
	if s.Sufficient {
		return condFalse(t, s.Reason, s.Message), s.Next
	}
	return condTrue(t, s.Reason, s.Message), s.Next
}

// verifyHistory sets each history entry's verified from the inputs'
// verification of its period.
func (d *derivation) verifyHistory(history []v1alpha1.HistoryEntry, s *series, evidence map[string]*v1alpha1.Evidence) {
	byName := map[string]*figure{}
	for p, f := range s.values {
		byName[p.String()] = f
	}
	for i := range history {
		if f, ok := byName[string(history[i].Period)]; ok && !history[i].Baseline {
			history[i].Verified = d.verification(distinct(f.behind), evidence).Sufficient
		}
	}
}

// overdue is what is due of an indicator's inputs: the due periods, those
// lacking counted data with the measured indicators that lack it, and when
// the next period falls due.
type overdue struct {
	due     map[Period]bool
	missing map[Period][]string
	next    time.Time
}

// overdueOf computes the overdue periods of a measured indicator by its own
// window and grace, and those of a derived one as its inputs', within its
// own reportingStart and reportingEnd.
func (d *derivation) overdueOf(name string) overdue {
	if o, ok := d.overdueMemo[name]; ok {
		return o
	}
	o := overdue{due: map[Period]bool{}, missing: map[Period][]string{}}
	r, m := d.seen[name], d.model(name)
	if r.ind.Spec.Derived == nil {
		d.measuredOverdue(name, &o)
	} else {
		win, _ := reportingWindow(m.spec, m.cal, m.goal, r.ind.CreationTimestamp.Time, d.periodData(d.seriesOf(name)))
		for _, sel := range r.ind.Spec.Derived.Inputs {
			if in := d.seen[sel.Name]; in == nil || in.ind == nil {
				continue
			}
			io := d.overdueOf(sel.Name)
			o.next = Earliest(d.now, o.next, io.next)
			for p := range io.due {
				if win.holds(p) {
					o.due[p] = true
				}
			}
			for p, leaves := range io.missing {
				if win.holds(p) {
					o.missing[p] = appendNew(o.missing[p], leaves...)
				}
			}
		}
	}
	d.overdueMemo[name] = o
	return o
}

func (d *derivation) measuredOverdue(name string, o *overdue) {
	ind, m := d.seen[name].ind, d.model(name)
	periods := d.periodsOf(name)
	win, _ := reportingWindow(&ind.Spec, m.cal, m.goal, ind.CreationTimestamp.Time, periods)
	if win == nil {
		return
	}
	due, next := win.duePeriods(m.cal, d.now)
	if ind.Spec.Aggregation == v1alpha1.AggregationLatest && len(due) > 1 {
		due = due[len(due)-1:]
	}
	o.next = next
	reported := map[Period]bool{}
	for _, pd := range periods {
		reported[pd.Period] = true
	}
	for _, p := range due {
		o.due[p] = true
		if !reported[p] {
			o.missing[p] = []string{name}
		}
	}
}

// holds reports whether p lies in the window (a nil window holds every
// period).
func (w *Window) holds(p Period) bool {
	return w == nil || (p.Compare(w.Start) >= 0 && (w.End == nil || p.Compare(*w.End) <= 0))
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if !contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// cond is the DataOverdue condition of a derived indicator; notes say
// which reported periods have no value.
func (o overdue) cond(notes string) Cond {
	const t = v1alpha1.ConditionDataOverdue
	due := sortedPeriods(o.due)
	if len(due) == 0 {
		return condFalse(t, v1alpha1.ReasonNothingDue, "No period of its inputs is due yet"+notes)
	}
	var missing, leaves []string
	for _, p := range sortedPeriods(keys(o.missing)) {
		missing = append(missing, p.String())
		leaves = appendNew(leaves, o.missing[p]...)
	}
	if len(missing) == 0 {
		return condFalse(t, v1alpha1.ReasonReportedOnTime, duePeriodsText(due[0], due[len(due)-1], " of its inputs")+" has counted data"+notes)
	}
	return condTrue(t, v1alpha1.ReasonPeriodNotReported, fmt.Sprintf("No counted data for %s from input(s) %s (each input's data is due by its own reportingGraceDays)",
		listPeriods(missing), sortedNames(leaves))+notes)
}

func keys[V any](m map[Period]V) map[Period]bool {
	out := make(map[Period]bool, len(m))
	for p := range m {
		out[p] = true
	}
	return out
}

func sortedPeriods(set map[Period]bool) []Period {
	out := make([]Period, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Compare(out[j]) < 0 })
	return out
}

// maxNotes bounds the periods without a value a message names.
const maxNotes = 3

// noteText says, newest first, which periods every input reported but
// have no value, and why: "; 2026-Q3 has no value: the denominator, input
// "b", is 0".
func noteText(s *series) string {
	ps := make([]Period, 0, len(s.notes))
	for p := range s.notes {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Compare(ps[j]) > 0 })
	var b strings.Builder
	for i, p := range ps {
		if i == maxNotes {
			fmt.Fprintf(&b, "; %d earlier reported period(s) have no value either", len(ps)-maxNotes)
			break
		}
		fmt.Fprintf(&b, "; %s has no value: %s", p, s.notes[p])
	}
	return b.String()
}

// noValueYet is the message of the conditions that are Unknown NoData.
func noValueYet(s *series, problems []InputProblem) string {
	const msg = "No period has a value yet: a period has one when every input has one for it"
	if text := problemText(problems, v1alpha1.ReasonInputNotFound); text != "" {
		return msg + "; " + text
	}
	if text := noteText(s); text != "" {
		return msg + text
	}
	return msg
}

// problemText joins the messages of the problems with the reason, up to
// 5, then "and N more".
func problemText(problems []InputProblem, reason string) string {
	var msgs []string
	for _, p := range problems {
		if p.Reason == reason && !contains(msgs, p.Message) {
			msgs = append(msgs, p.Message)
		}
	}
	if len(msgs) > 5 {
		return fmt.Sprintf("%s; and %d more", strings.Join(msgs[:5], "; "), len(msgs)-5)
	}
	return strings.Join(msgs, "; ")
}
