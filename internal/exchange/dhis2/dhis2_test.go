package dhis2

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
)

// example is a file of examples/exchange, which the docs use.
func example(name string) string {
	return filepath.Join("..", "..", "..", "examples", "exchange", name)
}

// exampleMap loads examples/exchange/dhis2.yaml, the map the docs use,
// with extra options merged in.
func exampleMap(t *testing.T, extra map[string]any) *exchange.Map {
	t.Helper()
	m, err := exchange.LoadMap(example("dhis2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(extra) > 0 {
		opts := map[string]any{}
		if err := json.Unmarshal(m.Options, &opts); err != nil {
			t.Fatal(err)
		}
		for k, v := range extra {
			opts[k] = v
		}
		if m.Options, err = json.Marshal(opts); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func read(t *testing.T, m *exchange.Map, name string, data []byte) exchange.Read {
	t.Helper()
	got, err := Codec{}.Read(m, name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A DHIS2 dataValueSet read into Figures and written again gives the same
// data values (in any order), JSON and CSV alike; the set's own period is
// the default of its values, numbers may be written unquoted, and the
// figures carry the Indicator's periods, reporters and categories.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		file     string
		encoding string
		values   func(testing.TB, []byte) []string
	}{
		{"dhis2-victims-referred.json", "json", exchangetest.DHIS2Values},
		{"dhis2-victims-referred.csv", "csv", exchangetest.DHIS2Values},
	} {
		t.Run(tc.encoding, func(t *testing.T) {
			in, err := os.ReadFile(example(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			m := exampleMap(t, map[string]any{"encoding": tc.encoding})
			got := read(t, m, tc.file, in)
			if len(got.Figures) != 8 || len(got.Ignored) != 0 {
				t.Fatalf("%d figures, %v ignored; want 8 and none", len(got.Figures), got.Ignored)
			}
			first := got.Figures[0]
			if first.Indicator != "victims-referred" || first.Period != "2026-Q1" || first.Reporter != "NGO shelter network" || first.Categories != nil || first.Value != "22" {
				t.Errorf("first figure %+v", first)
			}
			if f := got.Figures[1]; !reflect.DeepEqual(f.Categories, map[string]string{"gender": "female"}) || f.Value != "16" {
				t.Errorf("second figure %+v", f)
			}
			if f := got.Figures[5]; f.Period != "2026-Q2" || f.Reporter != "Border Police" || f.Value != "14" {
				t.Errorf("sixth figure %+v", f)
			}
			var out bytes.Buffer
			if err := (Codec{}).Write(m, &out, got.Figures); err != nil {
				t.Fatal(err)
			}
			if want, have := tc.values(t, in), tc.values(t, out.Bytes()); !reflect.DeepEqual(want, have) {
				t.Errorf("round trip changed the data values:\nwant %v\nhave %v\n%s", want, have, out.String())
			}
			again := read(t, m, "out", out.Bytes())
			for i := range again.Figures {
				again.Figures[i].Source = got.Figures[i].Source
			}
			if !reflect.DeepEqual(again.Figures, got.Figures) {
				t.Errorf("reading the output again gives other figures:\n%+v\n%+v", again.Figures, got.Figures)
			}
		})
	}
}

// Every figure read names the line of its data value.
func TestFiguresNameTheirLines(t *testing.T) {
	in, _ := os.ReadFile(example("dhis2-victims-referred.json"))
	got := read(t, exampleMap(t, nil), "v.json", in)
	var lines []int
	for _, f := range got.Figures {
		lines = append(lines, f.Source.Line)
	}
	if want := []int{6, 7, 8, 9, 10, 11, 19, 20}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
	in, _ = os.ReadFile(example("dhis2-victims-referred.csv"))
	got = read(t, exampleMap(t, nil), "v.csv", in)
	if got.Figures[0].Source.String() != "v.csv:2" || got.Figures[7].Source.String() != "v.csv:9" {
		t.Errorf("csv lines %v %v", got.Figures[0].Source, got.Figures[7].Source)
	}
}

// Rows that give no figure are reported with their lines and why: a blank
// value, a value deleted in DHIS2, a data element the map ignores.
func TestIgnored(t *testing.T) {
	in := `{"dataValues": [
 {"dataElement": "VICTIMS_REFERRED_TOTAL", "period": "2026Q1", "orgUnit": "NRM_NGO_SHELTERS", "value": ""},
 {"dataElement": "VICTIMS_REFERRED_TOTAL", "period": "2026Q2", "orgUnit": "NRM_NGO_SHELTERS", "value": "3", "deleted": true},
 {"dataElement": "MEETINGS_HELD", "period": "2026Q1", "orgUnit": "NRM_NGO_SHELTERS", "value": "3"},
 {"dataElement": "VICTIMS_REFERRED_TOTAL", "period": "2026Q3", "orgUnit": "NRM_NGO_SHELTERS", "value": "7"}
]}`
	got := read(t, exampleMap(t, map[string]any{"ignoreDataElements": []string{"MEETINGS_HELD"}}), "f.json", []byte(in))
	var ignored []string
	for _, ig := range got.Ignored {
		ignored = append(ignored, ig.Location.String()+" "+ig.Reason)
	}
	want := []string{"f.json:2 no value", "f.json:3 deleted in DHIS2", `f.json:4 data element "MEETINGS_HELD" is in options.ignoreDataElements`}
	if !reflect.DeepEqual(ignored, want) {
		t.Errorf("ignored %q\nwant %q", ignored, want)
	}
	if len(got.Figures) != 1 || got.Figures[0].Period != "2026-Q3" {
		t.Errorf("figures %+v", got.Figures)
	}
}

// Bad input is an error naming the file, the line (and for JSON the data
// value's index) and what to write instead.
func TestBadInput(t *testing.T) {
	const row = `{"dataElement": "VICTIMS_REFERRED_TOTAL", "period": "2026Q1", "orgUnit": "NRM_NGO_SHELTERS", "value": "4"}`
	json := func(values ...string) string {
		return "{\"dataValues\": [\n" + strings.Join(values, ",\n") + "\n]}"
	}
	with := func(old, new string) string { return strings.Replace(row, old, new, 1) }
	const header = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n"
	for _, tc := range []struct{ name, in, want string }{
		{"malformed JSON", "{\"dataValues\": [\n" + row + ",\n{\"dataElement\": }]}", `f:3: not a DHIS2 dataValueSet: invalid character '}'`},
		{"truncated JSON", "{\"dataValues\": [\n" + row + ",\n", "f:3: the JSON ends early"},
		{"not a dataValueSet", `{"dataElements": []}`, "f:1: no dataValues"},
		{"a value of the wrong JSON type", json(row, `{"dataElement": 3}`), "f:3: not a DHIS2 dataValueSet: json: cannot unmarshal number"},
		{"unknown data element", json(row, with("VICTIMS_REFERRED_TOTAL", "MEETINGS_HELD")), `f:3: dataValues[1]: data element "MEETINGS_HELD" is not in the map: add it to indicators`},
		{"unmapped combo", json(with(`"value"`, `"categoryOptionCombo": "SEX_X", "value"`)), `f:2: dataValues[0]: category option combo "SEX_X" is not in the map: add it to options.categoryOptionCombos`},
		{"combo of another dimension", json(with(`"value"`, `"categoryOptionCombo": "AGE_0_17", "value"`)), `data element "VICTIMS_REFERRED_TOTAL" carries [] (options.dataElementDimensions) but this value gives [age]`},
		{"period of another cadence", json(row, with("2026Q1", "202603")), `f:3: dataValues[1]: period "202603" covers 1 month, but Indicator victims-referred is Quarterly: write it like "2026Q1"`},
		{"a week", json(with("2026Q1", "2026W05")), `f:2: dataValues[0]: period "2026W05" is a week; Concord has no such cadence`},
		{"not a DHIS2 period", json(with("2026Q1", "2026-Q1")), `period "2026-Q1" is not a DHIS2 period (write it like 202603, 2026Q1`},
		{"value not a number", json(row, with(`"4"`, `"four"`)), `f:3: dataValues[1]: value "four" is not a number`},
		{"value an object", json(with(`"4"`, `{"n": 4}`)), `f:2: dataValues[0]: value {"n": 4} is not a number`},
		{"unknown org unit", json(with("NRM_NGO_SHELTERS", "NRM_CUSTOMS")), `f:2: dataValues[0]: org unit "NRM_CUSTOMS" is not in the map: add it to reporters`},
		{"duplicate", json(row, row), `f:3: dataValues[1]: the same figure as f:2`},
		{"another attribute option combo", json(with(`"value"`, `"attributeOptionCombo": "DONOR_B", "value"`)), `attribute option combo "DONOR_B" is not options.attributeOptionCombo "default"`},
		{"malformed CSV", header + "VICTIMS_REFERRED_TOTAL,2026Q1,NRM_NGO_SHELTERS,default,default,4\nVICTIMS_REFERRED_TOTAL,2026Q2,\"NRM_NGO_SHELTERS,default,default,4\n", "f:3: malformed CSV"},
		{"unknown CSV column", "dataelement,period,orgunit,value,colour\n", `f:1: unknown column "colour"`},
		{"CSV without value column", "dataelement,period,orgunit\n", "f:1: no value column"},
		{"short CSV row", "VICTIMS_REFERRED_TOTAL,2026Q1,NRM_NGO_SHELTERS\n", "f:1: 3 fields; DHIS2 CSV gives at least 6"},
		{"CSV value not a number", header + "VICTIMS_REFERRED_TOTAL,2026Q1,NRM_NGO_SHELTERS,default,default,4\nVICTIMS_REFERRED_TOTAL,2026Q2,NRM_NGO_SHELTERS,default,default,1e3\n", `f:3: value "1e3" is not a number`},
		{"CSV period of another cadence", header + "VICTIMS_REFERRED_TOTAL,2026,NRM_NGO_SHELTERS,default,default,4\n", `f:2: period "2026" covers 12 months, but Indicator victims-referred is Quarterly`},
		{"CSV duplicate", header + "VICTIMS_REFERRED_TOTAL,2026Q1,NRM_NGO_SHELTERS,,,4\nVICTIMS_REFERRED_TOTAL,2026Q1,NRM_NGO_SHELTERS,default,default,5\n", "f:3: the same figure as f:2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Codec{}.Read(exampleMap(t, nil), "f", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant %q", err, tc.want)
			}
			if len(got.Figures) != 0 {
				t.Errorf("figures returned with the error: %+v", got.Figures)
			}
		})
	}
}

// A map missing what the codec needs is refused, naming the map.
func TestBadMap(t *testing.T) {
	for doc, want := range map[string]string{
		"format: dhis2\nnamespace: p\nindicators: [{indicator: x, cadence: Annual}]":                                                         "m.yaml: indicators[0] (x): code is required for dhis2",
		"format: dhis2\nnamespace: p\nindicators: [{indicator: x, code: X}]":                                                                 "m.yaml: indicators[0] (x): cadence is required for dhis2",
		"format: dhis2\nnamespace: p\nindicators: [{indicator: x, code: X, cadence: Annual}, {indicator: y, code: X, cadence: Annual}]":      `code "X" already names Indicator x`,
		"format: dhis2\nnamespace: p\nindicators: [{indicator: x, code: X, cadence: Annual}]\noptions: {encoding: xml}":                      `options.encoding "xml": write json or csv`,
		"format: dhis2\nnamespace: p\nindicators: [{indicator: x, code: X, cadence: Annual}]\noptions: {colour: red}":                        `m.yaml: options: json: unknown field "colour"`,
		"format: dhis2\nnamespace: p\nindicators: [{indicator: x, code: X, cadence: Annual}]\noptions: {dataElementDimensions: {\"Y\": []}}": `options.dataElementDimensions names "Y"`,
	} {
		m, err := exchange.ParseMap("m.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (Codec{}).Read(m, "f", strings.NewReader(`{"dataValues": []}`)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\n%v\nwant %q", doc, err, want)
		}
	}
}

// Write leaves out suppressed figures (DHIS2 data values have no
// confidentiality marker) and the tables the data set does not take;
// combined figures go to the map's reporter's org unit; what the map cannot
// place is an error.
func TestWrite(t *testing.T) {
	m := exampleMap(t, map[string]any{"dataSet": "NRM_QUARTERLY"})
	figs := []exchange.Figure{
		{Indicator: "victims-referred", Period: "2026-Q3", Value: "54"},
		{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"gender": "female"}, Value: "30"},
		{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"gender": "other"}, Status: exchange.Suppressed},
		{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"stakeholderType": "ngoPartners"}, Value: "20"},
		{Indicator: "victims-referred", Period: "2026-Q3", Reporter: "Border Police", Categories: map[string]string{"age": "18+"}, Value: "13.50"},
	}
	var out bytes.Buffer
	if err := (Codec{}).Write(m, &out, figs); err != nil {
		t.Fatal(err)
	}
	want := `{
  "dataSet": "NRM_QUARTERLY",
  "dataValues": [
    {
      "dataElement": "VICTIMS_REFERRED_TOTAL",
      "period": "2026Q3",
      "orgUnit": "NRM_NATIONAL",
      "categoryOptionCombo": "default",
      "attributeOptionCombo": "default",
      "value": "54"
    },
    {
      "dataElement": "VICTIMS_REFERRED_BY_SEX",
      "period": "2026Q3",
      "orgUnit": "NRM_NATIONAL",
      "categoryOptionCombo": "SEX_FEMALE",
      "attributeOptionCombo": "default",
      "value": "30"
    },
    {
      "dataElement": "VICTIMS_REFERRED_BY_AGE",
      "period": "2026Q3",
      "orgUnit": "NRM_BORDER_POLICE",
      "categoryOptionCombo": "AGE_18_PLUS",
      "attributeOptionCombo": "default",
      "value": "13.5"
    }
  ]
}
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	for _, tc := range []struct {
		fig  exchange.Figure
		want string
	}{
		{exchange.Figure{Indicator: "victims-referred", Period: "2026-Q3", Numerator: "1", Denominator: "2"}, "a ratio (numerator 1, denominator 2) has no single data value"},
		{exchange.Figure{Indicator: "victims-referred", Period: "2026-Q3"}, "a published figure without a value"},
		{exchange.Figure{Indicator: "case-files", Period: "2026-Q3", Value: "1"}, "Indicator case-files is not in"},
		{exchange.Figure{Indicator: "victims-referred", Period: "2026", Value: "1"}, `period "2026" is not a Quarterly period`},
		{exchange.Figure{Indicator: "victims-referred", Period: "2026-Q3", Reporter: "Customs", Value: "1"}, `reporter "Customs" has no org unit`},
		{exchange.Figure{Indicator: "victims-referred", Period: "2026-Q3", Categories: map[string]string{"gender": "nonbinary"}, Value: "1"}, "no category option combo stands for map[gender:nonbinary]"},
	} {
		out.Reset()
		if err := (Codec{}).Write(m, &out, []exchange.Figure{figs[0], tc.fig}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v\nwant %q", tc.fig, err, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("%+v: half written: %s", tc.fig, out.String())
		}
	}
}

// Both codecs are registered for the commands to find.
func TestRegistered(t *testing.T) {
	if c, err := exchange.CodecFor("dhis2"); err != nil || c == nil {
		t.Errorf("dhis2: %v", err)
	}
}

// TestExportByReporter: an export of the example scenario writes each
// reporter's figures under its org unit; with options.combined, the
// combined figures under the map's reporter (NRM_NATIONAL) alone.
func TestExportByReporter(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, filepath.Join("..", "..", "..", "examples", "national-plan"))
	orgUnits := func(m *exchange.Map) map[string]bool {
		var out bytes.Buffer
		if err := exchange.Write(m, Codec{}, objs, false, &out); err != nil {
			t.Fatal(err)
		}
		units := map[string]bool{}
		for _, v := range exchangetest.DHIS2Values(t, out.Bytes()) {
			units[strings.Fields(v)[2]] = true
		}
		return units
	}
	byReporter := orgUnits(exampleMap(t, nil))
	if byReporter["NRM_NATIONAL"] || !byReporter["NRM_BORDER_POLICE"] || !byReporter["NRM_NGO_SHELTERS"] || !byReporter["NRM_LABOUR_INSPECTORATE"] {
		t.Errorf("per reporter: org units %v", byReporter)
	}
	if combined := orgUnits(exampleMap(t, map[string]any{"combined": true})); len(combined) != 1 || !combined["NRM_NATIONAL"] {
		t.Errorf("combined: org units %v", combined)
	}
}
