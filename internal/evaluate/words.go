package evaluate

import (
	"fmt"
	"strings"
)

// Small grammar for condition messages, so that a single period or a
// single member reads as one ("the due period 2026-Q1", "its one member
// has") rather than "from 2026-Q1 to 2026-Q1" or "all 1 members have".

// duePeriodsText names a non-empty run of due periods as the subject of a
// sentence: "The due period 2026-Q1" or "Every due period from 2026-Q1 to
// 2026-Q3"; of adds words such as " of its inputs".
func duePeriodsText(first, last Period, of string) string {
	if first.Compare(last) == 0 {
		return fmt.Sprintf("The due period %s%s", first, of)
	}
	return fmt.Sprintf("Every due period%s from %s to %s", of, first, last)
}

// allOf is the subject "all n nouns" with its verb: "its one member has",
// "both members have", "all 5 members have". noun is singular; verbs are
// given singular and plural ("has", "have").
func allOf(n int, noun, singular, plural string) string {
	switch n {
	case 1:
		return fmt.Sprintf("its one %s %s", noun, singular)
	case 2:
		return fmt.Sprintf("both %ss %s", noun, plural)
	}
	return fmt.Sprintf("all %d %ss %s", n, noun, plural)
}

// someOf is "k of n nouns" with its verb: "1 of 3 indicators is", "2 of 3
// indicators are", "1 of 1 indicator is".
func someOf(k, n int, noun, singular, plural string) string {
	nouns := noun + "s"
	if n == 1 {
		nouns = noun
	}
	verb := plural
	if k == 1 {
		verb = singular
	}
	return strings.Join([]string{fmt.Sprintf("%d of %d", k, n), nouns, verb}, " ")
}

// expectedText is "the one expected reporter", "both expected reporters"
// or "all n expected reporters".
func expectedText(n int) string {
	switch n {
	case 1:
		return "the one expected reporter"
	case 2:
		return "both expected reporters"
	}
	return fmt.Sprintf("all %d expected reporters", n)
}
