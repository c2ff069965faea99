package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// The geometry of the inline SVG charts. Values become float64 here only to
// place marks on a picture; every number printed is the status's own string.

// LineChart is an indicator's history against its target and baseline.
type LineChart struct {
	ID            string
	Width, Height int
	Title, Desc   string
	// Plot area.
	Left, Right, Top, Bottom string
	// Segments are polylines of consecutive reported periods.
	Segments   []string
	Points     []ChartPoint
	Milestones []ChartPoint
	// Missing marks closed periods without a value after the first
	// reported one (a gap in reporting), on the x axis.
	Missing []ChartPoint
	// Withheld marks, on the x axis, the periods whose value disclosure
	// control withholds ("<5", "suppressed"): they are not plotted.
	Withheld []ChartPoint
	Target   *HLine
	Baseline *HLine
	YTicks   []Tick
	XTicks   []Tick
}

// ChartPoint is one reported period.
type ChartPoint struct {
	X, Y  string
	Label string
	// Open marks a value of a period that has not closed (provisional).
	Open bool
	// ValueText labels the newest point with its value; Anchor is its
	// text-anchor.
	ValueText string
	Anchor    string
	// Shape is a milestone's diamond (polygon points).
	Shape string
}

// HLine is a horizontal reference line.
type HLine struct {
	Y     string
	Label string
}

// Tick is an axis label at a position (X or Y, the other is fixed).
type Tick struct {
	Pos   string
	Label string
}

// BarChart counts an area's indicators by state.
type BarChart struct {
	ID              string
	Width, Height   int
	BarLeft, BarMax string
	Title, Desc     string
	Bars            []Bar
}

// Bar is one state's bar.
type Bar struct {
	Label string
	Class string
	Count int
	Y, W  string
	TextX string
	TextY string
}

const (
	lineWidth, lineHeight          = 380, 170
	plotLeft, plotRight            = 58.0, 366.0
	plotTop, plotBottom            = 12.0, 140.0
	barWidth, barRowHeight, barTop = 270, 26, 6
	barLeft, barMax                = 74.0, 150.0
)

func coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// numeric is a value's position on the y axis: Boolean true is 1 and false
// 0, a Level its position, any other measure its number.
func numeric(s string) (float64, bool) {
	switch s {
	case "":
		return 0, false
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// lineChart draws the indicator's trend; nil when no period has a value,
// and for a Boolean indicator, whose status line says more than a line
// between true and false.
func lineChart(i *Indicator, say prose) *LineChart {
	if !i.HasHistory() || len(i.Trend) == 0 || i.MeasureType == string(v1alpha1.MeasureBoolean) {
		return nil
	}
	c := &LineChart{
		ID: "chart-" + i.Namespace + "-" + i.Name, Width: lineWidth, Height: lineHeight,
		Left: coord(plotLeft), Right: coord(plotRight), Top: coord(plotTop), Bottom: coord(plotBottom),
	}
	c.Title = "History of " + oneLine(i.Heading())
	if i.TrendKind == TrendRunningTotal {
		c.Title += " (running total)"
	}
	position := map[string]int{}
	var vals []float64
	for k, h := range i.Trend {
		position[h.Period] = k
		if v, ok := numeric(h.Value); ok {
			vals = append(vals, v)
		}
	}
	// The target, baseline and milestones apply to the indicator's value;
	// a Cumulative indicator's per-period values are not comparable.
	comparable := i.TrendKind != TrendPerPeriod
	target, hasTarget := numeric(i.AbsoluteTarget)
	baseline, hasBaseline := numeric(i.BaselineValue)
	hasTarget, hasBaseline = hasTarget && comparable, hasBaseline && comparable
	if hasTarget {
		vals = append(vals, target)
	}
	if hasBaseline {
		vals = append(vals, baseline)
	}
	type milestone struct {
		k    int
		v    float64
		text string
	}
	var milestones []milestone
	for _, m := range i.Milestones {
		k, in := position[m.Period]
		v, ok := numeric(m.Value)
		if in && ok && comparable {
			milestones = append(milestones, milestone{k, v, "milestone " + say.value(i, m.Value) + " by " + say.period(m.Period)})
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 { // every value withheld: an empty plot from 0
		vals = []float64{0, float64(max(i.MinCellSize, 1))}
	}
	lo, hi, ticks := yScale(i, vals, say.l)
	y := func(v float64) float64 { return plotBottom - (v-lo)/(hi-lo)*(plotBottom-plotTop) }
	for _, t := range ticks {
		c.YTicks = append(c.YTicks, Tick{Pos: coord(y(t.v)), Label: t.label})
	}
	n := len(i.Trend)
	x := func(k int) float64 {
		if n == 1 {
			return (plotLeft + plotRight) / 2
		}
		return plotLeft + 12 + float64(k)*(plotRight-plotLeft-24)/float64(n-1)
	}
	step := (n + 4) / 5
	var seg, desc []string
	lastShown := ""
	for k, h := range i.Trend {
		if (n-1-k)%step == 0 { // labelled from the newest period back
			c.XTicks = append(c.XTicks, Tick{Pos: coord(x(k)), Label: say.period(h.Period)})
		}
		v, ok := numeric(h.Value)
		if !ok || h.Suppressed {
			if len(seg) > 1 {
				c.Segments = append(c.Segments, strings.Join(seg, " "))
			}
			seg = nil
		}
		if h.Suppressed { // a withheld value: marked on the axis, not plotted
			desc = append(desc, say.period(h.Period)+" "+say.bare(i, h.Value)+" (not plotted)")
			mx := x(k)
			c.Withheld = append(c.Withheld, ChartPoint{X: coord(mx), Y: coord(plotBottom),
				Label: say.period(h.Period) + ": " + say.bare(i, h.Value) + ", not plotted (disclosure control)",
				Shape: fmt.Sprintf("M%s %sh8v8h-8z", coord(mx-4), coord(plotBottom-4))})
			continue
		}
		if !ok {
			desc = append(desc, say.period(h.Period)+" no value")
			if len(c.Points)+len(c.Withheld) > 0 && !h.Open {
				mx := x(k)
				c.Missing = append(c.Missing, ChartPoint{X: coord(mx), Y: coord(plotBottom), Label: say.period(h.Period) + ": no counted data",
					Shape: fmt.Sprintf("M%s %sL%s %sM%s %sL%s %s", coord(mx-4), coord(plotBottom-4), coord(mx+4), coord(plotBottom+4),
						coord(mx-4), coord(plotBottom+4), coord(mx+4), coord(plotBottom-4))})
			}
			continue
		}
		px, py := coord(x(k)), coord(y(v))
		seg = append(seg, px+","+py)
		label := say.period(h.Period) + ": " + say.value(i, h.Value)
		if h.Open {
			label += " (period still open)"
		}
		if !h.Verified {
			label += " (evidence incomplete)"
		}
		c.Points = append(c.Points, ChartPoint{X: px, Y: py, Label: label, Open: h.Open})
		desc = append(desc, say.period(h.Period)+" "+say.bare(i, h.Value))
		lastShown = h.Value
	}
	if len(seg) > 1 {
		c.Segments = append(c.Segments, strings.Join(seg, " "))
	}
	if last := len(c.Points) - 1; last >= 0 {
		p := &c.Points[last]
		p.ValueText = say.bare(i, lastShown)
		p.Anchor = "middle"
		if x, _ := strconv.ParseFloat(p.X, 64); x > plotRight-30 {
			p.Anchor = "end"
		}
	}
	for _, m := range milestones {
		mx, my := x(m.k), y(m.v)
		shape := fmt.Sprintf("%s,%s %s,%s %s,%s %s,%s", coord(mx), coord(my-5), coord(mx+5), coord(my), coord(mx), coord(my+5), coord(mx-5), coord(my))
		c.Milestones = append(c.Milestones, ChartPoint{X: coord(mx), Y: coord(my), Label: m.text, Shape: shape})
	}
	d := "Values, oldest first: " + strings.Join(desc, ", ") + "."
	switch i.TrendKind {
	case TrendRunningTotal:
		d = "Running totals, oldest first: " + strings.Join(desc, ", ") + "."
	case TrendPerPeriod:
		d += " These are per-period values; the target applies to the cumulative value " + say.bare(i, i.CurrentValue) + "."
	}
	if len(c.Withheld) > 0 {
		n := say.l.Number(fmt.Sprint(i.MinCellSize))
		d += fmt.Sprintf(" Values below %s are withheld (disclosure control) and not plotted; they show as <%s", n, n)
		if withheldWord(i.Trend) {
			d += fmt.Sprintf(", or as %q where a value is withheld so that the others cannot give a small one away (it may be below %s or not)", SuppressedWord, n)
		}
		d += "."
	}
	if i.TargetWithheld {
		d += " The target's absolute value is withheld: it would give the baseline away."
	}
	if hasTarget {
		tf := say.target(i).Figure
		if tf.Text == "" {
			tf = say.figure(i, i.AbsoluteTarget, Nearest)
		}
		c.Target = &HLine{Y: coord(y(target)), Label: "target " + tf.Short()}
		d += " Target " + tf.String()
		if i.TargetDeadline != "" {
			d += " by " + say.period(i.TargetDeadline)
		}
		d += "."
	}
	for _, m := range milestones {
		d += " Milestone " + strings.TrimPrefix(m.text, "milestone ") + "."
	}
	if hasBaseline {
		c.Baseline = &HLine{Y: coord(y(baseline)), Label: "baseline " + say.value(i, i.BaselineValue)}
		d += " Baseline " + say.value(i, i.BaselineValue) + " in " + say.period(i.BaselinePeriod) + "."
	} else if i.BaselineSuppressed && comparable {
		d += " Baseline " + say.bare(i, i.BaselineValue) + " in " + say.period(i.BaselinePeriod) + " (not plotted)."
	}
	c.Desc = d
	return c
}

// withheldWord reports whether any value of the trend is withheld without
// a bound.
func withheldWord(t []HistoryEntry) bool {
	for _, h := range t {
		if h.Suppressed && h.Value == SuppressedWord {
			return true
		}
	}
	return false
}

type yTick struct {
	v     float64
	label string
}

// yScale chooses the y domain and its labelled ticks.
func yScale(i *Indicator, vals []float64, l Locale) (lo, hi float64, ticks []yTick) {
	switch v1alpha1.MeasureType(i.MeasureType) {
	case v1alpha1.MeasureBoolean:
		return -0.15, 1.15, []yTick{{0, "false"}, {1, "true"}}
	case v1alpha1.MeasureLevel:
		if len(i.Levels) >= 2 {
			for k, name := range i.Levels {
				ticks = append(ticks, yTick{float64(k), shorten(name, 9)})
			}
			return -0.3, float64(len(i.Levels)-1) + 0.3, ticks
		}
	}
	lo, hi = vals[0], vals[0]
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo >= 0 && lo <= hi/2 {
		lo = 0
	}
	if hi == lo {
		if lo == 0 {
			hi = 1
		} else {
			pad := math.Abs(lo) * 0.1
			lo, hi = lo-pad, hi+pad
		}
	}
	hi += (hi - lo) * 0.1 // room for the newest value's label
	step := niceStep((hi - lo) / 4)
	if t := v1alpha1.MeasureType(i.MeasureType); step < 1 && (t == v1alpha1.MeasureCount) {
		step = 1 // whole numbers
	}
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	for v := lo; v <= hi+step/2; v += step {
		ticks = append(ticks, yTick{v, compact(v, l)})
	}
	return lo, hi, ticks
}

// niceStep rounds a raw step to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f < 1.5:
		return mag
	case f < 3:
		return 2 * mag
	case f < 7:
		return 5 * mag
	}
	return 10 * mag
}

// compact formats an axis label: 1.05M, 950k, 0.5 (0,5 in French).
func compact(v float64, l Locale) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return l.Number(trimFloat(v/1e6)) + "M"
	case a >= 1e4:
		return l.Number(trimFloat(v/1e3)) + "k"
	}
	return l.Number(trimFloat(v))
}

