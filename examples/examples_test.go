package examples

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/concord-operator/concord/internal/manifest"
)

// TestEveryReporterIsBound: every namespace of the default scenario that
// holds Measurements has the ReporterBinding "reporters", and it binds every
// reporter name used there to at least one user or group, so that the
// reporter-binding policy admits the scenario (`make dev` applies it as an
// administrator, who may report as anyone, but only into namespaces that
// have a ReporterBinding).
func TestEveryReporterIsBound(t *testing.T) {
	objs, err := manifest.LoadFS(FS, Default)
	if err != nil {
		t.Fatal(err)
	}
	bound := map[string]map[string]bool{} // namespace -> reporter names
	reported := map[string]map[string]bool{}
	for _, o := range objs {
		u, ns := o.Object, o.Object.GetNamespace()
		switch u.GetKind() {
		case "ReporterBinding":
			if u.GetName() != "reporters" {
				t.Errorf("%s: a ReporterBinding must be named reporters", o.Location())
			}
			if bound[ns] != nil {
				t.Errorf("%s: a second ReporterBinding in namespace %s", o.Location(), ns)
			}
			bound[ns] = map[string]bool{}
			entries, _, _ := unstructured.NestedSlice(u.Object, "spec", "reporters")
			for _, e := range entries {
				entry, _ := e.(map[string]any)
				name, _ := entry["name"].(string)
				users, _ := entry["users"].([]any)
				groups, _ := entry["groups"].([]any)
				if len(users)+len(groups) == 0 {
					t.Errorf("%s: reporter %q binds no user and no group", o.Location(), name)
				}
				bound[ns][name] = true
			}
		case "Measurement":
			r, _, _ := unstructured.NestedString(u.Object, "spec", "reporter")
			if reported[ns] == nil {
				reported[ns] = map[string]bool{}
			}
			reported[ns][r] = true
		}
	}
	if len(reported) == 0 {
		t.Fatal("the scenario holds no Measurements")
	}
	for ns, names := range reported {
		if bound[ns] == nil {
			t.Errorf("namespace %s holds Measurements but no ReporterBinding", ns)
			continue
		}
		for name := range names {
			if !bound[ns][name] {
				t.Errorf("namespace %s: reporter %q is not bound in its ReporterBinding", ns, name)
			}
		}
	}
}
