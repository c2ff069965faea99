package integration

import (
	"context"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/validate"
)

// TestValidateSaysWhatTheClusterRejects applies Measurements that the
// cluster accepts as objects but marks Accepted False for their content,
// and checks that concordctl validate's engine reported each as an error,
// with the reason and the message of the cluster's condition.
func TestValidateSaysWhatTheClusterRejects(t *testing.T) {
	startControllers(t)
	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	const ns = "validate-content"
	text := `apiVersion: v1
kind: Namespace
metadata: {name: validate-content}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: victims-referred, namespace: validate-content}
spec:
  title: Number of victims referred
  area: Protection
  measure: {type: Count, unit: persons}
  cadence: Quarterly
  baseline: {period: 2025-Q4, value: "40"}
  target: {operator: AtLeast, value: "50", deadline: 2026-Q4}
  disaggregations:
  - {dimension: gender, categories: [female, male], required: true}
`
	measurements := map[string]struct{ period, value, reason, field string }{
		"monthly-period": {"2026-01", "52", v1alpha1.ReasonPeriodMismatch, "spec.period"},
		// A period not started when the Measurement is created: the
		// cluster judges it against the creationTimestamp, validate
		// against the time it runs; both are long before 2099.
		"not-started": {"2099-Q3", "52", v1alpha1.ReasonPeriodMismatch, "spec.period"},
		"fraction":    {"2026-Q1", "2.5", v1alpha1.ReasonValueInvalid, "spec.value"},
		"cells-short": {"2026-Q1", "52", v1alpha1.ReasonBreakdownInconsistent, "spec.breakdown"},
	}
	for name, m := range measurements {
		text += `---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: ` + name + `, namespace: validate-content}
spec:
  indicatorRef: {name: victims-referred}
  period: "` + m.period + `"
  value: "` + m.value + `"
  breakdown:
  - {categories: {gender: female}, value: "30"}
  - {categories: {gender: male}, value: "` + map[bool]string{true: "12", false: "22"}[name == "cells-short"] + `"}
  reporter: NGO shelter network
`
	}
	objs, err := manifest.Parse("content.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.Default()
	if err != nil {
		t.Fatal(err)
	}
	offline := v.Objects(context.Background(), validate.Options{CrossObject: true, Now: fakeClock.Now()}, objs)
	if err := devenv.Apply(ctx(t), k8s, objs); err != nil {
		t.Fatalf("the API server refused the manifests: %v", err)
	}
	for name, want := range measurements {
		m := &v1alpha1.Measurement{}
		key := client.ObjectKey{Namespace: ns, Name: name}
		eventually(t, name+" Accepted="+want.reason, func() (bool, string) {
			if err := k8s.Get(context.Background(), key, m); err != nil {
				return false, err.Error()
			}
			c := meta.FindStatusCondition(m.Status.Conditions, v1alpha1.ConditionAccepted)
			if c == nil {
				return false, "no Accepted condition"
			}
			return c.Status == metav1.ConditionFalse && c.Reason == want.reason, string(c.Status) + "/" + c.Reason + ": " + c.Message
		})
		c := meta.FindStatusCondition(m.Status.Conditions, v1alpha1.ConditionAccepted)
		found := false
		for _, i := range offline.Errors {
			if i.Name == name {
				found = true
				same := strings.HasPrefix(i.Message, c.Message+" (")
				if name == "not-started" {
					// The cluster names the creation time it judged by.
					same = strings.Contains(i.Message, "it starts 2099-07-01") && strings.Contains(c.Message, "it starts 2099-07-01")
				}
				if i.Field != want.field || !same || !strings.Contains(i.Message, want.reason) {
					t.Errorf("%s: concordctl validate says\n  %s\nthe cluster says Accepted False %s: %s", name, i, c.Reason, c.Message)
				}
			}
		}
		if !found {
			t.Errorf("%s: the cluster says Accepted False %s: %s; concordctl validate says nothing", name, c.Reason, c.Message)
		}
	}
	if len(offline.Errors) != len(measurements) {
		t.Errorf("concordctl validate gives %d errors, want one per Measurement: %v", len(offline.Errors), offline.Errors)
	}
}

// TestValidateRefusesWhatIsTooLargeToSend: a document the API server
// refuses for its size (such as a line longer than 16 MiB) is refused by
// concordctl validate with the API server's words.
func TestValidateRefusesWhatIsTooLargeToSend(t *testing.T) {
	createNamespace(t, "validate-size", nil)
	text := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: validate-size}\ndata:\n  blob: " +
		strings.Repeat("x", 17<<20) + "\n"
	objs, err := manifest.Parse("big.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	apiErr := k8s.Create(ctx(t), objs[0].Object.DeepCopy())
	if apiErr == nil {
		t.Fatal("the API server accepted a 17 MiB ConfigMap")
	}
	v, err := validate.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := v.Objects(context.Background(), validate.Options{}, objs)
	if len(r.Errors) != 1 {
		t.Fatalf("concordctl validate: %v; the API server: %v", r.Errors, apiErr)
	}
	said, _, _ := strings.Cut(r.Errors[0].Text(), " (")
	if !strings.Contains(apiErr.Error(), said) {
		t.Errorf("concordctl validate says\n  %s\nwhich the API server did not:\n  %v", r.Errors[0].Text(), apiErr)
	}
}
