package exchange

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/disclosure"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/report"
	"github.com/concord-operator/concord/internal/textsafe"
)

// Objects are the evaluated objects an export reads: manifests evaluated
// offline (internal/offline), or a cluster's objects with the status its
// controllers wrote.
type Objects struct {
	Indicators   []*v1alpha1.Indicator
	Measurements []*v1alpha1.Measurement
	Evidence     []*v1alpha1.Evidence
	Plans        []*v1alpha1.ActionPlan
	// At is the instant the objects were evaluated (for a cluster, when
	// they were read).
	At time.Time
}

// Export is what an export knows besides the figures, for formats that
// publish more than numbers (IATI results: titles, baselines, targets,
// evidence). `concordctl export` sets it on the Map (Map.Export) before it
// calls the codec's Write; it is nil on import. Text in it is escaped
// (internal/textsafe) and its figures are under disclosure control.
type Export struct {
	At time.Time
	// Indicators are the map's Indicators, by name.
	Indicators map[string]*IndicatorInfo
	// Plans are the ActionPlans of the map's namespace, by name.
	Plans map[string]*PlanInfo
}

// IndicatorInfo describes one exported Indicator.
type IndicatorInfo struct {
	Name, Title, Description, Objective, Unit string
	Measure                                   v1alpha1.MeasureType
	// Scale of a Ratio measure (its value is numerator/denominator times
	// it): "100" for a percentage, "100000" per 100,000.
	Scale string
	// Levels name a Level measure's positions.
	Levels  []string
	Cadence v1alpha1.Cadence
	// MinCellSize is spec.disclosure.minCellSize (0: none).
	MinCellSize int32
	// Baseline is the baseline as a figure (Period, Value), Suppressed when
	// a count below MinCellSize; nil without one.
	Baseline *Figure
	// Targets are the values to reach by a period: the milestones, and the
	// target's absolute value (status.targetValue) at its deadline. A
	// target relative to a withheld baseline is left out: it would give
	// the baseline away.
	Targets []PeriodTarget
	// Ascending is true when the target asks for more, false when it asks
	// for less; nil for Equals or no target.
	Ascending *bool
	// Evidence are the https documents (Evidence of source type URL) that
	// the counted Measurements of each period reference, by period.
	Evidence map[string][]Link

	calendar evaluate.Calendar
}

// PeriodTarget is a value to reach by a period.
type PeriodTarget struct {
	Period, Value string
}

// Link is a document that supports a figure.
type Link struct {
	URL, Title string
	// Collected is when the document was collected.
	Collected time.Time
}

// Span is the first instant of the period and the first instant after it,
// in the Indicator's calendar.
func (i *IndicatorInfo) Span(period string) (start, end time.Time, err error) {
	p, err := evaluate.ParsePeriod(period, i.Cadence)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return p.Start(i.calendar), p.End(i.calendar), nil
}

// PlanInfo describes an ActionPlan.
type PlanInfo struct {
	Name, Title string
	// Start and End are the plan's first and last periods; StartTime is
	// when the first begins, EndTime when the last ends (zero when a
	// period does not parse).
	Start, End         string
	StartTime, EndTime time.Time
}

// Collect reads the map's Indicators from the objects and returns their
// figures as they may be published: per period, the value and breakdown
// cells as the Indicator counts them (internal/report.Periods), suppressed
// under spec.disclosure.minCellSize (internal/disclosure). exact gives every
// figure its value (for --exact exports to a ministry's own system).
func Collect(m *Map, objs Objects, exact bool) ([]Figure, *Export, error) {
	return collect(m, objs, exact, false)
}

// ByReporter is implemented by codecs whose files key each figure by its
// reporter (a DHIS2 org unit): when ByReporter(m) is true, export gives
// them each reporter's figures (report.ByReporter) rather than the
// combined ones, so that what import read comes back as it was.
type ByReporter interface {
	ByReporter(m *Map) bool
}

