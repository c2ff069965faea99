package integration

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/concord-operator/concord/controllers"
	"github.com/concord-operator/concord/internal/manager"
)

// The controllers under test run in one manager, started on first use, whose
// evaluators see fakeClock. Tests run one at a time and each uses its own
// namespaces.
var (
	startOnce   sync.Once
	fakeClock   *clocktesting.FakeClock
	testMgr     ctrl.Manager
	stopTestMg  context.CancelFunc = func() {}
	testMgrDone                    = make(chan struct{})
)

// startControllers starts the manager with every controller.
func startControllers(t *testing.T) {
	t.Helper()
	startOnce.Do(func() {
		fakeClock = clocktesting.NewFakeClock(mustTime("2026-02-01T00:00:00Z"))
		mgr, err := newTestManager()
		if err != nil {
			t.Fatalf("creating the manager: %v", err)
		}
		runManager(t, mgr)
	})
	if testMgr == nil {
		t.Fatal("the manager failed to start in an earlier test")
	}
}

// restartControllers stops the shared manager and starts a new one, as a
// Pod restart would.
func restartControllers(t *testing.T) {
	t.Helper()
	stopTestMg()
	<-testMgrDone
	mgr, err := newTestManager()
	if err != nil {
		t.Fatalf("creating the manager: %v", err)
	}
	runManager(t, mgr)
}

func runManager(t *testing.T, mgr ctrl.Manager) {
	t.Helper()
	testMgr = mgr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	stopTestMg, testMgrDone = cancel, done
	go func() { defer close(done); _ = mgr.Start(ctx) }()
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		t.Fatal("the manager's cache did not sync")
	}
}

func newTestManager() (ctrl.Manager, error) { return newManagerWith(testManagerOptions()) }

func newManagerWith(o manager.Options) (ctrl.Manager, error) { return manager.New(cfg, o) }

// testManagerOptions are the shared manager's options.
func testManagerOptions() manager.Options {
	o := manager.DefaultOptions()
	o.MetricsAddr, o.ProbeAddr, o.Clock = "0", "0", fakeClock
	o.LeaderElection = false
	o.GracefulShutdown = 5 * time.Second
	o.SkipNameValidation = true
	o.EventSettleTime = 0 // the Events tests follow each transition
	return o
}

// base is a reconciler base over the test manager's cache and recorder,
// for calling Reconcile directly (as a requeue would) and reading its
// RequeueAfter.
func base() controllers.Base {
	return controllers.Base{Client: testMgr.GetClient(), Clock: fakeClock, Recorder: testMgr.GetEventRecorder(controllers.FieldManager)}
}

// reconcileAsRequeue calls r for obj as its requeue would, once the
// manager's cache holds the object as the API server does, and returns the
// result. A reconcile that met a stale cache (its status write conflicted
// with the manager's own, and it asks to be run again after
// controllers.StaleRetry) is run again, as the manager would.
func reconcileAsRequeue(t *testing.T, r reconcile.Reconciler, obj conditioned) ctrl.Result {
	t.Helper()
	req := ctrl.Request{NamespacedName: client.ObjectKeyFromObject(obj)}
	for attempt := 1; ; attempt++ {
		waitCached(t, obj)
		res, err := r.Reconcile(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if res.RequeueAfter != controllers.StaleRetry || attempt == 20 {
			return res
		}
	}
}

// waitCached waits until the manager's cache holds obj at the
// resourceVersion the API server has.
func waitCached(t *testing.T, obj conditioned) {
	t.Helper()
	key := client.ObjectKeyFromObject(obj)
	live := obj.DeepCopyObject().(conditioned)
	cached := obj.DeepCopyObject().(conditioned)
	eventually(t, obj.GetName()+" in the manager's cache", func() (bool, string) {
		if err := k8s.Get(context.Background(), key, live); err != nil {
			return false, err.Error()
		}
		if err := testMgr.GetCache().Get(context.Background(), key, cached); err != nil {
			return false, err.Error()
		}
		return live.GetResourceVersion() == cached.GetResourceVersion(),
			"cache at " + cached.GetResourceVersion() + ", API server at " + live.GetResourceVersion()
	})
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func createNamespace(t *testing.T, name string, labels map[string]string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	if err := k8s.Create(ctx(t), ns); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// conditioned is a Concord object with conditions.
type conditioned interface {
	client.Object
	GetConditions() []metav1.Condition
}

// eventually polls fn every 100ms for up to 30s.
func eventually(t *testing.T, what string, fn func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := fn()
		if ok {
			return
		}
		last = state
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last state: %s", what, last)
}

// waitCondition waits until obj (re-read by key) has the condition type
// with status and reason, for its current generation.
func waitCondition(t *testing.T, obj conditioned, typ string, status metav1.ConditionStatus, reason string) {
	t.Helper()
	key := client.ObjectKeyFromObject(obj)
	eventually(t, obj.GetName()+" "+typ+"="+string(status)+"/"+reason, func() (bool, string) {
		if err := k8s.Get(context.Background(), key, obj); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(obj.GetConditions(), typ)
		if c == nil {
			return false, "condition absent"
		}
		ok := c.Status == status && c.Reason == reason && c.ObservedGeneration == obj.GetGeneration()
		return ok, string(c.Status) + "/" + c.Reason + ": " + c.Message
	})
}
