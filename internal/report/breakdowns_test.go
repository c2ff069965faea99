package report

import (
	"bytes"
	"strings"
	"testing"
)

// tableText is a dimension's table as one line: "name: cat=text ...
// [Total] coverage".
func tableText(d Dimension) string {
	var cells []string
	for _, c := range d.Cells {
		cells = append(cells, c.CategoryText()+"="+c.Text)
	}
	s := d.Name + ": " + strings.Join(cells, " ")
	if d.ShowTotal {
		s += " [Total]"
	}
	if d.Coverage != "" {
		s += " " + d.Coverage
	}
	return s
}

// Each dimension's table is shown as it was published: per dimension,
// with the not-stated remainder of AtMost tables as a cell, overlapping
// and subgroup tables without sums, and the share of the total each
// additive table breaks down, as far as disclosure control allows.
func TestBreakdownTablesAsPublished(t *testing.T) {
	r := testdataReport(t, "testdata/breakdowns") // breakdowns as they are published
	for _, tc := range []struct {
		name   string
		tables []string
		notes  []string // per table; "" for none
	}{
		{"nrm-referrals", []string{
			"sex: female=6812 male=4560 (not stated)=15 [Total] 99.87%",
			"age: 0-17=2154 18+=9224 (not stated)=9 [Total] 99.92%",
		}, []string{"", ""}},
		// 3 is small and withheld alone: the cells overlap, so the total
		// less the others does not give it.
		{"forms", []string{"form: sexual=30 labour=14 begging=<5 [Total]"},
			[]string{"A person may be counted in several categories: the cells may sum to more than the total."}},
		{"rates", []string{"sex: Men=6.3 Women=12"},
			[]string{"Each figure is its subgroup's own (a rate, share or average of that subgroup): the figures are not summed and have no total."}},
		// The not-stated 3 shows as <5, so the share is only bounded.
		{"coverage-bound", []string{"sex: female=60 male=34 other=<5 (not stated)=<5 [Total] more than 95%"}, []string{""}},
		// The not-stated 4 is withheld with male (complementary): 96% would
		// give it away.
		{"coverage-withheld", []string{"sex: female=60 male=suppressed (not stated)=suppressed [Total] suppressed"}, []string{""}},
		// The marginal cells win for sex; age is the cross cells summed.
		{"mixed", []string{
			"sex: female=40 male=12 [Total] 100%",
			"age: 0-17=10 18+=30 (not stated)=12 [Total] 76.92%",
		}, []string{"", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := find(t, r, "breakdowns", tc.name).Breakdown
			if b == nil {
				t.Fatal("no breakdown")
			}
			var got, notes []string
			for _, d := range b.Dimensions {
				got = append(got, tableText(d))
				notes = append(notes, d.Note)
			}
			if strings.Join(got, "\n") != strings.Join(tc.tables, "\n") {
				t.Errorf("tables\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.tables, "\n  "))
			}
			if strings.Join(notes, "|") != strings.Join(tc.notes, "|") {
				t.Errorf("notes %q, want %q", notes, tc.notes)
			}
		})
	}
}

// The renderers show what the model holds: no total row under subgroup
// rates, the note of overlapping cells, the share broken down.
func TestBreakdownTablesRendered(t *testing.T) {
	r := testdataReport(t, "testdata/breakdowns") // breakdowns as they are published
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"| Men | 6.3 |\n| Women | 12 |\n\nEach figure is its subgroup's own",
		"| Begging | &lt;5 |\n| **Total** | **40** |\n\nA person may be counted in several categories",
		"| Not stated | 15 |\n| **Total** | **11,387** |\n\nThe table covers 99.87% of the total.",
		"The table covers more than 95% of the total.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	article := text(articleOf(t, renderHTML(t, r), find(t, r, "breakdowns", "rates")))
	if strings.Contains(article, "Total9.2") || !strings.Contains(article, "Each figure is its subgroup") {
		t.Errorf("HTML of the rates: %q", article)
	}
}
