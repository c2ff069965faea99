package evaluate

import (
	"math/big"
	"strings"
	"testing"
)

// testRat builds an exact rational from a fraction string like "1/3" or "0.125".
func testRat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad test rational %q", s)
	}
	return r
}

func TestParseNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0"},
		{"-0", "0"},
		{"-0.000000", "0"},
		{"52", "52"},
		{"007", "7"},
		{"16.67", "1667/100"},
		{"-3.25", "-13/4"},
		{"0.000001", "1/1000000"},
		{"999999999999999.999999", "999999999999999999999/1000000"},
		{"-999999999999999.999999", "-999999999999999999999/1000000"},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in)
		if err != nil {
			t.Errorf("ParseNumber(%q): %v", tt.in, err)
			continue
		}
		if got.Cmp(testRat(t, tt.want)) != 0 {
			t.Errorf("ParseNumber(%q) = %s, want %s", tt.in, got.RatString(), tt.want)
		}
	}
}

func TestParseNumberErrors(t *testing.T) {
	bad := []string{
		"", "-", "true", "false", "True", "1.", ".5", "-.5", "+1", "1e3", "1E3", "1/3", "0x10",
		"1,5", " 1", "1 ", "--1", "1.2.3", "Inf", "NaN", "1_000",
		"1234567890123456", "1.1234567", "١٢", "1.0000000", "-1234567890123456",
	}
	for _, s := range bad {
		r, err := ParseNumber(s)
		if err == nil {
			t.Errorf("ParseNumber(%q) = %s, want an error", s, r.RatString())
			continue
		}
		if !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("ParseNumber(%q) error %q does not name the input", s, err)
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "false": false} {
		got, err := ParseBool(in)
		if err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, s := range []string{"", "TRUE", "True", "1", "0", "yes", " true", "t"} {
		if _, err := ParseBool(s); err == nil || !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("ParseBool(%q) error = %v, want one naming the input", s, err)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in     string
		places int
		want   string
	}{
		// Ties go to the even neighbour.
		{"0.125", 2, "0.12"},
		{"0.135", 2, "0.14"},
		{"-0.125", 2, "-0.12"},
		{"-0.135", 2, "-0.14"},
		{"2.5", 0, "2"},
		{"3.5", 0, "4"},
		{"-2.5", 0, "-2"},
		{"-3.5", 0, "-4"},
		{"0.5", 0, "0"},
		{"1.5", 0, "2"},
		{"0.005", 2, "0"},
		{"0.015", 2, "0.02"},
		// Not ties: nearest.
		{"50/3", 2, "16.67"},
		{"100/3", 2, "33.33"},
		{"200/3", 2, "66.67"},
		{"-50/3", 2, "-16.67"},
		{"0.1251", 2, "0.13"},
		{"0.1249", 2, "0.12"},
		// Canonical form.
		{"52", 2, "52"},
		{"52.00", 2, "52"},
		{"0.5", 2, "0.5"},
		{"-3.25", 2, "-3.25"},
		{"16.70", 2, "16.7"},
		{"100", 2, "100"},
		{"0", 2, "0"},
		{"0.999", 2, "1"},
		{"-0.999", 2, "-1"},
		{"9.995", 2, "10"},
		// No "-0".
		{"-0.001", 2, "0"},
		{"-0.005", 2, "0"},
		{"-0.4", 0, "0"},
		{"-0.0000001", 6, "0"},
		// Other place counts.
		{"1/3", 6, "0.333333"},
		{"2/3", 6, "0.666667"},
		{"0.0000005", 6, "0"},
		{"0.0000015", 6, "0.000002"},
		{"123456789012345.123456", 6, "123456789012345.123456"},
		{"7.9", -1, "8"}, // negative places mean 0
		{"999999999999999.999999", 2, "1000000000000000"},
		{"-999999999999999.995", 2, "-1000000000000000"},
		{"999999999999999.985", 2, "999999999999999.98"},
	}
	for _, tt := range tests {
		if got := Format(testRat(t, tt.in), tt.places); got != tt.want {
			t.Errorf("Format(%s, %d) = %q, want %q", tt.in, tt.places, got, tt.want)
		}
	}
	if got := Format(nil, 2); got != "" {
		t.Errorf("Format(nil) = %q, want empty", got)
	}
}

func TestFormatDoesNotModifyInput(t *testing.T) {
	r := testRat(t, "-50/3")
	_ = Format(r, 2)
	if r.Cmp(testRat(t, "-50/3")) != 0 {
		t.Errorf("Format changed its argument to %s", r.RatString())
	}
}

func TestFormatValue(t *testing.T) {
	for in, want := range map[string]string{"52": "52", "50/3": "16.67", "0.125": "0.12", "-0.001": "0"} {
		if got := FormatValue(testRat(t, in)); got != want {
			t.Errorf("FormatValue(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestPercentChange(t *testing.T) {
	tests := []struct{ current, baseline, want string }{
		{"50", "40", "25"},
		{"30", "40", "-25"},
		{"40", "40", "0"},
		{"45", "30", "50"},
		{"10", "3", "700/3"},
		{"0", "40", "-100"},
		{"-5", "-10", "-50"}, // from -10 to -5: (5)*100/(-10)
	}
	for _, tt := range tests {
		got := PercentChange(testRat(t, tt.current), testRat(t, tt.baseline))
		if got == nil || got.Cmp(testRat(t, tt.want)) != 0 {
			t.Errorf("PercentChange(%s, %s) = %v, want %s", tt.current, tt.baseline, got, tt.want)
		}
	}
	if got := PercentChange(testRat(t, "5"), testRat(t, "0")); got != nil {
		t.Errorf("PercentChange from zero = %s, want nil", got.RatString())
	}
	if PercentChange(nil, testRat(t, "1")) != nil || PercentChange(testRat(t, "1"), nil) != nil {
		t.Error("PercentChange with a nil argument should be nil")
	}
}

func TestPercentChangeDoesNotModifyInputs(t *testing.T) {
	c, b := testRat(t, "50"), testRat(t, "40")
	_ = PercentChange(c, b)
	if c.Cmp(testRat(t, "50")) != 0 || b.Cmp(testRat(t, "40")) != 0 {
		t.Errorf("PercentChange changed its arguments to %s, %s", c, b)
	}
}

func TestRatioValue(t *testing.T) {
	tests := []struct{ num, den, scale, want string }{
		{"1", "3", "100", "100/3"},
		{"12", "48", "100", "25"},
		{"3", "250000", "100000", "6/5"},
		{"0", "7", "100", "0"},
		{"5", "2", "1", "5/2"},
	}
	for _, tt := range tests {
		got := RatioValue(testRat(t, tt.num), testRat(t, tt.den), testRat(t, tt.scale))
		if got == nil || got.Cmp(testRat(t, tt.want)) != 0 {
			t.Errorf("RatioValue(%s, %s, %s) = %v, want %s", tt.num, tt.den, tt.scale, got, tt.want)
		}
	}
	if got := FormatValue(RatioValue(testRat(t, "1"), testRat(t, "3"), testRat(t, "100"))); got != "33.33" {
		t.Errorf("1/3 x 100 formats as %q, want 33.33", got)
	}
	if got := RatioValue(testRat(t, "1"), testRat(t, "0"), testRat(t, "100")); got != nil {
		t.Errorf("RatioValue over zero = %s, want nil", got.RatString())
	}
	if RatioValue(nil, testRat(t, "1"), testRat(t, "1")) != nil || RatioValue(testRat(t, "1"), testRat(t, "1"), nil) != nil {
		t.Error("RatioValue with a nil argument should be nil")
	}
}
