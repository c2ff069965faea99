package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// A model of how kube-state-metrics v2 turns one object into the series of a
// Gauge of a CustomResourceStateMetrics configuration: the semantics its
// documentation gives (docs/metrics/extend/customresourcestate-metrics.md,
// "path", "valueFrom", "nilIsZero") as its code implements them
// (pkg/customresourcestate/registry_factory.go: scrapeValuesFor,
// compiledGauge.Values and value, valuePath.Get, toFloat64). Its module,
// k8s.io/kube-state-metrics/v2, cannot be fetched here, so the tests below
// run this model instead; the results it gives for the old and the new
// `_suspended` metrics are those kube-state-metrics v2.20.0 gave (one
// series per key of spec for path [spec], valueFrom [suspend]; one series per
// object for path [spec, suspend], nilIsZero).
//
// The part of the model that matters: the value at `path` is walked when it
// is a map or a list. For a map, a key equal to a one-element valueFrom gives
// its own value; every other key gives a series too when valueFrom resolves
// under it or, failing that, when nilIsZero is set (value 0, with the same
// labels as the others).

// ksmGet follows a path through maps and lists as valuePath.Get does (plain
// keys and list indexes; the configuration uses no [key=value] lookups).
func ksmGet(obj any, path []string) any {
	for _, part := range path {
		switch v := obj.(type) {
		case map[string]any:
			obj = v[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			obj = v[i]
		default:
			return nil
		}
	}
	return obj
}

// ksmFloat converts a value as toFloat64 does (quantities and percentages
// left out: the configuration reads numbers, Booleans, decimal strings and
// RFC 3339 times).
func ksmFloat(v any, nilIsZero bool) (float64, error) {
	switch x := v.(type) {
	case nil:
		if nilIsZero {
			return 0, nil
		}
		return 0, fmt.Errorf("expected number but found nil value")
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "true", "yes":
			return 1, nil
		case "false", "no", "unknown":
			return 0, nil
		}
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return float64(t.Unix()), nil
		}
		return strconv.ParseFloat(x, 64)
	}
	return 0, fmt.Errorf("expected number but was %v", v)
}

// ksmGaugeSeries returns the values of the series a Gauge gives for obj
// (their labels are the resource's labelsFromPath, the same for all of them
// here: the configuration's gauges add no labels of their own).
func ksmGaugeSeries(obj map[string]any, g *ksmGauge) []float64 {
	var out []float64
	value := func(it any) {
		got := ksmGet(it, g.ValueFrom)
		if got == nil {
			if g.NilIsZero {
				out = append(out, 0)
			}
			return // no series (an error is logged when it is nil)
		}
		if f, err := ksmFloat(got, g.NilIsZero); err == nil {
			out = append(out, f)
		}
	}
	switch v := ksmGet(obj, g.Path).(type) {
	case map[string]any:
		for key, it := range v {
			if len(g.ValueFrom) == 1 && key == g.ValueFrom[0] {
				if f, err := ksmFloat(it, g.NilIsZero); err == nil {
					out = append(out, f)
				}
				continue
			}
			value(it)
		}
	case []any:
		for _, it := range v {
			value(it)
		}
	default:
		value(v)
	}
	return out
}

// fullObject returns an object with every field its schema declares: one
// element per list, one key per map, a value of the right type per leaf. It
// is the worst case for a path walk: a gauge that gives more than one series
// for it would for some real object.
func fullObject(s *apiextensionsv1.JSONSchemaProps) any {
	if s == nil {
		return map[string]any{}
	}
	switch {
	case s.XIntOrString:
		return int64(1)
	case s.Type == "object":
		m := map[string]any{}
		for name, p := range s.Properties {
			m[name] = fullObject(&p)
		}
		if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
			m["key"] = fullObject(s.AdditionalProperties.Schema)
		}
		return m
	case s.Type == "array":
		if s.Items == nil {
			return []any{}
		}
		return []any{fullObject(s.Items.Schema)}
	case s.Type == "boolean":
		return true
	case s.Type == "integer":
		return int64(1)
	case s.Type == "number":
		return 1.5
	case s.Format == "date-time":
		return "2026-01-01T00:00:00Z"
	}
	return "1"
}

// withoutField returns a deep copy of obj without the field at path.
func withoutField(obj map[string]any, path []string) map[string]any {
	b, _ := yaml.Marshal(obj)
	var c map[string]any
	_ = yaml.Unmarshal(b, &c)
	parent, _ := ksmGet(c, path[:len(path)-1]).(map[string]any)
	delete(parent, path[len(path)-1])
	return c
}

