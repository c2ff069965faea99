package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MechanismType is the form a cooperation mechanism takes.
// +kubebuilder:validation:Enum=TaskForce;InterMinisterialCouncil;NationalReferralMechanism;TransnationalReferralMechanism;Memorandum;WorkingGroup;JointInvestigationTeam;Coalition
type MechanismType string

// Mechanism types.
const (
	MechanismTaskForce                      MechanismType = "TaskForce"
	MechanismInterMinisterialCouncil        MechanismType = "InterMinisterialCouncil"
	MechanismNationalReferralMechanism      MechanismType = "NationalReferralMechanism"
	MechanismTransnationalReferralMechanism MechanismType = "TransnationalReferralMechanism"
	MechanismMemorandum                     MechanismType = "Memorandum"
	MechanismWorkingGroup                   MechanismType = "WorkingGroup"
	MechanismJointInvestigationTeam         MechanismType = "JointInvestigationTeam"
	MechanismCoalition                      MechanismType = "Coalition"
)

// MechanismLevel is the geographic level a mechanism works at.
// +kubebuilder:validation:Enum=Local;National;Regional;Transnational
type MechanismLevel string

// Sector is the kind of organization a member is.
// +kubebuilder:validation:Enum=Government;CivilSociety;CriminalJustice;DirectAssistance;InternationalOrganization;PrivateSector;HumanRightsInstitution;Academia
type Sector string

// InstrumentType is the kind of document that formalizes a mechanism.
// +kubebuilder:validation:Enum=MOU;SOP;TermsOfReference;Legislation;PlanOfAction;Guidelines
type InstrumentType string

// Member is an organization taking part in a mechanism.
type Member struct {
	// organization name; members are keyed by it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`organization must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Organization string `json:"organization"`

	// sector of the organization.
	// +required
	Sector Sector `json:"sector"`

	// role in the mechanism, free text: Chair, Secretariat, Member, Observer.
	// RolesDefined needs every member to have one.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`role must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Role string `json:"role,omitempty"`

	// responsibilities of the member; RolesDefined needs at least one.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`self.all(x, size(x.trim()) > 0 && !x.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'))`,message=`every entry of responsibilities must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Responsibilities []string `json:"responsibilities,omitempty"`
}

// Instrument is a document that formalizes the mechanism.
type Instrument struct {
	// type of the instrument.
	// +required
	Type InstrumentType `json:"type"`

	// title of the instrument; instruments are keyed by it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`title must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Title string `json:"title"`

	// evidenceRef names the Evidence, in this namespace, that verifies the
	// instrument. Formalized needs one that is Verified and not Expired.
	// +optional
	EvidenceRef *LocalObjectReference `json:"evidenceRef,omitempty"`
}

// Meetings states how often the mechanism meets and where its minutes are.
type Meetings struct {
	// maxIntervalDays is the longest allowed gap, in days, between now and
	// the newest verified minutes.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=3660
	MaxIntervalDays int32 `json:"maxIntervalDays"`

	// evidenceSelector selects the Evidence, in this namespace, that records
	// meetings (minutes), such as {matchLabels: {concord.dev/minutes-of: NAME}}.
	// +required
	EvidenceSelector LabelSelector `json:"evidenceSelector"`
}

// CooperationMechanismSpec declares a mechanism: its members, mandate,
// formalizing instruments and meeting cadence.
type CooperationMechanismSpec struct {
	// type of mechanism.
	// +required
	Type MechanismType `json:"type"`

	// level the mechanism works at.
	// +required
	Level MechanismLevel `json:"level"`

	// mandate of the mechanism, for people.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`mandate must be plain text without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Mandate string `json:"mandate,omitempty"`

	// members of the mechanism (at most 64), keyed by organization.
	// +optional
	// +listType=map
	// +listMapKey=organization
	// +kubebuilder:validation:MaxItems=64
	Members []Member `json:"members,omitempty"`

	// requiredSectors must each have a member for SectorsRepresented.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=8
	RequiredSectors []Sector `json:"requiredSectors,omitempty"`

	// instruments that formalize the mechanism (at most 32), keyed by title.
	// +optional
	// +listType=map
	// +listMapKey=title
	// +kubebuilder:validation:MaxItems=32
	Instruments []Instrument `json:"instruments,omitempty"`

	// meetings states the meeting cadence and where the minutes are.
	// Omitted, MeetingsRegular is False with reason NoMeetingEvidence.
	// +optional
	Meetings *Meetings `json:"meetings,omitempty"`

	// suspend stops evaluation, requeues and Events; status keeps its last
	// values.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// IndicatorCounts counts indicators by condition.
type IndicatorCounts struct {
	// total number of indicators.
	// +optional
	Total int32 `json:"total"`
	// targetMet counts those with TargetMet True.
	// +optional
	TargetMet int32 `json:"targetMet"`
	// onTrack counts those with OnTrack True.
	// +optional
	OnTrack int32 `json:"onTrack"`
	// evidenceMissing counts those with EvidenceMissing True.
	// +optional
	EvidenceMissing int32 `json:"evidenceMissing"`
	// dataOverdue counts those with DataOverdue True.
	// +optional
	DataOverdue int32 `json:"dataOverdue"`
}

// CooperationMechanismStatus is computed by Concord.
type CooperationMechanismStatus struct {
	// observedGeneration is the generation the status was computed for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Stalled, Formalized, RolesDefined,
	// SectorsRepresented, MeetingsRegular, IndicatorsOnTrack.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// indicators counts the Indicators whose mechanismRef names this
	// mechanism.
	// +optional
	Indicators *IndicatorCounts `json:"indicators,omitempty"`
}

// CooperationMechanism is a formal arrangement through which organizations
// cooperate: a task force, an inter-ministerial council, a national referral
// mechanism, a memorandum. Concord checks that it is formalized, that roles
// are defined, that the required sectors take part and that it meets.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=mech,categories=concord
// +kubebuilder:printcolumn:name="TYPE",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="FORMALIZED",type=string,JSONPath=`.status.conditions[?(@.type=="Formalized")].status`
// +kubebuilder:printcolumn:name="MEETINGS",type=string,JSONPath=`.status.conditions[?(@.type=="MeetingsRegular")].status`
// +kubebuilder:printcolumn:name="ON TRACK",type=string,JSONPath=`.status.conditions[?(@.type=="IndicatorsOnTrack")].status`
// +kubebuilder:printcolumn:name="READY",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type CooperationMechanism struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the mechanism.
	// +required
	Spec CooperationMechanismSpec `json:"spec"`

	// status is computed by Concord.
	// +optional
	Status CooperationMechanismStatus `json:"status,omitempty"`
}

// CooperationMechanismList is a list of CooperationMechanisms.
// +kubebuilder:object:root=true
type CooperationMechanismList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []CooperationMechanism `json:"items"`
}

func init() {
	SchemeBuilder.Register(&CooperationMechanism{}, &CooperationMechanismList{})
}
