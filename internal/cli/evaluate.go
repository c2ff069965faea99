package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/offline"
	"github.com/concord-operator/concord/internal/textsafe"
	"github.com/concord-operator/concord/internal/validate"
)

func newEvaluateCommand() *cobra.Command {
	var paths []string
	var at, output string
	cmd := &cobra.Command{
		Use:   "evaluate -f PATH...",
		Short: "Compute the status of manifests offline, as the controllers would",
		Long: `evaluate reads manifests (files or directories, multi-document YAML),
evaluates every Concord object at --at with the functions the controllers use,
and prints the objects with their computed status. ConfigMap evidence is
digested from the ConfigMaps in the set; URL evidence is not fetched (Pending).

It first checks the manifests as 'concordctl validate' does (at the current
time, whatever --at says): if the API server would refuse an object, or an
object refers to one absent from the set, it prints the errors on standard
error, as file:line: Kind namespace/name: field: message, evaluates nothing
and exits with status 1. Warnings are printed there too, and so is each
object that is neither Concord's nor a ConfigMap or Namespace (skipped).`,
		Example: `  concordctl evaluate -f examples/national-plan
  concordctl evaluate -f indicators/ --at 2026-10-01T00:00:00Z -o yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now := time.Now().UTC()
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return fmt.Errorf("--at %q is not an RFC 3339 time such as 2026-10-01T00:00:00Z", at)
				}
				now = t
			}
			return runEvaluate(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), paths, now, output)
		},
	}
	cmd.Flags().StringSliceVarP(&paths, "filename", "f", nil, "Manifest files or directories (repeatable).")
	cmd.Flags().StringVar(&at, "at", "", "Evaluate at this RFC 3339 time (default: now).")
	cmd.Flags().StringVarP(&output, "output", "o", "table", "Output format: table, yaml or json.")
	_ = cmd.MarkFlagRequired("filename")
	return cmd
}

// runEvaluate validates the manifests of paths and, if no object is in
// error, evaluates them at now and prints them to w. Errors, warnings and
// skipped objects go to stderr, so that w holds only the output asked for.
func runEvaluate(ctx context.Context, w, stderr io.Writer, paths []string, now time.Time, output string) error {
	if output != "table" && output != "yaml" && output != "json" {
		return fmt.Errorf("--output %q: use table, yaml or json", output)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	v, err := validate.Default()
	if err != nil {
		return err
	}
	objs, r := v.Load(ctx, validate.Options{CrossObject: true}, paths...)
	printIssues(stderr, r)
	if len(r.Errors) > 0 {
		return fmt.Errorf("validation failed: %s; nothing was evaluated", plural(len(r.Errors), "error"))
	}
	set, err := offline.Decode(objs)
	if err != nil {
		return errors.New(textsafe.Escape(err.Error()))
	}
	results := set.Evaluate(now)
	switch output {
	case "table":
		err = printTable(w, results)
	default:
		err = printList(w, results, output)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(stderr, "%s evaluated%s\n", plural(len(results), "Concord object"), skippedCount(r))
	}
	return err
}

// printList prints a v1 List of the evaluated objects.
func printList(w io.Writer, results []offline.Result, format string) error {
	list := map[string]any{"apiVersion": "v1", "kind": "List", "items": []any{}}
	items := []any{}
	for _, r := range results {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(r.Object)
		if err != nil {
			return err
		}
		gvk := r.Source.GVK()
		u["apiVersion"], u["kind"] = gvk.GroupVersion().String(), gvk.Kind
		items = append(items, u)
	}
	list["items"] = items
	var b []byte
	var err error
	if format == "json" {
		b, err = json.MarshalIndent(list, "", "  ")
		b = append(b, '\n')
	} else {
		b, err = yaml.Marshal(list)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// printTable prints one table per kind, with the columns kubectl shows.
func printTable(w io.Writer, results []offline.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	for _, k := range tableKinds {
		var rows [][]string
		for _, r := range results {
			if r.Source.GVK().Kind == k.kind {
				rows = append(rows, append([]string{r.Object.GetNamespace(), r.Object.GetName()}, k.row(r.Object)...))
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\n", k.kind)
		writeRow(tw, append([]string{"NAMESPACE", "NAME"}, k.headers...))
		for _, row := range rows {
			writeRow(tw, row)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// writeRow writes a row of cells, text from manifests escaped (a title or
// reporter cannot clear the terminal or reverse the columns).
func writeRow(w io.Writer, cells []string) {
	for i, c := range cells {
		c = textsafe.Escape(c)
		if c == "" {
			c = "<none>"
		}
		if i > 0 {
			fmt.Fprint(w, "\t")
		}
		fmt.Fprint(w, c)
	}
	fmt.Fprintln(w)
}

type tableKind struct {
	kind    string
	headers []string
	row     func(any) []string
}

func status(conds []metav1.Condition, t string) string {
	if c := meta.FindStatusCondition(conds, t); c != nil {
		return string(c.Status)
	}
	return ""
}

var tableKinds = []tableKind{
	{"Indicator", []string{"AREA", "VALUE", "TARGET", "MET", "EVIDENCE MISSING", "OVERDUE", "READY"}, func(o any) []string {
		i := o.(*v1alpha1.Indicator)
		v := ""
		if i.Status.Current != nil {
			v = i.Status.Current.Display
		}
		c := i.Status.Conditions
		return []string{string(i.Spec.Area), v, i.Status.TargetDisplay, status(c, v1alpha1.ConditionTargetMet),
			status(c, v1alpha1.ConditionEvidenceMissing), status(c, v1alpha1.ConditionDataOverdue), status(c, v1alpha1.ConditionReady)}
	}},
	{"Measurement", []string{"INDICATOR", "PERIOD", "REPORTER", "ACCEPTED", "SUPERSEDED", "VERIFIED", "READY"}, func(o any) []string {
		m := o.(*v1alpha1.Measurement)
		c := m.Status.Conditions
		return []string{m.Spec.IndicatorRef.Name, string(m.Spec.Period), m.Spec.Reporter, status(c, v1alpha1.ConditionAccepted),
			status(c, v1alpha1.ConditionSuperseded), status(c, v1alpha1.ConditionVerified), status(c, v1alpha1.ConditionReady)}
	}},
	{"Evidence", []string{"METHOD", "VERIFIED", "EXPIRED", "READY"}, func(o any) []string {
		e := o.(*v1alpha1.Evidence)
		c := e.Status.Conditions
		return []string{string(e.Spec.Method), status(c, v1alpha1.ConditionVerified), status(c, v1alpha1.ConditionExpired), status(c, v1alpha1.ConditionReady)}
	}},
	{"CooperationMechanism", []string{"TYPE", "FORMALIZED", "MEETINGS", "ON TRACK", "READY"}, func(o any) []string {
		m := o.(*v1alpha1.CooperationMechanism)
		c := m.Status.Conditions
		return []string{string(m.Spec.Type), status(c, v1alpha1.ConditionFormalized), status(c, v1alpha1.ConditionMeetingsRegular),
			status(c, v1alpha1.ConditionIndicatorsOnTrack), status(c, v1alpha1.ConditionReady)}
	}},
	{"ActionPlan", []string{"INDICATORS", "MET", "ON TRACK", "READY"}, func(o any) []string {
		p := o.(*v1alpha1.ActionPlan)
		n, met := "", ""
		if sc := p.Status.Scorecard; sc != nil {
			n, met = fmt.Sprint(sc.Indicators), fmt.Sprint(sc.TargetMet)
		}
		return []string{n, met, status(p.Status.Conditions, v1alpha1.ConditionOnTrack), status(p.Status.Conditions, v1alpha1.ConditionReady)}
	}},
}
