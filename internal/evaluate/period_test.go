package evaluate

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

const (
	cadMonthly    = v1alpha1.CadenceMonthly
	cadQuarterly  = v1alpha1.CadenceQuarterly
	cadSemiAnnual = v1alpha1.CadenceSemiAnnual
	cadAnnual     = v1alpha1.CadenceAnnual
)

var (
	calYear        = Calendar{YearStartMonth: 1, YearLabel: v1alpha1.YearLabelStart}
	calFiscalStart = Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelStart}
	calFiscalEnd   = Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelEnd}
)

// utcDay is midnight UTC of a date, the only instants periods start at.
func utcDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// mustParsePeriod parses a period the test knows to be valid.
func mustParsePeriod(t *testing.T, s string, c v1alpha1.Cadence) Period {
	t.Helper()
	p, err := ParsePeriod(s, c)
	if err != nil {
		t.Fatalf("ParsePeriod(%q, %s): %v", s, c, err)
	}
	return p
}

func TestCalendarOf(t *testing.T) {
	tests := []struct {
		name string
		in   *v1alpha1.Calendar
		want Calendar
	}{
		{"nil", nil, calYear},
		{"zero fields", &v1alpha1.Calendar{}, calYear},
		{"month only", &v1alpha1.Calendar{YearStartMonth: 7}, calFiscalStart},
		{"label only", &v1alpha1.Calendar{YearLabel: v1alpha1.YearLabelEnd}, Calendar{1, v1alpha1.YearLabelEnd}},
		{"both", &v1alpha1.Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelEnd}, calFiscalEnd},
		{"explicit start label", &v1alpha1.Calendar{YearStartMonth: 4, YearLabel: v1alpha1.YearLabelStart}, Calendar{4, v1alpha1.YearLabelStart}},
		{"month 12", &v1alpha1.Calendar{YearStartMonth: 12}, Calendar{12, v1alpha1.YearLabelStart}},
		{"month 13 refused", &v1alpha1.Calendar{YearStartMonth: 13}, calYear},
		{"negative month refused", &v1alpha1.Calendar{YearStartMonth: -1}, calYear},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CalendarOf(tt.in); got != tt.want {
				t.Errorf("CalendarOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParsePeriodValid(t *testing.T) {
	tests := []struct {
		in   string
		c    v1alpha1.Cadence
		want Period
	}{
		{"2026-01", cadMonthly, Period{cadMonthly, 2026, 1}},
		{"2026-03", cadMonthly, Period{cadMonthly, 2026, 3}},
		{"2026-12", cadMonthly, Period{cadMonthly, 2026, 12}},
		{"0000-01", cadMonthly, Period{cadMonthly, 0, 1}},
		{"2026-Q1", cadQuarterly, Period{cadQuarterly, 2026, 1}},
		{"2026-Q4", cadQuarterly, Period{cadQuarterly, 2026, 4}},
		{"2026-H1", cadSemiAnnual, Period{cadSemiAnnual, 2026, 1}},
		{"2026-H2", cadSemiAnnual, Period{cadSemiAnnual, 2026, 2}},
		{"2026", cadAnnual, Period{cadAnnual, 2026, 0}},
		{"9999", cadAnnual, Period{cadAnnual, 9999, 0}},
		{"0000", cadAnnual, Period{cadAnnual, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := mustParsePeriod(t, tt.in, tt.c)
			if got != tt.want {
				t.Errorf("ParsePeriod = %+v, want %+v", got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want the input %q back", s, tt.in)
			}
			if c, ok := CadenceOf(tt.in); !ok || c != tt.c {
				t.Errorf("CadenceOf = %q, %v; want %q", c, ok, tt.c)
			}
		})
	}
}

func TestParsePeriodErrors(t *testing.T) {
	valid := map[v1alpha1.Cadence]string{
		cadMonthly: "2026-03", cadQuarterly: "2026-Q1", cadSemiAnnual: "2026-H1", cadAnnual: "2026",
	}
	bad := []string{
		"", "2026-Q5", "2026-Q0", "2026-H3", "2026-H0", "2026-13", "2026-00", "2026-3",
		"2026-003", "26", "202", "20261", " 2026", "2026 ", "2026-q1", "2026-h1",
		"2026Q1", "2026-Q", "2026-", "-2026", "+2026", "２０２６", "2026-Q1x", "2026/03",
		"2026-1a", "abcd", "2026-Q1\n",
	}
	for _, c := range cadenceOrder {
		// Every other cadence's well-formed period is a mismatch for c.
		for other, s := range valid {
			if other == c {
				continue
			}
			assertPeriodRefused(t, s, c)
		}
		for _, s := range bad {
			assertPeriodRefused(t, s, c)
		}
	}
}

// assertPeriodRefused checks that s is refused for c with a message that
// names the input, the cadence and the format to use.
func assertPeriodRefused(t *testing.T, s string, c v1alpha1.Cadence) {
	t.Helper()
	p, err := ParsePeriod(s, c)
	if err == nil {
		t.Errorf("ParsePeriod(%q, %s) = %+v, want an error", s, c, p)
		return
	}
	example := format(c).example
	for _, part := range []string{fmt.Sprintf("%q", s), " " + string(c) + " ", `"` + example + `"`} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("ParsePeriod(%q, %s) error %q does not mention %s", s, c, err, part)
		}
	}
}

func TestParsePeriodMessage(t *testing.T) {
	_, err := ParsePeriod("2026-03", cadQuarterly)
	want := `period "2026-03" is not a Quarterly period (write it like "2026-Q1")`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = ParsePeriod("2026-Q1", cadAnnual)
	want = `period "2026-Q1" is not an Annual period (write it like "2026")`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if _, err := ParsePeriod("2026", "Weekly"); err == nil || !strings.Contains(err.Error(), `"Weekly"`) {
		t.Errorf("unknown cadence: error = %v, want one naming it", err)
	}
}

func TestCadenceOfInvalid(t *testing.T) {
	for _, s := range []string{"", "26", "2026-13", "2026-Q5", "2026-H3", "2026-q1", " 2026", "2026-Q1 "} {
		if c, ok := CadenceOf(s); ok {
			t.Errorf("CadenceOf(%q) = %q, want not a period", s, c)
		}
	}
}

func TestStartEnd(t *testing.T) {
	tests := []struct {
		period     string
		c          v1alpha1.Cadence
		cal        Calendar
		start, end time.Time
	}{
		// Monthly periods are calendar months whatever the calendar.
		{"2026-02", cadMonthly, calYear, utcDay(2026, 2, 1), utcDay(2026, 3, 1)},
		{"2024-02", cadMonthly, calYear, utcDay(2024, 2, 1), utcDay(2024, 3, 1)},
		{"2026-03", cadMonthly, calFiscalEnd, utcDay(2026, 3, 1), utcDay(2026, 4, 1)},
		{"2026-12", cadMonthly, calFiscalStart, utcDay(2026, 12, 1), utcDay(2027, 1, 1)},
		// Calendar year.
		{"2026-Q1", cadQuarterly, calYear, utcDay(2026, 1, 1), utcDay(2026, 4, 1)},
		{"2026-Q4", cadQuarterly, calYear, utcDay(2026, 10, 1), utcDay(2027, 1, 1)},
		{"2026-H1", cadSemiAnnual, calYear, utcDay(2026, 1, 1), utcDay(2026, 7, 1)},
		{"2026-H2", cadSemiAnnual, calYear, utcDay(2026, 7, 1), utcDay(2027, 1, 1)},
		{"2026", cadAnnual, calYear, utcDay(2026, 1, 1), utcDay(2027, 1, 1)},
		// With January as the start both labels are the calendar year.
		{"2026", cadAnnual, Calendar{1, v1alpha1.YearLabelEnd}, utcDay(2026, 1, 1), utcDay(2027, 1, 1)},
		{"2026-Q2", cadQuarterly, Calendar{1, v1alpha1.YearLabelEnd}, utcDay(2026, 4, 1), utcDay(2026, 7, 1)},
		// The zero Calendar is the calendar year.
		{"2026-Q3", cadQuarterly, Calendar{}, utcDay(2026, 7, 1), utcDay(2026, 10, 1)},
		// July fiscal year labelled by its start year.
		{"2026", cadAnnual, calFiscalStart, utcDay(2026, 7, 1), utcDay(2027, 7, 1)},
		{"2026-Q1", cadQuarterly, calFiscalStart, utcDay(2026, 7, 1), utcDay(2026, 10, 1)},
		{"2026-Q2", cadQuarterly, calFiscalStart, utcDay(2026, 10, 1), utcDay(2027, 1, 1)},
		{"2026-Q3", cadQuarterly, calFiscalStart, utcDay(2027, 1, 1), utcDay(2027, 4, 1)},
		{"2026-Q4", cadQuarterly, calFiscalStart, utcDay(2027, 4, 1), utcDay(2027, 7, 1)},
		{"2026-H1", cadSemiAnnual, calFiscalStart, utcDay(2026, 7, 1), utcDay(2027, 1, 1)},
		{"2026-H2", cadSemiAnnual, calFiscalStart, utcDay(2027, 1, 1), utcDay(2027, 7, 1)},
		// July fiscal year labelled by its end year (the DESIGN.md example).
		{"2026", cadAnnual, calFiscalEnd, utcDay(2025, 7, 1), utcDay(2026, 7, 1)},
		{"2026-Q1", cadQuarterly, calFiscalEnd, utcDay(2025, 7, 1), utcDay(2025, 10, 1)},
		{"2026-Q2", cadQuarterly, calFiscalEnd, utcDay(2025, 10, 1), utcDay(2026, 1, 1)},
		{"2026-Q3", cadQuarterly, calFiscalEnd, utcDay(2026, 1, 1), utcDay(2026, 4, 1)},
		{"2026-Q4", cadQuarterly, calFiscalEnd, utcDay(2026, 4, 1), utcDay(2026, 7, 1)},
		{"2026-H1", cadSemiAnnual, calFiscalEnd, utcDay(2025, 7, 1), utcDay(2026, 1, 1)},
		{"2026-H2", cadSemiAnnual, calFiscalEnd, utcDay(2026, 1, 1), utcDay(2026, 7, 1)},
		// An April year and a December year, both labels.
		{"2026", cadAnnual, Calendar{4, v1alpha1.YearLabelStart}, utcDay(2026, 4, 1), utcDay(2027, 4, 1)},
		{"2026-Q4", cadQuarterly, Calendar{4, v1alpha1.YearLabelEnd}, utcDay(2026, 1, 1), utcDay(2026, 4, 1)},
		{"2026-Q1", cadQuarterly, Calendar{12, v1alpha1.YearLabelStart}, utcDay(2026, 12, 1), utcDay(2027, 3, 1)},
		{"2026-Q1", cadQuarterly, Calendar{12, v1alpha1.YearLabelEnd}, utcDay(2025, 12, 1), utcDay(2026, 3, 1)},
		// The edges of the four-digit years.
		{"0000", cadAnnual, calFiscalEnd, utcDay(-1, 7, 1), utcDay(0, 7, 1)},
		{"9999-Q4", cadQuarterly, calFiscalStart, utcDay(10000, 4, 1), utcDay(10000, 7, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.period+"/"+calendarName(tt.cal), func(t *testing.T) {
			p := mustParsePeriod(t, tt.period, tt.c)
			if got := p.Start(tt.cal); !got.Equal(tt.start) || got.Location() != time.UTC {
				t.Errorf("Start = %v, want %v UTC", got, tt.start)
			}
			if got := p.End(tt.cal); !got.Equal(tt.end) || got.Location() != time.UTC {
				t.Errorf("End = %v, want %v UTC", got, tt.end)
			}
			if got := p.Next().Start(tt.cal); !got.Equal(tt.end) {
				t.Errorf("Next().Start = %v, want End %v", got, tt.end)
			}
		})
	}
}

// calendarName labels a calendar in subtest names.
func calendarName(c Calendar) string {
	return time.Month(max(c.YearStartMonth, 1)).String() + "-" + string(c.YearLabel)
}

func TestContainsBoundaries(t *testing.T) {
	cals := []Calendar{calYear, calFiscalStart, calFiscalEnd, {4, v1alpha1.YearLabelEnd}}
	periods := []Period{
		{cadMonthly, 2026, 2}, {cadMonthly, 2026, 12}, {cadQuarterly, 2026, 1}, {cadQuarterly, 2026, 4},
		{cadSemiAnnual, 2026, 1}, {cadSemiAnnual, 2026, 2}, {cadAnnual, 2026, 0},
	}
	for _, cal := range cals {
		for _, p := range periods {
			start, end := p.Start(cal), p.End(cal)
			checks := []struct {
				at   time.Time
				in   bool
				want Period
			}{
				{start.Add(-time.Nanosecond), false, p.Prev()},
				{start, true, p},
				{end.Add(-time.Nanosecond), true, p},
				{end, false, p.Next()}, // closed at End: the instant belongs to Next
			}
			for _, ck := range checks {
				if got := p.Contains(ck.at, cal); got != ck.in {
					t.Errorf("%s %s Contains(%v) = %v, want %v", calendarName(cal), p, ck.at, got, ck.in)
				}
				if got := PeriodAt(ck.at, p.Cadence, cal); got != ck.want {
					t.Errorf("%s PeriodAt(%v, %s) = %s, want %s", calendarName(cal), ck.at, p.Cadence, got, ck.want)
				}
			}
		}
	}
}

func TestPeriodAt(t *testing.T) {
	kabul := time.FixedZone("UTC+4:30", 4*3600+1800)
	tests := []struct {
		at   time.Time
		c    v1alpha1.Cadence
		cal  Calendar
		want string
	}{
		{utcDay(2026, 3, 15), cadMonthly, calFiscalEnd, "2026-03"},
		{utcDay(2026, 3, 15), cadQuarterly, calYear, "2026-Q1"},
		{utcDay(2026, 3, 15), cadQuarterly, calFiscalStart, "2025-Q3"},
		{utcDay(2026, 3, 15), cadQuarterly, calFiscalEnd, "2026-Q3"},
		{utcDay(2025, 8, 1), cadQuarterly, calFiscalEnd, "2026-Q1"},
		{utcDay(2025, 8, 1), cadAnnual, calFiscalEnd, "2026"},
		{utcDay(2025, 8, 1), cadAnnual, calFiscalStart, "2025"},
		{utcDay(2026, 6, 30), cadAnnual, calFiscalEnd, "2026"},
		{utcDay(2026, 7, 1), cadAnnual, calFiscalEnd, "2027"},
		{utcDay(2026, 2, 1), cadSemiAnnual, calFiscalEnd, "2026-H2"},
		{utcDay(2026, 12, 31), cadSemiAnnual, calYear, "2026-H2"},
		// 2026-04-01 02:00 in UTC+4:30 is still 31 March in UTC.
		{time.Date(2026, 4, 1, 2, 0, 0, 0, kabul), cadQuarterly, calYear, "2026-Q1"},
		{time.Date(2026, 4, 1, 2, 0, 0, 0, kabul), cadMonthly, calYear, "2026-03"},
	}
	for _, tt := range tests {
		if got := PeriodAt(tt.at, tt.c, tt.cal).String(); got != tt.want {
			t.Errorf("PeriodAt(%v, %s, %s) = %s, want %s", tt.at, tt.c, calendarName(tt.cal), got, tt.want)
		}
	}
}

func TestNextPrev(t *testing.T) {
	tests := []struct {
		c                 v1alpha1.Cadence
		prev, this, after string
	}{
		{cadMonthly, "2025-12", "2026-01", "2026-02"},
		{cadMonthly, "2026-11", "2026-12", "2027-01"},
		{cadQuarterly, "2025-Q4", "2026-Q1", "2026-Q2"},
		{cadQuarterly, "2026-Q3", "2026-Q4", "2027-Q1"},
		{cadSemiAnnual, "2025-H2", "2026-H1", "2026-H2"},
		{cadSemiAnnual, "2026-H1", "2026-H2", "2027-H1"},
		{cadAnnual, "2025", "2026", "2027"},
		{cadAnnual, "0000", "0001", "0002"},
	}
	for _, tt := range tests {
		p := mustParsePeriod(t, tt.this, tt.c)
		if got := p.Prev().String(); got != tt.prev {
			t.Errorf("%s.Prev() = %s, want %s", tt.this, got, tt.prev)
		}
		if got := p.Next().String(); got != tt.after {
			t.Errorf("%s.Next() = %s, want %s", tt.this, got, tt.after)
		}
		if p.Next().Prev() != p || p.Prev().Next() != p {
			t.Errorf("%s: Next and Prev are not inverses", tt.this)
		}
	}
	// Stepping below year 0 stays consistent even though it cannot be written.
	p := Period{cadQuarterly, 0, 1}.Prev()
	if p != (Period{cadQuarterly, -1, 4}) || p.Next() != (Period{cadQuarterly, 0, 1}) {
		t.Errorf("0000-Q1.Prev() = %+v, want year -1 Q4", p)
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		c    v1alpha1.Cadence
		want int
	}{
		{"2026-03", "2026-03", cadMonthly, 0},
		{"2026-03", "2026-04", cadMonthly, -1},
		{"2026-12", "2026-02", cadMonthly, 1},
		{"2025-12", "2026-01", cadMonthly, -1},
		{"2025-Q4", "2026-Q1", cadQuarterly, -1},
		{"2026-Q2", "2026-Q1", cadQuarterly, 1},
		{"2026-H2", "2027-H1", cadSemiAnnual, -1},
		{"2027", "2026", cadAnnual, 1},
	}
	for _, tt := range tests {
		a, b := mustParsePeriod(t, tt.a, tt.c), mustParsePeriod(t, tt.b, tt.c)
		if got := a.Compare(b); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.Compare(a); got != -tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
	// Different cadences still give a total, antisymmetric order.
	m, q := Period{cadMonthly, 2026, 1}, Period{cadQuarterly, 2026, 1}
	if m.Compare(q) == 0 || m.Compare(q) != -q.Compare(m) {
		t.Errorf("cross-cadence Compare not a strict order: %d, %d", m.Compare(q), q.Compare(m))
	}
}

func TestPeriodsBetween(t *testing.T) {
	tests := []struct {
		from, to string
		c        v1alpha1.Cadence
		want     []string
	}{
		{"2025-Q3", "2026-Q2", cadQuarterly, []string{"2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"}},
		{"2025-11", "2026-02", cadMonthly, []string{"2025-11", "2025-12", "2026-01", "2026-02"}},
		{"2025-H2", "2027-H1", cadSemiAnnual, []string{"2025-H2", "2026-H1", "2026-H2", "2027-H1"}},
		{"2024", "2026", cadAnnual, []string{"2024", "2025", "2026"}},
		{"2026-Q1", "2026-Q1", cadQuarterly, []string{"2026-Q1"}},
		{"2026-Q2", "2026-Q1", cadQuarterly, nil},
		{"2027", "2026", cadAnnual, nil},
	}
	for _, tt := range tests {
		got := []string(nil)
		for _, p := range PeriodsBetween(mustParsePeriod(t, tt.from, tt.c), mustParsePeriod(t, tt.to, tt.c)) {
			got = append(got, p.String())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("PeriodsBetween(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	if got := PeriodsBetween(Period{cadMonthly, 2026, 1}, Period{cadQuarterly, 2026, 4}); len(got) != 0 {
		t.Errorf("PeriodsBetween across cadences = %v, want empty", got)
	}
	if got := len(PeriodsBetween(Period{cadMonthly, 2000, 1}, Period{cadMonthly, 2029, 12})); got != 360 {
		t.Errorf("30 years of months = %d periods, want 360", got)
	}
}

func TestStringOfHandBuiltPeriods(t *testing.T) {
	tests := []struct {
		p    Period
		want string
	}{
		{Period{cadMonthly, 7, 3}, "0007-03"},
		{Period{cadQuarterly, 2026, 2}, "2026-Q2"},
		{Period{cadSemiAnnual, 2026, 2}, "2026-H2"},
		{Period{cadAnnual, 2026, 0}, "2026"},
		{Period{"", 2026, 0}, "2026"}, // an unknown cadence behaves as Annual
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestFloorDivMod(t *testing.T) {
	tests := []struct{ a, b, div, mod int }{
		{7, 12, 0, 7}, {12, 12, 1, 0}, {-1, 12, -1, 11}, {-12, 12, -1, 0}, {-13, 12, -2, 11}, {0, 4, 0, 0},
	}
	for _, tt := range tests {
		if d, m := floorDiv(tt.a, tt.b), floorMod(tt.a, tt.b); d != tt.div || m != tt.mod {
			t.Errorf("floor(%d/%d) = %d rem %d, want %d rem %d", tt.a, tt.b, d, m, tt.div, tt.mod)
		}
	}
}
