// Package report builds a coordination body's scorecard from evaluated
// Concord objects (offline, or as read from a cluster) and renders it as
// Markdown, CSV or a self-contained HTML page with inline SVG charts.
//
// The model holds only what the spec and status of the objects say; it
// computes no verdict of its own. Breakdown tables sum the counted
// Measurements' cells. Disclosure control (the indicator's
// disclosure.minCellSize, decided by internal/disclosure) applies while
// the model is built: a withheld figure never reaches the model, which
// holds what is published instead ("<5", "suppressed"). Text from the
// objects reaches the model folded to one line and with its control
// characters and bidirectional overrides escaped (internal/textsafe).
package report

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/textsafe"
)

// DefaultTitle is the report's title when neither Options.Title nor a
// single ActionPlan names it.
const DefaultTitle = "Concord indicator report"

// Options describe the report itself.
type Options struct {
	// Title of the report; empty: the title of the only ActionPlan, else
	// DefaultTitle.
	Title string
	// Generated is when the report was made.
	Generated time.Time
	// At is the instant the objects were evaluated offline; zero when their
	// status was read from a cluster.
	At time.Time
	// Source says where the objects come from, for people ("manifests:
	// examples/national-plan", "cluster: all namespaces").
	Source string
	// Notes are shown under the title (such as kinds that could not be read).
	Notes []string
	// MeasurementsUnread is true when the Measurements could not be read:
	// no reporter's figure is known, so there are no reporting tables.
	MeasurementsUnread bool
	// Locale writes the numbers, dates and periods of the Markdown and
	// HTML renderings (the zero Locale is English); CSV keeps the values
	// as the status holds them.
	Locale Locale
}

// Report is a scorecard of indicators per area, of cooperation mechanisms
// and of action plans.
type Report struct {
	Title     string
	Generated time.Time
	At        time.Time
	Source    string
	Notes     []string
	Locale    Locale
	// Summary has one row per area that has indicators, in the order of
	// the areas of the API (Prevention, Protection, Prosecution,
	// Partnership, then any other), and Total sums them.
	Summary []Summary
	Total   Summary
	// Areas hold the indicators of each area, in the order of Summary.
	Areas      []Area
	Mechanisms []Mechanism
	Plans      []Plan
}

// Summary counts the indicators of one area. Met, OnTrack, NotMet, NoData
// and NoTarget split the indicators by State; MetOrOnTrack, EvidenceMissing
// and Overdue count conditions, as an ActionPlan's scorecard does.
type Summary struct {
	Area            string
	Indicators      int
	Met             int
	OnTrack         int // on track but not met yet
	NotMet          int
	NoData          int
	NoTarget        int
	MetOrOnTrack    int
	EvidenceMissing int
	Overdue         int
}

// Area is the section of one area.
type Area struct {
	Name       string
	Summary    Summary
	Indicators []*Indicator
}

// State places an indicator in one of the scorecard's columns.
type State string

// States, from TargetMet and OnTrack.
const (
	// StateMet: TargetMet is True.
	StateMet State = "Met"
	// StateOnTrack: TargetMet is not True, OnTrack is True.
	StateOnTrack State = "OnTrack"
	// StateNotMet: TargetMet is False and OnTrack is not True.
	StateNotMet State = "NotMet"
	// StateNoData: TargetMet is Unknown (no counted data, or not evaluated).
	StateNoData State = "NoData"
	// StateNoTarget: TargetMet is Unknown because the indicator sets no target.
	StateNoTarget State = "NoTarget"
)

// Label is the state as people read it.
func (s State) Label() string {
	switch s {
	case StateMet:
		return "met"
	case StateOnTrack:
		return "on track"
	case StateNotMet:
		return "not met"
	case StateNoTarget:
		return "no target"
	}
	return "no data"
}

// Condition is one status condition of an object; Status is empty when the
// object does not carry it (its status was never computed).
type Condition struct {
	Status  string
	Reason  string
	Message string
}

// True reports whether the condition is True.
func (c Condition) True() bool { return c.Status == string(metav1.ConditionTrue) }

// False reports whether the condition is False.
func (c Condition) False() bool { return c.Status == string(metav1.ConditionFalse) }

// StatusOrUnknown is the status, "Unknown" when the condition is absent.
func (c Condition) StatusOrUnknown() string {
	if c.Status == "" {
		return string(metav1.ConditionUnknown)
	}
	return c.Status
}

