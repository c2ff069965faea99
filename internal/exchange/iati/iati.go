// Package iati is the iati format: an IATI 2.03 activity file whose
// activity is an ActionPlan and whose results are its Indicators, so that
// a donor-funded plan publishes its results where donors read them.
//
// One iati-activity, for the plan options.actionPlan names (or the only
// ActionPlan of the map's namespace): its title and planned start and end
// dates are the plan's. The map's Indicators are its results' indicators,
// grouped in one result per objective (spec.objective; an Indicator
// without one is a result of its own), in the map's order. Each indicator
// has:
//
//   - measure: 1 (unit) for Count, Amount and Ratio, 2 (percentage) for
//     Percentage and a Ratio of scale 100, 4 (ordinal) for Level, 5
//     (qualitative) for Boolean;
//   - ascending from the target's operator;
//   - a reference (vocabulary options.referenceVocabulary, default 99)
//     when the map gives the Indicator a code;
//   - baseline (year, iso-date, value);
//   - one period per reported period and per period with a target (a
//     milestone, or the target at its deadline), with the target and the
//     actual: the total first, then one actual per breakdown cell with its
//     dimension (name and value mapped through the map's dimensions when
//     it names them), and document-link for the https Evidence the
//     period's counted Measurements reference.
//
// Qualitative indicators follow the IATI guidance: no value attribute, the
// figure in the comment ("Yes" or "No"). IATI has no confidentiality
// marker: a figure withheld by disclosure control has no value and a
// comment that says it is withheld.
//
// Options:
//
//	identifier: XM-EXAMPLE-NATS-NPA-2025-2027   # iati-identifier (required)
//	reportingOrg: {ref: XM-EXAMPLE-NATS, type: "10", name: National Anti-Trafficking Secretariat}   # required
//	participatingOrgs: [{role: "1", ref: ..., type: ..., name: ...}]   # default: the reporting org, role 4 (implementing)
//	actionPlan: npa-2025-2027    # default: the only ActionPlan of the namespace
//	description: ...             # default: the plan's title
//	activityStatus: "2"          # ActivityStatus code (default 2, implementation)
//	language: en                 # xml:lang (default en)
//	resultType: "2"              # ResultType code (default 2, outcome)
//	recipientCountry: MD         # ISO 3166-1 alpha-2 (optional)
//	referenceVocabulary: "99"    # IndicatorVocabulary of the indicators' codes (default 99)
//	documentCategory: A08        # DocumentCategory of evidence links (default A08)
package iati

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/exchange"
)

// Format is the format's name for --format and map files.
const Format = "iati"

func init() { exchange.Register(Format, Codec{}) }

// Codec writes IATI activity files. It does not read them: results are
// what a plan publishes, not where its figures come from.
type Codec struct{}

// Org is an organisation of the activity.
type Org struct {
	Ref  string `json:"ref,omitempty"`
	Type string `json:"type,omitempty"`
	Role string `json:"role,omitempty"`
	Name string `json:"name"`
}

// Options are the map's options for iati.
type Options struct {
	Identifier          string `json:"identifier"`
	ReportingOrg        Org    `json:"reportingOrg"`
	ParticipatingOrgs   []Org  `json:"participatingOrgs,omitempty"`
	ActionPlan          string `json:"actionPlan,omitempty"`
	Description         string `json:"description,omitempty"`
	ActivityStatus      string `json:"activityStatus,omitempty"`
	Language            string `json:"language,omitempty"`
	ResultType          string `json:"resultType,omitempty"`
	RecipientCountry    string `json:"recipientCountry,omitempty"`
	ReferenceVocabulary string `json:"referenceVocabulary,omitempty"`
	DocumentCategory    string `json:"documentCategory,omitempty"`
}

func (o *Options) check(m *exchange.Map) error {
	switch {
	case o.Identifier == "":
		return fmt.Errorf("%s: options.identifier is required: the activity's IATI identifier, the reporting organisation's ref, a hyphen and the plan's own id (XM-EXAMPLE-NATS-NPA-2025-2027)", m.File)
	case o.ReportingOrg.Ref == "" || o.ReportingOrg.Type == "" || o.ReportingOrg.Name == "":
		return fmt.Errorf("%s: options.reportingOrg needs ref, type and name: the publisher's IATI organisation identifier, its OrganisationType code (10 for government) and its name", m.File)
	}
	for k, p := range o.ParticipatingOrgs {
		if p.Role == "" || p.Name == "" {
			return fmt.Errorf("%s: options.participatingOrgs[%d] needs role and name: its OrganisationRole code (1 funding, 2 accountable, 3 extending, 4 implementing) and its name", m.File, k)
		}
	}
	if len(o.ParticipatingOrgs) == 0 {
		r := o.ReportingOrg
		r.Role = "4"
		o.ParticipatingOrgs = []Org{r}
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.ActivityStatus, "2")
	def(&o.Language, "en")
	def(&o.ResultType, "2")
	def(&o.ReferenceVocabulary, "99")
	def(&o.DocumentCategory, "A08")
	return nil
}

