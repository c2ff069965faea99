package main

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/validate"
)

// today is the day the workload's periods are chosen for.
var today = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// TestGenerateShape: N Indicators over 10 namespaces, 6 objects each, the
// names unique and the same on every call, every Measurement's breakdown
// summing to its value and referencing its Indicator's Evidence.
func TestGenerateShape(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 25})
	if got, want := w.Count(), map[string]int{"Indicator": 25, "Evidence": 25, "Measurement": 100}; !reflect.DeepEqual(got, want) {
		t.Errorf("objects per kind: got %v, want %v", got, want)
	}
	if len(w.Objects) != 25*ObjectsPerIndicator {
		t.Errorf("%d objects, want %d", len(w.Objects), 25*ObjectsPerIndicator)
	}
	if len(w.Namespaces) != 10 {
		t.Errorf("%d namespaces, want 10", len(w.Namespaces))
	}
	perNS := map[string]int{}
	seen := map[Key]bool{}
	for _, o := range w.Objects {
		k := KeyOf(o)
		if seen[k] {
			t.Errorf("%s generated twice", k)
		}
		seen[k] = true
		if k.Kind == "Indicator" {
			perNS[k.Namespace]++
		}
	}
	for _, ns := range w.Namespaces {
		if n := perNS[ns.Name]; n < 2 || n > 3 {
			t.Errorf("namespace %s holds %d Indicators, want 2 or 3 (25 over 10)", ns.Name, n)
		}
	}
	if again := Generate(WorkloadOptions{Indicators: 25}); !reflect.DeepEqual(again, w) {
		t.Error("two calls generated different workloads")
	}
	periods := map[string]int{}
	for _, o := range w.Objects {
		m, ok := o.(*v1alpha1.Measurement)
		if !ok {
			continue
		}
		periods[string(m.Spec.Period)]++
		sum := 0
		for _, c := range m.Spec.Breakdown {
			sum += atoi(t, string(*c.Value))
		}
		if v := atoi(t, string(*m.Spec.Value)); sum != v {
			t.Errorf("%s: breakdown sums to %d, value %d", m.Name, sum, v)
		}
		if ref := m.Spec.EvidenceRefs[0].Name; !seen[Key{"Evidence", m.Namespace, ref}] || ref != m.Spec.IndicatorRef.Name+"-records" {
			t.Errorf("%s references Evidence %q, not its Indicator's", m.Name, ref)
		}
		if !seen[Key{"Indicator", m.Namespace, m.Spec.IndicatorRef.Name}] {
			t.Errorf("%s references Indicator %q, not generated in its namespace", m.Name, m.Spec.IndicatorRef.Name)
		}
	}
	if want := map[string]int{"2026-Q2": 50, "2026-Q3": 50}; !reflect.DeepEqual(periods, want) {
		t.Errorf("measurements per period: %v, want %v", periods, want)
	}
}

// TestGeneratePlan: the plan option adds one ActionPlan selecting every
// namespace, each of which consents with the rollup label.
func TestGeneratePlan(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 20, Plan: true})
	if c := w.Count(); c["ActionPlan"] != 1 || len(w.Objects) != 20*ObjectsPerIndicator+1 {
		t.Fatalf("counts %v, %d objects", c, len(w.Objects))
	}
	plan := w.Objects[0].(*v1alpha1.ActionPlan)
	nss, err := evaluate.PlanNamespaces(plan, w.Namespaces)
	if err != nil {
		t.Fatal(err)
	}
	if len(nss) != 10 {
		t.Errorf("the plan rolls up %v, want all 10 namespaces", nss)
	}
	if Generate(WorkloadOptions{Indicators: 20}).Namespaces[0].Labels[evaluate.RollupLabel] != "" {
		t.Error("without a plan the namespaces carry the rollup label")
	}
}

// TestGenerateSharedEvidence: the fan-out shape has one Evidence per
// namespace, referenced by all its Measurements.
func TestGenerateSharedEvidence(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 250, Namespaces: 1, SharedEvidence: true})
	if c := w.Count(); c["Evidence"] != 1 || c["Measurement"] != 1000 || c["Indicator"] != 250 {
		t.Fatalf("counts %v", c)
	}
	for _, o := range w.Objects {
		if m, ok := o.(*v1alpha1.Measurement); ok && m.Spec.EvidenceRefs[0].Name != SharedEvidenceName {
			t.Fatalf("%s references %s", m.Name, m.Spec.EvidenceRefs[0].Name)
		}
	}
}

// TestWorkloadIsValid: the generated objects pass concordctl validate's
// checks (the CRDs' schemas and CEL rules, and the cross-object checks),
// with the plan, the new Measurements of the variants and the fan-out shape.
func TestWorkloadIsValid(t *testing.T) {
	v, err := validate.Default()
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]Workload{
		"plan":   Generate(WorkloadOptions{Indicators: 20, Plan: true}),
		"shared": Generate(WorkloadOptions{Indicators: 8, Namespaces: 2, SharedEvidence: true}),
	} {
		objs := append(append([]client.Object{}, w.Objects...), Correction(w), ThirdReporter(w))
		var docs []manifest.Object
		for i := range w.Namespaces {
			docs = append(docs, toManifest(t, &w.Namespaces[i], i))
		}
		for i, o := range objs {
			docs = append(docs, toManifest(t, o, len(w.Namespaces)+i))
		}
		r := v.Objects(context.Background(), validate.Options{CrossObject: true, Now: today}, docs)
		for _, is := range append(r.Errors, r.Warnings...) {
			t.Errorf("%s: %s", name, is)
		}
		if len(r.Skipped) > 0 {
			t.Errorf("%s: %d objects skipped", name, len(r.Skipped))
		}
	}
}

