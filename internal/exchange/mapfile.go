package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"

	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Map is a mapping file (MAP.yaml): how a format's codes, labels and
// columns name Concord's Indicators, reporters, dimensions and categories.
// Fields every format reads are here; a format's own settings are in
// Options, which its codec decodes (strictly) into its own type.
type Map struct {
	// Format the map is for (csv, open-sdg, dhis2, adx, sdmx-csv, iati).
	Format string `json:"format"`
	// Namespace of the Indicators and of the Measurements written.
	Namespace string `json:"namespace"`
	// Reporter of figures whose source names none.
	Reporter string `json:"reporter,omitempty"`
	// ReportTime (RFC 3339) is the spec.reportTime of the Measurements an
	// import writes; omitted, the newest modification time of the files
	// their figures come from. Never later than the import.
	ReportTime string `json:"reportTime,omitempty"`
	// Indicators the file's figures belong to.
	Indicators []IndicatorMap `json:"indicators"`
	// Reporters maps the source's reporter codes or labels (DHIS2 org
	// units, a CSV column's values) to Concord reporters.
	Reporters map[string]string `json:"reporters,omitempty"`
	// Dimensions maps the source's disaggregations to the Indicators'.
	Dimensions []DimensionMap `json:"dimensions,omitempty"`
	// Options of the format (its codec documents them).
	Options json.RawMessage `json:"options,omitempty"`

	// File is where the map was read, for messages.
	File string `json:"-"`
	// Export is set by an export before the codec's Write (export.go):
	// the Indicators and ActionPlans the figures come from. Nil on import.
	Export *Export `json:"-"`
}

// IndicatorMap names one Indicator and its code in the source.
type IndicatorMap struct {
	// Indicator is the Concord Indicator's name.
	Indicator string `json:"indicator"`
	// Code of the figures in the source: a DHIS2 data element, an SDMX
	// series, an Open SDG indicator id, a CSV column value.
	Code string `json:"code,omitempty"`
	// Cadence and Calendar repeat the Indicator's spec.cadence and
	// spec.calendar for formats that write periods their own way (dhis2:
	// "2025July", adx: "2025-07-01/P1Y"): their codecs convert periods with
	// them and refuse a period of another cadence. A nil Calendar is the
	// calendar year.
	Cadence  v1alpha1.Cadence   `json:"cadence,omitempty"`
	Calendar *v1alpha1.Calendar `json:"calendar,omitempty"`
}

// DimensionMap maps one source disaggregation to a Concord dimension.
type DimensionMap struct {
	// Dimension is the Indicator's disaggregations[].dimension.
	Dimension string `json:"dimension"`
	// Source names the disaggregation in the source: a column, a DHIS2
	// category, an SDMX dimension id.
	Source string `json:"source"`
	// Categories maps source labels or codes to the Indicator's categories
	// ("Women": female); a label the map does not name is an error.
	Categories map[string]string `json:"categories"`
}

// Labels inverts the dimension's categories: category to the label written
// for it (the first in sort order when several labels map to one).
func (d DimensionMap) Labels() map[string]string {
	out := make(map[string]string, len(d.Categories))
	for _, l := range slices.Sorted(maps.Keys(d.Categories)) {
		if _, ok := out[d.Categories[l]]; !ok {
			out[d.Categories[l]] = l
		}
	}
	return out
}

// LoadMap reads a mapping file; unknown fields are errors naming the file.
func LoadMap(path string) (*Map, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the map: %w", err)
	}
	m, err := ParseMap(path, b)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ParseMap reads a mapping file's bytes (file names it in messages).
func ParseMap(file string, b []byte) (*Map, error) {
	m := &Map{}
	if err := yaml.UnmarshalStrict(b, m); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	m.File = file
	switch {
	case m.Format == "":
		return nil, fmt.Errorf("%s: format is required", file)
	case m.Namespace == "":
		return nil, fmt.Errorf("%s: namespace is required (the Indicators' namespace)", file)
	case len(m.Indicators) == 0:
		return nil, fmt.Errorf("%s: indicators is empty: name at least one Indicator", file)
	}
	for i, in := range m.Indicators {
		if in.Indicator == "" {
			return nil, fmt.Errorf("%s: indicators[%d].indicator is required", file, i)
		}
	}
	for i, d := range m.Dimensions {
		if d.Dimension == "" || d.Source == "" {
			return nil, fmt.Errorf("%s: dimensions[%d] needs dimension and source", file, i)
		}
	}
	return m, nil
}

// MapsDimension reports whether the map has a dimensions entry for the
// Indicator dimension dim.
func (m *Map) MapsDimension(dim string) bool {
	return slices.ContainsFunc(m.Dimensions, func(d DimensionMap) bool { return d.Dimension == dim })
}

// DecodeOptions decodes the map's options strictly into v (a codec's own
// type); an unknown option is an error naming the file.
func (m *Map) DecodeOptions(v any) error {
	if len(m.Options) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(m.Options))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%s: options: %w", m.File, err)
	}
	return nil
}
