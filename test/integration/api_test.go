package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/validate"
)

func TestCRDsInstallWithNamesAndColumns(t *testing.T) {
	want := map[string]struct {
		short   string
		columns []string
	}{
		"indicators":            {"ind", []string{"AREA", "VALUE", "TARGET", "MET", "EVIDENCE MISSING", "OVERDUE", "READY", "AGE"}},
		"measurements":          {"meas", []string{"INDICATOR", "PERIOD", "REPORTER", "ACCEPTED", "SUPERSEDED", "VERIFIED", "READY", "AGE"}},
		"evidences":             {"evd", []string{"METHOD", "VERIFIED", "EXPIRED", "READY", "AGE"}},
		"cooperationmechanisms": {"mech", []string{"TYPE", "FORMALIZED", "MEETINGS", "ON TRACK", "READY", "AGE"}},
		"actionplans":           {"plan", []string{"INDICATORS", "MET", "ON TRACK", "READY", "AGE"}},
	}
	for plural, w := range want {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := k8s.Get(ctx(t), client.ObjectKey{Name: plural + ".monitoring.concord.dev"}, crd); err != nil {
			t.Fatalf("CRD %s: %v", plural, err)
		}
		if !established(crd) {
			t.Errorf("CRD %s is not Established", plural)
		}
		n := crd.Spec.Names
		if crd.Spec.Scope != apiextensionsv1.NamespaceScoped || len(n.ShortNames) != 1 || n.ShortNames[0] != w.short || len(n.Categories) != 1 || n.Categories[0] != "concord" {
			t.Errorf("CRD %s: scope %s, short names %v, categories %v", plural, crd.Spec.Scope, n.ShortNames, n.Categories)
		}
		var cols []string
		for _, c := range crd.Spec.Versions[0].AdditionalPrinterColumns {
			cols = append(cols, c.Name)
			// READY is shown by default, as Flux and cert-manager show it.
			if c.Name == "READY" && (c.Priority != 0 || c.JSONPath != `.status.conditions[?(@.type=="Ready")].status`) {
				t.Errorf("CRD %s: READY has priority %d and path %s, want 0 and the Ready condition's status", plural, c.Priority, c.JSONPath)
			}
			// VALUE and TARGET show Level values by name.
			if want, ok := map[string]string{"VALUE": ".status.current.display", "TARGET": ".status.targetDisplay"}[c.Name]; ok && plural == "indicators" && c.JSONPath != want {
				t.Errorf("CRD %s: %s shows %s, want %s", plural, c.Name, c.JSONPath, want)
			}
		}
		if strings.Join(cols, ",") != strings.Join(w.columns, ",") {
			t.Errorf("CRD %s printer columns %v, want %v", plural, cols, w.columns)
		}
		if crd.Spec.Versions[0].Subresources == nil || crd.Spec.Versions[0].Subresources.Status == nil {
			t.Errorf("CRD %s has no status subresource", plural)
		}
	}
}

func established(crd *apiextensionsv1.CustomResourceDefinition) bool {
	for _, c := range crd.Status.Conditions {
		if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
			return true
		}
	}
	return false
}

// TestExamplesAndSamplesAreAccepted applies every manifest of the example
// scenario and of config/samples/ to the real API server. examples/exchange
// holds the mapping files of concordctl import and export, not manifests.
func TestExamplesAndSamplesAreAccepted(t *testing.T) {
	for _, dir := range []string{"../../examples/national-plan", "../../config/samples"} {
		objs, err := manifest.LoadPaths(dir)
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
		if len(objs) == 0 {
			t.Fatalf("%s holds no manifests", dir)
		}
		strict := client.WithFieldValidation(k8s, metav1.FieldValidationStrict)
		if err := devenv.Apply(ctx(t), strict, objs); err != nil {
			t.Errorf("%s is not accepted by the API server:\n%v", dir, err)
		}
		kinds := map[string]int{}
		for _, o := range objs {
			kinds[o.Object.GetKind()]++
		}
		t.Logf("%s: %d objects applied: %v", dir, len(objs), kinds)
	}
}

// TestInvalidManifestsAreRejected applies each manifest of
// test/testdata/invalid: every document but the last must be accepted, the
// last must be refused with the message its "# expect:" line gives.
func TestInvalidManifestsAreRejected(t *testing.T) {
	files, err := filepath.Glob("../testdata/invalid/*.yaml")
	if err != nil || len(files) < 30 {
		t.Fatalf("expected at least 30 invalid manifests, found %d (%v)", len(files), err)
	}
	if err := k8s.Create(ctx(t), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "invalid"}}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	strict := client.WithFieldValidation(k8s, metav1.FieldValidationStrict)
	offline, err := validate.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			expect := ExpectedError(t, f)
			objs, err := manifest.LoadPaths(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range objs[:len(objs)-1] {
				if err := strict.Create(ctx(t), o.Object.DeepCopy()); err != nil {
					t.Fatalf("setup document %s was refused: %v", o.Location(), err)
				}
			}
			last := objs[len(objs)-1].Object.DeepCopy()
			err = createOrUpdate(t, strict, last)
			if err == nil {
				t.Fatalf("the API server accepted %s; want an error containing %q", f, expect)
			}
			if !strings.Contains(err.Error(), expect) {
				t.Fatalf("error\n  %v\ndoes not contain\n  %q", err, expect)
			}
			sameVerdictOffline(t, offline, f, err)
		})
	}
}

