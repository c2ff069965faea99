// Package integration runs Concord against a real kube-apiserver and etcd
// (envtest, with the binaries that `make control-plane` builds into bin/).
package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manager"
)

var (
	cfg        *rest.Config
	k8s        client.Client
	kubeconfig string
	assets     string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	assets = os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		assets = filepath.Join("..", "..", "bin")
	}
	if abs, err := filepath.Abs(assets); err == nil {
		assets = abs
	}
	if _, err := os.Stat(filepath.Join(assets, "kube-apiserver")); err != nil {
		if isShort() {
			fmt.Println("integration: skipped in -short mode: no kube-apiserver in", assets)
			return 0
		}
		fmt.Fprintf(os.Stderr, "integration: kube-apiserver not found in %s: run `make control-plane` (or make test)\n", assets)
		return 1
	}
	crds, err := devenv.CRDs()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory:    assets,
		CRDs:                     crds,
		ControlPlaneStartTimeout: 2 * time.Minute,
	}
	cfg, err = env.Start()
	if err != nil {
		// Start may fail after etcd and the apiserver are up (a CRD the
		// apiserver refuses): stop them too.
		_ = env.Stop()
		fmt.Fprintln(os.Stderr, "integration: starting the control plane:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	scheme := manager.NewScheme()
	if err := apiextensionsv1.AddToScheme(scheme); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	user, err := env.AddUser(envtest.User{Name: "integration-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	kc, err := user.KubeConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "concord-integration-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, kc, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	stopTestMg()
	return code
}

func isShort() bool {
	for _, a := range os.Args {
		if a == "-test.short=true" || a == "-test.short" {
			return true
		}
	}
	return false
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}
