package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// disclosureReport is the report of testdata/disclosure: indicators with
// disclosure.minCellSize 5 and small figures.
func disclosureReport(t *testing.T) *Report {
	t.Helper()
	return testdataReport(t, "testdata/disclosure")
}

// number parses a figure as the report shows it; ok is false for anything
// that is not a plain number ("<5", "suppressed").
func number(t *testing.T, s string) (v int64, ok bool) {
	t.Helper()
	r, err := evaluate.ParseNumber(s)
	if err != nil || !r.IsInt() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// assertNothingDerivable checks a breakdown as a reader sees it: no total
// below minCellSize is shown, and where the total is shown, no table lets a
// single hidden cell or a sum of hidden cells below minCellSize be
// recovered by subtracting its shown cells from the total; where the total
// is hidden, no table shows all its cells (they would add up to it).
func assertNothingDerivable(t *testing.T, i *Indicator) {
	t.Helper()
	b := i.Breakdown
	if b == nil {
		t.Fatalf("%s has no breakdown", i.Name)
	}
	min := int64(b.MinCellSize)
	total, totalShown := number(t, b.Total)
	if totalShown && total < min {
		t.Errorf("%s: the total %d is below minCellSize %d and shown", i.Name, total, min)
	}
	for _, d := range b.Dimensions {
		var shown int64
		hidden := 0
		for _, c := range d.Cells {
			if c.Suppressed {
				hidden++
				if c.Value != "" {
					t.Errorf("%s/%s: the model holds the suppressed value %q", d.Name, c.CategoryText(), c.Value)
				}
				continue
			}
			v, ok := number(t, c.Text)
			if !ok {
				t.Fatalf("%s/%s shows %q, not a number, and is not suppressed", d.Name, c.CategoryText(), c.Text)
			}
			shown += v
		}
		switch {
		case !totalShown && hidden == 0:
			t.Errorf("%s: the total is hidden but every cell of %s is shown: they sum to it", i.Name, d.Name)
		case totalShown && hidden == 1:
			t.Errorf("%s: %s has one suppressed cell: it is the total %d less the shown cells, %d", i.Name, d.Name, total, total-shown)
		case totalShown && hidden > 1 && total-shown < min:
			t.Errorf("%s: the suppressed cells of %s sum to %d (total %d less the shown cells), below minCellSize %d", i.Name, d.Name, total-shown, total, min)
		}
	}
}

// articleOf is the HTML article of an indicator.
func articleOf(t *testing.T, doc *html.Node, i *Indicator) *html.Node {
	t.Helper()
	var article *html.Node
	walk(doc, func(n *html.Node) {
		if id, _ := attr(n, "id"); n.Type == html.ElementNode && n.Data == "article" && id == i.ID() {
			article = n
		}
	})
	if article == nil {
		t.Fatalf("no article for %s", i.Name)
	}
	return article
}

// Defect: a dimension with a single cell showed "<5" next to a total of 3,
// so the cell was the total.
func TestDisclosureSingleCellDimension(t *testing.T) {
	i := find(t, disclosureReport(t), "disclosure", "single-cell")
	assertNothingDerivable(t, i)
	if got := i.Breakdown.Total; got != "<5" {
		t.Errorf("total %q, want <5", got)
	}
}

// Defect: two suppressed cells (1 and 2) next to 30 with a total of 33
// gave away that they sum to 3.
func TestDisclosureSmallCellsCannotBeSummed(t *testing.T) {
	i := find(t, disclosureReport(t), "disclosure", "small-pair")
	assertNothingDerivable(t, i)
}

// The example's gender table had the same defect: other 1 and unknown 2
// next to female 34 and male 17 with a total of 54.
func TestDisclosureExampleTables(t *testing.T) {
	assertNothingDerivable(t, find(t, nationalPlan(t), "protection", "victims-referred"))
}

// Defect: a total below minCellSize was printed as it is: the breakdown's
// total, and the indicator's value in every table, the history and trend,
// the CSV and the chart.
func TestDisclosureSmallTotal(t *testing.T) {
	r := disclosureReport(t)
	i := find(t, r, "disclosure", "small-total")
	assertNothingDerivable(t, i)
	if i.Breakdown.Total != "<5" {
		t.Errorf("breakdown total %q, want <5", i.Breakdown.Total)
	}
	if i.CurrentValue != "<5" || i.Progress != "" {
		t.Errorf("current value %q, progress %q: want <5 and no progress (it would give the value away)", i.CurrentValue, i.Progress)
	}
	for _, h := range i.History {
		if h.Period == "2026-Q2" || h.Period == "2026-Q3" {
			if h.Value != "<5" {
				t.Errorf("history %s = %q, want <5", h.Period, h.Value)
			}
		}
	}
	for _, c := range []Condition{i.TargetMet, i.OnTrack} {
		if strings.Contains(c.Message, "3 ") || strings.Contains(c.Message, " 3") {
			t.Errorf("condition message %q states the value", c.Message)
		}
	}

	// CSV: the value and the history carry the bound, never the figure.
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for k, h := range rows[0] {
		col[h] = k
	}
	found := false
	for _, row := range rows[1:] {
		if row[col["name"]] != "small-total" {
			continue
		}
		found = true
		// h1 is the open 2026-Q4, h2 2026-Q3, h3 2026-Q2, h4 2026-Q1.
		got := []string{row[col["current.value"]], row[col["progress"]], row[col["h2"]], row[col["h3"]], row[col["h4"]]}
		want := []string{"<5", "", "<5", "<5", "12"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("CSV current.value, progress, h2, h3, h4 = %q, want %q", got, want)
		}
	}
	if !found {
		t.Error("no small-total row in the CSV")
	}

	// Markdown: the indicator's row and the breakdown.
	b.Reset()
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"| &lt;5 children in Q3 2026 |", "| 12 → &lt;5 → &lt;5 |", "| **Total** | **&lt;5** |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, leak := range []string{"3 children", "12 → 2 → 3", "| **Total** | **3** |\n", "3 against", "2 against"} {
		if strings.Contains(md, leak) {
			t.Errorf("Markdown shows a figure below 5: %q", leak)
		}
	}

	// HTML: tables and the chart (points, their labels and the description).
	article := articleOf(t, renderHTML(t, r), i)
	page := text(article)
	for _, leak := range []string{"3 children", "12 → 2 → 3", "Q3 2026: 3", "Q2 2026: 2", "Q3 2026 3", "Q2 2026 2", "2026-Q3: 3", "2026-Q2: 2", "3 against", "Total3"} {
		if strings.Contains(page, leak) {
			t.Errorf("the HTML page shows a figure below 5: %q", leak)
		}
	}
	points := 0
	walk(article, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "circle":
			points++
			if label := text(n); !strings.HasPrefix(label, "Q1 2026: 12") {
				t.Errorf("the chart plots %q", label)
			}
		case "text":
			if cls, _ := attr(n, "class"); cls == "value" && text(n) != "12" {
				t.Errorf("the chart labels a point %q", text(n))
			}
		case "desc":
			if !strings.Contains(text(n), "below 5") {
				t.Errorf("the chart's description %q does not say that values below 5 are not plotted", text(n))
			}
		}
	})
	if points != 1 {
		t.Errorf("%d points plotted, want only 2026-Q1 (12)", points)
	}
}