var expectLine = regexp.MustCompile(`(?m)^# expect: (.+)$`)

// ExpectedError returns the "# expect:" line of an invalid manifest.
func ExpectedError(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := expectLine.FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s has no '# expect:' line", file)
	}
	return strings.TrimSpace(string(m[1]))
}

func createOrUpdate(t *testing.T, c client.Client, u *unstructured.Unstructured) error {
	existing := &unstructured.Unstructured{}
	existing.SetGroupVersionKind(u.GroupVersionKind())
	err := c.Get(ctx(t), client.ObjectKeyFromObject(u), existing)
	switch {
	case apierrors.IsNotFound(err):
		return c.Create(ctx(t), u)
	case err != nil:
		t.Fatal(err)
	}
	u.SetResourceVersion(existing.GetResourceVersion())
	return c.Update(ctx(t), u)
}

// TestMeasurementMutableFields: evidence, evidenceRefs and approval may
// change after creation; they are how verification arrives later.
func TestMeasurementMutableFields(t *testing.T) {
	objs, err := manifest.Parse("inline", []byte(`
apiVersion: v1
kind: Namespace
metadata: {name: mutable}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: q1, namespace: mutable}
spec:
  indicatorRef: {name: victims-referred}
  period: 2026-Q1
  value: "52"
  reporter: NGO shelter network
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := devenv.Apply(ctx(t), k8s, objs); err != nil {
		t.Fatal(err)
	}
	m := &unstructured.Unstructured{}
	m.SetGroupVersionKind(schema.GroupVersionKind{Group: "monitoring.concord.dev", Version: "v1alpha1", Kind: "Measurement"})
	if err := k8s.Get(ctx(t), client.ObjectKey{Namespace: "mutable", Name: "q1"}, m); err != nil {
		t.Fatal(err)
	}
	spec := m.Object["spec"].(map[string]any)
	spec["evidence"] = []any{map[string]any{"method": "RecordsReview", "description": "Shelter case records Q1"}}
	spec["evidenceRefs"] = []any{map[string]any{"name": "shelter-records-2026-q1"}}
	spec["approval"] = map[string]any{"approvedBy": "National Secretariat"}
	if err := k8s.Update(ctx(t), m); err != nil {
		t.Fatalf("updating evidence, evidenceRefs and approval was refused: %v", err)
	}
}

// TestKubectlExplainReadsLikeDocumentation runs the source-built kubectl.
func TestKubectlExplainReadsLikeDocumentation(t *testing.T) {
	kubectl := filepath.Join(assets, "kubectl")
	if _, err := os.Stat(kubectl); err != nil {
		t.Fatalf("kubectl not built: %v", err)
	}
	out, err := exec.Command(kubectl, "--kubeconfig", kubeconfig, "explain", "indicator.spec.target").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl explain: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"KIND:       Indicator",
		"target to reach. Without one, TargetMet and OnTrack are Unknown",
		"operator	<string> -required-",
		"Equals applies to",
		"deadline is the period by which the target is to be met",
		"IncreaseByPercent",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("kubectl explain indicator.spec.target lacks %q:\n%s", want, text)
		}
	}
	out, err = exec.Command(kubectl, "--kubeconfig", kubeconfig, "get", "concord", "-A", "-o", "name").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl get concord: %v\n%s", err, out)
	}
	kinds := map[string]bool{}
	for _, l := range strings.Fields(string(out)) {
		kinds[strings.SplitN(l, "/", 2)[0]] = true
	}
	var got []string
	for k := range kinds {
		got = append(got, k)
	}
	sort.Strings(got)
	t.Logf("kubectl get concord -A lists kinds %v", got)
}

// sameVerdictOffline runs concordctl validate's engine on the same file:
// it must refuse it too, and every error it gives must be one the API
// server gave, word for word.
func sameVerdictOffline(t *testing.T, v *validate.Validator, file string, apiErr error) {
	t.Helper()
	rep := v.Paths(context.Background(), validate.Options{}, file)
	if len(rep.Errors) == 0 {
		t.Fatalf("concordctl validate accepts %s, which the API server refused: %v", file, apiErr)
	}
	for _, e := range rep.Errors {
		if !strings.Contains(apiErr.Error(), e.Text()) {
			t.Errorf("concordctl validate says\n  %s\nwhich the API server did not:\n  %v", e.Text(), apiErr)
		}
	}
}
