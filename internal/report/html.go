package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlFuncs are the template's functions, writing in the report's locale.
func htmlFuncs(say prose) template.FuncMap {
	return template.FuncMap{
		"provenance":        say.provenance,
		"areaSentence":      say.areaSentence,
		"planSentence":      say.planSentence,
		"breakdownSentence": say.breakdownSentence,
		"dimensionSentence": say.dimensionSentence,
		"omitted":           say.omitted,
		"baseline":          say.baseline,
		"target":            say.target,
		"current":           say.current,
		"reports":           say.reports,
		"progress":          say.progress,
		"trend":             say.trend,
		"status":            say.status,
		"condition":         say.condition,
		"evidence":          say.evidence,
		"overdue":           say.overdue,
		"anomaly":           say.anomaly,
		"measure":           say.measure,
		"stateLine":         say.stateLine,
		"notes":             say.notes,
		"exactNote":         say.exactNote,
		"mechanismLead":     say.mechanismLead,
		"findings":          say.findings,
		"reportingHeading":  say.reportingHeading,
		"reportingSentence": say.reportingSentence,
		"gaps":              say.gaps,
		"cell":              say.cell,
		"period":            say.period,
		"bare":              say.bare,
		"value":             say.value,
		"date":              say.l.DateTime,
		"num":               func(n any) string { return say.l.Number(fmt.Sprint(n)) },
		"label":             Label,
		"cap":               capitalize,
		"evidenceWord":      evidenceWord,
		"condClass":         condClass,
		"badCondClass":      badCondClass,
		"anchor":            anchor,
		"stateClass":        stateClass,
		"unitHeader":        unitHeader,
		"isBoolean":         func(i *Indicator) bool { return i.MeasureType == string(v1alpha1.MeasureBoolean) },
		"booleanClass":      booleanClass,
		"planTotals":        planTotals,
		"cssString":         cssString,
		"asOf":              func(r *Report) string { return "As of " + say.l.Date(r.asOf()) },
	}
}

// cssString quotes text as a CSS string for the page's header (a page
// margin box's content): every character but ASCII letters, digits and
// spaces is written as a CSS escape, so no text can end the string or
// the style sheet. html/template would refuse some text in a CSS string
// (a colon may start a URL scheme) and print "ZgotmplZ" instead.
func cssString(s string) template.CSS {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == ' ' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\%x ", r)
		}
	}
	b.WriteByte('"')
	return template.CSS(b.String())
}

// htmlTemplate renders the report; html/template escapes every value by
// its context (text, attribute, CSS string, SVG), so text from the
// objects cannot add markup, styles or scripts.
var htmlTemplate = template.Must(template.New("report").Funcs(htmlFuncs(prose{})).Parse(htmlSource))

// htmlView adds the charts to the report.
type htmlView struct {
	*Report
	Areas []areaView
	// HasNoTarget shows the summary's column of indicators without a
	// target.
	HasNoTarget bool
}

type areaView struct {
	Area
	ID    string
	Chart *BarChart
	Rows  []indicatorView
}

type indicatorView struct {
	*Indicator
	Chart *LineChart // nil without history, and for Booleans
}

// WriteHTML writes the report as one self-contained HTML page: inline CSS
// (with an A4 print stylesheet), inline SVG charts, no script and no
// external reference of any kind.
func WriteHTML(w io.Writer, r *Report) error {
	say := prose{r.Locale}
	v := htmlView{Report: r, HasNoTarget: r.Total.NoTarget > 0}
	for _, a := range r.Areas {
		av := areaView{Area: a, ID: anchor("area", a.Name), Chart: barChart(anchor("bars", a.Name), a.Summary, say)}
		for _, i := range a.Indicators {
			av.Rows = append(av.Rows, indicatorView{Indicator: i, Chart: lineChart(i, say)})
		}
		v.Areas = append(v.Areas, av)
	}
	t, err := htmlTemplate.Clone()
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := t.Funcs(htmlFuncs(say)).Execute(&b, v); err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// anchor makes a fragment identifier of a prefix and a name.
func anchor(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('-')
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// condClass styles a condition whose True is good.
func condClass(c Condition) string {
	switch {
	case c.True():
		return "ok"
	case c.False():
		return "bad"
	}
	return "unk"
}

// badCondClass styles a condition whose True is bad (EvidenceMissing,
// DataOverdue).
func badCondClass(c Condition) string {
	switch {
	case c.True():
		return "bad"
	case c.False():
		return "ok"
	}
	return "unk"
}

// booleanClass styles a Boolean value.
func booleanClass(v string) string {
	switch v {
	case "true":
		return "ok"
	case "false":
		return "bad"
	}
	return "unk"
}

// unitHeader heads a breakdown's value column: the unit, else "Value".
func unitHeader(i *Indicator) string {
	if i.Unit == "" || i.MeasureType == string(v1alpha1.MeasurePercentage) {
		return "Value"
	}
	return capitalize(i.Unit)
}

// stateClass is the CSS class suffix of a state.
func stateClass(s State) string { return strings.ToLower(string(s)) }
