package report

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// prose writes the report's words for people: numbers, dates and periods
// in the report's locale, names instead of identifiers, and sentences
// without empty or repeated parts (a single period reads "in 2026", not
// "from 2026 to 2026"). The Markdown and HTML renderers share it.
type prose struct{ l Locale }

// Figure is a figure as shown. A count with decimals is shown whole
// (Text) with its exact value kept (Exact, empty when Text is exact).
type Figure struct {
	Text  string
	Exact string
	// Unit follows the figure ("persons"); empty for measures whose
	// values say what they are (Boolean, Level, Percentage).
	Unit string
}

// String is the figure with its unit and, when it was rounded, its exact
// value: "58 persons (exactly 57.6)".
func (f Figure) String() string {
	s := f.Short()
	if f.Exact != "" {
		s += " (exactly " + f.Exact + ")"
	}
	return s
}

// Short is the figure with its unit: "58 persons", "1 person".
func (f Figure) Short() string {
	switch {
	case f.Unit == "" || f.Text == "":
		return f.Text
	case f.Text == "1":
		return f.Text + " " + singular(f.Unit)
	}
	return f.Text + " " + f.Unit
}

// singular is a one-word unit in the singular, for a figure of 1:
// "persons" is "person". Units of several words ("duplicated efforts",
// "NGOs per 100000 persons") and words that do not end in a plain -s stay
// as they are.
func singular(unit string) string {
	if strings.ContainsAny(unit, " ") || !strings.HasSuffix(unit, "s") || strings.HasSuffix(unit, "ss") ||
		strings.HasSuffix(unit, "us") || strings.HasSuffix(unit, "is") || len(unit) < 3 {
		return unit
	}
	return strings.TrimSuffix(unit, "s")
}

// plural counts things: "1 indicator", "1,020 indicators".
func (p prose) plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return p.l.Number(fmt.Sprint(n)) + " " + many
}

// words counts things in a sentence, small counts in words: "five
// sectors".
func (p prose) words(n int, one, many string) string {
	if n == 1 {
		return p.l.Small(1) + " " + one
	}
	return p.l.Small(n) + " " + many
}

// period is a period for people: "Q3 2026".
func (p prose) period(s string) string { return p.l.Period(s) }

// span is a range of periods: "from Q1 2026 to Q3 2026", or "in 2026"
// when it is one period.
func (p prose) span(from, to string) string {
	if from == to || to == "" {
		return "in " + p.period(from)
	}
	return "from " + p.period(from) + " to " + p.period(to)
}

// figure is a value of the indicator for people, with its unit. Counts
// are whole, rounded as how says; Booleans read "in place" or "not in
// place", Levels by their names, percentages with %.
func (p prose) figure(i *Indicator, v string, how Rounding) Figure {
	switch {
	case v == "":
		return Figure{}
	case v == SuppressedWord:
		return Figure{Text: v}
	}
	var f Figure
	mt := v1alpha1.MeasureType(i.MeasureType)
	switch {
	case strings.HasPrefix(v, "<"): // withheld: "<5"
		f.Text = "<" + p.l.Number(v[1:])
	case mt == v1alpha1.MeasureBoolean:
		return Figure{Text: booleanWord(v)}
	case mt == v1alpha1.MeasureLevel:
		return Figure{Text: levelName(i.Levels, v)}
	case mt == v1alpha1.MeasurePercentage:
		return Figure{Text: p.l.Percent(v)}
	case mt == v1alpha1.MeasureCount:
		whole, exact := Whole(v, how)
		f.Text = p.l.Number(whole)
		if !exact {
			f.Exact = p.l.Number(v)
		}
	default:
		f.Text = p.l.Number(v)
	}
	f.Unit = i.Unit
	return f
}

// value is a value of the indicator with its unit: "1,020,000 USD".
func (p prose) value(i *Indicator, v string) string { return p.figure(i, v, Nearest).Short() }

// bare is a value without its unit, for tables whose header names it.
func (p prose) bare(i *Indicator, v string) string { return p.figure(i, v, Nearest).Text }

