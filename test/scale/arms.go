package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Config is what the command line sets.
type Config struct {
	Assets, Concord, Out string
	Indicators           int
	Pairs, Workers       int
	Plan                 bool
	Variants             []string
	// FanoutMeasurements is the number of Measurements that reference the
	// one Evidence of the evidence-fanout variant.
	FanoutMeasurements int
	// Timeout bounds each wait for convergence; Settle the wait for the
	// manager's quiet after it; Quiet is how long quiet lasts.
	Timeout, Settle, Quiet time.Duration
	ManagerFlags           []string
	Controllers            []string
	// Pprof: the manager has --pprof-bind-address (found in its --help).
	Pprof bool
	// CPUProfile takes CPU profiles of the manager while it converges.
	CPUProfile bool
}

// Bench runs the arms and variants of one invocation.
type Bench struct {
	cfg Config
	// dir is this invocation's directory under Out.
	dir string
}

func (b *Bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// Arms and variants.
const (
	ArmOperator = "operator"
	ArmFloor    = "floor"

	VariantCold           = "cold"
	VariantRestart        = "restart"
	VariantNewMeasurement = "new-measurement"
	VariantEvidenceFanout = "evidence-fanout"
)

// AllVariants are the variants in the order they run.
var AllVariants = []string{VariantCold, VariantRestart, VariantNewMeasurement, VariantEvidenceFanout}

// Run is one arm's run, or the cold start of a variant.
type Run struct {
	Name       string `json:"name"`
	Arm        string `json:"arm"`
	Pair       int    `json:"pair,omitempty"`
	Indicators int    `json:"indicators"`
	Objects    int    `json:"objects"`
	// Seconds: from the first create (cold: from the manager's start) until
	// the observer saw every object converged.
	Seconds float64 `json:"seconds"`
	// CreateSeconds: from the first create until the last create (and, in
	// the floor arm, its status patch) returned.
	CreateSeconds float64 `json:"createSeconds"`
	// P50 and P99 of each object's create-to-converged time (cold: manager
	// start to converged), in seconds.
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
	// API: the API server's counters from before the first create
	// (cold: before the manager's start) until convergence.
	API APICounts `json:"api"`
	// Settled: from the same start until the manager was quiet after
	// convergence (operator and cold only).
	Settled *Settled        `json:"settled,omitempty"`
	Manager *ManagerFigures `json:"manager,omitempty"`
	// StatusChanges: updates the observer saw change a status.
	StatusChanges int `json:"statusChanges"`
	// Storage is etcd's size at the end of the run; Before, before the
	// first create: the difference is what the workload occupies.
	Storage       Storage `json:"storage"`
	StorageBefore Storage `json:"storageBefore"`
}

// StoredBytes is what the run added to etcd's database as the run left it
// (revisions not compacted yet included), and what the workload's live
// keys occupy once compacted.
func (r Run) StoredBytes() (db, live float64) {
	return r.Storage.Etcd.DBBytes - r.StorageBefore.Etcd.DBBytes, float64(r.Storage.LiveBytes - r.StorageBefore.LiveBytes)
}

// Settled is a run's counters once the manager was quiet.
type Settled struct {
	Idle Idle      `json:"idle"`
	API  APICounts `json:"api"`
}

// ManagerFigures are the manager's own figures at the end of a run.
type ManagerFigures struct {
	Proc Proc `json:"proc"`
	// Counts over the manager's life (reconciles per controller).
	Counts ManagerCounts `json:"counts"`
	// ReadySeconds: from the manager's start until its caches synced.
	ReadySeconds float64 `json:"readySeconds"`
}

// WritesPerObject is the status writes until convergence per object.
func (r Run) WritesPerObject() float64 { return r.API.TotalStatusWrites() / float64(r.Objects) }

// session is one control plane with its observer, its workload and, once
// started, its manager.
type session struct {
	b    *Bench
	name string
	dir  string
	cl   *Cluster
	obs  *Observer
	mgr  *Manager
	w    Workload
	// objs are the objects the cluster holds (the workload and those the
	// variants added or changed).
	objs []client.Object
	// exp are the statuses w converges to.
	exp map[Key]Expected
}

// open starts a control plane, creates the namespaces, starts the observer
// and sets the expected statuses of w.
func (b *Bench) open(ctx context.Context, name string, w Workload) (*session, error) {
	dir := filepath.Join(b.dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	b.logf("%s: starting etcd and kube-apiserver", name)
	cl, err := StartCluster(b.cfg.Assets, dir)
	if err != nil {
		return nil, err
	}
	s := &session{b: b, name: name, dir: dir, cl: cl, w: w, objs: append([]client.Object{}, w.Objects...)}
	if err := cl.CreateNamespaces(ctx, w.Namespaces); err != nil {
		s.close()
		return nil, err
	}
	if s.obs, err = StartObserver(ctx, cl.Config); err != nil {
		s.close()
		return nil, err
	}
	s.exp = Expect(w.Namespaces, w.Objects, time.Now())
	s.obs.Expect(s.exp)
	return s, nil
}

func (s *session) close() {
	if s.mgr != nil {
		if err := s.mgr.Stop(time.Minute); err != nil {
			s.b.logf("%s: %v", s.name, err)
		}
	}
	if s.obs != nil {
		s.obs.Stop()
	}
	if err := s.cl.Stop(); err != nil {
		s.b.logf("%s: stopping the control plane: %v", s.name, err)
	}
}

func (s *session) startManager(ctx context.Context, logName string) (*Manager, error) {
	m, err := StartManager(ManagerConfig{
		Binary: s.b.cfg.Concord, Kubeconfig: s.cl.Kubeconfig, Flags: s.b.cfg.ManagerFlags, Pprof: s.b.cfg.Pprof,
	}, s.dir, logName)
	if err != nil {
		return nil, err
	}
	s.mgr = m
	if err := m.WaitReady(ctx, s.b.cfg.Controllers, 2*time.Minute); err != nil {
		return nil, err
	}
	return m, nil
}

// createAll creates objs with workers concurrent clients, each object
// followed by then (when not nil), and returns when each create returned.
func createAll(ctx context.Context, c client.Client, objs []client.Object, workers int, then func(context.Context, client.Object) error) ([]time.Time, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	at := make([]time.Time, len(objs))
	next := make(chan int)
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o := objs[i].DeepCopyObject().(client.Object)
				err := c.Create(ctx, o)
				at[i] = time.Now()
				if err == nil && then != nil {
					err = then(ctx, o)
				}
				if err != nil {
					once.Do(func() { first = fmt.Errorf("creating %s: %w", KeyOf(objs[i]), err); cancel() })
				}
			}
		}()
	}
	for i := range objs {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return at, first
}

