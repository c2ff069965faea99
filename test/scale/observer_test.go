package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func newTestObserver() *Observer {
	return &Observer{expect: map[Key]string{}, state: map[Key]*seen{}, statusChanges: map[Key]int{}}
}

// TestObserverCountsConvergence: an object counts once its status is the
// expected one; a later regression counts it out again; Require ignores
// versions older than a change; status changes are counted per object.
func TestObserverCountsConvergence(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 1})
	exp := Expect(w.Namespaces, w.Objects, today)
	o := newTestObserver()
	o.Expect(exp)
	if o.remaining != len(w.Objects) {
		t.Fatalf("remaining %d, want %d", o.remaining, len(w.Objects))
	}
	ev := w.Objects[0].(*v1alpha1.Evidence).DeepCopy()
	ev.Generation, ev.ResourceVersion = 1, "10"
	o.update(nil, ev) // created, no status yet
	remaining := func(want int, what string) {
		t.Helper()
		if o.remaining != want {
			t.Errorf("%s: remaining %d, want %d", what, o.remaining, want)
		}
	}
	remaining(len(w.Objects), "an object without status")
	// next is the version rv of prev at generation gen, with the expected
	// status of generation observed (0: prev's status), as the watch
	// delivers it.
	next := func(prev *v1alpha1.Evidence, rv string, gen, observed int64) *v1alpha1.Evidence {
		n := prev.DeepCopy()
		n.ResourceVersion, n.Generation = rv, gen
		if observed > 0 {
			n.Status = evidenceStatusAt(exp[KeyOf(ev)].Status, observed)
		}
		o.update(prev, n)
		return n
	}
	done := next(ev, "11", 1, 1)
	remaining(len(w.Objects)-1, "the Evidence converged")
	if got := o.StatusChanges(); got[KeyOf(ev)] != 1 || len(got) != 1 {
		t.Errorf("status changes %v", got)
	}
	if got := o.StatusChanges(); len(got) != 0 {
		t.Errorf("status changes not reset: %v", got)
	}

	// A change of spec: generation 2, status still of generation 1.
	o.Require(KeyOf(ev), "12")
	remaining(len(w.Objects), "a version older than the change required")
	changed := next(done, "12", 2, 0)
	remaining(len(w.Objects), "a status of the old generation")
	again := next(changed, "13", 2, 2)
	remaining(len(w.Objects)-1, "the new generation's status")
	at := o.ConvergedAt()[KeyOf(ev)]
	if at.IsZero() {
		t.Fatal("no convergence time")
	}
	p := o.Progress()
	if p.Converged["Evidence"] != 1 || p.Expected["Measurement"] != 4 || !strings.HasPrefix(p.String(), "1/6 converged") {
		t.Errorf("progress %s", p)
	}
	if u := o.Unconverged(2); !strings.Contains(u, "not seen") || !strings.Contains(u, "and 3 more") {
		t.Errorf("unconverged:\n%s", u)
	}
	// Expecting again keeps the time of what is still converged.
	o.Expect(exp)
	remaining(len(w.Objects)-1, "expected again")
	if o.ConvergedAt()[KeyOf(ev)] != at {
		t.Errorf("Expect lost a convergence time")
	}
	o.remove(again)
	remaining(len(w.Objects), "a deleted object")
}

func evidenceStatusAt(st any, gen int64) v1alpha1.EvidenceStatus {
	in := st.(v1alpha1.EvidenceStatus)
	out := *in.DeepCopy()
	out.ObservedGeneration = gen
	return out
}

// TestWithGeneration: the floor's patch says which generation it is for,
// in the status and in every condition.
func TestWithGeneration(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 1})
	exp := Expect(w.Namespaces, w.Objects, today)
	ind := exp[Key{"Indicator", NamespaceName(0), IndicatorName(0)}]
	got, err := withGeneration(ind.Status, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got["observedGeneration"] != int64(3) {
		t.Errorf("observedGeneration %v", got["observedGeneration"])
	}
	conds := got["conditions"].([]any)
	if len(conds) != len(ind.Status.(v1alpha1.IndicatorStatus).Conditions) {
		t.Fatalf("%d conditions", len(conds))
	}
	for _, c := range conds {
		if c := c.(map[string]any); c["observedGeneration"] != int64(3) || c["reason"] == "" {
			t.Errorf("condition %v", c)
		}
	}
	if got["current"] == nil {
		t.Error("the status's other fields are lost")
	}
}