// Indicator is one indicator's row of the scorecard.
type Indicator struct {
	Namespace string
	Name      string
	Area      string
	Title     string
	// DisplayName is the annotation concord.dev/display-name: a shorter
	// name for the report's headings; empty without one.
	DisplayName string
	// NamespaceName and MechanismName name the namespace and the
	// mechanism for people (their display names, else their names in
	// words).
	NamespaceName string
	MechanismName string
	// Names are the display names of the dimensions and categories
	// (annotation concord.dev/display-names).
	Names       names
	Unit        string
	MeasureType string
	Levels      []string
	Cadence     string
	Aggregation string
	Mechanism   string // mechanismRef name, same namespace
	// FromMechanism is the mechanism condition the values come from
	// (measure.fromMechanism), "" for reported indicators.
	FromMechanism string
	Suspended     bool

	BaselinePeriod string
	BaselineValue  string // "<5" when BaselineSuppressed
	TargetOperator string
	TargetValue    string // spec.target.value
	TargetDeadline string
	AbsoluteTarget string // status.targetValue
	Milestones     []Milestone

	CurrentPeriod string
	// CurrentValue is status.current.value, or "<5" (for minCellSize 5)
	// when disclosure control withholds it (CurrentSuppressed).
	CurrentValue        string
	CurrentSuppressed   bool
	Provisional         bool
	CurrentMeasurements int32
	CurrentReporters    int32
	// Progress is empty when it would give a withheld value away.
	Progress string

	// MinCellSize is disclosure.minCellSize (0: none). With it, figures
	// below it are published as "<5" (BaselineValue, CurrentValue,
	// History, Trend), figures that would give them away are withheld:
	// the progress, the TargetMet and OnTrack messages (WithheldMessage),
	// the absolute value of a target relative to a withheld baseline
	// (TargetWithheld).
	MinCellSize        int32
	BaselineSuppressed bool
	TargetWithheld     bool

	Ready           Condition
	TargetMet       Condition
	OnTrack         Condition
	EvidenceMissing Condition
	DataOverdue     Condition
	// Anomalous's message is WithheldMessage when it would give away a
	// figure disclosure control withholds.
	Anomalous Condition
	State     State

	Sources         int32
	VerifiedSources int32
	MissingMethods  []string

	// History is status.history as it is: newest first, 12 periods at
	// most, unreported periods with an empty Value.
	History []HistoryEntry
	// Trend is the part of History worth drawing, oldest first: from the
	// baseline period or the first reported period, whichever is earlier,
	// to the newest period. For a Cumulative indicator its values are
	// running totals (TrendKind).
	Trend     []HistoryEntry
	TrendKind TrendKind

	Breakdown *Breakdown
	// Reporting is the expected reporters' record over the history; nil
	// without spec.reporting.expectedReporters or a due period.
	Reporting *Reporting
}

// HistoryEntry is one period of an indicator's history.
type HistoryEntry struct {
	Period string
	// Value is empty for an unreported period; "<5" (for minCellSize 5)
	// or SuppressedWord when disclosure control withholds it (Suppressed).
	Value      string
	Suppressed bool
	Verified   bool
	// Open is true when the period had not closed when the report was made.
	Open bool
	// Baseline is true on the baseline period's entry. Status gives it the
	// baseline's value (status.history[].baseline); the report leaves it
	// empty, since it shows the baseline apart (its column, the chart's
	// baseline line) and a Cumulative indicator's terms do not include it.
	Baseline bool
}

// Milestone is an intermediate target.
type Milestone struct {
	Period string
	Value  string
}

// TrendKind says what the values of a trend are.
type TrendKind string

// Trend kinds.
const (
	// TrendValues: the periods' values, comparable with the target.
	TrendValues TrendKind = ""
	// TrendRunningTotal: running totals of a Cumulative indicator's
	// periods, ending at its current value.
	TrendRunningTotal TrendKind = "RunningTotal"
	// TrendPerPeriod: a Cumulative indicator's per-period values, whose
	// running totals could not be rebuilt from the history (it starts
	// after reportingStart, or the measure is a Ratio); the target and
	// baseline apply to the cumulative value, not to these.
	TrendPerPeriod TrendKind = "PerPeriod"
)

// asOf is the instant the report's status holds: when the objects were
// evaluated offline, else when the report was made.
func (r *Report) asOf() time.Time {
	if !r.At.IsZero() {
		return r.At
	}
	return r.Generated
}

// ID is a stable fragment identifier for the indicator.
func (i *Indicator) ID() string { return "ind-" + i.Namespace + "-" + i.Name }

