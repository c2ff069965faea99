package validate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/evidence"
	"github.com/concord-operator/concord/internal/parallel"
)

// crossCheck makes the checks between the objects of the input that the API
// server cannot make, on the last accepted version of each object (the
// state after applying the input in order). References resolve in the referrer's
// namespace. Missing referents and Measurements their Indicator rejects
// (at now) are errors; ConfigMaps of evidence are warnings (they are often
// managed apart from the manifests), and so are times after now that the
// cluster will not count.
func crossCheck(entries []*entry, lines *lineFinder, now time.Time) (errs, warnings []Issue) {
	x := newIndex(entries)
	// The checks read the index only: they run on every core, and their
	// findings are reported in input order.
	ferrs := make([]field.ErrorList, len(x.last))
	fwarns := make([]field.ErrorList, len(x.last))
	parallel.Each(len(x.last), func(i int) {
		e := x.last[i]
		switch o := x.typed[e].(type) {
		case *v1alpha1.Measurement:
			ferrs[i] = x.measurement(e, o, now)
			fwarns[i] = measurementTimes(o, now)
		case *v1alpha1.Indicator:
			ferrs[i] = x.indicator(e, o)
		case *v1alpha1.CooperationMechanism:
			ferrs[i] = x.mechanism(e, o)
		case *v1alpha1.Evidence:
			fwarns[i] = append(x.evidence(e, o), evidenceTimes(o, now)...)
		}
	})
	for i, e := range x.last {
		for _, fe := range ferrs[i] {
			errs = append(errs, issue(e, fe, lines))
		}
		for _, fe := range fwarns[i] {
			warnings = append(warnings, issue(e, fe, lines))
		}
	}
	return errs, warnings
}

// index holds the last version of every object of the input, decoded.
type index struct {
	last  []*entry // the version of each object that stands, in input order
	byKey map[key]*entry
	typed map[*entry]runtime.Object
}

var group = v1alpha1.GroupVersion.Group

func newIndex(entries []*entry) *index {
	x := &index{byKey: map[key]*entry{}, typed: map[*entry]runtime.Object{}}
	for _, e := range entries {
		// The last accepted version stands: a refused update leaves the
		// object as it was.
		if prev := x.byKey[e.key]; prev == nil || e.accepted || !prev.accepted {
			x.byKey[e.key] = e
		}
	}
	for _, e := range entries {
		if x.byKey[e.key] == e {
			x.last = append(x.last, e)
		}
	}
	// An object whose fields have the wrong types is reported by schema
	// validation; its references are not checked.
	parallel.Each(len(x.last), func(i int) {
		if e := x.last[i]; !e.decoded {
			e.decode()
		}
	})
	for _, e := range x.last {
		if e.typed != nil {
			x.typed[e] = e.typed
		}
	}
	return x
}

// typedOf returns an empty object of the entry's type, for the kinds the
// checks read, or nil.
func typedOf(e *entry) runtime.Object {
	var into runtime.Object
	switch {
	case e.key.group == "" && e.key.kind == "ConfigMap":
		into = &corev1.ConfigMap{}
	case e.key.group != group || !e.concord:
	case e.key.kind == "Indicator":
		into = &v1alpha1.Indicator{}
	case e.key.kind == "Measurement":
		into = &v1alpha1.Measurement{}
	case e.key.kind == "Evidence":
		into = &v1alpha1.Evidence{}
	case e.key.kind == "CooperationMechanism":
		into = &v1alpha1.CooperationMechanism{}
	}
	return into
}

// lookup returns the last version of kind namespace/name, or nil.
func (x *index) lookup(kind, namespace, name string) *entry {
	g := group
	if kind == "ConfigMap" {
		g = ""
	}
	return x.byKey[key{group: g, kind: kind, namespace: namespace, name: name}]
}

func notFound(p *field.Path, kind, namespace, name string) *field.Error {
	return &field.Error{Type: field.ErrorTypeNotFound, Field: p.String(), BadValue: name,
		Detail: fmt.Sprintf("no %s %s/%s in the input", kind, namespace, name)}
}

// measurement: the indicator exists, the breakdown uses its dimensions and
// the categories of its closed dimensions, the indicator accepts the
// measurement's content, the Evidence referred to exists.
func (x *index) measurement(e *entry, m *v1alpha1.Measurement, now time.Time) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	ns := e.key.namespace
	if name := m.Spec.IndicatorRef.Name; name != "" {
		ie := x.lookup("Indicator", ns, name)
		if ie == nil {
			errs = append(errs, notFound(spec.Child("indicatorRef", "name"), "Indicator", ns, name))
		} else if ind, ok := x.typed[ie].(*v1alpha1.Indicator); ok {
			berrs := breakdown(spec.Child("breakdown"), m.Spec.Breakdown, ind)
			errs = append(errs, berrs...)
			// Objects the API server refuses are reported as such; they
			// are not evaluated.
			if e.accepted && ie.accepted {
				errs = append(errs, accepted(ind, m, now, len(berrs) > 0)...)
			}
		}
	}
	for i, ref := range m.Spec.EvidenceRefs {
		if x.lookup("Evidence", ns, ref.Name) == nil {
			errs = append(errs, notFound(spec.Child("evidenceRefs").Index(i).Child("name"), "Evidence", ns, ref.Name))
		}
	}
	return errs
}

