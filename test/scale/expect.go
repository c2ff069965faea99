package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/offline"
)

// Key names an object of the workload.
type Key struct{ Kind, Namespace, Name string }

func (k Key) String() string { return k.Kind + " " + k.Namespace + "/" + k.Name }

// KeyOf returns the key of a Concord object.
func KeyOf(o client.Object) Key { return Key{KindOf(o), o.GetNamespace(), o.GetName()} }

// KindOf names the kind of a Concord object by its type (objects read from
// a cache carry no TypeMeta).
func KindOf(o client.Object) string {
	switch o.(type) {
	case *v1alpha1.Indicator:
		return "Indicator"
	case *v1alpha1.Measurement:
		return "Measurement"
	case *v1alpha1.Evidence:
		return "Evidence"
	case *v1alpha1.CooperationMechanism:
		return "CooperationMechanism"
	case *v1alpha1.ActionPlan:
		return "ActionPlan"
	}
	return fmt.Sprintf("%T", o)
}

// Kinds are the kinds the observer watches, in the order reports list them.
var Kinds = []string{"Indicator", "Measurement", "Evidence", "CooperationMechanism", "ActionPlan"}

// Expected is the status an object converges to: its signature, which the
// observer compares, and the whole status, which the floor arm patches.
type Expected struct {
	Signature string
	// Status is the object's status struct (v1alpha1.IndicatorStatus, ...).
	Status any
}

// Expect evaluates the objects with internal/offline at now, the
// evaluator's functions the controllers call, and returns each object's
// expected status. The objects are copied (as created: generation 1) and
// left as they are.
func Expect(namespaces []corev1.Namespace, objs []client.Object, now time.Time) map[Key]Expected {
	set := &offline.Set{}
	for i := range namespaces {
		set.Add(namespaces[i].DeepCopy())
	}
	copies := make([]client.Object, 0, len(objs))
	for _, o := range objs {
		c := o.DeepCopyObject().(client.Object)
		if c.GetGeneration() == 0 {
			c.SetGeneration(1)
		}
		copies = append(copies, c)
		set.Add(c)
	}
	set.Evaluate(now)
	out := make(map[Key]Expected, len(copies))
	for _, c := range copies {
		out[KeyOf(c)] = Expected{Signature: Signature(c), Status: statusOf(c)}
	}
	return out
}

func statusOf(o client.Object) any {
	switch t := o.(type) {
	case *v1alpha1.Indicator:
		return t.Status
	case *v1alpha1.Measurement:
		return t.Status
	case *v1alpha1.Evidence:
		return t.Status
	case *v1alpha1.CooperationMechanism:
		return t.Status
	case *v1alpha1.ActionPlan:
		return t.Status
	}
	return nil
}

// conditionsOf returns an object's status conditions and observedGeneration.
func conditionsOf(o client.Object) ([]metav1.Condition, int64) {
	switch t := o.(type) {
	case *v1alpha1.Indicator:
		return t.Status.Conditions, t.Status.ObservedGeneration
	case *v1alpha1.Measurement:
		return t.Status.Conditions, t.Status.ObservedGeneration
	case *v1alpha1.Evidence:
		return t.Status.Conditions, t.Status.ObservedGeneration
	case *v1alpha1.CooperationMechanism:
		return t.Status.Conditions, t.Status.ObservedGeneration
	case *v1alpha1.ActionPlan:
		return t.Status.Conditions, t.Status.ObservedGeneration
	}
	return nil, 0
}

// Signature is what convergence compares: the set of conditions as
// (type, status, reason), messages and times left out, and the figures a
// change of input moves without necessarily moving a condition: an
// Indicator's current value (period, value, measurements and reporters
// counted) and an ActionPlan's scorecard counts.
func Signature(o client.Object) string {
	conds, _ := conditionsOf(o)
	parts := make([]string, 0, len(conds)+1)
	for _, c := range conds {
		parts = append(parts, c.Type+"="+string(c.Status)+"/"+c.Reason)
	}
	sort.Strings(parts)
	switch t := o.(type) {
	case *v1alpha1.Indicator:
		if c := t.Status.Current; c != nil {
			parts = append(parts, fmt.Sprintf("current=%s:%s:%d:%d", c.Period, c.Value, c.Measurements, c.Reporters))
		}
	case *v1alpha1.ActionPlan:
		if s := t.Status.Scorecard; s != nil {
			parts = append(parts, fmt.Sprintf("scorecard=%d:%d:%d", s.Indicators, s.TargetMet, s.OnTrack))
		}
	}
	return strings.Join(parts, ";")
}

// Converged reports whether an object's status is the one expected: it
// was computed for the current generation and has the expected signature.
func Converged(o client.Object, want string) bool {
	_, observed := conditionsOf(o)
	return observed == o.GetGeneration() && Signature(o) == want
}
