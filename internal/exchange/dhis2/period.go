package dhis2

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// Span is a run of whole calendar months: First counts months since year 0
// (year*12 + month-1), Months is its length. DHIS2 and ADX periods and
// Concord periods all cover such runs, so each converts through it.
type Span struct{ First, Months int }

// Start is midnight UTC on the span's first day.
func (s Span) Start() time.Time {
	return time.Date(s.First/12, time.Month(s.First%12+1), 1, 0, 0, 0, 0, time.UTC)
}

func monthCount(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

// cadenceMonths is how many months a period of a cadence covers.
var cadenceMonths = map[v1alpha1.Cadence]int{
	v1alpha1.CadenceMonthly: 1, v1alpha1.CadenceQuarterly: 3, v1alpha1.CadenceSemiAnnual: 6, v1alpha1.CadenceAnnual: 12,
}

// SpanOf is the run of months a Concord period of the Indicator covers.
func SpanOf(period string, ind *Indicator) (Span, error) {
	p, err := evaluate.ParsePeriod(period, ind.Cadence)
	if err != nil {
		return Span{}, fmt.Errorf("Indicator %s: %w", ind.Name, err)
	}
	first := monthCount(p.Start(ind.Calendar))
	return Span{First: first, Months: monthCount(p.End(ind.Calendar)) - first}, nil
}

// PeriodOf is the Indicator's Concord period covering exactly span s
// (written in the source as src, in notation say); a span of another
// length or not aligned with the Indicator's calendar is an error showing
// how the Indicator's period would be written there.
func PeriodOf(s Span, src string, ind *Indicator, say func(Span) (string, error)) (string, error) {
	p := evaluate.PeriodAt(s.Start(), ind.Cadence, ind.Calendar)
	first := monthCount(p.Start(ind.Calendar))
	if s.Months == cadenceMonths[ind.Cadence] && s.First == first {
		return p.String(), nil
	}
	like := ""
	if want, err := say(Span{First: first, Months: cadenceMonths[ind.Cadence]}); err == nil {
		like = fmt.Sprintf(": write it like %q", want)
	}
	if s.Months != cadenceMonths[ind.Cadence] {
		return "", fmt.Errorf("period %q covers %s, but Indicator %s is %s%s", src, months(s.Months), ind.Name, ind.Cadence, like)
	}
	return "", fmt.Errorf("period %q starts in %s, but the %s periods of Indicator %s start in %s (its calendar)%s",
		src, s.Start().Format("January 2006"), ind.Cadence, ind.Name, p.Start(ind.Calendar).Format("January 2006"), like)
}

func months(n int) string {
	if n == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", n)
}

// financial year period types: the suffix after the year the year starts
// in, and its first month (0-based).
var financial = []struct {
	suffix string
	month  int
}{{"April", 3}, {"July", 6}, {"Sep", 8}, {"Oct", 9}, {"Nov", 10}}

var (
	reMonthly  = regexp.MustCompile(`^([0-9]{4})(0[1-9]|1[0-2])$`)
	reQuarter  = regexp.MustCompile(`^([0-9]{4})Q([1-4])$`)
	reSix      = regexp.MustCompile(`^([0-9]{4})(April)?S([12])$`)
	reYearly   = regexp.MustCompile(`^([0-9]{4})(April|July|Sep|Oct|Nov)?$`)
	reDaily    = regexp.MustCompile(`^[0-9]{8}$`)
	reWeekly   = regexp.MustCompile(`^[0-9]{4}(Wed|Thu|Sat|Sun)?W[0-9]{1,2}$`)
	reBiWeekly = regexp.MustCompile(`^[0-9]{4}BiW[0-9]{1,2}$`)
	reBiMonth  = regexp.MustCompile(`^[0-9]{6}B$`)
	reNov      = regexp.MustCompile(`^[0-9]{4}Nov[QS][1-4]$`)
)

// ParsePeriod reads a period in DHIS2 notation: 202603 (Monthly), 2026Q1
// (Quarterly), 2026S1 and 2026AprilS1 (six-monthly), 2026 (Yearly), and
// the financial years 2025April, 2025July, 2025Sep, 2025Oct, 2025Nov
// (named by the year they start in). Days, weeks, two-week and two-month
// periods have no Concord cadence and are refused by name.
func ParsePeriod(s string) (Span, error) {
	year := func(y string) int { n, _ := strconv.Atoi(y); return n * 12 }
	num := func(d string) int { n, _ := strconv.Atoi(d); return n }
	if m := reMonthly.FindStringSubmatch(s); m != nil {
		return Span{First: year(m[1]) + num(m[2]) - 1, Months: 1}, nil
	}
	if m := reQuarter.FindStringSubmatch(s); m != nil {
		return Span{First: year(m[1]) + (num(m[2])-1)*3, Months: 3}, nil
	}
	if m := reSix.FindStringSubmatch(s); m != nil {
		off := 0
		if m[2] == "April" {
			off = 3
		}
		return Span{First: year(m[1]) + off + (num(m[3])-1)*6, Months: 6}, nil
	}
	if m := reYearly.FindStringSubmatch(s); m != nil {
		for _, f := range financial {
			if m[2] == f.suffix {
				return Span{First: year(m[1]) + f.month, Months: 12}, nil
			}
		}
		return Span{First: year(m[1]), Months: 12}, nil
	}
	kind := ""
	switch {
	case reDaily.MatchString(s):
		kind = "a day"
	case reWeekly.MatchString(s):
		kind = "a week"
	case reBiWeekly.MatchString(s):
		kind = "two weeks"
	case reBiMonth.MatchString(s):
		kind = "two months"
	case reNov.MatchString(s):
		return Span{}, fmt.Errorf("period %q (a November-based quarter or half) is not read: export the data set with Quarterly, SixMonthly or financial-year periods", s)
	default:
		return Span{}, fmt.Errorf("period %q is not a DHIS2 period (write it like 202603, 2026Q1, 2026S1, 2026AprilS1, 2026 or 2025July)", s)
	}
	return Span{}, fmt.Errorf("period %q is %s; Concord has no such cadence (Monthly, Quarterly, SemiAnnual, Annual): aggregate it in DHIS2 first", s, kind)
}

// FormatPeriod writes a span in DHIS2 notation; a span DHIS2 has no period
// type for (a quarter starting in February) is an error.
func FormatPeriod(s Span) (string, error) {
	y, m := s.First/12, s.First%12
	switch s.Months {
	case 1:
		return fmt.Sprintf("%04d%02d", y, m+1), nil
	case 3:
		if m%3 == 0 {
			return fmt.Sprintf("%04dQ%d", y, m/3+1), nil
		}
	case 6:
		switch m {
		case 0, 6:
			return fmt.Sprintf("%04dS%d", y, m/6+1), nil
		case 3, 9:
			return fmt.Sprintf("%04dAprilS%d", y, (m-3)/6+1), nil
		}
	case 12:
		if m == 0 {
			return fmt.Sprintf("%04d", y), nil
		}
		for _, f := range financial {
			if f.month == m {
				return fmt.Sprintf("%04d%s", y, f.suffix), nil
			}
		}
	}
	return "", fmt.Errorf("DHIS2 has no period type for %s from %s (quarters start in January, April, July or October; six-month periods in January, April, July or October; financial years in April, July, September, October or November)",
		months(s.Months), s.Start().Format("January 2006"))
}