func TestKSMModel(t *testing.T) {
	spec := map[string]any{"spec": map[string]any{"cadence": "Quarterly", "measure": map[string]any{"type": "Count"}, "title": "x"}}
	suspended := map[string]any{"spec": map[string]any{"cadence": "Quarterly", "suspend": true, "title": "x"}}
	for _, c := range []struct {
		name string
		obj  map[string]any
		g    ksmGauge
		want []float64
	}{
		// What kube-state-metrics v2.20.0 gave: one series per key of spec.
		{"walk, no suspend", spec, ksmGauge{Path: []string{"spec"}, ValueFrom: []string{"suspend"}, NilIsZero: true}, []float64{0, 0, 0}},
		{"walk, suspended", suspended, ksmGauge{Path: []string{"spec"}, ValueFrom: []string{"suspend"}, NilIsZero: true}, []float64{0, 0, 1}},
		{"leaf, no suspend", spec, ksmGauge{Path: []string{"spec", "suspend"}, NilIsZero: true}, []float64{0}},
		{"leaf, suspended", suspended, ksmGauge{Path: []string{"spec", "suspend"}, NilIsZero: true}, []float64{1}},
		{"leaf without nilIsZero, absent", spec, ksmGauge{Path: []string{"spec", "suspend"}}, nil},
		{"walk without nilIsZero", spec, ksmGauge{Path: []string{"spec"}, ValueFrom: []string{"cadence"}}, nil},
		{"walk of a nested map", spec, ksmGauge{Path: []string{"spec"}, ValueFrom: []string{"type"}}, nil},
		{"time", map[string]any{"status": map[string]any{"expirationTime": "2026-01-01T00:00:00Z", "phase": "x"}},
			ksmGauge{Path: []string{"status"}, ValueFrom: []string{"expirationTime"}}, []float64{1767225600}},
	} {
		got := ksmGaugeSeries(c.obj, &c.g)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestKubeStateMetricsGaugesGiveOneSeriesPerObject runs every Gauge of
// kube-state-metrics/custom-resource-state.yaml, through the model above,
// over an object with every field of its CRD, and over the same object
// without the field the gauge reads: none may give more than one series per
// object. The `_suspended` gauges must give exactly one, 1 for a suspended
// object and 0 for one without spec.suspend, and exist for exactly the
// kinds whose spec has suspend.
func TestKubeStateMetricsGaugesGiveOneSeriesPerObject(t *testing.T) {
	cfg := loadKSMConfig(t)
	crds := loadCRDs(t)
	suspendable := map[string]bool{}
	for kind, crd := range crds {
		if s := servedSchema(crd, "v1alpha1"); s != nil {
			if _, ok := s.Properties["spec"].Properties["suspend"]; ok {
				suspendable[kind] = true
			}
		}
	}
	if len(suspendable) == 0 {
		t.Fatal("no CRD has spec.suspend")
	}

	withSuspended := map[string]bool{}
	for _, r := range cfg.Spec.Resources {
		kind := r.GroupVersionKind.Kind
		crd, ok := crds[kind]
		if !ok {
			continue // TestKubeStateMetricsConfig reports it
		}
		full, _ := fullObject(servedSchema(crd, r.GroupVersionKind.Version)).(map[string]any)
		for _, m := range r.Metrics {
			g := m.Each.Gauge
			if g == nil {
				continue
			}
			leaf := append(slices.Clone(g.Path), g.ValueFrom...)
			with, without := ksmGaugeSeries(full, g), ksmGaugeSeries(withoutField(full, leaf), g)
			if len(with) > 1 || len(without) > 1 {
				t.Errorf("%s: %s gives %d series for an object with %s and %d without it, want at most one (path %v, valueFrom %v)",
					kind, m.Name, len(with), strings.Join(leaf, "."), len(without), g.Path, g.ValueFrom)
			}
			if !strings.HasSuffix(m.Name, "_suspended") {
				continue
			}
			withSuspended[kind] = true
			if !slices.Equal(g.Path, []string{"spec", "suspend"}) || len(g.ValueFrom) != 0 || !g.NilIsZero {
				t.Errorf("%s: %s reads path %v, valueFrom %v, nilIsZero %v; want path [spec, suspend], no valueFrom, nilIsZero: true",
					kind, m.Name, g.Path, g.ValueFrom, g.NilIsZero)
			}
			if !slices.Equal(with, []float64{1}) || !slices.Equal(without, []float64{0}) {
				t.Errorf("%s: %s gives %v for a suspended object and %v for one without spec.suspend, want [1] and [0]", kind, m.Name, with, without)
			}
		}
	}
	for kind := range crds {
		if suspendable[kind] != withSuspended[kind] {
			t.Errorf("%s: spec.suspend in the CRD: %v; a _suspended metric: %v", kind, suspendable[kind], withSuspended[kind])
		}
	}
}