// hostileControls is text with an escape sequence (ESC) and a right-to-left
// override (U+202E), which a terminal or a browser would obey rather than
// show.
const hostileControls = "Victims \x1b[2J\x1b[31mreferred\x1b[0m \u202eexe.txt"

func controlObjects() []client.Object {
	ns := "ctl"
	ind := &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "controls"},
		Spec: v1alpha1.IndicatorSpec{
			Title: hostileControls, Area: v1alpha1.AreaProtection,
			Measure:         v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "persons\u202e"},
			Cadence:         v1alpha1.CadenceQuarterly,
			MechanismRef:    &v1alpha1.LocalObjectReference{Name: "council"},
			Disaggregations: []v1alpha1.Disaggregation{{Dimension: "place"}},
		},
		Status: v1alpha1.IndicatorStatus{
			Current: &v1alpha1.CurrentValue{Period: "2026-Q3", Value: "40"},
			History: []v1alpha1.HistoryEntry{{Period: "2026-Q3", Value: "40"}},
			Conditions: []metav1.Condition{
				{Type: v1alpha1.ConditionTargetMet, Status: metav1.ConditionFalse, Reason: "DeadlineMissed", Message: "missed \x1b[1m" + hostileControls},
				{Type: v1alpha1.ConditionEvidenceMissing, Status: metav1.ConditionTrue, Reason: "NoEvidence", Message: "none \u202e" + hostileControls},
				{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse, Reason: "MechanismNotFound", Message: hostileControls},
			},
		},
	}
	value := func(s string) *v1alpha1.Decimal { d := v1alpha1.Decimal(s); return &d }
	m := &v1alpha1.Measurement{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "controls-2026-q3"},
		Spec: v1alpha1.MeasurementSpec{
			IndicatorRef: v1alpha1.LocalObjectReference{Name: "controls"}, Period: "2026-Q3", Value: value("40"), Reporter: hostileControls,
			Breakdown: []v1alpha1.BreakdownCell{
				{Categories: map[string]v1alpha1.Category{"place": "north\u202e\x1b[8m"}, Value: value("25")},
				{Categories: map[string]v1alpha1.Category{"place": "south"}, Value: value("15")},
			},
		},
		Status: v1alpha1.MeasurementStatus{Conditions: []metav1.Condition{
			{Type: v1alpha1.ConditionAccepted, Status: metav1.ConditionTrue, Reason: "Valid"},
			{Type: v1alpha1.ConditionSuperseded, Status: metav1.ConditionFalse, Reason: "LatestReport"},
		}},
	}
	mech := &v1alpha1.CooperationMechanism{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "council"},
		Spec:       v1alpha1.CooperationMechanismSpec{Mandate: "Coordinate \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \u202e"},
		Status: v1alpha1.CooperationMechanismStatus{Conditions: []metav1.Condition{
			{Type: v1alpha1.ConditionFormalized, Status: metav1.ConditionFalse, Reason: "NotFormalized", Message: hostileControls},
		}},
	}
	plan := &v1alpha1.ActionPlan{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "plan"},
		Spec:       v1alpha1.ActionPlanSpec{Title: hostileControls, Start: "2025-Q1", End: "2027-Q4"},
	}
	return []client.Object{ind, m, mech, plan}
}

