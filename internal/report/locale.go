package report

import (
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/concord-operator/concord/internal/evaluate"
)

// Locale says how the report writes numbers, dates and periods: the
// decimal and grouping marks, the space before %, the names of the months
// and the letters of quarters and halves. The prose stays English; only
// these follow the locale. The zero Locale is English.
//
// The formatter is small and exact on purpose: values are decimal strings
// of any length (status.current.value, running totals, targets), which a
// float64-based formatter such as golang.org/x/text/message would round,
// and x/text has no month names.
type Locale struct {
	tag           string
	decimal       string
	group         string
	percentBefore string // between a number and %
	months        [12]string
	quarter, half string
	firstDay      string // how day 1 of a month is written
	words         []string
}

// narrowNBSP is the narrow no-break space French groups digits with and
// puts before % (CLDR).
const narrowNBSP = "\u202f"

var locales = map[string]Locale{
	"en": {
		tag: "en", decimal: ".", group: ",", quarter: "Q", half: "H", firstDay: "1",
		months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"},
		words: []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
	},
	"fr": {
		tag: "fr", decimal: ",", group: narrowNBSP, percentBefore: narrowNBSP, quarter: "T", half: "S", firstDay: "1er",
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
			"août", "septembre", "octobre", "novembre", "décembre"},
	},
}

// Locales lists the supported locale tags.
func Locales() []string {
	var out []string
	for tag := range locales {
		out = append(out, tag)
	}
	sort.Strings(out)
	return out
}

// ParseLocale finds the locale of a tag such as "en", "fr", "fr-FR" or
// "en_GB" (the language decides; the region is ignored).
func ParseLocale(tag string) (Locale, error) {
	lang := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if l, ok := locales[lang]; ok {
		return l, nil
	}
	return Locale{}, fmt.Errorf("locale %q is not supported: use one of %s", tag, strings.Join(Locales(), ", "))
}

// or is the locale itself, English when it is the zero Locale.
func (l Locale) or() Locale {
	if l.tag == "" {
		return locales["en"]
	}
	return l
}

// Tag is the locale's language tag ("en", "fr").
func (l Locale) Tag() string { return l.or().tag }

var decimalRE = regexp.MustCompile(`^(-?)([0-9]+)(?:\.([0-9]+))?$`)

// Number writes a decimal string for people: 1020000.5 is "1,020,000.5"
// in English and "1 020 000,5" in French. Anything that is not a plain
// decimal is returned as it is.
func (l Locale) Number(s string) string {
	l = l.or()
	m := decimalRE.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	sign, digits, frac := m[1], m[2], m[3]
	var b strings.Builder
	if sign != "" {
		b.WriteString("-")
	}
	for k, r := range digits {
		if k > 0 && (len(digits)-k)%3 == 0 {
			b.WriteString(l.group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(l.decimal + frac)
	}
	return b.String()
}

// Percent writes a percentage: "16.67%" in English, "16,67 %" in French.
// A value that already ends in % keeps one.
func (l Locale) Percent(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	return l.Number(s) + l.or().percentBefore + "%"
}

// Rounding says which way a count with decimals is made whole.
type Rounding int

// Roundings.
const (
	// Nearest rounds half away from zero: 57.5 is 58.
	Nearest Rounding = iota
	// Up is the smallest whole number not below the value: a target of
	// at least 57.2 persons is met by 58.
	Up
	// Down is the largest whole number not above it: at most 57.6
	// persons allows 57.
	Down
)

// Whole rounds a decimal string to a whole number; exact is false when
// the value had a fractional part (then the exact value should be shown
// too, in a tooltip or a note). Anything not a number is returned as it
// is, exact.
func Whole(s string, how Rounding) (whole string, exact bool) {
	r, err := evaluate.ParseNumber(s)
	if err != nil || !decimalRE.MatchString(s) {
		return s, true
	}
	if r.IsInt() {
		return r.Num().String(), true
	}
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int)) // truncated toward zero
	switch how {
	case Up:
		if r.Sign() > 0 {
			q.Add(q, big.NewInt(1))
		}
	case Down:
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		}
	default:
		twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
		if twice.Cmp(r.Denom()) >= 0 {
			q.Add(q, big.NewInt(int64(r.Sign())))
		}
	}
	return q.String(), false
}