// accepted asks the controllers' evaluator whether the indicator accepts
// the measurement's content at now, and returns its content rejections
// (PeriodMismatch, ValueInvalid, BreakdownInconsistent, and
// IndicatorIsDerived: an indicator that computes its values takes no
// Measurements) as an error at the
// field at fault, with the message of the Accepted condition. Unknown
// dimensions and categories are left to breakdown when it reported them.
// Other reasons are not errors: approval may come, and a report time in
// the future is a warning of its own (measurementTimes), so the evaluator
// is asked without it, lest it hide the content's verdict.
func accepted(ind *v1alpha1.Indicator, m *v1alpha1.Measurement, now time.Time, categoriesReported bool) field.ErrorList {
	content := m.DeepCopy()
	content.Spec.ReportTime = nil
	c := evaluate.Accept(ind, content, now)
	if c.Status != metav1.ConditionFalse {
		return nil
	}
	var at string
	switch c.Reason {
	case v1alpha1.ReasonPeriodMismatch:
		at = "spec.period"
	case v1alpha1.ReasonValueInvalid:
		at = "spec.value"
		if m.Spec.Value == nil {
			at = "spec.numerator"
		}
	case v1alpha1.ReasonBreakdownInconsistent:
		if categoriesReported {
			return nil
		}
		at = "spec.breakdown"
	case v1alpha1.ReasonIndicatorIsDerived:
		at = "spec.indicatorRef.name"
	default:
		return nil
	}
	return field.ErrorList{{Type: field.ErrorTypeInvalid, Field: at, BadValue: verbatim{},
		Detail: fmt.Sprintf("%s (the cluster will set Accepted False, %s)", c.Message, c.Reason)}}
}

// measurementTimes warns of a reportTime, and of inline evidence's
// collectionTimes, that lie in the future: the cluster, whose clock is the
// creationTimestamp, will not count them.
func measurementTimes(m *v1alpha1.Measurement, now time.Time) field.ErrorList {
	var warns field.ErrorList
	spec := field.NewPath("spec")
	if t := m.Spec.ReportTime; t != nil && inFuture(t.Time, now) {
		warns = append(warns, future(spec.Child("reportTime"), t.Time,
			"a report cannot come from the future; the cluster will set the Measurement Accepted False, "+v1alpha1.ReasonReportTimeInFuture+", and not count it"))
	}
	for i, ev := range m.Spec.Evidence {
		if t := ev.CollectionTime; t != nil && inFuture(t.Time, now) {
			warns = append(warns, future(spec.Child("evidence").Index(i).Child("collectionTime"), t.Time, evidenceInFuture))
		}
	}
	return warns
}

// evidenceTimes warns of an Evidence collected in the future.
func evidenceTimes(e *v1alpha1.Evidence, now time.Time) field.ErrorList {
	if t := e.Spec.CollectionTime; !t.IsZero() && inFuture(t.Time, now) {
		return field.ErrorList{future(field.NewPath("spec", "collectionTime"), t.Time, evidenceInFuture)}
	}
	return nil
}

const evidenceInFuture = "evidence cannot be collected in the future; the cluster will not count it"

// inFuture: t lies after now plus the clock skew the cluster allows.
func inFuture(t, now time.Time) bool { return t.After(now.Add(evaluate.ClockSkew)) }

func future(p *field.Path, t time.Time, consequence string) *field.Error {
	return &field.Error{Type: field.ErrorTypeInvalid, Field: p.String(), BadValue: verbatim{},
		Detail: fmt.Sprintf("%s lies in the future (more than %s after now): %s", t.UTC().Format(time.RFC3339), minutes(evaluate.ClockSkew), consequence)}
}

