package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manager"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

const examplePlan = "../../examples/national-plan"

func offlineReport(t *testing.T, format string) string {
	t.Helper()
	var out bytes.Buffer
	o := reportOptions{paths: []string{examplePlan}, at: "2026-11-21T00:00:00Z", format: format}
	if err := runReport(context.Background(), &out, o, fixed, nil); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestReportFormats(t *testing.T) {
	md := offlineReport(t, "markdown")
	for _, want := range []string{"# National Plan of Action against Trafficking 2025-2027", "Evaluated offline as of 21 November 2026",
		"## Summary", "## Protection", "## Cooperation mechanisms", "## Action plans", "| Other | suppressed |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(offlineReport(t, "csv"))).ReadAll()
	if err != nil || len(rows) != 33 {
		t.Errorf("csv: %d rows, %v; want a header and 32 indicators", len(rows), err)
	}
	if h := offlineReport(t, "html"); !strings.HasPrefix(h, "<!DOCTYPE html>") || !strings.Contains(h, "<svg") {
		t.Error("html is not a page with charts")
	}
}

func TestReportCommandWritesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	cmd := NewRootCommand()
	var stdout bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetArgs([]string{"report", "-f", examplePlan, "--at", "2026-11-21T00:00:00Z", "--format", "html", "-o", path, "--title", "Quarterly <review>"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<title>Quarterly &lt;review&gt;</title>") || stdout.Len() != 0 {
		t.Errorf("-o wrote %d bytes (title missing?) and %d to stdout", len(b), stdout.Len())
	}
}

func TestReportRefusals(t *testing.T) {
	for name, tc := range map[string]struct {
		o    reportOptions
		want string
	}{
		"format":            {reportOptions{paths: []string{examplePlan}, format: "docx"}, "--format \"docx\""},
		"locale":            {reportOptions{paths: []string{examplePlan}, format: "html", locale: "de"}, `--locale: locale "de" is not supported: use one of en, fr`},
		"pdf to stdout":     {reportOptions{paths: []string{examplePlan}, format: "pdf"}, "--format pdf writes a file: give it with -o"},
		"missing chromium":  {reportOptions{paths: []string{examplePlan}, format: "pdf", output: "r.pdf", chromium: "/no/such/chromium"}, `--chromium "/no/such/chromium"`},
		"chromium not pdf":  {reportOptions{paths: []string{examplePlan}, format: "html", chromium: "chromium"}, "--chromium applies to --format pdf"},
		"at":                {reportOptions{paths: []string{examplePlan}, format: "csv", at: "tomorrow"}, "RFC 3339"},
		"-f with -A":        {reportOptions{paths: []string{examplePlan}, format: "csv", allNamespaces: true}, "-f evaluates manifests offline"},
		"--at with cluster": {reportOptions{format: "csv", at: "2026-11-21T00:00:00Z"}, "--at applies to -f"},
		"-n with -A":        {reportOptions{format: "csv", namespace: "x", allNamespaces: true}, "not both"},
		"missing manifests": {reportOptions{paths: []string{"testdata/does-not-exist"}, format: "csv"}, "does-not-exist"},
	} {
		t.Run(name, func(t *testing.T) {
			err := runReport(context.Background(), &bytes.Buffer{}, tc.o, fixed, fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

// clusterOf is a fake cluster holding the example, with the status the
// offline evaluation computed (as the controllers would have).
func clusterOf(t *testing.T, funcs interceptor.Funcs) client.Reader {
	t.Helper()
	objs, err := manifest.LoadPaths(examplePlan)
	if err != nil {
		t.Fatal(err)
	}
	set, err := offline.Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	var live []client.Object
	for _, r := range set.Evaluate(fixed) {
		live = append(live, r.Object)
	}
	for k := range set.Namespaces {
		live = append(live, &set.Namespaces[k])
	}
	return fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(live...).WithInterceptorFuncs(funcs).Build()
}

func TestReportFromCluster(t *testing.T) {
	c := clusterOf(t, interceptor.Funcs{})
	var out bytes.Buffer
	if err := runReport(context.Background(), &out, reportOptions{format: "markdown", allNamespaces: true}, fixed, c); err != nil {
		t.Fatal(err)
	}
	fromCluster := out.String()
	if !strings.Contains(fromCluster, "Status as computed by the controllers in the cluster. Source: cluster, all namespaces.") {
		t.Errorf("cluster report does not say where its status comes from:\n%s", firstLines(fromCluster, 3))
	}
	// Apart from the provenance line, the cluster's report is the offline one.
	if a, b := dropLine(fromCluster, 2), dropLine(offlineReport(t, "markdown"), 2); a != b {
		t.Errorf("the report from the cluster differs from the offline one:\n%s\n---\n%s", firstLines(a, 20), firstLines(b, 20))
	}

	out.Reset()
	if err := runReport(context.Background(), &out, reportOptions{format: "csv", namespace: "protection"}, fixed, c); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&out).ReadAll()
	for _, r := range rows[1:] {
		if r[0] != "protection" {
			t.Errorf("--namespace protection lists %s/%s", r[0], r[1])
		}
	}
	if len(rows) != 6 {
		t.Errorf("%d rows for namespace protection, want a header and 5 indicators", len(rows))
	}
}

func TestReportFromClusterWithoutMeasurements(t *testing.T) {
	forbidden := interceptor.Funcs{List: func(ctx context.Context, c client.WithWatch, list client.ObjectList, opts ...client.ListOption) error {
		switch list.(type) {
		case *v1alpha1.MeasurementList, *v1alpha1.EvidenceList:
			return apierrors.NewForbidden(schema.GroupResource{Group: v1alpha1.GroupVersion.Group, Resource: "measurements"}, "", nil)
		}
		return c.List(ctx, list, opts...)
	}}
	var out bytes.Buffer
	if err := runReport(context.Background(), &out, reportOptions{format: "markdown", allNamespaces: true}, fixed, clusterOf(t, forbidden)); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	if !strings.Contains(md, "Measurements could not be read (forbidden)") || strings.Contains(md, "### Breakdown") {
		t.Errorf("a viewer without Measurements gets no note, or breakdowns:\n%s", firstLines(md, 8))
	}
	// Without Measurements no reporter's figure is known: a reporting table
	// would call every expected reporter missing.
	if strings.Contains(md, "### Reporting of") {
		t.Error("a viewer without Measurements gets a reporting table")
	}

	failing := interceptor.Funcs{List: func(ctx context.Context, c client.WithWatch, list client.ObjectList, opts ...client.ListOption) error {
		if _, ok := list.(*v1alpha1.IndicatorList); ok {
			return apierrors.NewForbidden(schema.GroupResource{Group: v1alpha1.GroupVersion.Group, Resource: "indicators"}, "", nil)
		}
		return c.List(ctx, list, opts...)
	}}
	err := runReport(context.Background(), &out, reportOptions{format: "markdown", allNamespaces: true}, fixed, clusterOf(t, failing))
	if err == nil || !strings.Contains(err.Error(), "listing Indicators") {
		t.Errorf("error %v, want listing Indicators to fail the report", err)
	}
}

func dropLine(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(append(lines[:n:n], lines[n+1:]...), "\n")
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// TestReportLocale: --locale writes numbers, dates and periods for its
// readers; CSV keeps the values as the status holds them.
func TestReportLocale(t *testing.T) {
	const nnbsp = "\u202f"
	for locale, want := range map[string][]string{
		"":   {"1,020,000 USD", "47.5%", "Q3 2026", "21 November 2026"},
		"en": {"1,020,000 USD", "47.5%", "Q3 2026", "21 November 2026"},
		"fr": {"1" + nnbsp + "020" + nnbsp + "000 USD", "47,5" + nnbsp + "%", "T3 2026", "21 novembre 2026"},
	} {
		for _, format := range []string{"markdown", "html"} {
			var out bytes.Buffer
			o := reportOptions{paths: []string{examplePlan}, at: "2026-11-21T00:00:00Z", format: format, locale: locale}
			if err := runReport(context.Background(), &out, o, fixed, nil); err != nil {
				t.Fatal(err)
			}
			for _, w := range want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("--locale %q --format %s lacks %q", locale, format, w)
				}
			}
		}
	}
	var out bytes.Buffer
	o := reportOptions{paths: []string{examplePlan}, at: "2026-11-21T00:00:00Z", format: "csv", locale: "fr"}
	if err := runReport(context.Background(), &out, o, fixed, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), ",1020000,") || strings.Contains(out.String(), "novembre") {
		t.Error("the CSV is not the status's values")
	}
}

// TestReportPDFWithoutChromium: with no Chromium on PATH, --format pdf
// fails at once, saying how to install one.
func TestReportPDFWithoutChromium(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	o := reportOptions{paths: []string{examplePlan}, format: "pdf", output: filepath.Join(t.TempDir(), "r.pdf")}
	err := runReport(context.Background(), &bytes.Buffer{}, o, fixed, nil)
	if err == nil || !strings.Contains(err.Error(), "no Chromium found") || !strings.Contains(err.Error(), "--chromium") {
		t.Errorf("error %v", err)
	}
	if _, statErr := os.Stat(o.output); !os.IsNotExist(statErr) {
		t.Error("a file was written")
	}
}

// TestReportPDF: concordctl report --format pdf -o FILE prints the HTML
// report with the Chromium given by --chromium and writes its PDF to
// FILE. A stand-in Chromium records what it was asked and prints a
// stand-in PDF; internal/report's TestPDF prints with a real one.
func TestReportPDF(t *testing.T) {
	dir := t.TempDir()
	fakeChromium := filepath.Join(dir, "chromium")
	script := `#!/bin/sh
for a in "$@"; do
  case "$a" in
    --print-to-pdf=*) out="${a#--print-to-pdf=}" ;;
    file://*) page="${a#file://}" ;;
  esac
done
echo "$@" > "$0.args"
cp "$page" "$0.html"
printf '%%PDF-1.4 stand-in' > "$out"
`
	if err := os.WriteFile(fakeChromium, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "out", "report.pdf")
	if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := NewRootCommand()
	cmd.SetArgs([]string{"report", "-f", examplePlan, "--at", "2026-11-21T00:00:00Z", "--format", "pdf", "--locale", "fr", "-o", path, "--chromium", fakeChromium})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "%PDF-1.4 stand-in" {
		t.Errorf("%s holds %q, %v", path, b, err)
	}
	args, _ := os.ReadFile(fakeChromium + ".args")
	for _, want := range []string{"--headless", "--no-pdf-header-footer", "--print-to-pdf=" + filepath.Dir(path) + "/.concord-report-"} {
		if !strings.Contains(string(args), want) {
			t.Errorf("Chromium was run without %q: %s", want, args)
		}
	}
	page, _ := os.ReadFile(fakeChromium + ".html")
	if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) || !strings.Contains(string(page), "21 novembre 2026") {
		t.Errorf("Chromium was not given the French HTML report (%d bytes)", len(page))
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".concord-report-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
