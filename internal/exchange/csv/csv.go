// Package csv is the codec of any CSV file whose columns a mapping file
// names: a period column, a value column (or numerator and denominator
// columns, for Ratio indicators), optionally a reporter and an indicator
// code column, and one column per dimension, whose labels the map turns
// into the Indicator's categories ("Women": female).
//
// Its options (the map's options):
//
//	options:
//	  columns:
//	    period: Quarter          # required: periods as Concord writes them ("2026-Q1")
//	    value: Victims           # or numerator: and denominator:
//	    reporter: Organisation   # optional: else the map's reporter
//	    indicator: Code          # optional: values are the map's indicators[].code
//	  ignoreColumns: [Notes]     # columns of the file the import does not read
//	  delimiter: ";"             # default ","
//	  decimalComma: true         # "9,2" is 9.2 (default false)
//	  sheet: Referrals           # xlsx: the worksheet to read (default: the first)
//
// An Excel workbook (.xlsx, recognised by its content) is read as a CSV
// file would be: the sheet's first row is the header, and its rows are
// the lines that errors name (the row numbers a spreadsheet shows). Cells
// are read as stored, not as displayed: 11.6 shown as "12" is 11.6.
//
// Every column of the file is either named by the map (options.columns,
// dimensions[].source) or listed in ignoreColumns; any other is an error,
// so that a disaggregation is never dropped unnoticed. A row whose value
// columns are blank gives no figure and is reported as ignored; so is one
// whose indicator code the map does not name.
//
// The Open SDG codec (internal/exchange/opensdg) reads its files with the
// same table reader (ReadTable), with fixed columns.
package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/exchange"
)

func init() { exchange.Register("csv", Codec{}) }

// Options are the csv format's options.
type Options struct {
	Columns       Columns  `json:"columns"`
	IgnoreColumns []string `json:"ignoreColumns,omitempty"`
	Delimiter     string   `json:"delimiter,omitempty"`
	DecimalComma  bool     `json:"decimalComma,omitempty"`
	// Sheet of an xlsx workbook to read; empty: the first.
	Sheet string `json:"sheet,omitempty"`
}

// Columns name the file's columns.
type Columns struct {
	Period      string `json:"period"`
	Value       string `json:"value,omitempty"`
	Numerator   string `json:"numerator,omitempty"`
	Denominator string `json:"denominator,omitempty"`
	Reporter    string `json:"reporter,omitempty"`
	Indicator   string `json:"indicator,omitempty"`
}

// Codec reads and writes mapped CSV files.
type Codec struct{}

// maxErrors bounds the errors reported for one file.
const maxErrors = 50

// options decodes and checks the map's csv options.
func options(m *exchange.Map) (Options, error) {
	var o Options
	if err := m.DecodeOptions(&o); err != nil {
		return o, err
	}
	c := o.Columns
	switch {
	case c.Period == "":
		return o, fmt.Errorf("%s: options.columns.period is required: name the column that holds the periods", m.File)
	case c.Value == "" && (c.Numerator == "" || c.Denominator == ""):
		return o, fmt.Errorf("%s: options.columns needs value, or numerator and denominator (Ratio indicators)", m.File)
	case c.Value != "" && (c.Numerator != "" || c.Denominator != ""):
		return o, fmt.Errorf("%s: options.columns names value and numerator/denominator: name one or the other", m.File)
	}
	if _, err := delimiter(m, o.Delimiter); err != nil {
		return o, err
	}
	return o, nil
}

func delimiter(m *exchange.Map, d string) (rune, error) {
	if d == "" {
		return ',', nil
	}
	r := []rune(d)
	if len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
		return 0, fmt.Errorf("%s: options.delimiter %q must be one character, such as \",\" or \";\"", m.File, d)
	}
	return r[0], nil
}

// Read reads a mapped CSV file.
func (Codec) Read(m *exchange.Map, name string, r io.Reader) (exchange.Read, error) {
	o, err := options(m)
	if err != nil {
		return exchange.Read{}, err
	}
	return ReadTable(m, o, name, r)
}

// table is a CSV file or a worksheet being read, with its header.
type table struct {
	name   string
	rows   rowReader
	header []string
	index  map[string]int
}

// rowReader gives a table's records, each with the line (CSV) or row
// (xlsx) it starts on; io.EOF after the last.
type rowReader interface {
	Read() (rec []string, line int, err error)
}

