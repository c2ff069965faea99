package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/exchange"
	_ "github.com/concord-operator/concord/internal/exchange/iati" // the iati format
	_ "github.com/concord-operator/concord/internal/exchange/sdmx" // the sdmx-csv format
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

// exactFormats may carry exact figures with --exact: they go to a
// ministry's own system, not to a publication.
var exactFormats = map[string]bool{"dhis2": true, "adx": true}

type exportOptions struct {
	format      string
	mapFile     string
	paths       []string
	fromCluster bool
	at          string
	output      string
	exact       bool
	kubeconfig  string
	kubeContext string
}

func newExportCommand() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export --format FORMAT --map MAP.yaml (-f PATH... | --from-cluster) [--at TIME] [-o FILE] [--exact]",
		Short: "Write the counted figures of Indicators in an exchange format (SDMX-CSV, IATI, ...), under disclosure control",
		Long: `export writes the figures of the Indicators a mapping file names, per
period, as each Indicator counts them (Accepted, not superseded Measurements,
combined as its measure and consolidatedBy say), in a format other systems
read:

  ` + strings.Join(exchange.Formats(), ", ") + `

With -f it evaluates manifests offline at --at (RFC 3339, default: now), as
'concordctl evaluate' does. With --from-cluster it reads the Indicators,
Measurements, Evidence and ActionPlans of the map's namespace from a cluster
(--kubeconfig, --context), with the status its controllers computed.

Every figure goes through the Indicator's disclosure control
(spec.disclosure.minCellSize): a cell or total below it, and any cell that
would let one be worked out, is written without a value and with the
format's confidentiality marker where it has one (SDMX: CONF_STATUS C).
--exact writes every figure as it is; it is allowed only for the formats
that feed a ministry's own system (dhis2, adx), and says so on stderr.

The output is written whole or not at all: -o FILE is written to a
temporary file in the same directory, renamed when complete.

The mapping file's format and options are documented in docs/interop.md.`,
		Example: `  concordctl export --format sdmx-csv --map examples/exchange/sdg-16-2-2-sdmx.yaml \
      -f examples/national-plan --at 2026-11-21T00:00:00Z -o sdg-16-2-2.csv
  concordctl export --format iati --map examples/exchange/iati.yaml \
      -f examples/national-plan --at 2026-11-21T00:00:00Z -o npa-results.xml
  concordctl export --format iati --map examples/exchange/iati.yaml --from-cluster -o npa-results.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o, time.Now().UTC(), nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", "Format to write: "+strings.Join(exchange.Formats(), ", ")+".")
	f.StringVar(&o.mapFile, "map", "", "Mapping file (MAP.yaml): the Indicators, codes and options of the export.")
	f.StringSliceVarP(&o.paths, "filename", "f", nil, "Manifest files or directories to evaluate offline (repeatable).")
	f.BoolVar(&o.fromCluster, "from-cluster", false, "Read the map's namespace from a cluster instead of manifests.")
	f.StringVar(&o.at, "at", "", "With -f: evaluate at this RFC 3339 time (default: now).")
	f.StringVarP(&o.output, "output", "o", "", "Write to this file instead of standard output.")
	f.BoolVar(&o.exact, "exact", false, "Write exact figures, below the disclosure threshold too (dhis2 and adx only).")
	f.StringVar(&o.kubeconfig, "kubeconfig", "", "With --from-cluster: kubeconfig of the cluster (default: the usual loading rules).")
	f.StringVar(&o.kubeContext, "context", "", "With --from-cluster: kubeconfig context to use.")
	return cmd
}

// runExport reads the objects, collects the figures and writes them. c
// reads the cluster with --from-cluster; nil builds a client from the
// kubeconfig.
func runExport(ctx context.Context, stdout, stderr io.Writer, o exportOptions, now time.Time, c client.Reader) error {
	if o.format == "" {
		return fmt.Errorf("--format is required: one of %s", strings.Join(exchange.Formats(), ", "))
	}
	if o.exact && !exactFormats[o.format] {
		return fmt.Errorf("--exact is refused for %s: it is a publication, and a publication carries no figure below the disclosure threshold; --exact applies to dhis2 and adx, which feed a ministry's own system", o.format)
	}
	codec, err := exchange.CodecFor(o.format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	if o.mapFile == "" {
		return errors.New("--map is required: the mapping file that names the Indicators and the format's codes (docs/interop.md)")
	}
	m, err := exchange.LoadMap(o.mapFile)
	if err != nil {
		return err
	}
	if m.Format != o.format {
		return fmt.Errorf("%s: format is %q, but --format is %q: use a map written for %s", m.File, m.Format, o.format, o.format)
	}
	var objs exchange.Objects
	switch {
	case len(o.paths) > 0 && o.fromCluster:
		return errors.New("use -f or --from-cluster, not both")
	case len(o.paths) > 0:
		if o.kubeconfig != "" || o.kubeContext != "" {
			return errors.New("-f evaluates manifests offline: leave out --kubeconfig and --context")
		}
		set, _, at, err := evaluateManifests(o.paths, o.at, now)
		if err != nil {
			return err
		}
		objs = exchange.Objects{Indicators: set.Indicators, Measurements: set.Measurements, Evidence: set.Evidence, Plans: set.Plans, At: at}
	case o.fromCluster:
		if o.at != "" {
			return errors.New("--at applies to -f: a cluster's status is computed by its controllers")
		}
		if c == nil {
			if c, _, err = clusterClient(o.kubeconfig, o.kubeContext, m.Namespace); err != nil {
				return err
			}
		}
		if objs, err = readExportObjects(ctx, c, m.Namespace); err != nil {
			return err
		}
		objs.At = now
	default:
		return errors.New("give the objects to export: -f PATH (manifests, evaluated offline) or --from-cluster")
	}
	var b bytes.Buffer
	if err := exchange.Write(m, codec, objs, o.exact, &b); err != nil {
		return err
	}
	if o.exact {
		fmt.Fprintf(stderr, "concordctl export: --exact: the output carries exact figures, including figures below the Indicators' disclosure.minCellSize; keep it within %s's own system\n", o.format)
	}
	if o.output == "" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	return writeWhole(o.output, b.Bytes())
}

// evaluateManifests reads manifest files and directories and evaluates
// them offline at the RFC 3339 time at (empty: now), as -f does for every
// command that reads manifests. It returns the set, its objects in input
// order and the instant.
func evaluateManifests(paths []string, at string, now time.Time) (*offline.Set, []offline.Result, time.Time, error) {
	when := now
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return nil, nil, time.Time{}, fmt.Errorf("--at %q is not an RFC 3339 time such as 2026-10-01T00:00:00Z", at)
		}
		when = t.UTC()
	}
	loaded, loadErr := manifest.LoadPaths(paths...)
	set, decodeErr := offline.Decode(loaded)
	if err := errors.Join(loadErr, decodeErr); err != nil {
		return nil, nil, time.Time{}, err
	}
	return set, set.Evaluate(when), when, nil
}

// readExportObjects lists what an export reads from a namespace.
func readExportObjects(ctx context.Context, c client.Reader, ns string) (exchange.Objects, error) {
	var inds v1alpha1.IndicatorList
	var meas v1alpha1.MeasurementList
	var evs v1alpha1.EvidenceList
	var plans v1alpha1.ActionPlanList
	for _, l := range []struct {
		kind string
		list client.ObjectList
	}{{"Indicators", &inds}, {"Measurements", &meas}, {"Evidence", &evs}, {"ActionPlans", &plans}} {
		if err := c.List(ctx, l.list, client.InNamespace(ns)); err != nil {
			return exchange.Objects{}, fmt.Errorf("listing %s in namespace %s: %w", l.kind, ns, err)
		}
	}
	var objs exchange.Objects
	for i := range inds.Items {
		objs.Indicators = append(objs.Indicators, &inds.Items[i])
	}
	for i := range meas.Items {
		objs.Measurements = append(objs.Measurements, &meas.Items[i])
	}
	for i := range evs.Items {
		objs.Evidence = append(objs.Evidence, &evs.Items[i])
	}
	for i := range plans.Items {
		objs.Plans = append(objs.Plans, &plans.Items[i])
	}
	return objs, nil
}

// writeWhole writes data to a temporary file beside path and renames it
// to path, so that path holds the whole output or is left as it was.
func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
