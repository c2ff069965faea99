package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// visibleText is the text a reader sees: text nodes outside <style>,
// <title> of the head and SVG <title>/<desc> (tooltips and descriptions
// for screen readers are checked separately), and outside elements of
// the skipped classes, joined with spaces.
func visibleText(doc *html.Node, skipClasses ...string) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "style", "head", "title", "desc":
				return
			}
			class, _ := attr(n, "class")
			for _, skip := range skipClasses {
				if strings.Contains(" "+class+" ", " "+skip+" ") {
					return
				}
			}
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

// elementByID is the element with the id; nil when there is none.
func elementByID(doc *html.Node, id string) *html.Node {
	var out *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && n.Type == html.ElementNode && v == id && out == nil {
			out = n
		}
	})
	return out
}

// TestNumbersAreForPeople: the example's figures are written with
// thousands separators, percentages carry %, and a count is never shown
// with decimals: the target of victims-identified-assisted is +20% of 48,
// 57.6 persons, shown as 58 (the smallest whole number of persons that
// meets it) with the exact value kept in a tooltip and a footnote.
func TestNumbersAreForPeople(t *testing.T) {
	r := nationalPlan(t)
	doc := renderHTML(t, r)
	page := visibleText(doc)
	for _, want := range []string{"850,000", "1,020,000", "935,000 USD", "47.5%", "135.42%", "64%"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, raw := range []string{"850000", "1020000", "935000"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page shows %q without thousands separators", raw)
		}
	}
	i := find(t, r, "protection", "victims-identified-assisted")
	article := articleOf(t, doc, i)
	at := visibleText(article)
	if !strings.Contains(at, "58 persons") || !strings.Contains(at, "exactly 57.6") {
		t.Errorf("victims-identified-assisted: want the target shown as 58 persons with the exact 57.6 in a footnote:\n%s", at)
	}
	tooltip := false
	walk(doc, func(n *html.Node) {
		if title, _ := attr(n, "title"); strings.Contains(title, "57.6") && strings.TrimSpace(text(n)) == "58" {
			tooltip = true
		}
	})
	if !tooltip {
		t.Error("no element shows 58 with the exact value 57.6 in its title")
	}
	if regexp.MustCompile(`\b57\.6 persons`).MatchString(page) {
		t.Error("the page shows a count with decimals: 57.6 persons")
	}
}

// TestDatesAndPeriodsForPeople: instants are written as dates ("21
// November 2026"), periods as people say them ("Q3 2026").
func TestDatesAndPeriodsForPeople(t *testing.T) {
	page := visibleText(renderHTML(t, nationalPlan(t)))
	for _, want := range []string{"21 November 2026", "Q3 2026", "H1 2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, raw := range []string{"2026-11-21T00:00:00Z", "2026-Q3", "2026-H1"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page shows %q", raw)
		}
	}
}

// rawIdentifiers are names of the API and of the example's manifests that
// a reader should never have to decode.
var rawIdentifiers = []string{
	"TaskForce", "InterMinisterialCouncil", "NationalReferralMechanism", "WorkingGroup",
	"CivilSociety", "CriminalJustice", "DirectAssistance", "HumanRightsInstitution",
	"TermsOfReference", "DeadlineMissed", "PeriodNotReported", "OutlierDetected",
	"MeetingsRegular", "SectorsRepresented", "RolesDefined", "IndicatorsOnTrack", "EvidenceMissing", "DataOverdue",
	"SemiAnnual", "stakeholderType", "locationOfIdentification", "countryOfOrigin", "actorType", "nonState",
	"borderControl", "laborInspectors", "national-task-force", "namespace coordination",
}

// TestHumanNames: the page names mechanisms, types, sectors, dimensions,
// categories, reasons and conditions in words; identifiers appear only in
// the small reference lines (class "ref") that let a secretariat find the
// object.
func TestHumanNames(t *testing.T) {
	page := visibleText(renderHTML(t, nationalPlan(t)), "ref")
	for _, id := range rawIdentifiers {
		if strings.Contains(page, id) {
			t.Errorf("the page shows the identifier %q", id)
		}
	}
	for _, want := range []string{"Task force", "civil society", "Referred by", "Border control", "half-yearly", "National Anti-Trafficking Secretariat"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestMechanismFindings: a mechanism's section says in sentences what its
// conditions found, with the date of the newest minutes; no condition
// table.
func TestMechanismFindings(t *testing.T) {
	doc := renderHTML(t, nationalPlan(t))
	m := elementByID(doc, "mech-coordination-national-task-force")
	if m == nil {
		t.Fatal("no section for the national task force")
	}
	got := visibleText(m)
	for _, want := range []string{
		"The national task force is formalized by its terms of reference",
		"it met on 24 September 2026, within its 100-day interval",
		"all five required sectors are represented",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the national task force's section lacks %q:\n%s", want, got)
		}
	}
	walk(elementByID(doc, "mechanisms"), func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			t.Error("the mechanisms section has a table")
		}
	})
}

