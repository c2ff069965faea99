package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const badIndicator = `apiVersion: v1
kind: Namespace
metadata: {name: protection}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: victims-referred, namespace: protection}
spec:
  title: Number of victims referred
  area: Protection
  measure: {type: Count, unit: persons}
  cadence: Quarterly
  baseline: {period: 2025-Q4, value: "40"}
  target: {operator: Equals, value: "50", deadline: 2026-Q4}
`

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestValidateExamples(t *testing.T) {
	var out bytes.Buffer
	if err := runValidate(context.Background(), &out, []string{"../../examples/national-plan"}, "text", true); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got := out.String(); got != "162 objects checked: 0 errors, 0 warnings\n" {
		t.Errorf("output %q", got)
	}
}

func TestValidateNamesFileAndLine(t *testing.T) {
	bad := writeFile(t, "bad.yaml", badIndicator)
	cmd := NewRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"validate", "-f", bad})
	err := cmd.Execute()
	if err == nil || err.Error() != "validation failed: 1 error" {
		t.Fatalf("error %v, want validation failed: 1 error (exit status 1)", err)
	}
	want := bad + ":14: Indicator protection/victims-referred: spec.target.operator: Invalid value: target.operator Equals does not apply to a Count measure: use AtLeast, AtMost, IncreaseByPercent or DecreaseByPercent\n" +
		"2 objects checked: 1 error, 0 warnings\n"
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}
}

func TestValidateJSON(t *testing.T) {
	bad := writeFile(t, "bad.yaml", badIndicator+`---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Evidence
metadata: {name: minutes, namespace: protection}
spec:
  method: DocumentReview
  description: Minutes
  collectionTime: "2026-02-01T00:00:00Z"
  source: {type: ConfigMap, configMap: {name: minutes, key: minutes.txt}}
`)
	var out bytes.Buffer
	err := runValidate(context.Background(), &out, []string{bad}, "json", false)
	if err == nil {
		t.Fatal("no error for an invalid manifest")
	}
	var r struct {
		Errors []struct {
			File, Kind, Namespace, Name, Field, Message string
			Line                                        int
		} `json:"errors"`
		Warnings []struct {
			Line  int
			Field string
		} `json:"warnings"`
		Objects int `json:"objects"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("-o json does not parse: %v\n%s", err, out.String())
	}
	if r.Objects != 3 || len(r.Errors) != 1 || len(r.Warnings) != 1 {
		t.Fatalf("report %s", out.String())
	}
	e := r.Errors[0]
	if e.File != bad || e.Line != 14 || e.Kind != "Indicator" || e.Namespace != "protection" || e.Name != "victims-referred" ||
		e.Field != "spec.target.operator" || !strings.HasPrefix(e.Message, "Invalid value: target.operator Equals does not apply") {
		t.Errorf("error %+v", e)
	}
	if w := r.Warnings[0]; w.Field != "spec.source.configMap.name" || w.Line != 23 {
		t.Errorf("warning %+v", w)
	}
}

func TestValidateStrictFailsOnWarnings(t *testing.T) {
	f := writeFile(t, "dup.yaml", `apiVersion: v1
kind: ConfigMap
metadata: {name: minutes}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: minutes}
`)
	var out bytes.Buffer
	if err := runValidate(context.Background(), &out, []string{f}, "text", false); err != nil {
		t.Fatalf("warnings failed without --strict: %v", err)
	}
	if !strings.Contains(out.String(), "warning: "+f+":7: ConfigMap default/minutes: metadata.name: Duplicate value: \"minutes\": ConfigMap default/minutes is also defined at "+f+":1; the later document replaces it") {
		t.Errorf("output %s", out.String())
	}
	if err := runValidate(context.Background(), &out, []string{f}, "text", true); err == nil || !strings.Contains(err.Error(), "1 warning (--strict)") {
		t.Errorf("--strict: %v", err)
	}
}

func TestValidateFlags(t *testing.T) {
	var out bytes.Buffer
	if err := runValidate(context.Background(), &out, []string{"."}, "yaml", false); err == nil || !strings.Contains(err.Error(), "text or json") {
		t.Errorf("-o yaml: %v", err)
	}
	cmd := NewRootCommand()
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"validate"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "filename") {
		t.Errorf("without -f: %v", err)
	}
}

const secret = `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: protection}
stringData: {token: not-for-concord}
`

func TestValidateNamesSkippedObjects(t *testing.T) {
	f := writeFile(t, "mixed.yaml", strings.Join([]string{goodIndicator, secret}, "---\n"))
	var out bytes.Buffer
	if err := runValidate(context.Background(), &out, []string{f}, "text", true); err != nil {
		t.Fatalf("a skipped object failed validation (--strict): %v\n%s", err, out.String())
	}
	want := "skipped: " + f + ":16: Secret protection/creds: not one of Concord's kinds, a ConfigMap or a Namespace: not checked\n" +
		"2 objects checked, 1 skipped (not Concord's): 0 errors, 0 warnings\n"
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}
}

// goodIndicator is badIndicator with a target a Count can have.
var goodIndicator = strings.Replace(badIndicator, "operator: Equals", "operator: AtLeast", 1)

// measurementQ1 is a Measurement of goodIndicator.
const measurementQ1 = `apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: q1, namespace: protection}
spec:
  indicatorRef: {name: victims-referred}
  period: 2026-Q1
  value: "52"
  reporter: NGO shelter network
