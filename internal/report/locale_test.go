package report

import (
	"strings"
	"testing"
	"time"
)

func mustLocale(t *testing.T, tag string) Locale {
	t.Helper()
	l, err := ParseLocale(tag)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestParseLocale(t *testing.T) {
	for tag, want := range map[string]string{"en": "en", "EN": "en", "en-GB": "en", "en_US": "en", "fr": "fr", "fr-FR": "fr", "fr_CA": "fr"} {
		if got := mustLocale(t, tag).Tag(); got != want {
			t.Errorf("ParseLocale(%q) = %s, want %s", tag, got, want)
		}
	}
	for _, bad := range []string{"de", "", "english"} {
		if _, err := ParseLocale(bad); err == nil || !strings.Contains(err.Error(), "en, fr") {
			t.Errorf("ParseLocale(%q): error %v, want one naming en, fr", bad, err)
		}
	}
	if (Locale{}).Tag() != "en" {
		t.Error("the zero Locale is not English")
	}
}

func TestNumbers(t *testing.T) {
	const nnbsp = "\u202f"
	for _, tc := range []struct{ in, en, fr string }{
		{"1020000", "1,020,000", "1" + nnbsp + "020" + nnbsp + "000"},
		{"16.67", "16.67", "16,67"},
		{"935000.5", "935,000.5", "935" + nnbsp + "000,5"},
		{"1000", "1,000", "1" + nnbsp + "000"},
		{"999", "999", "999"},
		{"0.84", "0.84", "0,84"},
		{"-12345", "-12,345", "-12" + nnbsp + "345"},
		{"<5", "<5", "<5"}, // not a number: as it is
		{"suppressed", "suppressed", "suppressed"},
		{"2026-Q3", "2026-Q3", "2026-Q3"},
	} {
		if got := mustLocale(t, "en").Number(tc.in); got != tc.en {
			t.Errorf("en Number(%q) = %q, want %q", tc.in, got, tc.en)
		}
		if got := mustLocale(t, "fr").Number(tc.in); got != tc.fr {
			t.Errorf("fr Number(%q) = %q, want %q", tc.in, got, tc.fr)
		}
	}
	if got := mustLocale(t, "en").Percent("16.67"); got != "16.67%" {
		t.Errorf("en Percent = %q", got)
	}
	if got := mustLocale(t, "fr").Percent("16.67"); got != "16,67"+nnbsp+"%" {
		t.Errorf("fr Percent = %q", got)
	}
}

// TestWhole: counts are never shown with decimals; the exact value is
// kept (exact false) so that the report can show it too.
func TestWhole(t *testing.T) {
	for _, tc := range []struct {
		in    string
		how   Rounding
		want  string
		exact bool
	}{
		{"57.6", Nearest, "58", false},
		{"57.6", Up, "58", false},
		{"57.6", Down, "57", false},
		{"57.2", Up, "58", false}, // at least 57.2 persons: 58
		{"57.5", Nearest, "58", false},
		{"57.49", Nearest, "57", false},
		{"-2.5", Nearest, "-3", false},
		{"-2.5", Up, "-2", false},
		{"-2.5", Down, "-3", false},
		{"58", Up, "58", true},
		{"58.000", Nearest, "58", true},
		{"<5", Nearest, "<5", true},
	} {
		got, exact := Whole(tc.in, tc.how)
		if got != tc.want || exact != tc.exact {
			t.Errorf("Whole(%q, %d) = %q, %v; want %q, %v", tc.in, tc.how, got, exact, tc.want, tc.exact)
		}
	}
}

// TestCountFigures: 57.6 persons is shown as 58, with the exact value
// kept, in both locales.
func TestCountFigures(t *testing.T) {
	i := &Indicator{MeasureType: "Count", Unit: "persons", TargetOperator: "IncreaseByPercent", TargetValue: "20", AbsoluteTarget: "57.6", TargetDeadline: "2027-Q4"}
	for tag, want := range map[string]string{
		"en": "+20% of the baseline (58 persons, exactly 57.6) by Q4 2027",
		"fr": "+20\u202f% of the baseline (58 persons, exactly 57,6) by T4 2027",
	} {
		say := prose{mustLocale(t, tag)}
		if got := say.target(i).String(); got != want {
			t.Errorf("%s: target %q, want %q", tag, got, want)
		}
		if f := say.figure(i, "57.6", Nearest); f.Text != "58" || f.Exact == "" {
			t.Errorf("%s: figure %+v", tag, f)
		}
	}
	if note := (prose{}).exactNote(i); note != "The target is 58 persons, rounded up from exactly 57.6: counts are shown as whole numbers." {
		t.Errorf("note %q", note)
	}
	down := &Indicator{MeasureType: "Count", Unit: "cases", TargetOperator: "AtMost", TargetValue: "57.6"}
	if got := (prose{}).target(down).String(); got != "At most 57 cases (exactly 57.6)" {
		t.Errorf("at most: %q", got)
	}
	for unit, want := range map[string]string{"persons": "1 person", "agreements": "1 agreement", "duplicated efforts": "1 duplicated efforts", "bus": "1 bus", "USD": "1 USD"} {
		if got := (prose{}).value(&Indicator{MeasureType: "Count", Unit: unit}, "1"); got != want {
			t.Errorf("1 %s reads %q, want %q", unit, got, want)
		}
	}
	amount := &Indicator{MeasureType: "Amount", Unit: "USD"}
	if got := (prose{}).value(amount, "1020000.5"); got != "1,020,000.5 USD" {
		t.Errorf("an amount keeps its decimals: %q", got)
	}
}

func TestDatesAndPeriods(t *testing.T) {
	day := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	first := time.Date(2026, 5, 1, 14, 5, 0, 0, time.UTC)
	en, fr := mustLocale(t, "en"), mustLocale(t, "fr")
	for _, tc := range []struct{ got, want string }{
		{en.Date(day), "29 November 2026"},
		{fr.Date(day), "29 novembre 2026"},
		{fr.Date(first), "1er mai 2026"},
		{en.DateTime(day), "29 November 2026"},
		{en.DateTime(first), "1 May 2026, 14:05 UTC"},
		{en.Period("2026"), "2026"},
		{en.Period("2026-Q3"), "Q3 2026"},
		{fr.Period("2026-Q3"), "T3 2026"},
		{en.Period("2026-H1"), "H1 2026"},
		{fr.Period("2026-H1"), "S1 2026"},
		{en.Period("2026-05"), "May 2026"},
		{fr.Period("2026-08"), "août 2026"},
		{en.Period("soon"), "soon"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}

// TestMessage: condition messages computed by Concord are shown with
// their periods, dates and large numbers written for people; names that
// hold digits and four-digit numbers (years) are left alone.
func TestMessage(t *testing.T) {
	en, fr := mustLocale(t, "en"), mustLocale(t, "fr")
	in := "No counted data for 2026-Q3 from NGO shelter network (due 2026-10-31); newest minutes ntf-minutes-2026-09 collected 2026-09-24; 935000 is 10% above 850000, target 57.6 in 2027"
	want := "No counted data for Q3 2026 from NGO shelter network (due 31 October 2026); newest minutes ntf-minutes-2026-09 collected 24 September 2026; 935,000 is 10% above 850,000, target 57.6 in 2027"
	if got := en.Message(in); got != want {
		t.Errorf("en:\n got %q\nwant %q", got, want)
	}
	if got := fr.Message("2025-01 to 2025-05: median 50.5"); got != "janvier 2025 to mai 2025: median 50,5" {
		t.Errorf("fr: %q", got)
	}
}

func TestSmallNumbersInWords(t *testing.T) {
	en, fr := mustLocale(t, "en"), mustLocale(t, "fr")
	if en.Small(5) != "five" || en.Small(12) != "12" || en.Small(0) != "0" || fr.Small(5) != "5" {
		t.Errorf("Small: %q %q %q %q", en.Small(5), en.Small(12), en.Small(0), fr.Small(5))
	}
}