// TestBooleanStatusLine: a Boolean indicator is a status line, not a
// chart of true and false.
func TestBooleanStatusLine(t *testing.T) {
	r := nationalPlan(t)
	doc := renderHTML(t, r)
	for name, want := range map[string]string{
		"coordination/inter-ministerial-council-established": "In place since 2025",
		"coordination/taskforce-meetings-regular":            "In place since Q2 2026",
		"prosecution/criminal-justice-meetings-regular":      "Not in place since Q3 2026",
		"protection/stakeholder-resource-inputs":             "Not in place",
	} {
		ns, n, _ := strings.Cut(name, "/")
		article := articleOf(t, doc, find(t, r, ns, n))
		walk(article, func(x *html.Node) {
			if x.Type == html.ElementNode && x.Data == "svg" {
				t.Errorf("%s: a chart for a Boolean indicator", name)
			}
		})
		if got := visibleText(article); !strings.Contains(got, want) {
			t.Errorf("%s: want %q in\n%s", name, want, got)
		}
	}
}

// repeatedRange finds ranges whose ends are the same: "from 2026 to
// 2026", "of Q3 2026 to Q3 2026", "between 5 and 5".
var repeatedRange = regexp.MustCompile(`(?i)\b(from|of|between)\s+(\S+(?:\s(?:19|20)\d\d)?)\s+(to|and|through|until)\s+(\S+(?:\s(?:19|20)\d\d)?)`)

// sentenceArtefacts lists what in s reads as a machine's assembly.
func sentenceArtefacts(s string) []string {
	var out []string
	for _, m := range repeatedRange.FindAllStringSubmatch(s, -1) {
		if strings.TrimRight(m[2], ".,;:") == strings.TrimRight(m[4], ".,;:") {
			out = append(out, m[0])
		}
	}
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`\(\s*\)`),
		regexp.MustCompile(`[,;:]\s*[.,;]|\.\s*[,;]|\.\.`),
		regexp.MustCompile(`\b(?:1|one) (?:indicators|reports|reporters|periods|sources|members|sectors|days)\b`),
	} {
		out = append(out, re.FindAllString(s, -1)...)
	}
	words := strings.Fields(s)
	for k := 1; k < len(words); k++ {
		if w := words[k]; strings.EqualFold(w, words[k-1]) && regexp.MustCompile(`^\pL+$`).MatchString(w) {
			out = append(out, words[k-1]+" "+w)
		}
	}
	return out
}

func TestSentenceArtefactsFindsThem(t *testing.T) {
	for _, s := range []string{"every due period from 2026 to 2026 has data", "Reporting of 2026-Q3 to 2026-Q3", "of Q3 2026 to Q3 2026",
		"1 indicators", "a ()", "done,.", "the the end"} {
		if len(sentenceArtefacts(s)) == 0 {
			t.Errorf("sentenceArtefacts misses %q", s)
		}
	}
	for _, s := range []string{"from 2025 to 2027", "of Q1 2026 to Q3 2026", "1 indicator", "2.5 persons", "in 2026."} {
		if got := sentenceArtefacts(s); len(got) > 0 {
			t.Errorf("sentenceArtefacts flags %q: %q", s, got)
		}
	}
}

// textBlocks are the texts of the page's paragraphs, list items, table
// cells, captions, headings, definitions and SVG titles and descriptions,
// one by one: each is read on its own.
func textBlocks(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "title", "desc":
			out = append(out, strings.Join(strings.Fields(text(n)), " "))
		}
	})
	return out
}

