package exchange_test

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
)

const fixture = "testdata/disclosure.yaml"

func fixtureMap(t *testing.T) *exchange.Map {
	return exchangetest.Map(t, `
format: test
namespace: ex
reporter: Secretariat
indicators: [{indicator: victims}, {indicator: sops-endorsed}]
`)
}

// show writes figures one a line: indicator period categories = value
// (or "suppressed"), reporter.
func show(figures []exchange.Figure) string {
	var lines []string
	for _, f := range figures {
		var cats []string
		for d, c := range f.Categories {
			cats = append(cats, d+"="+c)
		}
		sort.Strings(cats)
		v := f.Value
		if f.Numerator != "" {
			v += " (" + f.Numerator + "/" + f.Denominator + ")"
		}
		if f.Status == exchange.Suppressed {
			v = "suppressed"
			if f.Value != "" || f.Numerator != "" || f.Denominator != "" {
				v = "suppressed WITH A VALUE " + f.Value + f.Numerator + f.Denominator
			}
		}
		lines = append(lines, fmt.Sprintf("%s %s [%s] = %s, %s", f.Indicator, f.Period, strings.Join(cats, " "), v, f.Reporter))
	}
	return strings.Join(lines, "\n")
}

// TestCollectDisclosure: each period's figures are those the Indicator
// counts (the correction, not the report it supersedes; both reporters
// summed), and none below minCellSize is published: not the small cell
// (3), not the cell that would give it (17 of a total of 20), not a small
// total (4) nor its cells.
func TestCollectDisclosure(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	figures, ex, err := exchange.Collect(fixtureMap(t), objs, false)
	if err != nil {
		t.Fatal(err)
	}
	want := `victims 2026-Q1 [] = 20, Border Police
victims 2026-Q1 [gender=female] = suppressed, Border Police
victims 2026-Q1 [gender=male] = suppressed, Border Police
victims 2026-Q2 [] = suppressed, Border Police
victims 2026-Q2 [gender=female] = suppressed, Border Police
victims 2026-Q2 [gender=male] = suppressed, Border Police
victims 2026-Q3 [] = 38, Secretariat
victims 2026-Q3 [gender=female] = 21, Secretariat
victims 2026-Q3 [gender=male] = 17, Secretariat
sops-endorsed 2026 [] = true, Secretariat`
	if got := show(figures); got != want {
		t.Errorf("figures:\n%s\nwant:\n%s", got, want)
	}
	info := ex.Indicators["victims"]
	if b := info.Baseline; b == nil || b.Status != exchange.Suppressed || b.Value != "" {
		t.Errorf("the baseline 3 is below 5 and must be withheld: %+v", b)
	}
	// The target is +50% of the withheld baseline: its absolute value
	// (4.5) would give the baseline away. The milestone is the body's own.
	if fmt.Sprint(info.Targets) != "[{2026-Q2 25}]" {
		t.Errorf("targets %v, want only the milestone", info.Targets)
	}
	if l := info.Evidence["2026-Q1"]; len(l) != 1 || l[0].URL != "https://records.gov.example/register-2026-q1.pdf" {
		t.Errorf("evidence of 2026-Q1: %+v", l)
	}
	if p := ex.Plans["plan"]; p == nil || p.StartTime.Format("2006-01-02") != "2026-01-01" || p.EndTime.Format("2006-01-02") != "2027-01-01" {
		t.Errorf("plan %+v", p)
	}
}

// TestCollectExact: --exact (dhis2, adx) gives every figure its value.
func TestCollectExact(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	figures, ex, err := exchange.Collect(fixtureMap(t), objs, true)
	if err != nil {
		t.Fatal(err)
	}
	got := show(figures)
	for _, want := range []string{"victims 2026-Q1 [gender=male] = 3,", "victims 2026-Q2 [] = 4,", "victims 2026-Q2 [gender=male] = 1,"} {
		if !strings.Contains(got, want) {
			t.Errorf("exact figures lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "suppressed") {
		t.Errorf("exact figures suppress:\n%s", got)
	}
	if ex.Indicators["victims"].Baseline.Value != "3" {
		t.Errorf("exact baseline %+v", ex.Indicators["victims"].Baseline)
	}
	// The objects read are not changed: a later export is controlled.
	again, _, err := exchange.Collect(fixtureMap(t), objs, false)
	if err != nil || !strings.Contains(show(again), "victims 2026-Q2 [] = suppressed") {
		t.Errorf("after an exact export: %v\n%s", err, show(again))
	}
}

func TestCollectUnknownIndicator(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	m := exchangetest.Map(t, "format: test\nnamespace: ex\nindicators: [{indicator: victims}, {indicator: victim}]")
	_, _, err := exchange.Collect(m, objs, false)
	if err == nil || !strings.Contains(err.Error(), "map.yaml: indicators[1]: no Indicator ex/victim") {
		t.Errorf("got %v", err)
	}
}

// TestWriteWholeOrNothing: a codec that fails after writing part of its
// output leaves nothing written.
func TestWriteWholeOrNothing(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	var out bytes.Buffer
	err := exchange.Write(fixtureMap(t), halfWriter{}, objs, false, &out)
	if err == nil || out.Len() != 0 {
		t.Errorf("error %v, written %q", err, out.String())
	}
}

// TestCollectOneIndicatorUnderSeveralCodes: an Indicator the map names
// under several codes (a DHIS2 total and one data element per table) gives
// its figures once; the codec places each under its code.
func TestCollectOneIndicatorUnderSeveralCodes(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	once, _, err := exchange.Collect(fixtureMap(t), objs, false)
	if err != nil {
		t.Fatal(err)
	}
	m := exchangetest.Map(t, `
format: test
namespace: ex
reporter: Secretariat
indicators: [{indicator: victims, code: TOTAL}, {indicator: victims, code: BY_SEX}, {indicator: sops-endorsed}, {indicator: victims, code: BY_AGE}]
`)
	thrice, _, err := exchange.Collect(m, objs, false)
	if err != nil {
		t.Fatal(err)
	}
	if show(thrice) != show(once) {
		t.Errorf("figures\n%s\nwant\n%s", show(thrice), show(once))
	}
}
