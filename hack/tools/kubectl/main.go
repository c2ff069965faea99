// Command kubectl is the stock kubectl, built from source so that make dev
// and the tests need no prebuilt download.
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
)

func main() {
	cli.Run(cmd.NewDefaultKubectlCommand())
}