// csvRows are the records of a CSV file.
type csvRows struct {
	name string
	r    *stdcsv.Reader
}

func (c csvRows) Read() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, malformed(c.name, err)
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

// zipMagic starts every xlsx file (a ZIP archive).
var zipMagic = []byte("PK\x03\x04")

// openTable reads the header of a CSV file (a UTF-8 byte order mark, as
// spreadsheets write, is skipped) or of an xlsx workbook's sheet.
func openTable(name string, r io.Reader, delim rune, sheet string) (*table, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(4); err == nil && bytes.Equal(b, zipMagic) {
		return openSheet(name, br, sheet)
	}
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	cr := stdcsv.NewReader(br)
	cr.Comma = delim
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: the file is empty: it needs a header line naming its columns", name)
	}
	if err != nil {
		return nil, malformed(name, err)
	}
	return newTable(name, csvRows{name, cr}, header)
}

// newTable checks a header: names trimmed, none twice.
func newTable(name string, rows rowReader, header []string) (*table, error) {
	t := &table{name: name, rows: rows, header: append([]string(nil), header...), index: map[string]int{}}
	for i, h := range t.header {
		h = strings.TrimSpace(h)
		t.header[i] = h
		if j, dup := t.index[h]; dup {
			return nil, fmt.Errorf("%s:1: column %q appears twice (columns %d and %d): give each column its own name", name, h, j+1, i+1)
		}
		t.index[h] = i
	}
	return t, nil
}

// malformed words an encoding/csv error with its line.
func malformed(name string, err error) error {
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) {
		hint := "quote fields that hold the delimiter, quotes (doubled) or line breaks"
		if errors.Is(pe.Err, stdcsv.ErrFieldCount) {
			hint = "every row needs as many fields as the header has columns"
		}
		return fmt.Errorf("%s:%d: malformed CSV: %v (%s)", name, pe.StartLine, pe.Err, hint)
	}
	return fmt.Errorf("%s: reading: %w", name, err)
}