// Heading names the indicator: its display name, else its title, else its
// name.
func (i *Indicator) Heading() string {
	switch {
	case i.DisplayName != "":
		return i.DisplayName
	case i.Title != "":
		return i.Title
	}
	return nameFromID(i.Name)
}

// HasHistory reports whether any period of the history has a value.
func (i *Indicator) HasHistory() bool {
	for _, h := range i.History {
		if h.Value != "" {
			return true
		}
	}
	return false
}

// showLevel appends the name of a Level value's position: "2 (Medium)".
func showLevel(levels []string, v string) string {
	for pos, name := range levels {
		if v == strconv.Itoa(pos) {
			return v + " (" + name + ")"
		}
	}
	return v
}

// Mechanism is one cooperation mechanism's section.
type Mechanism struct {
	Namespace string
	Name      string
	// Title is its display name, else its name in words.
	Title         string
	NamespaceName string
	Type          string
	Level         string
	Mandate       string
	Members       int
	Suspended     bool

	// RequiredSectors are spec.requiredSectors; MissingSectors those
	// without a member.
	RequiredSectors []string
	MissingSectors  []string
	// Unassigned are the members without a role or a responsibility.
	Unassigned []string
	// Instrument is the instrument that formalizes it (the first whose
	// Evidence is Verified and not Expired); nil when none does or the
	// Evidence could not be read.
	Instrument *v1alpha1.Instrument
	// MaxIntervalDays is spec.meetings.maxIntervalDays, 0 without
	// meetings; LastMeeting is the collection time of the newest
	// Verified minutes, zero when there are none or the Evidence could
	// not be read.
	MaxIntervalDays int32
	LastMeeting     time.Time

	Ready              Condition
	Formalized         Condition
	RolesDefined       Condition
	SectorsRepresented Condition
	MeetingsRegular    Condition
	IndicatorsOnTrack  Condition

	// Counts is status.indicators; nil when the status has none.
	Counts *v1alpha1.IndicatorCounts
	// Indicators are those of the report whose mechanismRef names it.
	Indicators []*Indicator
}

// ID is a stable fragment identifier for the mechanism.
func (m *Mechanism) ID() string { return "mech-" + m.Namespace + "-" + m.Name }

// Plan is one action plan's scorecard.
type Plan struct {
	Namespace string
	Name      string
	Title     string
	Start     string
	End       string
	Threshold int32
	Suspended bool
	Ready     Condition
	OnTrack   Condition
	// Scorecard is status.scorecard; nil when the status has none.
	Scorecard *v1alpha1.Scorecard
}

// ID is a stable fragment identifier for the plan.
func (p *Plan) ID() string { return "plan-" + p.Namespace + "-" + p.Name }

// areaOrder is the order of the areas of the API.
var areaOrder = []v1alpha1.Area{
	v1alpha1.AreaPrevention, v1alpha1.AreaProtection, v1alpha1.AreaProsecution, v1alpha1.AreaPartnership,
}

