package controllers

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// measurementsOf lists, from the cache index, the Measurements of an
// indicator.
func (b *Base) measurementsOf(ctx context.Context, ns, indicator string) ([]v1alpha1.Measurement, error) {
	var list v1alpha1.MeasurementList
	err := b.Client.List(ctx, &list, client.InNamespace(ns), client.MatchingFields{indexIndicatorRef: indicator})
	return list.Items, err
}

// slotOf lists the Measurements of m's slot: its indicator's reports for
// the same period by the same reporter, m included. Supersession is
// decided among them. They are found through the indicator's index and
// filtered (an index of their own would cost the cache more memory than
// the few Measurements of an indicator cost to filter).
func (b *Base) slotOf(ctx context.Context, m *v1alpha1.Measurement) ([]v1alpha1.Measurement, error) {
	var list v1alpha1.MeasurementList
	err := b.Client.List(ctx, &list, client.InNamespace(m.Namespace), client.MatchingFields{indexIndicatorRef: m.Spec.IndicatorRef.Name}, client.UnsafeDisableDeepCopy)
	var out []v1alpha1.Measurement
	for i := range list.Items {
		if s := &list.Items[i]; s.Spec.Period == m.Spec.Period && s.Spec.Reporter == m.Spec.Reporter {
			out = append(out, *s.DeepCopy())
		}
	}
	return out, err
}

// inputsOf gathers from the cache what a derived indicator reaches, as
// evaluate.WalkInputs walks it (transitively, evaluate.MaxDerivedDepth
// levels deep, each name once): the input Indicators and the Measurements
// of those that take Measurements. A name absent from the namespace maps
// to an empty input. It gathers nothing for an indicator that is not
// derived.
func (b *Base) inputsOf(ctx context.Context, ind *v1alpha1.Indicator) (map[string]evaluate.InputIndicator, error) {
	out := map[string]evaluate.InputIndicator{}
	err := evaluate.WalkInputs(ind, func(name string) (*v1alpha1.Indicator, error) {
		in := &v1alpha1.Indicator{}
		found, err := b.exists(ctx, types.NamespacedName{Namespace: ind.Namespace, Name: name}, in)
		if err != nil || !found {
			out[name] = evaluate.InputIndicator{}
			return nil, err
		}
		x := evaluate.InputIndicator{Indicator: in}
		if in.Spec.Derived == nil {
			if x.Measurements, err = b.measurementsOf(ctx, ind.Namespace, name); err != nil {
				return nil, err
			}
		}
		out[name] = x
		return in, nil
	})
	return out, err
}

// dependents maps requests for Indicators to the derived Indicators that
// take values from them, directly or through other derived indicators
// (evaluate.MaxDerivedDepth levels up), through the index of derived
// inputs: the work grows with the indicators that name an input, not with
// the namespace. The requests given come first.
func (b *Base) dependents(ctx context.Context, reqs []reconcile.Request) []reconcile.Request {
	seen := map[types.NamespacedName]bool{}
	for _, r := range reqs {
		seen[r.NamespacedName] = true
	}
	out, level := reqs, reqs
	for depth := 0; depth < evaluate.MaxDerivedDepth && len(level) > 0; depth++ {
		var next []reconcile.Request
		for _, r := range level {
			var list v1alpha1.IndicatorList
			if err := b.Client.List(ctx, &list, client.InNamespace(r.Namespace), client.MatchingFields{indexDerivedInputs: r.Name}); err != nil {
				return out
			}
			for _, d := range requests(list.Items) {
				if !seen[d.NamespacedName] {
					seen[d.NamespacedName] = true
					next = append(next, d)
				}
			}
		}
		out, level = append(out, next...), next
	}
	return out
}

// evidenceFor fetches the Evidence the measurements reference, by name.
func (b *Base) evidenceFor(ctx context.Context, ns string, ms []v1alpha1.Measurement) (map[string]*v1alpha1.Evidence, error) {
	out := map[string]*v1alpha1.Evidence{}
	for _, m := range ms {
		for _, ref := range m.Spec.EvidenceRefs {
			if _, done := out[ref.Name]; done {
				continue
			}
			e := &v1alpha1.Evidence{}
			err := b.Client.Get(ctx, types.NamespacedName{Namespace: ns, Name: ref.Name}, e)
			switch {
			case apierrors.IsNotFound(err):
				continue
			case err != nil:
				return nil, err
			}
			out[ref.Name] = e
		}
	}
	return out, nil
}

// exists reports whether an object is in the cache.
func (b *Base) exists(ctx context.Context, key types.NamespacedName, obj client.Object) (bool, error) {
	err := b.Client.Get(ctx, key, obj)
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// requests turns objects into reconcile requests.
func requests[T any, P interface {
	*T
	client.Object
}](items []T) []reconcile.Request {
	out := make([]reconcile.Request, 0, len(items))
	for i := range items {
		o := P(&items[i])
		out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
	}
	return out
}

// mechanismEvidence fetches a mechanism's Evidence: its instruments' by
// name and its minutes by the meeting selector.
func (b *Base) mechanismEvidence(ctx context.Context, mech *v1alpha1.CooperationMechanism) ([]v1alpha1.Evidence, error) {
	var out []v1alpha1.Evidence
	for _, inst := range mech.Spec.Instruments {
		if inst.EvidenceRef == nil {
			continue
		}
		e := &v1alpha1.Evidence{}
		found, err := b.exists(ctx, types.NamespacedName{Namespace: mech.Namespace, Name: inst.EvidenceRef.Name}, e)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, *e)
		}
	}
	if m := mech.Spec.Meetings; m != nil {
		if sel, err := metav1.LabelSelectorAsSelector(m.EvidenceSelector.Meta()); err == nil {
			var minutes v1alpha1.EvidenceList
			if err := b.Client.List(ctx, &minutes, client.InNamespace(mech.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
				return nil, err
			}
			out = append(out, minutes.Items...)
		}
	}
	return out, nil
}

// mechanismsOfEvidence lists the mechanisms of an Evidence's namespace
// whose instruments name it (index) or whose meeting selector matches it.
// Selectors cannot be indexed; a namespace holds few mechanisms.
func (b *Base) mechanismsOfEvidence(ctx context.Context, o client.Object) []v1alpha1.CooperationMechanism {
	var byRef v1alpha1.CooperationMechanismList
	if err := b.Client.List(ctx, &byRef, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexInstrumentRefs: o.GetName()}); err != nil {
		return nil
	}
	out := byRef.Items
	var all v1alpha1.CooperationMechanismList
	if err := b.Client.List(ctx, &all, client.InNamespace(o.GetNamespace())); err != nil {
		return out
	}
	for _, m := range all.Items {
		if m.Spec.Meetings == nil {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(m.Spec.Meetings.EvidenceSelector.Meta())
		if err == nil && !sel.Empty() && sel.Matches(labels.Set(o.GetLabels())) {
			out = append(out, m)
		}
	}
	return out
}