func collect(m *Map, objs Objects, exact, byReporter bool) ([]Figure, *Export, error) {
	ex := &Export{At: objs.At, Indicators: map[string]*IndicatorInfo{}, Plans: map[string]*PlanInfo{}}
	inds := map[string]*v1alpha1.Indicator{}
	for _, ind := range objs.Indicators {
		if ind.Namespace == m.Namespace {
			inds[ind.Name] = ind
		}
	}
	var meas []*v1alpha1.Measurement
	for _, ms := range objs.Measurements {
		if ms.Namespace == m.Namespace {
			meas = append(meas, ms)
		}
	}
	urls := map[string]*v1alpha1.Evidence{}
	for _, e := range objs.Evidence {
		if e.Namespace == m.Namespace && e.Spec.Source.Type == v1alpha1.SourceURL && e.Spec.Source.URL != "" {
			urls[e.Name] = e
		}
	}
	var figures []Figure
	for k, im := range m.Indicators {
		ind := inds[im.Indicator]
		if ind == nil {
			return nil, nil, fmt.Errorf("%s: indicators[%d]: no Indicator %s/%s among the objects read: correct the name, or read the manifests or namespace that hold it", m.File, k, m.Namespace, im.Indicator)
		}
		if ex.Indicators[im.Indicator] != nil {
			continue // one Indicator under several codes: its figures once, the codec places them
		}
		if exact {
			ind = ind.DeepCopy()
			ind.Spec.Disclosure = nil
		}
		info := indicatorInfo(ind)
		var periods []report.PeriodFigures
		if byReporter {
			periods = report.ByReporter(ind, meas)
		}
		if periods == nil { // combined, or derived: no reporters
			periods = report.Periods(ind, meas)
		}
		for _, p := range periods {
			figures = append(figures, periodFigures(m, ind, p)...)
			for _, ms := range p.Measurements {
				for _, ref := range ms.Spec.EvidenceRefs {
					if e := urls[ref.Name]; e != nil {
						info.Evidence[p.Period] = appendLink(info.Evidence[p.Period], e)
					}
				}
			}
		}
		ex.Indicators[im.Indicator] = info
	}
	for _, p := range objs.Plans {
		if p.Namespace == m.Namespace {
			ex.Plans[p.Name] = planInfo(p)
		}
	}
	return figures, ex, nil
}

