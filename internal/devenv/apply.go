package devenv

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/internal/manifest"
)

// FieldManager owns the fields concordctl applies.
const FieldManager = "concordctl"

// DefaultNamespace receives namespaced objects that name none.
const DefaultNamespace = "default"

// applyOrder ranks kinds so that what is referred to exists before what
// refers to it; unknown kinds go last. ReporterBindings come before
// Measurements, which the reporter-binding policy admits only into a
// namespace that has one.
var applyOrder = map[string]int{
	"Namespace":            0,
	"ReporterBinding":      1,
	"ConfigMap":            2,
	"Evidence":             3,
	"CooperationMechanism": 4,
	"Indicator":            5,
	"Measurement":          6,
	"ActionPlan":           7,
}

// AdmissionLag bounds how long Apply retries objects that an admission
// policy refused only because it has not seen its parameter yet: the API
// server's informer for ReporterBindings lags their creation by a moment,
// and a Measurement applied right after its namespace's ReporterBinding may
// meet "no params found".
var AdmissionLag = 15 * time.Second

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
// every failure with the object's file, line, kind and name. Objects refused
// because an admission policy has not seen its parameter yet are applied
// again, in order, for up to AdmissionLag.
func Apply(ctx context.Context, c client.Client, objs []manifest.Object) error {
	objs = append([]manifest.Object(nil), objs...)
	SortForApply(objs)
	var errs []error
	lagging := map[int]error{} // index in objs -> the refusal
	for i, o := range objs {
		if err := applyOne(ctx, c, o); err != nil {
			if awaitingParams(err) {
				lagging[i] = err
			} else {
				errs = append(errs, err)
			}
		}
	}
	for deadline := time.Now().Add(AdmissionLag); len(lagging) > 0 && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return errors.Join(append(errs, ctx.Err())...)
		case <-time.After(250 * time.Millisecond):
		}
		for i, o := range objs {
			if _, ok := lagging[i]; !ok {
				continue
			}
			err := applyOne(ctx, c, o)
			switch {
			case err == nil:
				delete(lagging, i)
			case awaitingParams(err):
				lagging[i] = err
			default:
				delete(lagging, i)
				errs = append(errs, err)
			}
		}
	}
	for i, o := range objs {
		if err, ok := lagging[i]; ok {
			if o.Object.GetKind() == "Measurement" {
				err = fmt.Errorf("%w (namespace %s has no ReporterBinding named reporters, which the reporter-binding policy needs before it admits any Measurement: see docs/security.md)", err, namespaceOf(o.Object))
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// applyOne server-side applies one object; its error names the object's
// file, line, kind and name.
func applyOne(ctx context.Context, c client.Client, o manifest.Object) error {
	u := o.Object.DeepCopy()
	if u.GetNamespace() == "" {
		// As kubectl does: namespaced objects without one go to "default".
		namespaced, err := c.IsObjectNamespaced(u)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", o.Location(), o.Describe(), err)
		}
		if namespaced {
			u.SetNamespace(DefaultNamespace)
		}
	}
	ac := client.ApplyConfigurationFromUnstructured(u)
	if err := c.Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("%s: applying %s: %w", o.Location(), o.Describe(), err)
	}
	return nil
}

// awaitingParams reports whether a ValidatingAdmissionPolicy refused a
// request only for want of its parameter object: none was found (with
// parameterNotFoundAction Deny), or the informer for it has not synced.
func awaitingParams(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "ValidatingAdmissionPolicy") &&
		(strings.Contains(msg, "no params found for policy binding") || strings.Contains(msg, "not yet synced to use for admission"))
}

func namespaceOf(u *unstructured.Unstructured) string {
	if ns := u.GetNamespace(); ns != "" {
		return ns
	}
	return DefaultNamespace
}