// column returns the index of a column the map names, or an error naming
// the header's columns.
func (t *table) column(col, what string) (int, error) {
	if i, ok := t.index[col]; ok {
		return i, nil
	}
	return 0, fmt.Errorf("%s:1: column %q (%s) is not in the header, which has %s: name the column as the file does",
		t.name, col, what, quoteList(t.header))
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

// ReadTable reads a CSV file under the map with the given options (the csv
// codec's own, or those the Open SDG codec fixes).
func ReadTable(m *exchange.Map, o Options, name string, r io.Reader) (exchange.Read, error) {
	delim, err := delimiter(m, o.Delimiter)
	if err != nil {
		return exchange.Read{}, err
	}
	t, err := openTable(name, r, delim, o.Sheet)
	if err != nil {
		return exchange.Read{}, err
	}
	var errs []error
	col := func(c, what string) int {
		if c == "" {
			return -1
		}
		i, err := t.column(c, what)
		if err != nil {
			errs = append(errs, err)
			return -1
		}
		return i
	}
	cPeriod := col(o.Columns.Period, "the periods")
	cValue := col(o.Columns.Value, "the values")
	cNum := col(o.Columns.Numerator, "the numerators")
	cDen := col(o.Columns.Denominator, "the denominators")
	cReporter := col(o.Columns.Reporter, "the reporters")
	cIndicator := col(o.Columns.Indicator, "the indicator codes")
	dimCols := make([]int, len(m.Dimensions))
	for i, d := range m.Dimensions {
		dimCols[i] = col(d.Source, "dimensions["+strconv.Itoa(i)+"] "+d.Dimension)
	}
	named := map[string]bool{}
	for _, c := range []string{o.Columns.Period, o.Columns.Value, o.Columns.Numerator, o.Columns.Denominator, o.Columns.Reporter, o.Columns.Indicator} {
		named[c] = true
	}
	for _, d := range m.Dimensions {
		named[d.Source] = true
	}
	for _, c := range o.IgnoreColumns {
		named[c] = true
	}
	for _, h := range t.header {
		if !named[h] {
			errs = append(errs, fmt.Errorf("%s:1: column %q is not mapped: map it as a dimension (dimensions[].source: %q) in %s, or list it in options.ignoreColumns",
				name, h, h, m.File))
		}
	}
	byCode := map[string]string{}
	for _, in := range m.Indicators {
		if in.Code != "" {
			byCode[in.Code] = in.Indicator
		}
	}
	indicator := ""
	switch {
	case cIndicator < 0 && len(m.Indicators) != 1:
		errs = append(errs, fmt.Errorf("%s: the map names %d indicators but no column of indicator codes: name it (options.columns.indicator) or map one indicator", m.File, len(m.Indicators)))
	case cIndicator < 0:
		indicator = m.Indicators[0].Indicator
	}
	if cReporter < 0 && m.Reporter == "" {
		errs = append(errs, fmt.Errorf("%s: no reporter: set reporter (who reports the figures), or name a column of reporters (options.columns.reporter)", m.File))
	}
	if len(errs) > 0 {
		return exchange.Read{}, errors.Join(errs...)
	}

	var out exchange.Read
	field := func(rec []string, i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for {
		rec, line, err := t.rows.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err)
			break // encoding/csv cannot resynchronise after a broken quote
		}
		loc := exchange.Location{File: name, Line: line}
		rowErr := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("%s: "+format, append([]any{loc}, a...)...))
		}
		if len(errs) >= maxErrors {
			errs = append(errs, fmt.Errorf("%s: more errors follow; fix these first", name))
			break
		}
		f := exchange.Figure{Indicator: indicator, Source: loc}
		if cIndicator >= 0 {
			code := field(rec, cIndicator)
			in, ok := byCode[code]
			if !ok {
				out.Ignored = append(out.Ignored, exchange.Ignored{Location: loc, Reason: fmt.Sprintf("indicator code %q is not among the map's indicators[].code", code)})
				continue
			}
			f.Indicator = in
		}
		var blank bool
		if cValue >= 0 {
			v := field(rec, cValue)
			blank = v == ""
			if !blank {
				if f.Value, err = Number(v, o.DecimalComma); err != nil {
					rowErr("column %q: %v", t.header[cValue], err)
					continue
				}
			}
		} else {
			n, d := field(rec, cNum), field(rec, cDen)
			blank = n == "" && d == ""
			if !blank {
				if n == "" || d == "" {
					rowErr("give both numerator (column %q) and denominator (column %q), or leave both blank", t.header[cNum], t.header[cDen])
					continue
				}
				if f.Numerator, err = Number(n, o.DecimalComma); err != nil {
					rowErr("column %q: %v", t.header[cNum], err)
					continue
				}
				if f.Denominator, err = Number(d, o.DecimalComma); err != nil {
					rowErr("column %q: %v", t.header[cDen], err)
					continue
				}
			}
		}
		if blank {
			out.Ignored = append(out.Ignored, exchange.Ignored{Location: loc, Reason: "no value: the value is blank"})
			continue
		}
		if f.Period = field(rec, cPeriod); f.Period == "" {
			rowErr("column %q is blank: give the period, as Concord writes it (\"2026-Q1\", \"2026\")", t.header[cPeriod])
			continue
		}
		f.Reporter = m.Reporter
		if cReporter >= 0 {
			if rep := field(rec, cReporter); rep != "" {
				if len(m.Reporters) == 0 {
					f.Reporter = rep
				} else if f.Reporter = m.Reporters[rep]; f.Reporter == "" {
					rowErr("reporter %q (column %q) is not mapped: add it under reporters in %s", rep, t.header[cReporter], m.File)
					continue
				}
			}
			if f.Reporter == "" {
				rowErr("column %q is blank and the map sets no reporter: give the reporter", t.header[cReporter])
				continue
			}
		}
		ok := true
		for i, d := range m.Dimensions {
			label := field(rec, dimCols[i])
			if label == "" {
				continue
			}
			cat, found := d.Categories[label]
			if !found {
				rowErr("%s %q (column %q) is not mapped: add it under the categories of dimension %s in %s", d.Dimension, label, d.Source, d.Dimension, m.File)
				ok = false
				break
			}
			if f.Categories == nil {
				f.Categories = map[string]string{}
			}
			f.Categories[d.Dimension] = cat
		}
		if ok {
			out.Figures = append(out.Figures, f)
		}
	}
	return out, errors.Join(errs...)
}