func trimFloat(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// barChart counts an area's indicators by state.
func barChart(id string, s Summary, say prose) *BarChart {
	type row struct {
		label, class string
		n            int
	}
	rows := []row{{"Met", "met", s.Met}, {"On track", "ontrack", s.OnTrack}, {"Not met", "notmet", s.NotMet}, {"No data", "nodata", s.NoData}}
	if s.NoTarget > 0 {
		rows = append(rows, row{"No target", "notarget", s.NoTarget})
	}
	c := &BarChart{ID: id, Width: barWidth, Height: barTop*2 + barRowHeight*len(rows), BarLeft: coord(barLeft), BarMax: coord(barMax)}
	c.Title = fmt.Sprintf("%s: indicators by state", s.Area)
	var desc []string
	for k, r := range rows {
		w := 0.0
		if s.Indicators > 0 {
			w = float64(r.n) / float64(s.Indicators) * barMax
		}
		top := float64(barTop + k*barRowHeight)
		c.Bars = append(c.Bars, Bar{
			Label: r.label, Class: r.class, Count: r.n,
			Y: coord(top + 4), W: coord(w), TextX: coord(barLeft + w + 6), TextY: coord(top + 17),
		})
		desc = append(desc, fmt.Sprintf("%d %s", r.n, strings.ToLower(r.label)))
	}
	c.Desc = fmt.Sprintf("%s: %s.", say.plural(s.Indicators, "indicator", "indicators"), strings.Join(desc, ", "))
	return c
}
