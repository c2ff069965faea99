package integration

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/controllers"
	"github.com/concord-operator/concord/internal/evaluate"
)

// TestShardReconcilesOnlyItsNamespaces: a manager started with
// --namespaces evaluates the objects of its namespaces and leaves the
// others to their own shard; a plan that counts a namespace outside the
// shard is a reconcile error that names it. The shared manager is
// stopped meanwhile, and restarted after.
func TestShardReconcilesOnlyItsNamespaces(t *testing.T) {
	startControllers(t)
	stopTestMg()
	<-testMgrDone
	defer restartControllers(t)

	consent := map[string]string{"concord.dev/plan": "national", evaluate.RollupLabel: "true"}
	createNamespace(t, "shard-a", consent)
	createNamespace(t, "shard-b", consent)
	o := testManagerOptions()
	o.Namespaces = []string{"shard-a"}
	mgr, err := newManagerWith(o)
	if err != nil {
		t.Fatal(err)
	}
	runManager(t, mgr)
	defer func() { stopTestMg(); <-testMgrDone }()

	fakeClock.SetTime(mustTime("2026-04-10T00:00:00Z"))
	a, b := lifeIndicator("shard-a"), lifeIndicator("shard-b")
	create(t, a, b)
	waitCondition(t, a, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)
	time.Sleep(2 * time.Second)
	if err := k8s.Get(ctx(t), client.ObjectKeyFromObject(b), b); err != nil {
		t.Fatal(err)
	}
	if len(b.Status.Conditions) != 0 {
		t.Errorf("the shard of shard-a evaluated an Indicator of shard-b: %+v", b.Status.Conditions)
	}

	plan := &v1alpha1.ActionPlan{
		ObjectMeta: metav1.ObjectMeta{Name: "national", Namespace: "shard-a"},
		Spec: v1alpha1.ActionPlanSpec{Title: "National plan", Start: "2026-Q1", End: "2026-Q4",
			NamespaceSelector: &v1alpha1.LabelSelector{MatchLabels: map[string]v1alpha1.LabelValue{"concord.dev/plan": "national"}}},
	}
	create(t, plan)
	// Called directly (the manager's own reconciles only log the error), once
	// the shard's cache has the plan.
	r := &controllers.ActionPlanReconciler{Base: base(), Shard: o.Namespaces}
	eventually(t, "a reconcile error naming shard-b", func() (bool, string) {
		_, err := r.Reconcile(ctx(t), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(plan)})
		return err != nil && strings.Contains(err.Error(), "shard-b") && strings.Contains(err.Error(), "does not watch"), errString(err)
	})
}
