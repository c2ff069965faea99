package dhis2

import (
	"strings"
	"testing"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

func indicator(c v1alpha1.Cadence, start int32, label v1alpha1.YearLabel) *Indicator {
	var cal *v1alpha1.Calendar
	if start != 0 {
		cal = &v1alpha1.Calendar{YearStartMonth: start, YearLabel: label}
	}
	return &Indicator{Name: "x", Cadence: c, Calendar: evaluate.CalendarOf(cal)}
}

// Every DHIS2 period notation converts to the Indicator's period and back,
// for each cadence and for fiscal calendars labelled by either year.
func TestPeriodsBothWays(t *testing.T) {
	const (
		start = v1alpha1.YearLabelStart
		end   = v1alpha1.YearLabelEnd
	)
	for _, tc := range []struct {
		ind     *Indicator
		concord string
		dhis2   string
	}{
		{indicator(v1alpha1.CadenceMonthly, 0, ""), "2026-03", "202603"},
		{indicator(v1alpha1.CadenceMonthly, 7, end), "2026-12", "202612"}, // months are calendar months
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026-Q1", "2026Q1"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026-Q4", "2026Q4"},
		{indicator(v1alpha1.CadenceQuarterly, 7, end), "2026-Q1", "2025Q3"}, // July-September 2025
		{indicator(v1alpha1.CadenceQuarterly, 7, start), "2025-Q1", "2025Q3"},
		{indicator(v1alpha1.CadenceQuarterly, 4, start), "2026-Q4", "2027Q1"},
		{indicator(v1alpha1.CadenceSemiAnnual, 0, ""), "2026-H1", "2026S1"},
		{indicator(v1alpha1.CadenceSemiAnnual, 0, ""), "2026-H2", "2026S2"},
		{indicator(v1alpha1.CadenceSemiAnnual, 4, start), "2026-H1", "2026AprilS1"},
		{indicator(v1alpha1.CadenceSemiAnnual, 4, start), "2026-H2", "2026AprilS2"}, // October 2026 - March 2027
		{indicator(v1alpha1.CadenceSemiAnnual, 10, end), "2027-H1", "2026AprilS2"},
		{indicator(v1alpha1.CadenceSemiAnnual, 7, end), "2026-H1", "2025S2"},
		{indicator(v1alpha1.CadenceAnnual, 0, ""), "2026", "2026"},
		{indicator(v1alpha1.CadenceAnnual, 7, end), "2026", "2025July"}, // July 2025 - June 2026
		{indicator(v1alpha1.CadenceAnnual, 7, start), "2025", "2025July"},
		{indicator(v1alpha1.CadenceAnnual, 4, start), "2025", "2025April"},
		{indicator(v1alpha1.CadenceAnnual, 9, end), "2026", "2025Sep"},
		{indicator(v1alpha1.CadenceAnnual, 10, start), "2025", "2025Oct"},
		{indicator(v1alpha1.CadenceAnnual, 11, end), "2026", "2025Nov"},
	} {
		span, err := SpanOf(tc.concord, tc.ind)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := FormatPeriod(span); err != nil || got != tc.dhis2 {
			t.Errorf("%s %+v %s: wrote %q, %v; want %q", tc.ind.Cadence, tc.ind.Calendar, tc.concord, got, err, tc.dhis2)
		}
		back, err := ParsePeriod(tc.dhis2)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := PeriodOf(back, tc.dhis2, tc.ind, FormatPeriod); err != nil || got != tc.concord {
			t.Errorf("%s %+v %s: read %q, %v; want %q", tc.ind.Cadence, tc.ind.Calendar, tc.dhis2, got, err, tc.concord)
		}
	}
}

// Periods of no Concord cadence, of another cadence than the Indicator's,
// or out of step with its calendar are refused, saying what to write; a
// Concord period DHIS2 has no period type for cannot be written.
func TestPeriodsRefused(t *testing.T) {
	for _, tc := range []struct {
		ind  *Indicator
		in   string
		want string
	}{
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026W05", `period "2026W05" is a week; Concord has no such cadence`},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026SunW5", "is a week"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "20260315", "is a day"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026BiW1", "is two weeks"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "202601B", "is two months"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026NovQ1", "November-based quarter or half) is not read"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026Q5", "is not a DHIS2 period"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "202613", "is not a DHIS2 period"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "2026March", "is not a DHIS2 period"},
		{indicator(v1alpha1.CadenceQuarterly, 0, ""), "202603", `covers 1 month, but Indicator x is Quarterly: write it like "2026Q1"`},
		{indicator(v1alpha1.CadenceMonthly, 0, ""), "2026Q1", `covers 3 months, but Indicator x is Monthly: write it like "202601"`},
		{indicator(v1alpha1.CadenceSemiAnnual, 0, ""), "2026AprilS1", `starts in April 2026, but the SemiAnnual periods of Indicator x start in January 2026 (its calendar): write it like "2026S1"`},
		{indicator(v1alpha1.CadenceAnnual, 7, v1alpha1.YearLabelEnd), "2026", `starts in January 2026, but the Annual periods of Indicator x start in July 2025 (its calendar): write it like "2025July"`},
		{indicator(v1alpha1.CadenceAnnual, 0, ""), "2025July", `write it like "2025"`},
	} {
		span, err := ParsePeriod(tc.in)
		if err == nil {
			_, err = PeriodOf(span, tc.in, tc.ind, FormatPeriod)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s as %s: %v\nwant %q", tc.in, tc.ind.Cadence, err, tc.want)
		}
	}
	span, err := SpanOf("2026-Q1", indicator(v1alpha1.CadenceQuarterly, 2, v1alpha1.YearLabelStart))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FormatPeriod(span); err == nil || !strings.Contains(err.Error(), "DHIS2 has no period type for 3 months from February 2026") {
		t.Errorf("a quarter from February: %v", err)
	}
}
