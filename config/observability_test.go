package config

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/internal/metrics"
)

// Concord's kinds, as in the API and as in metric names.
var observabilityKinds = map[string]string{
	"Indicator":            metrics.KindIndicator,
	"Measurement":          metrics.KindMeasurement,
	"Evidence":             metrics.KindEvidence,
	"CooperationMechanism": metrics.KindMechanism,
	"ActionPlan":           metrics.KindPlan,
}

// The subset of kube-state-metrics' CustomResourceStateMetrics
// (pkg/customresourcestate/config.go) that the configuration uses; decoding
// is strict, so a misspelt field fails.
type ksmConfig struct {
	Kind string `json:"kind"`
	Spec struct {
		Resources []ksmResource `json:"resources"`
	} `json:"spec"`
}

type ksmResource struct {
	GroupVersionKind struct {
		Group   string `json:"group"`
		Version string `json:"version"`
		Kind    string `json:"kind"`
	} `json:"groupVersionKind"`
	ResourcePlural   string              `json:"resourcePlural"`
	MetricNamePrefix *string             `json:"metricNamePrefix"`
	LabelsFromPath   map[string][]string `json:"labelsFromPath"`
	CommonLabels     map[string]string   `json:"commonLabels"`
	ErrorLogV        int                 `json:"errorLogV"`
	Metrics          []ksmGenerator      `json:"metrics"`
}

type ksmGenerator struct {
	Name           string              `json:"name"`
	Help           string              `json:"help"`
	ErrorLogV      int                 `json:"errorLogV"`
	LabelsFromPath map[string][]string `json:"labelsFromPath"`
	CommonLabels   map[string]string   `json:"commonLabels"`
	Each           struct {
		Type     string       `json:"type"`
		Gauge    *ksmGauge    `json:"gauge"`
		StateSet *ksmStateSet `json:"stateSet"`
		Info     *ksmInfo     `json:"info"`
	} `json:"each"`
}

type ksmGauge struct {
	Path           []string            `json:"path"`
	LabelsFromPath map[string][]string `json:"labelsFromPath"`
	LabelFromKey   string              `json:"labelFromKey"`
	ValueFrom      []string            `json:"valueFrom"`
	ValueType      string              `json:"valueType"`
	NilIsZero      bool                `json:"nilIsZero"`
}

type ksmStateSet struct {
	Path           []string            `json:"path"`
	LabelsFromPath map[string][]string `json:"labelsFromPath"`
	LabelName      string              `json:"labelName"`
	ValueFrom      []string            `json:"valueFrom"`
	List           []string            `json:"list"`
}

type ksmInfo struct {
	Path           []string            `json:"path"`
	LabelsFromPath map[string][]string `json:"labelsFromPath"`
	LabelFromKey   string              `json:"labelFromKey"`
}

