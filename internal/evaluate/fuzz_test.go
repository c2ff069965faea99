package evaluate

import (
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// apiPeriodPattern is the API's period pattern; a string parses for some cadence
// exactly when it matches.
var apiPeriodPattern = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$`)

// FuzzParsePeriod checks that any string either is refused or parses into a
// period that round-trips and tiles time, for every calendar kind.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"2026", "2026-03", "2026-Q1", "2026-H2", "0000", "9999-12", "9999-Q4", "0000-01",
		"2026-Q5", "2026-13", "2026-00", "26", " 2026", "2026-q1", "", "-001", "2026-1",
		"２０２６", "2026-Q1\x00",
	} {
		f.Add(s)
	}
	cals := []Calendar{calYear, calFiscalStart, calFiscalEnd, {12, v1alpha1.YearLabelEnd}, {}}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := CadenceOf(s)
		if ok != apiPeriodPattern.MatchString(s) {
			t.Fatalf("CadenceOf(%q) ok = %v, but the API pattern says %v", s, ok, !ok)
		}
		for _, cad := range cadenceOrder {
			p, err := ParsePeriod(s, cad)
			if (err == nil) != (ok && cad == c) {
				t.Fatalf("ParsePeriod(%q, %s) err = %v, but CadenceOf = %q, %v", s, cad, err, c, ok)
			}
			if err != nil {
				continue
			}
			fuzzCheckPeriod(t, p, s, cals)
		}
	})
}

// fuzzCheckPeriod asserts the invariants of a parsed period.
func fuzzCheckPeriod(t *testing.T, p Period, s string, cals []Calendar) {
	t.Helper()
	if p.String() != s {
		t.Fatalf("ParsePeriod(%q).String() = %q", s, p.String())
	}
	if p.Next().Prev() != p || p.Compare(p.Next()) != -1 {
		t.Fatalf("%s: Next/Prev/Compare disagree", s)
	}
	for _, cal := range cals {
		start, end := p.Start(cal), p.End(cal)
		if !start.Before(end) {
			t.Fatalf("%s %+v: Start %v not before End %v", s, cal, start, end)
		}
		if got := PeriodAt(start, p.Cadence, cal); got != p {
			t.Fatalf("%s %+v: PeriodAt(Start) = %s", s, cal, got)
		}
		if got := PeriodAt(end, p.Cadence, cal); got != p.Next() {
			t.Fatalf("%s %+v: PeriodAt(End) = %s, want %s", s, cal, got, p.Next())
		}
		if !end.Equal(p.Next().Start(cal)) || !p.Contains(start, cal) || p.Contains(end, cal) {
			t.Fatalf("%s %+v: periods do not tile at %v", s, cal, end)
		}
	}
}

// twoPlacesPattern is the shape of a value shown in status and metrics.
var twoPlacesPattern = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,2})?$`)

// FuzzParseNumber checks that any string either is refused or parses into a
// rational that formats losslessly at 6 places and canonically at 2.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"0", "-0", "52", "16.67", "-3.25", "0.125", "0.135", "-0.125", "-0.001", "-0.005",
		"999999999999999.999999", "-999999999999999.999999", "0.000001", "007", "1.0",
		"true", "false", "", "-", "1e3", "1/3", ".5", "1.", "1234567890123456", "1.1234567",
		"-0.000000", "9.995",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseNumber(s)
		if err != nil {
			if r != nil {
				t.Fatalf("ParseNumber(%q) returned both %s and %v", s, r.RatString(), err)
			}
			return
		}
		six := Format(r, 6)
		back, err := ParseNumber(six)
		if err != nil || back.Cmp(r) != 0 {
			t.Fatalf("Format(ParseNumber(%q), 6) = %q, which parses to %v, %v", s, six, back, err)
		}
		two := Format(r, 2)
		if !twoPlacesPattern.MatchString(two) || two == "-0" || strings.Contains(two, ".") && strings.HasSuffix(two, "0") {
			t.Fatalf("Format(ParseNumber(%q), 2) = %q is not canonical", s, two)
		}
		// Not ParseNumber: rounding 999999999999999.999 up needs a 16th digit.
		shown, ok := new(big.Rat).SetString(two)
		if !ok {
			t.Fatalf("Format(ParseNumber(%q), 2) = %q is not a number", s, two)
		}
		// Rounding moves a value by at most half a hundredth.
		diff := new(big.Rat).Sub(shown, r)
		if diff.Abs(diff).Cmp(big.NewRat(1, 200)) > 0 {
			t.Fatalf("Format(ParseNumber(%q), 2) = %q is more than 0.005 away", s, two)
		}
	})
}
