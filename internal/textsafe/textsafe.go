// Package textsafe makes text from manifests safe to print: terminals,
// Markdown, CSV and HTML readers see what the text says, never what
// control characters or bidirectional overrides would make of it.
//
// The CRDs refuse such characters at admission (docs/security.md), so
// Escape is the second line: text that reaches an output by another road
// (an object stored before the rules, a hand-written List) is shown, not
// obeyed.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unsafe reports whether r is a character no Concord text may hold: a C0 or
// C1 control character, DEL, or a bidirectional formatting character
// (embeddings, overrides, isolates and marks), which can make text read
// differently from what it stores (CVE-2021-42574, "Trojan Source").
func Unsafe(r rune) bool {
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Escape returns s with every unsafe character written as a visible escape
// (\x1b, \u202e) and every invalid UTF-8 byte as \xNN, so the output shows
// exactly what was stored. Safe text is returned unchanged.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case Unsafe(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return true
		}
		i += size
	}
	return false
}