func booleanWord(v string) string {
	switch v {
	case "true":
		return "in place"
	case "false":
		return "not in place"
	}
	return v
}

// levelName names a Level value: "2" of [None, Low, Medium] is "Medium".
func levelName(levels []string, v string) string {
	for pos, name := range levels {
		if v == fmt.Sprint(pos) {
			return name
		}
	}
	return v
}

// baseline is "48 persons in Q4 2025", "not in place in 2024", "–".
func (p prose) baseline(i *Indicator) string {
	if i.BaselineValue == "" {
		return "–"
	}
	return capitalize(p.value(i, i.BaselineValue) + " in " + p.period(i.BaselinePeriod))
}

// current is "61 persons in Q3 2026 (provisional)", "no data".
func (p prose) current(i *Indicator) string {
	if i.CurrentValue == "" {
		return "No data"
	}
	s := p.value(i, i.CurrentValue) + " in " + p.period(i.CurrentPeriod)
	if i.Provisional {
		s += " (provisional)"
	}
	return capitalize(s)
}

// reports says where the current value comes from: "from 2 reports by 2
// reporters"; empty for values computed from a mechanism or inputs.
func (p prose) reports(i *Indicator) string {
	switch {
	case i.CurrentValue == "" || i.CurrentMeasurements == 0:
		return ""
	case i.CurrentMeasurements == 1:
		return "from one report"
	}
	return "from " + p.plural(int(i.CurrentMeasurements), "report", "reports") + " by " + p.plural(int(i.CurrentReporters), "reporter", "reporters")
}

// Target is an indicator's target for people: Lead ("At least", "+20%
// of the baseline"), the figure it means (in parentheses after a
// relative rule; "In place" for a Boolean), and the deadline.
type Target struct {
	Lead     string
	Figure   Figure
	Paren    bool
	Deadline string
}

// Open is what comes before the figure: "At least ", "+20% of the
// baseline (".
func (t Target) Open() string {
	switch {
	case t.Lead == "":
		return ""
	case t.Paren:
		return t.Lead + " ("
	}
	return t.Lead + " "
}

// Close is what comes after it: ") by Q4 2027".
func (t Target) Close() string {
	s := ""
	if t.Paren {
		s = ")"
	}
	if t.Deadline != "" {
		s += " by " + t.Deadline
	}
	return s
}

// String is the target in one line: "+20% of the baseline (58 persons,
// exactly 57.6) by Q4 2027"; "none" without a target.
func (t Target) String() string {
	if t.Lead == "" && t.Figure.Text == "" {
		return "none"
	}
	f := t.Figure.Short()
	if t.Figure.Exact != "" && t.Paren {
		f += ", exactly " + t.Figure.Exact
	} else if t.Figure.Exact != "" {
		f += " (exactly " + t.Figure.Exact + ")"
	}
	return strings.TrimSpace(t.Open() + f + t.Close())
}

// target reads the target. A count target with decimals is rounded the
// way that keeps its meaning: up for a target to reach or exceed (at
// least 57.6 persons is met by 58), down for one not to exceed.
func (p prose) target(i *Indicator) Target {
	op := v1alpha1.TargetOperator(i.TargetOperator)
	var t Target
	if op == "" {
		return t
	}
	if i.TargetDeadline != "" {
		t.Deadline = p.period(i.TargetDeadline)
	}
	signed := func(sign string) string { return sign + p.l.Number(i.TargetValue) }
	switch op {
	case v1alpha1.OperatorEquals:
		t.Figure = p.figure(i, i.TargetValue, Nearest)
		if mt := v1alpha1.MeasureType(i.MeasureType); mt != v1alpha1.MeasureBoolean && mt != v1alpha1.MeasureLevel {
			t.Lead = "Exactly"
		}
		t.Figure.Text = capitalize(t.Figure.Text)
		return t
	case v1alpha1.OperatorAtLeast:
		t.Lead, t.Figure = "At least", p.figure(i, i.TargetValue, Up)
		return t
	case v1alpha1.OperatorAtMost:
		t.Lead, t.Figure = "At most", p.figure(i, i.TargetValue, Down)
		return t
	case v1alpha1.OperatorIncreaseByPercent:
		t.Lead = p.l.Percent(signed("+")) + " of the baseline"
	case v1alpha1.OperatorDecreaseByPercent:
		t.Lead = p.l.Percent(signed("−")) + " of the baseline"
	case v1alpha1.OperatorIncreaseByPoints:
		t.Lead = signed("+") + " points"
	case v1alpha1.OperatorDecreaseByPoints:
		t.Lead = signed("−") + " points"
	default:
		t.Lead = Label(i.TargetOperator) + " " + p.l.Number(i.TargetValue)
	}
	how := Up
	if op == v1alpha1.OperatorDecreaseByPercent || op == v1alpha1.OperatorDecreaseByPoints {
		how = Down
	}
	switch {
	case i.TargetWithheld:
		t.Paren, t.Figure = true, Figure{Text: "its value is withheld"}
	case i.AbsoluteTarget != "":
		t.Paren, t.Figure = true, p.figure(i, i.AbsoluteTarget, how)
	}
	return t
}

