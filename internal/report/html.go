package report

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate renders the report; html/template escapes every value by
// its context (text, attribute, SVG), so text from the objects cannot add
// markup or scripts.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"provenance":          provenance,
	"areaSentence":        areaSentence,
	"planSentence":        planSentence,
	"breakdownSentence":   breakdownSentence,
	"dimensionSentence":   dimensionSentence,
	"baselineText":        baselineText,
	"targetCell":          targetCell,
	"currentText":         currentText,
	"progressText":        progressText,
	"trendText":           trendText,
	"yesNo":               yesNo,
	"evidenceText":        evidenceText,
	"overdueText":         overdueText,
	"stateText":           stateText,
	"mechanismConditions": mechanismConditions,
	"mechanismSentence":   mechanismSentence,
	"planTotals":          planTotals,
	"indicatorNotes":      indicatorNotes,
	"disclosureText":      disclosureText,
	"condClass":           condClass,
	"badCondClass":        badCondClass,
	"anchor":              anchor,
	"unitOr":              unitOr,
	"stateClass":          stateClass,
	"sourcesText":         sourcesText,
	"evidenceWord":        evidenceWord,
	"valueWithUnit":       valueWithUnit,
	"anomalyText":         anomalyText,
	"reportingSentence":   reportingSentence,
}).Parse(htmlSource))

// htmlView adds the charts to the report.
type htmlView struct {
	*Report
	Areas []areaView
}

type areaView struct {
	Area
	ID    string
	Chart *BarChart
	Rows  []indicatorView
}

type indicatorView struct {
	*Indicator
	Chart *LineChart // nil without history
}

// WriteHTML writes the report as one self-contained HTML page: inline CSS,
// inline SVG charts, no script and no external reference of any kind.
func WriteHTML(w io.Writer, r *Report) error {
	v := htmlView{Report: r}
	for _, a := range r.Areas {
		av := areaView{Area: a, ID: anchor("area", a.Name), Chart: barChart(anchor("bars", a.Name), a.Summary)}
		for _, i := range a.Indicators {
			av.Rows = append(av.Rows, indicatorView{Indicator: i, Chart: lineChart(i)})
		}
		v.Areas = append(v.Areas, av)
	}
	var b strings.Builder
	if err := htmlTemplate.Execute(&b, v); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
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

func unitOr(unit, other string) string {
	if unit == "" {
		return other
	}
	return unit
}

// stateClass is the CSS class suffix of a state.
func stateClass(s State) string { return strings.ToLower(string(s)) }

// valueWithUnit is a value of the indicator with its unit ("54 persons").
func valueWithUnit(i *Indicator, v string) string {
	s := i.Show(v)
	if i.Unit != "" && i.MeasureType != "Boolean" && i.MeasureType != "Level" {
		s += " " + i.Unit
	}
	return s
}
