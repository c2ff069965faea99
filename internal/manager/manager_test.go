package manager

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// TestCacheDropsWhatNoReconcilerReads: managedFields and kubectl's
// last-applied configuration (a second copy of the object) are not kept
// in the cache; other annotations, such as the display name the report
// reads, are.
func TestCacheDropsWhatNoReconcilerReads(t *testing.T) {
	ind := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{
		Name: "victims-referred",
		Annotations: map[string]string{
			lastApplied:                `{"apiVersion":"concord.dev/v1alpha1","kind":"Indicator","spec":{}}`,
			"concord.dev/display-name": "Victims referred",
		},
		ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationApply}},
	}}
	out, err := stripUnread(ind)
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*v1alpha1.Indicator)
	if got.ManagedFields != nil {
		t.Error("managedFields kept")
	}
	if _, ok := got.Annotations[lastApplied]; ok {
		t.Error("the last-applied configuration kept")
	}
	if got.Annotations["concord.dev/display-name"] != "Victims referred" {
		t.Errorf("other annotations lost: %v", got.Annotations)
	}
	only := &v1alpha1.Indicator{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{lastApplied: "{}"}}}
	if out, _ := stripUnread(only); out.(*v1alpha1.Indicator).Annotations != nil {
		t.Error("an object with only the last-applied annotation keeps an empty map")
	}
}
