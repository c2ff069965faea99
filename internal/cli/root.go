// Package cli implements concordctl, the Concord command-line tool.
package cli

import (
	"github.com/spf13/cobra"

	"github.com/concord-operator/concord/internal/version"
)

// NewRootCommand returns the concordctl command tree.
func NewRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "concordctl",
		Short: "Concord: indicators of cooperation, checked continuously",
		Long: `concordctl works with Concord's manifests and clusters.

Concord tracks the indicators of national coordination bodies (task forces,
inter-ministerial councils, referral mechanisms) as Kubernetes resources and
computes whether targets are met, evidence is present and reporting is on time.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newDevCommand(), newEvaluateCommand(), newEvidenceCommand(), newValidateCommand(), newReportCommand())
	root.AddCommand(newImportCommand())
	root.AddCommand(newExportCommand())
	root.AddCommand(newVersionCommand())
	// concordctl --version prints what concordctl version does.
	root.Version = version.Get().String("concordctl")
	root.SetVersionTemplate("{{.Version}}\n")
	return root
}
