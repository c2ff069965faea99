// Command concord is the Concord controller manager.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"go.uber.org/zap/zapcore"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/concord-operator/concord/internal/manager"
	"github.com/concord-operator/concord/internal/version"
)

func main() {
	o := manager.DefaultOptions()
	fs := flags(&o)
	zo := zap.Options{Development: false, TimeEncoder: zapcore.RFC3339TimeEncoder}
	zo.BindFlags(fs)
	showVersion := fs.Bool("version", false, "Print the version, commit and build date, and exit.")
	_ = fs.Parse(os.Args[1:]) // ExitOnError
	v := version.Get()
	if *showVersion {
		fmt.Println(v.String("concord"))
		return
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zo)))
	log := ctrl.Log.WithName("setup")
	switch {
	case memoryLimit != nil:
		debug.SetMemoryLimit(memoryLimit.Value())
		log.Info("Memory limit of the Go runtime set by --memory-limit", "bytes", memoryLimit.Value())
	default:
		if soft := manager.SetMemoryLimit("/sys/fs/cgroup"); soft > 0 {
			log.Info("Memory limit of the Go runtime set from the container's", "bytes", soft, "ratio", manager.MemoryLimitRatio)
		}
	}

	mgr, err := manager.New(ctrl.GetConfigOrDie(), o)
	if err != nil {
		log.Error(err, "Unable to set up the manager")
		os.Exit(1)
	}
	log.Info("Starting the manager", "version", v.Version, "commit", v.Commit, "metrics", o.MetricsAddr, "probes", o.ProbeAddr, "leaderElection", o.LeaderElection)
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		log.Error(err, "The manager stopped with an error")
		os.Exit(1)
	}
}

// memoryLimit is --memory-limit, nil when not given.
var memoryLimit *resource.Quantity

// flags binds the manager's flags to o; the API server's QPS is written
// into o when the flags are parsed.
func flags(o *manager.Options) *flag.FlagSet {
	fs := flag.NewFlagSet("concord", flag.ExitOnError)
	fs.StringVar(&o.MetricsAddr, "metrics-bind-address", o.MetricsAddr, "Address the metrics endpoint binds to; 0 disables it.")
	fs.StringVar(&o.ProbeAddr, "health-probe-bind-address", o.ProbeAddr, "Address the health and readiness probes bind to.")
	fs.BoolVar(&o.LeaderElection, "leader-elect", o.LeaderElection, "Elect a leader, so that only one replica reconciles at a time (on by default; --leader-elect=false only for a single manager outside a cluster).")
	fs.StringVar(&o.LeaderElectionNamespace, "leader-election-namespace", o.LeaderElectionNamespace, "Namespace of the leader election lease (default: the Pod's).")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "Objects of one kind reconciled at once.")
	fs.Func("kube-api-qps", fmt.Sprintf("Client-side limit of queries per second to the API server; negative turns it off and leaves the API server's priority and fairness to pace the manager. (default %v)", o.QPS), func(v string) error {
		q, err := strconv.ParseFloat(v, 32)
		if err != nil || q == 0 {
			return fmt.Errorf("%q is not a number of queries per second (above 0, or negative for no client-side limit)", v)
		}
		o.QPS = float32(q)
		return nil
	})
	fs.IntVar(&o.Burst, "kube-api-burst", o.Burst, "Burst of queries to the API server when --kube-api-qps is positive.")
	fs.Func("namespaces", "Comma-separated namespaces this manager alone caches and reconciles: one shard of an installation split between managers, each with its own leader election (default: every namespace).", func(v string) error {
		for _, ns := range strings.Split(v, ",") {
			if ns = strings.TrimSpace(ns); ns != "" {
				if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
					return fmt.Errorf("%q is not a namespace name: %s", ns, strings.Join(errs, "; "))
				}
				o.Namespaces = append(o.Namespaces, ns)
			}
		}
		return nil
	})
	fs.Func("memory-limit", "Soft memory limit of the Go runtime, such as 450Mi (default: 90% of the container's memory limit, or GOMEMLIMIT; none outside a container).", func(v string) error {
		q, err := resource.ParseQuantity(v)
		if err != nil || q.Value() <= 0 {
			return fmt.Errorf("%q is not an amount of memory such as 450Mi", v)
		}
		memoryLimit = &q
		return nil
	})
	fs.DurationVar(&o.EventSettleTime, "event-settle-time", o.EventSettleTime, "How long a new object settles before its condition transitions are Events; when it settles, what then needs attention is announced once (0: every transition at once).")
	fs.StringVar(&o.PprofAddr, "pprof-bind-address", o.PprofAddr, "Address net/http/pprof binds to for profiling (e.g. 127.0.0.1:6060); empty or 0 disables it.")
	fs.DurationVar(&o.GracefulShutdown, "graceful-shutdown-timeout", o.GracefulShutdown, "How long controllers get to finish on shutdown.")
	fs.Func("evidence-allowed-hosts", "Comma-separated hosts URL evidence may be fetched from (*.example.gov allows subdomains); empty fetches nothing.", func(v string) error {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				o.Evidence.AllowedHosts = append(o.Evidence.AllowedHosts, h)
			}
		}
		return nil
	})
	fs.Int64Var(&o.Evidence.MaxBytes, "evidence-max-bytes", o.Evidence.MaxBytes, "Largest evidence document fetched, in bytes.")
	fs.DurationVar(&o.Evidence.ConnectTimeout, "evidence-connect-timeout", o.Evidence.ConnectTimeout, "Timeout for dialing and the TLS handshake of an evidence fetch.")
	fs.DurationVar(&o.Evidence.Timeout, "evidence-fetch-timeout", o.Evidence.Timeout, "Timeout for a whole evidence fetch, redirects included.")
	fs.StringVar(&o.EvidenceCABundle, "evidence-ca-bundle", "", "PEM file of CAs trusted for evidence URLs besides the system's.")
	fs.DurationVar(&o.EvidenceRecheckInterval, "evidence-recheck-interval", o.EvidenceRecheckInterval, "How often URL evidence is fetched again (jittered per object).")
	return fs
}
