// Package manager builds the Concord controller manager: the scheme, the
// cache (which strips managedFields and holds only evidence ConfigMaps),
// health and readiness checks, the metrics endpoint and leader election.
// cmd/concord and `concordctl dev` both use it.
package manager

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	monitoringv1alpha1 "github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/controllers"
	"github.com/concord-operator/concord/internal/evidence"
	"github.com/concord-operator/concord/internal/metrics"
)

// EvidenceLabel marks the ConfigMaps Concord may read as evidence; the
// manager caches no other ConfigMap.
const EvidenceLabel = evidence.Label

// LeaderElectionID names the lease the managers of one installation share.
const LeaderElectionID = "concord.concord.dev"

// Options configure the manager; cmd/concord binds them to flags.
type Options struct {
	MetricsAddr             string
	ProbeAddr               string
	LeaderElection          bool
	LeaderElectionNamespace string
	// Concurrency is the number of objects of one kind reconciled at once.
	Concurrency int
	// QPS and Burst limit the manager's requests to the API server on the
	// client side. A negative QPS (the default) turns the client-side limit
	// off: the API server's priority and fairness protects it, and a
	// token bucket per kind would only queue status writes and Events in
	// the manager's memory (docs/performance.md).
	QPS   float32
	Burst int
	// PprofAddr serves net/http/pprof when set ("" or "0" disables it).
	PprofAddr string
	// Namespaces, when set, are the only namespaces this manager caches
	// and reconciles: one shard of an installation whose namespaces are
	// split between managers (docs/performance.md). Each shard elects its
	// own leader (LeaseName). Empty: every namespace.
	Namespaces []string
	// EventSettleTime is how long after its creation an object's
	// transitions are held back from Events (controllers.Settling).
	EventSettleTime time.Duration
	// GracefulShutdown bounds how long runnables get to stop.
	GracefulShutdown time.Duration
	// Clock is the time the evaluators see (default: the real clock).
	Clock clock.PassiveClock
	// Evidence configures URL fetching (allowed hosts, limits, timeouts).
	Evidence evidence.FetchOptions
	// EvidenceCABundle is a PEM file of CAs trusted besides the system's.
	EvidenceCABundle string
	// EvidenceRecheckInterval is how often URL evidence is fetched again.
	EvidenceRecheckInterval time.Duration
	// SkipNameValidation lets a process build a second manager, as the
	// restart tests do; controller names are otherwise process-unique.
	SkipNameValidation bool
}

// DefaultOptions are the defaults of cmd/concord's flags. Leader election
// is on: a second replica started without flags waits instead of writing
// status beside the first. A single manager run outside a cluster (the dev
// environment, tests) turns it off or names a lease namespace.
func DefaultOptions() Options {
	return Options{
		LeaderElection:   true,
		MetricsAddr:      ":8080",
		ProbeAddr:        ":8081",
		Concurrency:      4,
		QPS:              -1,
		Burst:            100,
		GracefulShutdown: 30 * time.Second,
		Evidence: evidence.FetchOptions{
			MaxBytes: evidence.DefaultMaxBytes, ConnectTimeout: evidence.DefaultConnectTimeout,
			Timeout: evidence.DefaultTimeout, MaxRedirects: evidence.DefaultMaxRedirects,
		},
		EvidenceRecheckInterval: controllers.DefaultRecheckInterval,
		EventSettleTime:         controllers.DefaultEventSettleTime,
	}
}

// NewScheme returns a scheme with the built-in kinds and Concord's.
func NewScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(monitoringv1alpha1.AddToScheme(s))
	return s
}

