package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/manifest"
)

// moldovaCSV is the Republic of Moldova's Open SDG file of indicator 16.2.2
// (victims of trafficking per 100,000 population), read in place from the
// shared data sets: $CONCORD_SHARED_DATA (the folder holding the data
// sets), else ../shared/data beside the repository.
func moldovaCSV(t *testing.T) [][]string {
	t.Helper()
	const file = "open-sdg-moldova-16-2-2/indicator_16-2-2.csv"
	dir := os.Getenv("CONCORD_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data") // from internal/report
	}
	path := filepath.Join(dir, file)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("the shared data set %s is absent (set CONCORD_SHARED_DATA to the folder holding %s)", path, file)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if want := "Year,Sex,Groups of persons,Countries of destination,Forms of exploitation,Value"; len(rows) == 0 || strings.Join(rows[0], ",") != want {
		t.Fatalf("%s: header %q, want %q", path, rows[0], want)
	}
	return rows[1:]
}

// moldovaDimensions are the file's columns 1 to 4 as dimensions. Sex and
// group of persons are rates per 100,000 of each subgroup; destinations
// and forms are rates per 100,000 of the whole population, each rounded
// to 0.1, so they add up only up to rounding: their sums fall on either
// side of the total (Overlapping holds every year, see
// TestMoldovaPolicies).
var moldovaDimensions = []v1alpha1.Disaggregation{
	{Dimension: "sex", Categories: []string{"Men", "Women"}, Required: true, Total: v1alpha1.TotalNotAdditive},
	{Dimension: "groupOfPersons", Categories: []string{"Adults", "Children"}, Required: true, Total: v1alpha1.TotalNotAdditive},
	{Dimension: "countryOfDestination", Total: v1alpha1.TotalOverlapping},
	{Dimension: "formOfExploitation", Total: v1alpha1.TotalOverlapping},
}

// moldovaYear is one year of the file: the total and the marginal cells.
type moldovaYear struct {
	year  string
	value string
	cells []v1alpha1.BreakdownCell
}

// moldovaYears turns the rows into years with data: a row with no
// category is the total; a row with one column set is a cell of that
// column's marginal table. Years whose total is empty have no data.
func moldovaYears(t *testing.T, rows [][]string) []moldovaYear {
	t.Helper()
	byYear := map[string]*moldovaYear{}
	var order []string
	for _, r := range rows {
		if len(r) != 6 || r[5] == "" {
			continue
		}
		y := byYear[r[0]]
		if y == nil {
			y = &moldovaYear{year: r[0]}
			byYear[r[0]] = y
			order = append(order, r[0])
		}
		cats := map[string]v1alpha1.Category{}
		for k, d := range moldovaDimensions {
			if r[1+k] != "" {
				cats[d.Dimension] = v1alpha1.Category(r[1+k])
			}
		}
		v := v1alpha1.Decimal(r[5])
		switch len(cats) {
		case 0:
			y.value = r[5]
		case 1:
			y.cells = append(y.cells, v1alpha1.BreakdownCell{Categories: cats, Value: &v})
		default:
			t.Fatalf("%s: a row names %d dimensions; the file has marginal tables only", r[0], len(cats))
		}
	}
	var out []moldovaYear
	for _, y := range order {
		if byYear[y].value == "" {
			t.Fatalf("%s has cells but no total", y)
		}
		out = append(out, *byYear[y])
	}
	return out
}

func moldovaIndicator(dims []v1alpha1.Disaggregation) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		Spec: v1alpha1.IndicatorSpec{
			Title: "Number of victims of human trafficking per 100,000 population", Area: v1alpha1.AreaProtection,
			Measure: v1alpha1.Measure{Type: v1alpha1.MeasureAmount, Unit: "victims per 100,000"}, Cadence: v1alpha1.CadenceAnnual,
			Disaggregations: dims,
		},
	}
}

