package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Manager is bin/concord run as a child process, so that its memory and
// CPU are its own.
type Manager struct {
	cmd     *exec.Cmd
	logPath string
	// Started is when the process was started.
	Started time.Time
	metrics string // base URLs
	probes  string
	pprof   string
	exited  chan struct{}
	waitErr error
}

// ManagerConfig says how to run the manager.
type ManagerConfig struct {
	// Binary is the manager's executable (bin/concord).
	Binary string
	// Kubeconfig is given in KUBECONFIG.
	Kubeconfig string
	// Flags are added to the harness's own (--leader-elect=false and the
	// metrics and probe addresses on free local ports).
	Flags []string
	// Pprof: the binary has --pprof-bind-address; profiles are taken.
	Pprof bool
	// Controllers are the controllers whose workers must have started
	// (their caches synced) before the manager counts as ready.
	Controllers []string
}

// freePort returns a local port nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartManager starts the manager; its log goes to dir/name.log.
func StartManager(cfg ManagerConfig, dir, name string) (*Manager, error) {
	var ports [3]int
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	m := &Manager{
		logPath: filepath.Join(dir, name+".log"),
		metrics: fmt.Sprintf("http://127.0.0.1:%d", ports[0]),
		probes:  fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		exited:  make(chan struct{}),
	}
	args := []string{
		"--leader-elect=false",
		fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", ports[0]),
		fmt.Sprintf("--health-probe-bind-address=127.0.0.1:%d", ports[1]),
	}
	if cfg.Pprof {
		m.pprof = fmt.Sprintf("http://127.0.0.1:%d", ports[2])
		args = append(args, fmt.Sprintf("--pprof-bind-address=127.0.0.1:%d", ports[2]))
	}
	args = append(args, cfg.Flags...)
	log, err := os.Create(m.logPath)
	if err != nil {
		return nil, err
	}
	m.cmd = exec.Command(cfg.Binary, args...)
	m.cmd.Env = append(os.Environ(), "KUBECONFIG="+cfg.Kubeconfig)
	m.cmd.Stdout, m.cmd.Stderr = log, log
	// The manager dies with the harness, whatever ends it.
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	m.Started = time.Now()
	if err := m.cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", cfg.Binary, err)
	}
	go func() {
		m.waitErr = m.cmd.Wait()
		log.Close()
		close(m.exited)
	}()
	return m, nil
}

// PID is the manager's process id.
func (m *Manager) PID() int { return m.cmd.Process.Pid }

// WaitReady waits until /readyz answers 200 and every controller of
// controllers has logged "Starting workers", which controller-runtime does
// once the controller's caches have synced.
func (m *Manager) WaitReady(ctx context.Context, controllers []string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		select {
		case <-m.exited:
			return fmt.Errorf("the manager exited (%v); its log: %s\n%s", m.waitErr, m.logPath, m.logTail(20))
		case <-ctx.Done():
			return fmt.Errorf("the manager was not ready within %s; its log: %s\n%s", timeout, m.logPath, m.logTail(20))
		case <-time.After(100 * time.Millisecond):
		}
		if !m.ready(ctx) {
			continue
		}
		started, err := m.startedWorkers()
		if err != nil {
			return err
		}
		missing := 0
		for _, c := range controllers {
			if !started[c] {
				missing++
			}
		}
		if missing == 0 {
			return nil
		}
	}
}

func (m *Manager) ready(ctx context.Context) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.probes+"/readyz", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// startedWorkers reads the controllers that have started their workers
// from the manager's JSON log.
func (m *Manager) startedWorkers() (map[string]bool, error) {
	f, err := os.Open(m.logPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !strings.Contains(string(line), "Starting workers") {
			continue
		}
		var entry struct {
			Msg        string `json:"msg"`
			Controller string `json:"controller"`
		}
		if json.Unmarshal(line, &entry) == nil && entry.Msg == "Starting workers" {
			out[entry.Controller] = true
		}
	}
	return out, nil
}