// exactNote says which figure of the indicator is shown rounded: "The
// target is 58 persons, rounded up from exactly 57.6: counts are shown as
// whole numbers."
func (p prose) exactNote(i *Indicator) string {
	t := p.target(i)
	if t.Figure.Exact == "" {
		return ""
	}
	how := "rounded up"
	switch v1alpha1.TargetOperator(i.TargetOperator) {
	case v1alpha1.OperatorAtMost, v1alpha1.OperatorDecreaseByPercent, v1alpha1.OperatorDecreaseByPoints:
		how = "rounded down"
	case v1alpha1.OperatorEquals:
		how = "rounded"
	}
	return fmt.Sprintf("The target is %s, %s from exactly %s: counts are shown as whole numbers.", t.Figure.Short(), how, t.Figure.Exact)
}

// progress is "47.5%", "–".
func (p prose) progress(i *Indicator) string {
	if i.Progress == "" {
		return "–"
	}
	return p.l.Percent(i.Progress)
}

// trend lists the trend's values oldest first; "–" is a period without a
// value, and the open period is left out while it has none. A Boolean
// indicator's trend is its status.
func (p prose) trend(i *Indicator) string {
	if i.MeasureType == string(v1alpha1.MeasureBoolean) {
		return p.status(i)
	}
	var parts []string
	for k, h := range i.Trend {
		switch {
		case len(parts) == 0 && h.Value == "":
		case h.Value != "":
			parts = append(parts, p.bare(i, h.Value))
		case k == len(i.Trend)-1 && h.Open:
		default:
			parts = append(parts, "–")
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " → ")
}

// status is a Boolean indicator's state in a line: "In place since
// 2025", "Not in place", "Not in place since Q2 2026". "Since" names the
// first period of the current run of the record (the history, and the
// baseline when it is the period just before); a run of one period with
// nothing known before it is "In place in 2026".
func (p prose) status(i *Indicator) string {
	if i.CurrentValue == "" {
		return "No data yet"
	}
	at := -1
	for k, h := range i.History {
		if h.Period == i.CurrentPeriod {
			at = k
		}
	}
	since, before, periods := i.CurrentPeriod, "", 1
	if at >= 0 {
		periods = 0
		for k := at; k < len(i.History) && i.History[k].Value == i.CurrentValue; k++ {
			since, periods = i.History[k].Period, periods+1
			before = ""
			if k+1 < len(i.History) {
				before = i.History[k+1].Value
			}
		}
	}
	if before == "" && i.BaselineValue != "" && periodBefore(since, i.Cadence) == i.BaselinePeriod {
		before = i.BaselineValue
	}
	known := periods > 1 || (before != "" && before != i.CurrentValue)
	switch {
	case i.CurrentValue == "true" && known:
		return "In place since " + p.period(since)
	case i.CurrentValue == "true":
		return "In place in " + p.period(since)
	case i.CurrentValue == "false" && before == "true":
		return "Not in place since " + p.period(since)
	case i.CurrentValue == "false":
		return "Not in place"
	}
	return capitalize(p.current(i))
}

// periodBefore is the period before p of the cadence; "" when p is not one.
func periodBefore(p, cadence string) string {
	q, err := evaluate.ParsePeriod(p, v1alpha1.Cadence(cadence))
	if err != nil {
		return ""
	}
	return q.Prev().String()
}

// condition says yes or no, with the reason where it says more: "No,
// deadline missed"; "–" when not known, with the reason: "– (no
// trajectory)".
func (p prose) condition(c Condition) string {
	var s string
	switch {
	case c.True():
		return "Yes"
	case c.False():
		s = "No"
	default:
		s = "–"
	}
	switch c.Reason {
	case "", v1alpha1.ReasonTargetNotReached, v1alpha1.ReasonTargetsNotMet, v1alpha1.ReasonBelowThreshold:
		return s
	case v1alpha1.ReasonBehindTrajectory:
		return s + ", behind its trajectory"
	}
	if c.False() {
		return s + ", " + phrase(c.Reason)
	}
	return s + " (" + phrase(c.Reason) + ")"
}

// evidence is the evidence state: "Complete: 3 sources, 1 verified",
// "Missing: method not covered (document review)".
func (p prose) evidence(i *Indicator) string {
	c := i.EvidenceMissing
	switch {
	case c.False():
		return "Complete: " + p.sources(i)
	case c.True():
		s := "Missing: " + phrase(c.Reason)
		if len(i.MissingMethods) > 0 {
			s += " (" + andList(phrases(i.MissingMethods)) + ")"
		}
		return s
	}
	return "–"
}

// sources counts the evidence behind the current value.
func (p prose) sources(i *Indicator) string {
	if i.FromMechanism != "" {
		return "computed from " + mechanismConditionPhrase(i.FromMechanism, i.MechanismName)
	}
	return p.plural(int(i.Sources), "source", "sources") + ", " + p.l.Number(fmt.Sprint(i.VerifiedSources)) + " verified"
}

// evidenceWord is the evidence state in a word.
func evidenceWord(i *Indicator) string {
	switch c := i.EvidenceMissing; {
	case c.False():
		return "complete"
	case c.True():
		return "missing"
	}
	return "–"
}

// overdue is the overdue state: "No", "Nothing due yet", "Overdue".
func (p prose) overdue(i *Indicator) string {
	switch c := i.DataOverdue; {
	case c.True():
		return "Overdue"
	case c.False() && c.Reason == v1alpha1.ReasonNothingDue:
		return "Nothing due yet"
	case c.False():
		return "No"
	}
	return "–"
}

// anomaly is the Anomalous condition in a few words.
func (p prose) anomaly(i *Indicator) string {
	switch c := i.Anomalous; {
	case c.True():
		return "Outlier"
	case c.False():
		return "Within range"
	case c.Reason == v1alpha1.ReasonInsufficientHistory:
		return "Not judged: too few earlier periods"
	}
	return "–"
}

// measure describes the measure: "Count of persons, reported quarterly".
func (p prose) measure(i *Indicator) string {
	var s string
	switch v1alpha1.MeasureType(i.MeasureType) {
	case v1alpha1.MeasureBoolean:
		s = "In place or not"
	case v1alpha1.MeasureLevel:
		s = "Level (" + strings.Join(i.Levels, ", ") + ")"
	case v1alpha1.MeasureCount:
		s = "Number"
		if i.Unit != "" {
			s += " of " + i.Unit
		}
	case v1alpha1.MeasureAmount:
		s = "Amount"
		if i.Unit != "" {
			s += " in " + i.Unit
		}
	default:
		s = Label(i.MeasureType)
		if i.Unit != "" {
			s += ": " + i.Unit
		}
	}
	if i.Cadence != "" {
		s += ", reported " + cadenceAdverb(i.Cadence)
	}
	return s
}

// stateLine is an indicator's state and value in a line: "met, 61
// persons in Q3 2026".
func (p prose) stateLine(i *Indicator) string {
	s := i.State.Label()
	if i.MeasureType == string(v1alpha1.MeasureBoolean) {
		return s + ", " + lowerFirst(p.status(i))
	}
	if i.CurrentValue != "" {
		s += ", " + lowerFirst(p.current(i))
	}
	return s
}

// notes are the messages worth reading, each with what it is about: what
// is overdue, what evidence is missing, a missed deadline, a value
// flagged as an outlier, an indicator that is not ready, what disclosure
// control withholds.
func (p prose) notes(i *Indicator) []string {
	var out []string
	add := func(what string, c Condition) {
		s := what + " (" + phrase(c.Reason) + ")"
		if c.Message != "" {
			s += ": " + p.l.Message(c.Message)
		}
		out = append(out, s)
	}
	if i.Suspended {
		out = append(out, "Suspended: the status keeps its last values")
	}
	if i.Ready.False() {
		add("Not ready", i.Ready)
	}
	if i.TargetMet.Reason == v1alpha1.ReasonDeadlineMissed {
		add("Target not met", i.TargetMet)
	}
	if i.EvidenceMissing.True() {
		add("Evidence missing", i.EvidenceMissing)
	}
	if i.DataOverdue.True() {
		add("Data overdue", i.DataOverdue)
	}
	if i.Anomalous.True() {
		add("Outlier", i.Anomalous)
	}
	if d := p.disclosure(i); d != "" {
		out = append(out, d)
	}
	return out
}

// disclosure says which of the indicator's figures disclosure control
// withholds; empty when it withholds none.
func (p prose) disclosure(i *Indicator) string {
	var what []string
	if i.BaselineSuppressed {
		what = append(what, "the baseline")
	}
	if i.CurrentSuppressed {
		what = append(what, "the current value")
	}
	periods := 0
	for _, h := range i.History {
		if h.Suppressed {
			periods++
		}
	}
	if periods > 0 {
		what = append(what, p.words(periods, "period", "periods")+" of the history")
	}
	if len(what) == 0 {
		return ""
	}
	n := p.l.Number(fmt.Sprint(i.MinCellSize))
	s := fmt.Sprintf("Disclosure control (minimum cell size %s) withholds %s: figures below %s show as <%s", n, andList(what), n, n)
	if i.Aggregation == string(v1alpha1.AggregationCumulative) {
		s += fmt.Sprintf(", and %q marks a figure withheld so that the others cannot give a small one away", SuppressedWord)
	}
	if i.CurrentSuppressed || i.BaselineSuppressed {
		also := []string{"the progress", "the condition messages that state these figures"}
		if i.TargetWithheld {
			also = append(also, "the target's absolute value")
		}
		s += "; " + andList(also) + " are withheld too"
	}
	return s
}

// areaSentence sums up an area: "9 indicators: 6 met, 2 on track and 1
// not met; data overdue for 1."
func (p prose) areaSentence(s Summary) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{s.Met, "met"}, {s.OnTrack, "on track"}, {s.NotMet, "not met"}, {s.NoData, "without data"}, {s.NoTarget, "without a target"}} {
		if c.n > 0 {
			parts = append(parts, p.l.Number(fmt.Sprint(c.n))+" "+c.what)
		}
	}
	out := p.plural(s.Indicators, "indicator", "indicators")
	if len(parts) > 0 {
		out += ": " + andList(parts)
	}
	var problems []string
	if s.EvidenceMissing > 0 {
		problems = append(problems, "evidence missing for "+p.l.Number(fmt.Sprint(s.EvidenceMissing)))
	}
	if s.Overdue > 0 {
		problems = append(problems, "data overdue for "+p.l.Number(fmt.Sprint(s.Overdue)))
	}
	if len(problems) > 0 {
		return out + "; " + andList(problems) + "."
	}
	return out + "; no evidence missing and no data overdue."
}

