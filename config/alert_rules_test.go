package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// The alert rules' unit tests: config/prometheus/tests/*.yaml are
// `promtool test rules` files whose input series are written as the manager
// exposes them on /metrics (`up` as Prometheus makes it, with no labels of
// its own). TestAlertRules stores each series as Prometheus does when it
// scrapes the manager through the ServiceMonitor Concord ships: it adds the
// labels prometheus-operator gives the target (job, instance, namespace, pod,
// service, endpoint, container) and, as honorLabels says, keeps the exposed
// value of a label both carry or moves it to exported_<label>. Then it runs
// promtool over the rules of config/prometheus and over the chart's, each
// with its own ServiceMonitor. The expected alerts name the object's
// namespace: they fail if the ServiceMonitor lets the manager's namespace
// overwrite it.

const (
	// rulesFile is the name the test files give their rule file.
	rulesFile = "concord.rules.yaml"
	// The labels of the manager's target that its manifests do not fix.
	targetPod       = "concord-manager-5d8f7b9c6d-x7k2p"
	targetInstance  = "10.244.1.17:8080"
	targetContainer = "manager"
	// targetKey is the top-level key of a test file holding the target's
	// labels (an anchor for exp_labels); it is checked and removed.
	targetKey = "manager_target"
)

// tool returns the path of a binary of bin/ (or of the environment variable
// env), built by `make test`; without it the test fails, or skips under
// -short.
func tool(t *testing.T, env, name, target string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		p = filepath.Join("..", "bin", name)
	}
	if _, err := os.Stat(p); err != nil {
		if testing.Short() {
			t.Skipf("%s not built (%v): run make %s", name, err, target)
		}
		t.Fatalf("%s not found at %s (make %s builds it): %v", name, p, target, err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// manifests splits a multi-document YAML stream into objects.
func manifests(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out []map[string]any
	for {
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out
			}
			t.Fatalf("decoding YAML: %v", err)
		}
		if len(m) > 0 {
			out = append(out, m)
		}
	}
}

// ruleSource is one way Concord's alerts are installed: its PrometheusRule,
// and the ServiceMonitor and Service through which Prometheus scrapes the
// manager.
type ruleSource struct {
	name                   string
	rule, monitor, service map[string]any
	serviceNamespace       string
	testDirs               []string
	// everyAlert: the tests must have, for every alert of the rules, a
	// case where it fires and one where it does not.
	everyAlert bool
}

func (s ruleSource) String() string { return s.name }

func readManifest(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := manifests(t, b)
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents, want 1", path, len(docs))
	}
	return docs[0]
}

// kustomizeSource is config/prometheus: `kubectl apply -k config/prometheus`.
func kustomizeSource(t *testing.T) ruleSource {
	t.Helper()
	k := readManifest(t, "prometheus/kustomization.yaml")
	ns, _ := k["namespace"].(string)
	return ruleSource{
		name:             "config/prometheus",
		rule:             readManifest(t, "prometheus/prometheus_rule.yaml"),
		monitor:          readManifest(t, "prometheus/servicemonitor.yaml"),
		service:          readManifest(t, "prometheus/metrics_service.yaml"),
		serviceNamespace: ns,
		testDirs:         []string{"prometheus/tests"},
		everyAlert:       true,
	}
}

