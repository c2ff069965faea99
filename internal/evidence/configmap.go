// Package evidence reads and digests verification sources. It never copies
// content anywhere: it returns a digest, a size or a failure reason.
package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// Label marks the ConfigMaps that may serve as evidence; Concord reads and
// caches no other ConfigMap.
const Label = "concord.dev/evidence"

// Digest returns the "sha256:<hex>" digest of content.
func Digest(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ObserveConfigMap digests a key of an evidence ConfigMap (data, else
// binaryData). A ConfigMap without the evidence label is not read.
func ObserveConfigMap(cm *corev1.ConfigMap, key string) evaluate.Observation {
	if cm.Labels[Label] != "true" {
		return notFound(fmt.Sprintf("ConfigMap %q lacks the label %s: \"true\"", cm.Name, Label))
	}
	var content []byte
	if v, ok := cm.Data[key]; ok {
		content = []byte(v)
	} else if b, ok := cm.BinaryData[key]; ok {
		content = b
	} else {
		return notFound(fmt.Sprintf("ConfigMap %q has no key %q", cm.Name, key))
	}
	return evaluate.Observation{Digest: Digest(content), Size: int64(len(content))}
}

// MissingConfigMap is the observation of a ConfigMap that is not there (or
// not labelled, and so not in the manager's cache).
func MissingConfigMap(name, ns string) evaluate.Observation {
	return notFound(fmt.Sprintf("ConfigMap %q with label %s: \"true\" does not exist in namespace %q", name, Label, ns))
}

func notFound(msg string) evaluate.Observation {
	return evaluate.Observation{FailReason: v1alpha1.ReasonSourceNotFound, FailMessage: msg}
}
