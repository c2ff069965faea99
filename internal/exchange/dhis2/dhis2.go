// Package dhis2 is the dhis2 codec: DHIS2 dataValueSets in JSON
// ({"dataValues": [{"dataElement", "period", "orgUnit",
// "categoryOptionCombo", "attributeOptionCombo", "value"}]}) and CSV (the
// columns dataelement, period, orgunit, categoryoptioncombo,
// attributeoptioncombo, value, storedby, lastupdated, comment, followup,
// deleted). Data elements are Indicators (indicators[].code), org units
// reporters (reporters), category option combos categories
// (options.categoryOptionCombos); periods are written in DHIS2 notation
// (2026Q1, 202603, 2026, 2025July) and converted with each Indicator's
// cadence and calendar.
//
// It also holds what the adx codec shares: the checked map (Binding) and
// periods as runs of months (Span).
package dhis2

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/concord-operator/concord/internal/exchange"
)

func init() { exchange.Register("dhis2", Codec{}) }

// Options are the dhis2 map's options.
type Options struct {
	// CategoryOptionCombos maps each category option combo (uid or code,
	// as the files write it) to the categories it stands for; {} is the
	// total. A value without a combo, or with "default" or DHIS2's default
	// uid HllvX50cXC0, is the total unless the map names it otherwise.
	CategoryOptionCombos map[string]map[string]string `json:"categoryOptionCombos,omitempty"`
	// DataElementDimensions lists, for an Indicator with several data
	// elements (a total, one by sex, one by age), the dimensions each
	// carries, so that export picks the right one and import refuses a
	// combo of other dimensions.
	DataElementDimensions map[string][]string `json:"dataElementDimensions,omitempty"`
	// IgnoreDataElements are data elements import skips (reported as
	// ignored); any other data element the map does not name is an error.
	IgnoreDataElements []string `json:"ignoreDataElements,omitempty"`
	// AttributeOptionCombo written on export; when set, import refuses
	// values of another attribute option combo.
	AttributeOptionCombo string `json:"attributeOptionCombo,omitempty"`
	// DataSet written on export (JSON only; DHIS2 CSV has no such column).
	DataSet string `json:"dataSet,omitempty"`
	// Encoding of export: json (the default) or csv. Import reads both.
	Encoding string `json:"encoding,omitempty"` // Combined exports each Indicator's combined figures (all reporters'
	// summed, as reports give them) under the map's reporter, a national
	// org unit. Without it, export writes each reporter's figures under
	// its own org unit (reporters), as import read them.
	Combined bool `json:"combined,omitempty"`
}

// ByReporter is true unless options.combined: DHIS2 keys data values by
// org unit, and aggregates them up its hierarchy itself.
func (Codec) ByReporter(m *exchange.Map) bool {
	o := &Options{}
	return m.DecodeOptions(o) != nil || !o.Combined
}

// defaultCombos are DHIS2's names of the default category option combo.
var defaultCombos = []string{"", "default", "HllvX50cXC0"}

// Codec reads and writes DHIS2 dataValueSets.
type Codec struct{}

// setup reads the map's options and checks it.
func setup(m *exchange.Map) (*Options, *Binding, error) {
	o := &Options{}
	if err := m.DecodeOptions(o); err != nil {
		return nil, nil, err
	}
	switch o.Encoding {
	case "", "json", "csv":
	default:
		return nil, nil, fmt.Errorf("%s: options.encoding %q: write json or csv", m.File, o.Encoding)
	}
	b, err := Bind(m, "dhis2", o.DataElementDimensions, o.IgnoreDataElements)
	if err != nil {
		return nil, nil, err
	}
	return o, b, nil
}

// dataValue is one DHIS2 data value, as JSON and CSV hold it.
type dataValue struct {
	DataElement          string          `json:"dataElement"`
	Period               string          `json:"period,omitempty"`
	OrgUnit              string          `json:"orgUnit,omitempty"`
	CategoryOptionCombo  string          `json:"categoryOptionCombo,omitempty"`
	AttributeOptionCombo string          `json:"attributeOptionCombo,omitempty"`
	Value                json.RawMessage `json:"value"`
	Deleted              bool            `json:"deleted,omitempty"`
}

