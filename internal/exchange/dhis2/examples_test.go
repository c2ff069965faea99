package dhis2

import (
	"path/filepath"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/manifest"
)

// The example maps (dhis2 and adx) repeat the cadence and calendar of the
// scenario's Indicators and name only their categories, so that what they
// import validates and what the scenario exports has a place.
func TestExampleMapsMatchTheScenario(t *testing.T) {
	objs, err := manifest.LoadPaths(filepath.Join("..", "..", "..", "examples", "national-plan"))
	if err != nil {
		t.Fatal(err)
	}
	indicators := map[string]*v1alpha1.Indicator{}
	for _, o := range objs {
		if o.Object.GetKind() != "Indicator" {
			continue
		}
		in := &v1alpha1.Indicator{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object.Object, in); err != nil {
			t.Fatal(err)
		}
		indicators[in.Namespace+"/"+in.Name] = in
	}
	categories := func(in *v1alpha1.Indicator, dim, cat string) bool {
		for _, d := range in.Spec.Disaggregations {
			if d.Dimension == dim {
				return len(d.Categories) == 0 || slices.Contains(d.Categories, cat)
			}
		}
		return false
	}
	for _, name := range []string{"dhis2.yaml", "adx.yaml"} {
		m, err := exchange.LoadMap(example(name))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, im := range m.Indicators {
			in := indicators[m.Namespace+"/"+im.Indicator]
			if in == nil {
				t.Fatalf("%s: no Indicator %s/%s in the scenario", name, m.Namespace, im.Indicator)
			}
			if im.Cadence != in.Spec.Cadence || evaluate.CalendarOf(im.Calendar) != evaluate.CalendarOf(in.Spec.Calendar) {
				t.Errorf("%s: %s: cadence %s %+v, the Indicator's %s %+v", name, im.Indicator, im.Cadence, im.Calendar, in.Spec.Cadence, in.Spec.Calendar)
			}
			names = append(names, im.Indicator)
		}
		var o Options
		if err := m.DecodeOptions(&o); err != nil { // adx options are a subset of dhis2 options
			t.Fatal(err)
		}
		check := func(where string, cats map[string]string) {
			for _, ind := range names {
				for d, c := range cats {
					if !categories(indicators[m.Namespace+"/"+ind], d, c) {
						t.Errorf("%s: %s: %s=%s is not a category of %s", name, where, d, c, ind)
					}
				}
			}
		}
		for coc, cats := range o.CategoryOptionCombos {
			check(coc, cats)
		}
		for _, d := range m.Dimensions {
			for code, c := range d.Categories {
				check(d.Source+"="+code, map[string]string{d.Dimension: c})
			}
		}
	}
}
