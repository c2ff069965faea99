package exchange

import (
	"strings"
	"testing"
)

func TestParseMap(t *testing.T) {
	m, err := ParseMap("m.yaml", []byte(`
format: open-sdg
namespace: protection
reporter: National Bureau of Statistics
indicators: [{indicator: victims-identified, code: "16-2-2"}]
dimensions:
- {dimension: sex, source: Sex, categories: {Women: female, Men: male}}
options: {unit: per 100000}
`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Indicators[0].Code != "16-2-2" || m.Dimensions[0].Categories["Women"] != "female" {
		t.Errorf("%+v", m)
	}
	var opts struct {
		Unit string `json:"unit"`
	}
	if err := m.DecodeOptions(&opts); err != nil || opts.Unit != "per 100000" {
		t.Errorf("options %+v, %v", opts, err)
	}
	var strict struct{}
	if err := m.DecodeOptions(&strict); err == nil || !strings.Contains(err.Error(), "m.yaml: options") {
		t.Errorf("an unknown option: %v", err)
	}
	for doc, want := range map[string]string{
		"namespace: a\nindicators: [{indicator: x}]":                        "format is required",
		"format: csv\nindicators: [{indicator: x}]":                         "namespace is required",
		"format: csv\nnamespace: a":                                         "indicators is empty",
		"format: csv\nnamespace: a\nindicators: [{code: x}]":                "indicators[0].indicator is required",
		"format: csv\nnamespace: a\nindicators: [{indicator: x}]\nextra: 1": `unknown field "extra"`,
	} {
		if _, err := ParseMap("m.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "m.yaml") {
			t.Errorf("%q: %v; want %q", doc, err, want)
		}
	}
}