// New builds a manager for cfg with every controller. It does not start it.
func New(cfg *rest.Config, o Options) (ctrl.Manager, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = o.QPS, o.Burst
	evidenceOnly, err := labels.Parse(EvidenceLabel + "=true")
	if err != nil {
		return nil, err
	}
	shutdown := o.GracefulShutdown
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme: NewScheme(),
		Metrics: metricsserver.Options{BindAddress: o.MetricsAddr, FilterProvider: func(*rest.Config, *http.Client) (metricsserver.Filter, error) {
			// The object series are written as they are read (metrics.Handler).
			return func(_ logr.Logger, next http.Handler) (http.Handler, error) { return metrics.Handler(next), nil }, nil
		}},
		HealthProbeBindAddress:  o.ProbeAddr,
		PprofBindAddress:        pprofAddr(o.PprofAddr),
		LeaderElection:          o.LeaderElection,
		LeaderElectionID:        LeaseName(o.Namespaces),
		LeaderElectionNamespace: o.LeaderElectionNamespace,
		// The lease is released on shutdown so that a rolling update hands
		// over at once.
		LeaderElectionReleaseOnCancel: true,
		GracefulShutdownTimeout:       &shutdown,
		Controller:                    config.Controller{MaxConcurrentReconciles: o.Concurrency, SkipNameValidation: &o.SkipNameValidation},
		Cache: cache.Options{
			DefaultNamespaces: namespaceConfigs(o.Namespaces),
			DefaultTransform:  stripUnread,
			ByObject: map[client.Object]cache.ByObject{
				&corev1.ConfigMap{}: {Label: evidenceOnly},
			},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("creating the manager: %w", err)
	}
	clk := o.Clock
	if clk == nil {
		clk = clock.RealClock{}
	}
	fetch := o.Evidence
	if err := evidence.CheckAllowedHosts(fetch.AllowedHosts); err != nil {
		return nil, err
	}
	if o.EvidenceCABundle != "" {
		if fetch.RootCAs, err = trustedCAs(o.EvidenceCABundle); err != nil {
			return nil, err
		}
	}
	if err := controllers.Setup(context.Background(), mgr, controllers.Options{
		Clock: clk, URLs: evidence.NewFetcher(fetch), RecheckInterval: o.EvidenceRecheckInterval,
		EventSettleTime: o.EventSettleTime, Namespaces: o.Namespaces,
	}); err != nil {
		return nil, err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return nil, fmt.Errorf("adding the health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return nil, fmt.Errorf("adding the readiness check: %w", err)
	}
	return mgr, nil
}

// trustedCAs returns the system's roots plus the PEM bundle at path.
func trustedCAs(path string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading --evidence-ca-bundle: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--evidence-ca-bundle %s holds no PEM certificate", path)
	}
	return pool, nil
}

// pprofAddr is the pprof address the manager serves, "0" (off) when unset.
func pprofAddr(a string) string {
	if a == "" {
		return "0"
	}
	return a
}

// lastApplied is the annotation client-side `kubectl apply` (and tools
// that apply as it does) keeps: a second copy of the whole object.
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// stripUnread drops from cached objects what no reconciler reads:
// managedFields and the last-applied configuration, which together can
// be larger than the object itself. Status patches are computed between
// two cached copies, so nothing dropped here is ever written back.
func stripUnread(in any) (any, error) {
	obj, err := meta.Accessor(in)
	if err != nil {
		return in, nil
	}
	if obj.GetManagedFields() != nil {
		obj.SetManagedFields(nil)
	}
	if a := obj.GetAnnotations(); a != nil {
		if _, ok := a[lastApplied]; ok {
			kept := make(map[string]string, len(a)-1)
			for k, v := range a {
				if k != lastApplied {
					kept[k] = v
				}
			}
			if len(kept) == 0 {
				kept = nil
			}
			obj.SetAnnotations(kept)
		}
	}
	return in, nil
}

// LeaseName is the leader-election lease of the managers that reconcile
// namespaces (all of them when empty): LeaderElectionID, or for a shard
// "concord-<hash of its sorted namespaces>.concord.dev", so that each
// shard's replicas elect their own leader and shards do not wait on each
// other.
func LeaseName(namespaces []string) string {
	if len(namespaces) == 0 {
		return LeaderElectionID
	}
	sorted := slices.Clone(namespaces)
	slices.Sort(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, ",")))
	return fmt.Sprintf("concord-%x.concord.dev", sum[:5])
}

// namespaceConfigs is the cache's namespaces for a shard (nil: all).
func namespaceConfigs(namespaces []string) map[string]cache.Config {
	if len(namespaces) == 0 {
		return nil
	}
	out := map[string]cache.Config{}
	for _, ns := range namespaces {
		out[ns] = cache.Config{}
	}
	return out
}
