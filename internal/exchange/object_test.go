package exchange

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// TestValidatedIsWritten: the object an import validates is the manifest
// it writes, field for field.
func TestValidatedIsWritten(t *testing.T) {
	d := func(s string) *v1alpha1.Decimal { x := v1alpha1.Decimal(s); return &x }
	for _, m := range []*v1alpha1.Measurement{
		{ObjectMeta: metav1.ObjectMeta{Name: "victims-2026-q1-police", Namespace: "protection"},
			Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "victims"}, Period: "2026-Q1", Reporter: "Police",
				Value: d("12"), ReportTime: &metav1.Time{Time: time.Date(2026, 4, 8, 10, 0, 0, 0, time.UTC)},
				Breakdown: []v1alpha1.BreakdownCell{
					{Categories: map[string]v1alpha1.Category{"sex": "female"}, Value: d("7")},
					{Categories: map[string]v1alpha1.Category{"sex": "male", "age": "0-17"}, Value: d("5")},
				}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "share-2026-police", Namespace: "protection"},
			Spec: v1alpha1.MeasurementSpec{IndicatorRef: v1alpha1.LocalObjectReference{Name: "share"}, Period: "2026", Reporter: "Police",
				Numerator: d("3"), Denominator: d("4"),
				Breakdown: []v1alpha1.BreakdownCell{{Categories: map[string]v1alpha1.Category{"sex": "female"}, Numerator: d("1"), Denominator: d("2")}}}},
	} {
		b, err := measurementYAML(m)
		if err != nil {
			t.Fatal(err)
		}
		var written map[string]any
		if err := sigsyaml.Unmarshal(b, &written); err != nil {
			t.Fatal(err)
		}
		u := measurementObject(m)
		if !reflect.DeepEqual(u.Object, written) {
			t.Errorf("%s: validated\n%v\nwritten\n%v", m.Name, u.Object, written)
		}
	}
}
