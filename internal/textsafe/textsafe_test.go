package textsafe

import "testing"

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ministry of Interior", "Ministry of Interior"},
		{"Égalité, 18+ (女性)", "Égalité, 18+ (女性)"},
		{"NGO\x00B", `NGO\x00B`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"line\nbreak\ttab", `line\nbreak\ttab`},
		{"evil\u202Etxt.exe", `evil\u202etxt.exe`},
		{"\u2066isolate\u2069", `\u2066isolate\u2069`},
		{"c1\u0085", `c1\x85`},
		{"del\x7f", `del\x7f`},
		{"bad\xffbyte", `bad\xffbyte`},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUnsafe(t *testing.T) {
	for _, r := range []rune{0, 9, 10, 13, 27, 0x7f, 0x85, 0x9f, 0x061c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069} {
		if !Unsafe(r) {
			t.Errorf("Unsafe(%U) = false", r)
		}
	}
	for _, r := range []rune{' ', 'a', 'é', 0xa0, 0x2028 - 1, 0x202f, 0x2065, 0x206a, '女'} {
		if Unsafe(r) {
			t.Errorf("Unsafe(%U) = true", r)
		}
	}
}
