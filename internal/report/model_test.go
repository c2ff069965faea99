package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func find(t *testing.T, r *Report, ns, name string) *Indicator {
	t.Helper()
	for _, a := range r.Areas {
		for _, i := range a.Indicators {
			if i.Namespace == ns && i.Name == name {
				return i
			}
		}
	}
	t.Fatalf("no indicator %s/%s in the report", ns, name)
	return nil
}

func TestBuildSummary(t *testing.T) {
	r := nationalPlan(t)
	if r.Title != "National Plan of Action against Trafficking 2025-2027" {
		t.Errorf("title %q: want the only plan's title", r.Title)
	}
	var areas []string
	for _, s := range r.Summary {
		areas = append(areas, s.Area)
	}
	if want := []string{"Prevention", "Protection", "Prosecution", "Partnership"}; !reflect.DeepEqual(areas, want) {
		t.Errorf("areas %v, want %v", areas, want)
	}
	// The 3 inputs of the derived indicators (52-derived-indicators.yaml) set no target.
	want := Summary{Area: "Total", Indicators: 32, Met: 18, OnTrack: 9, NotMet: 2, NoTarget: 3, MetOrOnTrack: 27, Overdue: 1}
	if r.Total != want {
		t.Errorf("total %+v, want %+v", r.Total, want)
	}
	// The report agrees with the plan's own scorecard.
	sc := r.Plans[0].Scorecard
	if int(sc.Indicators) != r.Total.Indicators || int(sc.TargetMet) != r.Total.Met || int(sc.OnTrack) != r.Total.MetOrOnTrack {
		t.Errorf("plan scorecard %d/%d/%d, report %+v", sc.Indicators, sc.TargetMet, sc.OnTrack, r.Total)
	}
	if len(r.Mechanisms) != 4 {
		t.Fatalf("%d mechanisms, want 4", len(r.Mechanisms))
	}
	for _, m := range r.Mechanisms {
		if m.Counts == nil || int(m.Counts.Total) != len(m.Indicators) {
			t.Errorf("mechanism %s lists %d indicators, its status counts %+v", m.Name, len(m.Indicators), m.Counts)
		}
	}
}

func TestIndicatorRow(t *testing.T) {
	r := nationalPlan(t)
	i := find(t, r, "protection", "victims-referred")
	got := []string{i.BaselinePeriod, i.BaselineValue, i.TargetOperator, i.TargetValue, i.TargetDeadline, i.AbsoluteTarget,
		i.CurrentPeriod, i.CurrentValue, i.Progress, string(i.State), (prose{}).target(i).String()}
	want := []string{"2025-Q4", "40", "IncreaseByPercent", "25", "2026-Q4", "50", "2026-Q3", "54", "140", "Met", "+25% of the baseline (50 persons) by Q4 2026"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("row %q,\nwant %q", got, want)
	}
	var trend []string
	for _, h := range i.Trend {
		trend = append(trend, h.Period+"="+h.Value)
	}
	if want := "2025-Q4= 2026-Q1=49 2026-Q2=52 2026-Q3=54 2026-Q4="; strings.Join(trend, " ") != want {
		t.Errorf("trend %v, want %s", trend, want)
	}
	if !i.Trend[len(i.Trend)-1].Open || i.Trend[len(i.Trend)-2].Open {
		t.Error("2026-Q4 is open at 2026-11-21 and 2026-Q3 is closed")
	}
	if got := (prose{}).trend(i); got != "49 → 52 → 54" {
		t.Errorf("trendText %q", got)
	}

	// Backed by its mechanism: a value for every quarter, from the minutes.
	meetings := find(t, r, "prosecution", "criminal-justice-meetings-regular")
	if meetings.DataOverdue.True() || (prose{}).trend(meetings) != "Not in place since Q3 2026" {
		t.Errorf("mechanism-backed indicator: DataOverdue %+v, trend %q", meetings.DataOverdue, (prose{}).trend(meetings))
	}
	level := find(t, r, "coordination", "nhri-engagement-level")
	if got := (prose{}).current(level); got != "Medium in 2026 (provisional)" {
		t.Errorf("Level current %q", got)
	}
}