// planSentence says when the plan runs and whether it is on track.
func (p prose) planSentence(pl *Plan) string {
	s := "The plan runs " + p.span(pl.Start, pl.End) + "."
	th := p.l.Percent(fmt.Sprint(pl.Threshold))
	switch sc := pl.Scorecard; {
	case sc != nil && sc.Indicators > 0 && pl.OnTrack.Status != "":
		good, total := int64(sc.OnTrack), int64(sc.Indicators)
		share := p.l.Percent(fmt.Sprint(good * 100 / total))
		verdict := "It is on track"
		if !pl.OnTrack.True() {
			verdict = "It is not on track"
		}
		s += fmt.Sprintf(" %s: %s of %s (%s) are met or on track; it needs at least %s.", verdict, p.l.Number(fmt.Sprint(good)),
			p.plural(int(total), "indicator", "indicators"), share, th)
	default:
		s += fmt.Sprintf(" It is on track when at least %s of its indicators are met or on track.", th)
	}
	return s + suspendedText(pl.Suspended)
}

func suspendedText(s bool) string {
	if s {
		return " Suspended: the status keeps its last values."
	}
	return ""
}

// breakdownSentence says where the cells come from and what disclosure
// control did to them.
func (p prose) breakdownSentence(b *Breakdown) string {
	var s string
	switch {
	case !b.Summed:
		s = "The cells of the newest counted report for " + p.period(b.Period) + " (values of this measure do not add up)."
	case b.Reports == 1:
		s = "The cells of the one counted report for " + p.period(b.Period) + "."
	default:
		s = "The cells of the " + p.words(b.Reports, "counted report", "counted reports") + " for " + p.period(b.Period) + ", summed per category."
	}
	if b.MinCellSize <= 0 {
		return s
	}
	n := p.l.Number(fmt.Sprint(b.MinCellSize))
	below := "<" + n
	s += fmt.Sprintf(" Disclosure control: figures below %s, zero included, show as %s.", n, below)
	switch {
	case b.TotalSuppressed && b.Total == b.SuppressedText():
		s += fmt.Sprintf(" The total is below %s, so every cell that adds up to it is suppressed too.", n)
	case b.TotalSuppressed:
		s += fmt.Sprintf(" The total is %s because the same figure is withheld elsewhere in this report, so every cell that adds up to it is suppressed too.", SuppressedWord)
	}
	for _, d := range b.Dimensions {
		if d.Secondary && !b.TotalSuppressed {
			s += fmt.Sprintf(" Where the small cells of a table could be worked out from the total and the other cells, or would add up to less than %s, further cells are suppressed with them, smallest first; every suppressed cell of such a table shows as %q, since some are below %s and some are not.", n, SuppressedWord, n)
			break
		}
	}
	return s
}