// Number reads a figure as Concord writes it (canonical: "9.2", "12",
// "-3"); "true" and "false" (Boolean indicators) are kept. A comma is the
// decimal separator with decimalComma.
func Number(s string, decimalComma bool) (string, error) {
	if s == "true" || s == "false" {
		return s, nil
	}
	n := s
	if decimalComma {
		n = strings.Replace(s, ",", ".", 1)
	}
	r, err := evaluate.ParseNumber(n)
	if err != nil {
		return "", fmt.Errorf("%q is not a number: write it like 52 or 16.5 (at most 15 digits before the point and 6 after; no thousands separators, units or words), or leave it blank", s)
	}
	return evaluate.Format(r, 6), nil
}

// CellLabels returns a figure's labels, one per dimension of the map (""
// where the figure names no category of it), or an error naming a
// dimension or category the map cannot write.
func CellLabels(m *exchange.Map, labels []map[string]string, f exchange.Figure) ([]string, error) {
	out := make([]string, len(m.Dimensions))
	used := 0
	for i, d := range m.Dimensions {
		c, ok := f.Categories[d.Dimension]
		if !ok {
			continue
		}
		used++
		if out[i], ok = labels[i][c]; !ok {
			return nil, fmt.Errorf("%s %s: category %q of dimension %s has no label in %s: add one under the categories of dimension %s",
				f.Indicator, f.Period, c, d.Dimension, m.File, d.Dimension)
		}
	}
	if used != len(f.Categories) {
		for dim := range f.Categories {
			if !m.MapsDimension(dim) {
				return nil, fmt.Errorf("%s %s: dimension %s is not in %s: add it under dimensions", f.Indicator, f.Period, dim, m.File)
			}
		}
	}
	return out, nil
}

// Write writes figures as a mapped CSV file: the columns the map names
// (indicator code, period, reporter, dimensions in the map's order, then
// the value or numerator and denominator), one row per figure in the
// order given. A suppressed figure's value is left blank.
func (c Codec) Write(m *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	o, err := options(m)
	if err != nil {
		return err
	}
	return c.WriteWith(m, o, w, figures)
}

// WriteWith is Write with the given options (those the Open SDG codec
// fixes). The file is built in memory and written at once.
func (Codec) WriteWith(m *exchange.Map, o Options, w io.Writer, figures []exchange.Figure) error {
	delim, err := delimiter(m, o.Delimiter)
	if err != nil {
		return err
	}
	codes := map[string]string{}
	for _, in := range m.Indicators {
		codes[in.Indicator] = in.Code
	}
	reporters := map[string]string{}
	rnames := make([]string, 0, len(m.Reporters))
	for k := range m.Reporters {
		rnames = append(rnames, k)
	}
	sort.Strings(rnames)
	for _, k := range rnames {
		if _, ok := reporters[m.Reporters[k]]; !ok {
			reporters[m.Reporters[k]] = k
		}
	}
	labels := make([]map[string]string, len(m.Dimensions))
	for i, d := range m.Dimensions {
		labels[i] = d.Labels()
	}
	c := o.Columns
	var header []string
	if c.Indicator != "" {
		header = append(header, c.Indicator)
	}
	header = append(header, c.Period)
	if c.Reporter != "" {
		header = append(header, c.Reporter)
	}
	for _, d := range m.Dimensions {
		header = append(header, d.Source)
	}
	if c.Value != "" {
		header = append(header, c.Value)
	} else {
		header = append(header, c.Numerator, c.Denominator)
	}
	var buf bytes.Buffer
	cw := stdcsv.NewWriter(&buf)
	cw.Comma = delim
	_ = cw.Write(header)
	for _, f := range figures {
		var row []string
		if c.Indicator != "" {
			code, ok := codes[f.Indicator]
			if !ok || code == "" {
				return fmt.Errorf("indicator %s has no code in %s: set indicators[].code", f.Indicator, m.File)
			}
			row = append(row, code)
		}
		row = append(row, f.Period)
		if c.Reporter != "" {
			rep := f.Reporter
			if l, ok := reporters[rep]; ok {
				rep = l
			}
			row = append(row, rep)
		}
		cells, err := CellLabels(m, labels, f)
		if err != nil {
			return err
		}
		row = append(row, cells...)
		value, num, den := f.Value, f.Numerator, f.Denominator
		if f.Status == exchange.Suppressed {
			value, num, den = "", "", ""
		}
		if c.Value != "" {
			row = append(row, decimalOut(value, o.DecimalComma))
		} else {
			row = append(row, decimalOut(num, o.DecimalComma), decimalOut(den, o.DecimalComma))
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func decimalOut(s string, comma bool) string {
	if comma {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}
