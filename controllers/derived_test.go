package controllers

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func derivedFixture(name string, inputs ...string) *v1alpha1.Indicator {
	ind := measuredFixture(name)
	ind.Spec.Derived = &v1alpha1.Derived{Operation: v1alpha1.DerivedSum}
	for _, in := range inputs {
		ind.Spec.Derived.Inputs = append(ind.Spec.Derived.Inputs, v1alpha1.DerivedInput{Name: in})
	}
	return ind
}

func measuredFixture(name string) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", Generation: 1, CreationTimestamp: metav1.NewTime(time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))},
		Spec: v1alpha1.IndicatorSpec{Title: name, Area: v1alpha1.AreaProtection, Cadence: v1alpha1.CadenceQuarterly,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureCount}},
	}
}

// indexedClient is a fake client with the reconcilers' field indexes that
// refuses to list Indicators or Measurements without one, as a guard
// against work that grows with the namespace.
func indexedClient(t *testing.T, objs ...client.Object) client.Client {
	t.Helper()
	scheme := runtime.NewScheme()
	_ = v1alpha1.AddToScheme(scheme)
	b := fake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).WithStatusSubresource(&v1alpha1.Indicator{})
	b = b.WithIndex(&v1alpha1.Indicator{}, indexDerivedInputs, derivedInputNames).
		WithIndex(&v1alpha1.Measurement{}, indexIndicatorRef, func(o client.Object) []string {
			return []string{o.(*v1alpha1.Measurement).Spec.IndicatorRef.Name}
		}).
		WithIndex(&v1alpha1.Measurement{}, indexEvidenceRefs, func(client.Object) []string { return nil })
	return interceptor.NewClient(b.Build().(client.WithWatch), interceptor.Funcs{
		List: func(ctx context.Context, c client.WithWatch, list client.ObjectList, opts ...client.ListOption) error {
			var o client.ListOptions
			o.ApplyOptions(opts)
			if o.FieldSelector == nil || o.FieldSelector.Empty() {
				t.Errorf("a %T was listed without a field index", list)
				return errors.New("listed without an index")
			}
			return c.List(ctx, list, opts...)
		},
	})
}

func names(reqs []reconcile.Request) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Name)
	}
	return out
}

// TestDependentsFollowTheIndex: a change to an indicator maps to the
// derived indicators that take values from it, directly or through
// others, once each, through the index; a cycle ends.
func TestDependentsFollowTheIndex(t *testing.T) {
	c := indexedClient(t,
		measuredFixture("disciplined"), measuredFixture("investigated"), measuredFixture("unrelated"),
		derivedFixture("share", "disciplined", "investigated"),
		derivedFixture("share-twice", "disciplined", "disciplined"),
		derivedFixture("top", "share", "investigated"),
		derivedFixture("loop-a", "loop-b", "top"), derivedFixture("loop-b", "loop-a"),
		derivedFixture("elsewhere", "unrelated"))
	b := &Base{Client: c}
	got := names(b.dependents(context.Background(), []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "disciplined"}}}))
	want := []string{"disciplined", "share", "share-twice", "top", "loop-a", "loop-b"}
	slices.Sort(got[1:3])
	if !slices.Equal(got, want) {
		t.Errorf("dependents of disciplined: %v, want %v", got, want)
	}
	if got := names(b.dependents(context.Background(), nil)); got != nil {
		t.Errorf("dependents of nothing: %v", got)
	}
}

// TestDerivedIndicatorReconcile: the reconciler gathers the inputs and
// their Measurements (through the indexes) and writes the derived value;
// evaluated again with nothing changed, it writes nothing.
func TestDerivedIndicatorReconcile(t *testing.T) {
	share := derivedFixture("share", "disciplined", "investigated")
	share.Spec.Derived.Operation, share.Spec.Measure = v1alpha1.DerivedRatio, v1alpha1.Measure{Type: v1alpha1.MeasureRatio}
	report := func(indicator, value string) *v1alpha1.Measurement {
		created := metav1.NewTime(time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC))
		v := v1alpha1.Decimal(value)
		return &v1alpha1.Measurement{ObjectMeta: metav1.ObjectMeta{Name: indicator + "-q1", Namespace: "ns", CreationTimestamp: created},
			Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: indicator}, Period: "2026-Q1", Value: &v, Reporter: "Inspectorate"}}
	}
	c := indexedClient(t, share, measuredFixture("disciplined"), measuredFixture("investigated"), report("disciplined", "3"), report("investigated", "12"))
	writes := 0
	c = interceptor.NewClient(c.(client.WithWatch), interceptor.Funcs{
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			writes++
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		},
	})
	r := &IndicatorReconciler{Base{Client: c, Clock: clocktesting.NewFakeClock(time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC))}}
	for range 2 {
		if _, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(share)}); err != nil {
			t.Fatal(err)
		}
	}
	got := &v1alpha1.Indicator{}
	if err := c.Get(context.Background(), client.ObjectKeyFromObject(share), got); err != nil {
		t.Fatal(err)
	}
	if got.Status.Current == nil || got.Status.Current.Value != "25" || !meta.IsStatusConditionTrue(got.Status.Conditions, v1alpha1.ConditionReady) {
		t.Errorf("status %+v, want 25 and Ready", got.Status)
	}
	if writes != 1 {
		t.Errorf("%d status writes, want 1", writes)
	}
}
