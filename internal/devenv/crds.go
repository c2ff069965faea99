// Package devenv runs a local Concord environment: an etcd and a
// kube-apiserver started from binaries on disk, the CRDs installed, a
// scenario applied and the manager running against it.
package devenv

import (
	"fmt"
	"io/fs"
	"path"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/concord-operator/concord/config"
)

// CRDs returns the CustomResourceDefinitions embedded in the binary.
func CRDs() ([]*apiextensionsv1.CustomResourceDefinition, error) {
	entries, err := fs.ReadDir(config.CRDs, config.CRDDir)
	if err != nil {
		return nil, fmt.Errorf("reading the embedded CRDs: %w", err)
	}
	var crds []*apiextensionsv1.CustomResourceDefinition
	for _, e := range entries {
		name := path.Join(config.CRDDir, e.Name())
		data, err := fs.ReadFile(config.CRDs, name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.UnmarshalStrict(data, crd); err != nil {
			return nil, fmt.Errorf("decoding %s: %w", name, err)
		}
		crds = append(crds, crd)
	}
	return crds, nil
}