// chartSource is the Helm chart rendered as release concord in
// concord-system with the ServiceMonitor and the PrometheusRule enabled, and
// the given values.
func chartSource(t *testing.T, name string, everyAlert bool, testDirs []string, values ...string) ruleSource {
	t.Helper()
	args := append([]string{"template", "concord", "../charts/concord", "--namespace", "concord-system",
		"--set", "serviceMonitor.enabled=true", "--set", "prometheusRule.enabled=true"}, values...)
	cmd := exec.Command(tool(t, "HELM", "helm", "test-chart"), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	s := ruleSource{name: name, testDirs: testDirs, everyAlert: everyAlert}
	for _, d := range manifests(t, out) {
		labels, _ := nested(d, "metadata", "labels").(map[string]any)
		switch d["kind"] {
		case "PrometheusRule":
			s.rule = d
		case "ServiceMonitor":
			s.monitor = d
		case "Service":
			if labels["app.kubernetes.io/component"] == "metrics" {
				s.service = d
				s.serviceNamespace, _ = nested(d, "metadata", "namespace").(string)
			}
		}
	}
	if s.rule == nil || s.monitor == nil || s.service == nil {
		t.Fatalf("helm %s rendered no PrometheusRule, ServiceMonitor or metrics Service", strings.Join(args, " "))
	}
	return s
}

func nested(m any, path ...string) any {
	for _, p := range path {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[p]
	}
	return m
}

// scrape is how Prometheus stores what it scrapes from the manager's target:
// the target's labels, and whether the exposed labels win (honor_labels).
type scrape struct {
	target map[string]string
	honor  bool
}

// scrapeOf derives the scrape of a source's manager from its ServiceMonitor
// and Service as prometheus-operator does (pkg/prometheus/promcfg.go,
// generateServiceMonitorConfig): job is the Service's name (or the value of
// its jobLabel label), namespace and service the Service's, endpoint the
// port's name, pod and container the scraped Pod's, instance its address;
// honor_labels is the endpoint's honorLabels.
func scrapeOf(t *testing.T, s ruleSource) scrape {
	t.Helper()
	endpoints, _ := nested(s.monitor, "spec", "endpoints").([]any)
	if len(endpoints) != 1 {
		t.Fatalf("%s: the ServiceMonitor has %d endpoints, want 1", s, len(endpoints))
	}
	ep, _ := endpoints[0].(map[string]any)
	port, _ := ep["port"].(string)
	honor, _ := ep["honorLabels"].(bool)
	svcName, _ := nested(s.service, "metadata", "name").(string)
	ports, _ := nested(s.service, "spec", "ports").([]any)
	if !slices.ContainsFunc(ports, func(p any) bool { return nested(p, "name") == port }) {
		t.Fatalf("%s: the ServiceMonitor scrapes port %q, which Service %s does not have", s, port, svcName)
	}
	job := svcName
	if l, _ := nested(s.monitor, "spec", "jobLabel").(string); l != "" {
		if v, _ := nested(s.service, "metadata", "labels", l).(string); v != "" {
			job = v
		}
	}
	return scrape{honor: honor, target: map[string]string{
		"job": job, "namespace": s.serviceNamespace, "service": svcName, "endpoint": port,
		"pod": targetPod, "container": targetContainer, "instance": targetInstance,
	}}
}

// store returns the labels Prometheus stores for a sample exposed with the
// given labels (scrape/scrape.go, mutateSampleLabels and
// resolveConflictingExposedLabels): with honor_labels the exposed value of a
// label the target also has wins; without, the target's wins and the exposed
// one moves to exported_<label> (exported_exported_<label> if that is taken).
func (s scrape) store(exposed map[string]string) map[string]string {
	out := maps.Clone(exposed)
	if s.honor {
		for k, v := range s.target {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
		return out
	}
	var conflicts []string
	for k, v := range s.target {
		if exposed[k] != "" {
			conflicts = append(conflicts, k)
		}
		out[k] = v
	}
	sort.SliceStable(conflicts, func(i, j int) bool { return len(conflicts[i]) < len(conflicts[j]) })
	for _, k := range conflicts {
		name := k
		for {
			name = "exported_" + name
			if out[name] == "" {
				out[name] = exposed[k]
				break
			}
		}
	}
	return out
}

var (
	seriesRE = regexp.MustCompile(`^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?\s*$`)
	labelRE  = regexp.MustCompile(`\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)`)
)

// parseSeries reads promtool's series notation, name{label="value", ...}.
func parseSeries(s string) (string, map[string]string, error) {
	m := seriesRE.FindStringSubmatch(s)
	if m == nil {
		return "", nil, fmt.Errorf("cannot read series %q", s)
	}
	labels := map[string]string{}
	rest := m[2]
	for rest != "" {
		l := labelRE.FindStringSubmatchIndex(rest)
		if l == nil || l[0] != 0 {
			return "", nil, fmt.Errorf("cannot read the labels of series %q", s)
		}
		v, err := strconv.Unquote(`"` + rest[l[4]:l[5]] + `"`)
		if err != nil {
			return "", nil, fmt.Errorf("series %q: %w", s, err)
		}
		labels[rest[l[2]:l[3]]] = v
		rest = rest[l[1]:]
	}
	return m[1], labels, nil
}

func formatSeries(name string, labels map[string]string) string {
	keys := slices.Sorted(maps.Keys(labels))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, labels[k])
	}
	return name + "{" + strings.Join(parts, ", ") + "}"
}

// alertCases is what the test files assert per alert.
type alertCases struct{ firing, silent int }

// prepareTestFile rewrites a test file for a source: its rule file, its input
// series stored as the source's scrape stores them, and its target labels
// checked against the scrape's. It returns the file and its cases per alert.
func prepareTestFile(t *testing.T, path string, sc scrape, cases map[string]*alertCases) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if target, ok := f[targetKey].(map[string]any); ok {
		for k, v := range sc.target {
			if target[k] != v {
				t.Errorf("%s: %s.%s is %v, but the ServiceMonitor gives the target %s=%q", path, targetKey, k, target[k], k, v)
			}
		}
		if len(target) != len(sc.target) {
			t.Errorf("%s: %s has %d labels, the target %d", path, targetKey, len(target), len(sc.target))
		}
		delete(f, targetKey)
	}
	f["rule_files"] = []string{rulesFile}
	tests, _ := f["tests"].([]any)
	if len(tests) == 0 {
		t.Fatalf("%s: no tests", path)
	}
	for _, tc := range tests {
		tc, _ := tc.(map[string]any)
		inputs, _ := tc["input_series"].([]any)
		for _, in := range inputs {
			in, _ := in.(map[string]any)
			s, _ := in["series"].(string)
			name, labels, err := parseSeries(s)
			if err != nil {
				t.Fatalf("%s: test %v: %v", path, tc["name"], err)
			}
			in["series"] = formatSeries(name, sc.store(labels))
		}
		checks, _ := tc["alert_rule_test"].([]any)
		for _, c := range checks {
			alert, _ := nested(c, "alertname").(string)
			exp, _ := nested(c, "exp_alerts").([]any)
			if cases[alert] == nil {
				cases[alert] = &alertCases{}
			}
			if len(exp) > 0 {
				cases[alert].firing++
			} else {
				cases[alert].silent++
			}
		}
	}
	out, err := yaml.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ruleGroups returns the rule file of a PrometheusRule (its spec) and the