// Date writes a day: "29 November 2026", "1er novembre 2026".
func (l Locale) Date(t time.Time) string {
	l = l.or()
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = l.firstDay
	}
	return fmt.Sprintf("%s %s %d", day, l.months[t.Month()-1], t.Year())
}

// DateTime writes an instant in UTC: "29 November 2026, 14:05 UTC"; the
// time is left out at midnight.
func (l Locale) DateTime(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return l.Date(t)
	}
	return l.Date(t) + ", " + t.Format("15:04") + " UTC"
}

var periodRE = regexp.MustCompile(`^([0-9]{4})(?:-(?:Q([1-4])|H([12])|(0[1-9]|1[0-2])))?$`)

// Period writes a reporting period as people say it: "2026", "Q3 2026"
// ("T3 2026" in French), "H1 2026" ("S1 2026"), "May 2026" ("mai
// 2026"). Anything else is returned as it is.
func (l Locale) Period(p string) string {
	l = l.or()
	m := periodRE.FindStringSubmatch(p)
	switch {
	case m == nil:
		return p
	case m[2] != "":
		return l.quarter + m[2] + " " + m[1]
	case m[3] != "":
		return l.half + m[3] + " " + m[1]
	case m[4] != "":
		var month int
		fmt.Sscan(strings.TrimPrefix(m[4], "0"), &month)
		return l.months[month-1] + " " + m[1]
	}
	return m[1]
}

// Small writes a small count in a sentence: in English, words from one to
// nine ("five"), as style guides do; digits otherwise.
func (l Locale) Small(n int) string {
	if l = l.or(); n >= 1 && n < len(l.words) {
		return l.words[n]
	}
	return l.Number(fmt.Sprint(n))
}

// messagePeriodRE finds periods and dates in condition messages, standing
// alone (not inside a name such as ntf-minutes-2026-09).
var (
	messageDateRE   = regexp.MustCompile(`(^|[\s(])([0-9]{4})-([0-9]{2})-([0-9]{2})(T[0-9:]+Z)?([\s),.;:]|$)`)
	messagePeriodRE = regexp.MustCompile(`(^|[\s(])([0-9]{4}(?:-Q[1-4]|-H[12]|-(?:0[1-9]|1[0-2])))([\s),.;:]|$)`)
	messageNumberRE = regexp.MustCompile(`(^|[\s(])(-?[0-9]+\.[0-9]+|-?[0-9]{5,})([\s),.;:%]|$)`)
)

// Message rewrites the figures of a condition message computed by Concord
// for the locale: its dates and periods as people write them, numbers of
// five digits or more grouped, decimals with the locale's mark. Numbers of
// four digits are left alone: they may be years.
func (l Locale) Message(s string) string {
	s = replaceAllRepeat(messageDateRE, s, func(m []string) string {
		t, err := time.Parse(time.DateOnly, m[2]+"-"+m[3]+"-"+m[4])
		if err != nil {
			return m[0]
		}
		return m[1] + l.Date(t) + m[6]
	})
	s = replaceAllRepeat(messagePeriodRE, s, func(m []string) string { return m[1] + l.Period(m[2]) + m[3] })
	return replaceAllRepeat(messageNumberRE, s, func(m []string) string { return m[1] + l.Number(m[2]) + m[3] })
}

// replaceAllRepeat replaces every match of re, including those that share
// a separator with the previous one ("2026-Q1 2026-Q2").
func replaceAllRepeat(re *regexp.Regexp, s string, f func([]string) string) string {
	for range 8 {
		out := re.ReplaceAllStringFunc(s, func(match string) string { return f(re.FindStringSubmatch(match)) })
		if out == s {
			break
		}
		s = out
	}
	return s
}