// omitted says why a dimension the reports name is not shown.
func (p prose) omitted(o Omission) string {
	if o.Reports > 1 {
		return fmt.Sprintf("%s is not shown: %s give its subgroup figures, which do not combine.", o.Title, p.words(o.Reports, "report", "reports"))
	}
	return o.Title + " is not shown: the reports give it only in cells that name other dimensions too, and as subgroup figures those do not combine into its table."
}

// dimensionSentence says how to read a table: its note, and the share of
// the total it breaks down.
func (p prose) dimensionSentence(d Dimension) string {
	s := d.Note
	if d.Coverage != "" {
		if s != "" {
			s += " "
		}
		s += "The table covers " + p.coverage(d.Coverage) + " of " + d.CoverageOf + "."
	}
	return s
}

var coverageRE = regexp.MustCompile(`^(more than )?([0-9.]+)%$`)

// coverage writes a share as published: "99.87%", "more than 95%",
// "suppressed".
func (p prose) coverage(c string) string {
	m := coverageRE.FindStringSubmatch(c)
	if m == nil {
		return c
	}
	return m[1] + p.l.Percent(m[2])
}

var ratioCellRE = regexp.MustCompile(`^([0-9.]+)/([0-9.]+)(?: \(([0-9.]+)\))?$`)