// moldovaManifests writes the indicator and one Measurement per year as
// manifests, as a user would.
func moldovaManifests(years []moldovaYear) string {
	var b strings.Builder
	b.WriteString(`apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: victims-per-100k, namespace: md}
spec:
  title: Number of victims of human trafficking per 100,000 population
  area: Protection
  measure: {type: Amount, unit: "victims per 100,000"}
  cadence: Annual
  disaggregations:
`)
	for _, d := range moldovaDimensions {
		fmt.Fprintf(&b, "  - {dimension: %s, total: %s", d.Dimension, d.Total)
		if len(d.Categories) > 0 {
			fmt.Fprintf(&b, ", categories: [%s]", strings.Join(d.Categories, ", "))
		}
		if d.Required {
			b.WriteString(", required: true")
		}
		b.WriteString("}\n")
	}
	for _, y := range years {
		fmt.Fprintf(&b, `---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: victims-per-100k-%s, namespace: md}
spec:
  indicatorRef: {name: victims-per-100k}
  period: "%s"
  value: "%s"
  reporter: National Bureau of Statistics
  breakdown:
`, y.year, y.year, y.value)
		for _, c := range y.cells {
			for d, cat := range c.Categories {
				fmt.Fprintf(&b, "  - {categories: {%s: %q}, value: %q}\n", d, cat, *c.Value)
			}
		}
	}
	return b.String()
}

func moldovaEvaluated(t *testing.T, manifests string, at time.Time) []client.Object {
	t.Helper()
	objs, err := manifest.Parse("moldova.yaml", []byte(manifests))
	if err != nil {
		t.Fatal(err)
	}
	return evaluatedAt(t, objs, at)
}

// Every year of the published series is accepted as it was published:
// four marginal tables, two of subgroup rates (NotAdditive), two of rates
// of the whole population whose rounded cells may sum to more or less
// than the total (Overlapping); and each year's report shows the subgroup
// rates as they are, with no total row and no sum.
func TestMoldovaOpenSDG(t *testing.T) {
	years := moldovaYears(t, moldovaCSV(t))
	if len(years) == 0 {
		t.Fatal("no year with data")
	}
	manifests := moldovaManifests(years)
	last := years[len(years)-1].year
	accepted := 0
	for _, o := range moldovaEvaluated(t, manifests, time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)) {
		m, ok := o.(*v1alpha1.Measurement)
		if !ok {
			continue
		}
		c := meta.FindStatusCondition(m.Status.Conditions, v1alpha1.ConditionAccepted)
		if c == nil || c.Status != "True" {
			t.Errorf("%s: Accepted %+v", m.Spec.Period, c)
			continue
		}
		accepted++
	}
	if accepted != len(years) {
		t.Errorf("%d of %d years accepted", accepted, len(years))
	}
	t.Logf("years with data: %s to %s (%d), all accepted", years[0].year, last, len(years))

	// Each year's report, made when it was the latest closed year.
	for _, y := range years {
		var yr int
		fmt.Sscan(y.year, &yr)
		r := Build(moldovaEvaluated(t, manifests, time.Date(yr+1, 6, 30, 0, 0, 0, 0, time.UTC)), Options{Generated: goldenAt})
		b := find(t, r, "md", "victims-per-100k").Breakdown
		if b == nil || b.Period != y.year || b.Total != y.value {
			t.Fatalf("%s: breakdown %+v", y.year, b)
		}
		published := map[string]string{}
		for _, c := range y.cells {
			for d, cat := range c.Categories {
				published[d+"/"+string(cat)] = evaluate.FormatValue(mustRat(t, string(*c.Value)))
			}
		}
		for _, d := range b.Dimensions {
			notAdditive := d.Total == v1alpha1.TotalNotAdditive
			if d.ShowTotal == notAdditive || (notAdditive && d.Coverage != "") {
				t.Errorf("%s %s (%s): total row %v, coverage %q", y.year, d.Name, d.Total, d.ShowTotal, d.Coverage)
			}
			for _, c := range d.Cells {
				if c.NotStated {
					t.Errorf("%s %s: a not-stated cell in a %s table", y.year, d.Name, d.Total)
					continue
				}
				if want := published[d.Name+"/"+c.Category]; c.Text != want {
					t.Errorf("%s %s/%s shows %q, published %q", y.year, d.Name, c.Category, c.Text, want)
				}
			}
		}
		var md bytes.Buffer
		if err := WriteMarkdown(&md, r); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"sex", "groupOfPersons"} {
			table := markdownTable(md.String(), Label(d))
			if table == "" || strings.Contains(table, "Total") || strings.Contains(table, "Not stated") {
				t.Errorf("%s: the %s table is not shown as subgroup figures:\n%s", y.year, d, table)
			}
		}
	}
}

