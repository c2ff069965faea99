package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/concord-operator/concord/internal/version"
)

func newVersionCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date of concordctl",
		Long: `Print the version, commit and build date of concordctl: those stamped by the
Makefile (make build, make release), or, for a build that was not stamped, "dev"
and the commit recorded by the Go toolchain.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printVersion(cmd.OutOrStdout(), version.Get(), output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "Output format: text or json.")
	return cmd
}

func printVersion(w io.Writer, v version.Info, output string) error {
	switch output {
	case "text":
		_, err := fmt.Fprintln(w, v.String("concordctl"))
		return err
	case "json":
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(v)
	default:
		return fmt.Errorf("unknown output format %q: use text or json", output)
	}
}
