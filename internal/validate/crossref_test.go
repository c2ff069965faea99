package validate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concord-operator/concord/internal/manifest"
)

const (
	indicator = `apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: victims-referred, namespace: protection}
spec:
  title: Number of victims referred
  area: Protection
  measure: {type: Count, unit: persons}
  cadence: Quarterly
  baseline: {period: 2025-Q4, value: "40"}
  target: {operator: IncreaseByPercent, value: "25", deadline: 2026-Q4}
  disaggregations:
  - {dimension: gender, categories: [female, male, other, unknown]}
  - {dimension: countryOfOrigin}
`
	measurement = `apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: q1, namespace: protection}
spec:
  indicatorRef: {name: victims-referred}
  period: 2026-Q1
  value: "52"
  reporter: NGO shelter network
`
	mechanism = `apiVersion: monitoring.concord.dev/v1alpha1
kind: CooperationMechanism
metadata: {name: nrm, namespace: protection}
spec:
  type: NationalReferralMechanism
  level: National
  mandate: Refer presumed victims to assistance
  members:
  - {organization: Ministry of Labour, sector: Government, role: Chair, responsibilities: [Coordinate]}
`
	attestation = `apiVersion: monitoring.concord.dev/v1alpha1
kind: Evidence
metadata: {name: sop, namespace: protection}
spec:
  method: DocumentReview
  description: Endorsed SOP
  collectionTime: "2026-02-01T00:00:00Z"
  source:
    type: Attestation
    attestation: {attestedBy: Head of Secretariat, statement: Endorsed by all members}
`
	configMapEvidence = `apiVersion: monitoring.concord.dev/v1alpha1
kind: Evidence
metadata: {name: minutes, namespace: protection}
spec:
  method: DocumentReview
  description: Minutes of the meeting
  collectionTime: "2026-02-01T00:00:00Z"
  source:
    type: ConfigMap
    configMap: {name: minutes, key: minutes.txt}
`
	configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: minutes, namespace: protection, labels: {concord.dev/evidence: "true"}}
