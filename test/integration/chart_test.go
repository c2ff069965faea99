package integration

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manager"
)

const chartDir = "../../charts/concord"

// helm returns bin/helm (or $HELM), built by `make test-chart`.
func helm(t *testing.T) string {
	t.Helper()
	h := os.Getenv("HELM")
	if h == "" {
		h = filepath.Join("..", "..", "bin", "helm")
	}
	if _, err := os.Stat(h); err != nil {
		if testing.Short() {
			t.Skipf("helm not built (%v): run make test-chart", err)
		}
		t.Fatalf("helm not found at %s (make test-chart builds it): %v", h, err)
	}
	return h
}

// helmTemplate renders the chart as release "concord" in namespace ns.
func helmTemplate(t *testing.T, ns string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(helm(t), append([]string{"template", "concord", chartDir, "--namespace", ns}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helm template %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// kubectl runs bin/kubectl against the envtest API server as cluster admin.
func kubectl(t *testing.T, stdin []byte, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(filepath.Join(assets, "kubectl"), append([]string{"--kubeconfig", kubeconfig}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// yamlDocs splits a multi-document stream into objects, skipping empty ones.
func yamlDocs(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var docs []map[string]any
	for {
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return docs
			}
			t.Fatalf("decoding YAML: %v", err)
		}
		if len(m) > 0 {
			docs = append(docs, m)
		}
	}
}

// chartValues enables everything the API server can check: not the
// ServiceMonitor and PrometheusRule (prometheus-operator's CRDs are absent)
// nor the CRDs (the suite installs them; TestChartCRDs* covers them).
var chartValues = []string{
	"--set", "crds.install=false",
	"--set", "serviceMonitor.enabled=false",
	"--set", "prometheusRule.enabled=false",
	"--set", "replicas=2",
	"--set", "evidence.allowedHosts={docs.example.gov,*.stats.example.org}",
	"--set", "evidence.maxBytes=1048576",
	"--set", "evidence.connectTimeout=5s",
	"--set", "evidence.fetchTimeout=30s",
	"--set", "evidence.recheckInterval=12h",
	"--set-string", "evidence.caBundle.pem=-----BEGIN CERTIFICATE-----",
	"--set", "extraArgs={--zap-log-level=debug}",
}

// TestChartObjectsAreAcceptedByTheAPIServer renders the chart with
// everything enabled and applies it with a server-side dry run into a
// namespace that enforces the restricted Pod Security Standard (and warns
// about it, which catches the Deployment's Pod template): every object must
// pass validation and admission, without a warning.
func TestChartObjectsAreAcceptedByTheAPIServer(t *testing.T) {
	const ns = "concord-chart"
	restricted := map[string]string{
		"pod-security.kubernetes.io/enforce": "restricted",
		"pod-security.kubernetes.io/warn":    "restricted",
	}
	createNamespace(t, ns, restricted)
	rendered := helmTemplate(t, ns, chartValues...)
	docs := yamlDocs(t, rendered)
	kinds := map[string]int{}
	for _, d := range docs {
		kinds[d["kind"].(string)]++
	}
	for _, k := range []string{"Deployment", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "ConfigMap", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"} {
		if kinds[k] == 0 {
			t.Errorf("the chart rendered no %s (kinds: %v)", k, kinds)
		}
	}
	if kinds["ClusterRole"] != 7 {
		t.Errorf("the chart rendered %d ClusterRoles, want 7 (manager and 6 for people)", kinds["ClusterRole"])
	}

	out, err := kubectl(t, rendered, "apply", "--server-side", "--dry-run=server", "--field-manager=helm", "-f", "-")
	if err != nil {
		t.Fatalf("kubectl apply --server-side --dry-run=server of the chart: %v\n%s", err, out)
	}
	t.Logf("kubectl apply --server-side --dry-run=server:\n%s", out)
	if n := strings.Count(out, "(server dry run)"); n != len(docs) {
		t.Errorf("the API server accepted %d objects, the chart rendered %d:\n%s", n, len(docs), out)
	}
	if strings.Contains(out, "Warning") {
		t.Errorf("applying the chart warned (Pod Security restricted?):\n%s", out)
	}

	// The namespace's Pod Security admission does look at Deployments: the
	// same Deployment without its security context is warned about.
	var deployment map[string]any
	for _, d := range docs {
		if d["kind"] == "Deployment" {
			deployment = d
		}
	}
	spec := deployment["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	delete(spec, "securityContext")
	delete(spec["containers"].([]any)[0].(map[string]any), "securityContext")
	insecure, err := yaml.Marshal(deployment)
	if err != nil {
		t.Fatal(err)
	}
	out, err = kubectl(t, insecure, "apply", "--server-side", "--dry-run=server", "--field-manager=helm", "-f", "-")
	if err != nil {
		t.Fatalf("kubectl apply of the Deployment without securityContext: %v\n%s", err, out)
	}
	t.Logf("without securityContext:\n%s", out)
	if !strings.Contains(out, "would violate PodSecurity") {
		t.Errorf("no Pod Security warning for a Deployment without securityContext, so the check above proves nothing:\n%s", out)
	}
}

// TestChartCRDsUpgradeTheInstalledOnes applies the chart's CRD templates
// over the CRDs the suite installed from config/crd/bases, as `helm upgrade`
// would (server-side dry run).
func TestChartCRDsUpgradeTheInstalledOnes(t *testing.T) {
	rendered := helmTemplate(t, "concord-system", "--show-only", "templates/crds/monitoring.concord.dev_indicators.yaml",
		"--show-only", "templates/crds/monitoring.concord.dev_measurements.yaml",
		"--show-only", "templates/crds/monitoring.concord.dev_evidences.yaml",
		"--show-only", "templates/crds/monitoring.concord.dev_cooperationmechanisms.yaml",
		"--show-only", "templates/crds/monitoring.concord.dev_actionplans.yaml",
		"--show-only", "templates/crds/monitoring.concord.dev_reporterbindings.yaml")
	out, err := kubectl(t, rendered, "apply", "--server-side", "--dry-run=server", "--field-manager=helm", "--force-conflicts", "-f", "-")
	if err != nil {
		t.Fatalf("kubectl apply --server-side --dry-run=server of the chart's CRDs: %v\n%s", err, out)
	}
	if n := strings.Count(out, "customresourcedefinition.apiextensions.k8s.io/"); n != 6 {
		t.Errorf("applied %d CRDs, want 6:\n%s", n, out)
	}
}

// TestChartCRDsMatchConfig checks that the CRDs the chart renders are those
// of config/crd/bases, plus the chart's labels and the keep policy: the
// escaping of hack/sync-chart-crds.sh loses nothing.
func TestChartCRDsMatchConfig(t *testing.T) {
	rendered := yamlDocs(t, helmTemplate(t, "concord-system"))
	got := map[string]map[string]any{}
	for _, d := range rendered {
		if d["kind"] != "CustomResourceDefinition" {
			continue
		}
		md := d["metadata"].(map[string]any)
		ann := md["annotations"].(map[string]any)
		if ann["helm.sh/resource-policy"] != "keep" {
			t.Errorf("CRD %s lacks helm.sh/resource-policy: keep", md["name"])
		}
		delete(ann, "helm.sh/resource-policy")
		if md["labels"].(map[string]any)["app.kubernetes.io/managed-by"] != "Helm" {
			t.Errorf("CRD %s lacks the chart's labels", md["name"])
		}
		delete(md, "labels")
		got[md["name"].(string)] = d
	}
	files, err := filepath.Glob("../../config/crd/bases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := yamlDocs(t, b)[0]
		name := want["metadata"].(map[string]any)["name"].(string)
		if !reflect.DeepEqual(got[name], want) {
			t.Errorf("the chart's CRD %s differs from %s: run hack/sync-chart-crds.sh", name, filepath.Base(f))
		}
		delete(got, name)
	}
	for name := range got {
		t.Errorf("the chart renders CRD %s, which config/crd/bases does not hold: run hack/sync-chart-crds.sh", name)
	}
}

// TestChartPrometheusRuleMatchesKustomize checks that the chart's alerts and
// config/prometheus/prometheus_rule.yaml are the same rules.
func TestChartPrometheusRuleMatchesKustomize(t *testing.T) {
	rendered := yamlDocs(t, helmTemplate(t, "concord-system", "--set", "prometheusRule.enabled=true",
		"--show-only", "templates/monitoring/prometheusrule.yaml"))
	b, err := os.ReadFile("../../config/prometheus/prometheus_rule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kustomize := yamlDocs(t, b)
	if len(rendered) != 1 || len(kustomize) != 1 {
		t.Fatalf("want one PrometheusRule each, got %d from the chart and %d from config/prometheus", len(rendered), len(kustomize))
	}
	if !reflect.DeepEqual(rendered[0]["spec"], kustomize[0]["spec"]) {
		a, _ := yaml.Marshal(rendered[0]["spec"])
		k, _ := yaml.Marshal(kustomize[0]["spec"])
		t.Errorf("the chart's PrometheusRule and config/prometheus/prometheus_rule.yaml differ:\nchart:\n%s\nconfig/prometheus:\n%s", a, k)
	}
}

// TestChartApprovalPolicy applies the roles for people and the approval
// policy of config/rbac and shows, as impersonated users, that only a user
// bound to concord-approver may set, change or remove spec.approval, while
// reporting without approval and changing other fields stay open to
// reporters.
func TestChartApprovalPolicy(t *testing.T) {
	const ns = "concord-approval"
	createNamespace(t, ns, nil)
	applyConfigRBAC(t, "people_roles.yaml", "approval_policy.yaml")

	bind(t, ns, "alice-reporter", "alice", "concord-reporter")
	bind(t, ns, "bob-reporter", "bob", "concord-reporter")
	alice, bob := as(t, "alice"), as(t, "bob")
	approval := &v1alpha1.Approval{ApprovedBy: "National Secretariat", ApprovalTime: &metav1.Time{Time: mustTime("2026-04-20T00:00:00Z")}}
	const refused = "only approvers may set, change or remove spec.approval"

	// A reporter reports without approval (once RBAC sees the binding).
	m := newMeasurement(ns, "unapproved", "victims-referred", "2026-Q1", "52")
	eventually(t, "alice, a reporter, to create a Measurement without approval", func() (bool, string) {
		err := alice.Create(context.Background(), m.DeepCopy())
		return err == nil || apierrors.IsAlreadyExists(err), errString(err)
	})

	// She may not approve her own figure: not when creating it...
	eventually(t, "the approval policy to refuse alice's approved Measurement", func() (bool, string) {
		a := newMeasurement(ns, "self-approved", "victims-referred", "2026-Q2", "60")
		a.Spec.Approval = approval
		err := alice.Create(context.Background(), a)
		if err == nil { // the policy is not enforced yet: undo and retry
			_ = k8s.Delete(context.Background(), a)
			return false, "created"
		}
		return apierrors.IsForbidden(err) && strings.Contains(err.Error(), refused), err.Error()
	})
	// ...nor later.
	err := updateMeasurement(alice, ns, "unapproved", func(m *v1alpha1.Measurement) { m.Spec.Approval = approval })
	t.Logf("alice, a reporter, approving: %v", err)
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), refused) {
		t.Errorf("alice, a reporter, added spec.approval: want Forbidden %q, got %v", refused, err)
	}

	// Bound to concord-approver too, she may.
	bind(t, ns, "alice-approver", "alice", "concord-approver")
	eventually(t, "alice, now an approver, to create an approved Measurement", func() (bool, string) {
		a := newMeasurement(ns, "approved", "victims-referred", "2026-Q2", "60")
		a.Spec.Approval = approval
		err := alice.Create(context.Background(), a)
		return err == nil || apierrors.IsAlreadyExists(err), errString(err)
	})
	if err := updateMeasurement(alice, ns, "unapproved", func(m *v1alpha1.Measurement) { m.Spec.Approval = approval }); err != nil {
		t.Errorf("alice, an approver, could not approve a Measurement: %v", err)
	}

	// Bob, a reporter only, may still add evidence to an approved figure,
	// which leaves the approval as it is, but not change or remove it.
	if err := updateMeasurement(bob, ns, "approved", func(m *v1alpha1.Measurement) {
		m.Spec.EvidenceRefs = []v1alpha1.LocalObjectReference{{Name: "shelter-records-2026-q2"}}
	}); err != nil {
		t.Errorf("bob, a reporter, could not add evidenceRefs to an approved Measurement: %v", err)
	}
	for what, change := range map[string]func(*v1alpha1.Measurement){
		"changed spec.approval": func(m *v1alpha1.Measurement) { m.Spec.Approval.ApprovedBy = "Bob" },
		"removed spec.approval": func(m *v1alpha1.Measurement) { m.Spec.Approval = nil },
	} {
		err := updateMeasurement(bob, ns, "approved", change)
		if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), refused) {
			t.Errorf("bob, a reporter, %s: want Forbidden %q, got %v", what, refused, err)
		}
	}
}

// applyConfigRBAC applies files of config/rbac as cluster admin and deletes
// them when the test ends.
func applyConfigRBAC(t *testing.T, files ...string) {
	t.Helper()
	apply := []string{"apply", "--server-side", "--field-manager=concord-test"}
	del := []string{"delete", "--ignore-not-found"}
	for _, f := range files {
		path := filepath.Join("..", "..", "config", "rbac", f)
		apply, del = append(apply, "-f", path), append(del, "-f", path)
	}
	if out, err := kubectl(t, nil, apply...); err != nil {
		t.Fatalf("applying %s: %v\n%s", strings.Join(files, ", "), err, out)
	}
	t.Cleanup(func() {
		if out, err := kubectl(t, nil, del...); err != nil {
			t.Errorf("deleting %s: %v\n%s", strings.Join(files, ", "), err, out)
		}
	})
}

// bind grants user the ClusterRole role in namespace ns.
func bind(t *testing.T, ns, name, user, role string) {
	t.Helper()
	rb := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}
	if err := k8s.Create(ctx(t), rb); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("binding %s to %s: %v", user, role, err)
	}
}

// as returns a client that impersonates user, member of groups.
func as(t *testing.T, user string, groups ...string) client.Client {
	t.Helper()
	c := rest.CopyConfig(cfg)
	c.Impersonate = rest.ImpersonationConfig{UserName: user, Groups: groups}
	cl, err := client.New(c, client.Options{Scheme: manager.NewScheme()})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// updateMeasurement reads a Measurement through c, changes it and writes it
// back with update (the verb reporters have), retrying on conflicts with the
// controllers' status writes.
func updateMeasurement(c client.Client, ns, name string, change func(*v1alpha1.Measurement)) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		m := &v1alpha1.Measurement{}
		if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, m); err != nil {
			return err
		}
		change(m)
		return c.Update(ctx, m)
	})
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}