// Build makes the report of evaluated objects: Indicators, Measurements,
// CooperationMechanisms and ActionPlans (pointers to the typed objects of
// api/v1alpha1; anything else is ignored). Objects are ordered by
// namespace and name, so the same objects make the same report whatever
// order they come in.
func Build(objs []client.Object, o Options) *Report {
	var inds []*v1alpha1.Indicator
	var meas []*v1alpha1.Measurement
	var mechs []*v1alpha1.CooperationMechanism
	var plans []*v1alpha1.ActionPlan
	var evidence []*v1alpha1.Evidence
	nsNames := map[string]string{}
	for _, obj := range objs {
		switch t := obj.(type) {
		case *corev1.Namespace:
			if n := displayName(t.Annotations); n != "" {
				nsNames[t.Name] = n
			}
		case *v1alpha1.Evidence:
			evidence = append(evidence, t)
		case *v1alpha1.Indicator:
			inds = append(inds, t)
		case *v1alpha1.Measurement:
			meas = append(meas, t)
		case *v1alpha1.CooperationMechanism:
			mechs = append(mechs, t)
		case *v1alpha1.ActionPlan:
			plans = append(plans, t)
		}
	}
	sortObjects(inds)
	sortObjects(mechs)
	sortObjects(plans)

	now := o.At
	if now.IsZero() {
		now = o.Generated
	}
	r := &Report{Title: safe(o.Title), Generated: o.Generated, At: o.At, Source: safe(o.Source), Locale: o.Locale}
	for _, n := range o.Notes {
		r.Notes = append(r.Notes, safe(n))
	}
	if r.Title == "" {
		r.Title = DefaultTitle
		if len(plans) == 1 && plans[0].Spec.Title != "" {
			r.Title = safe(plans[0].Spec.Title)
		}
	}

	nsName := func(ns string) string {
		if n, ok := nsNames[ns]; ok {
			return n
		}
		return nameFromID(safe(ns))
	}
	mechNames := map[string]string{}
	for _, m := range mechs {
		mechNames[m.Namespace+"/"+m.Name] = mechanismName(m)
	}
	byArea := map[string][]*Indicator{}
	byMechanism := map[string][]*Indicator{}
	for _, ind := range inds {
		row := indicatorRow(ind, meas, now)
		if o.MeasurementsUnread {
			row.Reporting = nil
		}
		row.NamespaceName = nsName(ind.Namespace)
		if ref := ind.Spec.MechanismRef; ref != nil {
			row.MechanismName = mechNames[ind.Namespace+"/"+ref.Name]
			if row.MechanismName == "" {
				row.MechanismName = nameFromID(row.Mechanism)
			}
		}
		var err error
		if row.Names, err = displayNames(ind.Annotations); err != nil {
			r.Notes = append(r.Notes, safe(fmt.Sprintf("Indicator %s/%s: %v", ind.Namespace, ind.Name, err)))
		}
		applyNames(row)
		byArea[row.Area] = append(byArea[row.Area], row)
		if row.Mechanism != "" {
			k := row.Namespace + "/" + row.Mechanism
			byMechanism[k] = append(byMechanism[k], row)
		}
	}
	r.Total.Area = "Total"
	for _, name := range areaNames(byArea) {
		a := Area{Name: name, Indicators: byArea[name], Summary: summarize(name, byArea[name])}
		r.Areas = append(r.Areas, a)
		r.Summary = append(r.Summary, a.Summary)
		r.Total.add(a.Summary)
	}
	for _, m := range mechs {
		sec := mechanismSection(m, byMechanism[safe(m.Namespace)+"/"+safe(m.Name)], evidence, now)
		sec.NamespaceName = nsName(m.Namespace)
		r.Mechanisms = append(r.Mechanisms, sec)
	}
	for _, p := range plans {
		r.Plans = append(r.Plans, planSection(p))
	}
	return r
}

func sortObjects[T client.Object](objs []T) {
	sort.SliceStable(objs, func(i, j int) bool {
		if a, b := objs[i].GetNamespace(), objs[j].GetNamespace(); a != b {
			return a < b
		}
		return objs[i].GetName() < objs[j].GetName()
	})
}

// areaNames orders the areas present: the API's first, then others by name.
func areaNames(byArea map[string][]*Indicator) []string {
	var out []string
	known := map[string]bool{}
	for _, a := range areaOrder {
		known[string(a)] = true
		if len(byArea[string(a)]) > 0 {
			out = append(out, string(a))
		}
	}
	var other []string
	for a := range byArea {
		if !known[a] {
			other = append(other, a)
		}
	}
	sort.Strings(other)
	return append(out, other...)
}

func summarize(area string, rows []*Indicator) Summary {
	s := Summary{Area: area}
	for _, i := range rows {
		s.Indicators++
		switch i.State {
		case StateMet:
			s.Met++
		case StateOnTrack:
			s.OnTrack++
		case StateNotMet:
			s.NotMet++
		case StateNoTarget:
			s.NoTarget++
		default:
			s.NoData++
		}
		if i.TargetMet.True() || i.OnTrack.True() {
			s.MetOrOnTrack++
		}
		if i.EvidenceMissing.True() {
			s.EvidenceMissing++
		}
		if i.DataOverdue.True() {
			s.Overdue++
		}
	}
	return s
}

func (s *Summary) add(o Summary) {
	s.Indicators += o.Indicators
	s.Met += o.Met
	s.OnTrack += o.OnTrack
	s.NotMet += o.NotMet
	s.NoData += o.NoData
	s.NoTarget += o.NoTarget
	s.MetOrOnTrack += o.MetOrOnTrack
	s.EvidenceMissing += o.EvidenceMissing
	s.Overdue += o.Overdue
}

func condition(conds []metav1.Condition, t string) Condition {
	c := meta.FindStatusCondition(conds, t)
	if c == nil {
		return Condition{}
	}
	return Condition{Status: safe(string(c.Status)), Reason: safe(c.Reason), Message: safe(c.Message)}
}

