package devenv

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/concord-operator/concord/config/rbac"
	"github.com/concord-operator/concord/internal/manager"
	"github.com/concord-operator/concord/internal/manifest"
)

// AdmissionSource names the file Admission reads, for messages.
const AdmissionSource = "config/rbac/reporter_binding_policy.yaml"

// Admission returns the admission policies the environment enforces, as the
// Helm chart installs them by default: the ValidatingAdmissionPolicy
// concord-reporter-binding and its binding, which admit a Measurement only
// when its namespace's ReporterBinding binds its reporter to the user (or
// the user may report-as-any, as the environment's administrator may).
func Admission() ([]manifest.Object, error) {
	return manifest.Parse(AdmissionSource, rbac.ReporterBindingPolicy)
}

// Options configure a local environment.
type Options struct {
	// AssetsDir holds the etcd, kube-apiserver and kubectl binaries.
	AssetsDir string
	// KubeconfigPath is where the admin kubeconfig is written.
	KubeconfigPath string
	// Scenario is applied once the CRDs are installed.
	Scenario []manifest.Object
	// Manager configures the manager run against the environment.
	Manager manager.Options
	// Out receives the instructions for people.
	Out io.Writer
	// Log receives the manager's logs.
	Log logr.Logger
}

// Env is a running local environment.
type Env struct {
	env    *envtest.Environment
	Config *rest.Config
	// Kubeconfig is the admin kubeconfig, as written to KubeconfigPath.
	Kubeconfig []byte
}

// ManagerOptions are the manager's options in a dev environment: one
// manager beside its own control plane (no lease to share), and no
// settling of Events, since the scenario is applied before the
// controllers start and its Warning Events are part of the tour.
func ManagerOptions() manager.Options {
	o := manager.DefaultOptions()
	o.LeaderElection = false
	o.EventSettleTime = 0
	return o
}

// Start starts etcd and the kube-apiserver, installs the CRDs and the
// admission policies (Admission) and writes the admin kubeconfig. Stop it
// with Stop.
func Start(o Options) (*Env, error) {
	for _, bin := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(o.AssetsDir, bin)); err != nil {
			return nil, fmt.Errorf("%s not found in %s (build it with `make control-plane`): %w", bin, o.AssetsDir, err)
		}
	}
	crds, err := CRDs()
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory:    o.AssetsDir,
		CRDs:                     crds,
		ControlPlaneStartTimeout: 2 * time.Minute,
		ControlPlaneStopTimeout:  30 * time.Second,
	}
	cfg, err := env.Start()
	if err != nil {
		// Start may fail after etcd and the apiserver are up: stop them.
		_ = env.Stop()
		return nil, fmt.Errorf("starting the control plane: %w", err)
	}
	e := &Env{env: env, Config: cfg}
	if err := installAdmission(cfg); err != nil {
		_ = e.Stop()
		return nil, err
	}
	user, err := env.AddUser(envtest.User{Name: "concord-dev", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		_ = e.Stop()
		return nil, fmt.Errorf("adding the admin user: %w", err)
	}
	if e.Kubeconfig, err = user.KubeConfig(); err != nil {
		_ = e.Stop()
		return nil, fmt.Errorf("writing the kubeconfig: %w", err)
	}
	if o.KubeconfigPath != "" {
		if err := os.MkdirAll(filepath.Dir(o.KubeconfigPath), 0o755); err != nil {
			_ = e.Stop()
			return nil, err
		}
		if err := os.WriteFile(o.KubeconfigPath, e.Kubeconfig, 0o600); err != nil {
			_ = e.Stop()
			return nil, fmt.Errorf("writing %s: %w", o.KubeconfigPath, err)
		}
	}
	return e, nil
}

// installAdmission applies Admission's policies.
func installAdmission(cfg *rest.Config) error {
	objs, err := Admission()
	if err != nil {
		return err
	}
	c, err := client.New(cfg, client.Options{Scheme: manager.NewScheme()})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := Apply(ctx, c, objs); err != nil {
		return fmt.Errorf("installing the admission policies: %w", err)
	}
	return nil
}

// Stop stops the control plane and removes its data.
func (e *Env) Stop() error { return e.env.Stop() }

// Run starts an environment, applies the scenario, runs the manager and
// prints how to reach it; it returns when ctx is done, having stopped
// everything it started.
func Run(ctx context.Context, o Options) error {
	fmt.Fprintf(o.Out, "Starting etcd and kube-apiserver from %s ...\n", o.AssetsDir)
	e, err := Start(o)
	if err != nil {
		return err
	}
	defer func() {
		fmt.Fprintln(o.Out, "Stopping the control plane ...")
		if err := e.Stop(); err != nil {
			fmt.Fprintf(o.Out, "stopping the control plane: %v\n", err)
		}
	}()
	ctrl.SetLogger(o.Log)
	mgr, err := manager.New(e.Config, o.Manager)
	if err != nil {
		return err
	}
	c, err := client.New(e.Config, client.Options{Scheme: mgr.GetScheme()})
	if err != nil {
		return err
	}
	if err := Apply(ctx, c, o.Scenario); err != nil {
		return fmt.Errorf("applying the scenario: %w", err)
	}
	fmt.Fprintf(o.Out, "Applied %d objects of the example scenario.\n", len(o.Scenario))
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	printTour(o.Out, o)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return <-done
	}
}

func printTour(w io.Writer, o Options) {
	kc := o.KubeconfigPath
	kubectl := filepath.Join(o.AssetsDir, "kubectl")
	fmt.Fprintf(w, `
Concord is running against a local control plane.
Point kubectl at it:

  export KUBECONFIG=%[1]s
  %[2]s get concord -A
  %[2]s get indicators -A
  %[2]s get measurements -n protection
  %[2]s get reporterbindings -A -o yaml   # who may report under which name
  %[2]s explain indicator.spec.target
  %[2]s describe mech national-task-force -n coordination
  bin/helm install concord charts/concord -n concord-system --create-namespace --set crds.install=false --set rbac.reporterBindingPolicy=false   # the chart's objects (make dev installed its CRDs and policy; no kubelet runs the Pod)

Metrics: %[3]s/metrics   Health: %[4]s/healthz
Press Ctrl-C to stop everything.
`, kc, kubectl, httpBase(o.Manager.MetricsAddr), httpBase(o.Manager.ProbeAddr))
}

// httpBase turns a bind address such as ":8080" into a URL people can open.
func httpBase(addr string) string {
	if strings.HasPrefix(addr, ":") {
		addr = "localhost" + addr
	}
	return "http://" + addr
}
