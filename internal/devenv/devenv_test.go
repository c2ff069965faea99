package devenv

import (
	"errors"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/concord-operator/concord/internal/manifest"
)

func TestSortForApplyPutsReferencedKindsFirst(t *testing.T) {
	kinds := []string{"ActionPlan", "Measurement", "Deployment", "Indicator", "Evidence", "ConfigMap", "Namespace", "CooperationMechanism", "Measurement", "ReporterBinding"}
	var objs []manifest.Object
	for i, k := range kinds {
		u := &unstructured.Unstructured{}
		u.SetKind(k)
		u.SetName(string(rune('a' + i)))
		objs = append(objs, manifest.Object{Object: u})
	}
	SortForApply(objs)
	expectKindNames(t, objs, "Namespace/g ReporterBinding/j ConfigMap/f Evidence/e CooperationMechanism/h Indicator/d Measurement/b Measurement/i ActionPlan/a Deployment/c")
}

// expectKindNames fails unless objs are, in order, the space-separated
// "Kind/name"s of want.
func expectKindNames(t *testing.T, objs []manifest.Object, want string) {
	t.Helper()
	var got []string
	for _, o := range objs {
		got = append(got, o.Object.GetKind()+"/"+o.Object.GetName())
	}
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
	if len(crds) != 6 {
		t.Fatalf("%d embedded CRDs, want 6", len(crds))
	}
	for _, c := range crds {
		if c.Spec.Group != "monitoring.concord.dev" || len(c.Spec.Versions) != 1 || c.Spec.Versions[0].Name != "v1alpha1" {
			t.Errorf("CRD %s: group %s versions %v", c.Name, c.Spec.Group, c.Spec.Versions)
		}
	}
}

func TestAdmissionIsTheReporterBindingPolicy(t *testing.T) {
	objs, err := Admission()
	if err != nil {
		t.Fatal(err)
	}
	expectKindNames(t, objs, "ValidatingAdmissionPolicy/concord-reporter-binding ValidatingAdmissionPolicyBinding/concord-reporter-binding")
}

func TestAwaitingParams(t *testing.T) {
	for msg, want := range map[string]bool{
		"measurements.monitoring.concord.dev \"q1\" is forbidden: ValidatingAdmissionPolicy 'concord-reporter-binding' with binding 'concord-reporter-binding' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction": true,
		"ValidatingAdmissionPolicy 'concord-reporter-binding' with binding 'concord-reporter-binding' denied request: failed to configure binding: paramKind kind `monitoring.concord.dev/v1alpha1, Kind=ReporterBinding` not yet synced to use for admission":                      true,
		"ValidatingAdmissionPolicy 'concord-reporter-binding' with binding 'concord-reporter-binding' denied request: reporter \"NGO B\" is not bound to user alice":                                                                                                                false,
		"Indicator.monitoring.concord.dev \"x\" is invalid: spec.title: Required value": false,
	} {
		if got := awaitingParams(errors.New(msg)); got != want {
			t.Errorf("awaitingParams(%q) = %v, want %v", msg, got, want)
		}
	}
}