// minutes writes a duration of whole minutes as "5 minutes".
func minutes(d time.Duration) string {
	switch {
	case d%time.Minute != 0:
		return d.String()
	case d == time.Minute:
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}

func breakdown(p *field.Path, cells []v1alpha1.BreakdownCell, ind *v1alpha1.Indicator) field.ErrorList {
	var errs field.ErrorList
	dims := map[string]v1alpha1.Disaggregation{}
	var names []string
	for _, d := range ind.Spec.Disaggregations {
		dims[d.Dimension] = d
		names = append(names, fmt.Sprintf("%q", d.Dimension))
	}
	for i, cell := range cells {
		cp := p.Index(i).Child("categories")
		keys := make([]string, 0, len(cell.Categories))
		for k := range cell.Categories {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, dim := range keys {
			cat := string(cell.Categories[dim])
			d, ok := dims[dim]
			if !ok {
				declared := "it declares no disaggregations"
				if len(names) > 0 {
					declared = "it declares " + strings.Join(names, ", ")
				}
				errs = append(errs, field.Invalid(cp.Key(dim), dim, fmt.Sprintf("not a dimension of Indicator %s/%s: %s", ind.Namespace, ind.Name, declared)))
				continue
			}
			if len(d.Categories) > 0 && !contains(d.Categories, cat) {
				errs = append(errs, field.NotSupported(cp.Child(dim), cat, d.Categories))
			}
		}
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// indicator: the mechanism referred to exists, and so do derived inputs,
// as the evaluator judges them.
func (x *index) indicator(e *entry, ind *v1alpha1.Indicator) field.ErrorList {
	errs := x.derivedInputs(e, ind)
	ref := ind.Spec.MechanismRef
	if ref == nil || ref.Name == "" || x.lookup("CooperationMechanism", e.key.namespace, ref.Name) != nil {
		return errs
	}
	return append(field.ErrorList{notFound(field.NewPath("spec", "mechanismRef", "name"), "CooperationMechanism", e.key.namespace, ref.Name)}, errs...)
}

// derivedInputs asks the controllers' evaluator what keeps a derived
// indicator from being evaluated, and reports its own problems (not those
// of its inputs, which are reported on them) at the input at fault: an
// input absent from the set (the cluster: Ready False, InputNotFound), a
// cycle through it, an input of another cadence, calendar or measure, an
// undeclared category (Stalled True, InvalidSpec). An indicator the API
// server refuses, or one whose inputs it refuses, is not checked.
func (x *index) derivedInputs(e *entry, ind *v1alpha1.Indicator) field.ErrorList {
	if ind.Spec.Derived == nil || !e.accepted {
		return nil
	}
	unsure := false
	lookup := func(name string) *v1alpha1.Indicator {
		ie := x.lookup("Indicator", e.key.namespace, name)
		if ie == nil {
			return nil
		}
		in, ok := x.typed[ie].(*v1alpha1.Indicator)
		if !ok || !ie.accepted {
			unsure = true
			return nil
		}
		return in
	}
	problems := evaluate.CheckInputs(ind, lookup)
	if unsure {
		return nil
	}
	var errs field.ErrorList
	inputs := field.NewPath("spec", "derived", "inputs")
	for _, p := range problems {
		if !p.Own {
			continue
		}
		at := inputs.Index(p.Input)
		for _, f := range strings.Split(p.Field, ".") {
			at = at.Child(f)
		}
		name := ind.Spec.Derived.Inputs[p.Input].Name
		if p.Reason == v1alpha1.ReasonInputNotFound {
			errs = append(errs, notFound(at, "Indicator", e.key.namespace, name))
			continue
		}
		errs = append(errs, &field.Error{Type: field.ErrorTypeInvalid, Field: at.String(), BadValue: verbatim{},
			Detail: fmt.Sprintf("%s (the cluster will set Stalled True, %s)", p.Message, p.Reason)})
	}
	return errs
}

// mechanism: the Evidence of each instrument exists.
func (x *index) mechanism(e *entry, m *v1alpha1.CooperationMechanism) field.ErrorList {
	var errs field.ErrorList
	for i, in := range m.Spec.Instruments {
		if in.EvidenceRef == nil || in.EvidenceRef.Name == "" {
			continue
		}
		if x.lookup("Evidence", e.key.namespace, in.EvidenceRef.Name) == nil {
			errs = append(errs, notFound(field.NewPath("spec", "instruments").Index(i).Child("evidenceRef", "name"), "Evidence", e.key.namespace, in.EvidenceRef.Name))
		}
	}
	return errs
}

// evidence: a ConfigMap source is in the input, labelled for Concord and
// holds the key (warnings: the ConfigMap may be managed elsewhere).
func (x *index) evidence(e *entry, ev *v1alpha1.Evidence) field.ErrorList {
	src := ev.Spec.Source.ConfigMap
	if ev.Spec.Source.Type != v1alpha1.SourceConfigMap || src == nil || src.Name == "" {
		return nil
	}
	p := field.NewPath("spec", "source", "configMap")
	ns := e.key.namespace
	ce := x.lookup("ConfigMap", ns, src.Name)
	if ce == nil {
		return field.ErrorList{notFound(p.Child("name"), "ConfigMap", ns, src.Name)}
	}
	cm, ok := x.typed[ce].(*corev1.ConfigMap)
	if !ok {
		return nil
	}
	var warns field.ErrorList
	if cm.Labels[evidence.Label] != "true" {
		warns = append(warns, field.Invalid(p.Child("name"), src.Name, fmt.Sprintf("ConfigMap %s/%s (%s) lacks the label %s: \"true\"; Concord does not read it", ns, src.Name, ce.src.Location(), evidence.Label)))
	}
	if src.Key != "" {
		_, inData := cm.Data[src.Key]
		_, inBinary := cm.BinaryData[src.Key]
		if !inData && !inBinary {
			warns = append(warns, &field.Error{Type: field.ErrorTypeNotFound, Field: p.Child("key").String(), BadValue: src.Key,
				Detail: fmt.Sprintf("ConfigMap %s/%s (%s) has no such key in data or binaryData", ns, src.Name, ce.src.Location())})
		}
	}
	return warns
}
