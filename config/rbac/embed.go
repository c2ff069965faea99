// Package rbac embeds the hand-written admission policies of config/rbac, so
// that `concordctl dev` can install them without a checkout of the
// repository.
package rbac

import _ "embed"

// ReporterBindingPolicy is reporter_binding_policy.yaml: the
// ValidatingAdmissionPolicy concord-reporter-binding and its binding.
//
//go:embed reporter_binding_policy.yaml
var ReporterBindingPolicy []byte
