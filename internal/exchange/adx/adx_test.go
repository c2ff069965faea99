package adx

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/dhis2"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
)

func exampleMap(t *testing.T) *exchange.Map {
	t.Helper()
	m, err := exchange.LoadMap(filepath.Join("..", "..", "..", "examples", "exchange", "adx.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// An ADX message read into Figures and written again gives the same data
// values (in any order); disaggregation attributes become categories and
// the ISO period the Indicator's.
func TestRoundTrip(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "exchange", "adx-victims-referred.xml"))
	if err != nil {
		t.Fatal(err)
	}
	m := exampleMap(t)
	got, err := Codec{}.Read(m, "v.xml", bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Figures) != 8 || len(got.Ignored) != 0 {
		t.Fatalf("%d figures, %v ignored", len(got.Figures), got.Ignored)
	}
	want := []exchange.Figure{
		{Indicator: "victims-referred", Period: "2026-Q1", Reporter: "NGO shelter network", Value: "22", Source: exchange.Location{File: "v.xml", Line: 4}},
		{Indicator: "victims-referred", Period: "2026-Q1", Reporter: "NGO shelter network", Categories: map[string]string{"gender": "female"}, Value: "16", Source: exchange.Location{File: "v.xml", Line: 5}},
	}
	if !reflect.DeepEqual(got.Figures[:2], want) {
		t.Errorf("figures\n%+v\nwant\n%+v", got.Figures[:2], want)
	}
	if f := got.Figures[4]; !reflect.DeepEqual(f.Categories, map[string]string{"age": "0-17"}) || f.Source.Line != 8 {
		t.Errorf("fifth figure %+v", f)
	}
	if f := got.Figures[7]; f.Period != "2026-Q2" || f.Reporter != "Border Police" || f.Source.Line != 15 {
		t.Errorf("last figure %+v", f)
	}
	var out bytes.Buffer
	if err := (Codec{}).Write(m, &out, got.Figures); err != nil {
		t.Fatal(err)
	}
	if w, h := exchangetest.ADXValues(t, in), exchangetest.ADXValues(t, out.Bytes()); !reflect.DeepEqual(w, h) {
		t.Errorf("round trip changed the data values:\nwant %q\nhave %q\n%s", w, h, out.String())
	}
}

// Write groups values by org unit and period, leaves suppressed figures
// and tables the data set does not take out, and writes the map's codes.
func TestWrite(t *testing.T) {
	figs := []exchange.Figure{
		{Indicator: "victims-referred", Period: "2026-Q3", Value: "54"},
		{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"gender": "female"}, Value: "30"},
		{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"gender": "other"}, Status: exchange.Suppressed},
		{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"countryOfOrigin": "XA"}, Value: "9"},
		{Indicator: "victims-referred", Period: "2026-Q2", Reporter: "Border Police", Categories: map[string]string{"age": "18+"}, Value: "12"},
	}
	var out bytes.Buffer
	if err := (Codec{}).Write(exampleMap(t), &out, figs); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015">
  <group orgUnit="NRM_NATIONAL" period="2026-07-01/P3M" dataSet="NRM_QUARTERLY">
    <dataValue dataElement="VICTIMS_REFERRED_TOTAL" value="54"/>
    <dataValue dataElement="VICTIMS_REFERRED_BY_SEX" SEX="F" value="30"/>
  </group>
  <group orgUnit="NRM_BORDER_POLICE" period="2026-04-01/P3M" dataSet="NRM_QUARTERLY">
    <dataValue dataElement="VICTIMS_REFERRED_BY_AGE" AGE="Y_GE18" value="12"/>
  </group>
</adx>
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	m := exampleMap(t)
	m.Options = []byte(`{}`)
	if err := (Codec{}).Write(m, &out, figs); err == nil || !strings.Contains(err.Error(), "options.dataSet is required for adx") {
		t.Errorf("no data set: %v", err)
	}
}

