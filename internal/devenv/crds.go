// Package devenv runs a local Concord environment: an etcd and a
// kube-apiserver started from binaries on disk, the CRDs and the
// reporter-binding admission policy installed, a scenario applied and the
// manager running against it.
package devenv

import (
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/concord-operator/concord/config"
)

// CRDs returns the CustomResourceDefinitions embedded in the binary.
func CRDs() ([]*apiextensionsv1.CustomResourceDefinition, error) { return config.LoadCRDs() }
