// Command gen writes the per-kind Argo CD health checks from
// hack/argocd/health.lua.tmpl. Run it from the repository root.
package main

import (
	"fmt"
	"os"

	"github.com/concord-operator/concord/hack/argocd"
)

func main() {
	for _, k := range argocd.Kinds {
		b, err := argocd.Render(k)
		if err == nil {
			err = os.WriteFile(argocd.ScriptPath(k), b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
