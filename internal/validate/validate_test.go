package validate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/concord-operator/concord/internal/manifest"
)

func TestIssueFormatting(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Issue
		want string
	}{
		{
			name: "field error",
			in:   Issue{File: "examples/x.yaml", Line: 12, Kind: "Indicator", Namespace: "protection", Name: "victims-referred", Field: "spec.target.operator", Message: `Invalid value: "AtLeast": use Equals`},
			want: `examples/x.yaml:12: Indicator protection/victims-referred: spec.target.operator: Invalid value: "AtLeast": use Equals`,
		},
		{
			name: "message naming its field",
			in:   Issue{File: "x.yaml", Line: 3, Kind: "Indicator", Namespace: "default", Name: "a", Field: "spec.colour", Message: `unknown field "spec.colour"`},
			want: `x.yaml:3: Indicator default/a: unknown field "spec.colour"`,
		},
		{
			name: "error about the whole object",
			in:   Issue{File: "x.yaml", Line: 1, Kind: "Measurement", Namespace: "n", Name: "m", Message: "Invalid value: null: some validation rules were not checked"},
			want: `x.yaml:1: Measurement n/m: Invalid value: null: some validation rules were not checked`,
		},
		{
			name: "cluster-scoped object",
			in:   Issue{File: "ns.yaml", Line: 1, Kind: "Namespace", Name: "Bad", Field: "metadata.name", Message: "Invalid value"},
			want: `ns.yaml:1: Namespace Bad: metadata.name: Invalid value`,
		},
		{
			name: "unreadable document",
			in:   Issue{File: "x.yaml", Line: 4, Message: "not a valid manifest: apiVersion is missing"},
			want: `x.yaml:4: not a valid manifest: apiVersion is missing`,
		},
		{
			name: "no file",
			in:   Issue{Message: "reading missing: file does not exist"},
			want: `reading missing: file does not exist`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestReportJSON(t *testing.T) {
	r := validateText(t, docs(strings.Replace(measurement, "  reporter: NGO shelter network\n", "", 1)), Options{CrossObject: true})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Errors []map[string]any `json:"errors"`
		// Warnings is [] rather than null when there are none.
		Warnings []map[string]any `json:"warnings"`
		Objects  int              `json:"objects"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Objects != 1 || got.Warnings == nil || len(got.Errors) != 2 {
		t.Fatalf("report %s", b)
	}
	want := map[string]any{"file": "in.yaml", "line": float64(1), "kind": "Measurement", "namespace": "protection", "name": "q1", "field": "spec.reporter", "message": "Required value"}
	for k, v := range want {
		if got.Errors[0][k] != v {
			t.Errorf("errors[0].%s = %v, want %v (%s)", k, got.Errors[0][k], v, b)
		}
	}
	if !strings.Contains(string(b), `"field":"spec.indicatorRef.name"`) {
		t.Errorf("the cross-object error is missing: %s", b)
	}
}

// TestErrorsPointAtTheirField: the line is that of the field at fault, or
// of its nearest ancestor present in the document.
func TestErrorsPointAtTheirField(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "plan.yaml")
	text := `# a comment before the first document
apiVersion: v1
kind: Namespace
metadata: {name: protection}
---
# the indicator
apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata:
  name: victims-referred
  namespace: protection
spec:
  area: Protection
  measure: {type: Count, unit: persons}
  cadence: Quarterly
  colour: blue
  baseline: {period: 2025-Q4, value: "40"}
  target:
    operator: Equals
    value: "50"
    deadline: 2026-Q4
  disaggregations:
  - {dimension: gender}
  - {dimension: age}
  - {dimension: gender}
`
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustDefault(t).Paths(context.Background(), Options{CrossObject: true}, f)
	want := []string{
		f + `:16: Indicator protection/victims-referred: unknown field "spec.colour"`,
		f + `:12: Indicator protection/victims-referred: spec.title: Required value`,
		f + `:25: Indicator protection/victims-referred: spec.disaggregations[2]: Duplicate value: {"dimension":"gender"}`,
		// Not the API server's field-less "Invalid value: null: some
		// validation rules were not checked": the errors above say what
		// to fix.
	}
	expectIssues(t, "errors", r.Errors, want)

	// Once the schema errors are fixed, the CEL rules run.
	text = strings.Replace(strings.Replace(strings.Replace(text, "  colour: blue\n", "", 1), "spec:\n", "spec:\n  title: Victims referred\n", 1), "  - {dimension: gender}\n", "", 2)
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r = mustDefault(t).Paths(context.Background(), Options{CrossObject: true}, f)
	expectIssues(t, "errors", r.Errors, []string{f + `:19: Indicator protection/victims-referred: spec.target.operator: Invalid value: target.operator Equals does not apply to a Count measure`})
	if r.Objects != 2 {
		t.Errorf("%d objects, want 2", r.Objects)
	}
}

func TestDocumentsThatCannotBeRead(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(docs(indicator, "kind: [\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustDefault(t).Paths(context.Background(), Options{CrossObject: true}, bad, filepath.Join(dir, "missing"))
	expectIssues(t, "errors", r.Errors, []string{"reading " + filepath.Join(dir, "missing"), bad + ":15: not a valid manifest"})
	if r.Objects != 1 {
		t.Errorf("%d objects, want the one readable", r.Objects)
	}
}

func TestKindsAndMetadata(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		errors   []string
	}{
		{"unknown kind of the group", strings.Replace(measurement, "kind: Measurement", "kind: Measure", 1),
			[]string{`Measure protection/q1: kind: Unsupported value: "Measure": supported values: "ActionPlan", "CooperationMechanism", "Evidence", "Indicator", "Measurement"`}},
		{"version not served", strings.Replace(measurement, "v1alpha1", "v1", 1),
			[]string{`apiVersion: Unsupported value: "monitoring.concord.dev/v1": supported values: "monitoring.concord.dev/v1alpha1"`}},
		{"name not a DNS subdomain", strings.Replace(measurement, "name: q1", "name: Q1_2026", 1),
			[]string{`Measurement protection/Q1_2026: metadata.name: Invalid value: "Q1_2026": a lowercase RFC 1123 subdomain must consist of`}},
		{"name missing", strings.Replace(measurement, "name: q1, ", "", 1),
			[]string{`metadata.name: Required value: name or generateName is required`}},
		{"unknown metadata field", strings.Replace(measurement, "name: q1", "name: q1, colour: blue", 1),
			[]string{`unknown field "metadata.colour"`}},
		{"status is dropped on create", measurement + "status: {observedGeneration: -5}\n", nil},
		{"other kinds are not checked", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Anything_Goes}\nspec: {colour: blue}\n", nil},
		{"ConfigMap names are checked", strings.Replace(configMap, "name: minutes", "name: Minutes", 1),
			[]string{`ConfigMap protection/Minutes: metadata.name: Invalid value: "Minutes"`}},
		{"Namespace names are DNS labels", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n",
			[]string{`Namespace a.b: metadata.name: Invalid value: "a.b": must not contain dots`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectIssues(t, "errors", validateText(t, tc.in, Options{}).Errors, tc.errors)
		})
	}
}

func TestDefaultsApply(t *testing.T) {
	// verification.methodsRequired defaults to All: a default that breaks
	// no rule, and a value the API server would store.
	objs, err := manifest.Parse("in.yaml", []byte(with(indicator, "  verification: {methods: [RecordsReview]}")))
	if err != nil {
		t.Fatal(err)
	}
	r, entries := mustDefault(t).objects(context.Background(), Options{}, objs)
	expectIssues(t, "errors", r.Errors, nil)
	got, _, _ := unstructured.NestedString(entries[0].obj.Object, "spec", "verification", "methodsRequired")
	if got != "All" {
		t.Errorf("spec.verification.methodsRequired = %q, want the default All", got)
	}
}

// TestExamplesAndSamplesAreValid: the scenario and the samples pass with
// the cross-object checks, and neither triggers a warning.
func TestExamplesAndSamplesAreValid(t *testing.T) {
	for _, dir := range []string{"../../examples/national-plan", "../../config/samples"} {
		r := mustDefault(t).Paths(context.Background(), Options{CrossObject: true}, dir)
		if r.Objects == 0 {
			t.Errorf("%s: no objects", dir)
		}
		if len(r.Errors)+len(r.Warnings) > 0 {
			t.Errorf("%s:\n  %s", dir, strings.Join(append(texts(r.Errors), texts(r.Warnings)...), "\n  "))
		}
	}
}

// TestCrossObjectChecksSeeTheExamples guards against checks that pass
// because they look at nothing: breaking one reference of the scenario is
// reported.
func TestCrossObjectChecksSeeTheExamples(t *testing.T) {
	objs, err := manifest.LoadPaths("../../examples/national-plan")
	if err != nil {
		t.Fatal(err)
	}
	broken := 0
	for _, o := range objs {
		if o.Object.GetKind() == "Measurement" && broken == 0 {
			spec := o.Object.Object["spec"].(map[string]any)
			spec["indicatorRef"] = map[string]any{"name": "no-such-indicator"}
			broken++
		}
	}
	r := mustDefault(t).Objects(context.Background(), Options{CrossObject: true}, objs)
	expectIssues(t, "errors", r.Errors, []string{`spec.indicatorRef.name: Not found: "no-such-indicator"`})
}

// TestOtherKindsAreSkippedAndNamed: objects that are neither Concord's nor
// a ConfigMap or Namespace are not checked, and the report says which.
func TestOtherKindsAreSkippedAndNamed(t *testing.T) {
	in := docs(measurement, "apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: protection}\nstringData: {token: x}\n",
		configMap, "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n",
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: protection}\n")
	r := validateText(t, in, Options{})
	if r.Objects != 5 {
		t.Errorf("%d objects, want every document counted", r.Objects)
	}
	expectIssues(t, "skipped", r.Skipped, []string{"in.yaml:10: Secret protection/creds", "in.yaml:20: ClusterRole reader"})
	for _, s := range r.Skipped {
		if s.Message != "not one of Concord's kinds, a ConfigMap or a Namespace: not checked" {
			t.Errorf("skipped %s: message %q", s, s.Message)
		}
	}
	expectIssues(t, "errors", r.Errors, nil)
	expectIssues(t, "warnings", r.Warnings, nil)
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"skipped":[{"file":"in.yaml","line":10,"kind":"Secret","namespace":"protection","name":"creds",`) {
		t.Errorf("-o json does not list the skipped objects: %s", b)
	}
}

// TestLongLinesAreRead: a line longer than any line buffer is read, its
// object refused as the API server refuses it (too large a request), and
// the documents after it are still checked.
func TestLongLinesAreRead(t *testing.T) {
	f := filepath.Join(t.TempDir(), "long.yaml")
	long := strings.Replace(indicator, "title: Number of victims referred", "title: "+strings.Repeat("x", 17<<20), 1)
	after := strings.NewReplacer("name: victims-referred", "name: after", "area: Protection", "area: Punishment").Replace(indicator)
	if err := os.WriteFile(f, []byte(docs(long, after)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustDefault(t).Paths(context.Background(), Options{CrossObject: true}, f)
	expectIssues(t, "errors", r.Errors, []string{
		f + `:1: Indicator protection/victims-referred: Request entity too large: limit is 3145728 (the object is 17826`,
		f + `:20: Indicator protection/after: spec.area: Unsupported value: "Punishment"`,
	})
	if r.Objects != 2 {
		t.Errorf("%d objects, want 2", r.Objects)
	}
}

func TestNoManifestsIsAnError(t *testing.T) {
	dir := t.TempDir()
	r := mustDefault(t).Paths(context.Background(), Options{CrossObject: true}, dir)
	expectIssues(t, "errors", r.Errors, []string{"no manifests found in " + dir})
}

// TestImportedObjectsKeepTheirLine: an object made from a record of
// another format (a CSV row) is reported at the record's line, and its
// file, which holds no YAML, is not searched for fields (it would be read
// and parsed once per refused object).
func TestImportedObjectsKeepTheirLine(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "figures.csv")
	// YAML-like text from line 3: a field lookup would point at line 4.
	if err := os.WriteFile(f, []byte("Quarter,Victims\n2026-Q1,12\nspec:\n  reporter: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "monitoring.concord.dev/v1alpha1", "kind": "Measurement",
		"metadata": map[string]any{"name": "victims-2026-q1", "namespace": "protection"},
		"spec":     map[string]any{"indicatorRef": map[string]any{"name": "victims"}, "period": "2026-Q1", "reporter": "\x01", "value": "12"},
	}}
	r := mustDefault(t).Objects(context.Background(), Options{}, []manifest.Object{{Source: f, Line: 3, Imported: true, Object: u}})
	if len(r.Errors) != 1 || r.Errors[0].Line != 3 || r.Errors[0].Field != "spec.reporter" {
		t.Fatalf("errors %v, want one at line 3 on spec.reporter", r.Errors)
	}
}
