package sdmx

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/exchange"
)

// Read reads SDMX-CSV observations of the map's series: one Figure per
// row whose SERIES the map names and whose REF_AREA is options.refArea
// (rows of other series and areas are ignored, as are rows without a
// value). A breakdown column other than _T gives the figure's category
// (through the map's dimensions); a code the map does not name is an
// error. The header must name at least SERIES, TIME_PERIOD and OBS_VALUE.
func (Codec) Read(m *exchange.Map, name string, r io.Reader) (exchange.Read, error) {
	var out exchange.Read
	var o Options
	if err := m.DecodeOptions(&o); err != nil {
		return out, err
	}
	if err := o.check(m); err != nil {
		return out, err
	}
	series := map[string]string{}
	for _, im := range m.Indicators {
		series[im.Code] = im.Indicator
	}
	byColumn := map[string]struct {
		dimension string
		index     int
		codes     map[string]string
	}{}
	for k, d := range m.Dimensions {
		byColumn[d.Source] = struct {
			dimension string
			index     int
			codes     map[string]string
		}{d.Dimension, k, d.Categories}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return out, fmt.Errorf("%s:1: reading the header: %w (write the SDMX-CSV header row: %s)", name, err, strings.Join(Header(), ","))
	}
	at := map[string]int{}
	for i, h := range header {
		at[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, need := range []string{"SERIES", "TIME_PERIOD", "OBS_VALUE"} {
		if _, ok := at[need]; !ok {
			return out, fmt.Errorf("%s:1: the header has no %s column: write the SDMX-CSV header row: %s", name, need, strings.Join(Header(), ","))
		}
	}
	get := func(rec []string, col string) string {
		if i, ok := at[col]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		loc := exchange.Location{File: name, Line: line}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				loc.Line = pe.Line
			}
			return out, fmt.Errorf("%s: malformed CSV: %w (quote fields that hold commas or quotes)", loc, err)
		}
		if len(rec) != len(header) {
			return out, fmt.Errorf("%s: %d fields, the header has %d: write one field per column", loc, len(rec), len(header))
		}
		ind, ok := series[get(rec, "SERIES")]
		if !ok {
			out.Ignored = append(out.Ignored, exchange.Ignored{Location: loc, Reason: fmt.Sprintf("series %q is not in the map", get(rec, "SERIES"))})
			continue
		}
		if area := get(rec, "REF_AREA"); area != "" && area != o.RefArea {
			out.Ignored = append(out.Ignored, exchange.Ignored{Location: loc, Reason: fmt.Sprintf("REF_AREA %s is not options.refArea %s", area, o.RefArea)})
			continue
		}
		var categories map[string]string
		for _, col := range breakdownDims {
			code := get(rec, col)
			if code == "" || code == "_T" {
				continue
			}
			d, ok := byColumn[col]
			if !ok {
				return out, fmt.Errorf("%s: %s %q: the map's dimensions name no dimension with source %s: add one, or leave the column _T", loc, col, code, col)
			}
			cat, ok := d.codes[code]
			if !ok {
				return out, fmt.Errorf("%s: %s %q: dimensions[%d].categories has no code %q: add it with the category it stands for", loc, col, code, d.index, code)
			}
			if categories == nil {
				categories = map[string]string{}
			}
			categories[d.dimension] = cat
		}
		value := get(rec, "OBS_VALUE")
		if value == "" {
			out.Ignored = append(out.Ignored, exchange.Ignored{Location: loc, Reason: "no OBS_VALUE"})
			continue
		}
		num, err := evaluate.ParseNumber(value)
		if err != nil {
			return out, fmt.Errorf("%s: OBS_VALUE %q is not a decimal number: write it like 12 or 0.84", loc, value)
		}
		period, ok := concordPeriod(get(rec, "TIME_PERIOD"))
		if !ok {
			return out, fmt.Errorf("%s: TIME_PERIOD %q: write it like 2026, 2026-S1, 2026-Q1 or 2026-03", loc, get(rec, "TIME_PERIOD"))
		}
		f := exchange.Figure{Indicator: ind, Period: period, Reporter: m.Reporter, Value: evaluate.Format(num, 12), Categories: categories, Source: loc}
		out.Figures = append(out.Figures, f)
	}
	return out, nil
}
