package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

var fixed = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

func TestEvaluateTable(t *testing.T) {
	var out bytes.Buffer
	if err := runEvaluate(context.Background(), &out, io.Discard, []string{"../../examples/national-plan"}, fixed, "table"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Indicator\nNAMESPACE", "victims-referred", "MET", "EVIDENCE MISSING",
		"Measurement\n", "CooperationMechanism\n", "ActionPlan\n", "npa-2025-2027",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestEvaluateJSONIsAList(t *testing.T) {
	var out bytes.Buffer
	if err := runEvaluate(context.Background(), &out, io.Discard, []string{"../../examples/national-plan"}, fixed, "json"); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Kind  string `json:"kind"`
		Items []struct {
			Kind   string `json:"kind"`
			Status struct {
				ObservedGeneration int64 `json:"observedGeneration"`
				Conditions         []struct {
					Type, Status, Reason string
				} `json:"conditions"`
			} `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if list.Kind != "List" || len(list.Items) != 141 {
		t.Fatalf("kind %q with %d items, want a List of the 141 Concord objects", list.Kind, len(list.Items))
	}
	for _, it := range list.Items {
		if len(it.Status.Conditions) < 3 || it.Status.Conditions[0].Type != "Ready" {
			t.Fatalf("%s without evaluated conditions: %+v", it.Kind, it.Status)
		}
	}
}

func TestEvaluateErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: v1\nkind: Namespace\n---\nkind: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	err := runEvaluate(context.Background(), &out, &stderr, []string{bad}, fixed, "table")
	if err == nil || !strings.Contains(stderr.String(), bad+":4:") {
		t.Fatalf("error %v, stderr %q, want it to name %s:4", err, stderr.String(), bad)
	}
	stderr.Reset()
	if err := runEvaluate(context.Background(), &out, &stderr, []string{filepath.Join(dir, "missing")}, fixed, "table"); err == nil || !strings.Contains(stderr.String(), "missing") {
		t.Fatalf("missing path: %v, %q", err, stderr.String())
	}
	if err := runEvaluate(context.Background(), &out, &stderr, []string{dir}, fixed, "xml"); err == nil || !strings.Contains(err.Error(), "table, yaml or json") {
		t.Fatalf("bad output: %v", err)
	}
}

func TestEvaluateCommandParsesAt(t *testing.T) {
	cmd := NewRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"evaluate", "-f", "../../examples/national-plan", "--at", "yesterday"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Fatalf("--at yesterday: %v", err)
	}
}

// TestEvaluateRefusesWhatValidateRefuses: evaluate checks the manifests as
// validate does, cross-object checks included, and evaluates nothing when
// the API server would refuse an object.
func TestEvaluateRefusesWhatValidateRefuses(t *testing.T) {
	measurement := measurementQ1
	for name, tc := range map[string]struct{ in, want string }{
		"unknown version": {strings.Replace(goodIndicator, "monitoring.concord.dev/v1alpha1", "monitoring.concord.dev/v1beta9", 1),
			`:5: Indicator protection/victims-referred: apiVersion: Unsupported value: "monitoring.concord.dev/v1beta9": supported values: "monitoring.concord.dev/v1alpha1"`},
		"area not in the enum": {strings.Replace(goodIndicator, "area: Protection", "area: Punishment", 1),
			`:10: Indicator protection/victims-referred: spec.area: Unsupported value: "Punishment"`},
		"indicator absent": {strings.SplitN(goodIndicator, "---\n", 2)[0] + "---\n" + measurement,
			`:9: Measurement protection/q1: spec.indicatorRef.name: Not found: "victims-referred": no Indicator protection/victims-referred in the input`},
		"value the indicator rejects": {goodIndicator + "---\n" + strings.Replace(measurement, `"52"`, `"2.5"`, 1),
			`:22: Measurement protection/q1: spec.value: 2.5 is not a Count value`},
	} {
		t.Run(name, func(t *testing.T) {
			f := writeFile(t, "in.yaml", tc.in)
			for _, output := range []string{"table", "yaml"} {
				var out, stderr bytes.Buffer
				err := runEvaluate(context.Background(), &out, &stderr, []string{f}, fixed, output)
				if err == nil || !strings.Contains(err.Error(), "nothing was evaluated") {
					t.Errorf("-o %s: error %v, want a refusal", output, err)
				}
				if out.Len() > 0 {
					t.Errorf("-o %s: evaluated despite errors:\n%s", output, out.String())
				}
				if !strings.Contains(stderr.String(), f+tc.want) {
					t.Errorf("-o %s: stderr\n%s\nlacks\n%s", output, stderr.String(), f+tc.want)
				}
			}
		})
	}
}

// TestEvaluateNamesSkippedObjects: objects evaluate does not evaluate are
// named on stderr; -o json stays a List.
func TestEvaluateNamesSkippedObjects(t *testing.T) {
	f := writeFile(t, "secret.yaml", secret)
	var out, stderr bytes.Buffer
	if err := runEvaluate(context.Background(), &out, &stderr, []string{"../../examples/national-plan", f}, fixed, "json"); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var list struct {
		Kind  string `json:"kind"`
		Items []any  `json:"items"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || list.Kind != "List" || len(list.Items) != 141 {
		t.Errorf("-o json: %v, kind %q, %d items", err, list.Kind, len(list.Items))
	}
	want := "skipped: " + f + ":1: Secret protection/creds: not one of Concord's kinds, a ConfigMap or a Namespace: not checked\n" +
		"141 Concord objects evaluated, 1 skipped (not Concord's)\n"
	if stderr.String() != want {
		t.Errorf("stderr\n%s\nwant\n%s", stderr.String(), want)
	}
}

func TestEvaluateFailsOnNoManifests(t *testing.T) {
	dir := t.TempDir()
	var out, stderr bytes.Buffer
	err := runEvaluate(context.Background(), &out, &stderr, []string{dir}, fixed, "yaml")
	if err == nil || stderr.String() != "no manifests found in "+dir+"\n" || out.Len() > 0 {
		t.Errorf("error %v, stderr %q, stdout %q", err, stderr.String(), out.String())
	}
}

// hostile is text that would clear a terminal and reverse what follows.
const hostile = "NGO\x1b[2J\u202eexe.txt"

// TestEvaluateTableEscapesText: the table shows control characters and
// bidirectional overrides from manifests escaped, whichever road the text
// took (a title or reporter that reached the table).
func TestEvaluateTableEscapesText(t *testing.T) {
	m := &v1alpha1.Measurement{ObjectMeta: metav1.ObjectMeta{Name: "q1", Namespace: "protection"}}
	m.Spec.IndicatorRef.Name, m.Spec.Period, m.Spec.Reporter = "victims-referred", "2026-Q1", hostile
	ind := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Name: "victims-referred", Namespace: "protection"}}
	ind.Spec.Title, ind.Spec.Area = hostile, v1alpha1.Area(hostile)
	src := func(kind string) manifest.Object {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("monitoring.concord.dev/v1alpha1")
		u.SetKind(kind)
		return manifest.Object{Source: "in.yaml", Line: 1, Object: u}
	}
	var out bytes.Buffer
	if err := printTable(&out, []offline.Result{{Source: src("Indicator"), Object: ind}, {Source: src("Measurement"), Object: m}}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\u202e") || strings.Count(out.String(), `NGO\x1b[2J\u202eexe.txt`) != 2 {
		t.Errorf("table %q", out.String())
	}

	// From manifests, whatever the CRDs let through.
	in := strings.Replace(goodIndicator, "title: Number of victims referred", `title: "Victims\e[2J\u202e referred"`, 1) + "---\n" +
		strings.Replace(measurementQ1, "reporter: NGO shelter network", `reporter: "NGO\e[2J\u202eexe.txt"`, 1)
	var stderr bytes.Buffer
	out.Reset()
	err := runEvaluate(context.Background(), &out, &stderr, []string{writeFile(t, "in.yaml", in)}, fixed, "table")
	if strings.ContainsAny(out.String()+stderr.String(), "\x1b\u202e") {
		t.Errorf("error %v; raw text reached the terminal: %q %q", err, out.String(), stderr.String())
	}
}