data: {minutes.txt: "The task force met."}
`
)

func docs(ds ...string) string { return strings.Join(ds, "---\n") }

// with appends lines to the spec of a manifest (the spec is its last
// mapping).
func with(doc string, lines ...string) string {
	return doc + strings.Join(lines, "\n") + "\n"
}

func validateText(t *testing.T, text string, opts Options) Report {
	t.Helper()
	objs, err := manifest.Parse("in.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return mustDefault(t).Objects(context.Background(), opts, objs)
}

// validateFile validates text written to a file in.yaml, so that issues
// are located at the line of their field.
func validateFile(t *testing.T, text string, opts Options) Report {
	t.Helper()
	f := filepath.Join(t.TempDir(), "in.yaml")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustDefault(t).Paths(context.Background(), opts, f)
}

func texts(issues []Issue) []string {
	var out []string
	for _, i := range issues {
		out = append(out, i.String())
	}
	return out
}

func TestCrossObjectChecks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		errors   []string // each a substring of one error, in order
		warnings []string
	}{
		{name: "complete set", in: docs(indicator, measurement, mechanism, attestation, configMapEvidence, configMap)},
		{
			name:   "indicator absent",
			in:     measurement,
			errors: []string{`in.yaml:1: Measurement protection/q1: spec.indicatorRef.name: Not found: "victims-referred": no Indicator protection/victims-referred in the input`},
		},
		{
			name:   "indicator in another namespace",
			in:     docs(strings.Replace(indicator, "namespace: protection", "namespace: coordination", 1), measurement),
			errors: []string{`Measurement protection/q1: spec.indicatorRef.name: Not found: "victims-referred"`},
		},
		{
			name:   "no namespace means default",
			in:     docs(strings.Replace(indicator, ", namespace: protection", "", 1), strings.Replace(measurement, ", namespace: protection", "", 1)),
			errors: nil,
		},
		{
			name:   "breakdown dimension unknown",
			in:     docs(indicator, with(measurement, `  breakdown:`, `  - {categories: {gender: female, colour: blue}, value: "52"}`)),
			errors: []string{`Measurement protection/q1: spec.breakdown[0].categories[colour]: Invalid value: "colour": not a dimension of Indicator protection/victims-referred: it declares "gender", "countryOfOrigin"`},
		},
		{
			name:   "breakdown category not in a closed dimension",
			in:     docs(indicator, with(measurement, `  breakdown:`, `  - {categories: {gender: femme}, value: "52"}`)),
			errors: []string{`spec.breakdown[0].categories.gender: Unsupported value: "femme": supported values: "female", "male", "other", "unknown"`},
		},
		{
			name: "any category of an open dimension",
			in:   docs(indicator, with(measurement, `  breakdown:`, `  - {categories: {gender: female, countryOfOrigin: Atlantis}, value: "52"}`)),
		},
		{
			name: "indicator without disaggregations",
			in: docs(strings.SplitN(indicator, "  disaggregations:", 2)[0],
				with(measurement, `  breakdown:`, `  - {categories: {gender: female}, value: "52"}`)),
			errors: []string{`spec.breakdown[0].categories[gender]: Invalid value: "gender": not a dimension of Indicator protection/victims-referred: it declares no disaggregations`},
		},
		{
			name:   "evidenceRefs to absent Evidence",
			in:     docs(indicator, attestation, with(measurement, `  evidenceRefs: [{name: sop}, {name: shelter-records}]`)),
			errors: []string{`spec.evidenceRefs[1].name: Not found: "shelter-records": no Evidence protection/shelter-records in the input`},
		},
		{
			name:   "mechanismRef to nothing",
			in:     with(indicator, `  mechanismRef: {name: national-referral-mechanism}`),
			errors: []string{`Indicator protection/victims-referred: spec.mechanismRef.name: Not found: "national-referral-mechanism": no CooperationMechanism protection/national-referral-mechanism in the input`},
		},
		{
			name: "mechanismRef resolved",
			in:   docs(with(indicator, `  mechanismRef: {name: nrm}`), mechanism),
		},
		{
			name:   "instrument evidenceRef to absent Evidence",
			in:     docs(attestation, with(mechanism, `  instruments:`, `  - {type: SOP, title: Referral SOP, evidenceRef: {name: sop}}`, `  - {type: MOU, title: Memorandum, evidenceRef: {name: mou}}`)),
			errors: []string{`CooperationMechanism protection/nrm: spec.instruments[1].evidenceRef.name: Not found: "mou": no Evidence protection/mou in the input`},
		},
		{
			name:     "ConfigMap absent",
			in:       configMapEvidence,
			warnings: []string{`Evidence protection/minutes: spec.source.configMap.name: Not found: "minutes": no ConfigMap protection/minutes in the input`},
		},
		{
			name:     "ConfigMap without the label",
			in:       docs(configMapEvidence, strings.Replace(configMap, `, labels: {concord.dev/evidence: "true"}`, "", 1)),
			warnings: []string{`spec.source.configMap.name: Invalid value: "minutes": ConfigMap protection/minutes (in.yaml:12) lacks the label concord.dev/evidence: "true"; Concord does not read it`},
		},
		{
			name:     "ConfigMap without the key",
			in:       docs(configMapEvidence, strings.Replace(configMap, "minutes.txt:", "other.txt:", 1)),
			warnings: []string{`spec.source.configMap.key: Not found: "minutes.txt": ConfigMap protection/minutes (in.yaml:12) has no such key in data or binaryData`},
		},
		{
			name:     "duplicate is a warning and an update",
			in:       docs(indicator, indicator),
			warnings: []string{`in.yaml:15: Indicator protection/victims-referred: metadata.name: Duplicate value: "victims-referred": Indicator protection/victims-referred is also defined at in.yaml:1; validated as an update of it`},
		},
		{
			name:     "an update is checked against the earlier document",
			in:       docs(measurement, strings.Replace(measurement, `value: "52"`, `value: "53"`, 1), indicator),
			errors:   []string{`in.yaml:10: Measurement protection/q1: spec.value: Invalid value: "53": a Measurement's spec is immutable`},
			warnings: []string{`Duplicate value: "q1"`},
		},
		{
			name:     "a repeat of a refused document is a create",
			in:       docs(strings.Replace(measurement, `value: "52"`, `value: "52.5.1"`, 1), strings.Replace(measurement, `value: "52"`, `value: "53"`, 1), indicator),
			errors:   []string{`in.yaml:1: Measurement protection/q1: spec.value: Invalid value: "52.5.1"`},
			warnings: []string{`Measurement protection/q1 is also defined at in.yaml:1; validated as a new object, the earlier one being refused`},
		},
		{
			name: "references are checked on the last version",
			in:   docs(measurement, strings.Replace(measurement, "victims-referred", "other", 1), indicator),
			// The second document is refused (immutable indicatorRef), so
			// the first one stands, and refers to an Indicator present.
			errors:   []string{`in.yaml:10: Measurement protection/q1: spec.indicatorRef: Invalid value: a Measurement's spec is immutable`},
			warnings: []string{`Duplicate value: "q1"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validateText(t, tc.in, Options{CrossObject: true})
			expectIssues(t, "errors", r.Errors, tc.errors)
			expectIssues(t, "warnings", r.Warnings, tc.warnings)
			// Without cross-object checks, only the API server's errors.
			off := validateText(t, tc.in, Options{CrossObject: false})
			if len(off.Warnings) > 0 {
				t.Errorf("warnings without cross-object checks: %v", texts(off.Warnings))
			}
			for _, i := range off.Errors {
				if strings.Contains(i.Message, "in the input") || strings.Contains(i.Message, "not a dimension") {
					t.Errorf("cross-object error without cross-object checks: %s", i)
				}
			}
		})
	}
}

func expectIssues(t *testing.T, what string, got []Issue, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d %s, want %d:\n  %s", len(got), what, len(want), strings.Join(texts(got), "\n  "))
	}
	for i, w := range want {
		if !strings.Contains(got[i].String(), w) {
			t.Errorf("%s[%d]\n  %s\ndoes not contain\n  %s", what, i, got[i], w)
		}
	}
}

// TestContentTheClusterRejects: a Measurement whose Indicator is in the
// input is checked by the evaluator the controllers run; what it marks
// Accepted False for the Measurement's content is an error, with the
// evaluator's message.
func TestContentTheClusterRejects(t *testing.T) {
	required := strings.Replace(indicator, "categories: [female, male, other, unknown]}", "categories: [female, male, other, unknown], required: true}", 1)
	atMost := strings.Replace(indicator, "categories: [female, male, other, unknown]}", "categories: [female, male, other, unknown], required: true, total: AtMost}", 1)
	percentage := strings.NewReplacer("measure: {type: Count, unit: persons}", "measure: {type: Percentage}",
		"operator: IncreaseByPercent, value: \"25\"", "operator: AtLeast, value: \"50\"").Replace(indicator)
	withValue := func(v string) string { return strings.Replace(measurement, `value: "52"`, v, 1) }
	cells := func(female, male string) string {
		return with(measurement, "  breakdown:", `  - {categories: {gender: female}, value: "`+female+`"}`, `  - {categories: {gender: male}, value: "`+male+`"}`)
	}
	for _, tc := range []struct {
		name   string
		in     string
		errors []string
	}{
		{"valid", docs(indicator, measurement), nil},
		{"period of another cadence", docs(indicator, strings.Replace(measurement, "period: 2026-Q1", "period: 2026-03", 1)),
			[]string{`in.yaml:20: Measurement protection/q1: spec.period: period "2026-03" is not a Quarterly period (write it like "2026-Q1") (the cluster will set Accepted False, PeriodMismatch)`}},
		{"period not started", docs(indicator, strings.Replace(measurement, "period: 2026-Q1", "period: 2999-Q1", 1)),
			[]string{`spec.period: period 2999-Q1 has not started: it starts 2999-01-01 (the cluster will set Accepted False, PeriodMismatch)`}},
		{"fraction of a Count", docs(indicator, withValue(`value: "2.5"`)),
			[]string{`in.yaml:21: Measurement protection/q1: spec.value: 2.5 is not a Count value: write a whole number of 0 or more (the cluster will set Accepted False, ValueInvalid)`}},
		{"percentage over 100", docs(percentage, withValue(`value: "120"`)),
			[]string{`spec.value: 120 is not a Percentage value: write a number from 0 to 100 (the cluster will set Accepted False, ValueInvalid)`}},
		{"ratio figures for a Count", docs(indicator, withValue(`numerator: "5"`+"\n"+`  denominator: "10"`)),
			[]string{`spec.numerator: a Count indicator takes value, not numerator and denominator (the cluster will set Accepted False, ValueInvalid)`}},
		{"cells of a required dimension sum to less", docs(required, cells("30", "12")),
			[]string{`in.yaml:23: Measurement protection/q1: spec.breakdown: the cells of gender sum to 42, less than the value 52: total Equal requires them to sum to it (with total AtMost, the 10 left would be shown as not stated) (the cluster will set Accepted False, BreakdownInconsistent)`}},
		{"cells of a required dimension sum to the value", docs(required, cells("30", "22")), nil},
		// Revision 2: breakdowns as they are published.
		{"cells of an AtMost dimension sum to less", docs(atMost, cells("30", "12")), nil},
		{"cells of an AtMost dimension sum to more", docs(atMost, cells("30", "30")),
			[]string{`spec.breakdown: the cells of gender sum to 60, more than the value 52: total AtMost requires them to sum to at most it (the cluster will set Accepted False, BreakdownInconsistent)`}},
		{"marginal tables: by gender alone and by country alone", docs(required, with(cells("30", "22"), `  - {categories: {countryOfOrigin: XA}, value: "40"}`, `  - {categories: {countryOfOrigin: XB}, value: "12"}`)), nil},
		{"a required dimension no cell names", docs(required, with(measurement, "  breakdown:", `  - {categories: {countryOfOrigin: XA}, value: "52"}`)),
			[]string{`spec.breakdown: no cell names the required dimension gender: give its table, as cells that name gender alone or together with other dimensions (the cluster will set Accepted False, BreakdownInconsistent)`}},
		{"awaiting approval is not an error", docs(with(indicator, "  verification: {methods: [RecordsReview], approvalRequired: true}"), measurement), nil},
		// Reported once, by the check of categories.
		{"unknown dimension", docs(indicator, with(measurement, `  breakdown:`, `  - {categories: {colour: blue}, value: "52"}`)),
			[]string{`spec.breakdown[0].categories[colour]: Invalid value: "colour": not a dimension`}},
		{"indicator refused: not checked against it", docs(strings.Replace(indicator, "area: Protection", "area: Punishment", 1), withValue(`value: "2.5"`)),
			// The API server's field-less note that it skipped the CEL
			// rules is not repeated: the error above says what to fix.
			[]string{`Indicator protection/victims-referred: spec.area: Unsupported value: "Punishment"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectIssues(t, "errors", validateFile(t, tc.in, Options{CrossObject: true}).Errors, tc.errors)
			if off := validateText(t, tc.in, Options{}); len(off.Errors) > 0 && tc.name != "indicator refused: not checked against it" {
				t.Errorf("errors without cross-object checks: %v", texts(off.Errors))
			}
		})
	}
}