// Text from manifests reaches no output with its control characters or
// bidirectional overrides: each shows as a visible escape.
func TestManifestTextIsEscapedInEveryFormat(t *testing.T) {
	r := Build(controlObjects(), Options{Generated: goldenAt, Source: "manifests \x1b[31m", Notes: []string{"note \u202e"}})
	for name, write := range map[string]func(io.Writer, *Report) error{"markdown": WriteMarkdown, "csv": WriteCSV, "html": WriteHTML} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, raw := range []string{"\x1b", "\u202e", "\x07"} {
			if strings.Contains(out, raw) {
				t.Errorf("%s carries the raw character %q", name, raw)
			}
		}
		if !strings.Contains(out, `u202eexe.txt`) || !strings.Contains(out, `x1b`) {
			t.Errorf("%s does not show the escaped title", name)
		}
	}
}

// A Cumulative indicator's value is the sum of its periods: a single
// withheld period would be the value less the others, and running totals
// next to each other would give a period by subtraction.
func TestDisclosureCumulativeSeries(t *testing.T) {
	r := disclosureReport(t)
	i := find(t, r, "disclosure", "cumulative")
	if i.CurrentValue != "55" || i.TrendKind != TrendRunningTotal {
		t.Fatalf("current %q, trend %s", i.CurrentValue, i.TrendKind)
	}
	got := map[string]string{}
	for _, h := range i.History {
		if h.Value != "" {
			got[h.Period] = h.Value
		}
	}
	// 3 is small; 12, the next smallest period, goes with it: 55 - 40.
	if want := map[string]string{"2026-Q1": SuppressedWord, "2026-Q2": "40", "2026-Q3": SuppressedWord}; !reflect.DeepEqual(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
	// Running totals 3, 43, 55: 43 next to 55 would give 12.
	if got := (prose{}).trend(i); got != "suppressed → suppressed → 55" {
		t.Errorf("trend %q", got)
	}
	// The breakdown of 2026-Q3 would show its total, 12.
	b := i.Breakdown
	if b == nil || b.Total != SuppressedWord || !b.TotalSuppressed {
		t.Fatalf("breakdown %+v: want its total suppressed", b)
	}
	assertNothingDerivable(t, i)
	for _, c := range b.Dimensions[0].Cells {
		if c.Text != SuppressedWord {
			t.Errorf("cell %s shows %q under a suppressed total", c.Category, c.Text)
		}
	}
	var page strings.Builder
	walk(articleOf(t, renderHTML(t, r), i), func(n *html.Node) {
		if n.Type == html.TextNode {
			page.WriteString(n.Data + "|")
		}
	})
	for _, leak := range []string{"Q1 2026: 3", "Q2 2026: 43", "Q3 2026: 12", "2026-Q1: 3", "2026-Q2: 43", "2026-Q3: 12", "|12|", "|43|", "|3|", "Q1 2026 3", "Q3 2026 12"} {
		if strings.Contains(page.String(), leak) {
			t.Errorf("the HTML article shows %q", leak)
		}
	}
}

// A baseline below minCellSize is withheld, and so is what gives it away:
// the absolute value of a relative target (+50% of 4 is 6), the progress
// and the messages that state them.
func TestDisclosureSmallBaseline(t *testing.T) {
	r := disclosureReport(t)
	i := find(t, r, "disclosure", "small-baseline")
	if i.BaselineValue != "<5" || !i.BaselineSuppressed || i.AbsoluteTarget != "" || !i.TargetWithheld || i.Progress != "" || i.CurrentValue != "8" {
		t.Errorf("baseline %q, target value %q, progress %q, current %q", i.BaselineValue, i.AbsoluteTarget, i.Progress, i.CurrentValue)
	}
	if i.TargetMet.Message != WithheldMessage || i.OnTrack.Message != WithheldMessage {
		t.Errorf("messages %q, %q: want them withheld", i.TargetMet.Message, i.OnTrack.Message)
	}
	for name, write := range map[string]func(io.Writer, *Report) error{"markdown": WriteMarkdown, "csv": WriteCSV, "html": WriteHTML} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"baseline 4", "4 (2025-Q4)", "4 children in", "4 in Q4 2025", "→ 6", ",6,", "(6 ", "target 6"} {
			if strings.Contains(b.String(), leak) {
				t.Errorf("%s shows %q", name, leak)
			}
		}
	}
}