// Read refuses: iati is an export format.
func (Codec) Read(m *exchange.Map, name string, _ io.Reader) (exchange.Read, error) {
	return exchange.Read{}, fmt.Errorf("%s: iati is an export format: Concord writes IATI results, it does not import them (import the figures with csv, open-sdg, dhis2 or adx)", name)
}

// Write writes one iati-activity for the plan, with the map's Indicators
// as its results.
func (Codec) Write(m *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	var o Options
	if err := m.DecodeOptions(&o); err != nil {
		return err
	}
	if err := o.check(m); err != nil {
		return err
	}
	ex := m.Export
	if ex == nil {
		return errors.New("iati writes an export's results: run it with concordctl export, which reads the Indicators and the ActionPlan")
	}
	plan, err := planOf(m, &o, ex)
	if err != nil {
		return err
	}
	act := activity{
		Lang: o.Language, LastUpdated: stamp(ex.At),
		Identifier:   o.Identifier,
		ReportingOrg: reportingOrg{Ref: o.ReportingOrg.Ref, Type: o.ReportingOrg.Type, Narrative: narratives(o.ReportingOrg.Name)},
		Title:        text{Narrative: narratives(plan.Title)},
		Description:  text{Narrative: narratives(cmp.Or(o.Description, plan.Title, plan.Name))},
		Status:       code{Code: o.ActivityStatus},
	}
	for _, p := range o.ParticipatingOrgs {
		act.Participating = append(act.Participating, participatingOrg{Ref: p.Ref, Type: p.Type, Role: p.Role, Narrative: narratives(p.Name)})
	}
	if !plan.StartTime.IsZero() {
		act.Dates = append(act.Dates, activityDate{Type: "1", ISODate: day(plan.StartTime)})
	}
	if !plan.EndTime.IsZero() {
		act.Dates = append(act.Dates, activityDate{Type: "3", ISODate: day(plan.EndTime.AddDate(0, 0, -1))})
	}
	if len(act.Dates) == 0 {
		return fmt.Errorf("%s: ActionPlan %s/%s: start %q and end %q are not periods: IATI needs the activity's dates", m.File, m.Namespace, plan.Name, plan.Start, plan.End)
	}
	if o.RecipientCountry != "" {
		act.Country = &code{Code: o.RecipientCountry}
	}
	byIndicator := map[string][]exchange.Figure{}
	for _, f := range figures {
		byIndicator[f.Indicator] = append(byIndicator[f.Indicator], f)
	}
	results := map[string]*result{}
	for k, im := range m.Indicators {
		info := ex.Indicators[im.Indicator]
		if info == nil {
			return fmt.Errorf("%s: indicators[%d]: %s was not read", m.File, k, im.Indicator)
		}
		ind, err := indicatorOf(m, &o, k, im, info, byIndicator[im.Indicator])
		if err != nil {
			return err
		}
		key := info.Objective
		if key == "" {
			key = "indicator " + info.Name
		}
		r := results[key]
		if r == nil {
			r = &result{Type: o.ResultType, AggregationStatus: "false", Title: text{Narrative: narratives(cmp.Or(info.Objective, info.Title, info.Name))}}
			results[key] = r
			act.Results = append(act.Results, r)
		}
		r.Indicators = append(r.Indicators, ind)
	}
	doc := activities{Version: "2.03", Generated: stamp(ex.At), Activities: []activity{act}}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing IATI XML: %w", err)
	}
	b.WriteString("\n")
	_, err = w.Write(b.Bytes())
	return err
}

