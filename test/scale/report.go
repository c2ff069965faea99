package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Results are everything one invocation measured; results.json holds them.
type Results struct {
	Started  time.Time `json:"started"`
	Machine  Machine   `json:"machine"`
	Config   Config    `json:"config"`
	Workload string    `json:"workload"`
	Runs     []Run     `json:"runs"`
	Summary  *Summary  `json:"summary,omitempty"`
	Variants Variants  `json:"variants"`
	Error    string    `json:"error,omitempty"`
}

// Machine says where the figures were measured.
type Machine struct {
	CPUs    int    `json:"cpus"`
	Concord string `json:"concord"`
	GoOS    string `json:"goos"`
}

// Summary is the operator/floor comparison over the pairs.
type Summary struct {
	OperatorSeconds []float64 `json:"operatorSeconds"`
	FloorSeconds    []float64 `json:"floorSeconds"`
	// Ratios are each pair's operator/floor ratio.
	Ratios []float64 `json:"ratios"`
	// MedianRatio is the median of Ratios.
	MedianRatio float64 `json:"medianRatio"`
}

// Summarize compares the operator and floor runs pair by pair.
func Summarize(runs []Run) *Summary {
	op, floor := map[int]Run{}, map[int]Run{}
	for _, r := range runs {
		switch r.Arm {
		case ArmOperator:
			op[r.Pair] = r
		case ArmFloor:
			floor[r.Pair] = r
		}
	}
	s := &Summary{}
	for _, r := range runs {
		if r.Arm == ArmOperator {
			s.OperatorSeconds = append(s.OperatorSeconds, r.Seconds)
		}
		if r.Arm == ArmFloor {
			s.FloorSeconds = append(s.FloorSeconds, r.Seconds)
			if o, ok := op[r.Pair]; ok && r.Seconds > 0 {
				s.Ratios = append(s.Ratios, o.Seconds/r.Seconds)
			}
		}
	}
	if len(s.OperatorSeconds) == 0 && len(s.FloorSeconds) == 0 {
		return nil
	}
	if len(s.Ratios) > 0 {
		s.MedianRatio = Median(s.Ratios)
	}
	return s
}

// Markdown renders the results: the table, the extra figures, each
// run, and the variants.
func (res Results) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Concord scale benchmark, %s\n\n", res.Started.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "Workload: %s. %d client workers, client-side rate limit off. %d CPUs. %s. Manager flags: %s.\n\n",
		res.Workload, res.Config.Workers, res.Machine.CPUs, res.Machine.Concord, flagsText(res.Config.ManagerFlags))
	op, floor := byArm(res.Runs, ArmOperator), byArm(res.Runs, ArmFloor)
	if s := res.Summary; s != nil {
		n, objs := 0, 0
		if len(res.Runs) > 0 {
			n, objs = res.Runs[0].Indicators, res.Runs[0].Objects
		}
		b.WriteString("| N indicators (objects) | Concord: create to all converged | floor: same creates + one status patch per object | ratio | manager peak RSS |\n")
		b.WriteString("| --- | --- | --- | --- | --- |\n")
		fmt.Fprintf(&b, "| %s (%s) | %s | %s | %s | %s |\n\n", thousands(n), thousands(objs),
			secondsRuns(s.OperatorSeconds), secondsRuns(s.FloorSeconds), ratioText(s), rangeBytes(op, func(r Run) float64 { return peakRSS(r) }))
		b.WriteString("| status writes per object | Events posted by convergence (once quiet) | manager CPU | reconciles per object | p50 / p99 Concord | p50 / p99 floor | etcd per 1,000 indicators |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n\n",
			rangeText(op, func(r Run) float64 { return r.WritesPerObject() }, "%.2f"),
			eventsText(op),
			rangeText(op, func(r Run) float64 { return cpu(r) }, "%.0f s"),
			rangeText(op, func(r Run) float64 { return reconcilesPerObject(r) }, "%.1f"),
			pText(op), pText(floor), etcdText(append(op, floor...)))
	}
	if len(res.Runs) > 0 {
		b.WriteString("## Runs\n\n")
		b.WriteString("| run | converged | creates | p50 / p99 | status writes per object: by resource; 409 Conflicts | Events posted (patched) | reconciles | manager peak RSS / CPU | API server CPU | requests | etcd growth: live (before compaction) |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range res.Runs {
			b.WriteString(runRow(r))
		}
		b.WriteString("\n")
	}
	v := res.Variants
	if v.Cold != nil || v.Fanout != nil {
		b.WriteString("## Cold starts (objects first, then the manager)\n\n")
		b.WriteString("| run | objects | manager start to all converged (caches synced after) | p50 / p99 | status writes per object | Events posted (once quiet) | reconciles per object | manager peak RSS / CPU |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range []*Run{v.Cold, v.Fanout} {
			if r != nil {
				fmt.Fprintf(&b, "| %s | %s | %s (%s) | %s / %s | %.2f | %s | %.1f | %s / %.0f s |\n", r.Name, thousands(r.Objects),
					secs(r.Seconds), secs(r.Manager.ReadySeconds), secs(r.P50), secs(r.P99), r.WritesPerObject(), eventsOf(*r),
					reconcilesPerObject(*r), bytesText(peakRSS(*r)), cpu(*r))
			}
		}
		b.WriteString("\n")
	}
	if len(v.Changes) > 0 {
		b.WriteString("## Changes to a converged cluster\n\n")
		b.WriteString("| change | converged after | quiet after | status writes | Events posted | reconciles | objects whose status changed (times) |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, c := range v.Changes {
			quiet := secs(c.IdleSeconds)
			if !c.IdleReached {
				quiet = fmt.Sprintf("not quiet after %.0f s", c.IdleSeconds)
			}
			fmt.Fprintf(&b, "| %s: %s | %s | %s | %s | %s | %s | %s |\n", c.Variant, c.Name, secs(c.Seconds), quiet,
				perResource(c.API.StatusWrites), thousands(int(c.API.EventsPosted)), perResource(c.Reconciles), objectsText(c.StatusChanged, 6))
		}
		b.WriteString("\n")
	}
	if res.Error != "" {
		fmt.Fprintf(&b, "**Stopped by an error:** %s\n", res.Error)
	}
	return b.String()
}

