package cli

import (
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"go.uber.org/zap/zapcore"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/concord-operator/concord/examples"
	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
)

func newDevCommand() *cobra.Command {
	o := devenv.Options{Manager: devenv.ManagerOptions()}
	o.Manager.MetricsAddr = "127.0.0.1:8080"
	o.Manager.ProbeAddr = "127.0.0.1:8081"
	var scenario []string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run Concord against a local control plane with an example scenario",
		Long: `dev starts etcd and kube-apiserver from --assets, installs Concord's CRDs,
applies a scenario (by default the embedded national-plan example), runs the
controllers and writes an admin kubeconfig. It runs until interrupted, then
stops everything it started.`,
		Example: `  concordctl dev --assets bin --kubeconfig bin/dev.kubeconfig
  concordctl dev -f my-scenario/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			objs, err := loadScenario(scenario)
			if err != nil {
				return err
			}
			o.Scenario = objs
			o.Out = cmd.OutOrStdout()
			level := zapcore.InfoLevel
			if !verbose {
				level = zapcore.WarnLevel
			}
			o.Log = zap.New(zap.WriteTo(cmd.ErrOrStderr()), zap.Level(level))
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return devenv.Run(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.AssetsDir, "assets", "bin", "Directory holding the etcd, kube-apiserver and kubectl binaries.")
	f.StringVar(&o.KubeconfigPath, "kubeconfig", "bin/dev.kubeconfig", "Where to write the admin kubeconfig.")
	f.StringSliceVarP(&scenario, "filename", "f", nil, "Scenario manifests (files or directories) to apply instead of the embedded example.")
	f.StringVar(&o.Manager.MetricsAddr, "metrics-bind-address", o.Manager.MetricsAddr, "Address the metrics endpoint binds to.")
	f.StringVar(&o.Manager.ProbeAddr, "health-probe-bind-address", o.Manager.ProbeAddr, "Address the health probes bind to.")
	f.DurationVar(&o.Manager.EventSettleTime, "event-settle-time", o.Manager.EventSettleTime, "How long a new object settles before its transitions are Events (as the manager's flag).")
	f.BoolVarP(&verbose, "verbose", "v", false, "Show the controllers' info logs.")
	return cmd
}

func loadScenario(paths []string) ([]manifest.Object, error) {
	if len(paths) == 0 {
		objs, err := manifest.LoadFS(examples.FS, examples.Default)
		if err != nil {
			return nil, fmt.Errorf("reading the embedded scenario: %w", err)
		}
		return objs, nil
	}
	return manifest.LoadPaths(paths...)
}
