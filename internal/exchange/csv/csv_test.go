package csv

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/exchange"
)

const testMap = `format: csv
namespace: protection
indicators:
- {indicator: victims-referred, code: VR}
- {indicator: shelters, code: SH}
reporters: {"Border police": Border Police}
dimensions:
- dimension: gender
  source: Sex
  categories: {Women: female, Men: male, F: female}
options:
  columns: {period: Quarter, reporter: Org, value: Count, indicator: Code}
  ignoreColumns: [Notes]
`

func parseMap(t *testing.T, s string) *exchange.Map {
	t.Helper()
	m, err := exchange.ParseMap("map.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func read(t *testing.T, m *exchange.Map, data string) (exchange.Read, error) {
	t.Helper()
	return Codec{}.Read(m, "in.csv", strings.NewReader(data))
}

// TestRead: columns are found by name in any order; labels, reporters and
// codes are mapped; numbers are canonical; blank values and unknown codes
// are ignored with their lines; a byte order mark is skipped.
func TestRead(t *testing.T) {
	m := parseMap(t, testMap)
	rd, err := read(t, m, "\ufeffNotes,Code,Org,Quarter,Sex,Count\n"+
		"x,VR,Border police,2026-Q1,,012.50\n"+
		",VR,Border police,2026-Q1,Women,7\n"+
		"\"a, b\",VR,Border police,2026-Q1,F,\n"+
		",XX,Border police,2026-Q1,,3\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []exchange.Figure{
		{Indicator: "victims-referred", Period: "2026-Q1", Reporter: "Border Police", Value: "12.5", Source: exchange.Location{File: "in.csv", Line: 2}},
		{Indicator: "victims-referred", Period: "2026-Q1", Reporter: "Border Police", Value: "7", Categories: map[string]string{"gender": "female"}, Source: exchange.Location{File: "in.csv", Line: 3}},
	}
	if !reflect.DeepEqual(rd.Figures, want) {
		t.Errorf("figures\n%+v\nwant\n%+v", rd.Figures, want)
	}
	if len(rd.Ignored) != 2 || rd.Ignored[0].Line != 4 || !strings.Contains(rd.Ignored[0].Reason, "blank") ||
		rd.Ignored[1].Line != 5 || !strings.Contains(rd.Ignored[1].Reason, `"XX"`) {
		t.Errorf("ignored %+v, want line 4 (blank) and line 5 (code XX)", rd.Ignored)
	}
}

// TestReadErrors: every bad input is an error naming the file, the line
// and what to write instead.
func TestReadErrors(t *testing.T) {
	m := parseMap(t, testMap)
	head := "Code,Org,Quarter,Sex,Count\n"
	for _, c := range []struct {
		name, data string
		want       []string
	}{
		{"unterminated quote", head + "VR,Border police,2026-Q1,\"Women,3\n", []string{"in.csv:2: malformed CSV", "quote fields"}},
		{"field count", head + "VR,Border police,2026-Q1,3\n", []string{"in.csv:2: malformed CSV", "as many fields as the header"}},
		{"column not mapped", "Code,Org,Quarter,Sex,Count,Region\n", []string{`in.csv:1: column "Region" is not mapped`, "ignoreColumns"}},
		{"mapped column missing", "Code,Org,Quarter,Count\n", []string{`in.csv:1: column "Sex" (dimensions[0] gender) is not in the header`}},
		{"unmapped label", head + "VR,Border police,2026-Q1,Woman,3\n", []string{`in.csv:2: gender "Woman" (column "Sex") is not mapped`, "map.yaml"}},
		{"not a number", head + "VR,Border police,2026-Q1,,n/a\n", []string{`in.csv:2: column "Count": "n/a" is not a number`}},
		{"unmapped reporter", head + "VR,Police,2026-Q1,,3\n", []string{`in.csv:2: reporter "Police" (column "Org") is not mapped`}},
		{"blank period", head + "VR,Border police,,,3\n", []string{`in.csv:2: column "Quarter" is blank`}},
		{"empty file", "", []string{"in.csv: the file is empty"}},
		{"repeated column", "Code,Code\n", []string{`in.csv:1: column "Code" appears twice`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := read(t, m, c.data)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestOptions: the options are checked, strictly.
func TestOptions(t *testing.T) {
	for _, c := range []struct{ opts, want string }{
		{"options: {columns: {value: V}}", "options.columns.period is required"},
		{"options: {columns: {period: P}}", "needs value, or numerator and denominator"},
		{"options: {columns: {period: P, value: V, numerator: \"N\"}}", "name one or the other"},
		{"options: {columns: {period: P, value: V}, delimiter: ab}", "must be one character"},
		{"options: {columns: {period: P, value: V}, colour: red}", "unknown field"},
	} {
		m := parseMap(t, "format: csv\nnamespace: n\nreporter: r\nindicators: [{indicator: i}]\n"+c.opts+"\n")
		if _, err := read(t, m, "P,V\n"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.opts, err, c.want)
		}
	}
}

// TestWriteRead: what Write writes, Read reads back as the same figures
// (decimal comma and semicolons included); a suppressed figure's value is
// blank.
func TestWriteRead(t *testing.T) {
	m := parseMap(t, `format: csv
namespace: n
indicators: [{indicator: rate, code: R}]
reporters: {"Police": Border Police}
dimensions: [{dimension: gender, source: Sex, categories: {Women: female, Men: male}}]
options: {columns: {period: Year, reporter: Org, numerator: Num, denominator: Den, indicator: Code}, delimiter: ";", decimalComma: true}
`)
	figs := []exchange.Figure{
		{Indicator: "rate", Period: "2026", Reporter: "Border Police", Numerator: "3.5", Denominator: "100"},
		{Indicator: "rate", Period: "2026", Reporter: "Border Police", Categories: map[string]string{"gender": "male"}, Numerator: "1", Denominator: "40"},
	}
	var out bytes.Buffer
	if err := (Codec{}).Write(m, &out, figs); err != nil {
		t.Fatal(err)
	}
	if want := "Code;Year;Org;Sex;Num;Den\nR;2026;Police;;3,5;100\nR;2026;Police;Men;1;40\n"; out.String() != want {
		t.Fatalf("written\n%s\nwant\n%s", out.String(), want)
	}
	rd, err := Codec{}.Read(m, "w.csv", &out)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rd.Figures {
		rd.Figures[i].Source = exchange.Location{}
	}
	if !reflect.DeepEqual(rd.Figures, figs) {
		t.Errorf("read back\n%+v\nwant\n%+v", rd.Figures, figs)
	}
	figs[1].Status, figs[1].Numerator, figs[1].Denominator = exchange.Suppressed, "", ""
	out.Reset()
	if err := (Codec{}).Write(m, &out, figs); err != nil || !strings.HasSuffix(out.String(), "R;2026;Police;Men;;\n") {
		t.Errorf("suppressed cell written as %q (%v), want a blank value", out.String(), err)
	}
}
