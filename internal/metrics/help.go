package metrics

import (
	"regexp"
	"unicode"
	"unicode/utf8"
)

var (
	// "a" before a vowel ("a indicator", "a evidence"); "a u..." is left
	// alone ("a unit", "a user").
	aBeforeVowel = regexp.MustCompile(`(?i)\ba\s+[aeio]`)
	// "an" before a consonant other than h ("an Measurement").
	anBeforeConsonant = regexp.MustCompile(`(?i)\ban\s+[b-df-gj-np-tv-z]`)
	// Kind names of more than one word as metric names spell them.
	gluedKind = regexp.MustCompile(`\b(cooperationmechanism|actionplan)\b`)
)

// HelpTextDefects says why a metric's help text does not read as a
// sentence: Prometheus and Grafana show it to people beside the series. It
// is the check of the help texts of internal/metrics and of the
// kube-state-metrics configuration in config/.
func HelpTextDefects(help string) []string {
	if help == "" {
		return []string{"empty"}
	}
	var out []string
	if r, _ := utf8.DecodeRuneInString(help); !unicode.IsUpper(r) {
		out = append(out, "does not start with a capital letter")
	}
	if help[len(help)-1] != '.' {
		out = append(out, "does not end with a full stop")
	}
	for _, m := range aBeforeVowel.FindAllString(help, -1) {
		out = append(out, "\""+m+"...\": an, not a, before a vowel")
	}
	for _, m := range anBeforeConsonant.FindAllString(help, -1) {
		out = append(out, "\""+m+"...\": a, not an, before a consonant")
	}
	for _, m := range gluedKind.FindAllString(help, -1) {
		out = append(out, "\""+m+"\": write the kind as the API does (CooperationMechanism, ActionPlan)")
	}
	return out
}