// reader turns data values into figures under the map.
type reader struct {
	o    *Options
	b    *Binding
	name string
	out  exchange.Read
	seen Seen
}

// add reads one data value (value already a string) found at loc; the
// error is the reason, which the caller prefixes with the place.
func (r *reader) add(loc exchange.Location, v dataValue, value string, deleted bool) error {
	ind, ignore, err := r.b.Lookup(v.DataElement)
	if ignore {
		r.out.Ignored = append(r.out.Ignored, exchange.Ignored{Location: loc, Reason: fmt.Sprintf("data element %q is in options.ignoreDataElements", v.DataElement)})
		return nil
	}
	if err != nil {
		return err
	}
	if deleted {
		r.out.Ignored = append(r.out.Ignored, exchange.Ignored{Location: loc, Reason: "deleted in DHIS2"})
		return nil
	}
	if strings.TrimSpace(value) == "" {
		r.out.Ignored = append(r.out.Ignored, exchange.Ignored{Location: loc, Reason: "no value"})
		return nil
	}
	span, err := ParsePeriod(v.Period)
	if err != nil {
		return err
	}
	period, err := PeriodOf(span, v.Period, ind, FormatPeriod)
	if err != nil {
		return err
	}
	reporter, err := r.b.Reporter(v.OrgUnit)
	if err != nil {
		return err
	}
	if r.o.AttributeOptionCombo != "" && v.AttributeOptionCombo != "" && v.AttributeOptionCombo != r.o.AttributeOptionCombo {
		return fmt.Errorf("attribute option combo %q is not options.attributeOptionCombo %q: export one attribute option combo per file", v.AttributeOptionCombo, r.o.AttributeOptionCombo)
	}
	cats, err := r.categories(v.CategoryOptionCombo)
	if err != nil {
		return err
	}
	if err := r.b.CheckDimensions(v.DataElement, cats); err != nil {
		return err
	}
	val, err := Value(value)
	if err != nil {
		return err
	}
	f := exchange.Figure{Indicator: ind.Name, Period: period, Reporter: reporter, Categories: cats, Value: val, Source: loc}
	if err := r.seen.Add(f); err != nil {
		return err
	}
	r.out.Figures = append(r.out.Figures, f)
	return nil
}

// categories of a category option combo.
func (r *reader) categories(coc string) (map[string]string, error) {
	if cats, ok := r.o.CategoryOptionCombos[coc]; ok {
		if len(cats) == 0 {
			return nil, nil
		}
		out := make(map[string]string, len(cats))
		for d, c := range cats {
			out[d] = c
		}
		return out, nil
	}
	for _, d := range defaultCombos {
		if coc == d {
			return nil, nil
		}
	}
	return nil, fmt.Errorf("category option combo %q is not in the map: add it to options.categoryOptionCombos in %s (%s: {<dimension>: <category>, ...}, or {} for the total)", coc, r.b.Map.File, coc)
}