func flagsText(fs []string) string {
	if len(fs) == 0 {
		return "the defaults"
	}
	return "`" + strings.Join(fs, " ") + "`"
}

func byArm(runs []Run, arm string) []Run {
	var out []Run
	for _, r := range runs {
		if r.Arm == arm {
			out = append(out, r)
		}
	}
	return out
}

func runRow(r Run) string {
	mgr, evs, rec := "-", "-", "-"
	if r.Manager != nil {
		mgr = fmt.Sprintf("%s / %.0f s", bytesText(peakRSS(r)), cpu(r))
		rec = perResource(r.Manager.Counts.Reconciles)
	}
	evs = fmt.Sprintf("%s (%s)", eventsOf(r), thousands(int(r.API.EventsPatched)))
	db, live := r.StoredBytes()
	return fmt.Sprintf("| %s | %s | %s | %s / %s | %.2f: %s; %s conflicts | %s | %s | %s | %.0f s | %s | %s (%s) |\n",
		r.Name, secs(r.Seconds), secs(r.CreateSeconds), secs(r.P50), secs(r.P99), r.WritesPerObject(), perResource(r.API.StatusWrites), thousands(int(r.API.StatusConflicts)), evs, rec, mgr,
		r.API.CPUSeconds, thousands(int(r.API.Requests)), bytesText(live), bytesText(db))
}

// eventsOf is the Events posted by convergence, and once quiet when that
// differs.
func eventsOf(r Run) string {
	s := thousands(int(r.API.EventsPosted))
	if r.Settled != nil && r.Settled.API.EventsPosted != r.API.EventsPosted {
		s += fmt.Sprintf(" (%s)", thousands(int(r.Settled.API.EventsPosted)))
		if !r.Settled.Idle.Reached {
			s += ", still posting"
		}
	}
	return s
}