// patchStatus writes the expected status of a just-created object in one
// merge patch of its status subresource, as of its generation.
func patchStatus(ctx context.Context, c client.Client, o client.Object, st any) error {
	status, err := withGeneration(st, o.GetGeneration())
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"status": status})
	if err != nil {
		return err
	}
	return c.Status().Patch(ctx, o, client.RawPatch(types.MergePatchType, body))
}

// withGeneration returns a status, as JSON, with observedGeneration (its
// own and its conditions') set to gen.
func withGeneration(st any, gen int64) (map[string]any, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	out["observedGeneration"] = gen
	conds, _ := out["conditions"].([]any)
	for _, c := range conds {
		if c, ok := c.(map[string]any); ok {
			c["observedGeneration"] = gen
		}
	}
	return out, nil
}

// latencies returns each object's time from its start to its convergence.
func latencies(objs []client.Object, start []time.Time, converged map[Key]time.Time) []float64 {
	out := make([]float64, 0, len(objs))
	for i, o := range objs {
		at, ok := converged[KeyOf(o)]
		if !ok {
			continue
		}
		d := at.Sub(start[i]).Seconds()
		if d < 0 {
			d = 0
		}
		out = append(out, d)
	}
	return out
}

func (s *session) events(ctx context.Context) (float64, error) {
	c, err := s.cl.APICounts(ctx)
	return c.EventsPosted, err
}

