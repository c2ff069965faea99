package report

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Annotations that give objects names for people.
const (
	// DisplayNameAnnotation names a Namespace, an Indicator or a
	// CooperationMechanism in reports: "Victim protection",
	// "National task force". Without it a Namespace or a mechanism is
	// named after its metadata.name ("national-task-force" reads
	// "National task force") and an Indicator by spec.title.
	DisplayNameAnnotation = "concord.dev/display-name"
	// DisplayNamesAnnotation, on an Indicator, names its dimensions and
	// categories: a YAML or JSON map from "dimension" or
	// "dimension/category" to a name, such as
	//
	//	concord.dev/display-names: |
	//	  stakeholderType: Referred by
	//	  stakeholderType/borderControl: Border control
	//
	// Dimensions and categories it does not name read as their
	// identifiers split into words ("countryOfOrigin": "Country of
	// origin").
	DisplayNamesAnnotation = "concord.dev/display-names"
)

// enumLabels are the names of the API's values that splitting into words
// does not give.
var enumLabels = map[string]string{
	string(v1alpha1.MechanismInterMinisterialCouncil): "Inter-ministerial council",
	"MOU":         "Memorandum of understanding",
	"SOP":         "Standard operating procedures",
	"SemiAnnual":  "Half-yearly",
	"Annual":      "Yearly",
	"NotAdditive": "Not additive",
	"AtMost":      "At most",
	"InvalidSpec": "Invalid specification",
	"MAD":         "MAD",
}

// Label is an identifier of the API as a name for people, in sentence
// case: "TaskForce" is "Task force", "CivilSociety" "Civil society",
// "DeadlineMissed" "Deadline missed", "countryOfOrigin" "Country of
// origin". Acronyms stay as they are ("NGO", "MOU" is named).
func Label(id string) string {
	if l, ok := enumLabels[id]; ok {
		return l
	}
	words := splitWords(id)
	for k, w := range words {
		if k > 0 && !isAcronym(w) {
			words[k] = strings.ToLower(w)
		}
	}
	return capitalize(strings.Join(words, " "))
}

// phrase is an identifier as words inside a sentence: "deadline missed",
// "civil society"; acronyms keep their capitals.
func phrase(id string) string { return lowerFirst(Label(id)) }

// splitWords splits an identifier at case changes, digits-to-letters,
// hyphens and underscores: "TermsOfReference" is [Terms Of Reference],
// "NGOPartners" [NGO Partners].
func splitWords(id string) []string {
	var words []string
	var cur []rune
	rs := []rune(id)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = nil
		}
	}
	for k, r := range rs {
		switch {
		case r == '_' || r == ' ':
			flush()
			continue
		case k > 0 && unicode.IsUpper(r) && unicode.IsLower(rs[k-1]):
			flush()
		case k > 0 && unicode.IsUpper(r) && unicode.IsUpper(rs[k-1]) && k+1 < len(rs) && unicode.IsLower(rs[k+1]):
			flush() // NGOPartners: the P starts a word
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

func isAcronym(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 1
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst lowers the first letter unless the first word is an acronym.
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if isAcronym(first) {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// nameFromID is a metadata.name for people: "national-task-force" is
// "National task force".
func nameFromID(name string) string {
	return capitalize(strings.ReplaceAll(name, "-", " "))
}

// subject is a mechanism's name at the start of a sentence: a common noun
// phrase takes "The" ("National task force": "The national task force"),
// a proper name keeps its capitals ("The National Referral Mechanism"),
// and a name that has its article keeps it.
func subject(name string) string {
	if strings.HasPrefix(strings.ToLower(name), "the ") {
		return capitalize(name)
	}
	words := strings.Fields(name)
	common := len(words) > 0
	for k, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if k > 0 && unicode.IsUpper(r) || k == 0 && isAcronym(w) {
			common = false
		}
	}
	if common {
		return "The " + lowerFirst(name)
	}
	return "The " + name
}

// mechanismConditionPhrase says what a mechanism-backed indicator's values
// are: "whether the national task force meets regularly".
func mechanismConditionPhrase(cond, mechanism string) string {
	m := lowerFirst(subject(mechanism))
	switch cond {
	case v1alpha1.ConditionFormalized:
		return "whether " + m + " is formalized"
	case v1alpha1.ConditionRolesDefined:
		return "whether the roles of " + m + " are defined"
	case v1alpha1.ConditionSectorsRepresented:
		return "whether the required sectors are represented in " + m
	case v1alpha1.ConditionMeetingsRegular:
		return "whether " + m + " meets regularly"
	}
	return phrase(cond) + " of " + m
}

// cadenceAdverb is how often an indicator is reported: "quarterly".
func cadenceAdverb(c string) string { return phrase(c) }

// displayNames reads DisplayNamesAnnotation; the error says what is wrong
// with it (it is then ignored).
func displayNames(annotations map[string]string) (map[string]string, error) {
	raw, ok := annotations[DisplayNamesAnnotation]
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var m map[string]string
	if err := yaml.Unmarshal([]byte(raw), &m); err != nil {
		return nil, fmt.Errorf("annotation %s is not a map from dimension or dimension/category to a name: %v", DisplayNamesAnnotation, err)
	}
	out := map[string]string{}
	for k, v := range m {
		if v = safe(v); v != "" {
			out[k] = v
		}
	}
	return out, nil
}

var kebabRE = regexp.MustCompile(`^[a-z]+(-[a-z]+)+$`)

// names are the display names of one indicator's dimensions and
// categories.
type names map[string]string

// dimension names a dimension: its display name, else its identifier in
// words.
func (n names) dimension(d string) string {
	if v, ok := n[d]; ok {
		return v
	}
	return Label(d)
}

// category names a category of a dimension: its display name, else the
// category with a capital ("female": "Female"; a camelCase identifier in
// words). Categories of open dimensions (place names) stay as reported.
func (n names) category(d, c string) string {
	if v, ok := n[d+"/"+c]; ok {
		return v
	}
	switch {
	case strings.ContainsAny(c, " "):
		return c
	case kebabRE.MatchString(c): // "northern-border"
		return capitalize(strings.ReplaceAll(c, "-", " "))
	}
	return Label(c)
}

// displayName is the annotation's value, safe, or "" without one.
func displayName(annotations map[string]string) string {
	return safe(annotations[DisplayNameAnnotation])
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// phrases are identifiers as words inside a sentence, in order.
func phrases(ids []string) []string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = phrase(id)
	}
	return out
}