func TestCumulativeTrendIsARunningTotal(t *testing.T) {
	i := find(t, nationalPlan(t), "coordination", "actors-trained-identify-refer")
	var vals []string
	for _, h := range i.Trend {
		if h.Value != "" {
			vals = append(vals, h.Value)
		}
	}
	if i.TrendKind != TrendRunningTotal || strings.Join(vals, " ") != "80 175 285" {
		t.Errorf("trend %v (%s), want the running totals 80 175 285", vals, i.TrendKind)
	}
	// History, and so the CSV, keep the per-period values of the status.
	if i.History[1].Value != "110" {
		t.Errorf("history[1] = %+v, want the status's 110", i.History[1])
	}
	// A history that does not reach the current value stays per period.
	per := []HistoryEntry{{Period: "2026-Q2", Value: "95"}, {Period: "2026-Q3", Value: "110"}}
	if got, kind := runningTotals(per, "2026-Q3", "285"); kind != TrendPerPeriod || !reflect.DeepEqual(got, per) {
		t.Errorf("runningTotals = %v, %s; want the per-period values", got, kind)
	}
}

func TestBreakdownSuppression(t *testing.T) {
	i := find(t, nationalPlan(t), "protection", "victims-referred")
	b := i.Breakdown
	if b == nil || b.Period != "2026-Q3" || b.Total != "54" || b.Reports != 3 || b.MinCellSize != 5 || !b.Summed {
		t.Fatalf("breakdown %+v", b)
	}
	got := map[string]string{}
	for _, d := range b.Dimensions {
		var cells []string
		for _, c := range d.Cells {
			cells = append(cells, c.CategoryText()+"="+c.Text)
			if c.Suppressed && c.Value != "" {
				t.Errorf("%s/%s is suppressed but the model holds its value %q", d.Name, c.Category, c.Value)
			}
		}
		got[d.Name] = strings.Join(cells, " ")
	}
	want := map[string]string{
		// other 1 and unknown 2 are small, and would sum to 3 (54 - 34 -
		// 17): male (17), the next smallest, goes with them.
		"gender": "female=34 male=suppressed other=suppressed unknown=suppressed",
		// unknown 2 alone is small: 0-17 (9), the next smallest, goes with it.
		"age": "0-17=suppressed 18+=43 unknown=suppressed",
		// airport 2 alone is small; southern-agricultural-region (11) goes with it.
		"locationOfIdentification": "airport=suppressed northern-border=14 southern-agricultural-region=suppressed (not stated)=27",
		// XB 3 alone is small; XA (12) goes with it. 39 of 54 are not
		// stated: 38 from the reports without the dimension, 1 not
		// recorded by the Border Police (total AtMost).
		"countryOfOrigin": "XA=suppressed XB=suppressed (not stated)=39",
		"stakeholderType": "borderControl=16 laborInspectors=11 ngoPartners=27",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("breakdown\n got %v\nwant %v", got, want)
	}

	// Nothing that was suppressed reaches any output.
	r := nationalPlan(t)
	for name, write := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		"html":     func(b *bytes.Buffer) error { return WriteHTML(b, r) },
	} {
		var out bytes.Buffer
		if err := write(&out); err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"0-17 | 9 ", "<td>0-17</td><td class=\"num\">9<", "| XA | 12 ", "<td>XA</td><td class=\"num\">12<"} {
			if strings.Contains(out.String(), leak) {
				t.Errorf("%s shows a suppressed cell: %q", name, leak)
			}
		}
	}
}

