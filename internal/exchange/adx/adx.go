// Package adx is the adx codec: IHE ADX XML (urn:ihe:qrph:adx:2015), the
// aggregate data exchange profile DHIS2 also speaks:
//
//	<adx xmlns="urn:ihe:qrph:adx:2015">
//	  <group orgUnit="OU" period="2026-01-01/P3M" dataSet="DS">
//	    <dataValue dataElement="DE" SEX="F" value="12"/>
//	  </group>
//	</adx>
//
// Data elements are Indicators (indicators[].code), org units reporters
// (reporters), and disaggregation attributes dimensions (dimensions[]:
// source is the attribute name, categories maps its codes to categories);
// a data value without disaggregation attributes is the total. Periods are
// ISO 8601 start/duration, converted with each Indicator's cadence and
// calendar.
package adx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/dhis2"
)

// Namespace is ADX's XML namespace.
const Namespace = "urn:ihe:qrph:adx:2015"

func init() { exchange.Register("adx", Codec{}) }

// Options are the adx map's options.
type Options struct {
	// DataSet is the groups' dataSet attribute on export (required there).
	DataSet string `json:"dataSet,omitempty"`
	// DataElementDimensions lists, for an Indicator with several data
	// elements, the dimensions each carries (as in dhis2).
	DataElementDimensions map[string][]string `json:"dataElementDimensions,omitempty"`
	// IgnoreDataElements are skipped on import and reported as ignored.
	IgnoreDataElements []string `json:"ignoreDataElements,omitempty"` // Combined exports each Indicator's combined figures (all reporters'
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

// Codec reads and writes ADX.
type Codec struct{}

// groupAttrs are the group attributes that are not disaggregations.
var groupAttrs = map[string]bool{"orgUnit": true, "period": true, "dataSet": true, "completeDate": true, "attributeOptionCombo": true}

func setup(m *exchange.Map) (*Options, *dhis2.Binding, error) {
	o := &Options{}
	if err := m.DecodeOptions(o); err != nil {
		return nil, nil, err
	}
	b, err := dhis2.Bind(m, "adx", o.DataElementDimensions, o.IgnoreDataElements)
	if err != nil {
		return nil, nil, err
	}
	return o, b, nil
}

var (
	reName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	rePeriod   = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})/P([0-9]+)([YMWD])$`)
	periodLike = "2026-01-01/P3M"
)

// ParsePeriod reads an ADX period, ISO 8601 start/duration: a first day of
// a month and a duration of months or years (P1M, P3M, P6M, P1Y).
func ParsePeriod(s string) (dhis2.Span, error) {
	m := rePeriod.FindStringSubmatch(s)
	if m == nil {
		return dhis2.Span{}, fmt.Errorf("period %q is not an ADX period: write the start date and ISO 8601 duration like %q", s, periodLike)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	n, _ := strconv.Atoi(m[4])
	start := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if start.Year() != y || int(start.Month()) != mo || start.Day() != d {
		return dhis2.Span{}, fmt.Errorf("period %q: %s-%s-%s is not a date", s, m[1], m[2], m[3])
	}
	switch {
	case m[5] == "D" || m[5] == "W":
		return dhis2.Span{}, fmt.Errorf("period %q is counted in days or weeks; Concord has no such cadence (Monthly, Quarterly, SemiAnnual, Annual): aggregate it first", s)
	case d != 1:
		return dhis2.Span{}, fmt.Errorf("period %q starts on day %d; Concord's periods start on the first of a month", s, d)
	case n == 0:
		return dhis2.Span{}, fmt.Errorf("period %q lasts nothing", s)
	}
	months := n
	if m[5] == "Y" {
		months = n * 12
	}
	return dhis2.Span{First: y*12 + mo - 1, Months: months}, nil
}

// FormatPeriod writes a span as ADX does: start date and P1M, P3M, P6M or
// P1Y.
func FormatPeriod(s dhis2.Span) (string, error) {
	d := fmt.Sprintf("P%dM", s.Months)
	if s.Months%12 == 0 {
		d = fmt.Sprintf("P%dY", s.Months/12)
	}
	return s.Start().Format("2006-01-02") + "/" + d, nil
}

// Read parses an ADX message.
func (Codec) Read(m *exchange.Map, name string, in io.Reader) (exchange.Read, error) {
	_, b, err := setup(m)
	if err != nil {
		return exchange.Read{}, err
	}
	data, err := dhis2.ReadInput(name, in)
	if err != nil {
		return exchange.Read{}, err
	}
	dims := map[string]exchange.DimensionMap{}
	for _, d := range m.Dimensions {
		dims[d.Source] = d
	}
	var out exchange.Read
	seen := dhis2.Seen{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	counts := []map[string]int{{}}
	var group map[string]string
	root := false
	for {
		tok, err := dec.Token()
		line, _ := dec.InputPos()
		if err == io.EOF {
			if !root {
				return exchange.Read{}, fmt.Errorf("%s:%d: no <adx> element: an ADX message is <adx xmlns=%q>", name, line, Namespace)
			}
			return out, nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			return exchange.Read{}, fmt.Errorf("%s:%d: malformed XML: %v", name, line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			counts[len(counts)-1][t.Name.Local]++
			path = append(path, fmt.Sprintf("%s[%d]", t.Name.Local, counts[len(counts)-1][t.Name.Local]))
			counts = append(counts, map[string]int{})
			at := fmt.Sprintf("%s:%d: %s", name, line, strings.Join(path, "/"))
			switch {
			case len(path) == 1:
				if t.Name.Local != "adx" || t.Name.Space != Namespace {
					return exchange.Read{}, fmt.Errorf("%s: not an ADX message: the root must be <adx xmlns=%q>", at, Namespace)
				}
				root = true
			case len(path) == 2 && t.Name.Local == "group" && t.Name.Space == Namespace:
				group = map[string]string{}
				for _, a := range t.Attr {
					if a.Name.Space == "" || a.Name.Space == Namespace {
						group[a.Name.Local] = a.Value
					}
				}
				for _, need := range []string{"orgUnit", "period"} {
					if group[need] == "" {
						return exchange.Read{}, fmt.Errorf("%s: no %s attribute: a group names its orgUnit and period (like %q)", at, need, periodLike)
					}
				}
			case len(path) == 3 && t.Name.Local == "dataValue" && t.Name.Space == Namespace:
				f, ignored, err := readValue(b, dims, group, t, exchange.Location{File: name, Line: line})
				switch {
				case err != nil:
					return exchange.Read{}, fmt.Errorf("%s: %w", at, err)
				case ignored != "":
					out.Ignored = append(out.Ignored, exchange.Ignored{Location: exchange.Location{File: name, Line: line}, Reason: ignored})
				default:
					if err := seen.Add(f); err != nil {
						return exchange.Read{}, fmt.Errorf("%s: %w", at, err)
					}
					out.Figures = append(out.Figures, f)
				}
			case len(path) <= 3:
				return exchange.Read{}, fmt.Errorf("%s: unexpected element <%s>: ADX holds <adx><group><dataValue/></group></adx>", at, t.Name.Local)
			}
		case xml.EndElement:
			path = path[:len(path)-1]
			counts = counts[:len(counts)-1]
		}
	}
}

// readValue reads one dataValue of a group: a figure, or why it is ignored.
func readValue(b *dhis2.Binding, dims map[string]exchange.DimensionMap, group map[string]string, t xml.StartElement, loc exchange.Location) (exchange.Figure, string, error) {
	attrs := map[string]string{}
	var names []string
	for _, a := range t.Attr {
		if a.Name.Space != "" && a.Name.Space != Namespace {
			continue // xmlns and other vocabularies' attributes
		}
		attrs[a.Name.Local] = a.Value
		names = append(names, a.Name.Local)
	}
	code := attrs["dataElement"]
	ind, ignore, err := b.Lookup(code)
	if ignore {
		return exchange.Figure{}, fmt.Sprintf("data element %q is in options.ignoreDataElements", code), nil
	}
	if err != nil {
		return exchange.Figure{}, "", err
	}
	value, ok := attrs["value"]
	if !ok || strings.TrimSpace(value) == "" {
		return exchange.Figure{}, "no value", nil
	}
	span, err := ParsePeriod(group["period"])
	if err != nil {
		return exchange.Figure{}, "", err
	}
	period, err := dhis2.PeriodOf(span, group["period"], ind, FormatPeriod)
	if err != nil {
		return exchange.Figure{}, "", err
	}
	reporter, err := b.Reporter(group["orgUnit"])
	if err != nil {
		return exchange.Figure{}, "", err
	}
	cats := map[string]string{}
	disagg := func(attr, v string) error {
		d, ok := dims[attr]
		if !ok {
			return fmt.Errorf("attribute %s=%q is not a mapped disaggregation: add it to dimensions in %s ({dimension: <dimension>, source: %s, categories: {%s: <category>}})", attr, v, b.Map.File, attr, v)
		}
		c, ok := d.Categories[v]
		if !ok {
			return fmt.Errorf("%s=%q is not in the categories of dimensions %s in %s: add %s: <category>", attr, v, attr, b.Map.File, v)
		}
		if prev, dup := cats[d.Dimension]; dup && prev != c {
			return fmt.Errorf("%s=%q gives dimension %s twice (%s and %s)", attr, v, d.Dimension, prev, c)
		}
		cats[d.Dimension] = c
		return nil
	}
	var groupExtra []string
	for a := range group {
		if !groupAttrs[a] {
			groupExtra = append(groupExtra, a)
		}
	}
	sort.Strings(groupExtra)
	for _, a := range groupExtra {
		if _, mapped := dims[a]; mapped {
			if err := disagg(a, group[a]); err != nil {
				return exchange.Figure{}, "", fmt.Errorf("group: %w", err)
			}
		}
	}
	for _, a := range names {
		if a == "dataElement" || a == "value" {
			continue
		}
		if err := disagg(a, attrs[a]); err != nil {
			return exchange.Figure{}, "", err
		}
	}
	if len(cats) == 0 {
		cats = nil
	}
	if err := b.CheckDimensions(code, cats); err != nil {
		return exchange.Figure{}, "", err
	}
	val, err := dhis2.Value(value)
	if err != nil {
		return exchange.Figure{}, "", err
	}
	return exchange.Figure{Indicator: ind.Name, Period: period, Reporter: reporter, Categories: cats, Value: val, Source: loc}, "", nil
}

// Write writes the figures as one ADX message, a group per org unit and
// period in the order they first appear; suppressed figures are left out.
func (Codec) Write(m *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	o, b, err := setup(m)
	if err != nil {
		return err
	}
	if o.DataSet == "" {
		return fmt.Errorf("%s: options.dataSet is required for adx: write the DHIS2 data set (code or uid) the groups belong to", m.File)
	}
	for i, d := range m.Dimensions {
		if !reName.MatchString(d.Source) || groupAttrs[d.Source] || d.Source == "dataElement" || d.Source == "value" {
			return fmt.Errorf("%s: dimensions[%d].source %q cannot be an ADX attribute: write an XML name other than dataElement, value, orgUnit, period, dataSet (like SEX)", m.File, i, d.Source)
		}
	}
	type group struct {
		orgUnit, period string
		values          []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range figures {
		p, ok, err := b.Place(f)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		period, _ := FormatPeriod(p.Span)
		var v strings.Builder
		fmt.Fprintf(&v, `<dataValue dataElement="%s"`, attr(p.Code))
		for _, d := range m.Dimensions {
			c, ok := f.Categories[d.Dimension]
			if !ok {
				continue
			}
			src, err := sourceCode(d, c)
			if err != nil {
				return fmt.Errorf("Indicator %s: %w in %s", f.Indicator, err, m.File)
			}
			fmt.Fprintf(&v, ` %s="%s"`, d.Source, attr(src))
		}
		for dim := range f.Categories {
			if !m.MapsDimension(dim) {
				return fmt.Errorf("Indicator %s: dimension %s has no ADX attribute: add it to dimensions in %s ({dimension: %s, source: <attribute>, categories: {<code>: <category>}})", f.Indicator, dim, m.File, dim)
			}
		}
		fmt.Fprintf(&v, ` value="%s"/>`, attr(p.Value))
		key := p.OrgUnit + "\x00" + period
		g := byKey[key]
		if g == nil {
			g = &group{orgUnit: p.OrgUnit, period: period}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.values = append(g.values, v.String())
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, "<adx xmlns=%q>\n", Namespace)
	for _, g := range groups {
		fmt.Fprintf(&buf, "  <group orgUnit=\"%s\" period=\"%s\" dataSet=\"%s\">\n", attr(g.orgUnit), attr(g.period), attr(o.DataSet))
		for _, v := range g.values {
			fmt.Fprintf(&buf, "    %s\n", v)
		}
		buf.WriteString("  </group>\n")
	}
	buf.WriteString("</adx>\n")
	_, err = w.Write(buf.Bytes())
	return err
}

// sourceCode is the one code of a dimension map standing for category c.
func sourceCode(d exchange.DimensionMap, c string) (string, error) {
	found := dhis2.Keys(d.Categories, func(cat string) bool { return cat == c })
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("category %s of dimension %s has no %s code: add <code>: %s to its categories", c, d.Dimension, d.Source, c)
	}
	return "", fmt.Errorf("category %s of dimension %s has several %s codes (%s): keep one", c, d.Dimension, d.Source, strings.Join(found, ", "))
}

// attr escapes an attribute value.
func attr(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
