package opensdg

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
)

// moldova returns the shared Moldova file (read in place) and the example
// map.
func moldova(t *testing.T) (string, *exchange.Map) {
	root := exchangetest.Root(t)
	file := exchangetest.Shared(t, "data", "open-sdg-moldova-16-2-2", "indicator_16-2-2.csv")
	m, err := exchange.LoadMap(filepath.Join(root, "examples", "exchange", "moldova-16-2-2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return file, m
}

func readFile(t *testing.T, m *exchange.Map, file string) exchange.Read {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := Codec{}.Read(m, file, f)
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

// TestReadMoldova: the real file gives 9 years of a total and 24 cells
// (225 figures), and its 100 blank rows (2010 to 2013) are ignored with
// their lines.
func TestReadMoldova(t *testing.T) {
	file, m := moldova(t)
	rd := readFile(t, m, file)
	if len(rd.Figures) != 225 {
		t.Fatalf("%d figures, want 225 (2014-2022, 25 rows each)", len(rd.Figures))
	}
	if len(rd.Ignored) != 100 {
		t.Fatalf("%d rows ignored, want the 100 blank rows of 2010-2013", len(rd.Ignored))
	}
	for i, ig := range rd.Ignored {
		if ig.File != file || ig.Line != i+2 || !strings.Contains(ig.Reason, "blank") {
			t.Fatalf("ignored[%d] = %+v, want line %d of %s, blank", i, ig, i+2, file)
		}
	}
	first := rd.Figures[0]
	if first.Period != "2014" || first.Value != "9.2" || len(first.Categories) != 0 || first.Reporter != "National Bureau of Statistics" ||
		first.Indicator != "sdg-16-2-2" || first.Source.Line != 102 {
		t.Errorf("first figure %+v, want the 2014 total 9.2 of line 102", first)
	}
	organs := rd.Figures[24]
	if !reflect.DeepEqual(organs.Categories, map[string]string{"exploitation": "organ-removal"}) || organs.Value != "0" {
		t.Errorf("figure 24 %+v, want the quoted label \"Sampling of human organs, tissues or cells\" as organ-removal", organs)
	}
}

// TestRoundTripMoldova: reading the file and writing its figures again
// gives the same rows, in the same order (the blank rows excepted: they
// hold no figure).
func TestRoundTripMoldova(t *testing.T) {
	file, m := moldova(t)
	rd := readFile(t, m, file)
	var out bytes.Buffer
	if err := (Codec{}).Write(m, &out, rd.Figures); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want, got := exchangetest.ValuedRows(t, orig), exchangetest.ValuedRows(t, out.Bytes())
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("written rows differ from the file's:\n%s", out.String())
	}
}

// TestWriteOrdersAndSuppresses: rows go by year, the total first, then
// the cells in the map's column order; a suppressed figure's Value is
// blank; a category without a label is an error naming it.
func TestWriteOrdersAndSuppresses(t *testing.T) {
	_, m := moldova(t)
	f := func(period string, cats map[string]string, v string, st exchange.Status) exchange.Figure {
		return exchange.Figure{Indicator: "sdg-16-2-2", Reporter: "r", Period: period, Categories: cats, Value: v, Status: st}
	}
	figs := []exchange.Figure{
		f("2015", map[string]string{"exploitation": "sexual"}, "3", exchange.Published),
		f("2015", map[string]string{"sex": "female"}, "", exchange.Suppressed),
		f("2015", nil, "7", exchange.Published),
		f("2014", nil, "5", exchange.Published),
	}
	var out bytes.Buffer
	if err := (Codec{}).Write(m, &out, figs); err != nil {
		t.Fatal(err)
	}
	want := "Year,Sex,Groups of persons,Countries of destination,Forms of exploitation,Value\n" +
		"2014,,,,,5\n2015,,,,,7\n2015,Women,,,,\n2015,,,,Sexual,3\n"
	if out.String() != want {
		t.Errorf("written\n%s\nwant\n%s", out.String(), want)
	}
	figs = append(figs, f("2016", map[string]string{"sex": "other"}, "1", exchange.Published))
	err := (Codec{}).Write(m, &out, figs)
	if err == nil || !strings.Contains(err.Error(), `category "other" of dimension sex has no label`) {
		t.Errorf("error %v, want one naming the category without a label", err)
	}
}
