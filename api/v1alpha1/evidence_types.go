package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SourceType says where an Evidence's content is.
// +kubebuilder:validation:Enum=ConfigMap;URL;Attestation
type SourceType string

// Source types.
const (
	SourceConfigMap   SourceType = "ConfigMap"
	SourceURL         SourceType = "URL"
	SourceAttestation SourceType = "Attestation"
)

// ConfigMapSource names a key of a ConfigMap in the Evidence's namespace.
type ConfigMapSource struct {
	// name of the ConfigMap. It must carry the label concord.dev/evidence:
	// "true"; Concord reads no other ConfigMap.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')`,message=`name must be the name of an object: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,reason=FieldValueInvalid
	Name string `json:"name"`

	// key in data or binaryData whose content is the evidence.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	Key string `json:"key"`
}

// AttestationSource is a statement by a named person or body.
type AttestationSource struct {
	// attestedBy names the attesting role or body, such as "Head of
	// Secretariat".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`attestedBy must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	AttestedBy string `json:"attestedBy"`

	// statement attested, such as "Minutes read and approved".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`statement must be plain text: not blank, and without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Statement string `json:"statement"`
}

// EvidenceSource is where the evidence is: exactly the member that matches
// type is set.
// +kubebuilder:validation:XValidation:rule=`(self.type == 'ConfigMap') == has(self.configMap)`,messageExpression=`self.type == 'ConfigMap' ? 'source.type ConfigMap needs source.configMap {name, key}' : 'source.configMap is set but source.type is ' + self.type + ': set only the member matching type'`
// +kubebuilder:validation:XValidation:rule=`(self.type == 'URL') == has(self.url)`,messageExpression=`self.type == 'URL' ? 'source.type URL needs source.url' : 'source.url is set but source.type is ' + self.type + ': set only the member matching type'`
// +kubebuilder:validation:XValidation:rule=`(self.type == 'Attestation') == has(self.attestation)`,messageExpression=`self.type == 'Attestation' ? 'source.type Attestation needs source.attestation {attestedBy, statement}' : 'source.attestation is set but source.type is ' + self.type + ': set only the member matching type'`
type EvidenceSource struct {
	// type of the source: ConfigMap, URL or Attestation.
	// +required
	Type SourceType `json:"type"`

	// configMap holds the content (type ConfigMap).
	// +optional
	ConfigMap *ConfigMapSource `json:"configMap,omitempty"`

	// url of the document (type URL): https only, fetched only from hosts the
	// manager allows, with no credentials.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule=`isURL(self) && url(self).getScheme() == 'https' && url(self).getHostname() != ''`,message=`url must be an absolute https:// URL`
	// +kubebuilder:validation:XValidation:rule=`!self.matches('^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*@')`,message=`url must not carry credentials (user:password@)`
	URL string `json:"url,omitempty"`

	// attestation is a statement by a named role (type Attestation).
	// +optional
	Attestation *AttestationSource `json:"attestation,omitempty"`
}

// EvidenceSpec is a means of verification whose content Concord checks.
// +kubebuilder:validation:XValidation:rule=`!has(self.digest) || self.source.type != 'Attestation'`,message=`an Attestation has no content to digest: remove digest`,fieldPath=`.digest`,reason=FieldValueForbidden
type EvidenceSpec struct {
	// method of verification the evidence serves.
	// +required
	Method VerificationMethod `json:"method"`

	// description of the evidence, for people.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`description must be plain text without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Description string `json:"description,omitempty"`

	// collectionTime is when the evidence was collected (RFC 3339).
	// +required
	CollectionTime metav1.Time `json:"collectionTime"`

	// validForDays after collectionTime the evidence expires. Omitted, it
	// never expires.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=36500
	ValidForDays *int32 `json:"validForDays,omitempty"`

	// source of the content.
	// +required
	Source EvidenceSource `json:"source"`

	// digest expected of the content, "sha256:" and 64 hex digits. Omitted,
	// the first digest seen is pinned in status.observedDigest; `concordctl
	// evidence pin` writes it here for Git.
	// +optional
	// +kubebuilder:validation:Pattern=`^sha256:[a-f0-9]{64}$`
	Digest string `json:"digest,omitempty"`

	// suspend stops verification, requeues and Events; status keeps its
	// last values.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// EvidenceStatus is computed by Concord. It never holds remote content.
type EvidenceStatus struct {
	// observedGeneration is the generation the status was computed for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Stalled, Verified, Expired.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedDigest is the sha256 of the content last seen; without
	// spec.digest it is pinned at the first verification.
	// +optional
	ObservedDigest string `json:"observedDigest,omitempty"`

	// lastVerifiedTime is when the content was last checked.
	// +optional
	LastVerifiedTime *metav1.Time `json:"lastVerifiedTime,omitempty"`

	// expirationTime is collectionTime + validForDays.
	// +optional
	ExpirationTime *metav1.Time `json:"expirationTime,omitempty"`

	// sizeBytes of the content last seen.
	// +optional
	SizeBytes int64 `json:"sizeBytes,omitempty"`
}

// Evidence is a verification source (a document, records, minutes or an
// attestation) whose content Concord digests, pins and expires.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=evd,categories=concord
// +kubebuilder:printcolumn:name="METHOD",type=string,JSONPath=`.spec.method`
// +kubebuilder:printcolumn:name="VERIFIED",type=string,JSONPath=`.status.conditions[?(@.type=="Verified")].status`
// +kubebuilder:printcolumn:name="EXPIRED",type=string,JSONPath=`.status.conditions[?(@.type=="Expired")].status`
// +kubebuilder:printcolumn:name="READY",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type Evidence struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the source.
	// +required
	Spec EvidenceSpec `json:"spec"`

	// status is computed by Concord.
	// +optional
	Status EvidenceStatus `json:"status,omitempty"`
}

// EvidenceList is a list of Evidence.
// +kubebuilder:object:root=true
type EvidenceList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Evidence `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Evidence{}, &EvidenceList{})
}