// TestTimesInTheFuture: a reportTime or collectionTime later than now plus
// the clock skew allowed does not count in the cluster; it is a warning.
func TestTimesInTheFuture(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	m := func(lines ...string) string { return with(measurement, lines...) }
	evidenceAt := func(ts string) string {
		return strings.Replace(attestation, `collectionTime: "2026-02-01T00:00:00Z"`, `collectionTime: "`+ts+`"`, 1)
	}
	for _, tc := range []struct {
		name     string
		in       string
		now      time.Time
		warnings []string
	}{
		{"report time within the skew", docs(indicator, m(`  reportTime: "`+at(4*time.Minute)+`"`)), now, nil},
		{"report time past the skew", docs(indicator, m(`  reportTime: "`+at(6*time.Minute)+`"`)), now,
			[]string{`in.yaml:23: Measurement protection/q1: spec.reportTime: 2026-11-21T12:06:00Z lies in the future (more than 5 minutes after now): a report cannot come from the future; the cluster will set the Measurement Accepted False, ReportTimeInFuture, and not count it`}},
		{"report time in 2999, by the wall clock", docs(indicator, m(`  reportTime: "2999-01-01T00:00:00Z"`)), time.Time{},
			[]string{`spec.reportTime: 2999-01-01T00:00:00Z lies in the future`}},
		{"inline evidence", docs(indicator, m(`  evidence:`, `  - {method: RecordsReview, description: Case records, collectionTime: "2026-04-02T00:00:00Z"}`,
			`  - {method: RecordsReview, description: Case records, collectionTime: "2999-01-01T00:00:00Z"}`)), now,
			[]string{`in.yaml:25: Measurement protection/q1: spec.evidence[1].collectionTime: 2999-01-01T00:00:00Z lies in the future (more than 5 minutes after now): evidence cannot be collected in the future; the cluster will not count it`}},
		{"Evidence object", docs(evidenceAt("2999-01-01T00:00:00Z")), now,
			[]string{`in.yaml:7: Evidence protection/sop: spec.collectionTime: 2999-01-01T00:00:00Z lies in the future (more than 5 minutes after now): evidence cannot be collected in the future; the cluster will not count it`}},
		{"Evidence object collected now", docs(evidenceAt(at(0))), now, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validateFile(t, tc.in, Options{CrossObject: true, Now: tc.now})
			expectIssues(t, "errors", r.Errors, nil)
			expectIssues(t, "warnings", r.Warnings, tc.warnings)
		})
	}
}

