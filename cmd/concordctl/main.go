// Command concordctl is the Concord command-line tool.
package main

import (
	"fmt"
	"os"

	"github.com/concord-operator/concord/internal/cli"
)

func main() {
	if err := cli.NewRootCommand().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
