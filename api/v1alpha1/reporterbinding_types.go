package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ReporterBindingName is the name of a namespace's ReporterBinding: a
// namespace has at most one, and the admission policy reads only that one.
const ReporterBindingName = "reporters"

// ReporterEntry binds one reporter name to the identities that may report
// under it.
// +kubebuilder:validation:XValidation:rule=`(has(self.users) ? size(self.users) : 0) + (has(self.groups) ? size(self.groups) : 0) > 0`,message=`each reporter lists at least one user or group that may report under its name`
type ReporterEntry struct {
	// name is the reporter name as Measurements give it in spec.reporter,
	// such as "NGO shelter network". Matched exactly, case included.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`name must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Name string `json:"name"`

	// users may report under this name: usernames exactly as the API server
	// authenticates them, such as "alice@ngo-a.example" (OIDC) or
	// "system:serviceaccount:ngo-a:uploader" (a ServiceAccount); at most 64.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=512
	Users []string `json:"users,omitempty"`

	// groups whose members may report under this name, as the API server
	// authenticates them (an OIDC groups claim, or
	// "system:serviceaccounts:ngo-a" for every ServiceAccount of a
	// namespace); at most 64.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=512
	Groups []string `json:"groups,omitempty"`
}

// ReporterBindingSpec lists who may report under which reporter name in the
// namespace.
type ReporterBindingSpec struct {
	// reporters are the reporter names that may be used in this namespace,
	// each with the users and groups that may use it (at most 256, keyed by
	// name). A Measurement whose spec.reporter is not listed here, or whose
	// author is not among its users and groups, is refused, unless the author
	// may report-as-any (cluster administrators, GitOps controllers bound to
	// concord-gitops-reporter).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=256
	Reporters []ReporterEntry `json:"reporters,omitempty"`
}

// ReporterBinding declares, for its namespace, who may report under which
// reporter name. Each namespace that takes Measurements has exactly one,
// named "reporters", written by the namespace's editors (concord-editor);
// the ValidatingAdmissionPolicy concord-reporter-binding refuses a Measurement
// whose spec.reporter is not bound to the user creating or changing it, and
// every Measurement of a namespace without a ReporterBinding.
// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=rptb
// +kubebuilder:validation:XValidation:rule=`self.metadata.name == 'reporters'`,message=`a namespace has one ReporterBinding, named reporters: the admission policy reads no other`
type ReporterBinding struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec lists the namespace's reporter names and who may use each.
	// +required
	Spec ReporterBindingSpec `json:"spec"`
}

// ReporterBindingList is a list of ReporterBindings.
// +kubebuilder:object:root=true
type ReporterBindingList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ReporterBinding `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ReporterBinding{}, &ReporterBindingList{})
}