`

func TestValidateFailsOnNoManifests(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := runValidate(context.Background(), &out, []string{dir}, "text", false)
	if err == nil || out.String() != "no manifests found in "+dir+"\n0 objects checked: 1 error, 0 warnings\n" {
		t.Errorf("error %v, output %q", err, out.String())
	}
}

// TestValidateReadsPastLongLines: a document after a line longer than
// 16 MiB is checked, and the long one refused as the API server would.
func TestValidateReadsPastLongLines(t *testing.T) {
	long := strings.Replace(goodIndicator, "title: Number of victims referred", "title: "+strings.Repeat("x", 17<<20), 1)
	f := writeFile(t, "long.yaml", long+"---\n"+strings.Replace(goodIndicator, "area: Protection", "area: Punishment", 1))
	var out bytes.Buffer
	err := runValidate(context.Background(), &out, []string{f}, "text", false)
	if err == nil || !strings.Contains(out.String(), f+":5: Indicator protection/victims-referred: Request entity too large") ||
		!strings.Contains(out.String(), f+":25: Indicator protection/victims-referred: spec.area: Unsupported value: \"Punishment\"") ||
		!strings.HasSuffix(out.String(), "4 objects checked: 2 errors, 2 warnings\n") {
		t.Errorf("error %v, output\n%s", err, out.String())
	}
}

// TestValidateContentAndTimes: what the cluster will not accept or count
// in a Measurement is an error (its content) or a warning (a time in the
// future), at the line of its field.
func TestValidateContentAndTimes(t *testing.T) {
	m := strings.Replace(measurementQ1, `"52"`, `"2.5"`, 1) + "  reportTime: \"2999-01-01T00:00:00Z\"\n"
	f := writeFile(t, "m.yaml", goodIndicator+"---\n"+m)
	var out bytes.Buffer
	err := runValidate(context.Background(), &out, []string{f}, "text", false)
	want := f + ":22: Measurement protection/q1: spec.value: 2.5 is not a Count value: write a whole number of 0 or more (the cluster will set Accepted False, ValueInvalid)\n" +
		"warning: " + f + ":24: Measurement protection/q1: spec.reportTime: 2999-01-01T00:00:00Z lies in the future (more than 5 minutes after now): a report cannot come from the future; the cluster will set the Measurement Accepted False, ReportTimeInFuture, and not count it\n" +
		"3 objects checked: 1 error, 1 warning\n"
	if err == nil || out.String() != want {
		t.Errorf("error %v, output\n%s\nwant\n%s", err, out.String(), want)
	}
}

// TestValidateEscapesText: text from manifests reaches the terminal with
// its control characters and bidirectional overrides escaped.
func TestValidateEscapesText(t *testing.T) {
	f := writeFile(t, "hostile.yaml", strings.Replace(secret, "name: creds", "name: \"creds\\e[2J\\u202etxt.exe\"", 1))
	var out bytes.Buffer
	if err := runValidate(context.Background(), &out, []string{f}, "text", false); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\u202e") || !strings.Contains(out.String(), `Secret protection/creds\x1b[2J\u202etxt.exe`) {
		t.Errorf("output %q", out.String())
	}
}

// derivedSet has a derived indicator whose input is absent and two that
// form a cycle.
const derivedSet = `apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: investigated, namespace: coordination}
spec:
  title: Officials investigated
  area: Prosecution
  measure: {type: Count, unit: officials}
  cadence: Annual
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: share, namespace: coordination}
spec:
  title: Share of investigations resulting in disciplinary action
  area: Prosecution
  measure: {type: Ratio, scale: "100"}
  cadence: Annual
  derived:
    operation: Ratio
    inputs:
    - {name: disciplined}
    - {name: investigated}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: a, namespace: coordination}