func TestLatencies(t *testing.T) {
	w := Generate(WorkloadOptions{Indicators: 1})
	t0 := time.Unix(1000, 0)
	starts := make([]time.Time, len(w.Objects))
	conv := map[Key]time.Time{}
	for i, o := range w.Objects {
		starts[i] = t0.Add(time.Duration(i) * time.Second)
		if i != 2 { // one object never converged
			conv[KeyOf(o)] = t0.Add(time.Duration(2*i) * time.Second)
		}
	}
	conv[KeyOf(w.Objects[0])] = t0.Add(-time.Second) // seen before its create returned
	got := latencies(w.Objects, starts, conv)
	want := []float64{0, 1, 3, 4, 5}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

func TestStatCPU(t *testing.T) {
	// Fields 14 and 15 (utime 1234, stime 566 ticks); the command name
	// holds a space and a parenthesis.
	stat := "4242 (con cord) S 1 4242 4242 0 -1 4194560 27366 0 0 0 1234 566 0 0 20 0 12 0 8374 1300000000 20000 18446744073709551615"
	got, err := statCPU(stat)
	if err != nil || math.Abs(got-18.0) > 1e-9 {
		t.Errorf("statCPU = %v, %v; want 18 s", got, err)
	}
	if _, err := statCPU("4242 (x) S 1"); err == nil {
		t.Error("a short line parsed")
	}
	if kibibytes(" 840120 kB") != 840120*1024 {
		t.Error("VmHWM not read in KiB")
	}
}

func TestSummaryAndMarkdown(t *testing.T) {
	runs := []Run{
		{Name: "pair1-operator", Arm: ArmOperator, Pair: 1, Indicators: 1000, Objects: 6000, Seconds: 78,
			API:     APICounts{StatusWrites: map[string]float64{"measurements": 4100, "indicators": 1100, "evidences": 1000}, EventsPosted: 34500},
			Manager: &ManagerFigures{Proc: Proc{PeakRSSBytes: 800 << 20, CPUSeconds: 95}, Counts: ManagerCounts{Reconciles: map[string]float64{"indicator": 5600}}}},
		{Name: "pair1-floor", Arm: ArmFloor, Pair: 1, Indicators: 1000, Objects: 6000, Seconds: 32},
		{Name: "pair2-operator", Arm: ArmOperator, Pair: 2, Indicators: 1000, Objects: 6000, Seconds: 80,
			API:     APICounts{StatusWrites: map[string]float64{"measurements": 4200, "indicators": 1100, "evidences": 1000}, EventsPosted: 34400},
			Manager: &ManagerFigures{Proc: Proc{PeakRSSBytes: 900 << 20, CPUSeconds: 99}, Counts: ManagerCounts{Reconciles: map[string]float64{"indicator": 5800}}}},
		{Name: "pair2-floor", Arm: ArmFloor, Pair: 2, Indicators: 1000, Objects: 6000, Seconds: 40},
	}
	s := Summarize(runs)
	if s.MedianRatio != (78.0/32+80.0/40)/2 || len(s.Ratios) != 2 {
		t.Errorf("summary %+v", s)
	}
	md := Results{Runs: runs, Summary: s, Config: Config{Workers: 8}}.Markdown()
	for _, want := range []string{
		"| 1,000 (6,000) | 79 s (median of 2 runs: 78, 80) | 36 s (median of 2 runs: 32, 40) | 2.22x (median of 2.44, 2.00) | 800.0 MiB to 900.0 MiB |",
		"| 1.03 to 1.05 | 34,500; 34,400 | 95 s to 99 s | 0.9 to 1.0 |", "| pair1-operator | 78.0 s |", "| 1.03: 6,200 (evidences 1,000, indicators 1,100, measurements 4,100); 0 conflicts |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	if thousands(1234567) != "1,234,567" || thousands(-1000) != "-1,000" || thousands(999) != "999" {
		t.Error("thousands")
	}
}