// Bad input is an error naming the file, the line and the element path,
// and what to write instead.
func TestBadInput(t *testing.T) {
	doc := func(groups ...string) string {
		return "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n" + strings.Join(groups, "\n") + "\n</adx>\n"
	}
	group := func(period string, values ...string) string {
		return "<group orgUnit=\"NRM_NGO_SHELTERS\" period=\"" + period + "\" dataSet=\"NRM_QUARTERLY\">\n" + strings.Join(values, "\n") + "\n</group>"
	}
	const total = `<dataValue dataElement="VICTIMS_REFERRED_TOTAL" value="22"/>`
	for _, tc := range []struct{ name, in, want string }{
		{"malformed XML", doc(group("2026-01-01/P3M", total, `<dataValue dataElement="VICTIMS_REFERRED_BY_SEX" SEX="M" value="6">`)), "f:5: malformed XML: XML syntax error on line 5: element <dataValue> closed by </group>"},
		{"not ADX", `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0"/>`, `f:1: dataValueSet[1]: not an ADX message: the root must be <adx xmlns="urn:ihe:qrph:adx:2015">`},
		{"empty", "", "no <adx> element"},
		{"group without period", doc(`<group orgUnit="NRM_NGO_SHELTERS">`, total, "</group>"), "f:2: adx[1]/group[1]: no period attribute"},
		{"unknown data element", doc(group("2026-01-01/P3M", total, `<dataValue dataElement="MEETINGS_HELD" value="2"/>`)), `f:4: adx[1]/group[1]/dataValue[2]: data element "MEETINGS_HELD" is not in the map`},
		{"unmapped attribute", doc(group("2026-01-01/P3M", `<dataValue dataElement="VICTIMS_REFERRED_BY_SEX" GENDER="F" value="2"/>`)), `f:3: adx[1]/group[1]/dataValue[1]: attribute GENDER="F" is not a mapped disaggregation: add it to dimensions`},
		{"unmapped code", doc(group("2026-01-01/P3M", `<dataValue dataElement="VICTIMS_REFERRED_BY_SEX" SEX="X" value="2"/>`)), `SEX="X" is not in the categories of dimensions SEX`},
		{"attribute of another data element", doc(group("2026-01-01/P3M", `<dataValue dataElement="VICTIMS_REFERRED_TOTAL" SEX="F" value="2"/>`)), `data element "VICTIMS_REFERRED_TOTAL" carries [] (options.dataElementDimensions) but this value gives [gender]`},
		{"period of another cadence", doc(group("2026-01-01/P3M", total), group("2026-01-01/P1Y", total)), `f:6: adx[1]/group[2]/dataValue[1]: period "2026-01-01/P1Y" covers 12 months, but Indicator victims-referred is Quarterly: write it like "2026-01-01/P3M"`},
		{"quarter out of step", doc(group("2026-02-01/P3M", total)), `period "2026-02-01/P3M" starts in February 2026, but the Quarterly periods of Indicator victims-referred start in January 2026 (its calendar): write it like "2026-01-01/P3M"`},
		{"weeks", doc(group("2026-01-05/P7D", total)), `period "2026-01-05/P7D" is counted in days or weeks`},
		{"not a period", doc(group("2026Q1", total)), `period "2026Q1" is not an ADX period`},
		{"value not a number", doc(group("2026-01-01/P3M", `<dataValue dataElement="VICTIMS_REFERRED_TOTAL" value="22 persons"/>`)), `f:3: adx[1]/group[1]/dataValue[1]: value "22 persons" is not a number`},
		{"unknown org unit", doc(strings.Replace(group("2026-01-01/P3M", total), "NRM_NGO_SHELTERS", "NRM_CUSTOMS", 1)), `org unit "NRM_CUSTOMS" is not in the map`},
		{"duplicate", doc(group("2026-01-01/P3M", total), group("2026-01-01/P3M", total)), `f:6: adx[1]/group[2]/dataValue[1]: the same figure as f:3`},
		{"unexpected element", doc(`<dataValue dataElement="VICTIMS_REFERRED_TOTAL" value="22"/>`), "f:2: adx[1]/dataValue[1]: unexpected element <dataValue>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Codec{}.Read(exampleMap(t), "f", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant %q", err, tc.want)
			}
			if len(got.Figures) != 0 {
				t.Errorf("figures returned with the error")
			}
		})
	}
}

// A data value without a value is reported as ignored with its line.
func TestIgnored(t *testing.T) {
	in := "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"NRM_NGO_SHELTERS\" period=\"2026-01-01/P3M\" dataSet=\"NRM_QUARTERLY\">\n<dataValue dataElement=\"VICTIMS_REFERRED_TOTAL\" value=\"\"/>\n</group>\n</adx>"
	got, err := Codec{}.Read(exampleMap(t), "f", strings.NewReader(in))
	if err != nil || len(got.Ignored) != 1 || got.Ignored[0].Line != 3 || got.Ignored[0].Reason != "no value" {
		t.Errorf("%+v %v", got, err)
	}
}

// Every period notation converts both ways, for every cadence and for
// fiscal calendars: ISO start/duration.
func TestPeriods(t *testing.T) {
	july := &v1alpha1.Calendar{YearStartMonth: 7, YearLabel: v1alpha1.YearLabelEnd}
	for _, tc := range []struct {
		cadence  v1alpha1.Cadence
		calendar *v1alpha1.Calendar
		concord  string
		adx      string
	}{
		{v1alpha1.CadenceMonthly, nil, "2026-03", "2026-03-01/P1M"},
		{v1alpha1.CadenceQuarterly, nil, "2026-Q1", "2026-01-01/P3M"},
		{v1alpha1.CadenceQuarterly, july, "2026-Q1", "2025-07-01/P3M"},
		{v1alpha1.CadenceSemiAnnual, nil, "2026-H2", "2026-07-01/P6M"},
		{v1alpha1.CadenceAnnual, nil, "2026", "2026-01-01/P1Y"},
		{v1alpha1.CadenceAnnual, july, "2026", "2025-07-01/P1Y"},
	} {
		ind := &dhis2.Indicator{Name: "x", Cadence: tc.cadence, Calendar: evaluate.CalendarOf(tc.calendar)}
		span, err := dhis2.SpanOf(tc.concord, ind)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := FormatPeriod(span); got != tc.adx {
			t.Errorf("%s %s: wrote %s, want %s", tc.cadence, tc.concord, got, tc.adx)
		}
		back, err := ParsePeriod(tc.adx)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := dhis2.PeriodOf(back, tc.adx, ind, FormatPeriod); err != nil || got != tc.concord {
			t.Errorf("%s %s: read %s, %v; want %s", tc.cadence, tc.adx, got, err, tc.concord)
		}
	}
	if _, err := ParsePeriod("2026-02-30/P1M"); err == nil || !strings.Contains(err.Error(), "is not a date") {
		t.Errorf("30 February: %v", err)
	}
	if span, err := ParsePeriod("2026-01-01/P12M"); err != nil || span.Months != 12 {
		t.Errorf("P12M: %+v %v", span, err)
	}
}