spec:
  title: One end
  area: Prosecution
  measure: {type: Count, unit: officials}
  cadence: Annual
  derived:
    operation: Sum
    inputs:
    - {name: investigated}
    - {name: b}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: b, namespace: coordination}
spec:
  title: The other end
  area: Prosecution
  measure: {type: Count, unit: officials}
  cadence: Annual
  derived:
    operation: Sum
    inputs:
    - {name: a}
    - {name: investigated}
`

// TestValidateDerivedInputs: concordctl validate refuses an unknown
// derived input and a cycle with file:line errors at the input, and
// concordctl evaluate evaluates nothing.
func TestValidateDerivedInputs(t *testing.T) {
	f := writeFile(t, "derived.yaml", derivedSet)
	var out bytes.Buffer
	err := runValidate(context.Background(), &out, []string{f}, "text", false)
	want := f + `:21: Indicator coordination/share: spec.derived.inputs[0].name: Not found: "disciplined": no Indicator coordination/disciplined in the input` + "\n" +
		f + `:36: Indicator coordination/a: spec.derived.inputs[1].name: the derived inputs form a cycle: a -> b -> a; a derived indicator cannot depend on itself (the cluster will set Stalled True, InvalidSpec)` + "\n" +
		f + `:49: Indicator coordination/b: spec.derived.inputs[0].name: the derived inputs form a cycle: b -> a -> b; a derived indicator cannot depend on itself (the cluster will set Stalled True, InvalidSpec)` + "\n" +
		"4 objects checked: 3 errors, 0 warnings\n"
	if err == nil || out.String() != want {
		t.Errorf("error %v, output\n%s\nwant\n%s", err, out.String(), want)
	}
	var stdout, stderr bytes.Buffer
	if err := runEvaluate(context.Background(), &stdout, &stderr, []string{f}, fixed, "table"); err == nil || stdout.Len() > 0 ||
		!strings.Contains(stderr.String(), f+":36: Indicator coordination/a: spec.derived.inputs[1].name: the derived inputs form a cycle") {
		t.Errorf("evaluate: error %v, stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
}

// TestValidateCommonMistakes: the three commonest mistakes in a
// Measurement are told what to write, and the API server's field-less note
// that it skipped the CEL rules ("Invalid value: null: some validation
// rules were not checked") is not printed as an error of its own.
func TestValidateCommonMistakes(t *testing.T) {
	cases := []struct{ file, want string }{
		{"measurement-period-words.yaml", `spec.period: Invalid value: "Q3 2026": not a period: write it year first, in quotes, as "2026-03" (Monthly), "2026-Q3" (Quarterly), "2026-H1" (SemiAnnual) or "2026" (Annual)`},
		{"measurement-value-words.yaml", `spec.value: Invalid value: "about 60": not a number: write the figure alone, in quotes, such as "60"`},
		{"measurement-value-unquoted.yaml", `spec.value: Invalid value: "integer": spec.value in body must be of type string: "integer" (YAML reads an unquoted 60 as an integer: write it in quotes, value: "60")`},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			var out bytes.Buffer
			err := runValidate(context.Background(), &out, []string{filepath.Join("../../test/testdata/invalid", tc.file)}, "text", false)
			if err == nil {
				t.Fatalf("accepted:\n%s", out.String())
			}
			got := out.String()
			if !strings.Contains(got, tc.want) {
				t.Errorf("output\n%s\nlacks\n%s", got, tc.want)
			}
			for _, noise := range []string{"<nil>", "Invalid value: null", "some validation rules were not checked"} {
				if strings.Contains(got, noise) {
					t.Errorf("output has the noise %q:\n%s", noise, got)
				}
			}
		})
	}
}
