package controllers

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
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
