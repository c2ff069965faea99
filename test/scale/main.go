// Command scale is Concord's scale benchmark (`make bench-scale`): it
// compares the manager converging a generated national-scale workload with
// the floor the API server sets, each arm on a fresh control plane built
// from source (envtest with bin/etcd and bin/kube-apiserver), and runs the
// variants of docs/performance.md. The method is described there.
//
//	go run ./test/scale -n 1000 -pairs 3 -variants cold,restart,new-measurement,evidence-fanout
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap/zapcore"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg Config
	var variants, managerFlags, controllers string
	flag.IntVar(&cfg.Indicators, "n", 1000, "Indicators to generate (each with its Evidence and 4 Measurements: 6 objects).")
	flag.IntVar(&cfg.Pairs, "pairs", 3, "Operator/floor pairs to run, alternating (0: variants only).")
	flag.StringVar(&variants, "variants", "", "Comma-separated variants: "+strings.Join(AllVariants, ",")+" (or all).")
	flag.BoolVar(&cfg.Plan, "plan", false, "Add one ActionPlan rolling up every Indicator of the 10 namespaces.")
	flag.IntVar(&cfg.Workers, "workers", 8, "Concurrent client workers creating (and, in the floor arm, patching).")
	flag.IntVar(&cfg.FanoutMeasurements, "fanout", 1000, "Measurements referencing the one Evidence of the evidence-fanout variant.")
	flag.StringVar(&cfg.Assets, "assets", "bin", "Directory holding etcd and kube-apiserver.")
	flag.StringVar(&cfg.Concord, "concord", "bin/concord", "The manager binary.")
	flag.StringVar(&cfg.Out, "out", "bin/scale", "Directory the results are written under.")
	flag.DurationVar(&cfg.Timeout, "timeout", 30*time.Minute, "Longest wait for convergence.")
	flag.DurationVar(&cfg.Settle, "settle", 2*time.Minute, "Longest wait, after convergence, for the manager to be quiet.")
	flag.DurationVar(&cfg.Quiet, "quiet", 5*time.Second, "How long the manager must do nothing (no reconcile, nothing queued, no Event posted) to count as quiet.")
	flag.StringVar(&managerFlags, "manager-flags", "", "Flags added to the manager's, space-separated (such as --kube-api-qps=2000).")
	flag.StringVar(&controllers, "controllers", "actionplan,cooperationmechanism,evidence,indicator,measurement", "Controllers whose workers must have started before the manager counts as ready.")
	flag.BoolVar(&cfg.CPUProfile, "cpu-profile", false, "Take CPU profiles of the manager while it converges (needs --pprof-bind-address in the manager).")
	flag.Parse()
	cfg.Variants = splitList(variants)
	if len(cfg.Variants) == 1 && cfg.Variants[0] == "all" {
		cfg.Variants = AllVariants
	}
	if err := checkVariants(cfg.Variants); err != nil {
		return err
	}
	if cfg.Indicators < 1 || cfg.Workers < 1 || cfg.Pairs < 0 {
		return errors.New("-n and -workers must be at least 1, -pairs at least 0")
	}
	cfg.ManagerFlags = strings.Fields(managerFlags)
	cfg.Controllers = splitList(controllers)
	for _, p := range []*string{&cfg.Assets, &cfg.Concord, &cfg.Out} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	// The harness's own clients and caches log only errors.
	ctrl.SetLogger(zap.New(zap.Level(zapcore.ErrorLevel)))

	started := time.Now()
	dir := filepath.Join(cfg.Out, started.Format("20060102-150405")+fmt.Sprintf("-n%d", cfg.Indicators))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Every run uses a copy of the manager taken now: bin/ may be shared,
	// and a binary rebuilt in the middle of an invocation would mix two
	// managers' figures.
	source := cfg.Concord
	cfg.Concord = filepath.Join(dir, "concord")
	if err := copyFile(source, cfg.Concord); err != nil {
		return fmt.Errorf("copying the manager (build it with `make build`): %w", err)
	}
	defer os.Remove(cfg.Concord)
	help, _ := exec.Command(cfg.Concord, "--help").CombinedOutput()
	if len(help) == 0 {
		return fmt.Errorf("%s does not run: build it with `make build`", source)
	}
	cfg.Pprof = strings.Contains(string(help), "pprof-bind-address")
	version, _ := exec.Command(cfg.Concord, "--version").Output()

	res := &Results{
		Started: started,
		Machine: Machine{CPUs: runtime.NumCPU(), Concord: strings.TrimSpace(string(version)), GoOS: runtime.GOOS},
		Config:  cfg,
	}
	w := Generate(WorkloadOptions{Indicators: cfg.Indicators, Plan: cfg.Plan})
	res.Workload = describe(w, cfg.Plan)
	b := &Bench{cfg: cfg, dir: dir}
	b.logf("manager: %s (a copy of %s)", res.Machine.Concord, source)
	if !cfg.Pprof {
		b.logf("%s has no --pprof-bind-address: no profiles are taken", source)
	}
	b.logf("results go to %s", b.dir)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := b.runAll(ctx, w, res)
	if err != nil {
		res.Error = err.Error()
	}
	if werr := b.write(res); werr != nil {
		return errors.Join(err, werr)
	}
	fmt.Print(res.Markdown())
	return err
}

// runAll runs the pairs, operator then floor, then the variants, writing
// the results after each run so that an interrupted invocation keeps what
// it measured.
func (b *Bench) runAll(ctx context.Context, w Workload, res *Results) error {
	for p := 1; p <= b.cfg.Pairs; p++ {
		for _, arm := range []string{ArmOperator, ArmFloor} {
			r, err := b.runArm(ctx, arm, p, w)
			if err != nil {
				return fmt.Errorf("pair %d, %s arm: %w", p, arm, err)
			}
			res.Runs = append(res.Runs, r)
			res.Summary = Summarize(res.Runs)
			if err := b.write(res); err != nil {
				return err
			}
		}
	}
	if len(b.cfg.Variants) == 0 {
		return nil
	}
	v, err := b.runVariants(ctx, w)
	res.Variants = v
	return err
}

// write saves results.json and results.md in the invocation's directory.
func (b *Bench) write(res *Results) error {
	j, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.dir, "results.json"), j, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.dir, "results.md"), []byte(res.Markdown()), 0o644)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func describe(w Workload, plan bool) string {
	c := w.Count()
	s := fmt.Sprintf("%s Indicators (a Count with an AtLeast target and a required gender breakdown, quarterly), %s Measurements, %s Evidence, %d namespaces",
		thousands(c["Indicator"]), thousands(c["Measurement"]), thousands(c["Evidence"]), len(w.Namespaces))
	if plan {
		s += ", one ActionPlan rolling up all of them"
	}
	return s
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
