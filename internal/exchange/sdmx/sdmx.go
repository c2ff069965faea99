// Package sdmx is the sdmx-csv format: SDMX-CSV (version 1.0: a DATAFLOW
// column, then the dimensions, TIME_PERIOD, OBS_VALUE and the attributes)
// for the UN global SDG database's dataflow IAEG-SDGs:DF_SDG_GLH, such as
// SDG indicator 16.2.2 (series VC_HTF_DETV, victims detected, a count, and
// VC_HTF_DETVR, per 100,000 population).
//
// Each Figure is one observation. The map's indicators[].code is the
// SERIES; its dimensions name the SDMX dimension a Concord dimension goes
// to (source: SEX, AGE, ...) and the SDMX code of each category
// (categories: {F: female, M: male}). A figure of a dimension the map does
// not name is not written (the dataflow has no column for it); a category
// the map does not name is an error. Every dimension a figure does not
// break down is _T (total). A suppressed figure has an empty OBS_VALUE,
// OBS_STATUS O (missing value) and CONF_STATUS C (confidential).
//
// Options:
//
//	refArea: "498"               # REF_AREA, the M49 code of the country (required)
//	dataflow: IAEG-SDGs:DF_SDG_GLH(1.24)   # the DATAFLOW column (default)
//	reportingType: N             # REPORTING_TYPE: N national (default), G global
//	nature: C                    # NATURE: C country data (default)
//	obsStatus: A                 # OBS_STATUS of published figures: A normal (default)
//	units: {VC_HTF_DETV: NUMBER} # UNIT_MEASURE per series (defaults: VC_HTF_DETV NUMBER,
//	                             # VC_HTF_DETVR PER_100000_POP, others NUMBER)
//	unitMult: "0"                # UNIT_MULT (default 0)
//	source: National referral mechanism case records   # SOURCE_DETAIL
package sdmx

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/concord-operator/concord/internal/exchange"
)

// Format is the format's name for --format and map files.
const Format = "sdmx-csv"

func init() { exchange.Register(Format, Codec{}) }

// Codec reads and writes SDMX-CSV.
type Codec struct{}

// Options are the map's options for sdmx-csv.
type Options struct {
	RefArea       string            `json:"refArea"`
	Dataflow      string            `json:"dataflow,omitempty"`
	ReportingType string            `json:"reportingType,omitempty"`
	Nature        string            `json:"nature,omitempty"`
	ObsStatus     string            `json:"obsStatus,omitempty"`
	Units         map[string]string `json:"units,omitempty"`
	UnitMult      string            `json:"unitMult,omitempty"`
	Source        string            `json:"source,omitempty"`
}

// DefaultDataflow is the DATAFLOW column's value without the option.
const DefaultDataflow = "IAEG-SDGs:DF_SDG_GLH(1.24)"

// Dimensions are the dataflow's dimensions, in its column order (FREQ to
// PRODUCT; TIME_PERIOD follows).
var Dimensions = []string{
	"FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE",
	"EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT",
}

// breakdownDims are the dimensions a Concord dimension may go to.
var breakdownDims = Dimensions[4:]

// Attributes are the columns after OBS_VALUE.
var Attributes = []string{"OBS_STATUS", "CONF_STATUS", "UNIT_MULT", "UNIT_MEASURE", "NATURE", "SOURCE_DETAIL"}

// Header is the file's header row.
func Header() []string {
	h := append([]string{"DATAFLOW"}, Dimensions...)
	h = append(h, "TIME_PERIOD", "OBS_VALUE")
	return append(h, Attributes...)
}

var m49 = regexp.MustCompile(`^[0-9]{3}$`)

func (o *Options) check(m *exchange.Map) error {
	if !m49.MatchString(o.RefArea) {
		return fmt.Errorf("%s: options.refArea %q: write the country's 3-digit UN M49 code, such as \"498\" for the Republic of Moldova", m.File, o.RefArea)
	}
	if o.Dataflow == "" {
		o.Dataflow = DefaultDataflow
	}
	if o.ReportingType == "" {
		o.ReportingType = "N"
	}
	if o.Nature == "" {
		o.Nature = "C"
	}
	if o.ObsStatus == "" {
		o.ObsStatus = "A"
	}
	if o.UnitMult == "" {
		o.UnitMult = "0"
	}
	return nil
}

func (o *Options) unit(series string) string {
	if u := o.Units[series]; u != "" {
		return u
	}
	if series == "VC_HTF_DETVR" {
		return "PER_100000_POP"
	}
	return "NUMBER"
}

// dimensionCodes is how one Concord dimension is written: its SDMX column
// and each category's code.
type dimensionCodes struct {
	column string
	codes  map[string]string // category -> code
	index  int               // in m.Dimensions, for messages
}