func (m *Manager) logTail(lines int) string {
	b, err := os.ReadFile(m.logPath)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

func get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// Counts scrapes the manager's metrics.
func (m *Manager) Counts(ctx context.Context) (ManagerCounts, error) {
	b, err := get(ctx, m.metrics+"/metrics")
	if err != nil {
		return ManagerCounts{}, fmt.Errorf("scraping the manager's metrics: %w", err)
	}
	mm, err := ParseMetrics(bytes.NewReader(b))
	if err != nil {
		return ManagerCounts{}, err
	}
	return ManagerCountsOf(mm), nil
}

// Proc is what /proc says of the manager.
type Proc struct {
	// PeakRSSBytes is VmHWM, the resident set's high-water mark.
	PeakRSSBytes int64 `json:"peakRSSBytes"`
	// RSSBytes is VmRSS now.
	RSSBytes int64 `json:"rssBytes"`
	// CPUSeconds is utime + stime.
	CPUSeconds float64 `json:"cpuSeconds"`
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times (100 on
// every Linux architecture Go runs on).
const clockTicks = 100

// Proc reads /proc/PID/status and /proc/PID/stat.
func (m *Manager) Proc() (Proc, error) { return readProc(m.PID()) }

func readProc(pid int) (Proc, error) {
	var p Proc
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return p, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch k {
		case "VmHWM":
			p.PeakRSSBytes = kibibytes(v)
		case "VmRSS":
			p.RSSBytes = kibibytes(v)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, err
	}
	cpu, err := statCPU(string(stat))
	p.CPUSeconds = cpu
	return p, err
}

// statCPU returns utime + stime, in seconds, of a /proc/PID/stat line.
// The command name (field 2) is in parentheses and may hold spaces, so
// fields are counted after the last ')'.
func statCPU(stat string) (float64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("no command name in /proc/PID/stat")
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, errors.New("short /proc/PID/stat")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return float64(u+s) / clockTicks, nil
}

func kibibytes(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
	return n * 1024
}

// Stop sends SIGTERM and waits for the manager to exit (SIGKILL after
// timeout).
func (m *Manager) Stop(timeout time.Duration) error {
	select {
	case <-m.exited:
		return nil
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
		return nil
	case <-time.After(timeout):
		_ = m.cmd.Process.Kill()
		<-m.exited
		return fmt.Errorf("the manager did not stop within %s of SIGTERM: killed", timeout)
	}
}

// Profile saves the pprof profile name (heap, goroutine, ...) into path;
// without pprof it does nothing.
func (m *Manager) Profile(ctx context.Context, name, query, path string) error {
	if m.pprof == "" {
		return nil
	}
	b, err := get(ctx, m.pprof+"/debug/pprof/"+name+query)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// CPUProfiles saves CPU profiles of chunk seconds into dir until ctx ends;
// `go tool pprof` merges them.
func (m *Manager) CPUProfiles(ctx context.Context, dir string, chunk time.Duration) {
	if m.pprof == "" {
		return
	}
	for i := 0; ctx.Err() == nil; i++ {
		path := filepath.Join(dir, fmt.Sprintf("cpu-%03d.pb.gz", i))
		// Not ctx: a profile being taken is finished, not cut.
		if err := m.Profile(context.Background(), "profile", fmt.Sprintf("?seconds=%d", int(chunk.Seconds())), path); err != nil {
			return
		}
	}
}

// Idle is how a wait for the manager's quiet ended.
type Idle struct {
	// Seconds from the start of the wait until the manager was last busy.
	Seconds float64 `json:"seconds"`
	// Reached: quiet for the whole period asked; false when the limit came
	// first (work still queued, reconciles or Events still going).
	Reached bool `json:"reached"`
	// LastBusy is when the manager was last seen busy.
	LastBusy time.Time `json:"-"`
}

// WaitIdle waits until the manager's work queues are empty and neither a
// reconcile nor a request posting an Event happened for quiet, or until
// limit. events reads the API server's count of Events posted.
func (m *Manager) WaitIdle(ctx context.Context, quiet, limit time.Duration, events func(context.Context) (float64, error)) (Idle, error) {
	start := time.Now()
	lastBusy := start
	var lastReconciles, lastEvents float64 = -1, -1
	for {
		c, err := m.Counts(ctx)
		if err != nil {
			return Idle{}, err
		}
		ev, err := events(ctx)
		if err != nil {
			return Idle{}, err
		}
		now := time.Now()
		if r := c.TotalReconciles(); r != lastReconciles || ev != lastEvents || c.QueueDepth > 0 {
			lastReconciles, lastEvents, lastBusy = r, ev, now
		}
		if now.Sub(lastBusy) >= quiet {
			return Idle{Seconds: lastBusy.Sub(start).Seconds(), Reached: true, LastBusy: lastBusy}, nil
		}
		if now.Sub(start) >= limit {
			return Idle{Seconds: now.Sub(start).Seconds(), Reached: false, LastBusy: now}, nil
		}
		select {
		case <-ctx.Done():
			return Idle{}, ctx.Err()
		case <-m.exited:
			return Idle{}, fmt.Errorf("the manager exited (%v); its log: %s", m.waitErr, m.logPath)
		case <-time.After(idlePoll):
		}
	}
}

// idlePoll is how often WaitIdle scrapes: the manager's /metrics holds a
// few series per condition of every object (about 9 MB at 6,000 objects),
// so it is not scraped more often than this.
const idlePoll = 2 * time.Second
