// Package evaluate is Concord's pure domain logic: periods, values, targets
// and evidence sufficiency. It imports no client, no clock and no network, so
// the controllers and `concordctl evaluate` compute the same verdicts.
package evaluate

import (
	"fmt"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Calendar is the reporting year: YearStartMonth 1..12 (1 = calendar year),
// YearLabel StartYear|EndYear. The zero Calendar is the calendar year.
type Calendar struct {
	YearStartMonth int
	YearLabel      v1alpha1.YearLabel
}

// CalendarOf returns the calendar an indicator's spec sets. Nil or zero
// fields take the API defaults {1, StartYear}; a month outside 1..12 (which
// the API server refuses) also falls back to 1 so no caller can misplace a year.
func CalendarOf(c *v1alpha1.Calendar) Calendar {
	cal := Calendar{YearStartMonth: 1, YearLabel: v1alpha1.YearLabelStart}
	if c == nil {
		return cal
	}
	if c.YearStartMonth >= 1 && c.YearStartMonth <= 12 {
		cal.YearStartMonth = int(c.YearStartMonth)
	}
	if c.YearLabel == v1alpha1.YearLabelEnd {
		cal.YearLabel = v1alpha1.YearLabelEnd
	}
	return cal
}

// startMonth is the 0-based month the reporting year starts in; values a
// Calendar literal may hold outside 1..12 mean the calendar year.
func (cal Calendar) startMonth() int {
	if cal.YearStartMonth < 1 || cal.YearStartMonth > 12 {
		return 0
	}
	return cal.YearStartMonth - 1
}

// labelShift is how many years the label is ahead of the year the
// reporting year starts in: 1 for a fiscal year labelled by its end year.
// A year starting in January is the calendar year whatever its label.
func (cal Calendar) labelShift() int {
	if cal.YearLabel == v1alpha1.YearLabelEnd && cal.startMonth() != 0 {
		return 1
	}
	return 0
}

// Period is one reporting period of a cadence. Index is the month 1-12, the
// quarter 1-4 or the half 1-2, and 0 for Annual. Year is the label of the
// reporting year (the calendar year for Monthly).
type Period struct {
	Cadence v1alpha1.Cadence
	Year    int
	Index   int
}

// cadenceFormat describes how a cadence writes its periods.
type cadenceFormat struct {
	sep     string // text between the year and the index
	max     int    // periods per year; the index runs 1..max
	months  int    // months per period
	example string // shown in errors so the user sees the right shape
}

// formats lists the four cadences; Annual has no index.
var formats = map[v1alpha1.Cadence]cadenceFormat{
	v1alpha1.CadenceMonthly:    {sep: "-", max: 12, months: 1, example: "2026-03"},
	v1alpha1.CadenceQuarterly:  {sep: "-Q", max: 4, months: 3, example: "2026-Q1"},
	v1alpha1.CadenceSemiAnnual: {sep: "-H", max: 2, months: 6, example: "2026-H1"},
	v1alpha1.CadenceAnnual:     {sep: "", max: 1, months: 12, example: "2026"},
}

// format returns the cadence's format; an unknown cadence behaves as Annual
// so that no method panics on a hand-built Period.
func format(c v1alpha1.Cadence) cadenceFormat {
	if f, ok := formats[c]; ok {
		return f
	}
	return formats[v1alpha1.CadenceAnnual]
}

// KnownCadence reports whether c is one of the API's cadences.
func KnownCadence(c v1alpha1.Cadence) bool {
	_, ok := formats[c]
	return ok
}

// ParsePeriod parses s as a period of cadence c, exactly as the API pattern
// `^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$` and the cadence allow.
func ParsePeriod(s string, c v1alpha1.Cadence) (Period, error) {
	f, ok := formats[c]
	if !ok {
		return Period{}, fmt.Errorf("cadence %q is not one of Monthly, Quarterly, SemiAnnual, Annual", c)
	}
	p, ok := parseAs(s, c, f)
	if !ok {
		return Period{}, fmt.Errorf("period %q is not %s %s period (write it like %q)", s, article(c), c, f.example)
	}
	return p, nil
}

// article is the indefinite article for a cadence name in messages.
func article(c v1alpha1.Cadence) string {
	if c == v1alpha1.CadenceAnnual {
		return "an"
	}
	return "a"
}

// parseAs reads "YYYY" followed by f.sep and the index, with no other text.
func parseAs(s string, c v1alpha1.Cadence, f cadenceFormat) (Period, bool) {
	if len(s) < 4 || !allDigits(s[:4]) {
		return Period{}, false
	}
	year := atoi(s[:4])
	if c == v1alpha1.CadenceAnnual {
		return Period{Cadence: c, Year: year}, len(s) == 4
	}
	rest := s[4:]
	digits := 1
	if c == v1alpha1.CadenceMonthly {
		digits = 2 // months are always written with two digits
	}
	if len(rest) != len(f.sep)+digits || rest[:len(f.sep)] != f.sep || !allDigits(rest[len(f.sep):]) {
		return Period{}, false
	}
	index := atoi(rest[len(f.sep):])
	if index < 1 || index > f.max {
		return Period{}, false
	}
	return Period{Cadence: c, Year: year, Index: index}, true
}

// allDigits reports whether s is non-empty ASCII digits; unicode.IsDigit
// would accept other scripts' digits, which the API pattern refuses.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi converts a short string of ASCII digits checked by allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// cadenceOrder fixes the order CadenceOf tries, so the result never depends
// on map iteration.
var cadenceOrder = []v1alpha1.Cadence{
	v1alpha1.CadenceMonthly, v1alpha1.CadenceQuarterly, v1alpha1.CadenceSemiAnnual, v1alpha1.CadenceAnnual,
}

// CadenceOf infers the cadence a period string is written in; false if s is
// not a valid period of any cadence. The formats do not overlap.
func CadenceOf(s string) (v1alpha1.Cadence, bool) {
	for _, c := range cadenceOrder {
		if _, ok := parseAs(s, c, formats[c]); ok {
			return c, true
		}
	}
	return "", false
}

// String writes the period in its cadence's format: "2026-03", "2026-Q1",
// "2026-H1", "2026".
func (p Period) String() string {
	f := format(p.Cadence)
	switch {
	case f.max == 1:
		return fmt.Sprintf("%04d", p.Year)
	case p.Cadence == v1alpha1.CadenceMonthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Index)
	default:
		return fmt.Sprintf("%04d%s%d", p.Year, f.sep, p.Index)
	}
}