func codesOf(m *exchange.Map) (map[string]dimensionCodes, error) {
	out := map[string]dimensionCodes{}
	for k, d := range m.Dimensions {
		if !slices.Contains(breakdownDims, d.Source) {
			return nil, fmt.Errorf("%s: dimensions[%d].source %q is not a breakdown dimension of the dataflow: use one of %s", m.File, k, d.Source, strings.Join(breakdownDims, ", "))
		}
		dc := dimensionCodes{column: d.Source, codes: map[string]string{}, index: k}
		for code, cat := range d.Categories {
			if prev, ok := dc.codes[cat]; ok {
				return nil, fmt.Errorf("%s: dimensions[%d].categories: %q and %q both name category %q: an export needs one code per category", m.File, k, prev, code, cat)
			}
			dc.codes[cat] = code
		}
		out[d.Dimension] = dc
	}
	return out, nil
}

// Write writes the figures as SDMX-CSV observations, sorted by series,
// time period and breakdown (totals first).
func (Codec) Write(m *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	var o Options
	if err := m.DecodeOptions(&o); err != nil {
		return err
	}
	if err := o.check(m); err != nil {
		return err
	}
	series := map[string]string{}
	for k, im := range m.Indicators {
		if im.Code == "" {
			return fmt.Errorf("%s: indicators[%d] (%s): code is required: the SDMX series, such as VC_HTF_DETV", m.File, k, im.Indicator)
		}
		series[im.Indicator] = im.Code
	}
	dims, err := codesOf(m)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, f := range figures {
		code, ok := series[f.Indicator]
		if !ok {
			continue
		}
		row, ok, err := o.row(m, dims, code, f)
		if err != nil {
			return err
		}
		if ok {
			rows = append(rows, row)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(rows[i], rows[j]) })
	cw := csv.NewWriter(w)
	if err := cw.Write(Header()); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// row is one figure's observation; false for a figure of a dimension the
// map does not name.
func (o *Options) row(m *exchange.Map, dims map[string]dimensionCodes, series string, f exchange.Figure) ([]string, bool, error) {
	freq, period, err := timePeriod(f.Period)
	if err != nil {
		return nil, false, fmt.Errorf("%s: Indicator %s: %w", m.File, f.Indicator, err)
	}
	byColumn := map[string]string{}
	for dim, cat := range f.Categories {
		dc, ok := dims[dim]
		if !ok {
			return nil, false, nil
		}
		code, ok := dc.codes[cat]
		if !ok {
			return nil, false, fmt.Errorf("%s: dimensions[%d] (%s): no %s code for category %q (Indicator %s, %s): add it to categories, such as \"_O\": %s", m.File, dc.index, dim, dc.column, cat, f.Indicator, f.Period, cat)
		}
		byColumn[dc.column] = code
	}
	values := map[string]string{
		"FREQ": freq, "REPORTING_TYPE": o.ReportingType, "SERIES": series, "REF_AREA": o.RefArea,
	}
	row := []string{o.Dataflow}
	for _, d := range Dimensions {
		v, ok := values[d]
		if !ok {
			v = "_T"
			if c, ok := byColumn[d]; ok {
				v = c
			}
		}
		row = append(row, v)
	}
	value, obsStatus, conf := f.Value, o.ObsStatus, "F"
	if f.Status == exchange.Suppressed {
		value, obsStatus, conf = "", "O", "C"
	}
	row = append(row, period, value, obsStatus, conf, o.UnitMult, o.unit(series), o.Nature, o.Source)
	return row, true, nil
}

var (
	annual     = regexp.MustCompile(`^[0-9]{4}$`)
	semiAnnual = regexp.MustCompile(`^[0-9]{4}-[HS][12]$`)
	quarterly  = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)
	monthly    = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
)

// timePeriod is a Concord period in SDMX's time format, with its FREQ:
// 2026 (A), 2026-S1 (S), 2026-Q1 (Q), 2026-03 (M).
func timePeriod(p string) (freq, period string, err error) {
	switch {
	case annual.MatchString(p):
		return "A", p, nil
	case semiAnnual.MatchString(p) && p[5] == 'H':
		return "S", p[:4] + "-S" + p[6:], nil
	case quarterly.MatchString(p):
		return "Q", p, nil
	case monthly.MatchString(p):
		return "M", p, nil
	}
	return "", "", fmt.Errorf("period %q has no SDMX time format: sdmx-csv writes Annual (2026), SemiAnnual (2026-H1), Quarterly (2026-Q1) and Monthly (2026-03) periods", p)
}

// concordPeriod is an SDMX TIME_PERIOD as Concord writes it (2026-S1 is
// 2026-H1).
func concordPeriod(p string) (string, bool) {
	switch {
	case annual.MatchString(p), quarterly.MatchString(p), monthly.MatchString(p):
		return p, true
	case semiAnnual.MatchString(p) && p[5] == 'S':
		return p[:4] + "-H" + p[6:], true
	}
	return "", false
}

// column is the index of each header column.
var column = func() map[string]int {
	out := map[string]int{}
	for i, h := range Header() {
		out[h] = i
	}
	return out
}()

// less orders rows by SERIES, TIME_PERIOD, then the breakdown columns,
// _T first.
func less(a, b []string) bool {
	for _, col := range []string{"SERIES", "TIME_PERIOD"} {
		if i := column[col]; a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	for _, d := range breakdownDims {
		if i := column[d]; a[i] != b[i] {
			if a[i] == "_T" || b[i] == "_T" {
				return a[i] == "_T"
			}
			return a[i] < b[i]
		}
	}
	return false
}
