package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
)

func newEvidenceCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "evidence", Short: "Work with Evidence manifests"}
	cmd.AddCommand(newPinCommand())
	return cmd
}

func newPinCommand() *cobra.Command {
	var paths []string
	var fromCluster bool
	var kubeconfig string
	cmd := &cobra.Command{
		Use:   "pin -f PATH...",
		Short: "Write observed digests into Evidence manifests' spec.digest",
		Long: `pin writes the digest of each Evidence's content into its manifest's
spec.digest, so that the pin survives re-creating the object from Git (a digest
pinned only in status.observedDigest is lost then). Offline, it digests the
ConfigMaps found among the manifests; with --from-cluster it copies each
Evidence's status.observedDigest where the cluster verified it. Files are
edited in place; Evidence that already has a digest is left alone.`,
		Example: `  concordctl evidence pin -f examples/national-plan
  concordctl evidence pin -f evidence/ --from-cluster --kubeconfig ~/.kube/config`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			objs, loadErr := manifest.LoadPaths(paths...)
			set, decodeErr := offline.Decode(objs)
			if err := errors.Join(loadErr, decodeErr); err != nil {
				return err
			}
			pins, notes := set.PinsFromSet()
			if fromCluster {
				var err error
				if pins, notes, err = pinsFromCluster(cmd.Context(), kubeconfig, set); err != nil {
					return err
				}
			}
			return writePins(cmd.OutOrStdout(), pins, notes)
		},
	}
	cmd.Flags().StringSliceVarP(&paths, "filename", "f", nil, "Manifest files or directories (repeatable).")
	cmd.Flags().BoolVar(&fromCluster, "from-cluster", false, "Copy status.observedDigest from the cluster instead of digesting offline.")
	cmd.Flags().StringVar(&kubeconfig, "kubeconfig", "", "Kubeconfig for --from-cluster (default: the usual loading rules).")
	_ = cmd.MarkFlagRequired("filename")
	return cmd
}

func writePins(w io.Writer, pins []offline.Pin, notes []string) error {
	for _, n := range notes {
		fmt.Fprintln(w, "skipped:", n)
	}
	if err := offline.WritePins(pins); err != nil {
		return err
	}
	for _, p := range pins {
		fmt.Fprintf(w, "pinned: %s: %s: %s\n", p.Source.Location(), p.Source.Describe(), p.Digest)
	}
	return nil
}

// pinsFromCluster reads each Evidence's verified observedDigest.
func pinsFromCluster(ctx context.Context, kubeconfig string, set *offline.Set) ([]offline.Pin, []string, error) {
	c, _, err := clusterClient(kubeconfig, "", "")
	if err != nil {
		return nil, nil, err
	}
	var pins []offline.Pin
	var notes []string
	for _, r := range set.Results() {
		e, ok := r.Object.(*v1alpha1.Evidence)
		if !ok || e.Spec.Digest != "" || e.Spec.Source.Type == v1alpha1.SourceAttestation {
			continue
		}
		live := &v1alpha1.Evidence{}
		if err := c.Get(ctx, client.ObjectKeyFromObject(e), live); err != nil {
			notes = append(notes, fmt.Sprintf("%s: %s: %v", r.Source.Location(), r.Source.Describe(), err))
			continue
		}
		if !meta.IsStatusConditionTrue(live.Status.Conditions, v1alpha1.ConditionVerified) || live.Status.ObservedDigest == "" {
			notes = append(notes, fmt.Sprintf("%s: %s: not Verified in the cluster", r.Source.Location(), r.Source.Describe()))
			continue
		}
		pins = append(pins, offline.Pin{Source: r.Source, Digest: live.Status.ObservedDigest})
	}
	return pins, notes, nil
}
