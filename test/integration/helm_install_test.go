package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// The chart's kubeVersion check and `kubectl version` read the version the
// API server and kubectl report, which `make control-plane` stamps from
// hack/tools/go.mod. These tests run the binaries of bin/ (KUBEBUILDER_ASSETS)
// as `make dev` does; built without the stamp they report
// v0.0.0-master+$Format:%H$ and every check below fails.

// TestHelmInstallOnMakeDev starts what `make dev` runs (concordctl dev:
// CRDs, the reporter-binding policy, the example scenario, the
// controllers), checks that `kubectl version` works against it, runs the
// `helm install` line its banner prints, checks that every object of the
// release exists, and uninstalls it.
func TestHelmInstallOnMakeDev(t *testing.T) {
	h := helm(t)
	kc, _, out := startDev(t)
	checkKubectlVersion(t, kc)

	// The banner's helm line, run as printed from the repository root:
	// bin/helm is this test's helm, charts/concord the chart.
	var line string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "helm install concord ") {
			line = strings.TrimSpace(l)
		}
	}
	if line == "" {
		t.Fatalf("the make dev banner prints no `helm install concord` line:\n%s", out.String())
	}
	if i := strings.Index(line, "#"); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	args := strings.Fields(line)[1:]
	for i, a := range args {
		if a == "charts/concord" {
			args[i] = chartDir
		}
	}
	// make dev installed the CRDs and the reporter-binding policy, so the
	// line leaves them to it: nothing of the release is left after
	// uninstalling it.
	if left := helmInstall(t, h, kc, args); len(left) > 0 {
		t.Errorf("after helm uninstall, objects of the release are left: %v", left)
	}
}

// TestHelmInstallOnAFreshCluster installs the chart as a platform team
// would on a new cluster: with its defaults, so it installs the CRDs and
// the admission policies itself. `helm uninstall` keeps the CRDs
// (helm.sh/resource-policy: keep), and installing again adopts them, as
// docs/releasing.md says.
func TestHelmInstallOnAFreshCluster(t *testing.T) {
	h := helm(t)
	env := &envtest.Environment{BinaryAssetsDirectory: assets, ControlPlaneStartTimeout: 2 * time.Minute}
	if _, err := env.Start(); err != nil {
		_ = env.Stop()
		t.Fatalf("starting a second control plane: %v", err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	user, err := env.AddUser(envtest.User{Name: "platform-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := user.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kc, b, 0o600); err != nil {
		t.Fatal(err)
	}

	checkKubectlVersion(t, kc)
	install := []string{"install", "concord", chartDir, "--namespace", "concord-system", "--create-namespace"}
	checkOnlyCRDsKept(t, helmInstall(t, h, kc, install))
	// Installed again, the release adopts the CRDs it kept.
	checkOnlyCRDsKept(t, helmInstall(t, h, kc, install))
}

func checkOnlyCRDsKept(t *testing.T, kept []string) {
	t.Helper()
	var crds []string
	for _, name := range kept {
		if strings.HasPrefix(name, "customresourcedefinition.apiextensions.k8s.io/") {
			crds = append(crds, name)
		}
	}
	if len(crds) != 6 || len(kept) != len(crds) {
		t.Errorf("after helm uninstall, want the 6 CRDs kept and nothing else; left: %v", kept)
	}
}

// checkKubectlVersion runs `kubectl version` against the API server of
// kubeconfig: it exits 0 and both versions are hack/tools' Kubernetes.
func checkKubectlVersion(t *testing.T, kubeconfig string) {
	t.Helper()
	want := toolsKubeVersion(t)
	out, err := exec.Command(filepath.Join(assets, "kubectl"), "--kubeconfig", kubeconfig, "version").CombinedOutput()
	if err != nil {
		t.Errorf("kubectl version: %v\n%s", err, out)
	}
	for _, w := range []string{"Client Version: " + want + "\n", "Server Version: " + want + "\n"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("kubectl version does not say %q (make control-plane stamps the version):\n%s", strings.TrimSpace(w), out)
		}
	}
}

// toolsKubeVersion is the version of k8s.io/kubernetes that hack/tools
// builds kube-apiserver from, and the Makefile stamps.
func toolsKubeVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "hack", "tools", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*k8s\.io/kubernetes (v\d+\.\d+\.\d+)\s*$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("hack/tools/go.mod requires no k8s.io/kubernetes")
	}
	return string(m[1])
}

// helmInstall runs `helm <args>` (an install of release concord in
// concord-system) against kubeconfig, checks that every object of the
// release's manifest exists, uninstalls the release and returns the
// objects of the manifest that are left.
func helmInstall(t *testing.T, helmBin, kubeconfig string, args []string) []string {
	t.Helper()
	home := t.TempDir()
	run := func(stdin string, name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig,
			"HELM_CONFIG_HOME="+filepath.Join(home, "config"), "HELM_CACHE_HOME="+filepath.Join(home, "cache"),
			"HELM_DATA_HOME="+filepath.Join(home, "data"))
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	kubectlBin := filepath.Join(assets, "kubectl")

	out, err := run("", helmBin, args...)
	if err != nil {
		t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if !strings.Contains(out, "STATUS: deployed") {
		t.Errorf("helm install did not report STATUS: deployed:\n%s", out)
	}
	manifestYAML, err := run("", helmBin, "get", "manifest", "concord", "--namespace", "concord-system")
	if err != nil {
		t.Fatalf("helm get manifest: %v\n%s", err, manifestYAML)
	}
	docs := yamlDocs(t, []byte(manifestYAML))
	kinds := map[string]int{}
	for _, d := range docs {
		kinds[d["kind"].(string)]++
	}
	for _, k := range []string{"Deployment", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"} {
		if kinds[k] == 0 {
			t.Errorf("the release has no %s (kinds: %v)", k, kinds)
		}
	}
	// Namespaced objects without a namespace in the manifest are the
	// release namespace's, as for helm.
	out, err = run(manifestYAML, kubectlBin, "get", "--namespace", "concord-system", "-f", "-", "-o", "name")
	if err != nil {
		t.Fatalf("kubectl get the release's objects: %v\n%s", err, out)
	}
	if n := len(strings.Fields(out)); n != len(docs) {
		t.Errorf("%d of the release's %d objects exist:\n%s", n, len(docs), out)
	}
	out, err = run("", helmBin, "uninstall", "concord", "--namespace", "concord-system", "--wait", "--timeout", "1m")
	if err != nil {
		t.Fatalf("helm uninstall: %v\n%s", err, out)
	}
	out, err = run(manifestYAML, kubectlBin, "get", "--namespace", "concord-system", "-f", "-", "-o", "name", "--ignore-not-found")
	if err != nil {
		t.Fatalf("kubectl get the release's objects after helm uninstall: %v\n%s", err, out)
	}
	return strings.Fields(out)
}
