package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/concord-operator/concord/internal/validate"
)

func newValidateCommand() *cobra.Command {
	var paths []string
	var output string
	var strict bool
	cmd := &cobra.Command{
		Use:   "validate -f PATH...",
		Short: "Check manifests offline against Concord's CRD schemas and CEL rules",
		Long: `validate reads manifests (files or directories, multi-document YAML) and
checks every Concord object as the API server would on kubectl apply with
strict field validation, with the API server's own libraries and the CRDs
built into concordctl: unknown fields, defaults, the OpenAPI schema, the CEL
rules and metadata.name. A document repeating the kind, namespace and name of
an earlier one is checked as an update of it, so immutability rules apply.
Objects without a namespace go to "default".

It then checks what the API server cannot: references to Indicators,
CooperationMechanisms and Evidence absent from the input, breakdown
dimensions and categories unknown to their Indicator, and Measurements their
Indicator in the input will not accept for their content (a period not of
its cadence or not yet started, a value not of its measure, a breakdown
table that does not hold as its disaggregations[].total says, or any figure
for an indicator that computes its own), as the controllers' evaluator decides at the
current time (errors); duplicates, ConfigMaps of evidence absent from the
input or unusable, and reportTime or collectionTime later than now plus the
clock skew allowed, which the cluster will not count (warnings).

Objects that are neither Concord's nor ConfigMaps or Namespaces are not
checked: each is named as skipped, and counted in the summary line. Files
that cannot be read, and paths that hold no manifest, are errors.

Each problem is printed as file:line: Kind namespace/name: field: message,
text from the manifests with control characters escaped. The last line
counts the objects checked and skipped, the errors and the warnings.
The exit status is 1 if there is an error, or with --strict a warning.`,
		Example: `  concordctl validate -f examples/national-plan
  concordctl validate -f indicators/ -f measurements/ --strict
  concordctl validate -f manifests/ -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runValidate(cmd.Context(), cmd.OutOrStdout(), paths, output, strict)
		},
	}
	cmd.Flags().StringSliceVarP(&paths, "filename", "f", nil, "Manifest files or directories (repeatable).")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "Output format: text or json.")
	cmd.Flags().BoolVar(&strict, "strict", false, "Fail on warnings too.")
	_ = cmd.MarkFlagRequired("filename")
	return cmd
}

// runValidate prints the report and returns an error when it fails, so
// that concordctl exits with status 1.
func runValidate(ctx context.Context, w io.Writer, paths []string, output string, strict bool) error {
	if output != "text" && output != "json" {
		return fmt.Errorf("--output %q: use text or json", output)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	v, err := validate.Default()
	if err != nil {
		return err
	}
	r := v.Paths(ctx, validate.Options{CrossObject: true}, paths...)
	if output == "json" {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
			return err
		}
	} else {
		printIssues(w, r)
		fmt.Fprintf(w, "%s checked%s: %s, %s\n", plural(r.Objects-len(r.Skipped), "object"), skippedCount(r),
			plural(len(r.Errors), "error"), plural(len(r.Warnings), "warning"))
	}
	if !r.OK(strict) {
		if len(r.Errors) == 0 {
			return fmt.Errorf("validation failed: %s (--strict)", plural(len(r.Warnings), "warning"))
		}
		return fmt.Errorf("validation failed: %s", plural(len(r.Errors), "error"))
	}
	return nil
}