// settle waits for the manager's quiet after convergence and completes
// the run with the counters, the manager's figures and its profiles.
func (s *session) settle(ctx context.Context, r *Run, before APICounts) error {
	idle, err := s.mgr.WaitIdle(ctx, s.b.cfg.Quiet, s.b.cfg.Settle, s.events)
	if err != nil {
		return err
	}
	if !idle.Reached {
		s.b.logf("%s: the manager was still busy %s after convergence (reconciles, queued work or Events)", s.name, s.b.cfg.Settle)
	}
	after, err := s.cl.APICounts(ctx)
	if err != nil {
		return err
	}
	r.Settled = &Settled{Idle: idle, API: after.Sub(before)}
	return s.managerFigures(ctx, r)
}

func (s *session) managerFigures(ctx context.Context, r *Run) error {
	proc, err := s.mgr.Proc()
	if err != nil {
		return err
	}
	counts, err := s.mgr.Counts(ctx)
	if err != nil {
		return err
	}
	if r.Manager == nil {
		r.Manager = &ManagerFigures{}
	}
	r.Manager.Proc, r.Manager.Counts = proc, counts
	for _, p := range []struct{ name, query string }{{"heap", ""}, {"goroutine", ""}, {"goroutine", "?debug=1"}} {
		file := p.name + ".pb.gz"
		if p.query != "" {
			file = p.name + ".txt"
		}
		if err := s.mgr.Profile(ctx, p.name, p.query, filepath.Join(s.dir, file)); err != nil {
			s.b.logf("%s: %s profile: %v", s.name, p.name, err)
		}
	}
	return nil
}

// cpuProfiles takes CPU profiles of the manager until the returned
// function is called (with -cpu-profile and a manager with pprof).
func (s *session) cpuProfiles() func() {
	if !s.b.cfg.CPUProfile || s.mgr == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.mgr.CPUProfiles(ctx, s.dir, 10*time.Second); close(done) }()
	return func() { cancel(); <-done }
}

// runArm runs one arm on a fresh control plane: the operator arm with the
// manager running before the creates, the floor arm with no manager and
// one status patch after each create.
func (b *Bench) runArm(ctx context.Context, arm string, pair int, w Workload) (Run, error) {
	name := fmt.Sprintf("pair%d-%s", pair, arm)
	r := Run{Name: name, Arm: arm, Pair: pair, Indicators: w.Count()["Indicator"], Objects: len(w.Objects)}
	s, err := b.open(ctx, name, w)
	if err != nil {
		return r, err
	}
	defer s.close()
	var then func(context.Context, client.Object) error
	switch arm {
	case ArmOperator:
		b.logf("%s: starting the manager", name)
		if _, err := s.startManager(ctx, "manager"); err != nil {
			return r, err
		}
		r.Manager = &ManagerFigures{ReadySeconds: time.Since(s.mgr.Started).Seconds()}
	case ArmFloor:
		then = func(ctx context.Context, o client.Object) error {
			return patchStatus(ctx, s.cl.Client, o, s.exp[KeyOf(o)].Status)
		}
	}
	before, err := s.cl.APICounts(ctx)
	if err != nil {
		return r, err
	}
	if r.StorageBefore, err = s.cl.Storage(ctx); err != nil {
		return r, err
	}
	s.obs.StatusChanges()
	b.logf("%s: creating %d objects with %d workers", name, len(w.Objects), b.cfg.Workers)
	stopProfiles := s.cpuProfiles()
	t0 := time.Now()
	created, err := createAll(ctx, s.cl.Client, w.Objects, b.cfg.Workers, then)
	if err != nil {
		stopProfiles()
		return r, err
	}
	r.CreateSeconds = latest(created).Sub(t0).Seconds()
	allAt, err := s.obs.WaitAll(ctx, b.cfg.Timeout, func(f string, a ...any) { b.logf(name+": "+f, a...) })
	stopProfiles()
	if err != nil {
		return r, err
	}
	r.Seconds = allAt.Sub(t0).Seconds()
	r.P50, r.P99 = percentiles(latencies(w.Objects, created, s.obs.ConvergedAt()))
	if r.API, err = apiSince(ctx, s.cl, before); err != nil {
		return r, err
	}
	b.logf("%s: converged in %.1f s (creates %.1f s), %.2f status writes per object", name, r.Seconds, r.CreateSeconds, r.WritesPerObject())
	if s.mgr != nil {
		if err := s.settle(ctx, &r, before); err != nil {
			return r, err
		}
	}
	r.StatusChanges = total(s.obs.StatusChanges())
	r.Storage, err = s.cl.Storage(ctx)
	return r, err
}