func indicatorRow(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement, now time.Time) *Indicator {
	spec, st := &ind.Spec, &ind.Status
	row := &Indicator{
		Namespace: safe(ind.Namespace), Name: safe(ind.Name), Area: safe(string(spec.Area)), Title: safe(spec.Title),
		DisplayName: displayName(ind.Annotations),
		Unit:        safe(spec.Measure.Unit), MeasureType: safe(string(spec.Measure.Type)), Levels: safeAll(spec.Measure.Levels),
		Cadence: safe(string(spec.Cadence)), Aggregation: safe(string(spec.Aggregation)), Suspended: spec.Suspend,
		AbsoluteTarget: safe(st.TargetValue), Progress: safe(st.Progress),
		Ready:           condition(st.Conditions, v1alpha1.ConditionReady),
		TargetMet:       condition(st.Conditions, v1alpha1.ConditionTargetMet),
		OnTrack:         condition(st.Conditions, v1alpha1.ConditionOnTrack),
		EvidenceMissing: condition(st.Conditions, v1alpha1.ConditionEvidenceMissing),
		DataOverdue:     condition(st.Conditions, v1alpha1.ConditionDataOverdue),
		Anomalous:       condition(st.Conditions, v1alpha1.ConditionAnomalous),
	}
	if row.Area == "" {
		row.Area = "Unspecified"
	}
	if spec.MechanismRef != nil {
		row.Mechanism = safe(spec.MechanismRef.Name)
	}
	if b := spec.Baseline; b != nil {
		row.BaselinePeriod, row.BaselineValue = safe(string(b.Period)), safe(string(b.Value))
	}
	if t := spec.Target; t != nil {
		row.TargetOperator, row.TargetValue, row.TargetDeadline = safe(string(t.Operator)), safe(string(t.Value)), safe(string(t.Deadline))
	}
	for _, m := range spec.Milestones {
		row.Milestones = append(row.Milestones, Milestone{Period: safe(string(m.Period)), Value: safe(string(m.Value))})
	}
	if c := st.Current; c != nil {
		row.CurrentPeriod, row.CurrentValue, row.Provisional = safe(string(c.Period)), safe(c.Value), c.Provisional
		row.CurrentMeasurements, row.CurrentReporters = c.Measurements, c.Reporters
	}
	row.FromMechanism = safe(string(spec.Measure.FromMechanism))
	if e := st.Evidence; e != nil {
		row.Sources, row.VerifiedSources = e.Sources, e.VerifiedSources
		for _, m := range e.MissingMethods {
			row.MissingMethods = append(row.MissingMethods, safe(string(m)))
		}
	}
	if d := spec.Disclosure; d != nil && d.MinCellSize > 0 {
		row.MinCellSize = d.MinCellSize
	}
	row.State = stateOf(row)
	cal := evaluate.CalendarOf(spec.Calendar)
	for _, h := range st.History {
		e := HistoryEntry{Period: safe(string(h.Period)), Value: safe(h.Value), Verified: h.Verified, Baseline: h.Baseline}
		if h.Baseline {
			e.Value, e.Verified = "", false
		}
		if p, err := evaluate.ParsePeriod(string(h.Period), spec.Cadence); err == nil {
			e.Open = now.Before(p.End(cal))
		}
		row.History = append(row.History, e)
	}
	row.Trend = trend(row.History, row.BaselinePeriod)
	if spec.Aggregation == v1alpha1.AggregationCumulative {
		row.Trend, row.TrendKind = runningTotals(row.Trend, row.CurrentPeriod, row.CurrentValue)
	}
	// The trend is made of the status's figures first (running totals are
	// their sums); disclosure control then replaces what it withholds.
	periodWithheld := discloseValues(row, spec)
	row.Breakdown = breakdownOf(ind, meas, periodWithheld)
	accepted := acceptedOf(ind, meas)
	discloseAnomaly(row, ind, accepted, now)
	row.Reporting = reportingTable(ind, accepted, now)
	return row
}

func stateOf(i *Indicator) State {
	switch {
	case i.TargetMet.True():
		return StateMet
	case i.OnTrack.True():
		return StateOnTrack
	case i.TargetMet.False():
		return StateNotMet
	case i.TargetMet.Reason == v1alpha1.ReasonTargetNotSet:
		return StateNoTarget
	}
	return StateNoData
}