// firstMonth is the period's first month as a month count since year 0
// (year*12 + month-1), so that periods map to months with plain arithmetic.
func (p Period) firstMonth(cal Calendar) int {
	f := format(p.Cadence)
	if p.Cadence == v1alpha1.CadenceMonthly {
		return p.Year*12 + p.Index - 1 // months are calendar months
	}
	offset := 0
	if f.max > 1 {
		offset = (p.Index - 1) * f.months
	}
	return (p.Year-cal.labelShift())*12 + cal.startMonth() + offset
}

// monthStart is midnight UTC on the first day of month count m.
func monthStart(m int) time.Time {
	return time.Date(floorDiv(m, 12), time.Month(floorMod(m, 12)+1), 1, 0, 0, 0, 0, time.UTC)
}

// Start is the first instant of the period, UTC, inclusive.
func (p Period) Start(cal Calendar) time.Time {
	return monthStart(p.firstMonth(cal))
}

// End is the instant the period closes, UTC, exclusive: the Start of Next.
func (p Period) End(cal Calendar) time.Time {
	return monthStart(p.firstMonth(cal) + format(p.Cadence).months)
}

// ordinal numbers the periods of one cadence consecutively, independent of
// the calendar, so Next, Prev and Compare are integer steps.
func (p Period) ordinal() int {
	f := format(p.Cadence)
	if f.max == 1 {
		return p.Year
	}
	return p.Year*f.max + p.Index - 1
}

// fromOrdinal is the inverse of ordinal for cadence c.
func fromOrdinal(c v1alpha1.Cadence, n int) Period {
	f := format(c)
	if f.max == 1 {
		return Period{Cadence: c, Year: n}
	}
	return Period{Cadence: c, Year: floorDiv(n, f.max), Index: floorMod(n, f.max) + 1}
}

// Next is the period right after p in the same cadence.
func (p Period) Next() Period { return fromOrdinal(p.Cadence, p.ordinal()+1) }

// Prev is the period right before p in the same cadence.
func (p Period) Prev() Period { return fromOrdinal(p.Cadence, p.ordinal()-1) }

// Compare orders periods of the same cadence chronologically: -1, 0 or +1.
// Periods of different cadences are not comparable in time; they are
// ordered by cadence name only so that sorting stays deterministic.
func (p Period) Compare(q Period) int {
	if p.Cadence != q.Cadence {
		if p.Cadence < q.Cadence {
			return -1
		}
		return 1
	}
	a, b := p.ordinal(), q.ordinal()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Contains reports whether t falls in the period: Start <= t < End.
func (p Period) Contains(t time.Time, cal Calendar) bool {
	return !t.Before(p.Start(cal)) && t.Before(p.End(cal))
}

// PeriodAt returns the period of cadence c that contains t (in any zone).
func PeriodAt(t time.Time, c v1alpha1.Cadence, cal Calendar) Period {
	t = t.UTC()
	m := t.Year()*12 + int(t.Month()) - 1
	if c == v1alpha1.CadenceMonthly {
		return Period{Cadence: c, Year: floorDiv(m, 12), Index: floorMod(m, 12) + 1}
	}
	f := format(c)
	r := m - cal.startMonth() // months since the start of reporting year 0
	p := Period{Cadence: c, Year: floorDiv(r, 12) + cal.labelShift()}
	if f.max > 1 {
		p.Index = floorMod(r, 12)/f.months + 1
	}
	return p
}

// PeriodsBetween lists from..to inclusive in chronological order; it is
// empty if from is after to or the cadences differ.
func PeriodsBetween(from, to Period) []Period {
	if from.Cadence != to.Cadence || from.Compare(to) > 0 {
		return nil
	}
	out := make([]Period, 0, to.ordinal()-from.ordinal()+1)
	for p := from; p.Compare(to) <= 0; p = p.Next() {
		out = append(out, p)
	}
	return out
}

// floorDiv divides rounding toward negative infinity, so years before 0
// (reachable by Prev or EndYear labels) still map to the right months.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// floorMod is the non-negative remainder matching floorDiv.
func floorMod(a, b int) int {
	return a - floorDiv(a, b)*b
}
