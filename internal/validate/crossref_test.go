package validate

import (
	"context"
	"strings"
	"testing"

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
  - {dimension: gender, categories: [female, male, other, unknown], required: true}
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
