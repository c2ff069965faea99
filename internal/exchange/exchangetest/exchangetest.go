// Package exchangetest holds what the exchange formats' tests share:
// manifests evaluated offline as an export reads them, and golden files.
package exchangetest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

// At is the instant the goldens are evaluated at, as in the example
// scenario's README.
var At = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

// Objects loads manifest files or directories and evaluates them offline
// at at, as `concordctl export -f` does.
func Objects(t testing.TB, at time.Time, paths ...string) exchange.Objects {
	t.Helper()
	objs, err := manifest.LoadPaths(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return evaluate(t, objs, at)
}

// Parse evaluates manifests given as YAML text at at.
func Parse(t testing.TB, at time.Time, yaml string) exchange.Objects {
	t.Helper()
	objs, err := manifest.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return evaluate(t, objs, at)
}

func evaluate(t testing.TB, objs []manifest.Object, at time.Time) exchange.Objects {
	t.Helper()
	set, err := offline.Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	set.Evaluate(at)
	return exchange.Objects{Indicators: set.Indicators, Measurements: set.Measurements, Evidence: set.Evidence, Plans: set.Plans, At: at}
}

// Map parses a mapping file given as YAML text.
func Map(t testing.TB, yaml string) *exchange.Map {
	t.Helper()
	m, err := exchange.ParseMap("map.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Golden compares got with the golden file at path, or rewrites the file
// when update is set (go test ./PKG/ -update).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the package's tests with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; if the change is intended, run the package's tests with -update and review the diff\ngot:\n%s", path, got)
	}
}

// Root is the module root, found from the test's directory (tests run in
// their package's directory).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = filepath.Dir(dir)
	}
}

// ValuedRows reads an Open SDG data CSV's rows, the header first, leaving
// out the rows whose last field (Value) is blank.
func ValuedRows(t testing.TB, b []byte) [][]string {
	t.Helper()
	all, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for i, r := range all {
		if i == 0 || r[len(r)-1] != "" {
			out = append(out, r)
		}
	}
	return out
}

// Shared returns a path inside the shared data sets and standards beside
// the repository (`../shared`: data/open-sdg-moldova-16-2-2,
// standards/iati-2.03), read in place, or under $CONCORD_SHARED when set.
// A test is skipped, saying where it looked, when they are absent (a
// clone outside the workspace): they are not the project's to copy.
func Shared(t testing.TB, rel ...string) string {
	t.Helper()
	dir := os.Getenv("CONCORD_SHARED")
	if dir == "" {
		dir = filepath.Join(Root(t), "..", "shared")
	}
	path := filepath.Join(append([]string{dir}, rel...)...)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the shared data %s is absent (set CONCORD_SHARED to the folder holding data/ and standards/): %v", path, err)
	}
	return path
}

// DHIS2Values lists a dataValueSet's data values (JSON, or CSV with
// DHIS2's columns) as DHIS2 stores them, one line each and sorted: data
// element, period (the set's when a JSON value gives none), org unit,
// category option combo, attribute option combo and value, as written
// (22 and "22" alike).
func DHIS2Values(t testing.TB, b []byte) []string {
	t.Helper()
	var out []string
	if trimmed := bytes.TrimSpace(b); len(trimmed) > 0 && trimmed[0] != '{' {
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		for _, r := range rows[1:] {
			out = append(out, strings.Join(r[:6], " "))
		}
		sort.Strings(out)
		return out
	}
	var set struct {
		Period     string `json:"period"`
		DataValues []struct {
			DataElement, Period, OrgUnit, CategoryOptionCombo, AttributeOptionCombo string
			Value                                                                   json.Number
		} `json:"dataValues"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for _, v := range set.DataValues {
		pe := v.Period
		if pe == "" {
			pe = set.Period
		}
		out = append(out, strings.Join([]string{v.DataElement, pe, v.OrgUnit, v.CategoryOptionCombo, v.AttributeOptionCombo, v.Value.String()}, " "))
	}
	sort.Strings(out)
	return out
}

// ADXValues lists an ADX message's data values as DHIS2 stores them, one
// line each and sorted: the group's org unit, period and data set, then
// the data value's attributes (data element, disaggregations, value).
func ADXValues(t testing.TB, b []byte) []string {
	t.Helper()
	var doc struct {
		Groups []struct {
			Attrs  []xml.Attr `xml:",any,attr"`
			Values []struct {
				Attrs []xml.Attr `xml:",any,attr"`
			} `xml:"dataValue"`
		} `xml:"group"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	get := func(as []xml.Attr, name string) string {
		for _, a := range as {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	var out []string
	for _, g := range doc.Groups {
		for _, v := range g.Values {
			var attrs []string
			for _, a := range v.Attrs {
				attrs = append(attrs, a.Name.Local+"="+a.Value)
			}
			sort.Strings(attrs)
			out = append(out, strings.Join(append([]string{get(g.Attrs, "orgUnit"), get(g.Attrs, "period"), get(g.Attrs, "dataSet")}, attrs...), " "))
		}
	}
	sort.Strings(out)
	return out
}