// percentiles are the p50 and p99 of latencies (0 for none, which JSON
// can hold where it cannot hold NaN).
func percentiles(lat []float64) (p50, p99 float64) {
	if len(lat) == 0 {
		return 0, 0
	}
	return Percentile(lat, 50), Percentile(lat, 99)
}

func apiSince(ctx context.Context, cl *Cluster, before APICounts) (APICounts, error) {
	now, err := cl.APICounts(ctx)
	return now.Sub(before), err
}

func latest(ts []time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

func total[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// cold creates w with no manager, then starts the manager and times it to
// convergence. The session stays open for the variants that need a
// converged cluster.
func (b *Bench) cold(ctx context.Context, name string, w Workload) (*session, Run, error) {
	r := Run{Name: name, Arm: VariantCold, Indicators: w.Count()["Indicator"], Objects: len(w.Objects)}
	s, err := b.open(ctx, name, w)
	if err != nil {
		return nil, r, err
	}
	if r.StorageBefore, err = s.cl.Storage(ctx); err != nil {
		s.close()
		return nil, r, err
	}
	b.logf("%s: creating %d objects with no manager", name, len(w.Objects))
	t0 := time.Now()
	created, err := createAll(ctx, s.cl.Client, w.Objects, b.cfg.Workers, nil)
	if err != nil {
		s.close()
		return nil, r, err
	}
	r.CreateSeconds = latest(created).Sub(t0).Seconds()
	before, err := s.cl.APICounts(ctx)
	if err != nil {
		s.close()
		return nil, r, err
	}
	s.obs.StatusChanges()
	b.logf("%s: starting the manager over %d objects", name, len(w.Objects))
	m, err := s.startManager(ctx, "manager")
	if err != nil {
		s.close()
		return nil, r, err
	}
	r.Manager = &ManagerFigures{ReadySeconds: time.Since(m.Started).Seconds()}
	stopProfiles := s.cpuProfiles()
	allAt, err := s.obs.WaitAll(ctx, b.cfg.Timeout, func(f string, a ...any) { b.logf(name+": "+f, a...) })
	stopProfiles()
	if err != nil {
		s.close()
		return nil, r, err
	}
	r.Seconds = allAt.Sub(m.Started).Seconds()
	starts := make([]time.Time, len(w.Objects))
	for i := range starts {
		starts[i] = m.Started
	}
	r.P50, r.P99 = percentiles(latencies(w.Objects, starts, s.obs.ConvergedAt()))
	if r.API, err = apiSince(ctx, s.cl, before); err == nil {
		b.logf("%s: converged %.1f s after the manager started, %.2f status writes per object", name, r.Seconds, r.WritesPerObject())
		err = s.settle(ctx, &r, before)
	}
	if err == nil {
		r.StatusChanges = total(s.obs.StatusChanges())
		r.Storage, err = s.cl.Storage(ctx)
	}
	if err != nil {
		s.close()
		return nil, r, err
	}
	return s, r, nil
}

// Change is what one change to a converged cluster caused.
type Change struct {
	Variant string `json:"variant"`
	Name    string `json:"name"`
	// Seconds: from the change until the observer saw every object
	// converged (restart: until the new manager was quiet).
	Seconds float64 `json:"seconds"`
	// IdleSeconds: from the change until the manager was last busy.
	IdleSeconds float64 `json:"idleSeconds"`
	IdleReached bool    `json:"idleReached"`
	// API: the API server's counters from just before the change until the
	// manager was quiet.
	API APICounts `json:"api"`
	// Reconciles per controller in the same window.
	Reconciles map[string]float64 `json:"reconciles"`
	// StatusChanged: the objects whose status the observer saw change, and
	// how often.
	StatusChanged map[string]int `json:"statusChanged"`
	Manager       Proc           `json:"manager"`
}

// restart stops the manager of a converged cluster with SIGTERM and starts
// it again: its first full resync should write nothing.
func (s *session) restart(ctx context.Context) (Change, error) {
	c := Change{Variant: VariantRestart, Name: "restart over a converged cluster"}
	before, err := s.cl.APICounts(ctx)
	if err != nil {
		return c, err
	}
	s.obs.StatusChanges()
	t0 := time.Now()
	s.b.logf("%s: stopping the manager (SIGTERM)", s.name)
	if err := s.mgr.Stop(time.Minute); err != nil {
		return c, err
	}
	s.mgr = nil
	s.b.logf("%s: starting the manager again", s.name)
	m, err := s.startManager(ctx, "manager-restarted")
	if err != nil {
		return c, err
	}
	idle, err := m.WaitIdle(ctx, s.b.cfg.Quiet, s.b.cfg.Settle, s.events)
	if err != nil {
		return c, err
	}
	c.IdleReached = idle.Reached
	c.IdleSeconds = idle.LastBusy.Sub(t0).Seconds()
	c.Seconds = c.IdleSeconds
	return c, s.finishChange(ctx, &c, before, ManagerCounts{})
}

// finishChange completes a change with the counters since before, the
// manager's reconciles since mBefore and the statuses the observer saw
// change.
func (s *session) finishChange(ctx context.Context, c *Change, before APICounts, mBefore ManagerCounts) error {
	after, err := s.cl.APICounts(ctx)
	if err != nil {
		return err
	}
	c.API = after.Sub(before)
	counts, err := s.mgr.Counts(ctx)
	if err != nil {
		return err
	}
	c.Reconciles = counts.Sub(mBefore).Reconciles
	if c.Manager, err = s.mgr.Proc(); err != nil {
		return err
	}
	c.StatusChanged = map[string]int{}
	for k, n := range s.obs.StatusChanges() {
		c.StatusChanged[k.String()] = n
	}
	if p := s.obs.Progress(); total(p.Converged) != total(p.Expected) {
		return fmt.Errorf("%s: %s: not every object is converged after it: %s", s.name, c.Name, p)
	}
	s.b.logf("%s: %s: %.1f s, %v status writes, %v Events, %d objects changed", s.name, c.Name, c.Seconds, c.API.TotalStatusWrites(), c.API.EventsPosted, len(c.StatusChanged))
	return nil
}

// change makes one change to the converged cluster (do), with the objects
// it leaves (objs), and waits for convergence and the manager's quiet.
// do returns the key and resourceVersion of what it changed.
func (s *session) change(ctx context.Context, c Change, objs []client.Object, do func(context.Context) (Key, string, error)) (Change, error) {
	exp := Expect(s.w.Namespaces, objs, time.Now())
	before, err := s.cl.APICounts(ctx)
	if err != nil {
		return c, err
	}
	mBefore, err := s.mgr.Counts(ctx)
	if err != nil {
		return c, err
	}
	s.obs.StatusChanges()
	s.obs.Expect(exp)
	t0 := time.Now()
	k, rv, err := do(ctx)
	if err != nil {
		return c, err
	}
	s.obs.Require(k, rv)
	allAt, err := s.obs.WaitAll(ctx, s.b.cfg.Timeout, func(f string, a ...any) { s.b.logf(s.name+": "+f, a...) })
	if err != nil {
		return c, err
	}
	c.Seconds = allAt.Sub(t0).Seconds()
	idle, err := s.mgr.WaitIdle(ctx, s.b.cfg.Quiet, s.b.cfg.Settle, s.events)
	if err != nil {
		return c, err
	}
	c.IdleReached = idle.Reached
	c.IdleSeconds = idle.LastBusy.Sub(t0).Seconds()
	s.objs = objs
	return c, s.finishChange(ctx, &c, before, mBefore)
}

// addMeasurement creates one Measurement in the converged cluster.
func (s *session) addMeasurement(ctx context.Context, name string, m *v1alpha1.Measurement) (Change, error) {
	objs := append(append([]client.Object{}, s.objs...), m)
	return s.change(ctx, Change{Variant: VariantNewMeasurement, Name: name}, objs, func(ctx context.Context) (Key, string, error) {
		o := m.DeepCopy()
		err := s.cl.Client.Create(ctx, o)
		return KeyOf(o), o.ResourceVersion, err
	})
}

// changeEvidence changes the first Evidence of the cluster.
func (s *session) changeEvidence(ctx context.Context, name string, ch EvidenceChange) (Change, error) {
	objs := ChangeEvidence(Workload{Namespaces: s.w.Namespaces, Objects: s.objs}, ch).Objects
	var target *v1alpha1.Evidence
	for _, o := range s.objs {
		if e, ok := o.(*v1alpha1.Evidence); ok {
			target = e
			break
		}
	}
	return s.change(ctx, Change{Variant: VariantEvidenceFanout, Name: name}, objs, func(ctx context.Context) (Key, string, error) {
		live := &v1alpha1.Evidence{}
		if err := s.cl.Client.Get(ctx, client.ObjectKeyFromObject(target), live); err != nil {
			return Key{}, "", err
		}
		changed := live.DeepCopy()
		ch.Apply(changed)
		err := s.cl.Client.Patch(ctx, changed, client.MergeFrom(live))
		return KeyOf(changed), changed.ResourceVersion, err
	})
}

// Variants are the results of the variants.
type Variants struct {
	Cold    *Run     `json:"cold,omitempty"`
	Changes []Change `json:"changes,omitempty"`
	// Fanout is the cold start of the evidence fan-out shape.
	Fanout *Run `json:"fanout,omitempty"`
}

func wants(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// runVariants runs the variants asked for: cold, restart and
// new-measurement on one control plane (the cold start is the converged
// cluster the other two need), evidence-fanout on its own.
func (b *Bench) runVariants(ctx context.Context, w Workload) (Variants, error) {
	var v Variants
	if wants(b.cfg.Variants, VariantCold) || wants(b.cfg.Variants, VariantRestart) || wants(b.cfg.Variants, VariantNewMeasurement) {
		s, r, err := b.cold(ctx, "variants-cold", w)
		if err != nil {
			return v, err
		}
		v.Cold = &r
		err = func() error {
			defer s.close()
			if wants(b.cfg.Variants, VariantRestart) {
				c, err := s.restart(ctx)
				if err != nil {
					return err
				}
				v.Changes = append(v.Changes, c)
			}
			if wants(b.cfg.Variants, VariantNewMeasurement) {
				for _, add := range []struct {
					name string
					m    *v1alpha1.Measurement
				}{
					{"a correction (supersedes one Measurement, TargetMet turns False)", Correction(w)},
					{"a third reporter for an existing period", ThirdReporter(w)},
				} {
					c, err := s.addMeasurement(ctx, add.name, add.m)
					if err != nil {
						return err
					}
					v.Changes = append(v.Changes, c)
				}
			}
			return nil
		}()
		if err != nil {
			return v, err
		}
	}
	if wants(b.cfg.Variants, VariantEvidenceFanout) {
		fw := Generate(WorkloadOptions{Indicators: (b.cfg.FanoutMeasurements + len(slots) - 1) / len(slots), Namespaces: 1, SharedEvidence: true})
		s, r, err := b.cold(ctx, "variants-evidence-fanout", fw)
		if err != nil {
			return v, err
		}
		v.Fanout = &r
		defer s.close()
		n := fw.Count()["Measurement"]
		for _, ch := range []struct {
			name string
			c    EvidenceChange
		}{
			{fmt.Sprintf("description of the Evidence %d Measurements reference (no verdict changes)", n), EvidenceDescription},
			{fmt.Sprintf("expiry of the Evidence %d Measurements reference moved into the past", n), EvidenceExpired},
		} {
			c, err := s.changeEvidence(ctx, ch.name, ch.c)
			if err != nil {
				return v, err
			}
			v.Changes = append(v.Changes, c)
		}
	}
	return v, nil
}

// checkVariants refuses unknown variant names.
func checkVariants(vs []string) error {
	for _, v := range vs {
		if !wants(AllVariants, v) {
			return fmt.Errorf("unknown variant %q: the variants are %s", v, strings.Join(AllVariants, ", "))
		}
	}
	return nil
}