func toManifest(t *testing.T, o runtime.Object, line int) manifest.Object {
	t.Helper()
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
	if err != nil {
		t.Fatal(err)
	}
	unstructured.RemoveNestedField(u, "status")
	unstructured.RemoveNestedField(u, "metadata", "creationTimestamp")
	return manifest.Object{Source: "generated", Line: line + 1, Object: &unstructured.Unstructured{Object: u}}
}

// TestEveryObjectIsReady: internal/offline evaluates every generated object
// Ready True, every Measurement Accepted and Verified, every Indicator's
// target met with its evidence complete, and the plan counting every
// Indicator.
func TestEveryObjectIsReady(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 30, Plan: true})
	exp := Expect(w.Namespaces, w.Objects, today)
	if len(exp) != len(w.Objects) {
		t.Fatalf("%d expectations for %d objects", len(exp), len(w.Objects))
	}
	want := map[string][]string{
		"Indicator":   {"Ready=True/", "Stalled=False/", "TargetMet=True/", "EvidenceMissing=False/", "DataOverdue=False/"},
		"Measurement": {"Ready=True/", "Accepted=True/", "Superseded=False/", "Verified=True/"},
		"Evidence":    {"Ready=True/", "Verified=True/", "Expired=False/"},
		"ActionPlan":  {"Ready=True/", "scorecard=30:30:30"},
	}
	for k, e := range exp {
		for _, part := range want[k.Kind] {
			if !strings.Contains(e.Signature, part) {
				t.Errorf("%s: %q lacks %q", k, e.Signature, part)
			}
		}
	}
	ind := exp[Key{"Indicator", NamespaceName(0), IndicatorName(0)}]
	if !strings.Contains(ind.Signature, "current=2026-Q3:39:2:2") {
		t.Errorf("Indicator 0: %s, want the Q3 value 22+17 from 2 Measurements of 2 reporters", ind.Signature)
	}
}

// TestVariantsChangeWhatTheySay: the correction supersedes one Measurement
// and takes its Indicator below target; the third reporter only moves the
// value; an expired shared Evidence unverifies every Measurement.
func TestVariantsChangeWhatTheySay(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 10})
	before := Expect(w.Namespaces, w.Objects, today)
	changed := func(after map[Key]Expected) []string {
		var out []string
		for k, e := range after {
			if b, ok := before[k]; !ok || b.Signature != e.Signature {
				out = append(out, k.String())
			}
		}
		return sortedStrings(out)
	}
	c := Correction(w)
	got := changed(Expect(w.Namespaces, append(append([]client.Object{}, w.Objects...), c), today))
	want := []string{"Indicator scale-00/ind-00000", "Measurement scale-00/ind-00000-2026-q3-ministry", "Measurement scale-00/ind-00000-2026-q3-ministry-correction"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("correction changes %v, want %v", got, want)
	}
	after := Expect(w.Namespaces, append(append([]client.Object{}, w.Objects...), c), today)
	if s := after[Key{"Indicator", "scale-00", "ind-00000"}].Signature; !strings.Contains(s, "TargetMet=False") {
		t.Errorf("after the correction: %s", s)
	}
	got = changed(Expect(w.Namespaces, append(append([]client.Object{}, w.Objects...), ThirdReporter(w)), today))
	want = []string{"Indicator scale-00/ind-00000", "Measurement scale-00/ind-00000-2026-q3-labour"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("third reporter changes %v, want %v", got, want)
	}

	s := Generate(WorkloadOptions{Indicators: 5, Namespaces: 1, SharedEvidence: true})
	base := Expect(s.Namespaces, s.Objects, today)
	described := ChangeEvidence(s, EvidenceDescription)
	for k, e := range Expect(s.Namespaces, described.Objects, today) {
		if base[k].Signature != e.Signature {
			t.Errorf("a new description changes %s: %s -> %s", k, base[k].Signature, e.Signature)
		}
	}
	expired := Expect(s.Namespaces, ChangeEvidence(s, EvidenceExpired).Objects, today)
	unverified := 0
	for k, e := range expired {
		if k.Kind == "Measurement" && strings.Contains(e.Signature, "Verified=False") {
			unverified++
		}
	}
	if unverified != 20 {
		t.Errorf("%d Measurements unverified by the expired Evidence, want all 20", unverified)
	}
}

// TestConverged: the observer's test compares the generation and the
// signature, not messages or times.
func TestConverged(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 1})
	exp := Expect(w.Namespaces, w.Objects, today)
	ev := w.Objects[0].(*v1alpha1.Evidence).DeepCopy()
	ev.Generation = 1
	want := exp[KeyOf(ev)].Signature
	if Converged(ev, want) {
		t.Error("an Evidence without status converged")
	}
	ev.Status = exp[KeyOf(ev)].Status.(v1alpha1.EvidenceStatus)
	if !Converged(ev, want) {
		t.Errorf("the expected status did not converge: %s", Signature(ev))
	}
	ev.Status.Conditions[0].Message = "another message"
	ev.Status.Conditions[0].LastTransitionTime.Time = today.Add(time.Hour)
	if !Converged(ev, want) {
		t.Error("a message or a time made a difference")
	}
	ev.Generation = 2
	if Converged(ev, want) {
		t.Error("a status of an older generation converged")
	}
	ev.Status.ObservedGeneration = 2
	ev.Status.Conditions[0].Reason = "Other"
	if Converged(ev, want) {
		t.Error("another reason converged")
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("%q is not a whole number", s)
		}
		n = n*10 + int(r-'0')
	}
	return n
}
