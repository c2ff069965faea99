package sdmx_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
	"github.com/concord-operator/concord/internal/exchange/sdmx"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

const (
	scenario   = "../../../examples/national-plan"
	exampleMap = "../../../examples/exchange/sdg-16-2-2-sdmx.yaml"
	fixture    = "../testdata/disclosure.yaml"
)

func export(t *testing.T, m *exchange.Map, objs exchange.Objects) []byte {
	t.Helper()
	codec, err := exchange.CodecFor(sdmx.Format)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := exchange.Write(m, codec, objs, false, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func rows(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(recs[0], sdmx.Header()) {
		t.Fatalf("header %v", recs[0])
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		out = append(out, row)
	}
	return out
}

// TestGoldenExample: the SDMX-CSV export of the example scenario's
// victims-referred at 2026-11-21, with examples/exchange/sdg-16-2-2-sdmx.yaml.
func TestGoldenExample(t *testing.T) {
	m, err := exchange.LoadMap(exampleMap)
	if err != nil {
		t.Fatal(err)
	}
	out := export(t, m, exchangetest.Objects(t, exchangetest.At, scenario))
	exchangetest.Golden(t, filepath.Join("testdata", "sdg-16-2-2.csv"), out, *update)
	// Every row of the example is a count of at least 5 or withheld.
	suppressed := 0
	for _, r := range rows(t, out) {
		if r["CONF_STATUS"] == "C" {
			suppressed++
			continue
		}
		v, err := evaluate.ParseNumber(r["OBS_VALUE"])
		if err != nil || !v.IsInt() || v.Num().Int64() < 5 {
			t.Errorf("published OBS_VALUE %q is below 5 or not a count: %v", r["OBS_VALUE"], r)
		}
	}
	if suppressed == 0 {
		t.Error("the example has small cells (gender other and unknown: 1 each), and no row is confidential")
	}
}

// TestDisclosure: a small cell or total never appears; its row has no
// OBS_VALUE, OBS_STATUS O and CONF_STATUS C.
func TestDisclosure(t *testing.T) {
	m := exchangetest.Map(t, `
format: sdmx-csv
namespace: ex
indicators: [{indicator: victims, code: VC_HTF_DETV}]
dimensions: [{dimension: gender, source: SEX, categories: {F: female, M: male}}]
options: {refArea: "498"}
`)
	out := export(t, m, exchangetest.Objects(t, exchangetest.At, fixture))
	var got []string
	for _, r := range rows(t, out) {
		got = append(got, strings.Join([]string{r["TIME_PERIOD"], r["SEX"], r["OBS_VALUE"], r["OBS_STATUS"], r["CONF_STATUS"]}, " "))
	}
	want := []string{
		"2026-Q1 _T 20 A F", "2026-Q1 F  O C", "2026-Q1 M  O C",
		"2026-Q2 _T  O C", "2026-Q2 F  O C", "2026-Q2 M  O C",
		"2026-Q3 _T 38 A F", "2026-Q3 F 21 A F", "2026-Q3 M 17 A F",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, small := range []string{",3,", ",4,", ",1,"} {
		if bytes.Contains(out, []byte(small)) {
			t.Errorf("the output holds the withheld figure %q:\n%s", small, out)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	codec, _ := exchange.CodecFor(sdmx.Format)
	for name, tc := range map[string]struct{ doc, want string }{
		"no refArea": {
			`{format: sdmx-csv, namespace: ex, indicators: [{indicator: victims, code: VC_HTF_DETV}]}`,
			`map.yaml: options.refArea "": write the country's 3-digit UN M49 code`,
		},
		"no series": {
			`{format: sdmx-csv, namespace: ex, indicators: [{indicator: victims}], options: {refArea: "498"}}`,
			"map.yaml: indicators[0] (victims): code is required: the SDMX series",
		},
		"unmapped category": {
			`{format: sdmx-csv, namespace: ex, indicators: [{indicator: victims, code: VC_HTF_DETV}], options: {refArea: "498"},
			  dimensions: [{dimension: gender, source: SEX, categories: {F: female}}]}`,
			`map.yaml: dimensions[0] (gender): no SEX code for category "male" (Indicator victims, 2026-Q1)`,
		},
		"not a dimension": {
			`{format: sdmx-csv, namespace: ex, indicators: [{indicator: victims, code: VC_HTF_DETV}], options: {refArea: "498"},
			  dimensions: [{dimension: gender, source: GENDER, categories: {F: female}}]}`,
			`map.yaml: dimensions[0].source "GENDER" is not a breakdown dimension of the dataflow`,
		},
		"unknown option": {
			`{format: sdmx-csv, namespace: ex, indicators: [{indicator: victims, code: VC_HTF_DETV}], options: {refArea: "498", area: x}}`,
			`map.yaml: options: json: unknown field "area"`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			err := exchange.Write(exchangetest.Map(t, tc.doc), codec, objs, false, &b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			if b.Len() != 0 {
				t.Errorf("written on error: %q", b.String())
			}
		})
	}
}

// TestReadWhatItWrites: reading an export gives its published figures
// back; withheld rows are ignored, with their line.
func TestReadWhatItWrites(t *testing.T) {
	m := exchangetest.Map(t, `
format: sdmx-csv
namespace: ex
reporter: Secretariat
indicators: [{indicator: victims, code: VC_HTF_DETV}]
dimensions: [{dimension: gender, source: SEX, categories: {F: female, M: male}}]
options: {refArea: "498"}
`)
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	out := export(t, m, objs)
	read, err := sdmx.Codec{}.Read(m, "victims.csv", bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range read.Figures {
		got = append(got, f.Period+" "+f.Categories["gender"]+" "+f.Value+" "+f.Source.String())
	}
	want := []string{"2026-Q1  20 victims.csv:2", "2026-Q3  38 victims.csv:8", "2026-Q3 female 21 victims.csv:9", "2026-Q3 male 17 victims.csv:10"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figures %q, want %q", got, want)
	}
	if len(read.Ignored) != 5 || read.Ignored[0].Line != 3 || read.Ignored[0].Reason != "no OBS_VALUE" {
		t.Errorf("ignored %+v", read.Ignored)
	}
	bad := strings.Replace(string(out), ",F,_T,", ",X,_T,", 1)
	if _, err := (sdmx.Codec{}).Read(m, "victims.csv", strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), `victims.csv:3: SEX "X": dimensions[0].categories has no code "X"`) {
		t.Errorf("an unknown code: %v", err)
	}
}