// cell writes a breakdown cell or total of the indicator as published:
// "1,234", "<5", "41/49 (83.67)", "70%", "suppressed".
func (p prose) cell(i *Indicator, s string) string {
	if m := ratioCellRE.FindStringSubmatch(s); m != nil {
		out := p.l.Number(m[1]) + "/" + p.l.Number(m[2])
		if m[3] != "" {
			out += " (" + p.l.Number(m[3]) + ")"
		}
		return out
	}
	if strings.HasPrefix(s, "<") {
		return "<" + p.l.Number(s[1:])
	}
	if _, name, ok := strings.Cut(s, " ("); ok && strings.HasSuffix(name, ")") {
		return strings.TrimSuffix(name, ")") // a Level cell: its name
	}
	if i.MeasureType == string(v1alpha1.MeasurePercentage) && decimalRE.MatchString(s) {
		return p.l.Percent(s)
	}
	return p.l.Number(s)
}

// reportingHeading is "Reporting from Q1 2026 to Q3 2026", "Reporting in
// 2026".
func (p prose) reportingHeading(r *Reporting) string { return "Reporting " + p.span(r.From, r.To) }

// reportingSentence says what the reporting table counts.
func (p prose) reportingSentence(r *Reporting) string {
	periods := "the one due period, " + p.period(r.From)
	if r.Periods != 1 {
		periods = "the " + p.words(r.Periods, "due period", "due periods") + " " + p.span(r.From, r.To)
	}
	return fmt.Sprintf("Figures of the expected reporters for %s: on time when first filed within %s of the period's end (a correction keeps the first figure's timeliness), late when filed after that, missing when none counts.",
		periods, p.plural(r.GraceDays, "day", "days"))
}

