// Package argocd tests the Argo CD health checks in resource_customizations/
// the way Argo CD runs them: each health.lua gets the object as the Lua
// table obj and returns {status, message}, which must equal the case in its
// health_test.yaml (Argo CD's own format, so the directory can be
// contributed upstream unchanged).
package argocd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/api/v1alpha1"
)

const group = "monitoring.concord.dev"

// kinds are Concord's kinds; each needs a health check.
var kinds = map[string]func() runtime.Object{
	"Indicator":            func() runtime.Object { return &v1alpha1.Indicator{} },
	"Measurement":          func() runtime.Object { return &v1alpha1.Measurement{} },
	"Evidence":             func() runtime.Object { return &v1alpha1.Evidence{} },
	"CooperationMechanism": func() runtime.Object { return &v1alpha1.CooperationMechanism{} },
	"ActionPlan":           func() runtime.Object { return &v1alpha1.ActionPlan{} },
}

// healthStatuses are the values Argo CD accepts from a health script.
var healthStatuses = []string{"Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"}

type healthStatus struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

type healthTest struct {
	Tests []struct {
		HealthStatus healthStatus `json:"healthStatus"`
		InputPath    string       `json:"inputPath"`
	} `json:"tests"`
}

func TestHealthChecks(t *testing.T) {
	dir := filepath.Join("resource_customizations", group)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range entries {
		if e.IsDir() {
			found = append(found, e.Name())
		}
	}
	for kind := range kinds {
		if !slices.Contains(found, kind) {
			t.Errorf("no health check for %s in %s", kind, dir)
		}
	}
	for _, kind := range found {
		t.Run(kind, func(t *testing.T) {
			newObj, ok := kinds[kind]
			if !ok {
				t.Fatalf("%s/%s is not a Concord kind", dir, kind)
			}
			testKind(t, filepath.Join(dir, kind), kind, newObj)
		})
	}
}

func testKind(t *testing.T, dir, kind string, newObj func() runtime.Object) {
	script, cases := load(t, dir)
	covered := map[string]bool{}
	used := map[string]bool{}
	for _, tc := range cases.Tests {
		t.Run(strings.TrimSuffix(filepath.Base(tc.InputPath), ".yaml"), func(t *testing.T) {
			used[filepath.Clean(tc.InputPath)] = true
			covered[tc.HealthStatus.Status] = true
			input, err := os.ReadFile(filepath.Join(dir, tc.InputPath))
			if err != nil {
				t.Fatal(err)
			}
			checkObject(t, input, kind, newObj())
			got, err := runHealth(script, input)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.HealthStatus {
				t.Errorf("health = %+v, want %+v", got, tc.HealthStatus)
			}
		})
	}

	// Every kind shows the verdicts that matter to a sync.
	for _, s := range []string{"Healthy", "Progressing", "Degraded"} {
		if kind == "Evidence" && s == "Degraded" {
			continue // no Evidence reason makes Ready False today
		}
		if !covered[s] {
			t.Errorf("health_test.yaml has no %s case", s)
		}
	}
	// Every object in testdata is a case.
	files, _ := filepath.Glob(filepath.Join(dir, "testdata", "*.yaml"))
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		if !used[rel] {
			t.Errorf("%s is not used by health_test.yaml", rel)
		}
	}
}

// TestBrokenScriptsFail makes sure the cases can tell a wrong script from a
// right one: each mutation of each health.lua must fail at least one case.
func TestBrokenScriptsFail(t *testing.T) {
	mutations := []struct{ name, from, to string }{
		{"healthy is never reported", `hs.status = "Healthy"`, `hs.status = "Progressing"`},
		{"waiting message changed", `"Waiting for Concord to evaluate generation "`, `"Waiting for generation "`},
		{"a failing data condition degrades", "for _, c in ipairs(status.conditions) do\n", "for _, c in ipairs(status.conditions) do\n" +
			"  if c.type ~= \"Ready\" and c.type ~= \"Stalled\" and c.status == \"False\" then\n" +
			"    hs.status = \"Degraded\"\n    hs.message = c.message\n    return hs\n  end\n"},
	}
	for kind := range kinds {
		dir := filepath.Join("resource_customizations", group, kind)
		script, cases := load(t, dir)
		for _, m := range mutations {
			t.Run(kind+"/"+m.name, func(t *testing.T) {
				broken := strings.Replace(script, m.from, m.to, 1)
				if broken == script {
					t.Fatalf("health.lua has no %q to break", m.from)
				}
				for _, tc := range cases.Tests {
					input, err := os.ReadFile(filepath.Join(dir, tc.InputPath))
					if err != nil {
						t.Fatal(err)
					}
					if got, err := runHealth(broken, input); err != nil || got != tc.HealthStatus {
						return // caught
					}
				}
				t.Errorf("every case passes with the broken script")
			})
		}
	}
}

func load(t *testing.T, dir string) (string, healthTest) {
	t.Helper()
	script, err := os.ReadFile(filepath.Join(dir, "health.lua"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "health_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cases healthTest
	if err := yaml.UnmarshalStrict(raw, &cases); err != nil {
		t.Fatalf("%s/health_test.yaml: %v", dir, err)
	}
	if len(cases.Tests) == 0 {
		t.Fatalf("%s/health_test.yaml has no tests", dir)
	}
	return string(script), cases
}

// checkObject makes sure a test object is a real one: apiVersion and kind
// of its directory, and no field the API does not have.
func checkObject(t *testing.T, input []byte, kind string, obj runtime.Object) {
	t.Helper()
	if err := yaml.UnmarshalStrict(input, obj); err != nil {
		t.Fatalf("not a valid %s: %v", kind, err)
	}
	gvk := obj.GetObjectKind().GroupVersionKind()
	if gvk.Group != group || gvk.Version != v1alpha1.GroupVersion.Version || gvk.Kind != kind {
		t.Fatalf("object is %s, want %s/%s %s", gvk, group, v1alpha1.GroupVersion.Version, kind)
	}
}

// runHealth runs a health script as Argo CD does: the object as the global
// obj, built from its JSON form, and the returned table read as
// {status, message}. Only the base, table and package libraries are open:
// Argo CD offers no io and only a restricted os, so a script that needs more
// must fail here too.
func runHealth(script string, input []byte) (healthStatus, error) {
	js, err := yaml.YAMLToJSON(input)
	if err != nil {
		return healthStatus{}, err
	}
	var obj map[string]any
	if err := json.Unmarshal(js, &obj); err != nil {
		return healthStatus{}, err
	}

	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return healthStatus{}, err
		}
	}
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return healthStatus{}, err
	}
	ret, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return healthStatus{}, fmt.Errorf("health.lua returned %s, want a table", l.Get(-1).Type())
	}
	var hs healthStatus
	ret.ForEach(func(k, v lua.LValue) {
		switch k.String() {
		case "status":
			hs.Status = v.String()
		case "message":
			hs.Message = v.String()
		}
	})
	if !slices.Contains(healthStatuses, hs.Status) {
		return hs, fmt.Errorf("health.lua returned status %q, want one of %v", hs.Status, healthStatuses)
	}
	return hs, nil
}

// toLua converts a decoded JSON value to Lua as Argo CD does: objects and
// arrays become tables (arrays 1-based), numbers LNumber, strings and bools
// their Lua types, null nil.
func toLua(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for k, e := range v {
			t.RawSetString(k, toLua(l, e))
		}
		return t
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, e := range v {
			t.Append(toLua(l, e))
		}
		return t
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case bool:
		return lua.LBool(v)
	default:
		return lua.LNil
	}
}
