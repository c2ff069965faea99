package offline

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manifest"
)

// derivedScenarioAt is when testdata/derived.yaml is evaluated, here and by
// the integration test that compares the cluster's verdicts.
var derivedScenarioAt = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

// TestDerivedVerdicts: concordctl evaluate's engine gathers a derived
// indicator's inputs from the set as the controllers gather them from the
// cache, and gives the evaluator's verdicts: a ratio with a quarter whose
// denominator is 0, overdue and verification inherited, a category input,
// an input that does not exist, a cycle.
func TestDerivedVerdicts(t *testing.T) {
	objs, err := manifest.LoadPaths("testdata/derived.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	set.Evaluate(derivedScenarioAt)
	type want struct {
		typ    string
		status metav1.ConditionStatus
		reason string
		msg    string
	}
	for name, tc := range map[string]struct {
		value string
		conds []want
	}{
		"share-disciplined": {"25", []want{
			{v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated, ""},
			{v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached, "25 against a target of at least 40"},
			{v1alpha1.ConditionEvidenceMissing, metav1.ConditionFalse, v1alpha1.ReasonEvidenceComplete, "every input have the required verification (1 source(s))"},
			{v1alpha1.ConditionDataOverdue, metav1.ConditionTrue, v1alpha1.ReasonPeriodNotReported,
				`No counted data for 2026-Q3 from input(s) officials-disciplined (each input's data is due by its own reportingGraceDays); 2026-Q1 has no value: the denominator, input "officials-investigated", is 0`},
		}},
		"women-among-trained": {"40", []want{
			{v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated, ""},
			{v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonTargetNotReached, "40 against a target of at least 50"},
			{v1alpha1.ConditionDataOverdue, metav1.ConditionFalse, v1alpha1.ReasonReportedOnTime, "The due period 2026-Q1 of its inputs has counted data"},
		}},
		"complaints-all-channels": {"", []want{
			{v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonInputNotFound, `input "complaints-hotline" (spec.derived.inputs[1]) does not exist in namespace "derived-scenario"`},
			{v1alpha1.ConditionStalled, metav1.ConditionFalse, v1alpha1.ReasonEvaluated, ""},
			{v1alpha1.ConditionTargetMet, metav1.ConditionUnknown, v1alpha1.ReasonTargetNotSet, ""},
			{v1alpha1.ConditionEvidenceMissing, metav1.ConditionUnknown, v1alpha1.ReasonNoData, `complaints-hotline`},
		}},
		"cycle-a": {"", []want{
			{v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec, "the derived inputs form a cycle: cycle-a -> cycle-b -> cycle-a"},
		}},
		"cycle-b": {"", []want{
			{v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec, "the derived inputs form a cycle: cycle-b -> cycle-a -> cycle-b"},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			var ind *v1alpha1.Indicator
			for _, i := range set.Indicators {
				if i.Name == name {
					ind = i
				}
			}
			got := ""
			if ind.Status.Current != nil {
				got = ind.Status.Current.Value
			}
			if got != tc.value {
				t.Errorf("value %q, want %q", got, tc.value)
			}
			for _, w := range tc.conds {
				c := meta.FindStatusCondition(ind.Status.Conditions, w.typ)
				if c == nil || c.Status != w.status || c.Reason != w.reason || !strings.Contains(c.Message, w.msg) {
					t.Errorf("%s = %+v, want %s/%s with %q", w.typ, c, w.status, w.reason, w.msg)
				}
			}
		})
	}
}
