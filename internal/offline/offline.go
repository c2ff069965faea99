// Package offline evaluates a set of manifests without a cluster, with the
// same functions the controllers call, so that CI sees the verdict the
// cluster will compute. ConfigMap evidence is digested from the ConfigMaps
// in the set; URL evidence is not fetched and stays Pending.
package offline

import (
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/evidence"
	"github.com/concord-operator/concord/internal/manifest"
)

// Result is one evaluated Concord object and where it was read from.
type Result struct {
	Source manifest.Object
	Object client.Object
}

// Set is a decoded set of manifests, indexed by namespace.
type Set struct {
	Indicators   []*v1alpha1.Indicator
	Measurements []*v1alpha1.Measurement
	Evidence     []*v1alpha1.Evidence
	Mechanisms   []*v1alpha1.CooperationMechanism
	Plans        []*v1alpha1.ActionPlan
	ConfigMaps   []*corev1.ConfigMap
	Namespaces   []corev1.Namespace
	order        []Result
	// byIndicator and indicators index the Measurements and Indicators by
	// namespace and name while Evaluate runs, so that it grows with the
	// set, not with its square.
	byIndicator map[types.NamespacedName][]*v1alpha1.Measurement
	indicators  map[types.NamespacedName]*v1alpha1.Indicator
}

// Decode converts manifests to typed objects. Objects without a namespace
// go to "default", as kubectl would put them. Kinds other than Concord's,
// ConfigMaps and Namespaces are ignored.
func Decode(objs []manifest.Object) (*Set, error) {
	s := &Set{}
	var errs []error
	for _, o := range objs {
		typed, err := s.decodeOne(o)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", o.Location(), o.Describe(), err))
			continue
		}
		if _, ok := typed.(*corev1.ConfigMap); ok || typed == nil {
			continue
		}
		if _, ok := typed.(*corev1.Namespace); !ok {
			s.order = append(s.order, Result{Source: o, Object: typed})
		}
	}
	return s, errors.Join(errs...)
}

