package evaluate

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// selNamespace is a namespace with the given labels, as key, value pairs.
func selNamespace(name string, kv ...string) corev1.Namespace {
	l := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = kv[i+1]
	}
	return corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: l}}
}

// selPlan is planObj with the given selectors.
func selPlan(ns, ind, mech *v1alpha1.LabelSelector) *v1alpha1.ActionPlan {
	p := planObj(nil)
	p.Spec.NamespaceSelector, p.Spec.MechanismSelector = ns, mech
	if ind != nil {
		p.Spec.IndicatorSelector = *ind
	}
	return p
}

func selLabels(kv ...string) *v1alpha1.LabelSelector {
	sel := &v1alpha1.LabelSelector{MatchLabels: map[string]v1alpha1.LabelValue{}}
	for k, v := range selNamespace("", kv...).Labels {
		sel.MatchLabels[k] = v1alpha1.LabelValue(v)
	}
	return sel
}

func TestPlanNamespaces(t *testing.T) {
	namespaces := []corev1.Namespace{
		selNamespace("protection", "region", "north", RollupLabel, "true"),
		selNamespace("prosecution", "region", "north"),                       // matches, no consent
		selNamespace("prevention", "region", "south", RollupLabel, "true"),   // consents, does not match
		selNamespace("partnership", "region", "north", RollupLabel, "false"), // consent withheld
		selNamespace("assistance", "region", "north", RollupLabel, "true"),
		selNamespace("coordination", "region", "south"), // the plan's own
	}
	tests := []struct {
		name string
		sel  *v1alpha1.LabelSelector
		want []string
	}{
		{"nil selector: own only", nil, []string{"coordination"}},
		{"matching and consenting, sorted", selLabels("region", "north"), []string{"assistance", "coordination", "protection"}},
		{"empty selector: every consenting namespace", &v1alpha1.LabelSelector{}, []string{"assistance", "coordination", "prevention", "protection"}},
		{"nothing matches: own only", selLabels("region", "east"), []string{"coordination"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PlanNamespaces(selPlan(tt.sel, nil, nil), namespaces)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlanNamespaces = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestPlanNamespacesInvalidSelector(t *testing.T) {
	bad := &v1alpha1.LabelSelector{MatchExpressions: []v1alpha1.LabelSelectorRequirement{{Key: "region", Operator: "Near"}}}
	_, err := PlanNamespaces(selPlan(bad, nil, nil), nil)
	if err == nil || !strings.Contains(err.Error(), "spec.namespaceSelector") || !strings.Contains(err.Error(), "coordination/npa") {
		t.Errorf("err = %v, want one naming the plan and spec.namespaceSelector", err)
	}
}

func selIndicator(ns, name string, kv ...string) v1alpha1.Indicator {
	ind := planIndicator(ns, name, v1alpha1.AreaProtection)
	ind.Labels = selNamespace("", kv...).Labels
	return ind
}

func selIndicatorNames(inds []v1alpha1.Indicator) []string {
	var out []string
	for _, i := range inds {
		out = append(out, i.Namespace+"/"+i.Name)
	}
	return out
}

func TestPlanSelectIndicators(t *testing.T) {
	all := []v1alpha1.Indicator{
		selIndicator("protection", "b", "plan", "npa"),
		selIndicator("protection", "a", "plan", "other"),
		selIndicator("coordination", "c", "plan", "npa"),
		selIndicator("prosecution", "d", "plan", "npa"), // namespace not rolled up
	}
	namespaces := []string{"coordination", "protection"}
	tests := []struct {
		name string
		sel  *v1alpha1.LabelSelector
		want []string
	}{
		{"empty selects all in the namespaces", &v1alpha1.LabelSelector{}, []string{"coordination/c", "protection/a", "protection/b"}},
		{"by label", selLabels("plan", "npa"), []string{"coordination/c", "protection/b"}},
		{"none match", selLabels("plan", "x"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SelectIndicators(selPlan(nil, tt.sel, nil), namespaces, all)
			if err != nil || !reflect.DeepEqual(selIndicatorNames(got), tt.want) {
				t.Errorf("SelectIndicators = %v, %v; want %v", selIndicatorNames(got), err, tt.want)
			}
		})
	}
	bad := &v1alpha1.LabelSelector{MatchLabels: map[string]v1alpha1.LabelValue{"plan": "not valid"}}
	if _, err := SelectIndicators(selPlan(nil, bad, nil), namespaces, all); err == nil || !strings.Contains(err.Error(), "spec.indicatorSelector") {
		t.Errorf("err = %v, want one naming spec.indicatorSelector", err)
	}
}

func TestPlanSelectMechanisms(t *testing.T) {
	withLabels := func(m v1alpha1.CooperationMechanism, kv ...string) v1alpha1.CooperationMechanism {
		m.Labels = selNamespace("", kv...).Labels
		return m
	}
	all := []v1alpha1.CooperationMechanism{
		withLabels(planMechanism("protection", "nrm", v1alpha1.MechanismNationalReferralMechanism), "plan", "npa"),
		withLabels(planMechanism("coordination", "ntf", v1alpha1.MechanismTaskForce)),
		withLabels(planMechanism("prosecution", "jit", v1alpha1.MechanismJointInvestigationTeam), "plan", "npa"),
	}
	namespaces := []string{"coordination", "protection"}
	tests := []struct {
		name string
		sel  *v1alpha1.LabelSelector
		want []string
	}{
		{"nil selects none", nil, nil},
		{"empty selects all in the namespaces", &v1alpha1.LabelSelector{}, []string{"coordination/ntf", "protection/nrm"}},
		{"by label", selLabels("plan", "npa"), []string{"protection/nrm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SelectMechanisms(selPlan(nil, nil, tt.sel), namespaces, all)
			var names []string
			for _, m := range got {
				names = append(names, m.Namespace+"/"+m.Name)
			}
			if err != nil || !reflect.DeepEqual(names, tt.want) {
				t.Errorf("SelectMechanisms = %v, %v; want %v", names, err, tt.want)
			}
		})
	}
}