// markdownTable is the Markdown table whose header names dimension d.
func markdownTable(md, d string) string {
	start := strings.Index(md, "| "+d+" | ")
	if start < 0 {
		return ""
	}
	end := strings.Index(md[start:], "\n\n")
	if end < 0 {
		return md[start:]
	}
	return md[start : start+end]
}

func mustRat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, err := evaluate.ParseNumber(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Which total policy each dimension's published table satisfies, year by
// year. Sex and group of persons are rates of their own subgroups (women
// 12 where the total is 9.2): only NotAdditive holds. Destinations and
// forms are rates of the whole population rounded to 0.1: their sums are
// sometimes the total, sometimes above or below it by rounding, so only
// Overlapping holds every year.
func TestMoldovaPolicies(t *testing.T) {
	years := moldovaYears(t, moldovaCSV(t))
	policies := []v1alpha1.DisaggregationTotal{v1alpha1.TotalEqual, v1alpha1.TotalAtMost, v1alpha1.TotalOverlapping, v1alpha1.TotalNotAdditive}
	holds := map[string]map[string][]string{} // dimension -> year -> policies
	now := time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)
	for k, d := range moldovaDimensions {
		holds[d.Dimension] = map[string][]string{}
		for _, p := range policies {
			dims := append([]v1alpha1.Disaggregation(nil), moldovaDimensions...)
			dims[k].Total = p
			ind := moldovaIndicator(dims)
			ind.Name = "victims-per-100k"
			for _, y := range years {
				v := v1alpha1.Decimal(y.value)
				m := &v1alpha1.Measurement{Spec: v1alpha1.MeasurementSpec{Period: v1alpha1.Period(y.year), Value: &v, Reporter: "NBS", Breakdown: y.cells}}
				if evaluate.Accept(ind, m, now).Reason == v1alpha1.ReasonValid {
					holds[d.Dimension][y.year] = append(holds[d.Dimension][y.year], string(p))
				}
			}
		}
	}
	all := "Equal AtMost Overlapping NotAdditive"
	want := map[string]map[string]string{
		"sex":            {"*": "NotAdditive"},
		"groupOfPersons": {"*": "NotAdditive"},
		"countryOfDestination": {
			"2014": all, "2015": "Overlapping NotAdditive", "2016": "Overlapping NotAdditive", "2017": "Overlapping NotAdditive",
			"2018": "AtMost Overlapping NotAdditive", "2019": all, "2020": "AtMost Overlapping NotAdditive", "2021": all, "2022": all,
		},
		"formOfExploitation": {
			"2014": "Overlapping NotAdditive", "2015": "Overlapping NotAdditive", "2016": all, "2017": "AtMost Overlapping NotAdditive",
			"2018": "AtMost Overlapping NotAdditive", "2019": "Overlapping NotAdditive", "2020": all, "2021": "AtMost Overlapping NotAdditive",
			"2022": "AtMost Overlapping NotAdditive",
		},
	}
	for _, d := range moldovaDimensions {
		var lines []string
		for _, y := range years {
			got := strings.Join(holds[d.Dimension][y.year], " ")
			lines = append(lines, y.year+": "+got)
			w, ok := want[d.Dimension][y.year]
			if !ok {
				w = want[d.Dimension]["*"]
			}
			if got != w {
				t.Errorf("%s %s: %q hold, want %q", d.Dimension, y.year, got, w)
			}
		}
		sort.Strings(lines)
		t.Logf("%s (declared %s):\n  %s", d.Dimension, d.Total, strings.Join(lines, "\n  "))
	}
}