// names of its alerts.
func ruleGroups(t *testing.T, s ruleSource) ([]byte, []string) {
	t.Helper()
	spec, _ := s.rule["spec"].(map[string]any)
	b, err := yaml.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	var alerts []string
	groups, _ := spec["groups"].([]any)
	for _, g := range groups {
		rules, _ := nested(g, "rules").([]any)
		for _, r := range rules {
			if a, _ := nested(r, "alert").(string); a != "" {
				alerts = append(alerts, a)
			}
		}
	}
	return b, alerts
}

// runPromtool runs `promtool test rules` for a source over its test files.
func runPromtool(t *testing.T, promtool string, s ruleSource) {
	t.Helper()
	dir := t.TempDir()
	rules, alerts := ruleGroups(t, s)
	if err := os.WriteFile(filepath.Join(dir, rulesFile), rules, 0o644); err != nil {
		t.Fatal(err)
	}
	sc := scrapeOf(t, s)
	cases := map[string]*alertCases{}
	var files []string
	for _, d := range s.testDirs {
		paths, err := filepath.Glob(filepath.Join(d, "*.yaml"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no test files in %s: %v", d, err)
		}
		for _, p := range paths {
			name := strings.ReplaceAll(strings.TrimSuffix(p, ".yaml"), string(filepath.Separator), "_") + ".yaml"
			if err := os.WriteFile(filepath.Join(dir, name), prepareTestFile(t, p, sc, cases), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
	}
	for _, a := range alerts {
		if c := cases[a]; s.everyAlert && (c == nil || c.firing == 0 || c.silent == 0) {
			t.Errorf("%s: alert %s needs a case where it fires and one where it does not (%+v)", s, a, c)
		}
	}
	for a := range cases {
		if !slices.Contains(alerts, a) {
			t.Errorf("%s: the tests expect alert %s, which the rules do not have", s, a)
		}
	}
	cmd := exec.Command(promtool, append([]string{"test", "rules"}, files...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s: promtool test rules (ServiceMonitor honorLabels: %v): %v\n%s", s, sc.honor, err, out)
	}
}

// TestAlertRules runs the rules' unit tests over config/prometheus and the
// chart, with the series stored as each one's ServiceMonitor stores them,
// and the tests of several installations over the chart rendered for one of
// them.
func TestAlertRules(t *testing.T) {
	promtool := tool(t, "PROMTOOL", "promtool", "promtool")
	for _, s := range []ruleSource{
		kustomizeSource(t),
		chartSource(t, "charts/concord", true, []string{"prometheus/tests"}),
		chartSource(t, "charts/concord with installationLabels", false, []string{"prometheus/tests/installations"},
			"--set", "prometheusRule.installationLabels.cluster=eu-west"),
	} {
		t.Run(strings.ReplaceAll(s.name, "/", "_"), func(t *testing.T) { runPromtool(t, promtool, s) })
	}
}

// TestScrapeModel checks store against what Prometheus documents for
// honor_labels.
func TestScrapeModel(t *testing.T) {
	target := map[string]string{"job": "concord-metrics", "namespace": "concord-system", "pod": "p"}
	exposed := map[string]string{"namespace": "protection", "name": "x", "exported_namespace": "taken"}
	if got, want := (scrape{target: target, honor: true}).store(exposed),
		map[string]string{"job": "concord-metrics", "namespace": "protection", "pod": "p", "name": "x", "exported_namespace": "taken"}; !maps.Equal(got, want) {
		t.Errorf("honor_labels: %v, want %v", got, want)
	}
	if got, want := (scrape{target: target}).store(exposed),
		map[string]string{"job": "concord-metrics", "namespace": "concord-system", "pod": "p", "name": "x",
			"exported_namespace": "taken", "exported_exported_namespace": "protection"}; !maps.Equal(got, want) {
		t.Errorf("without honor_labels: %v, want %v", got, want)
	}
	name, labels, err := parseSeries(`concord_indicator_condition{namespace="protection", name="a\"b",type="Ready"}`)
	if err != nil || name != "concord_indicator_condition" || !maps.Equal(labels, map[string]string{"namespace": "protection", "name": `a"b`, "type": "Ready"}) {
		t.Errorf("parseSeries: %q %v %v", name, labels, err)
	}
	if name, labels, err := parseSeries("up"); err != nil || name != "up" || len(labels) != 0 {
		t.Errorf("parseSeries(up): %q %v %v", name, labels, err)
	}
	if _, _, err := parseSeries(`x{a="1" b="2"}`); err == nil {
		t.Error("parseSeries accepted labels without a comma")
	}
}
