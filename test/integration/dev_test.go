package integration

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/concord-operator/concord/examples"
	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
)

// TestDevEnvironment runs what `make dev` runs (concordctl dev) with the
// embedded scenario, checks that `kubectl get concord -A` lists every kind
// through the kubeconfig it writes, that the reporter-binding policy is
// installed and every object of the scenario, its ReporterBindings included,
// was admitted under it, then interrupts it and checks that it stops
// cleanly.
func TestDevEnvironment(t *testing.T) {
	kc, scenario, _ := startDev(t)
	if _, err := os.Stat(kc); err != nil {
		t.Fatalf("no kubeconfig written: %v", err)
	}
	b, err := exec.Command(filepath.Join(assets, "kubectl"), "--kubeconfig", kc, "get", "concord", "-A", "-o", "name").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl get concord -A: %v\n%s", err, b)
	}
	for _, kind := range []string{"indicator", "measurement", "evidence", "cooperationmechanism", "actionplan"} {
		if !strings.Contains(string(b), kind+".monitoring.concord.dev/") {
			t.Errorf("kubectl get concord -A lists no %s:\n%s", kind, b)
		}
	}
	want, bindings := 0, 0
	for _, o := range scenario {
		switch {
		case o.GVK().Kind == "ReporterBinding":
			bindings++ // not in the concord category
		case o.GVK().Group == "monitoring.concord.dev":
			want++
		}
	}
	if n := strings.Count(string(b), "\n"); n != want {
		t.Errorf("kubectl get concord -A lists %d objects; the scenario has %d Concord objects", n, want)
	}
	if bindings == 0 {
		t.Error("the scenario has no ReporterBinding")
	}
	b, err = exec.Command(filepath.Join(assets, "kubectl"), "--kubeconfig", kc, "get", "reporterbindings", "-A", "-o", "name").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl get reporterbindings -A: %v\n%s", err, b)
	}
	if n := strings.Count(string(b), "reporterbinding.monitoring.concord.dev/reporters\n"); n != bindings {
		t.Errorf("kubectl get reporterbindings -A lists %d ReporterBindings named reporters; the scenario has %d:\n%s", n, bindings, b)
	}
	// The scenario's Measurements were applied under the reporter-binding
	// policy (as an administrator, who may report as anyone).
	b, err = exec.Command(filepath.Join(assets, "kubectl"), "--kubeconfig", kc, "get", "validatingadmissionpolicy,validatingadmissionpolicybinding", "-o", "name").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl get validatingadmissionpolicy: %v\n%s", err, b)
	}
	for _, want := range []string{"validatingadmissionpolicy.admissionregistration.k8s.io/concord-reporter-binding", "validatingadmissionpolicybinding.admissionregistration.k8s.io/concord-reporter-binding"} {
		if !strings.Contains(string(b), want+"\n") {
			t.Errorf("concordctl dev did not install %s:\n%s", want, b)
		}
	}

	// The metrics endpoint serves the object series (written as they are
	// read) beside the registry's families, in a format Prometheus parses.
	eventually(t, "victims-referred's DataOverdue series", func() (bool, string) {
		families := scrapeMetrics(t, devMetricsAddr)
		for _, name := range []string{"concord_suspended", "concord_status_writes_total", "controller_runtime_reconcile_total", "concord_measurement_condition"} {
			if families[name] == nil {
				return false, "no " + name
			}
		}
		for _, m := range families["concord_indicator_condition"].GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			if l["namespace"] == "protection" && l["name"] == "victims-referred" && l["type"] == "DataOverdue" && l["status"] == "true" {
				return m.GetGauge().GetValue() == 1, fmt.Sprint(m.GetGauge().GetValue())
			}
		}
		return false, "no series"
	})
}

// devMetricsAddr is where the manager of the last startDev serves metrics.
var devMetricsAddr string

// freeAddr is a localhost address no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// scrapeMetrics reads the manager's metrics endpoint as Prometheus does.
func scrapeMetrics(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the metrics endpoint's output does not parse: %v", err)
	}
	return families
}

// startDev runs what `make dev` runs (concordctl dev) with the embedded
// scenario until it prints its banner, and returns the kubeconfig it wrote,
// the scenario and what it printed. The test's cleanup interrupts it and
// checks that it stops cleanly.
func startDev(t *testing.T) (string, []manifest.Object, *syncBuffer) {
	t.Helper()
	scenario, err := manifest.LoadFS(examples.FS, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	o := devenv.Options{
		AssetsDir:      assets,
		KubeconfigPath: filepath.Join(t.TempDir(), "dev.kubeconfig"),
		Scenario:       scenario,
		Manager:        devenv.ManagerOptions(),
		Out:            out,
		Log:            logr.Discard(),
	}
	devMetricsAddr = freeAddr(t)
	o.Manager.MetricsAddr, o.Manager.ProbeAddr = devMetricsAddr, "127.0.0.1:0"
	o.Manager.LeaderElection = false
	o.Manager.SkipNameValidation = true // the suite's manager may run in this process too
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- devenv.Run(runCtx, o) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("concordctl dev stopped with an error: %v", err)
			}
		case <-time.After(time.Minute):
			t.Error("concordctl dev did not stop within a minute of the interrupt")
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("concordctl dev did not come up:\n%s", out.String())
		}
		select {
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("concordctl dev stopped early: %v\n%s", err, out.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
	return o.KubeconfigPath, scenario, out
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
