package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var fixed = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

func TestEvaluateTable(t *testing.T) {
	var out bytes.Buffer
	if err := runEvaluate(&out, []string{"../../examples/national-plan"}, fixed, "table"); err != nil {
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
	if err := runEvaluate(&out, []string{"../../examples/national-plan"}, fixed, "json"); err != nil {
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
	if list.Kind != "List" || len(list.Items) != 132 {
		t.Fatalf("kind %q with %d items, want a List of the 132 Concord objects", list.Kind, len(list.Items))
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
	var out bytes.Buffer
	err := runEvaluate(&out, []string{bad}, fixed, "table")
	if err == nil || !strings.Contains(err.Error(), bad+":4:") {
		t.Fatalf("error %v, want it to name %s:4", err, bad)
	}
	if err := runEvaluate(&out, []string{filepath.Join(dir, "missing")}, fixed, "table"); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing path: %v", err)
	}
	if err := runEvaluate(&out, []string{dir}, fixed, "xml"); err == nil || !strings.Contains(err.Error(), "table, yaml or json") {
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