// Read parses a dataValueSet in JSON (the file starts with "{") or CSV.
func (Codec) Read(m *exchange.Map, name string, in io.Reader) (exchange.Read, error) {
	o, b, err := setup(m)
	if err != nil {
		return exchange.Read{}, err
	}
	data, err := ReadInput(name, in)
	if err != nil {
		return exchange.Read{}, err
	}
	r := &reader{o: o, b: b, name: name, seen: Seen{}}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if bytes.HasPrefix(trimmed, []byte("\xef\xbb\xbf")) {
		trimmed = trimmed[3:]
	}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		err = r.readJSON(data)
	} else {
		err = r.readCSV(data)
	}
	if err != nil {
		return exchange.Read{}, err
	}
	return r.out, nil
}

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// readJSON reads {"dataValues": [...]} with the set's own period, orgUnit
// and attributeOptionCombo as defaults of its values.
func (r *reader) readJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	// fail places an error: Token's errors hold offsets in the input,
	// Decode's from base, where the value being decoded starts.
	fail := func(err error, base int64) error {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		off := dec.InputOffset()
		switch {
		case errors.As(err, &syn):
			off = base + syn.Offset
		case errors.As(err, &typ):
			off = base + typ.Offset
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return fmt.Errorf("%s:%d: the JSON ends early: close every { and [", r.name, lineAt(data, int64(len(data))))
		}
		return fmt.Errorf("%s:%d: not a DHIS2 dataValueSet: %v (write {\"dataValues\": [{\"dataElement\": ..., \"period\": ..., \"orgUnit\": ..., \"value\": ...}]})", r.name, lineAt(data, off), err)
	}
	// valueBase is where Decode starts reading the next value: past the
	// whitespace and the comma or colon before it.
	valueBase := func() int64 {
		at := dec.InputOffset()
		off := at
		for off < int64(len(data)) && strings.ContainsRune(" \t\r\n", rune(data[off])) {
			off++
		}
		if off < int64(len(data)) && (data[off] == ',' || data[off] == ':') {
			return off + 1
		}
		return at
	}
	if t, err := dec.Token(); err != nil {
		return fail(err, 0)
	} else if t != json.Delim('{') {
		return fail(fmt.Errorf("expected an object"), 0)
	}
	type item struct {
		loc exchange.Location
		at  string
		v   dataValue
	}
	var items []item
	var set struct{ period, orgUnit, aoc string }
	found := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fail(err, 0)
		}
		key, _ := t.(string)
		var dst *string
		switch key {
		case "period":
			dst = &set.period
		case "orgUnit":
			dst = &set.orgUnit
		case "attributeOptionCombo":
			dst = &set.aoc
		case "dataValues":
			found = true
			if t, err := dec.Token(); err != nil {
				return fail(err, 0)
			} else if t != json.Delim('[') {
				return fail(fmt.Errorf("dataValues is not a list"), 0)
			}
			for i := 0; dec.More(); i++ {
				base := valueBase()
				start := base
				for start < int64(len(data)) && strings.ContainsRune(" \t\r\n", rune(data[start])) {
					start++
				}
				var v dataValue
				if err := dec.Decode(&v); err != nil {
					return fail(err, base)
				}
				items = append(items, item{loc: exchange.Location{File: r.name, Line: lineAt(data, start)}, at: fmt.Sprintf("dataValues[%d]", i), v: v})
			}
			if _, err := dec.Token(); err != nil {
				return fail(err, 0)
			}
			continue
		}
		base := valueBase()
		if dst == nil {
			var skip json.RawMessage
			err = dec.Decode(&skip)
		} else {
			err = dec.Decode(dst)
		}
		if err != nil {
			return fail(err, base)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err, 0)
	}
	if !found {
		return fmt.Errorf("%s:1: no dataValues: a DHIS2 dataValueSet lists its values in \"dataValues\": [...]", r.name)
	}
	for _, it := range items {
		v := it.v
		if v.Period == "" {
			v.Period = set.period
		}
		if v.OrgUnit == "" {
			v.OrgUnit = set.orgUnit
		}
		if v.AttributeOptionCombo == "" {
			v.AttributeOptionCombo = set.aoc
		}
		value, err := jsonValue(v.Value)
		if err == nil {
			err = r.add(it.loc, v, value, v.Deleted)
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %w", it.loc, it.at, err)
		}
	}
	return nil
}

// jsonValue is a value written as a string (as DHIS2 does) or a number.
func jsonValue(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	}
	if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') || string(raw) == "true" || string(raw) == "false" {
		return string(raw), nil
	}
	return "", fmt.Errorf("value %s is not a number (write it like \"52\")", raw)
}

// csvColumns are DHIS2's CSV columns, in its order.
var csvColumns = []string{"dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value", "storedby", "lastupdated", "comment", "followup", "deleted"}