// TestNoSentenceArtefacts audits every sentence of the reports of the
// example and of every test scenario, in HTML and Markdown.
func TestNoSentenceArtefacts(t *testing.T) {
	reports := map[string]*Report{"national-plan": nationalPlan(t)}
	for _, dir := range []string{"anomaly", "breakdowns", "derived", "disclosure", "escape"} {
		reports[dir] = testdataReport(t, "testdata/"+dir)
	}
	// Ranges of one period: a plan of one year, a reporting table of one
	// due period.
	objs := controlObjects()
	objs[0].(*v1alpha1.Indicator).Spec.Reporting = &v1alpha1.Reporting{ExpectedReporters: []string{"Border Police"}}
	objs[3].(*v1alpha1.ActionPlan).Spec.Start, objs[3].(*v1alpha1.ActionPlan).Spec.End = "2026", "2026"
	objs[2].(*v1alpha1.CooperationMechanism).Spec.Mandate = "" // hostile text, not the report's
	reports["one period"] = Build(objs, Options{Generated: goldenAt})
	for _, want := range []string{"The plan runs in 2026.", "Reporting in Q3 2026", "for the one due period, Q3 2026:"} {
		var md bytes.Buffer
		if err := WriteMarkdown(&md, reports["one period"]); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(md.String(), want) {
			t.Errorf("the report of one period lacks %q", want)
		}
	}
	for name, r := range reports {
		var md bytes.Buffer
		if err := WriteMarkdown(&md, r); err != nil {
			t.Fatal(err)
		}
		for format, blocks := range map[string][]string{"html": textBlocks(renderHTML(t, r)), "markdown": strings.Split(md.String(), "\n")} {
			for _, s := range blocks {
				for _, a := range sentenceArtefacts(s) {
					t.Errorf("%s (%s): %q in %q", name, format, a, s)
				}
			}
		}
	}
}

// outline is the structure of a page, one line per landmark: sections
// and articles with their ids, headings with their level and text, the
// header row of every table, and the print stylesheet's rules that lay
// the page out on A4.
func outline(doc *html.Node) string {
	var b strings.Builder
	depth := 0
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		entered := false
		if n.Type == html.ElementNode {
			indent := strings.Repeat("  ", depth)
			id, _ := attr(n, "id")
			switch n.Data {
			case "section", "article":
				fmt.Fprintf(&b, "%s<%s id=%s>\n", indent, n.Data, id)
				depth, entered = depth+1, true
			case "h1", "h2", "h3", "h4":
				fmt.Fprintf(&b, "%s%s %s\n", indent, n.Data, strings.Join(strings.Fields(text(n)), " "))
			case "thead":
				var cols []string
				walk(n, func(c *html.Node) {
					if c.Type == html.ElementNode && c.Data == "th" {
						cols = append(cols, strings.Join(strings.Fields(text(c)), " "))
					}
				})
				fmt.Fprintf(&b, "%stable | %s |\n", indent, strings.Join(cols, " | "))
				return
			case "style":
				css := text(n)
				for _, rule := range []string{"size: A4", "@top-left", "@top-right", "@bottom-right", `counter(page) " of " counter(pages)`,
					"@media print", "break-before: page", "break-inside: avoid", "display: table-header-group"} {
					fmt.Fprintf(&b, "style has %q: %v\n", rule, strings.Contains(css, rule))
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
		if entered {
			depth--
		}
	}
	rec(doc)
	return b.String()
}

// TestHTMLOutline keeps the document's structure (testdata/national-plan.outline):
// what a reader navigates by and what the print stylesheet relies on,
// without the bytes of the page. Refresh it with -update and read the
// diff.
func TestHTMLOutline(t *testing.T) {
	got := outline(renderHTML(t, nationalPlan(t)))
	path := filepath.Join("testdata", "national-plan.outline")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report/ -run TestHTMLOutline -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("the outline differs from %s; if the change is intended, run go test ./internal/report/ -update and review the diff:\n%s", path, got)
	}
	if strings.Contains(got, ": false") {
		t.Errorf("the print stylesheet lacks a rule:\n%s", got)
	}
}

// TestPageHeaderTitle: the title reaches the print header (a CSS string
// in the style sheet) with every character that could end the string or
// the style sheet escaped; a colon, which html/template refuses in a CSS
// string ("ZgotmplZ"), is kept.
func TestPageHeaderTitle(t *testing.T) {
	for _, title := range []string{`Review: Q3 "2026" </style><script>alert(1)</script> url(//evil.example) \ ; }`, "Rapport d'été"} {
		s := string(cssString(title))
		if !strings.HasPrefix(s, `"`) || !strings.HasSuffix(s, `"`) {
			t.Fatalf("%q is not a CSS string", s)
		}
		if inner := s[1 : len(s)-1]; strings.ContainsAny(inner, "\"'<>();{}\n/:") {
			t.Errorf("cssString(%q) = %s leaves a character unescaped", title, s)
		}
	}
	r := nationalPlan(t)
	r.Title = `Review: Q3 </style><script>alert(1)</script>`
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "ZgotmplZ") || !strings.Contains(page, `@top-left { content: "Review\3a  Q3 \3c \2f style\3e \3c script\3e alert\28 1\29 \3c \2f script\3e ";`) {
		t.Errorf("the header's title is not the escaped title:\n%s", firstMatch(page, "@top-left"))
	}
	assertSelfContained(t, renderHTML(t, r))
}

func firstMatch(s, sub string) string {
	i := strings.Index(s, sub)
	if i < 0 {
		return "(none)"
	}
	return s[i:min(len(s), i+200)]
}
