package controllers

import (
	"context"
	"slices"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Cache field indexes that follow the references between kinds, so that a
// change maps to the objects it affects without listing everything.
const (
	indexIndicatorRef   = "spec.indicatorRef.name"
	indexEvidenceRefs   = "spec.evidenceRefs.name"
	indexMechanismRef   = "spec.mechanismRef.name"
	indexConfigMapName  = "spec.source.configMap.name"
	indexInstrumentRefs = "spec.instruments.evidenceRef.name"
	indexDerivedInputs  = "spec.derived.inputs.name"
)

// indexer is the part of a manager that registers field indexes.
type indexer interface {
	IndexField(ctx context.Context, obj client.Object, field string, extract client.IndexerFunc) error
}

// addIndexes registers every index the reconcilers use.
func addIndexes(ctx context.Context, idx indexer) error {
	for _, i := range []struct {
		obj     client.Object
		field   string
		extract client.IndexerFunc
	}{
		{&v1alpha1.Measurement{}, indexIndicatorRef, func(o client.Object) []string {
			return []string{o.(*v1alpha1.Measurement).Spec.IndicatorRef.Name}
		}},
		{&v1alpha1.Measurement{}, indexEvidenceRefs, func(o client.Object) []string {
			var names []string
			for _, r := range o.(*v1alpha1.Measurement).Spec.EvidenceRefs {
				names = append(names, r.Name)
			}
			return names
		}},
		{&v1alpha1.Indicator{}, indexMechanismRef, func(o client.Object) []string {
			if r := o.(*v1alpha1.Indicator).Spec.MechanismRef; r != nil {
				return []string{r.Name}
			}
			return nil
		}},
		{&v1alpha1.Indicator{}, indexDerivedInputs, derivedInputNames},
		{&v1alpha1.Evidence{}, indexConfigMapName, func(o client.Object) []string {
			if cm := o.(*v1alpha1.Evidence).Spec.Source.ConfigMap; cm != nil {
				return []string{cm.Name}
			}
			return nil
		}},
		{&v1alpha1.CooperationMechanism{}, indexInstrumentRefs, func(o client.Object) []string {
			var names []string
			for _, in := range o.(*v1alpha1.CooperationMechanism).Spec.Instruments {
				if in.EvidenceRef != nil {
					names = append(names, in.EvidenceRef.Name)
				}
			}
			return names
		}},
	} {
		if err := idx.IndexField(ctx, i.obj, i.field, i.extract); err != nil {
			return err
		}
	}
	return nil
}

// derivedInputNames are the names a derived indicator takes values from,
// each once (an input may be named twice, with different categories).
func derivedInputNames(o client.Object) []string {
	d := o.(*v1alpha1.Indicator).Spec.Derived
	if d == nil {
		return nil
	}
	var names []string
	for _, in := range d.Inputs {
		if !slices.Contains(names, in.Name) {
			names = append(names, in.Name)
		}
	}
	return names
}