// The part of the total no cell covers ("not stated") is a cell like any
// other: 3 of 33 not stated, next to 20 and 10.
func TestDisclosureNotStatedRemainder(t *testing.T) {
	i := find(t, disclosureReport(t), "disclosure", "not-stated")
	assertNothingDerivable(t, i)
	var cells []string
	for _, c := range i.Breakdown.Dimensions[0].Cells {
		cells = append(cells, c.CategoryText()+"="+c.Text)
	}
	if got, want := strings.Join(cells, " "), "0-17=20 18+=suppressed (not stated)=suppressed"; got != want {
		t.Errorf("cells %q, want %q", got, want)
	}
}

// TestDisclosureOfDerivedValues: a derived count made of small cells
// (testdata/derived) is exact in status and withheld in reports, as any
// count below disclosure.minCellSize.
func TestDisclosureOfDerivedValues(t *testing.T) {
	objs := evaluated(t, "testdata/derived")
	for _, o := range objs {
		if ind, ok := o.(*v1alpha1.Indicator); ok && ind.Name == "girls-referred" {
			if ind.Status.Current == nil || ind.Status.Current.Value != "3" {
				t.Errorf("status current %+v, want the exact 3", ind.Status.Current)
			}
		}
	}
	r := Build(objs, Options{Generated: goldenAt, At: goldenAt})
	i := find(t, r, "derived", "girls-referred")
	if i.CurrentValue != "<5" || !i.CurrentSuppressed || i.Progress != "" {
		t.Errorf("current value %q (suppressed %v), progress %q: want <5", i.CurrentValue, i.CurrentSuppressed, i.Progress)
	}
	for _, h := range i.History {
		if h.Period == "2026-Q3" && h.Value != "<5" {
			t.Errorf("history %s = %q, want <5", h.Period, h.Value)
		}
	}
	if strings.Contains(i.TargetMet.Message, "3 ") {
		t.Errorf("TargetMet message %q states the value", i.TargetMet.Message)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| &lt;5 persons in Q3 2026 |") || strings.Contains(md.String(), "| 3 persons") {
		t.Errorf("markdown does not withhold the derived value:\n%s", md.String())
	}
}
