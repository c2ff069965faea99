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
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/report"
)

type reportOptions struct {
	paths         []string
	at            string
	kubeconfig    string
	kubeContext   string
	namespace     string
	allNamespaces bool
	format        string
	output        string
	title         string
	locale        string
	chromium      string
}

func newReportCommand() *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report [-f PATH...] [--format markdown|csv|html|pdf] [--locale en|fr] [-o FILE]",
		Short: "Write a scorecard of indicators, mechanisms and plans (Markdown, CSV, HTML or PDF)",
		Long: `report writes a coordination body's scorecard: a summary per area, every
indicator with its baseline, target, current value, trend (status.history),
evidence and overdue state, every cooperation mechanism with its conditions
and indicators, and every ActionPlan's scorecard.

With -f it evaluates manifests offline at --at (default: now), as
'concordctl evaluate' does. Without -f it reads the live status of the
Concord objects of a cluster (--kubeconfig, --context; --namespace, or -A
for all namespaces; default: the kubeconfig context's namespace).

Formats:
  markdown  headings and tables (GitHub-flavoured)
  csv       one RFC 4180 row per indicator; h1..h12 are status.history,
            h1 the newest period
  html      one self-contained page (inline CSS and SVG charts, no script,
            no external reference), with an A4 print stylesheet
  pdf       the html page printed on A4 by headless Chromium (found on PATH
            as chromium, chromium-browser or google-chrome, or given with
            --chromium); needs -o

Markdown, HTML and PDF are written for people: numbers, dates and periods in
the --locale (en: 1,020,000 and 16.67%; fr: 1 020 000 et 16,67 %), names
instead of identifiers (the annotations concord.dev/display-name and
concord.dev/display-names, docs/report.md), and findings in sentences. CSV
keeps the values and identifiers as the status holds them.

Breakdown tables sum the counted Measurements' cells of each indicator's
current period. With disclosure.minCellSize set, no figure below it is
published: small cells and totals show "<N", and further cells are
withheld ("suppressed") until no hidden cell, and no sum of hidden cells
below N, can be worked out from what is shown (docs/disclosure.md).

Indicators with spec.reporting.expectedReporters get a table of each
expected reporter's due periods of the history: on time, late, missing.
Like breakdowns, it needs the Measurements: a user who cannot read them
gets neither.`,
		Example: `  concordctl report -f examples/national-plan --at 2026-11-21T00:00:00Z
  concordctl report -f examples/national-plan --format html -o report.html
  concordctl report -f examples/national-plan --format pdf --locale fr -o rapport.pdf
  concordctl report -A --format csv -o indicators.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd.Context(), cmd.OutOrStdout(), o, time.Now().UTC(), nil)
		},
	}
	f := cmd.Flags()
	f.StringSliceVarP(&o.paths, "filename", "f", nil, "Manifest files or directories to evaluate offline (repeatable); without -f, read a cluster.")
	f.StringVar(&o.at, "at", "", "With -f: evaluate at this RFC 3339 time (default: now).")
	f.StringVar(&o.kubeconfig, "kubeconfig", "", "Kubeconfig of the cluster (default: the usual loading rules).")
	f.StringVar(&o.kubeContext, "context", "", "Kubeconfig context to use.")
	f.StringVarP(&o.namespace, "namespace", "n", "", "Namespace to read (default: the context's namespace).")
	f.BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "Read every namespace.")
	f.StringVar(&o.format, "format", "markdown", "Output format: markdown, csv, html or pdf.")
	f.StringVarP(&o.output, "output", "o", "", "Write to this file instead of standard output.")
	f.StringVar(&o.title, "title", "", "Title of the report (default: the ActionPlan's title when there is one).")
	f.StringVar(&o.locale, "locale", "en", "How numbers, dates and periods are written: "+strings.Join(report.Locales(), " or ")+".")
	f.StringVar(&o.chromium, "chromium", "", "With --format pdf: the Chromium executable (default: chromium, chromium-browser or google-chrome on PATH).")
	return cmd
}

var reportWriters = map[string]func(io.Writer, *report.Report) error{
	"markdown": report.WriteMarkdown,
	"md":       report.WriteMarkdown,
	"csv":      report.WriteCSV,
	"html":     report.WriteHTML,
	"pdf":      report.WriteHTML, // then printed by Chromium
}

// runReport builds and writes the report. c reads the cluster when no
// manifests are given; nil builds a client from the kubeconfig.
func runReport(ctx context.Context, stdout io.Writer, o reportOptions, now time.Time, c client.Reader) error {
	write, ok := reportWriters[o.format]
	if !ok {
		return fmt.Errorf("--format %q: use markdown, csv, html or pdf", o.format)
	}
	if o.locale == "" {
		o.locale = "en"
	}
	loc, err := report.ParseLocale(o.locale)
	if err != nil {
		return fmt.Errorf("--locale: %w", err)
	}
	chromium := ""
	if o.format == "pdf" {
		if o.output == "" {
			return errors.New("--format pdf writes a file: give it with -o, such as -o report.pdf")
		}
		// Found before anything is read, so a missing Chromium fails fast.
		if chromium, err = report.FindChromium(o.chromium); err != nil {
			return err
		}
	} else if o.chromium != "" {
		return errors.New("--chromium applies to --format pdf")
	}
	var objs []client.Object
	opts := report.Options{Title: o.title, Generated: now, Locale: loc}
	if len(o.paths) > 0 {
		if o.kubeconfig != "" || o.kubeContext != "" || o.namespace != "" || o.allNamespaces {
			return errors.New("-f evaluates manifests offline: leave out --kubeconfig, --context, --namespace and -A")
		}
		set, results, at, err := evaluateManifests(o.paths, o.at, now)
		if err != nil {
			return err
		}
		for _, r := range results {
			objs = append(objs, r.Object)
		}
		for k := range set.Namespaces { // their display names
			objs = append(objs, &set.Namespaces[k])
		}
		opts.At, opts.Source = at, "manifests "+strings.Join(o.paths, ", ")
	} else {
		if o.at != "" {
			return errors.New("--at applies to -f: a cluster's status is computed by its controllers")
		}
		if o.namespace != "" && o.allNamespaces {
			return errors.New("use --namespace or -A, not both")
		}
		ns := o.namespace
		if c == nil {
			var err error
			if c, ns, err = clusterClient(o.kubeconfig, o.kubeContext, o.namespace); err != nil {
				return err
			}
		}
		if o.allNamespaces {
			ns = ""
		}
		if objs, opts.Notes, opts.MeasurementsUnread, err = listConcord(ctx, c, ns); err != nil {
			return err
		}
		objs = append(objs, namespacesOf(ctx, c, objs)...)
		opts.Source = "cluster, namespace " + ns
		if ns == "" {
			opts.Source = "cluster, all namespaces"
		}
	}
	var b bytes.Buffer
	if err := write(&b, report.Build(objs, opts)); err != nil {
		return err
	}
	if o.format == "pdf" {
		pdf, err := report.PrintPDF(ctx, chromium, filepath.Dir(o.output), b.Bytes())
		if err != nil {
			return err
		}
		b.Reset()
		b.Write(pdf)
	}
	if o.output == "" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	return os.WriteFile(o.output, b.Bytes(), 0o644)
}

// listConcord lists the five Concord kinds in ns ("" for all). Indicators,
// mechanisms and plans are required; Measurements and Evidence hold
// breakdowns that only the concord-data-reader role may read, so a
// Forbidden there is a note in the report (no breakdown or reporting
// tables), not an error; measurementsUnread says so.
func listConcord(ctx context.Context, c client.Reader, ns string) (objs []client.Object, notes []string, measurementsUnread bool, err error) {
	var inds v1alpha1.IndicatorList
	var meas v1alpha1.MeasurementList
	var evs v1alpha1.EvidenceList
	var mechs v1alpha1.CooperationMechanismList
	var plans v1alpha1.ActionPlanList
	type kindList struct {
		kind     string
		list     client.ObjectList
		optional bool
		items    func() []client.Object
	}
	lists := []kindList{
		{"Indicators", &inds, false, func() []client.Object { return pointers(inds.Items) }},
		{"Measurements", &meas, true, func() []client.Object { return pointers(meas.Items) }},
		{"Evidence", &evs, true, func() []client.Object { return pointers(evs.Items) }},
		{"CooperationMechanisms", &mechs, false, func() []client.Object { return pointers(mechs.Items) }},
		{"ActionPlans", &plans, false, func() []client.Object { return pointers(plans.Items) }},
	}
	for _, l := range lists {
		err := c.List(ctx, l.list, client.InNamespace(ns))
		switch {
		case err == nil:
			objs = append(objs, l.items()...)
		case l.optional && apierrors.IsForbidden(err) && l.kind == "Measurements":
			measurementsUnread = true
			notes = append(notes, fmt.Sprintf("%s could not be read (forbidden): breakdown and reporting tables are left out.", l.kind))
		case l.optional && apierrors.IsForbidden(err):
			notes = append(notes, fmt.Sprintf("%s could not be read (forbidden): breakdown tables are left out.", l.kind))
		default:
			return nil, nil, false, fmt.Errorf("listing %s: %w", l.kind, err)
		}
	}
	return objs, notes, measurementsUnread, nil
}

// namespacesOf gets the Namespaces the objects are in, for their display
// names. A reader who may not get Namespaces (a cluster-scoped kind) gets
// the report with namespaces named after their names.
func namespacesOf(ctx context.Context, c client.Reader, objs []client.Object) []client.Object {
	seen := map[string]bool{}
	var out []client.Object
	for _, o := range objs {
		ns := o.GetNamespace()
		if ns == "" || seen[ns] {
			continue
		}
		seen[ns] = true
		var n corev1.Namespace
		if err := c.Get(ctx, client.ObjectKey{Name: ns}, &n); err == nil {
			out = append(out, &n)
		}
	}
	return out
}

func pointers[T any, P interface {
	*T
	client.Object
}](items []T) []client.Object {
	out := make([]client.Object, len(items))
	for i := range items {
		out[i] = P(&items[i])
	}
	return out
}