func TestBreakdownOfNonAdditiveAndRatio(t *testing.T) {
	r := nationalPlan(t)
	pct := find(t, r, "coordination", "training-knowledge-improved").Breakdown
	if pct == nil || pct.Summed || pct.Reports != 1 || pct.Total != "64" || len(pct.Dimensions) != 1 || pct.Dimensions[0].Cells[0].Text != "70" {
		t.Errorf("Percentage breakdown %+v: want the newest report's cells, not summed", pct)
	}
	ratio := find(t, r, "coordination", "legal-aid-interpreter-requests-met").Breakdown
	if ratio == nil || ratio.Total != "41/49 (83.67)" || ratio.Dimensions[0].Cells[0].Text != "30/35 (85.71)" {
		t.Errorf("Ratio breakdown %+v", ratio)
	}
	if find(t, r, "coordination", "cso-prevention-budget").Breakdown != nil {
		t.Error("an indicator without disaggregations has a breakdown")
	}
}

func TestEscapeFixtureSuppression(t *testing.T) {
	i := find(t, escapeReport(t), "escape", "hostile")
	var cells []string
	for _, c := range i.Breakdown.Dimensions[0].Cells {
		cells = append(cells, c.Text)
	}
	// 7, 4 and 1 with minCellSize 3: 1 is small, 4 goes with it.
	if got := strings.Join(cells, " "); got != "7 suppressed suppressed" {
		t.Errorf("cells %q", got)
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, nationalPlan(t)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 33 || !reflect.DeepEqual(rows[0], CSVHeader) || len(CSVHeader) != 20+12 {
		t.Fatalf("%d rows with header %v", len(rows), rows[0])
	}
	col := map[string]int{}
	for k, h := range rows[0] {
		col[h] = k
	}
	for _, row := range rows[1:] {
		if row[col["name"]] != "victims-referred" {
			continue
		}
		got := []string{row[col["title"]], row[col["unit"]], row[col["targetValue"]], row[col["current.value"]], row[col["current.provisional"]],
			row[col["TargetMet"]], row[col["OnTrack"]], row[col["EvidenceMissing"]], row[col["DataOverdue"]], row[col["Anomalous"]],
			row[col["h1"]], row[col["h2"]], row[col["h4"]], row[col["h5"]]}
		want := []string{"Number of victims identified or referred to services by trained stakeholders", "persons", "50", "54", "false",
			"True", "True", "False", "True", "Unknown", "", "54", "49", ""}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("victims-referred row %q,\nwant %q", got, want)
		}
		return
	}
	t.Error("no victims-referred row")
}

func TestCSVDefusesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, escapeReport(t)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	units := map[string]string{}
	for _, row := range rows[1:] {
		titles[row[1]], units[row[1]] = row[3], row[4]
	}
	if titles["formula"] != `'=HYPERLINK("http://evil.example","click")` || units["formula"] != "'@SUM(A1)" {
		t.Errorf("formula title %q, unit %q: want them quoted", titles["formula"], units["formula"])
	}
	if titles["hostile"] != hostile[0] {
		t.Errorf("title %q, want it as written", titles["hostile"])
	}
}

// TestReportingTable: victims-referred expects four reporters; the report
// shows, per reporter, its due periods of the history on time, late and
// missing: the Tourism and hospitality association filed 2026-Q2 after the
// grace and 2026-Q3 not at all.
func TestReportingTable(t *testing.T) {
	r := nationalPlan(t)
	i := find(t, r, "protection", "victims-referred")
	want := &Reporting{From: "2026-Q1", To: "2026-Q3", Periods: 3, GraceDays: 30, Rows: []ReporterRow{
		{Reporter: "NGO shelter network", OnTime: 3},
		{Reporter: "Border Police", OnTime: 3},
		{Reporter: "Labour Inspectorate", OnTime: 3},
		{Reporter: "Tourism and hospitality association", OnTime: 1, Late: 1, Missing: 1, Gaps: []string{"2026-Q2 late", "2026-Q3 missing"}},
	}}
	if !reflect.DeepEqual(i.Reporting, want) {
		t.Errorf("reporting %+v,\nwant %+v", i.Reporting, want)
	}
	if other := find(t, r, "protection", "victims-identified-assisted"); other.Reporting != nil {
		t.Errorf("an indicator without expected reporters has a reporting table: %+v", other.Reporting)
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"### Reporting from Q1 2026 to Q3 2026: Victims identified or referred by trained stakeholders (`protection/victims-referred`)",
		"| Tourism and hospitality association | 1 | 1 | 1 | Q2 2026 late, Q3 2026 missing |",
		"| NGO shelter network | 3 | 0 | 0 | – |",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("the Markdown lacks %q", line)
		}
	}
	page := text(renderHTML(t, r))
	if !strings.Contains(page, "Tourism and hospitality association111Q2 2026 late, Q3 2026 missing") {
		t.Error("the HTML lacks the reporting table's row for the Tourism and hospitality association")
	}
}

