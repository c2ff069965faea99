package dhis2

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/exchange"
)

// Indicator is one mapped Indicator with what converting its periods needs.
type Indicator struct {
	Name     string
	Cadence  v1alpha1.Cadence
	Calendar evaluate.Calendar
	// Codes are its data elements, in the map's order.
	Codes []string
}

// Binding is a map checked for the dhis2 and adx codecs: data elements to
// Indicators, org units to reporters, and the dimensions each data element
// carries.
type Binding struct {
	Map    *exchange.Map
	format string
	byCode map[string]*Indicator
	byName map[string]*Indicator
	// dims lists, by data element, the dimensions its values carry
	// (options.dataElementDimensions); a data element not listed may carry
	// any.
	dims map[string][]string
	// ignored data elements are skipped on read (options.ignoreDataElements).
	ignored map[string]bool
}

// Bind checks a map's indicators for format: each has a code and a cadence,
// and no code names two Indicators.
func Bind(m *exchange.Map, format string, dims map[string][]string, ignore []string) (*Binding, error) {
	b := &Binding{Map: m, format: format, byCode: map[string]*Indicator{}, byName: map[string]*Indicator{},
		dims: map[string][]string{}, ignored: map[string]bool{}}
	for i, in := range m.Indicators {
		where := fmt.Sprintf("%s: indicators[%d] (%s)", m.File, i, in.Indicator)
		if in.Code == "" {
			return nil, fmt.Errorf("%s: code is required for %s: write the data element's code (or uid) as it appears in the files", where, format)
		}
		if !evaluate.KnownCadence(in.Cadence) {
			return nil, fmt.Errorf("%s: cadence is required for %s and must be one of Monthly, Quarterly, SemiAnnual, Annual: write the Indicator's spec.cadence (and calendar, if it sets one)", where, format)
		}
		if other, ok := b.byCode[in.Code]; ok && other.Name != in.Indicator {
			return nil, fmt.Errorf("%s: code %q already names Indicator %s: a data element feeds one Indicator", where, in.Code, other.Name)
		}
		ind := b.byName[in.Indicator]
		if ind == nil {
			ind = &Indicator{Name: in.Indicator, Cadence: in.Cadence, Calendar: evaluate.CalendarOf(in.Calendar)}
			b.byName[in.Indicator] = ind
		} else if ind.Cadence != in.Cadence || ind.Calendar != evaluate.CalendarOf(in.Calendar) {
			return nil, fmt.Errorf("%s: cadence and calendar differ from an earlier entry of the same Indicator: write the same", where)
		}
		if _, ok := b.byCode[in.Code]; !ok {
			ind.Codes = append(ind.Codes, in.Code)
		}
		b.byCode[in.Code] = ind
	}
	for code, ds := range dims {
		if b.byCode[code] == nil {
			return nil, fmt.Errorf("%s: options.dataElementDimensions names %q, which no indicators[].code is", m.File, code)
		}
		sorted := append([]string(nil), ds...)
		sort.Strings(sorted)
		b.dims[code] = sorted
	}
	for _, code := range ignore {
		b.ignored[code] = true
	}
	return b, nil
}

// Lookup returns the Indicator of a data element; ignore is true for a data
// element the map lists in options.ignoreDataElements.
func (b *Binding) Lookup(code string) (ind *Indicator, ignore bool, err error) {
	if ind := b.byCode[code]; ind != nil {
		return ind, false, nil
	}
	if b.ignored[code] {
		return nil, true, nil
	}
	return nil, false, fmt.Errorf("data element %q is not in the map: add it to indicators (indicator, code, cadence) in %s, or list it in options.ignoreDataElements", code, b.Map.File)
}

// Reporter returns the reporter of an org unit.
func (b *Binding) Reporter(orgUnit string) (string, error) {
	if orgUnit == "" {
		if b.Map.Reporter != "" {
			return b.Map.Reporter, nil
		}
		return "", fmt.Errorf("no org unit: write orgUnit, or set reporter in %s", b.Map.File)
	}
	if r, ok := b.Map.Reporters[orgUnit]; ok && r != "" {
		return r, nil
	}
	return "", fmt.Errorf("org unit %q is not in the map: add it to reporters in %s (%s: <reporter>)", orgUnit, b.Map.File, orgUnit)
}

// OrgUnit returns the org unit of a reporter: the one reporters entry that
// names it; a figure without a reporter (an Indicator's combined figure) is
// the map's reporter's.
func (b *Binding) OrgUnit(reporter string) (string, error) {
	if reporter == "" {
		if b.Map.Reporter == "" {
			return "", fmt.Errorf("a figure without a reporter: set reporter in %s (and its org unit in reporters)", b.Map.File)
		}
		reporter = b.Map.Reporter
	}
	found := Keys(b.Map.Reporters, func(r string) bool { return r == reporter })
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("reporter %q has no org unit: add it to reporters in %s (<org unit>: %s)", reporter, b.Map.File, reporter)
	}
	return "", fmt.Errorf("reporter %q has several org units in %s (%s): keep one", reporter, b.Map.File, strings.Join(found, ", "))
}

