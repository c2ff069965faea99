package devenv

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/concord-operator/concord/internal/manifest"
)

func TestSortForApplyPutsReferencedKindsFirst(t *testing.T) {
	kinds := []string{"ActionPlan", "Measurement", "Deployment", "Indicator", "Evidence", "ConfigMap", "Namespace", "CooperationMechanism", "Measurement"}
	var objs []manifest.Object
	for i, k := range kinds {
		u := &unstructured.Unstructured{}
		u.SetKind(k)
		u.SetName(string(rune('a' + i)))
		objs = append(objs, manifest.Object{Object: u})
	}
	SortForApply(objs)
	var got []string
	for _, o := range objs {
		got = append(got, o.Object.GetKind()+"/"+o.Object.GetName())
	}
	want := "Namespace/g ConfigMap/f Evidence/e CooperationMechanism/h Indicator/d Measurement/b Measurement/i ActionPlan/a Deployment/c"
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestHTTPBase(t *testing.T) {
	for in, want := range map[string]string{":8080": "http://localhost:8080", "127.0.0.1:8081": "http://127.0.0.1:8081"} {
		if got := httpBase(in); got != want {
			t.Errorf("httpBase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmbeddedCRDs(t *testing.T) {
	crds, err := CRDs()
	if err != nil {
		t.Fatal(err)
	}
	if len(crds) != 5 {
		t.Fatalf("%d embedded CRDs, want 5", len(crds))
	}
	for _, c := range crds {
		if c.Spec.Group != "monitoring.concord.dev" || len(c.Spec.Versions) != 1 || c.Spec.Versions[0].Name != "v1alpha1" {
			t.Errorf("CRD %s: group %s versions %v", c.Name, c.Spec.Group, c.Spec.Versions)
		}
	}
}