// TestReportingTableEscapesReporters: reporter names come from manifests.
func TestReportingTableEscapesReporters(t *testing.T) {
	objs := controlObjects()
	objs[0].(*v1alpha1.Indicator).Spec.Reporting = &v1alpha1.Reporting{ExpectedReporters: []string{hostileControls}}
	r := Build(objs, Options{Generated: goldenAt})
	i := find(t, r, "ctl", "controls")
	if i.Reporting == nil || len(i.Reporting.Rows) != 1 || i.Reporting.Rows[0].Reporter != safe(hostileControls) || i.Reporting.Rows[0].Late != 1 {
		t.Fatalf("reporting %+v", i.Reporting)
	}
	for name, write := range map[string]func(io.Writer, *Report) error{"markdown": WriteMarkdown, "html": WriteHTML} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "\x1b") || !strings.Contains(b.String(), "Reporting in Q3 2026") {
			t.Errorf("%s: the reporting table is missing or carries a raw control character", name)
		}
	}
}

// TestAnomalyExplained: the report says which value was flagged and
// against which median; under disclosure control it does so only when no
// figure of the judgement is below minCellSize (the MAD or the mean
// absolute deviation could give a small one away), whether or not the
// history shows it.
func TestAnomalyExplained(t *testing.T) {
	r := Build(evaluated(t, "testdata/anomaly"), Options{Generated: goldenAt, At: goldenAt})
	open := find(t, r, "anomaly", "open-figures")
	const explained = "2025-06: 510 is an outlier against the 5 previous periods with data (2025-01 to 2025-05): median 50, MAD 2, modified z-score 155.14"
	if !open.Anomalous.True() || !strings.HasPrefix(open.Anomalous.Message, explained) {
		t.Errorf("open-figures: Anomalous %+v", open.Anomalous)
	}
	if large := find(t, r, "anomaly", "large-figures"); !strings.Contains(large.Anomalous.Message, "120 is an outlier") || !strings.Contains(large.Anomalous.Message, "median 12") {
		t.Errorf("large-figures: Anomalous %+v", large.Anomalous)
	}
	small := find(t, r, "anomaly", "small-figures")
	if !small.Anomalous.True() || small.Anomalous.Message != WithheldMessage {
		t.Errorf("small-figures: Anomalous %+v, want the message withheld (2025-03 was 3)", small.Anomalous)
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	// The report writes the message's periods and figures for people.
	shown := Locale{}.Message(explained)
	if want := "June 2025: 510 is an outlier against the 5 previous periods with data (January 2025 to May 2025)"; !strings.HasPrefix(shown, want) {
		t.Errorf("the message reads %q, want it to start %q", shown, want)
	}
	if !strings.Contains(b.String(), "- `anomaly/open-figures`: Outlier (outlier detected): "+md(shown)) {
		t.Error("the Markdown does not explain the flagged value")
	}
	if !strings.Contains(text(renderHTML(t, r)), "Outlier (outlier detected): "+shown) {
		t.Error("the HTML does not explain the flagged value")
	}
}