func eventsText(op []Run) string {
	var parts []string
	for _, r := range op {
		parts = append(parts, eventsOf(r))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

func peakRSS(r Run) float64 {
	if r.Manager == nil {
		return math.NaN()
	}
	return float64(r.Manager.Proc.PeakRSSBytes)
}

func cpu(r Run) float64 {
	if r.Manager == nil {
		return math.NaN()
	}
	return r.Manager.Proc.CPUSeconds
}

func reconcilesPerObject(r Run) float64 {
	if r.Manager == nil {
		return math.NaN()
	}
	return r.Manager.Counts.TotalReconciles() / float64(r.Objects)
}

func pText(runs []Run) string {
	if len(runs) == 0 {
		return "-"
	}
	var p50, p99 []float64
	for _, r := range runs {
		p50, p99 = append(p50, r.P50), append(p99, r.P99)
	}
	return secs(Median(p50)) + " / " + secs(Median(p99))
}

// secs writes seconds with 2 decimals below 10 s, 1 below 100 s, else none.
func secs(x float64) string {
	switch {
	case x < 10:
		return fmt.Sprintf("%.2f s", x)
	case x < 100:
		return fmt.Sprintf("%.1f s", x)
	default:
		return fmt.Sprintf("%.0f s", x)
	}
}

// etcdText is the median of what the workload's live keys occupy in etcd
// per 1,000 indicators (and the database's growth before compaction).
func etcdText(runs []Run) string {
	var db, live []float64
	for _, r := range runs {
		if r.Indicators > 0 && r.Storage.LiveBytes > 0 {
			d, l := r.StoredBytes()
			db = append(db, d*1000/float64(r.Indicators))
			live = append(live, l*1000/float64(r.Indicators))
		}
	}
	if len(db) == 0 {
		return "-"
	}
	return fmt.Sprintf("%s live (%s before compaction)", bytesText(Median(live)), bytesText(Median(db)))
}

func secondsRuns(xs []float64) string {
	if len(xs) == 0 {
		return "-"
	}
	if len(xs) == 1 {
		return fmt.Sprintf("%.0f s", xs[0])
	}
	var each []string
	for _, x := range xs {
		each = append(each, fmt.Sprintf("%.0f", x))
	}
	return fmt.Sprintf("%.0f s (median of %d runs: %s)", Median(xs), len(xs), strings.Join(each, ", "))
}

func ratioText(s *Summary) string {
	if len(s.Ratios) == 0 {
		return "-"
	}
	var each []string
	for _, x := range s.Ratios {
		each = append(each, fmt.Sprintf("%.2f", x))
	}
	if len(each) == 1 {
		return fmt.Sprintf("%.2fx", s.MedianRatio)
	}
	return fmt.Sprintf("%.2fx (median of %s)", s.MedianRatio, strings.Join(each, ", "))
}

// rangeText is "min-max" (or the one value) of f over runs.
func rangeText(runs []Run, f func(Run) float64, format string) string {
	lo, hi, ok := minMax(runs, f)
	if !ok {
		return "-"
	}
	if fmt.Sprintf(format, lo) == fmt.Sprintf(format, hi) {
		return fmt.Sprintf(format, lo)
	}
	return fmt.Sprintf(format, lo) + " to " + fmt.Sprintf(format, hi)
}

func rangeBytes(runs []Run, f func(Run) float64) string {
	lo, hi, ok := minMax(runs, f)
	if !ok {
		return "-"
	}
	if bytesText(lo) == bytesText(hi) {
		return bytesText(lo)
	}
	return bytesText(lo) + " to " + bytesText(hi)
}

func minMax(runs []Run, f func(Run) float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		v := f(r)
		if math.IsNaN(v) {
			continue
		}
		lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
	}
	return lo, hi, ok
}

// bytesText is a size in MiB, or GiB from 1 GiB on.
func bytesText(b float64) string {
	switch {
	case math.IsNaN(b):
		return "-"
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", b/(1<<30))
	default:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	}
}

// thousands writes n with commas: 34,500.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// perResource is "3 (indicators 1, measurements 2)".
func perResource(m map[string]float64) string {
	total := 0.0
	var parts []string
	for _, k := range sortedKeys(m) {
		if m[k] == 0 {
			continue
		}
		total += m[k]
		parts = append(parts, fmt.Sprintf("%s %s", k, thousands(int(m[k]))))
	}
	if len(parts) == 0 {
		return "0"
	}
	return fmt.Sprintf("%s (%s)", thousands(int(total)), strings.Join(parts, ", "))
}

// objectsText lists up to n objects and how often their status changed.
func objectsText(m map[string]int, n int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := sortedKeys(m)
	var parts []string
	for i, k := range keys {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", k, m[k]))
	}
	return fmt.Sprintf("%d: %s", len(keys), strings.Join(parts, ", "))
}