func planOf(m *exchange.Map, o *Options, ex *exchange.Export) (*exchange.PlanInfo, error) {
	if o.ActionPlan != "" {
		if p := ex.Plans[o.ActionPlan]; p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("%s: options.actionPlan %q: no such ActionPlan in namespace %s among the objects read", m.File, o.ActionPlan, m.Namespace)
	}
	if len(ex.Plans) == 1 {
		for _, p := range ex.Plans {
			return p, nil
		}
	}
	var names []string
	for n := range ex.Plans {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("%s: options.actionPlan is required when namespace %s does not hold exactly one ActionPlan (it holds %d: %s): name the plan whose results these are", m.File, m.Namespace, len(names), strings.Join(names, ", "))
}

// measureOf is the IATI IndicatorMeasure code of a Concord measure.
func measureOf(info *exchange.IndicatorInfo) string {
	switch info.Measure {
	case v1alpha1.MeasureBoolean:
		return "5"
	case v1alpha1.MeasureLevel:
		return "4"
	case v1alpha1.MeasurePercentage:
		return "2"
	case v1alpha1.MeasureRatio:
		if info.Scale == "100" {
			return "2"
		}
	}
	return "1"
}

func indicatorOf(m *exchange.Map, o *Options, k int, im exchange.IndicatorMap, info *exchange.IndicatorInfo, figures []exchange.Figure) (*indicator, error) {
	where := fmt.Sprintf("%s: indicators[%d] (%s)", m.File, k, info.Name)
	ind := &indicator{Measure: measureOf(info), Title: text{Narrative: narratives(cmp.Or(info.Title, info.Name))}}
	qualitative := ind.Measure == "5"
	if info.Ascending != nil {
		ind.Ascending = fmt.Sprint(*info.Ascending)
	}
	if info.Description != "" {
		ind.Description = &text{Narrative: narratives(info.Description)}
	}
	if im.Code != "" {
		ind.Reference = &reference{Vocabulary: o.ReferenceVocabulary, Code: im.Code}
	}
	if b := info.Baseline; b != nil {
		start, _, err := info.Span(b.Period)
		if err != nil {
			return nil, fmt.Errorf("%s: baseline: %w", where, err)
		}
		ind.Baseline = &baseline{Year: start.Year(), ISODate: day(start)}
		ind.Baseline.Value, ind.Baseline.Comment = valueOf(b.Value, b.Status, qualitative, info)
	}
	type slot struct {
		target  *figure
		actuals []*figure
	}
	periods := map[string]*slot{}
	at := func(p string) *slot {
		if periods[p] == nil {
			periods[p] = &slot{}
		}
		return periods[p]
	}
	for _, t := range info.Targets {
		v, c := valueOf(t.Value, exchange.Published, qualitative, info)
		at(t.Period).target = &figure{Value: v, Comment: c}
	}
	for _, f := range figures {
		a := &figure{}
		a.Value, a.Comment = valueOf(f.Value, f.Status, qualitative, info)
		for _, dim := range slices.Sorted(maps.Keys(f.Categories)) {
			name, value := dimensionOf(m, dim, f.Categories[dim])
			a.Dimensions = append(a.Dimensions, dimension{Name: name, Value: value})
		}
		s := at(f.Period)
		if len(a.Dimensions) == 0 {
			for _, l := range info.Evidence[f.Period] {
				a.Links = append(a.Links, linkOf(l, o, ind.Title.Narrative[0].Text))
			}
			s.actuals = append([]*figure{a}, s.actuals...)
		} else {
			s.actuals = append(s.actuals, a)
		}
	}
	type span struct {
		name       string
		start, end time.Time
	}
	var order []span
	for p := range periods {
		start, end, err := info.Span(p)
		if err != nil {
			return nil, fmt.Errorf("%s: period %s: %w", where, p, err)
		}
		order = append(order, span{p, start, end})
	}
	sort.Slice(order, func(i, j int) bool { return order[i].start.Before(order[j].start) })
	for _, sp := range order {
		s := periods[sp.name]
		ip := period{Start: dateOnly{ISODate: day(sp.start)}, End: dateOnly{ISODate: day(sp.end.AddDate(0, 0, -1))}, Target: s.target, Actuals: s.actuals}
		ind.Periods = append(ind.Periods, ip)
	}
	return ind, nil
}

// valueOf is a figure's value attribute and comment. A qualitative
// figure's is in the comment; a withheld one has neither value nor figure.
func valueOf(v string, st exchange.Status, qualitative bool, info *exchange.IndicatorInfo) (string, *text) {
	if st == exchange.Suppressed {
		msg := "Withheld by disclosure control"
		if info.MinCellSize > 0 {
			msg = fmt.Sprintf("Withheld by disclosure control: a figure below %d, or one that would let such a figure be worked out, is not published", info.MinCellSize)
		}
		return "", &text{Narrative: narratives(msg)}
	}
	if qualitative {
		word := v
		switch v {
		case "true":
			word = "Yes"
		case "false":
			word = "No"
		}
		return "", &text{Narrative: narratives(word)}
	}
	if info.Measure == v1alpha1.MeasureLevel {
		for pos, name := range info.Levels {
			if fmt.Sprint(pos) == v {
				return v, &text{Narrative: narratives(name)}
			}
		}
	}
	return v, nil
}

// dimensionOf names a breakdown cell's dimension and category as the map
// does (a dimension's source, a category's source label), else as
// Concord does.
func dimensionOf(m *exchange.Map, dim, cat string) (string, string) {
	for _, d := range m.Dimensions {
		if d.Dimension != dim {
			continue
		}
		if label, ok := d.Labels()[cat]; ok {
			return d.Source, label
		}
		return d.Source, cat
	}
	return dim, cat
}

func linkOf(l exchange.Link, o *Options, indicatorTitle string) documentLink {
	format, ok := mediaTypes[strings.ToLower(path.Ext(strings.SplitN(l.URL, "?", 2)[0]))]
	if !ok {
		format = "application/octet-stream"
	}
	dl := documentLink{URL: l.URL, Format: format, Title: text{Narrative: narratives(cmp.Or(l.Title, "Evidence: "+indicatorTitle))}, Category: code{Code: o.DocumentCategory}}
	if !l.Collected.IsZero() {
		dl.Date = &dateOnly{ISODate: day(l.Collected)}
	}
	return dl
}

// mediaTypes are the IANA media types (IATI FileFormat) of the documents
// evidence usually is, by extension; others are application/octet-stream.
var mediaTypes = map[string]string{
	".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".csv": "text/csv", ".txt": "text/plain",
	".json": "application/json", ".xml": "application/xml", ".odt": "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func narratives(s string) []narrative { return []narrative{{Text: s}} }

// The IATI 2.03 elements Concord writes, in the schema's order.

type activities struct {
	XMLName    xml.Name   `xml:"iati-activities"`
	Version    string     `xml:"version,attr"`
	Generated  string     `xml:"generated-datetime,attr,omitempty"`
	Activities []activity `xml:"iati-activity"`
}

type activity struct {
	LastUpdated   string             `xml:"last-updated-datetime,attr,omitempty"`
	Lang          string             `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Identifier    string             `xml:"iati-identifier"`
	ReportingOrg  reportingOrg       `xml:"reporting-org"`
	Title         text               `xml:"title"`
	Description   text               `xml:"description"`
	Participating []participatingOrg `xml:"participating-org"`
	Status        code               `xml:"activity-status"`
	Dates         []activityDate     `xml:"activity-date"`
	Country       *code              `xml:"recipient-country"`
	Results       []*result          `xml:"result"`
}

type narrative struct {
	Text string `xml:",chardata"`
}

type text struct {
	Narrative []narrative `xml:"narrative"`
}

type code struct {
	Code string `xml:"code,attr"`
}

type reportingOrg struct {
	Ref       string      `xml:"ref,attr"`
	Type      string      `xml:"type,attr"`
	Narrative []narrative `xml:"narrative"`
}

type participatingOrg struct {
	Ref       string      `xml:"ref,attr,omitempty"`
	Type      string      `xml:"type,attr,omitempty"`
	Role      string      `xml:"role,attr"`
	Narrative []narrative `xml:"narrative"`
}

type activityDate struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
}

type result struct {
	Type              string       `xml:"type,attr"`
	AggregationStatus string       `xml:"aggregation-status,attr"`
	Title             text         `xml:"title"`
	Indicators        []*indicator `xml:"indicator"`
}

type indicator struct {
	Measure     string     `xml:"measure,attr"`
	Ascending   string     `xml:"ascending,attr,omitempty"`
	Title       text       `xml:"title"`
	Description *text      `xml:"description"`
	Reference   *reference `xml:"reference"`
	Baseline    *baseline  `xml:"baseline"`
	Periods     []period   `xml:"period"`
}

type reference struct {
	Vocabulary string `xml:"vocabulary,attr"`
	Code       string `xml:"code,attr"`
}

type baseline struct {
	Year    int    `xml:"year,attr"`
	ISODate string `xml:"iso-date,attr"`
	Value   string `xml:"value,attr,omitempty"`
	Comment *text  `xml:"comment"`
}

type period struct {
	Start   dateOnly  `xml:"period-start"`
	End     dateOnly  `xml:"period-end"`
	Target  *figure   `xml:"target"`
	Actuals []*figure `xml:"actual"`
}

type dateOnly struct {
	ISODate string `xml:"iso-date,attr"`
}

// figure is a target or an actual.
type figure struct {
	Value      string         `xml:"value,attr,omitempty"`
	Dimensions []dimension    `xml:"dimension"`
	Comment    *text          `xml:"comment"`
	Links      []documentLink `xml:"document-link"`
}

type dimension struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type documentLink struct {
	URL      string    `xml:"url,attr"`
	Format   string    `xml:"format,attr"`
	Title    text      `xml:"title"`
	Category code      `xml:"category"`
	Date     *dateOnly `xml:"document-date"`
}
