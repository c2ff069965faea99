package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/textsafe"

	// The formats concordctl import reads.
	_ "github.com/concord-operator/concord/internal/exchange/adx"     // the adx format
	_ "github.com/concord-operator/concord/internal/exchange/csv"     // the csv format
	_ "github.com/concord-operator/concord/internal/exchange/dhis2"   // the dhis2 format
	_ "github.com/concord-operator/concord/internal/exchange/opensdg" // the open-sdg format
)

// importFlags are concordctl import's flags.
type importFlags struct {
	format, mapFile, outDir string
	indicators              []string
	fromCluster, dryRun     bool
	kubeconfig, context     string
}

func newImportCommand() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import --format FORMAT --map MAP.yaml [--indicators PATH | --from-cluster] [-o DIR] [--dry-run] FILE...",
		Short: "Turn the figures of CSV, Open SDG and other files into Measurements, validated as the cluster would",
		Long: `import reads files in a format (` + "csv, open-sdg" + ` and the others registered)
under a mapping file that names their columns or codes, and writes
Measurement manifests: one per indicator, period and reporter, with the
breakdown cells, named <indicator>-<period>-<reporter>, sorted by name.

The Indicators come from --indicators (manifest files or directories, as
concordctl validate reads them) or, with --from-cluster, from the cluster
of the kubeconfig, in the map's namespace. The Measurements already there
(in those manifests, or in the cluster) are compared with the figures read:
equal figures are unchanged and not written; other figures are a conflict,
written as a correction: a new Measurement of the same reporter, with a
later reportTime, that supersedes the existing one, which is never changed.

Every Measurement written is validated with the Indicators as concordctl
validate would (schemas, CEL rules, and the cross-object checks: cadence,
value type, breakdown sums); any error refuses the whole import and nothing
is written. Errors name the file and line the figures come from.

spec.reportTime is the map's reportTime, else the newest modification time
of the files read (never later than now).

Output: with -o DIR, one file per Measurement (DIR/NAME.yaml), written to a
temporary directory and renamed at the end; an existing file is never
replaced. Without -o, the manifests go to standard output as one YAML
stream and the summary to standard error. --dry-run prints only the
summary. The summary counts created, unchanged and conflicting
Measurements and lists each ignored row with its file, line and reason.`,
		Example: `  concordctl import --format open-sdg --map examples/exchange/moldova-16-2-2.yaml \
    --indicators examples/exchange/moldova-16-2-2-indicator.yaml -o measurements/ indicator_16-2-2.csv
  concordctl import --format csv --map referrals.yaml --from-cluster --dry-run referrals.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			importGC()
			return runImport(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f, files, time.Time{})
		},
	}
	cmd.Flags().StringVar(&f.format, "format", "", "Format of the files (default: the map's format).")
	cmd.Flags().StringVar(&f.mapFile, "map", "", "Mapping file (MAP.yaml).")
	cmd.Flags().StringSliceVar(&f.indicators, "indicators", nil, "Manifests of the Indicators and existing Measurements (files or directories; repeatable).")
	cmd.Flags().BoolVar(&f.fromCluster, "from-cluster", false, "Read the Indicators and Measurements from the cluster (kubeconfig).")
	cmd.Flags().StringVarP(&f.outDir, "output-dir", "o", "", "Write one file per Measurement into this directory.")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "Print only the summary; write nothing.")
	cmd.Flags().StringVar(&f.kubeconfig, "kubeconfig", "", "Path of the kubeconfig (with --from-cluster; default: KUBECONFIG, then ~/.kube/config).")
	cmd.Flags().StringVar(&f.context, "context", "", "Kubeconfig context (with --from-cluster).")
	_ = cmd.MarkFlagRequired("map")
	return cmd
}

// runImport runs an import at now (zero: the wall clock).
// importGC sets exchange.ImportGCPercent, unless GOGC says otherwise.
func importGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(exchange.ImportGCPercent)
	}
}

func runImport(ctx context.Context, stdout, stderr io.Writer, f importFlags, files []string, now time.Time) error {
	if ctx == nil {
		ctx = context.Background()
	}
	m, err := exchange.LoadMap(f.mapFile)
	if err != nil {
		return errors.New(textsafe.Escape(err.Error()))
	}
	format := f.format
	switch {
	case format == "":
		format = m.Format
	case format != m.Format:
		return fmt.Errorf("--format %s, but %s is a map for %s: use a map for %s", format, f.mapFile, m.Format, format)
	}
	codec, err := exchange.CodecFor(format)
	if err != nil {
		return err
	}
	var base []manifest.Object
	switch {
	case f.fromCluster && len(f.indicators) > 0:
		return errors.New("give either --indicators or --from-cluster, not both")
	case f.fromCluster:
		c, _, err := clusterClient(f.kubeconfig, f.context, m.Namespace)
		if err != nil {
			return err
		}
		if base, err = clusterBase(ctx, c, m.Namespace); err != nil {
			return err
		}
	case len(f.indicators) > 0:
		objs, err := manifest.LoadPaths(f.indicators...)
		if err != nil {
			return errors.New(textsafe.Escape(err.Error()))
		}
		base = objs
	default:
		return errors.New("name the Indicators the figures are checked against: --indicators PATH (their manifests) or --from-cluster")
	}
	res := exchange.Import(ctx, exchange.ImportRequest{Map: m, Codec: codec, Files: files, Base: base, Now: now})
	summary := stderr
	if f.dryRun || f.outDir != "" {
		summary = stdout
	}
	if !res.OK() {
		res.PrintSummary(summary, f.dryRun)
		return fmt.Errorf("import refused: %s; nothing was written", plural(len(res.Errors), "error"))
	}
	switch {
	case f.dryRun:
		res.PrintSummary(summary, f.dryRun)
		return nil
	case f.outDir != "":
		// The files first: the summary is written to a reader that may
		// go away (| head).
		if err := exchange.WriteMeasurements(f.outDir, res.Written()); err != nil {
			res.PrintSummary(summary, f.dryRun)
			return err
		}
		res.PrintSummary(summary, f.dryRun)
		fmt.Fprintf(stdout, "%s written to %s\n", plural(len(res.Written()), "Measurement"), textsafe.Escape(f.outDir))
		return nil
	}
	res.PrintSummary(summary, f.dryRun)
	return exchange.WriteMeasurementStream(stdout, res.Written())
}

// clusterBase reads the Indicators and Measurements of a namespace as
// manifests would hold them (without status and server-set metadata, but
// with creationTimestamp, which orders reports without reportTime).
func clusterBase(ctx context.Context, c client.Reader, ns string) ([]manifest.Object, error) {
	var inds v1alpha1.IndicatorList
	if err := c.List(ctx, &inds, client.InNamespace(ns)); err != nil {
		return nil, fmt.Errorf("listing the Indicators of namespace %s: %w", ns, err)
	}
	var meas v1alpha1.MeasurementList
	if err := c.List(ctx, &meas, client.InNamespace(ns)); err != nil {
		return nil, fmt.Errorf("listing the Measurements of namespace %s: %w", ns, err)
	}
	var objs []client.Object
	for i := range inds.Items {
		objs = append(objs, &inds.Items[i])
	}
	for i := range meas.Items {
		objs = append(objs, &meas.Items[i])
	}
	var out []manifest.Object
	for _, o := range objs {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			return nil, err
		}
		kind := "Indicator"
		if _, ok := o.(*v1alpha1.Measurement); ok {
			kind = "Measurement"
		}
		u["apiVersion"], u["kind"] = v1alpha1.GroupVersion.String(), kind
		delete(u, "status")
		if md, ok := u["metadata"].(map[string]any); ok {
			for _, k := range []string{"managedFields", "resourceVersion", "uid", "generation", "selfLink"} {
				delete(md, k)
			}
		}
		out = append(out, manifest.Object{Source: "cluster", Object: &unstructured.Unstructured{Object: u}})
	}
	return out, nil
}