// loadKSMConfig reads kube-state-metrics/custom-resource-state.yaml.
func loadKSMConfig(t *testing.T) ksmConfig {
	t.Helper()
	raw, err := os.ReadFile("kube-state-metrics/custom-resource-state.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg ksmConfig
	if err := yaml.UnmarshalStrict(raw, &cfg); err != nil {
		t.Fatalf("custom-resource-state.yaml: %v", err)
	}
	return cfg
}

var promMetricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// TestKubeStateMetricsConfig checks the structure of
// kube-state-metrics/custom-resource-state.yaml: every kind, its condition
// series with the labels of the built-in metric, the indicator value and the
// evidence expiration, and every path present in the CRD's schema.
func TestKubeStateMetricsConfig(t *testing.T) {
	cfg := loadKSMConfig(t)
	if cfg.Kind != "CustomResourceStateMetrics" {
		t.Errorf("kind = %q, want CustomResourceStateMetrics", cfg.Kind)
	}
	crds := loadCRDs(t)

	seen := map[string]bool{}
	names := map[string]bool{}
	for _, r := range cfg.Spec.Resources {
		gvk := r.GroupVersionKind
		low, ok := observabilityKinds[gvk.Kind]
		if !ok {
			t.Errorf("resource %s is not a Concord kind", gvk.Kind)
			continue
		}
		if seen[gvk.Kind] {
			t.Errorf("%s appears twice (kube-state-metrics refuses that)", gvk.Kind)
		}
		seen[gvk.Kind] = true
		crd, ok := crds[gvk.Kind]
		if !ok {
			t.Errorf("no CRD for %s in %s", gvk.Kind, CRDDir)
			continue
		}
		if gvk.Group != crd.Spec.Group || r.ResourcePlural != crd.Spec.Names.Plural {
			t.Errorf("%s: group %q, plural %q; the CRD says %q, %q", gvk.Kind, gvk.Group, r.ResourcePlural, crd.Spec.Group, crd.Spec.Names.Plural)
		}
		schema := servedSchema(crd, gvk.Version)
		if schema == nil {
			t.Errorf("%s: version %q is not served", gvk.Kind, gvk.Version)
			continue
		}
		if r.MetricNamePrefix == nil || *r.MetricNamePrefix != "kube_customresource" {
			t.Errorf("%s: metricNamePrefix must be kube_customresource", gvk.Kind)
		}
		for label, want := range map[string][]string{"namespace": {"metadata", "namespace"}, "name": {"metadata", "name"}} {
			if !slices.Equal(r.LabelsFromPath[label], want) {
				t.Errorf("%s: labelsFromPath.%s = %v, want %v", gvk.Kind, label, r.LabelsFromPath[label], want)
			}
		}

		byName := map[string]ksmGenerator{}
		for _, m := range r.Metrics {
			full := "kube_customresource_" + m.Name
			if !promMetricName.MatchString(full) || names[full] {
				t.Errorf("%s: metric name %q is invalid or repeated", gvk.Kind, full)
			}
			names[full] = true
			byName[m.Name] = m
			for _, d := range metrics.HelpTextDefects(m.Help) {
				t.Errorf("%s: %s: help %q: %s", gvk.Kind, m.Name, m.Help, d)
			}
			checkKSMMetric(t, gvk.Kind, schema, m)
		}

		cond, ok := byName["concord_"+low+"_condition"]
		switch {
		case !ok:
			t.Errorf("%s: no concord_%s_condition", gvk.Kind, low)
		case cond.Each.StateSet == nil:
			t.Errorf("%s: concord_%s_condition is not a StateSet", gvk.Kind, low)
		default:
			s := cond.Each.StateSet
			if !slices.Equal(s.Path, []string{"status", "conditions"}) || !slices.Equal(s.ValueFrom, []string{"status"}) ||
				!slices.Equal(s.LabelsFromPath["type"], []string{"type"}) || s.LabelName != "status" ||
				!slices.Equal(s.List, []string{"True", "False", "Unknown"}) {
				t.Errorf("%s: concord_%s_condition = %+v, want one series per condition type and status", gvk.Kind, low, *s)
			}
		}
	}
	for kind := range observabilityKinds {
		if !seen[kind] {
			t.Errorf("no resource for %s", kind)
		}
	}

	wantGauge := func(kind, name string, path, valueFrom []string) {
		t.Helper()
		for _, r := range cfg.Spec.Resources {
			if r.GroupVersionKind.Kind != kind {
				continue
			}
			for _, m := range r.Metrics {
				if m.Name == name && m.Each.Gauge != nil &&
					slices.Equal(append(slices.Clone(m.Each.Gauge.Path), m.Each.Gauge.ValueFrom...), append(path, valueFrom...)) {
					return
				}
			}
		}
		t.Errorf("%s: no gauge %s from %s", kind, name, strings.Join(append(path, valueFrom...), "."))
	}
	wantGauge("Indicator", "concord_indicator_value", []string{"status", "current"}, []string{"value"})
	wantGauge("Indicator", "concord_indicator_reporters_expected", []string{"status", "reporting"}, []string{"expected"})
	wantGauge("Indicator", "concord_indicator_reporters_reported", []string{"status", "reporting"}, []string{"reported"})
	wantGauge("Indicator", "concord_indicator_reporters_on_time", []string{"status", "reporting"}, []string{"onTime"})
	wantGauge("Evidence", "concord_evidence_expiration_timestamp_seconds", []string{"status"}, []string{"expirationTime"})
}

// checkKSMMetric checks that a metric has exactly the member its type names
// and that its paths exist in the schema.
func checkKSMMetric(t *testing.T, kind string, schema *apiextensionsv1.JSONSchemaProps, m ksmGenerator) {
	t.Helper()
	var p []string
	var labels map[string][]string
	var valueFrom []string
	members := 0
	switch strings.ToLower(m.Each.Type) {
	case "gauge":
		if g := m.Each.Gauge; g != nil {
			p, labels, valueFrom = g.Path, g.LabelsFromPath, g.ValueFrom
		}
	case "stateset":
		if s := m.Each.StateSet; s != nil {
			p, labels, valueFrom = s.Path, s.LabelsFromPath, s.ValueFrom
		}
	case "info":
		if i := m.Each.Info; i != nil {
			p, labels = i.Path, i.LabelsFromPath
		}
	default:
		t.Errorf("%s: %s has type %q", kind, m.Name, m.Each.Type)
		return
	}
	for _, set := range []bool{m.Each.Gauge != nil, m.Each.StateSet != nil, m.Each.Info != nil} {
		if set {
			members++
		}
	}
	if members != 1 || p == nil {
		t.Errorf("%s: %s of type %s needs its %s member with a path, and no other", kind, m.Name, m.Each.Type, m.Each.Type)
		return
	}
	base, err := schemaAt(schema, p)
	if err != nil {
		t.Errorf("%s: %s: path %v: %v", kind, m.Name, p, err)
		return
	}
	for label, lp := range labels {
		if _, err := schemaAt(base, lp); err != nil {
			t.Errorf("%s: %s: label %s from %v: %v", kind, m.Name, label, lp, err)
		}
	}
	if valueFrom == nil && m.Each.Gauge != nil {
		if base != nil && !slices.Contains([]string{"string", "integer", "number", "boolean"}, base.Type) {
			t.Errorf("%s: %s: path %v is of type %s, not a value, and there is no valueFrom", kind, m.Name, p, base.Type)
		}
	} else if valueFrom != nil {
		leaf, err := schemaAt(base, valueFrom)
		if err != nil {
			t.Errorf("%s: %s: valueFrom %v: %v", kind, m.Name, valueFrom, err)
		} else if leaf != nil && !slices.Contains([]string{"string", "integer", "number", "boolean"}, leaf.Type) {
			t.Errorf("%s: %s: valueFrom %v is of type %s, not a value", kind, m.Name, valueFrom, leaf.Type)
		}
	}
}

// schemaAt follows a kube-state-metrics path in an OpenAPI schema: arrays
// are entered (kube-state-metrics makes one series per element). A nil
// schema is an object whose fields the CRD does not describe (metadata):
// anything goes below it.
func schemaAt(s *apiextensionsv1.JSONSchemaProps, p []string) (*apiextensionsv1.JSONSchemaProps, error) {
	for _, seg := range p {
		if s == nil {
			return nil, nil
		}
		if s.Type == "array" && s.Items != nil {
			s = s.Items.Schema
		}
		if len(s.Properties) == 0 && s.Type == "object" {
			return nil, nil // metadata: not described by the CRD
		}
		child, ok := s.Properties[seg]
		if !ok {
			return nil, fmt.Errorf("no field %s", seg)
		}
		s = &child
	}
	if s != nil && s.Type == "array" && s.Items != nil {
		s = s.Items.Schema
	}
	return s, nil
}

func loadCRDs(t *testing.T) map[string]*apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	out := map[string]*apiextensionsv1.CustomResourceDefinition{}
	files, err := fs.Glob(CRDs, path.Join(CRDDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in %s: %v", CRDDir, err)
	}
	for _, f := range files {
		raw, err := fs.ReadFile(CRDs, f)
		if err != nil {
			t.Fatal(err)
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(raw, crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[crd.Spec.Names.Kind] = crd
	}
	return out
}

func servedSchema(crd *apiextensionsv1.CustomResourceDefinition, version string) *apiextensionsv1.JSONSchemaProps {
	for _, v := range crd.Spec.Versions {
		if v.Name == version && v.Served && v.Schema != nil {
			return v.Schema.OpenAPIV3Schema
		}
	}
	return nil
}

// grafanaPanel is the part of a Grafana panel the test reads.
type grafanaPanel struct {
	ID         int            `json:"id"`
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Datasource map[string]any `json:"datasource"`
	Targets    []struct {
		Expr       string         `json:"expr"`
		RefID      string         `json:"refId"`
		Datasource map[string]any `json:"datasource"`
	} `json:"targets"`
	Panels []grafanaPanel `json:"panels"`
}

var (
	promStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promMatchers = regexp.MustCompile(`\{[^}]*\}`)
	promRanges   = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promCalls    = regexp.MustCompile(`\b[a-zA-Z_][a-zA-Z0-9_]*\s*\(`)
	promIdents   = regexp.MustCompile(`\b[a-zA-Z_:][a-zA-Z0-9_:]*\b`)
	promKeywords = []string{"and", "or", "unless", "bool", "offset", "inf", "nan"}
	labelValues  = regexp.MustCompile(`^label_values\((.+),\s*\w+\)$`)
)

// promMetricNames returns the metric names a PromQL expression selects:
// what is left once strings, label matchers, ranges, grouping clauses,
// function names and keywords are gone.
func promMetricNames(expr string) []string {
	s := promStrings.ReplaceAllString(expr, `""`)
	s = promMatchers.ReplaceAllString(s, " ")
	s = promRanges.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	s = promCalls.ReplaceAllString(s, "(")
	var out []string
	for _, id := range promIdents.FindAllString(s, -1) {
		if !slices.Contains(promKeywords, strings.ToLower(id)) {
			out = append(out, id)
		}
	}
	return out
}

// promNameMatcher is a matcher on the metric name: {__name__=~"concord_.+_condition"}.
var promNameMatcher = regexp.MustCompile(`__name__\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"`)

// checkSelectedMetrics reports a query that selects no metric, or one that
// neither Concord, controller-runtime nor Prometheus itself (up, the series
// of each target) exports. A __name__ matcher must name one of Concord's
// metrics or, for a regular expression, match at least one.
func checkSelectedMetrics(t *testing.T, where, expr string, known map[string]bool) {
	t.Helper()
	names := promMetricNames(expr)
	matchers := promNameMatcher.FindAllStringSubmatch(expr, -1)
	if len(names) == 0 && len(matchers) == 0 {
		t.Errorf("%s: %q selects no metric", where, expr)
	}
	for _, n := range names {
		if !known[n] && !strings.HasPrefix(n, "controller_runtime_") && n != "up" {
			t.Errorf("%s: %q selects %s, which neither Concord (internal/metrics), controller-runtime nor Prometheus (up) exports", where, expr, n)
		}
	}
	for _, m := range matchers {
		op, v := m[1], m[2]
		if op == "=" || op == "!=" {
			if !known[v] {
				t.Errorf("%s: %q: __name__%s%q is not a metric Concord exports", where, expr, op, v)
			}
			continue
		}
		re, err := regexp.Compile("^(?:" + v + ")$")
		if err != nil {
			t.Errorf("%s: %q: __name__%s%q: %v", where, expr, op, v, err)
			continue
		}
		matched := 0
		for n := range known {
			if re.MatchString(n) {
				matched++
			}
		}
		if matched == 0 {
			t.Errorf("%s: %q: __name__%s%q matches no metric Concord exports", where, expr, op, v)
		}
	}
}

// concordMetricNames returns the names Concord exports, from the metrics
// package itself: every series kind is set once, then the registry is read.
func concordMetricNames(t *testing.T) map[string]bool {
	t.Helper()
	for _, low := range observabilityKinds {
		metrics.SetConditions(low, "grafana-test", "x", []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue}})
		metrics.SetSuspended(low, "grafana-test", "x", false)
		metrics.StatusWritten(low)
	}
	metrics.SetIndicatorValues("grafana-test", "x", "1", "2")
	metrics.SetReporting("grafana-test", "x", &metrics.Reporting{Expected: 1, Missed: []metrics.ReporterMissed{{Reporter: "r", Periods: 1}}})
	metrics.SetAnomalyScore("grafana-test", "x", "0")
	metrics.SetEvidenceExpiration("grafana-test", "x", &metav1.Time{Time: time.Unix(0, 0)})
	families, err := metrics.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	for _, low := range observabilityKinds {
		metrics.Forget(low, "grafana-test", "x")
	}
	return names
}

// TestGrafanaDashboard checks grafana/concord-dashboard.json: valid JSON,
// a title on every panel, the ${datasource} variable everywhere, and every
// query selecting metrics Concord or controller-runtime export.
func TestGrafanaDashboard(t *testing.T) {
	raw, err := os.ReadFile("grafana/concord-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title      string         `json:"title"`
		UID        string         `json:"uid"`
		Panels     []grafanaPanel `json:"panels"`
		Templating struct {
			List []struct {
				Name       string         `json:"name"`
				Type       string         `json:"type"`
				Query      any            `json:"query"`
				Definition string         `json:"definition"`
				Datasource map[string]any `json:"datasource"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("not valid JSON: %v", err)
	}
	if dash.Title == "" || dash.UID == "" {
		t.Error("the dashboard needs a title and a uid")
	}

	known := concordMetricNames(t)
	checkExpr := func(where, expr string) {
		t.Helper()
		checkSelectedMetrics(t, where, expr, known)
	}
	wantDatasource := func(where string, ds map[string]any) {
		t.Helper()
		if ds["uid"] != "${datasource}" {
			t.Errorf("%s: datasource %v, want uid ${datasource}", where, ds)
		}
	}

	hasDatasourceVar := false
	for _, v := range dash.Templating.List {
		switch {
		case v.Name == "datasource":
			hasDatasourceVar = v.Type == "datasource" && v.Query == "prometheus"
		case v.Type == "query":
			wantDatasource("variable "+v.Name, v.Datasource)
			m := labelValues.FindStringSubmatch(v.Definition)
			if m == nil {
				t.Errorf("variable %s: %q is not label_values(metric, label)", v.Name, v.Definition)
				continue
			}
			checkExpr("variable "+v.Name, m[1])
		}
	}
	if !hasDatasourceVar {
		t.Error("no datasource variable of type datasource for prometheus")
	}

	ids := map[int]bool{}
	var all []grafanaPanel
	for _, p := range dash.Panels {
		all = append(all, p)
		all = append(all, p.Panels...) // collapsed rows hold their panels
	}
	queries := 0
	for _, p := range all {
		if p.Title == "" {
			t.Errorf("panel %d (%s) has no title", p.ID, p.Type)
		}
		if ids[p.ID] {
			t.Errorf("panel id %d is repeated", p.ID)
		}
		ids[p.ID] = true
		if p.Type == "row" {
			continue
		}
		wantDatasource("panel "+p.Title, p.Datasource)
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			wantDatasource("panel "+p.Title, tg.Datasource)
			checkExpr("panel "+p.Title, tg.Expr)
			queries++
		}
	}
	if queries == 0 {
		t.Error("the dashboard has no queries")
	}
}

func TestPromMetricNames(t *testing.T) {
	for expr, want := range map[string][]string{
		`count by (namespace) (concord_indicator_condition{type="TargetMet",status="true"} == 1)`:                {"concord_indicator_condition"},
		`sort((concord_evidence_expiration_timestamp_seconds{namespace=~"$namespace"} - time()) / 86400)`:        {"concord_evidence_expiration_timestamp_seconds"},
		`sum by (kind) (rate(concord_status_writes_total[5m])) or vector(0)`:                                     {"concord_status_writes_total"},
		`a_total / on (job) group_left (x) b_info`:                                                               {"a_total", "b_info"},
		`sum(rate(kube_pod_info[1h] offset 1d))`:                                                                 {"kube_pod_info"},
		`label_replace({__name__=~"concord_.+_condition", type="Ready"}, "kind", "$1", "__name__", "(.+)") == 1`: nil,
	} {
		if got := promMetricNames(expr); !slices.Equal(got, want) {
			t.Errorf("promMetricNames(%q) = %v, want %v", expr, got, want)
		}
	}
}

// TestPrometheusRuleSelectsExportedMetrics checks
// prometheus/prometheus_rule.yaml: every alert selects only metrics Concord
// or controller-runtime export, has a summary, a description and the
// runbook docs/runbooks/<alert>.md, which exists.
func TestPrometheusRuleSelectsExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile("prometheus/prometheus_rule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rule struct {
		Spec struct {
			Groups []struct {
				Rules []struct {
					Alert       string            `json:"alert"`
					Expr        string            `json:"expr"`
					Annotations map[string]string `json:"annotations"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &rule); err != nil {
		t.Fatal(err)
	}
	known := concordMetricNames(t)
	alerts := 0
	for _, g := range rule.Spec.Groups {
		for _, r := range g.Rules {
			alerts++
			checkSelectedMetrics(t, "alert "+r.Alert, r.Expr, known)
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("alert %s needs a summary and a description", r.Alert)
			}
			const base = "https://github.com/concord-operator/concord/blob/main/docs/runbooks/"
			if r.Annotations["runbook_url"] != base+r.Alert+".md" {
				t.Errorf("alert %s: runbook_url %q, want %s%s.md", r.Alert, r.Annotations["runbook_url"], base, r.Alert)
			}
			if _, err := os.Stat("../docs/runbooks/" + r.Alert + ".md"); err != nil {
				t.Errorf("alert %s: %v", r.Alert, err)
			}
		}
	}
	if alerts == 0 {
		t.Error("no alerts")
	}
}