// CheckDimensions refuses categories of other dimensions than those a data
// element carries (options.dataElementDimensions).
func (b *Binding) CheckDimensions(code string, categories map[string]string) error {
	want, ok := b.dims[code]
	if !ok {
		return nil
	}
	got := slices.Sorted(maps.Keys(categories))
	if strings.Join(got, ",") != strings.Join(want, ",") {
		return fmt.Errorf("data element %q carries [%s] (options.dataElementDimensions) but this value gives [%s]", code, strings.Join(want, ", "), strings.Join(got, ", "))
	}
	return nil
}

// Code returns the data element a figure is written under: the Indicator's
// only code, or the one whose options.dataElementDimensions are the
// figure's dimensions. When every code of the Indicator lists its
// dimensions, a figure of other dimensions (a table the DHIS2 data set does
// not take) is left out: skip is true.
func (b *Binding) Code(f exchange.Figure) (code string, ind *Indicator, skip bool, err error) {
	ind = b.byName[f.Indicator]
	if ind == nil {
		return "", nil, false, fmt.Errorf("Indicator %s is not in %s: add it to indicators (indicator, code, cadence)", f.Indicator, b.Map.File)
	}
	got := strings.Join(slices.Sorted(maps.Keys(f.Categories)), ",")
	var match []string
	declared := 0
	for _, code := range ind.Codes {
		want, ok := b.dims[code]
		if ok {
			declared++
		}
		if (ok && strings.Join(want, ",") == got) || (!ok && len(ind.Codes) == 1) {
			match = append(match, code)
		}
	}
	switch {
	case len(match) == 1:
		return match[0], ind, false, nil
	case len(match) == 0 && declared == len(ind.Codes):
		return "", ind, true, nil
	}
	return "", nil, false, fmt.Errorf("Indicator %s: no single data element carries [%s]: list each of its codes (%s) in options.dataElementDimensions of %s with the dimensions it carries",
		f.Indicator, strings.ReplaceAll(got, ",", ", "), strings.Join(ind.Codes, ", "), b.Map.File)
}

// Keys are the sorted keys of m whose values match: the reverse of a map
// from source codes, for writing.
func Keys[V any](m map[string]V, match func(V) bool) []string {
	var out []string
	for k, v := range m {
		if match(v) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Value checks a source value: a decimal number in the API's pattern (or
// "true"/"false" for a Boolean data element), returned in canonical form.
func Value(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "true" || s == "false" {
		return s, nil
	}
	r, err := evaluate.ParseNumber(s)
	if err != nil {
		return "", err
	}
	return evaluate.Format(r, 6), nil
}

// Seen finds figures read twice: the same Indicator, period, reporter and
// categories.
type Seen map[string]exchange.Location

// Add records a figure; a repeat is an error naming the first place.
func (s Seen) Add(f exchange.Figure) error {
	var k strings.Builder
	fmt.Fprintf(&k, "%q %q %q", f.Indicator, f.Period, f.Reporter)
	for _, d := range slices.Sorted(maps.Keys(f.Categories)) {
		fmt.Fprintf(&k, " %q=%q", d, f.Categories[d])
	}
	if first, ok := s[k.String()]; ok {
		return fmt.Errorf("the same figure as %s (Indicator %s, period %s, reporter %s, %s): keep one", first, f.Indicator, f.Period, f.Reporter, exchange.CellText(f.Categories))
	}
	s[k.String()] = f.Source
	return nil
}

// Placed is where a figure is written: its data element, org unit, the
// months of its period, and its value.
type Placed struct {
	Code, OrgUnit, Value string
	Span                 Span
}

// Place finds where a figure is written; ok is false for a figure left
// out (suppressed, or a table no data element takes).
func (b *Binding) Place(f exchange.Figure) (p Placed, ok bool, err error) {
	if p.Value, ok, err = WriteValue(f); !ok || err != nil {
		return Placed{}, false, err
	}
	code, ind, skip, err := b.Code(f)
	if skip || err != nil {
		return Placed{}, false, err
	}
	span, err := SpanOf(f.Period, ind)
	if err != nil {
		return Placed{}, false, err
	}
	ou, err := b.OrgUnit(f.Reporter)
	if err != nil {
		return Placed{}, false, err
	}
	return Placed{Code: code, OrgUnit: ou, Value: p.Value, Span: span}, true, nil
}

// ReadInput reads a whole file (named name, for messages).
func ReadInput(name string, in io.Reader) ([]byte, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

// WriteValue is the value a figure is written with; suppressed figures
// are not written (ok false), and ratio figures have no single value.
func WriteValue(f exchange.Figure) (v string, ok bool, err error) {
	if f.Status == exchange.Suppressed {
		return "", false, nil
	}
	if f.Value == "" {
		if f.Numerator != "" || f.Denominator != "" {
			return "", false, fmt.Errorf("Indicator %s, period %s: a ratio (numerator %s, denominator %s) has no single data value: map a Count indicator for each of its parts instead", f.Indicator, f.Period, f.Numerator, f.Denominator)
		}
		return "", false, fmt.Errorf("Indicator %s, period %s, reporter %s: a published figure without a value", f.Indicator, f.Period, f.Reporter)
	}
	v, err = Value(f.Value)
	if err != nil {
		return "", false, fmt.Errorf("Indicator %s, period %s: %w", f.Indicator, f.Period, err)
	}
	return v, true, nil
}
