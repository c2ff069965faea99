package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown, in the
// report's locale. Every text from the objects is escaped, so a title
// cannot add markup, links or HTML.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	say := prose{r.Locale}
	num := func(n int) string { return say.l.Number(fmt.Sprint(n)) }

	p("# %s\n\n", md(r.Title))
	p("%s\n\n", md(say.provenance(r)))
	for _, n := range r.Notes {
		p("> **Note:** %s\n\n", md(n))
	}

	p("## Summary\n\n")
	p("| Area | Indicators | Met | On track, not yet met | Not met | No data | Evidence missing | Overdue |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, s := range r.Summary {
		p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", md(s.Area), num(s.Indicators), num(s.Met), num(s.OnTrack), num(s.NotMet), num(s.NoData+s.NoTarget), num(s.EvidenceMissing), num(s.Overdue))
	}
	t := r.Total
	p("| **Total** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** |\n\n", num(t.Indicators), num(t.Met), num(t.OnTrack), num(t.NotMet), num(t.NoData+t.NoTarget), num(t.EvidenceMissing), num(t.Overdue))
	if len(r.Areas) == 0 {
		p("No indicators.\n\n")
	}

	for _, a := range r.Areas {
		p("## %s\n\n", md(a.Name))
		p("%s\n\n", md(say.areaSentence(a.Summary)))
		p("| Indicator | Baseline | Target | Current | Progress | Trend | Met | On track | Evidence | Overdue |\n")
		p("| --- | --- | --- | --- | ---: | --- | --- | --- | --- | --- |\n")
		for _, i := range a.Indicators {
			p("| %s (`%s/%s`) | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				md(i.Heading()), i.Namespace, i.Name, md(say.baseline(i)), md(say.target(i).String()), md(say.current(i)),
				md(say.progress(i)), md(say.trend(i)), md(say.condition(i.TargetMet)), md(say.condition(i.OnTrack)),
				md(say.evidence(i)), md(say.overdue(i)))
		}
		p("\n")
		var notes []string
		for _, i := range a.Indicators {
			for _, n := range say.notes(i) {
				notes = append(notes, fmt.Sprintf("- `%s/%s`: %s", i.Namespace, i.Name, md(n)))
			}
		}
		if len(notes) > 0 {
			p("%s\n\n", strings.Join(notes, "\n"))
		}
		for _, i := range a.Indicators {
			if i.Breakdown != nil {
				writeMarkdownBreakdown(&b, say, i)
			}
			if i.Reporting != nil {
				writeMarkdownReporting(&b, say, i)
			}
		}
	}

	if len(r.Mechanisms) > 0 {
		p("## Cooperation mechanisms\n\n")
	}
	for _, m := range r.Mechanisms {
		p("### %s (`%s/%s`)\n\n", md(m.Title), m.Namespace, m.Name)
		p("%s\n\n", md(say.mechanismLead(&m)))
		p("%s\n\n", md(say.findings(&m)))
		if m.Mandate != "" {
			p("Mandate: %s\n\n", md(m.Mandate))
		}
		if len(m.Indicators) == 0 {
			p("No indicator of this report names the mechanism.\n\n")
			continue
		}
		p("Indicators:\n\n")
		for _, i := range m.Indicators {
			p("- %s (`%s/%s`): %s\n", md(i.Heading()), i.Namespace, i.Name, md(say.stateLine(i)))
		}
		p("\n")
	}

	if len(r.Plans) > 0 {
		p("## Action plans\n\n")
	}
	for _, pl := range r.Plans {
		p("### %s (`%s/%s`)\n\n", md(pl.Title), pl.Namespace, pl.Name)
		p("%s\n\n", md(say.planSentence(&pl)))
		sc := pl.Scorecard
		if sc == nil {
			p("No scorecard in the status.\n\n")
			continue
		}
		n32 := func(n int32) string { return num(int(n)) }
		p("| Area | Indicators | Met | Met or on track | Evidence missing | Overdue |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
		for _, a := range sc.Areas {
			p("| %s | %s | %s | %s | %s | %s |\n", md(string(a.Area)), n32(a.Indicators), n32(a.TargetMet), n32(a.OnTrack), n32(a.EvidenceMissing), n32(a.DataOverdue))
		}
		tot := planTotals(sc)
		p("| **Total** | **%s** | **%s** | **%s** | **%s** | **%s** |\n\n", n32(tot.Indicators), n32(tot.TargetMet), n32(tot.OnTrack), n32(tot.EvidenceMissing), n32(tot.DataOverdue))
		if len(sc.MechanismTypes) > 0 {
			p("| Mechanism type | Total | Ready | Formalized | Meetings regular |\n| --- | ---: | ---: | ---: | ---: |\n")
			for _, m := range sc.MechanismTypes {
				p("| %s | %s | %s | %s | %s |\n", md(Label(string(m.Type))), n32(m.Total), n32(m.Ready), n32(m.Formalized), n32(m.MeetingsRegular))
			}
			p("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownBreakdown(b *strings.Builder, say prose, i *Indicator) {
	bd := i.Breakdown
	fmt.Fprintf(b, "### Breakdown for %s: %s (`%s/%s`)\n\n", md(say.period(bd.Period)), md(i.Heading()), i.Namespace, i.Name)
	fmt.Fprintf(b, "%s\n\n", md(say.breakdownSentence(bd)))
	unit := capitalize(i.Unit)
	if unit == "" {
		unit = "Value"
	}
	for _, o := range bd.Omitted {
		fmt.Fprintf(b, "%s\n\n", md(say.omitted(o)))
	}
	for _, d := range bd.Dimensions {
		fmt.Fprintf(b, "| %s | %s |\n| --- | ---: |\n", md(d.Title), md(unit))
		for _, c := range d.Cells {
			fmt.Fprintf(b, "| %s | %s |\n", md(c.Title), md(say.cell(i, c.Text)))
		}
		if d.ShowTotal {
			fmt.Fprintf(b, "| **Total** | **%s** |\n", md(say.cell(i, bd.Total)))
		}
		b.WriteString("\n")
		if s := say.dimensionSentence(d); s != "" {
			fmt.Fprintf(b, "%s\n\n", md(s))
		}
	}
}

func writeMarkdownReporting(b *strings.Builder, say prose, i *Indicator) {
	r := i.Reporting
	num := func(n int) string { return say.l.Number(fmt.Sprint(n)) }
	fmt.Fprintf(b, "### %s: %s (`%s/%s`)\n\n", md(say.reportingHeading(r)), md(i.Heading()), i.Namespace, i.Name)
	fmt.Fprintf(b, "%s\n\n", md(say.reportingSentence(r)))
	fmt.Fprintf(b, "| Reporter | On time | Late | Missing | Late or missing |\n| --- | ---: | ---: | ---: | --- |\n")
	for _, row := range r.Rows {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", md(row.Reporter), num(row.OnTime), num(row.Late), num(row.Missing), md(say.gaps(row)))
	}
	fmt.Fprintf(b, "\n")
}

// md escapes text for Markdown: whitespace is folded to one line, HTML
// special characters become entities and Markdown punctuation is
// backslash-escaped, so the text shows as written.
func md(s string) string {
	// No-break spaces stay: they group digits and keep % with its number.
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f'
	}), " ")
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
