package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manager"
)

// Observer watches the five Concord kinds (informers started before the
// first create) and records when each expected object converges: its
// status was computed for its generation and has the expected signature.
type Observer struct {
	mu     sync.Mutex
	expect map[Key]string
	state  map[Key]*seen
	// remaining counts the expected objects not converged now.
	remaining int
	// allAt is when remaining last became 0.
	allAt time.Time
	// statusChanges counts, per object, the updates whose status differed
	// from the previous version's (status writes that changed something).
	statusChanges map[Key]int
	cancel        context.CancelFunc
}

type seen struct {
	converged   bool
	convergedAt time.Time
	last        client.Object
	// minRV: only a version at least this new counts (Require).
	minRV int64
}

// converged judges the object last seen against want.
func (s *seen) judge(want string) bool {
	return s.last != nil && resourceVersion(s.last) >= s.minRV && Converged(s.last, want)
}

// resourceVersion reads an object's resourceVersion as the number etcd
// makes it (0 when it is not one).
func resourceVersion(o client.Object) int64 {
	n, _ := strconv.ParseInt(o.GetResourceVersion(), 10, 64)
	return n
}

// StartObserver starts informers on the Concord kinds and waits for them
// to sync.
func StartObserver(ctx context.Context, cfg *rest.Config) (*Observer, error) {
	o := &Observer{expect: map[Key]string{}, state: map[Key]*seen{}, statusChanges: map[Key]int{}}
	c, err := cache.New(cfg, cache.Options{Scheme: manager.NewScheme(), DefaultTransform: cache.TransformStripManagedFields()})
	if err != nil {
		return nil, err
	}
	for _, obj := range []client.Object{&v1alpha1.Indicator{}, &v1alpha1.Measurement{}, &v1alpha1.Evidence{}, &v1alpha1.CooperationMechanism{}, &v1alpha1.ActionPlan{}} {
		inf, err := c.GetInformer(ctx, obj)
		if err != nil {
			return nil, err
		}
		if _, err := inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
			AddFunc:    func(x any) { o.update(nil, x) },
			UpdateFunc: func(old, x any) { o.update(old, x) },
			DeleteFunc: func(x any) { o.remove(x) },
		}); err != nil {
			return nil, err
		}
	}
	ctx, o.cancel = context.WithCancel(ctx)
	go func() { _ = c.Start(ctx) }()
	if !c.WaitForCacheSync(ctx) {
		o.cancel()
		return nil, fmt.Errorf("the observer's caches did not sync")
	}
	return o, nil
}

// Stop stops the informers.
func (o *Observer) Stop() { o.cancel() }

// Expect sets the expected signatures: objects not named are ignored.
// Every object's convergence is judged again from what was last seen; an
// object already converged keeps its time.
func (o *Observer) Expect(exp map[Key]Expected) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.expect = make(map[Key]string, len(exp))
	for k, e := range exp {
		o.expect[k] = e.Signature
	}
	o.remaining = 0
	now := time.Now()
	for k, want := range o.expect {
		s := o.state[k]
		switch {
		case s == nil || !s.judge(want):
			if s != nil {
				s.converged = false
			}
			o.remaining++
		case !s.converged:
			s.converged, s.convergedAt = true, now
		}
	}
	if o.remaining == 0 {
		o.allAt = now
	}
}

// Require makes an expected object count as converged only from its
// version rv on (the version a change returned): until the observer has
// seen that change, what it saw before does not count.
func (o *Observer) Require(k Key, rv string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.state[k]
	if s == nil {
		s = &seen{}
		o.state[k] = s
	}
	s.minRV, _ = strconv.ParseInt(rv, 10, 64)
	o.rejudge(k, s, time.Now())
}

// rejudge updates whether the object k, last seen as s, has converged;
// o.mu is held.
func (o *Observer) rejudge(k Key, s *seen, now time.Time) {
	want, expected := o.expect[k]
	if !expected {
		return
	}
	switch c := s.judge(want); {
	case c && !s.converged:
		s.converged, s.convergedAt = true, now
		o.remaining--
		if o.remaining == 0 {
			o.allAt = now
		}
	case !c && s.converged:
		s.converged = false
		o.remaining++
	}
}