// gaps lists a reporter's late and missing periods: "Q2 2026 late, Q3
// 2026 missing"; "–" when there are none.
func (p prose) gaps(r ReporterRow) string {
	if len(r.Gaps) == 0 {
		return "–"
	}
	out := make([]string, len(r.Gaps))
	for k, g := range r.Gaps {
		period, what, _ := strings.Cut(g, " ")
		out[k] = p.period(period) + " " + what
	}
	return strings.Join(out, ", ")
}

// provenance says when and how the report was made.
func (p prose) provenance(r *Report) string {
	s := "Generated " + p.l.DateTime(r.Generated) + "."
	if !r.At.IsZero() {
		s += " Evaluated offline as of " + p.l.DateTime(r.At) + "."
	} else {
		s += " Status as computed by the controllers in the cluster."
	}
	if r.Source != "" {
		s += " Source: " + r.Source + "."
	}
	return s
}

// mechanismLead describes a mechanism: "Task force at national level
// with 10 members (Coordination)."
func (p prose) mechanismLead(m *Mechanism) string {
	s := Label(m.Type)
	if m.Level != "" {
		s += " at " + phrase(m.Level) + " level"
	}
	s += " with " + p.plural(m.Members, "member", "members")
	if m.NamespaceName != "" {
		s += " (" + m.NamespaceName + ")"
	}
	return s + "." + suspendedText(m.Suspended)
}

// findings say in plain words what the mechanism's conditions found:
// "The national task force is formalized by its terms of reference; it
// met on 24 September 2026, within its 100-day interval; all five
// required sectors are represented; every member has a role and
// responsibilities; all five of its indicators have met their targets."
func (p prose) findings(m *Mechanism) string {
	parts := []string{p.formalized(m), p.meetings(m)}
	if s := p.sectors(m); s != "" {
		parts = append(parts, s)
	}
	parts = append(parts, p.roles(m))
	if s := p.mechanismIndicators(m); s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ") + "."
}

func (p prose) formalized(m *Mechanism) string {
	subj := subject(m.Title)
	c := m.Formalized
	switch {
	case c.True() && m.Instrument != nil:
		return subj + " is formalized by its " + phrase(string(m.Instrument.Type)) + ", “" + m.Instrument.Title + "”"
	case c.True():
		return subj + " is formalized by a verified instrument"
	case c.Reason == v1alpha1.ReasonNoInstruments:
		return subj + " is not formalized: no instrument is listed"
	case c.Reason == v1alpha1.ReasonEvidenceNotFound:
		return subj + " is not formalized: the evidence its instruments name does not exist"
	case c.False():
		return subj + " is not formalized: no instrument has verified, current evidence"
	}
	return subj + " has not been evaluated" + reasonSuffix(c)
}

func reasonSuffix(c Condition) string {
	if c.Reason == "" {
		return ""
	}
	return " (" + phrase(c.Reason) + ")"
}