// trend is the history oldest first, from the baseline period or the first
// reported period (the earlier of the two present) to the newest period.
func trend(history []HistoryEntry, baselinePeriod string) []HistoryEntry {
	start := -1
	for i, h := range history { // newest first: the last match is the oldest
		if h.Value != "" || (baselinePeriod != "" && h.Period == baselinePeriod) {
			start = i
		}
	}
	if start < 0 {
		return nil
	}
	out := make([]HistoryEntry, 0, start+1)
	for i := start; i >= 0; i-- {
		out = append(out, history[i])
	}
	return out
}

// runningTotals turns a Cumulative indicator's trend into running totals,
// if they end at its current value; otherwise the trend stays per period.
func runningTotals(t []HistoryEntry, currentPeriod, currentValue string) ([]HistoryEntry, TrendKind) {
	want, err := evaluate.ParseNumber(currentValue)
	if err != nil {
		return t, TrendPerPeriod
	}
	out := make([]HistoryEntry, len(t))
	sum := new(big.Rat)
	matched := false
	for k, h := range t {
		out[k] = h
		if h.Value != "" {
			v, err := evaluate.ParseNumber(h.Value)
			if err != nil {
				return t, TrendPerPeriod
			}
			sum.Add(sum, v)
			out[k].Value = evaluate.FormatValue(sum)
		}
		if h.Period == currentPeriod {
			matched = evaluate.FormatValue(sum) == evaluate.FormatValue(want)
		}
	}
	if !matched {
		return t, TrendPerPeriod
	}
	return out, TrendRunningTotal
}

func mechanismSection(m *v1alpha1.CooperationMechanism, inds []*Indicator, evidence []*v1alpha1.Evidence, now time.Time) Mechanism {
	c := m.Status.Conditions
	sec := Mechanism{
		Namespace: safe(m.Namespace), Name: safe(m.Name), Title: mechanismName(m), Type: safe(string(m.Spec.Type)), Level: safe(string(m.Spec.Level)),
		Mandate: safe(m.Spec.Mandate), Members: len(m.Spec.Members), Suspended: m.Spec.Suspend,
		Ready:              condition(c, v1alpha1.ConditionReady),
		Formalized:         condition(c, v1alpha1.ConditionFormalized),
		RolesDefined:       condition(c, v1alpha1.ConditionRolesDefined),
		SectorsRepresented: condition(c, v1alpha1.ConditionSectorsRepresented),
		MeetingsRegular:    condition(c, v1alpha1.ConditionMeetingsRegular),
		IndicatorsOnTrack:  condition(c, v1alpha1.ConditionIndicatorsOnTrack),
		Counts:             m.Status.Indicators,
		Indicators:         inds,
	}
	mechanismFacts(&sec, m, evidence, now)
	return sec
}

// mechanismName is a mechanism's display name, else its name in words.
func mechanismName(m *v1alpha1.CooperationMechanism) string {
	if n := displayName(m.Annotations); n != "" {
		return n
	}
	return nameFromID(safe(m.Name))
}

func planSection(p *v1alpha1.ActionPlan) Plan {
	th := int32(evaluate.DefaultOnTrackThreshold)
	if p.Spec.OnTrackThreshold != nil {
		th = *p.Spec.OnTrackThreshold
	}
	sc := p.Status.Scorecard.DeepCopy()
	if sc != nil {
		for k := range sc.Areas {
			sc.Areas[k].Area = v1alpha1.Area(safe(string(sc.Areas[k].Area)))
		}
		for k := range sc.MechanismTypes {
			sc.MechanismTypes[k].Type = v1alpha1.MechanismType(safe(string(sc.MechanismTypes[k].Type)))
		}
	}
	return Plan{
		Namespace: safe(p.Namespace), Name: safe(p.Name), Title: safe(p.Spec.Title), Start: safe(string(p.Spec.Start)), End: safe(string(p.Spec.End)),
		Threshold: th, Suspended: p.Spec.Suspend,
		Ready:     condition(p.Status.Conditions, v1alpha1.ConditionReady),
		OnTrack:   condition(p.Status.Conditions, v1alpha1.ConditionOnTrack),
		Scorecard: sc,
	}
}

// oneLine folds whitespace, so free text stays on one table row.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// safe is text from the objects as every output may carry it: on one line,
// with control characters, bidirectional overrides and invalid UTF-8
// written as visible escapes (\x1b, \u202e), so that a terminal or a
// browser shows what the text holds rather than obeying it.
func safe(s string) string { return textsafe.Escape(oneLine(s)) }

func safeAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for k, s := range list {
		out[k] = safe(s)
	}
	return out
}