// Write collects the figures (Collect; each reporter's for a codec that is
// ByReporter), sets m.Export, and writes them
// with the codec to w in one piece: nothing is written when the codec
// fails.
func Write(m *Map, c Codec, objs Objects, exact bool, w io.Writer) error {
	br, ok := c.(ByReporter)
	figures, ex, err := collect(m, objs, exact, ok && br.ByReporter(m))
	if err != nil {
		return err
	}
	m.Export = ex
	var b bytes.Buffer
	if err := c.Write(m, &b, figures); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// periodFigures are a period's total and the cells of its tables (the
// part no cell covers, "not stated", is no category and is left out).
func periodFigures(m *Map, ind *v1alpha1.Indicator, p report.PeriodFigures) []Figure {
	reporter := m.Reporter
	switch {
	case ind.Spec.ConsolidatedBy != "":
		reporter = ind.Spec.ConsolidatedBy
	case len(p.Reporters) == 1:
		reporter = p.Reporters[0]
	}
	base := Figure{Indicator: ind.Name, Period: safe(p.Period), Reporter: safe(reporter)}
	out := []Figure{withFigure(base, p.Total.Value, p.Total.Numerator, p.Total.Denominator, p.Total.Mark)}
	for _, t := range p.Tables {
		for _, c := range t.Cells {
			if c.NotStated {
				continue
			}
			f := base
			f.Categories = map[string]string{safe(t.Dimension): safe(c.Category)}
			out = append(out, withFigure(f, c.Value, c.Numerator, c.Denominator, c.Mark))
		}
	}
	return out
}

func withFigure(f Figure, v, num, den string, mark disclosure.Mark) Figure {
	if mark != disclosure.Shown {
		f.Status = Suppressed
		return f
	}
	f.Value, f.Numerator, f.Denominator = v, num, den
	return f
}

func indicatorInfo(ind *v1alpha1.Indicator) *IndicatorInfo {
	s := &ind.Spec
	info := &IndicatorInfo{
		Name: ind.Name, Title: safe(s.Title), Description: safe(s.Description), Objective: safe(s.Objective),
		Unit: safe(s.Measure.Unit), Measure: s.Measure.Type, Levels: safeAll(s.Measure.Levels), Cadence: s.Cadence,
		Evidence: map[string][]Link{}, calendar: evaluate.CalendarOf(s.Calendar),
	}
	if s.Measure.Type == v1alpha1.MeasureRatio {
		info.Scale = "100"
		if s.Measure.Scale != nil {
			info.Scale = safe(string(*s.Measure.Scale))
		}
	}
	if d := s.Disclosure; d != nil && d.MinCellSize > 0 {
		info.MinCellSize = d.MinCellSize
	}
	small := func(v string) bool {
		r, err := evaluate.ParseNumber(v)
		return err == nil && disclosure.Small(r, info.MinCellSize) &&
			(s.Measure.Type == v1alpha1.MeasureCount || s.Measure.Type == v1alpha1.MeasureAmount)
	}
	baselineWithheld := false
	if b := s.Baseline; b != nil {
		info.Baseline = &Figure{Indicator: ind.Name, Period: safe(string(b.Period)), Value: safe(string(b.Value))}
		if small(string(b.Value)) {
			info.Baseline.Value, info.Baseline.Status, baselineWithheld = "", Suppressed, true
		}
	}
	for _, ms := range s.Milestones {
		info.Targets = append(info.Targets, PeriodTarget{Period: safe(string(ms.Period)), Value: safe(string(ms.Value))})
	}
	if t := s.Target; t != nil {
		relative := strings.Contains(string(t.Operator), "By")
		v := string(t.Value)
		if relative {
			v = ind.Status.TargetValue
		}
		if t.Deadline != "" && v != "" && !(relative && baselineWithheld) {
			info.Targets = append(info.Targets, PeriodTarget{Period: safe(string(t.Deadline)), Value: safe(v)})
		}
		switch t.Operator {
		case v1alpha1.OperatorAtLeast, v1alpha1.OperatorIncreaseByPercent, v1alpha1.OperatorIncreaseByPoints:
			up := true
			info.Ascending = &up
		case v1alpha1.OperatorAtMost, v1alpha1.OperatorDecreaseByPercent, v1alpha1.OperatorDecreaseByPoints:
			down := false
			info.Ascending = &down
		}
	}
	return info
}

func appendLink(links []Link, e *v1alpha1.Evidence) []Link {
	url := safe(e.Spec.Source.URL)
	for _, l := range links {
		if l.URL == url {
			return links
		}
	}
	title := safe(e.Spec.Description)
	if title == "" {
		title = safe(e.Name)
	}
	links = append(links, Link{URL: url, Title: title, Collected: e.Spec.CollectionTime.Time})
	sort.Slice(links, func(i, j int) bool { return links[i].URL < links[j].URL })
	return links
}

func planInfo(p *v1alpha1.ActionPlan) *PlanInfo {
	pi := &PlanInfo{Name: p.Name, Title: safe(p.Spec.Title), Start: safe(string(p.Spec.Start)), End: safe(string(p.Spec.End))}
	if c, ok := evaluate.CadenceOf(string(p.Spec.Start)); ok {
		if pp, err := evaluate.ParsePeriod(string(p.Spec.Start), c); err == nil {
			pi.StartTime = pp.Start(evaluate.CalendarOf(nil))
		}
	}
	if c, ok := evaluate.CadenceOf(string(p.Spec.End)); ok {
		if pp, err := evaluate.ParsePeriod(string(p.Spec.End), c); err == nil {
			pi.EndTime = pp.End(evaluate.CalendarOf(nil))
		}
	}
	return pi
}

// safe is text from the objects as an export may carry it: on one line,
// with control characters and bidirectional overrides escaped.
func safe(s string) string { return textsafe.Escape(strings.Join(strings.Fields(s), " ")) }

func safeAll(list []string) []string {
	var out []string
	for _, s := range list {
		out = append(out, safe(s))
	}
	return out
}