// derivedIndicator is an indicator of namespace coordination derived from
// the inputs by op.
func derivedIndicator(name, op string, inputs ...string) string {
	measure := "{type: Count, unit: officials}"
	if op == "Ratio" {
		measure = `{type: Ratio, scale: "100"}`
	}
	doc := `apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: ` + name + `, namespace: coordination}
spec:
  title: Derived ` + name + `
  area: Prosecution
  measure: ` + measure + `
  cadence: Annual
  derived:
    operation: ` + op + `
    inputs:
`
	for _, in := range inputs {
		doc += "    - " + in + "\n"
	}
	return doc
}

func measuredIndicator(name string, lines ...string) string {
	return with(`apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: `+name+`, namespace: coordination}
spec:
  title: Measured `+name+`
  area: Prosecution
  measure: {type: Count, unit: officials}
  cadence: Annual
`, lines...)
}

// TestDerivedInputs: concordctl validate says what the cluster will say of
// a derived indicator's inputs, at the line of the input at fault: an
// input absent from the set, a cycle (naming it), an input the evaluator
// refuses; and a Measurement of a derived indicator is refused.
func TestDerivedInputs(t *testing.T) {
	share := derivedIndicator("share-disciplined", "Ratio", "{name: officials-disciplined}", "{name: officials-investigated}")
	disciplined, investigated := measuredIndicator("officials-disciplined"), measuredIndicator("officials-investigated")
	for _, tc := range []struct {
		name   string
		in     string
		errors []string
	}{
		{"inputs present", docs(share, disciplined, investigated), nil},
		{"an input absent", docs(share, disciplined),
			[]string{`in.yaml:13: Indicator coordination/share-disciplined: spec.derived.inputs[1].name: Not found: "officials-investigated": no Indicator coordination/officials-investigated in the input`}},
		{"a cycle of two", docs(derivedIndicator("a", "Sum", "{name: x}", "{name: b}"), derivedIndicator("b", "Sum", "{name: a}", "{name: x}"), measuredIndicator("x")),
			[]string{
				`in.yaml:13: Indicator coordination/a: spec.derived.inputs[1].name: the derived inputs form a cycle: a -> b -> a; a derived indicator cannot depend on itself (the cluster will set Stalled True, InvalidSpec)`,
				`in.yaml:26: Indicator coordination/b: spec.derived.inputs[0].name: the derived inputs form a cycle: b -> a -> b; a derived indicator cannot depend on itself (the cluster will set Stalled True, InvalidSpec)`,
			}},
		{"a cycle of three, and an indicator that depends on it", docs(
			derivedIndicator("a", "Sum", "{name: b}", "{name: x}"), derivedIndicator("b", "Sum", "{name: c}", "{name: x}"),
			derivedIndicator("c", "Difference", "{name: x}", "{name: a}"), derivedIndicator("top", "Sum", "{name: a}", "{name: x}"), measuredIndicator("x")),
			[]string{
				`in.yaml:12: Indicator coordination/a: spec.derived.inputs[0].name: the derived inputs form a cycle: a -> b -> c -> a`,
				`in.yaml:26: Indicator coordination/b: spec.derived.inputs[0].name: the derived inputs form a cycle: b -> c -> a -> b`,
				`in.yaml:41: Indicator coordination/c: spec.derived.inputs[1].name: the derived inputs form a cycle: c -> a -> b -> c`,
			}},
		{"an input of another cadence", docs(share, disciplined, strings.Replace(investigated, "cadence: Annual", "cadence: Quarterly", 1)),
			[]string{`in.yaml:13: Indicator coordination/share-disciplined: spec.derived.inputs[1].name: input "officials-investigated" is Quarterly, not Annual like Indicator "share-disciplined"`}},
		{"an undeclared category", docs(
			derivedIndicator("women-trained", "Ratio", "{name: officers-trained, categories: {gender: female}}", "{name: officers-trained}"),
			measuredIndicator("officers-trained", "  disaggregations:", "  - {dimension: sex, categories: [female, male]}")),
			[]string{`in.yaml:12: Indicator coordination/women-trained: spec.derived.inputs[0].categories.gender: input "officers-trained" declares no dimension gender (it declares sex) (the cluster will set Stalled True, InvalidSpec)`}},
		{"a Measurement of a derived indicator", docs(share, disciplined, investigated, `apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: share-2025, namespace: coordination}
spec:
  indicatorRef: {name: share-disciplined}
  period: "2025"
  numerator: "3"
  denominator: "12"
  reporter: Inspectorate
`),
			[]string{`in.yaml:39: Measurement coordination/share-2025: spec.indicatorRef.name: Indicator "share-disciplined" is derived (spec.derived: Ratio of "officials-disciplined", "officials-investigated") and takes no Measurements: report the figures to its inputs (the cluster will set Accepted False, IndicatorIsDerived)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectIssues(t, "errors", validateFile(t, tc.in, Options{CrossObject: true}).Errors, tc.errors)
			if off := validateText(t, tc.in, Options{}); len(off.Errors) > 0 {
				t.Errorf("errors without cross-object checks: %v", texts(off.Errors))
			}
		})
	}
}