func (s *Set) decodeOne(o manifest.Object) (client.Object, error) {
	gvk := o.GVK()
	into := newObject(gvk.Group, gvk.Kind)
	if into == nil {
		return nil, nil
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(o.Object.Object, into, true); err != nil {
		return nil, err
	}
	if into.GetNamespace() == "" && gvk.Kind != "Namespace" {
		into.SetNamespace("default")
	}
	s.Add(into)
	return into, nil
}

func newObject(group, kind string) client.Object {
	switch {
	case group == "" && kind == "ConfigMap":
		return &corev1.ConfigMap{}
	case group == "" && kind == "Namespace":
		return &corev1.Namespace{}
	case group != v1alpha1.GroupVersion.Group:
		return nil
	}
	switch kind {
	case "Indicator":
		return &v1alpha1.Indicator{}
	case "Measurement":
		return &v1alpha1.Measurement{}
	case "Evidence":
		return &v1alpha1.Evidence{}
	case "CooperationMechanism":
		return &v1alpha1.CooperationMechanism{}
	case "ActionPlan":
		return &v1alpha1.ActionPlan{}
	}
	return nil
}

// Add puts a typed object (a Concord kind, a ConfigMap or a Namespace)
// into the set without decoding it; objects of other types are ignored.
// Evaluate returns only decoded objects, in their order: read an added
// object's status from the object itself.
func (s *Set) Add(o client.Object) {
	switch t := o.(type) {
	case *v1alpha1.Indicator:
		s.Indicators = append(s.Indicators, t)
	case *v1alpha1.Measurement:
		s.Measurements = append(s.Measurements, t)
	case *v1alpha1.Evidence:
		s.Evidence = append(s.Evidence, t)
	case *v1alpha1.CooperationMechanism:
		s.Mechanisms = append(s.Mechanisms, t)
	case *v1alpha1.ActionPlan:
		s.Plans = append(s.Plans, t)
	case *corev1.ConfigMap:
		s.ConfigMaps = append(s.ConfigMaps, t)
	case *corev1.Namespace:
		s.Namespaces = append(s.Namespaces, *t)
	}
}

// Evaluate computes the status of every Concord object of the set at now,
// in dependency order (Evidence, Measurements and Indicators, mechanisms,
// plans), and returns them in input order.
func (s *Set) Evaluate(now time.Time) []Result {
	s.index()
	for _, e := range s.Evidence {
		e.Status, _ = evaluate.Evidence(e, s.observe(e), now)
	}
	evidence := s.evidenceByNamespace()
	for _, ind := range s.Indicators {
		in := evaluate.IndicatorInput{
			Indicator: ind, Measurements: s.measurementsOf(ind.Namespace, ind.Name),
			Evidence: evidence[ind.Namespace], MechanismFound: s.mechanismExists(ind), Inputs: s.inputsOf(ind),
		}
		if ind.Spec.Measure.FromMechanism != "" {
			in.Mechanism, in.MechanismEvidence = s.mechanism(ind), values(s.Evidence, ind.Namespace)
		}
		ind.Status, _ = evaluate.Indicator(in, now)
	}
	for _, m := range s.Measurements {
		ind := s.indicator(m.Namespace, m.Spec.IndicatorRef.Name)
		m.Status, _ = evaluate.Measurement(evaluate.MeasurementInput{
			Measurement: m, Indicator: ind, Siblings: s.measurementsOf(m.Namespace, m.Spec.IndicatorRef.Name), Evidence: evidence[m.Namespace],
		}, now)
	}
	for _, mech := range s.Mechanisms {
		mech.Status, _ = evaluate.Mechanism(evaluate.MechanismInput{
			Mechanism: mech, Evidence: values(s.Evidence, mech.Namespace), Indicators: values(s.Indicators, mech.Namespace),
		}, now)
	}
	for _, p := range s.Plans {
		s.evaluatePlan(p, now)
	}
	return s.order
}

// evaluatePlan selects the plan's objects; a selector that does not parse
// is reported by evaluate.Plan as InvalidSpec.
func (s *Set) evaluatePlan(p *v1alpha1.ActionPlan, now time.Time) {
	in := evaluate.PlanInput{Plan: p}
	nss, err := evaluate.PlanNamespaces(p, s.Namespaces)
	if err == nil {
		in.Indicators, err = evaluate.SelectIndicators(p, nss, values(s.Indicators, ""))
	}
	if err == nil {
		in.Mechanisms, err = evaluate.SelectMechanisms(p, nss, values(s.Mechanisms, ""))
	}
	if err != nil {
		in.Indicators, in.Mechanisms = nil, nil
	}
	p.Status, _ = evaluate.Plan(in, now)
}

// observe digests a ConfigMap source found in the set.
func (s *Set) observe(e *v1alpha1.Evidence) evaluate.Observation {
	src := e.Spec.Source
	switch src.Type {
	case v1alpha1.SourceAttestation:
		return evaluate.Observation{}
	case v1alpha1.SourceURL:
		return evaluate.Observation{Pending: true}
	}
	if src.ConfigMap == nil {
		return evaluate.Observation{FailReason: v1alpha1.ReasonSourceNotFound, FailMessage: "source.configMap is not set"}
	}
	for _, cm := range s.ConfigMaps {
		if cm.Namespace == e.Namespace && cm.Name == src.ConfigMap.Name {
			return evidence.ObserveConfigMap(cm, src.ConfigMap.Key)
		}
	}
	return evidence.MissingConfigMap(src.ConfigMap.Name, e.Namespace)
}

func (s *Set) evidenceByNamespace() map[string]map[string]*v1alpha1.Evidence {
	out := map[string]map[string]*v1alpha1.Evidence{}
	for _, e := range s.Evidence {
		if out[e.Namespace] == nil {
			out[e.Namespace] = map[string]*v1alpha1.Evidence{}
		}
		out[e.Namespace][e.Name] = e
	}
	return out
}

// index builds byIndicator (Measurements in input order) and indicators
// (the first of a repeated name, as a search in input order finds).
func (s *Set) index() {
	s.byIndicator = make(map[types.NamespacedName][]*v1alpha1.Measurement, len(s.Indicators))
	for _, m := range s.Measurements {
		k := types.NamespacedName{Namespace: m.Namespace, Name: m.Spec.IndicatorRef.Name}
		s.byIndicator[k] = append(s.byIndicator[k], m)
	}
	s.indicators = make(map[types.NamespacedName]*v1alpha1.Indicator, len(s.Indicators))
	for _, ind := range s.Indicators {
		k := types.NamespacedName{Namespace: ind.Namespace, Name: ind.Name}
		if _, dup := s.indicators[k]; !dup {
			s.indicators[k] = ind
		}
	}
}

func (s *Set) measurementsOf(ns, indicator string) []v1alpha1.Measurement {
	var out []v1alpha1.Measurement
	for _, m := range s.byIndicator[types.NamespacedName{Namespace: ns, Name: indicator}] {
		out = append(out, *m)
	}
	return out
}

// inputsOf gathers what a derived indicator reaches, as the controllers
// do (evaluate.WalkInputs). The derived values come from the inputs'
// Measurements, not their status, so the order of evaluation does not
// matter.
func (s *Set) inputsOf(ind *v1alpha1.Indicator) map[string]evaluate.InputIndicator {
	if ind.Spec.Derived == nil {
		return nil
	}
	out := map[string]evaluate.InputIndicator{}
	_ = evaluate.WalkInputs(ind, func(name string) (*v1alpha1.Indicator, error) {
		in := s.indicator(ind.Namespace, name)
		x := evaluate.InputIndicator{Indicator: in}
		if in != nil && in.Spec.Derived == nil {
			x.Measurements = s.measurementsOf(ind.Namespace, name)
		}
		out[name] = x
		return in, nil
	})
	return out
}

func (s *Set) indicator(ns, name string) *v1alpha1.Indicator {
	return s.indicators[types.NamespacedName{Namespace: ns, Name: name}]
}

func (s *Set) mechanismExists(ind *v1alpha1.Indicator) bool {
	return ind.Spec.MechanismRef == nil || s.mechanism(ind) != nil
}

// mechanism is the CooperationMechanism an Indicator names, or nil.
func (s *Set) mechanism(ind *v1alpha1.Indicator) *v1alpha1.CooperationMechanism {
	if ind.Spec.MechanismRef == nil {
		return nil
	}
	for _, m := range s.Mechanisms {
		if m.Namespace == ind.Namespace && m.Name == ind.Spec.MechanismRef.Name {
			return m
		}
	}
	return nil
}

// values copies the objects of a namespace ("" for all).
func values[T any, P interface {
	*T
	client.Object
}](objs []P, ns string) []T {
	var out []T
	for _, o := range objs {
		if ns == "" || o.GetNamespace() == ns {
			out = append(out, *o)
		}
	}
	return out
}
