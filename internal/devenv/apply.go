package devenv

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/internal/manifest"
)

// FieldManager owns the fields concordctl applies.
const FieldManager = "concordctl"

// DefaultNamespace receives namespaced objects that name none.
const DefaultNamespace = "default"

// applyOrder ranks kinds so that what is referred to exists before what
// refers to it; unknown kinds go last.
var applyOrder = map[string]int{
	"Namespace":            0,
	"ConfigMap":            1,
	"Evidence":             2,
	"CooperationMechanism": 3,
	"Indicator":            4,
	"Measurement":          5,
	"ActionPlan":           6,
}

// SortForApply orders objects by applyOrder, keeping file order otherwise.
func SortForApply(objs []manifest.Object) {
	rank := func(o manifest.Object) int {
		if r, ok := applyOrder[o.Object.GetKind()]; ok {
			return r
		}
		return len(applyOrder)
	}
	sort.SliceStable(objs, func(i, j int) bool { return rank(objs[i]) < rank(objs[j]) })
}

// Apply server-side applies every object, in dependency order, and returns
// every failure with the object's file, line, kind and name.
func Apply(ctx context.Context, c client.Client, objs []manifest.Object) error {
	objs = append([]manifest.Object(nil), objs...)
	SortForApply(objs)
	var errs []error
	for _, o := range objs {
		u := o.Object.DeepCopy()
		if u.GetNamespace() == "" {
			// As kubectl does: namespaced objects without one go to "default".
			namespaced, err := c.IsObjectNamespaced(u)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %s: %w", o.Location(), o.Describe(), err))
				continue
			}
			if namespaced {
				u.SetNamespace(DefaultNamespace)
			}
		}
		ac := client.ApplyConfigurationFromUnstructured(u)
		if err := c.Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
			errs = append(errs, fmt.Errorf("%s: applying %s: %w", o.Location(), o.Describe(), err))
		}
	}
	return errors.Join(errs...)
}
