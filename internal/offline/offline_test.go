package offline

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evidence"
	"github.com/concord-operator/concord/internal/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenInstants are the fixed instants the example scenario is evaluated
// at: mid-year (Q1 reported, Q2 open), today's scenario, and after the
// deadlines of 2026 closed.
var goldenInstants = []string{"2026-05-15T00:00:00Z", "2026-11-21T00:00:00Z", "2027-02-15T00:00:00Z"}

func TestGoldenNationalPlan(t *testing.T) {
	for _, at := range goldenInstants {
		t.Run(at, func(t *testing.T) {
			now, _ := time.Parse(time.RFC3339, at)
			objs, err := manifest.LoadPaths("../../examples/national-plan")
			if err != nil {
				t.Fatal(err)
			}
			set, err := Decode(objs)
			if err != nil {
				t.Fatal(err)
			}
			got := summarize(set.Evaluate(now))
			file := filepath.Join("testdata", "national-plan-"+strings.ReplaceAll(at[:10], "-", "")+".golden")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/offline -update)", err)
			}
			if got != string(want) {
				t.Errorf("evaluation at %s differs from %s (run go test ./internal/offline -update and review the diff):\n%s", at, file, firstDiff(string(want), got))
			}
		})
	}
}

// summarize writes every object's conditions and key values, one line per
// condition, in input order.
func summarize(results []Result) string {
	var b strings.Builder
	for _, r := range results {
		fmt.Fprintf(&b, "%s %s/%s\n", r.Source.GVK().Kind, r.Object.GetNamespace(), r.Object.GetName())
		if ind, ok := r.Object.(*v1alpha1.Indicator); ok {
			writeIndicatorValues(&b, ind)
		}
		if p, ok := r.Object.(*v1alpha1.ActionPlan); ok && p.Status.Scorecard != nil {
			sc := p.Status.Scorecard
			fmt.Fprintf(&b, "  scorecard: %d indicators, %d met, %d met or on track\n", sc.Indicators, sc.TargetMet, sc.OnTrack)
		}
		for _, c := range conditionsOf(r.Object) {
			fmt.Fprintf(&b, "  %s=%s %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
		}
	}
	return b.String()
}

func writeIndicatorValues(b *strings.Builder, ind *v1alpha1.Indicator) {
	st := ind.Status
	if st.Current != nil {
		fmt.Fprintf(b, "  current: %s in %s (provisional %v, %d measurements, %d reporters)\n", shown(st.Current.Value, st.Current.Display), st.Current.Period, st.Current.Provisional, st.Current.Measurements, st.Current.Reporters)
	}
	if st.TargetValue != "" || st.Progress != "" {
		fmt.Fprintf(b, "  target: %s progress: %s\n", shown(st.TargetValue, st.TargetDisplay), st.Progress)
	}
	var hist []string
	for _, h := range st.History {
		if h.Value != "" {
			e := string(h.Period) + "=" + shown(h.Value, h.Display)
			if h.Baseline {
				e += " (baseline)"
			}
			hist = append(hist, e)
		}
	}
	if len(hist) > 0 {
		fmt.Fprintf(b, "  history: %s (%d periods listed)\n", strings.Join(hist, ", "), len(st.History))
	}
	if st.Evidence != nil {
		fmt.Fprintf(b, "  evidence: %d sources, %d verified, missing %v\n", st.Evidence.Sources, st.Evidence.VerifiedSources, st.Evidence.MissingMethods)
	}
	if r := st.Reporting; r != nil {
		fmt.Fprintf(b, "  reporting %s: %d expected, %d reported (%d on time, %d late), %d missing\n", r.Period, r.Expected, r.Reported, r.OnTime, r.Late, r.Missing)
	}
}

func conditionsOf(o any) []metav1.Condition {
	switch t := o.(type) {
	case *v1alpha1.Indicator:
		return t.Status.Conditions
	case *v1alpha1.Measurement:
		return t.Status.Conditions
	case *v1alpha1.Evidence:
		return t.Status.Conditions
	case *v1alpha1.CooperationMechanism:
		return t.Status.Conditions
	case *v1alpha1.ActionPlan:
		return t.Status.Conditions
	}
	return nil
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return ""
}

func TestDecodeErrorsNameFileAndObject(t *testing.T) {
	objs, err := manifest.Parse("bad.yaml", []byte(`apiVersion: monitoring.concord.dev/v1alpha1
kind: Indicator
metadata: {name: broken, namespace: ns}
spec:
  title: T
  colour: blue
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Decode(objs)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:1: Indicator ns/broken") || !strings.Contains(err.Error(), "colour") {
		t.Fatalf("error %v", err)
	}
}

func TestObserveConfigMapNeedsTheEvidenceLabel(t *testing.T) {
	objs, _ := manifest.Parse("cm.yaml", []byte(`apiVersion: v1
kind: ConfigMap
metadata: {name: sop, namespace: ns}
data: {sop.txt: hello}
`))
	set, err := Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	cm := set.ConfigMaps[0]
	if obs := evidence.ObserveConfigMap(cm, "sop.txt"); obs.FailReason != v1alpha1.ReasonSourceNotFound {
		t.Fatalf("unlabelled ConfigMap read: %+v", obs)
	}
	cm.Labels = map[string]string{evidence.Label: "true"}
	obs := evidence.ObserveConfigMap(cm, "sop.txt")
	// sha256("hello")
	if obs.Digest != "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || obs.Size != 5 {
		t.Fatalf("observation %+v", obs)
	}
	if obs := evidence.ObserveConfigMap(cm, "missing"); obs.FailReason != v1alpha1.ReasonSourceNotFound {
		t.Fatalf("missing key: %+v", obs)
	}
}

// shown is a value with its display, when that differs (a Level's name).
func shown(value, display string) string {
	if display != value {
		return value + " (shown " + display + ")"
	}
	return value
}
