package evaluate

import (
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// RollupLabel is the label by which a namespace consents to be rolled up
// by ActionPlans of other namespaces; its value must be "true".
const RollupLabel = "concord.dev/rollup"

// PlanNamespaces returns the namespaces a plan rolls up: its own, plus every other namespace that matches spec.namespaceSelector AND carries the label concord.dev/rollup: "true" (its consent). nil namespaceSelector: own only. Sorted.
func PlanNamespaces(plan *v1alpha1.ActionPlan, namespaces []corev1.Namespace) ([]string, error) {
	own := plan.Namespace
	if plan.Spec.NamespaceSelector == nil {
		return []string{own}, nil
	}
	sel, err := planSelector(plan, "spec.namespaceSelector", plan.Spec.NamespaceSelector.Meta())
	if err != nil {
		return nil, err
	}
	out := []string{own}
	for _, ns := range namespaces {
		if ns.Name == own || ns.Labels[RollupLabel] != "true" || !sel.Matches(labels.Set(ns.Labels)) {
			continue
		}
		out = append(out, ns.Name)
	}
	sort.Strings(out)
	return out, nil
}

// SelectIndicators returns the Indicators of namespaces that match
// spec.indicatorSelector, sorted by namespace and name.
func SelectIndicators(plan *v1alpha1.ActionPlan, namespaces []string, all []v1alpha1.Indicator) ([]v1alpha1.Indicator, error) {
	sel, err := planSelector(plan, "spec.indicatorSelector", plan.Spec.IndicatorSelector.Meta())
	if err != nil {
		return nil, err
	}
	in := planNamespaceSet(namespaces)
	var out []v1alpha1.Indicator
	for _, ind := range all {
		if in[ind.Namespace] && sel.Matches(labels.Set(ind.Labels)) {
			out = append(out, ind)
		}
	}
	sort.Slice(out, func(i, j int) bool { return planObjectLess(&out[i].ObjectMeta, &out[j].ObjectMeta) })
	return out, nil
}

// SelectMechanisms returns the CooperationMechanisms of namespaces that
// match spec.mechanismSelector, sorted by namespace and name: a nil
// selector selects none, {} all.
func SelectMechanisms(plan *v1alpha1.ActionPlan, namespaces []string, all []v1alpha1.CooperationMechanism) ([]v1alpha1.CooperationMechanism, error) {
	if plan.Spec.MechanismSelector == nil {
		return nil, nil
	}
	sel, err := planSelector(plan, "spec.mechanismSelector", plan.Spec.MechanismSelector.Meta())
	if err != nil {
		return nil, err
	}
	in := planNamespaceSet(namespaces)
	var out []v1alpha1.CooperationMechanism
	for _, m := range all {
		if in[m.Namespace] && sel.Matches(labels.Set(m.Labels)) {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return planObjectLess(&out[i].ObjectMeta, &out[j].ObjectMeta) })
	return out, nil
}

// planSelector parses one of the plan's selectors; the error names the
// plan and the field.
func planSelector(plan *v1alpha1.ActionPlan, field string, ls *metav1.LabelSelector) (labels.Selector, error) {
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		return nil, fmt.Errorf("ActionPlan %s/%s: %s is not a valid label selector: %w", plan.Namespace, plan.Name, field, err)
	}
	return sel, nil
}

func planNamespaceSet(namespaces []string) map[string]bool {
	set := make(map[string]bool, len(namespaces))
	for _, ns := range namespaces {
		set[ns] = true
	}
	return set
}

func planObjectLess(a, b *metav1.ObjectMeta) bool {
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}
