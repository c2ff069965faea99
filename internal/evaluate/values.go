package evaluate

import (
	"fmt"
	"math/big"

	"github.com/concord-operator/concord/api/v1alpha1"
)

var (
	ratZero    = new(big.Rat)
	ratHundred = big.NewRat(100, 1)
)

// Reading is one measured figure: a value, or for Ratio indicators a
// numerator and denominator. Boolean values are 1 (true) and 0 (false), and
// Level values their 0-based position, so that every comparison is one of
// rationals.
type Reading struct {
	Value       *big.Rat
	Numerator   *big.Rat
	Denominator *big.Rat
}

// scaleOf returns a Ratio measure's scale (default 100).
func scaleOf(m v1alpha1.Measure) (*big.Rat, error) {
	if m.Scale == nil {
		return ratHundred, nil
	}
	s, err := ParseNumber(string(*m.Scale))
	if err != nil {
		return nil, fmt.Errorf("measure.scale: %w", err)
	}
	if s.Sign() <= 0 {
		return nil, fmt.Errorf("measure.scale %s must be greater than 0", *m.Scale)
	}
	return s, nil
}

// ParseMeasureValue parses s as a value of the measure: "true"/"false" for
// Boolean (as 1/0), a whole number of 0 or more for Count, 0 to 100 for
// Percentage, a position in levels for Level, a number for Amount, a number
// of 0 or more for Ratio (a scaled ratio, as in baselines and targets).
func ParseMeasureValue(m v1alpha1.Measure, s string) (*big.Rat, error) {
	if m.Type == v1alpha1.MeasureBoolean {
		b, err := ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a Boolean value: write \"true\" or \"false\"", s)
		}
		if b {
			return big.NewRat(1, 1), nil
		}
		return new(big.Rat), nil
	}
	r, err := ParseNumber(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid %s value: %w", s, m.Type, err)
	}
	return r, checkRange(m, s, r)
}

func checkRange(m v1alpha1.Measure, s string, r *big.Rat) error {
	switch m.Type {
	case v1alpha1.MeasureCount:
		if r.Sign() < 0 || !r.IsInt() {
			return fmt.Errorf("%s is not a Count value: write a whole number of 0 or more", s)
		}
	case v1alpha1.MeasurePercentage:
		if r.Sign() < 0 || r.Cmp(ratHundred) > 0 {
			return fmt.Errorf("%s is not a Percentage value: write a number from 0 to 100", s)
		}
	case v1alpha1.MeasureLevel:
		if r.Sign() < 0 || !r.IsInt() || r.Num().Int64() >= int64(len(m.Levels)) {
			return fmt.Errorf("%s is not a Level value: write the 0-based position of a name in measure.levels (0 to %d)", s, len(m.Levels)-1)
		}
	case v1alpha1.MeasureRatio:
		if r.Sign() < 0 {
			return fmt.Errorf("%s is not a Ratio value: write a number of 0 or more", s)
		}
	}
	return nil
}

// readingOf parses the figure of a Measurement or breakdown cell against
// the indicator's measure.
func readingOf(m v1alpha1.Measure, value, num, den *v1alpha1.Decimal) (Reading, error) {
	if m.Type == v1alpha1.MeasureRatio {
		if value != nil || num == nil || den == nil {
			return Reading{}, fmt.Errorf("a Ratio indicator takes numerator and denominator, not value")
		}
		n, err := ParseNumber(string(*num))
		if err != nil || n.Sign() < 0 {
			return Reading{}, fmt.Errorf("numerator %q must be a number of 0 or more", *num)
		}
		d, err := ParseNumber(string(*den))
		if err != nil || d.Sign() <= 0 {
			return Reading{}, fmt.Errorf("denominator %q must be a number greater than 0", *den)
		}
		return Reading{Numerator: n, Denominator: d}, nil
	}
	if value == nil || num != nil || den != nil {
		return Reading{}, fmt.Errorf("a %s indicator takes value, not numerator and denominator", m.Type)
	}
	v, err := ParseMeasureValue(m, string(*value))
	if err != nil {
		return Reading{}, err
	}
	return Reading{Value: v}, nil
}

// display formats a value of the measure for status and messages: Boolean
// as true/false, everything else rounded half-even to 2 places.
func display(m v1alpha1.Measure, r *big.Rat) string {
	if r == nil {
		return ""
	}
	if m.Type == v1alpha1.MeasureBoolean {
		if r.Sign() != 0 {
			return "true"
		}
		return "false"
	}
	return FormatValue(r)
}

// displayName formats a value of the measure for people (status's display
// fields and the VALUE and TARGET columns): a Level value as its level's
// name, everything else as display does.
func displayName(m v1alpha1.Measure, r *big.Rat) string {
	if name, ok := levelNameOf(m, r); ok {
		return name
	}
	return display(m, r)
}

// levelNameOf is the name of a Level value: the name at its position in
// measure.levels; ok is false for other measures and for a value that is
// not a position.
func levelNameOf(m v1alpha1.Measure, r *big.Rat) (string, bool) {
	if m.Type != v1alpha1.MeasureLevel || r == nil || !r.IsInt() {
		return "", false
	}
	if i := r.Num().Int64(); r.Num().IsInt64() && i >= 0 && i < int64(len(m.Levels)) {
		return m.Levels[i], true
	}
	return "", false
}