func (p prose) meetings(m *Mechanism) string {
	c := m.MeetingsRegular
	interval := p.l.Number(fmt.Sprint(m.MaxIntervalDays)) + "-day interval"
	last := !m.LastMeeting.IsZero()
	switch {
	case c.True() && last:
		return "it met on " + p.l.Date(m.LastMeeting) + ", within its " + interval
	case c.True():
		return "it meets within its " + interval
	case c.Reason == v1alpha1.ReasonMeetingOverdue && last:
		due := m.LastMeeting.AddDate(0, 0, int(m.MaxIntervalDays))
		return "it last met on " + p.l.Date(m.LastMeeting) + "; the next meeting was due by " + p.l.Date(due)
	case c.Reason == v1alpha1.ReasonMeetingOverdue:
		return "its meetings are overdue: none within its " + interval
	case c.False() && m.MaxIntervalDays == 0:
		return "no meeting schedule is declared"
	case c.False():
		return "no verified minutes of its meetings are on record"
	}
	return "its meetings have not been evaluated" + reasonSuffix(c)
}

func (p prose) sectors(m *Mechanism) string {
	c := m.SectorsRepresented
	n := len(m.RequiredSectors)
	switch {
	case n == 0 && !c.False():
		return ""
	case c.True() && n == 1:
		return "the required sector, " + phrase(m.RequiredSectors[0]) + ", is represented"
	case c.True() && n == 2:
		return "both required sectors are represented"
	case c.True():
		return "all " + p.words(n, "required sector", "required sectors") + " are represented"
	case c.False() && len(m.MissingSectors) > 0:
		missing := phrases(m.MissingSectors)
		if len(missing) == 1 {
			return "no member represents " + missing[0] + ", a required sector"
		}
		return "no member represents " + strings.Join(missing[:len(missing)-1], ", ") + " or " + missing[len(missing)-1] + ", required sectors"
	case c.False():
		return "a required sector has no member"
	}
	return "its sectors have not been evaluated" + reasonSuffix(c)
}

func (p prose) roles(m *Mechanism) string {
	c := m.RolesDefined
	switch {
	case c.True() && m.Members == 1:
		return "its member has a role and responsibilities"
	case c.True():
		return "every member has a role and responsibilities"
	case c.False() && m.Members == 0:
		return "it lists no members"
	case c.False() && len(m.Unassigned) > 0:
		names := m.Unassigned
		if len(names) > 5 {
			names = append(append([]string(nil), names[:5]...), p.plural(len(m.Unassigned)-5, "other", "others"))
		}
		return fmt.Sprintf("%s of %s lack a role or responsibilities: %s", p.l.Number(fmt.Sprint(len(m.Unassigned))),
			p.plural(m.Members, "member", "members"), andList(names))
	case c.False():
		return "some members lack a role or responsibilities"
	}
	return "its roles have not been evaluated" + reasonSuffix(c)
}

func (p prose) mechanismIndicators(m *Mechanism) string {
	c := m.IndicatorsOnTrack
	n := 0
	if m.Counts != nil {
		n = int(m.Counts.Total)
	}
	switch {
	case n == 0:
		return ""
	case c.True() && c.Reason == v1alpha1.ReasonAllTargetsMet && n == 1:
		return "its indicator has met its target"
	case c.True() && c.Reason == v1alpha1.ReasonAllTargetsMet:
		return "all " + p.l.Small(n) + " of its indicators have met their targets"
	case c.True() && n == 1:
		return "its indicator is on track"
	case c.True():
		return "all " + p.l.Small(n) + " of its indicators are met or on track"
	case c.False():
		behind := 0
		for _, i := range m.Indicators {
			if i.State != StateMet && !i.OnTrack.True() {
				behind++
			}
		}
		verb := "are"
		if behind == 1 {
			verb = "is"
		}
		switch {
		case n == 1:
			return "its indicator is neither met nor on track"
		case behind == 0:
			return "some of its indicators are neither met nor on track"
		}
		return fmt.Sprintf("%s of its %s %s neither met nor on track", p.l.Small(behind), p.words(n, "indicator", "indicators"), verb)
	}
	return ""
}
