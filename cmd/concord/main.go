// Command concord is the Concord controller manager.
package main

import (
	"flag"
	"os"

	"go.uber.org/zap/zapcore"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/concord-operator/concord/internal/manager"
)

func main() {
	o := manager.DefaultOptions()
	flag.StringVar(&o.MetricsAddr, "metrics-bind-address", o.MetricsAddr, "Address the metrics endpoint binds to; 0 disables it.")
	flag.StringVar(&o.ProbeAddr, "health-probe-bind-address", o.ProbeAddr, "Address the health and readiness probes bind to.")
	flag.BoolVar(&o.LeaderElection, "leader-elect", o.LeaderElection, "Elect a leader, so that only one replica reconciles at a time.")
	flag.StringVar(&o.LeaderElectionNamespace, "leader-election-namespace", o.LeaderElectionNamespace, "Namespace of the leader election lease (default: the Pod's).")
	flag.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "Objects of one kind reconciled at once.")
	var qps float64 = float64(o.QPS)
	flag.Float64Var(&qps, "kube-api-qps", qps, "Queries per second to the API server.")
	flag.IntVar(&o.Burst, "kube-api-burst", o.Burst, "Burst of queries to the API server.")
	flag.DurationVar(&o.GracefulShutdown, "graceful-shutdown-timeout", o.GracefulShutdown, "How long controllers get to finish on shutdown.")
	zo := zap.Options{Development: false, TimeEncoder: zapcore.RFC3339TimeEncoder}
	zo.BindFlags(flag.CommandLine)
	flag.Parse()
	o.QPS = float32(qps)
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zo)))
	log := ctrl.Log.WithName("setup")

	mgr, err := manager.New(ctrl.GetConfigOrDie(), o)
	if err != nil {
		log.Error(err, "Unable to set up the manager")
		os.Exit(1)
	}
	log.Info("Starting the manager", "metrics", o.MetricsAddr, "probes", o.ProbeAddr, "leaderElection", o.LeaderElection)
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		log.Error(err, "The manager stopped with an error")
		os.Exit(1)
	}
}
