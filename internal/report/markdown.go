package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown. Every text
// from the objects is escaped, so a title cannot add markup, links or HTML.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s\n\n", md(r.Title))
	p("%s\n\n", md(provenance(r)))
	for _, n := range r.Notes {
		p("> **Note:** %s\n\n", md(n))
	}

	p("## Summary\n\n")
	p("| Area | Indicators | Met | On track, not yet met | Not met | No data | Evidence missing | Overdue |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, s := range r.Summary {
		p("| %s | %d | %d | %d | %d | %d | %d | %d |\n", md(s.Area), s.Indicators, s.Met, s.OnTrack, s.NotMet, s.NoData+s.NoTarget, s.EvidenceMissing, s.Overdue)
	}
	t := r.Total
	p("| **Total** | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** |\n\n", t.Indicators, t.Met, t.OnTrack, t.NotMet, t.NoData+t.NoTarget, t.EvidenceMissing, t.Overdue)
	if len(r.Areas) == 0 {
		p("No indicators.\n\n")
	}

	for _, a := range r.Areas {
		p("## %s\n\n", md(a.Name))
		p("%s\n\n", md(areaSentence(a.Summary)))
		p("| Indicator | Baseline | Target | Current | Progress | Trend | Met | On track | Evidence | Overdue |\n")
		p("| --- | --- | --- | --- | ---: | --- | --- | --- | --- | --- |\n")
		for _, i := range a.Indicators {
			p("| %s (`%s/%s`) | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				md(i.Title), i.Namespace, i.Name, md(baselineText(i)), md(targetCell(i)), md(currentText(i)),
				md(progressText(i)), md(trendText(i)), md(yesNo(i.TargetMet)), md(yesNo(i.OnTrack)),
				md(evidenceText(i)), md(overdueText(i)))
		}
		p("\n")
		var notes []string
		for _, i := range a.Indicators {
			for _, n := range indicatorNotes(i) {
				notes = append(notes, fmt.Sprintf("- `%s/%s`: %s", i.Namespace, i.Name, md(n)))
			}
		}
		if len(notes) > 0 {
			p("%s\n\n", strings.Join(notes, "\n"))
		}
		for _, i := range a.Indicators {
			if i.Breakdown != nil {
				writeMarkdownBreakdown(&b, i)
			}
			if i.Reporting != nil {
				writeMarkdownReporting(&b, i)
			}
		}
	}

	if len(r.Mechanisms) > 0 {
		p("## Cooperation mechanisms\n\n")
	}
	for _, m := range r.Mechanisms {
		p("### %s\n\n", md(m.Name))
		p("%s\n\n", md(mechanismSentence(&m)))
		if m.Mandate != "" {
			p("Mandate: %s\n\n", md(m.Mandate))
		}
		p("| Condition | Status | Reason | Message |\n| --- | --- | --- | --- |\n")
		for _, c := range mechanismConditions(&m) {
			p("| %s | %s | %s | %s |\n", c.Name, md(c.Cond.StatusOrUnknown()), md(c.Cond.Reason), md(c.Cond.Message))
		}
		p("\n")
		if len(m.Indicators) == 0 {
			p("No indicator of this report names the mechanism.\n\n")
			continue
		}
		p("Indicators:\n\n")
		for _, i := range m.Indicators {
			p("- %s (`%s/%s`): %s\n", md(i.Title), i.Namespace, i.Name, md(stateText(i)))
		}
		p("\n")
	}

	if len(r.Plans) > 0 {
		p("## Action plans\n\n")
	}
	for _, pl := range r.Plans {
		p("### %s (`%s/%s`)\n\n", md(pl.Title), pl.Namespace, pl.Name)
		p("%s\n\n", md(planSentence(&pl)))
		sc := pl.Scorecard
		if sc == nil {
			p("No scorecard in the status.\n\n")
			continue
		}
		p("| Area | Indicators | Met | Met or on track | Evidence missing | Overdue |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
		for _, a := range sc.Areas {
			p("| %s | %d | %d | %d | %d | %d |\n", md(string(a.Area)), a.Indicators, a.TargetMet, a.OnTrack, a.EvidenceMissing, a.DataOverdue)
		}
		tot := planTotals(sc)
		p("| **Total** | **%d** | **%d** | **%d** | **%d** | **%d** |\n\n", tot.Indicators, tot.TargetMet, tot.OnTrack, tot.EvidenceMissing, tot.DataOverdue)
		if len(sc.MechanismTypes) > 0 {
			p("| Mechanism type | Total | Ready | Formalized | Meetings regular |\n| --- | ---: | ---: | ---: | ---: |\n")
			for _, m := range sc.MechanismTypes {
				p("| %s | %d | %d | %d | %d |\n", md(string(m.Type)), m.Total, m.Ready, m.Formalized, m.MeetingsRegular)
			}
			p("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownBreakdown(b *strings.Builder, i *Indicator) {
	bd := i.Breakdown
	fmt.Fprintf(b, "### Breakdown of %s: %s (`%s/%s`)\n\n", md(bd.Period), md(i.Title), i.Namespace, i.Name)
	fmt.Fprintf(b, "%s\n\n", md(breakdownSentence(bd)))
	unit := i.Unit
	if unit == "" {
		unit = "value"
	}
	for _, o := range bd.Omitted {
		fmt.Fprintf(b, "%s\n\n", md(o))
	}
	for _, d := range bd.Dimensions {
		fmt.Fprintf(b, "| %s | %s |\n| --- | ---: |\n", md(d.Name), md(unit))
		for _, c := range d.Cells {
			fmt.Fprintf(b, "| %s | %s |\n", md(c.CategoryText()), md(c.Text))
		}
		if d.ShowTotal {
			fmt.Fprintf(b, "| **Total** | **%s** |\n", md(bd.Total))
		}
		b.WriteString("\n")
		if s := dimensionSentence(d); s != "" {
			fmt.Fprintf(b, "%s\n\n", md(s))
		}
	}
}

// dimensionSentence says how to read a table: its note, and the share of
// the total it breaks down.
func dimensionSentence(d Dimension) string {
	s := d.Note
	if d.Coverage != "" {
		if s != "" {
			s += " "
		}
		s += fmt.Sprintf("Broken down by %s: %s of %s.", d.Name, d.Coverage, d.CoverageOf)
	}
	return s
}

func writeMarkdownReporting(b *strings.Builder, i *Indicator) {
	r := i.Reporting
	fmt.Fprintf(b, "### Reporting of %s (`%s/%s`)\n\n", md(i.Title), i.Namespace, i.Name)
	fmt.Fprintf(b, "%s\n\n", md(reportingSentence(r)))
	fmt.Fprintf(b, "| Reporter | On time | Late | Missing | Late or missing |\n| --- | ---: | ---: | ---: | --- |\n")
	for _, row := range r.Rows {
		fmt.Fprintf(b, "| %s | %d | %d | %d | %s |\n", md(row.Reporter), row.OnTime, row.Late, row.Missing, md(row.GapsText()))
	}
	fmt.Fprintf(b, "\n")
}

// md escapes text for Markdown: whitespace is folded to one line, HTML
// special characters become entities and Markdown punctuation is
// backslash-escaped, so the text shows as written.
func md(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '|', '~', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// provenance says when and how the report was made.
func provenance(r *Report) string {
	s := "Generated " + r.Generated.UTC().Format(time.RFC3339) + "."
	if !r.At.IsZero() {
		s += " Evaluated offline at " + r.At.UTC().Format(time.RFC3339) + "."
	} else {
		s += " Status as computed by the controllers in the cluster."
	}
	if r.Source != "" {
		s += " Source: " + r.Source + "."
	}
	return s
}

func areaSentence(s Summary) string {
	out := fmt.Sprintf("%s: %d met, %d on track, %d not met, %d without data", plural(s.Indicators, "indicator", "indicators"), s.Met, s.OnTrack, s.NotMet, s.NoData)
	if s.NoTarget > 0 {
		out += fmt.Sprintf(", %d without a target", s.NoTarget)
	}
	return out + fmt.Sprintf("; evidence missing for %d, data overdue for %d.", s.EvidenceMissing, s.Overdue)
}

func planSentence(p *Plan) string {
	s := fmt.Sprintf("From %s to %s; on track when at least %d%% of its indicators are met or on track.", p.Start, p.End, p.Threshold)
	if p.OnTrack.Status != "" {
		s += fmt.Sprintf(" OnTrack %s (%s): %s.", p.OnTrack.Status, p.OnTrack.Reason, strings.TrimSuffix(p.OnTrack.Message, "."))
	}
	return s + suspendedText(p.Suspended)
}

func breakdownSentence(b *Breakdown) string {
	var s string
	if b.Summed {
		s = fmt.Sprintf("Cells of the %s of %s, summed per category.", plural(b.Reports, "counted report", "counted reports"), b.Period)
	} else {
		s = fmt.Sprintf("Cells of the newest counted report of %s (values of this measure do not add up).", b.Period)
	}
	if b.MinCellSize <= 0 {
		return s
	}
	n, below := b.MinCellSize, b.SuppressedText()
	s += fmt.Sprintf(" Disclosure control: figures below %d, zero included, show as %s.", n, below)
	switch {
	case b.TotalSuppressed && b.Total == below:
		s += fmt.Sprintf(" The total is below %d, so every cell that adds up to it is suppressed too.", n)
	case b.TotalSuppressed:
		s += fmt.Sprintf(" The total is %s because the same figure is withheld elsewhere in this report, so every cell that adds up to it is suppressed too.", SuppressedWord)
	}
	for _, d := range b.Dimensions {
		if d.Secondary && !b.TotalSuppressed {
			s += fmt.Sprintf(" Where the small cells of a table could be worked out from the total and the other cells, or would add up to less than %d, further cells are suppressed with them, smallest first; every suppressed cell of such a table shows as %q, since some are below %d and some are not.", n, SuppressedWord, n)
			break
		}
	}
	return s
}

func mechanismSentence(m *Mechanism) string {
	s := m.Type
	if m.Level != "" {
		s += ", " + m.Level + " level"
	}
	return s + fmt.Sprintf(", %s, namespace %s.", plural(m.Members, "member", "members"), m.Namespace) + suspendedText(m.Suspended)
}

// planTotals is the scorecard's totals, with evidenceMissing and
// dataOverdue summed over the areas (the scorecard does not total them).
func planTotals(sc *v1alpha1.Scorecard) v1alpha1.AreaScore {
	t := v1alpha1.AreaScore{Area: "Total", Indicators: sc.Indicators, TargetMet: sc.TargetMet, OnTrack: sc.OnTrack}
	for _, a := range sc.Areas {
		t.EvidenceMissing += a.EvidenceMissing
		t.DataOverdue += a.DataOverdue
	}
	return t
}

func suspendedText(s bool) string {
	if s {
		return " Suspended: the status keeps its last values."
	}
	return ""
}

type namedCondition struct {
	Name string
	Cond Condition
}

func mechanismConditions(m *Mechanism) []namedCondition {
	return []namedCondition{
		{"Formalized", m.Formalized}, {"RolesDefined", m.RolesDefined}, {"SectorsRepresented", m.SectorsRepresented},
		{"MeetingsRegular", m.MeetingsRegular}, {"IndicatorsOnTrack", m.IndicatorsOnTrack},
	}
}

func baselineText(i *Indicator) string {
	if i.BaselineValue == "" {
		return "–"
	}
	return i.Show(i.BaselineValue) + " (" + i.BaselinePeriod + ")"
}

// targetCell is the target and the absolute value it means.
func targetCell(i *Indicator) string {
	t := i.TargetText()
	if t == "" {
		return "none"
	}
	if m := i.TargetMeans(); m != "" {
		t += " → " + m
	}
	return t
}

func currentText(i *Indicator) string {
	if i.CurrentValue == "" {
		return "no data"
	}
	s := valueWithUnit(i, i.CurrentValue) + " (" + i.CurrentPeriod
	if i.Provisional {
		s += ", provisional"
	}
	return s + ")"
}

func progressText(i *Indicator) string {
	if i.Progress == "" {
		return "–"
	}
	return i.Progress + "%"
}

// trendText lists the trend's values oldest first; "–" is a period without
// a value, and the open period is left out while it has none.
func trendText(i *Indicator) string {
	var parts []string
	for k, h := range i.Trend {
		switch {
		case len(parts) == 0 && h.Value == "":
		case h.Value != "":
			parts = append(parts, i.Show(h.Value))
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

func yesNo(c Condition) string {
	switch {
	case c.True():
		return "yes"
	case c.False():
		if c.Reason == "DeadlineMissed" {
			return "no, deadline missed"
		}
		return "no"
	}
	return "–"
}

func evidenceText(i *Indicator) string {
	c := i.EvidenceMissing
	switch {
	case c.False():
		return "complete: " + sourcesText(i)
	case c.True():
		s := "missing: " + c.Reason
		if len(i.MissingMethods) > 0 {
			s += " (" + strings.Join(i.MissingMethods, ", ") + ")"
		}
		return s
	}
	return "–"
}

// sourcesText counts the evidence behind the current value.
func sourcesText(i *Indicator) string {
	if i.FromMechanism != "" {
		return "computed from " + i.Mechanism + "'s " + i.FromMechanism
	}
	return fmt.Sprintf("%s, %d verified", plural(int(i.Sources), "source", "sources"), i.VerifiedSources)
}

// evidenceWord is the evidence state in a word or two.
func evidenceWord(i *Indicator) string {
	switch c := i.EvidenceMissing; {
	case c.False():
		return "complete"
	case c.True():
		return "missing"
	}
	return "–"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func overdueText(i *Indicator) string {
	switch {
	case i.DataOverdue.True():
		return "overdue"
	case i.DataOverdue.False():
		return "no"
	}
	return "–"
}

func stateText(i *Indicator) string {
	s := i.State.Label()
	if i.CurrentValue != "" {
		s += ", " + currentText(i)
	}
	return s
}

// indicatorNotes are the messages worth reading: what is overdue, what
// evidence is missing, a missed deadline, a value flagged as an outlier,
// an indicator that is not Ready.
func indicatorNotes(i *Indicator) []string {
	var out []string
	if i.Suspended {
		out = append(out, "suspended: the status keeps its last values")
	}
	if i.Ready.False() {
		out = append(out, "Ready False ("+i.Ready.Reason+"): "+i.Ready.Message)
	}
	if i.TargetMet.Reason == "DeadlineMissed" {
		out = append(out, "TargetMet False (DeadlineMissed): "+i.TargetMet.Message)
	}
	if i.EvidenceMissing.True() {
		out = append(out, "EvidenceMissing ("+i.EvidenceMissing.Reason+"): "+i.EvidenceMissing.Message)
	}
	if i.DataOverdue.True() {
		out = append(out, "DataOverdue ("+i.DataOverdue.Reason+"): "+i.DataOverdue.Message)
	}
	if i.Anomalous.True() {
		out = append(out, "Anomalous ("+i.Anomalous.Reason+"): "+i.Anomalous.Message)
	}
	if d := disclosureText(i); d != "" {
		out = append(out, d)
	}
	return out
}

// disclosureText says which of the indicator's figures disclosure control
// withholds; empty when it withholds none.
func disclosureText(i *Indicator) string {
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
		what = append(what, plural(periods, "period", "periods")+" of the history")
	}
	if len(what) == 0 {
		return ""
	}
	s := fmt.Sprintf("disclosure control (minCellSize %d) withholds %s: figures below %d show as <%d", i.MinCellSize, andList(what), i.MinCellSize, i.MinCellSize)
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

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