// readCSV reads DHIS2's CSV: an optional header row naming the columns
// (in any order), else DHIS2's column order.
func (r *reader) readCSV(data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	col := map[string]int{}
	for i, c := range csvColumns {
		col[c] = i
	}
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s:%d: malformed CSV: %v (quote fields that hold commas or quotes)", r.name, pe.StartLine, pe.Err)
			}
			return fmt.Errorf("%s: %w", r.name, err)
		}
		line, _ := cr.FieldPos(0)
		loc := exchange.Location{File: r.name, Line: line}
		if row == 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "dataelement") {
			col = map[string]int{}
			for i, h := range rec {
				h = strings.ToLower(strings.TrimSpace(h))
				if !slices.Contains(csvColumns, h) {
					return fmt.Errorf("%s: unknown column %q: DHIS2's columns are %s", loc, h, strings.Join(csvColumns, ", "))
				}
				if _, dup := col[h]; dup {
					return fmt.Errorf("%s: column %q twice", loc, h)
				}
				col[h] = i
			}
			for _, need := range csvColumns[:6] {
				if _, ok := col[need]; !ok && need != "categoryoptioncombo" && need != "attributeoptioncombo" {
					return fmt.Errorf("%s: no %s column: DHIS2's columns are %s", loc, need, strings.Join(csvColumns, ", "))
				}
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if i := col["value"]; i >= len(rec) {
			return fmt.Errorf("%s: %d fields; DHIS2 CSV gives at least %d (%s)", loc, len(rec), i+1, strings.Join(csvColumns[:i+1], ", "))
		}
		v := dataValue{DataElement: get("dataelement"), Period: get("period"), OrgUnit: get("orgunit"),
			CategoryOptionCombo: get("categoryoptioncombo"), AttributeOptionCombo: get("attributeoptioncombo")}
		if err := r.add(loc, v, get("value"), strings.EqualFold(get("deleted"), "true")); err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
	}
}

// outValue is a written data value: the value as a string, as DHIS2 writes.
type outValue struct {
	DataElement          string `json:"dataElement"`
	Period               string `json:"period"`
	OrgUnit              string `json:"orgUnit"`
	CategoryOptionCombo  string `json:"categoryOptionCombo,omitempty"`
	AttributeOptionCombo string `json:"attributeOptionCombo,omitempty"`
	Value                string `json:"value"`
}

// values turns figures into DHIS2 data values: suppressed figures are left
// out (DHIS2 data values have no confidentiality marker).
func values(o *Options, b *Binding, figures []exchange.Figure) ([]outValue, error) {
	var out []outValue
	for _, f := range figures {
		p, ok, err := b.Place(f)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		period, err := FormatPeriod(p.Span)
		if err != nil {
			return nil, fmt.Errorf("Indicator %s, period %s: %w", f.Indicator, f.Period, err)
		}
		coc, err := comboOf(o, f)
		if err != nil {
			return nil, fmt.Errorf("%w in %s", err, b.Map.File)
		}
		out = append(out, outValue{DataElement: p.Code, Period: period, OrgUnit: p.OrgUnit, CategoryOptionCombo: coc,
			AttributeOptionCombo: o.AttributeOptionCombo, Value: p.Value})
	}
	return out, nil
}

// comboOf is the category option combo of a figure's categories: the one
// options.categoryOptionCombos entry with exactly those categories; for the
// total none (DHIS2 takes the default) unless an entry maps to {}.
func comboOf(o *Options, f exchange.Figure) (string, error) {
	found := Keys(o.CategoryOptionCombos, func(cats map[string]string) bool { return maps.Equal(cats, f.Categories) })
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) == 0 && len(f.Categories) == 0:
		return "", nil
	case len(found) == 0:
		return "", fmt.Errorf("Indicator %s: no category option combo stands for %v: add it to options.categoryOptionCombos", f.Indicator, f.Categories)
	}
	return "", fmt.Errorf("Indicator %s: category option combos %s all stand for %v: keep one in options.categoryOptionCombos", f.Indicator, strings.Join(found, ", "), f.Categories)
}

// Write writes the figures as a dataValueSet, JSON or CSV
// (options.encoding), at once.
func (Codec) Write(m *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	o, b, err := setup(m)
	if err != nil {
		return err
	}
	vals, err := values(o, b, figures)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if o.Encoding == "csv" {
		cw := csv.NewWriter(&buf)
		_ = cw.Write(csvColumns)
		for _, v := range vals {
			_ = cw.Write([]string{v.DataElement, v.Period, v.OrgUnit, v.CategoryOptionCombo, v.AttributeOptionCombo, v.Value, "", "", "", "", ""})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	} else {
		set := struct {
			DataSet    string     `json:"dataSet,omitempty"`
			DataValues []outValue `json:"dataValues"`
		}{DataSet: o.DataSet, DataValues: vals}
		if set.DataValues == nil {
			set.DataValues = []outValue{}
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(set); err != nil {
			return err
		}
	}
	_, err = w.Write(buf.Bytes())
	return err
}
