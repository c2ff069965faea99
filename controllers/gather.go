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
)

// measurementsOf lists, from the cache index, the Measurements of an
// indicator.
func (b *Base) measurementsOf(ctx context.Context, ns, indicator string) ([]v1alpha1.Measurement, error) {
	var list v1alpha1.MeasurementList
	err := b.Client.List(ctx, &list, client.InNamespace(ns), client.MatchingFields{indexIndicatorRef: indicator})
	return list.Items, err
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
