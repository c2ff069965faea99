package evaluate

import (
	"fmt"
	"math/big"
	"strings"
)

// Limits of the API's decimal pattern `-?[0-9]{1,15}(\.[0-9]{1,6})?`.
const (
	maxIntDigits  = 15
	maxFracDigits = 6
)

// ParseNumber parses a decimal string matching ^-?[0-9]{1,15}(\.[0-9]{1,6})?$
// exactly into a big.Rat. "true", "false" and anything else is an error
// naming the input; values are never routed through floating point.
func ParseNumber(s string) (*big.Rat, error) {
	if s == "true" || s == "false" {
		return nil, fmt.Errorf("value %q is a boolean, not a number", s)
	}
	if !isDecimal(s) {
		return nil, fmt.Errorf("value %q is not a number (write it like \"52\" or \"-16.67\": at most %d digits before the point and %d after)", s, maxIntDigits, maxFracDigits)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok { // unreachable after isDecimal; kept so a parser change fails loudly
		return nil, fmt.Errorf("value %q is not a number", s)
	}
	return r, nil
}

// isDecimal checks the pattern by hand: big.Rat.SetString alone would also
// accept exponents, fractions like "1/3" and unbounded digits.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if len(intPart) > maxIntDigits || !allDigits(intPart) {
		return false
	}
	if hasPoint {
		return len(frac) <= maxFracDigits && allDigits(frac)
	}
	return true
}

// ParseBool parses a Boolean measure's value: exactly "true" or "false",
// since the API pattern allows no other spelling.
func ParseBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("value %q is not a boolean (write \"true\" or \"false\")", s)
}

// Format rounds r half-even to places decimal places (negative means 0) and
// writes it in canonical form: no trailing zeros, no trailing point, no
// "-0" (52, 16.67, 0.5, -3.25). A nil r (no value) formats as "".
func Format(r *big.Rat, places int) string {
	if r == nil {
		return ""
	}
	places = max(places, 0)
	q := roundHalfEven(r, places)
	neg := q.Sign() < 0 // a value rounding to zero has sign 0: no "-0"
	digits := q.Abs(q).String()
	if places > 0 {
		digits = withPoint(digits, places)
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// roundHalfEven returns r*10^places rounded to the nearest integer, ties to
// even. big.Rat.FloatString rounds ties away from zero, which the contract
// forbids, so the rounding is done here on integers.
func roundHalfEven(r *big.Rat, places int) *big.Int {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	num := new(big.Int).Mul(new(big.Int).Abs(r.Num()), scale)
	den := r.Denom() // always positive
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	switch new(big.Int).Lsh(rem, 1).Cmp(den) {
	case 1:
		q.Add(q, big.NewInt(1))
	case 0:
		if q.Bit(0) == 1 {
			q.Add(q, big.NewInt(1))
		}
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

// withPoint inserts the decimal point places digits from the right of a
// non-negative integer's digits and trims trailing zeros and the point.
func withPoint(digits string, places int) string {
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}
	cut := len(digits) - places
	out := digits[:cut] + "." + digits[cut:]
	out = strings.TrimRight(out, "0")
	return strings.TrimSuffix(out, ".")
}

// FormatValue formats a value as status and metrics show it: 2 places.
func FormatValue(r *big.Rat) string {
	return Format(r, 2)
}

// Shown is r as status shows it: rounded half-even to 2 places (the
// number FormatValue writes). A nil r is nil.
func Shown(r *big.Rat) *big.Rat {
	if r == nil {
		return nil
	}
	return new(big.Rat).SetFrac(roundHalfEven(r, 2), big.NewInt(100))
}

// PercentChange is (current-baseline)*100/baseline. The baseline must be
// non-zero: a change from zero has no percentage, so nil is returned (also
// for nil arguments) and the caller must say so rather than divide.
func PercentChange(current, baseline *big.Rat) *big.Rat {
	if current == nil || baseline == nil || baseline.Sign() == 0 {
		return nil
	}
	d := new(big.Rat).Sub(current, baseline)
	d.Mul(d, big.NewRat(100, 1))
	return d.Quo(d, baseline)
}

// RatioValue is numerator/denominator*scale, exact. It is nil when the
// denominator is zero (nothing measured yet) or an argument is nil.
func RatioValue(numerator, denominator, scale *big.Rat) *big.Rat {
	if numerator == nil || denominator == nil || scale == nil || denominator.Sign() == 0 {
		return nil
	}
	v := new(big.Rat).Quo(numerator, denominator)
	return v.Mul(v, scale)
}