func (o *Observer) update(old, x any) {
	obj, ok := x.(client.Object)
	if !ok {
		return
	}
	now := time.Now()
	k := KeyOf(obj)
	o.mu.Lock()
	defer o.mu.Unlock()
	if oldObj, ok := old.(client.Object); ok && !equality.Semantic.DeepEqual(statusOf(oldObj), statusOf(obj)) {
		o.statusChanges[k]++
	}
	s := o.state[k]
	if s == nil {
		s = &seen{}
		o.state[k] = s
	}
	s.last = obj
	o.rejudge(k, s, now)
}

func (o *Observer) remove(x any) {
	if d, ok := x.(toolscache.DeletedFinalStateUnknown); ok {
		x = d.Obj
	}
	obj, ok := x.(client.Object)
	if !ok {
		return
	}
	k := KeyOf(obj)
	o.mu.Lock()
	defer o.mu.Unlock()
	if s := o.state[k]; s != nil {
		if _, expected := o.expect[k]; expected && s.converged {
			o.remaining++
		}
		delete(o.state, k)
	}
}

// Progress is how many expected objects have converged, per kind.
type Progress struct {
	Converged, Expected map[string]int
}

func (p Progress) String() string {
	var parts []string
	total, done := 0, 0
	for _, k := range Kinds {
		if p.Expected[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d", k, p.Converged[k], p.Expected[k]))
			total += p.Expected[k]
			done += p.Converged[k]
		}
	}
	return fmt.Sprintf("%d/%d converged (%s)", done, total, strings.Join(parts, ", "))
}

// Progress counts the converged objects.
func (o *Observer) Progress() Progress {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := Progress{Converged: map[string]int{}, Expected: map[string]int{}}
	for k := range o.expect {
		p.Expected[k.Kind]++
		if s := o.state[k]; s != nil && s.converged {
			p.Converged[k.Kind]++
		}
	}
	return p
}

// WaitAll waits until every expected object has converged, printing
// progress every 10 s through logf, and returns when the last one did.
func (o *Observer) WaitAll(ctx context.Context, timeout time.Duration, logf func(string, ...any)) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	lastLog := time.Now()
	for {
		o.mu.Lock()
		remaining, allAt := o.remaining, o.allAt
		o.mu.Unlock()
		if remaining == 0 {
			return allAt, nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("not converged within %s: %s\n%s", timeout, o.Progress(), o.Unconverged(5))
		}
		if time.Since(lastLog) >= 10*time.Second {
			logf("%s", o.Progress())
			lastLog = time.Now()
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Unconverged describes up to n objects not converged: what is expected
// and what was last seen.
func (o *Observer) Unconverged(n int) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var keys []Key
	for k := range o.expect {
		if s := o.state[k]; s == nil || !s.converged {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	var b strings.Builder
	for i, k := range keys {
		if i == n {
			fmt.Fprintf(&b, "  ... and %d more\n", len(keys)-n)
			break
		}
		fmt.Fprintf(&b, "  %s\n    want %s\n", k, o.expect[k])
		if s := o.state[k]; s != nil && s.last != nil {
			_, gen := conditionsOf(s.last)
			fmt.Fprintf(&b, "    seen %s (generation %d, observed %d)\n", Signature(s.last), s.last.GetGeneration(), gen)
		} else {
			b.WriteString("    not seen\n")
		}
	}
	return b.String()
}

// ConvergedAt returns when each expected object converged.
func (o *Observer) ConvergedAt() map[Key]time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[Key]time.Time, len(o.expect))
	for k := range o.expect {
		if s := o.state[k]; s != nil && s.converged {
			out[k] = s.convergedAt
		}
	}
	return out
}

// StatusChanges returns, per object, the updates that changed its status
// since the last reset, and resets the counts.
func (o *Observer) StatusChanges() map[Key]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.statusChanges
	o.statusChanges = map[Key]int{}
	return out
}
