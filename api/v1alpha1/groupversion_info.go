// Package v1alpha1 contains the Concord API: indicators of cooperation between
// the members of a national coordination body, the measurements reported
// against them, the evidence that verifies those measurements, the cooperation
// mechanisms themselves and the action plans that roll them up.
//
// +kubebuilder:object:generate=true
// +groupName=monitoring.concord.dev
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of the Concord API.
	GroupVersion = schema.GroupVersion{Group: "monitoring.concord.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the Concord kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the Concord kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
