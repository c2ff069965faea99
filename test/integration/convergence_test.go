package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/status"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/metrics"
)

var concordKinds = map[string]string{
	"Indicator": metrics.KindIndicator, "Measurement": metrics.KindMeasurement, "Evidence": metrics.KindEvidence,
	"CooperationMechanism": metrics.KindMechanism, "ActionPlan": metrics.KindPlan,
}

// applyExamplesAndConverge applies the example scenario and waits until
// every Concord object of it was evaluated for its generation.
func applyExamplesAndConverge(t *testing.T) []manifest.Object {
	t.Helper()
	startControllers(t)
	fakeClock.SetTime(mustTime("2026-11-21T00:00:00Z"))
	objs, err := manifest.LoadPaths("../../examples/national-plan")
	if err != nil {
		t.Fatal(err)
	}
	if err := devenv.Apply(ctx(t), k8s, objs); err != nil {
		t.Fatal(err)
	}
	var concord []manifest.Object
	for _, o := range objs {
		if _, ok := concordKinds[o.Object.GetKind()]; ok {
			concord = append(concord, o)
		}
	}
	eventually(t, "every example object evaluated", func() (bool, string) {
		for _, o := range concord {
			if s, msg := kstatusOf(o); s != status.CurrentStatus {
				return false, fmt.Sprintf("%s: %s: %s", o.Describe(), s, msg)
			}
		}
		return true, ""
	})
	waitForQuiet(t)
	return concord
}

func kstatusOf(o manifest.Object) (status.Status, string) {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(schema.GroupVersionKind{Group: "monitoring.concord.dev", Version: "v1alpha1", Kind: o.Object.GetKind()})
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(o.Object), u); err != nil {
		return status.UnknownStatus, err.Error()
	}
	res, err := status.Compute(u)
	if err != nil {
		return status.UnknownStatus, err.Error()
	}
	return res.Status, res.Message
}

func totalWrites() float64 {
	var n float64
	for _, k := range concordKinds {
		n += metrics.StatusWrites(k)
	}
	return n
}

// waitForQuiet waits until no status write happened for two seconds.
func waitForQuiet(t *testing.T) {
	t.Helper()
	last, since := totalWrites(), time.Now()
	for time.Since(since) < 2*time.Second {
		time.Sleep(200 * time.Millisecond)
		if n := totalWrites(); n != last {
			last, since = n, time.Now()
		}
	}
}

// TestKstatusReportsCurrent: kstatus, as Flux and Argo CD use it, reads
// every evaluated example object as Current.
func TestKstatusReportsCurrent(t *testing.T) {
	objs := applyExamplesAndConverge(t)
	for _, o := range objs {
		if s, msg := kstatusOf(o); s != status.CurrentStatus {
			t.Errorf("%s: kstatus %s (%s), want Current", o.Describe(), s, msg)
		}
	}
	t.Logf("%d objects Current", len(objs))
}

// TestConvergedClusterWritesNothing: after convergence, a manager restart
// (a new manager re-lists and reconciles every object) writes no status.
func TestConvergedClusterWritesNothing(t *testing.T) {
	objs := applyExamplesAndConverge(t)
	before := totalWrites()
	// A minute later nothing is due: the status must be byte-for-byte the
	// same, transition times included.
	fakeClock.Step(time.Minute)
	restartControllers(t)
	time.Sleep(3 * time.Second) // every object is reconciled on start
	waitForQuiet(t)
	if after := totalWrites(); after != before {
		t.Fatalf("a restart over %d converged objects wrote %v statuses, want 0", len(objs), after-before)
	}
}
