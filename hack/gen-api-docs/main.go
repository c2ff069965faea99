// Command gen-api-docs writes docs/api.md, the API reference, from the
// generated CRDs (which controller-gen generates from api/v1alpha1), so the
// reference always says what the API server enforces.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/concord-operator/concord/internal/apidocs"
)

func main() {
	out := "docs/api.md"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	var b bytes.Buffer
	if err := apidocs.Write(&b); err != nil {
		fmt.Fprintln(os.Stderr, "gen-api-docs:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen-api-docs:", err)
		os.Exit(1)
	}
}
