package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ActionPlanSpec declares a national plan of action: its span and the
// indicators and mechanisms its scorecard rolls up.
// +kubebuilder:validation:XValidation:rule=`self.start <= self.end`,messageExpression=`'start ' + self.start + ' comes after end ' + self.end`,fieldPath=`.end`,reason=FieldValueInvalid
type ActionPlanSpec struct {
	// title of the plan.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`title must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Title string `json:"title"`

	// start is the first period of the plan, such as "2025-Q1".
	// +required
	Start Period `json:"start"`

	// end is the last period of the plan, such as "2027-Q4".
	// +required
	End Period `json:"end"`

	// indicatorSelector selects the plan's Indicators by label; {} selects
	// all.
	// +required
	IndicatorSelector LabelSelector `json:"indicatorSelector"`

	// mechanismSelector selects the plan's CooperationMechanisms by label;
	// {} selects all, omitted selects none.
	// +optional
	MechanismSelector *LabelSelector `json:"mechanismSelector,omitempty"`

	// namespaceSelector selects other namespaces to roll up. A namespace is
	// rolled up only if it matches and itself carries the label
	// concord.dev/rollup: "true" (its consent). Omitted: the plan's own
	// namespace only.
	// +optional
	NamespaceSelector *LabelSelector `json:"namespaceSelector,omitempty"`

	// onTrackThreshold is the percent of indicators that must have TargetMet
	// or OnTrack True for the plan to be on track (default 80).
	// +optional
	// +kubebuilder:default=80
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	OnTrackThreshold *int32 `json:"onTrackThreshold,omitempty"`

	// suspend stops evaluation, requeues and Events; status keeps its last
	// values.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// AreaScore counts a plan's indicators of one area.
type AreaScore struct {
	// area counted.
	// +required
	Area Area `json:"area"`

	// indicators is the number of indicators of the area.
	// +optional
	Indicators int32 `json:"indicators"`
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

// MechanismTypeScore counts a plan's mechanisms of one type.
type MechanismTypeScore struct {
	// type counted.
	// +required
	Type MechanismType `json:"type"`

	// total number of mechanisms of the type.
	// +optional
	Total int32 `json:"total"`
	// ready counts those with Ready True.
	// +optional
	Ready int32 `json:"ready"`
	// formalized counts those with Formalized True.
	// +optional
	Formalized int32 `json:"formalized"`
	// meetingsRegular counts those with MeetingsRegular True.
	// +optional
	MeetingsRegular int32 `json:"meetingsRegular"`
}

// Scorecard holds counts only: no names or messages from other namespaces.
type Scorecard struct {
	// indicators is the number of indicators the plan selects.
	// +optional
	Indicators int32 `json:"indicators"`
	// targetMet counts those with TargetMet True.
	// +optional
	TargetMet int32 `json:"targetMet"`
	// onTrack counts those with TargetMet or OnTrack True.
	// +optional
	OnTrack int32 `json:"onTrack"`

	// areas counts indicators per area.
	// +optional
	// +listType=map
	// +listMapKey=area
	// +kubebuilder:validation:MaxItems=4
	Areas []AreaScore `json:"areas,omitempty"`

	// mechanismTypes counts mechanisms per type.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	MechanismTypes []MechanismTypeScore `json:"mechanismTypes,omitempty"`
}

// ActionPlanStatus is computed by Concord.
type ActionPlanStatus struct {
	// observedGeneration is the generation the status was computed for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Stalled, OnTrack.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// scorecard of the plan.
	// +optional
	Scorecard *Scorecard `json:"scorecard,omitempty"`
}

// ActionPlan is a national plan of action and its scorecard, rolled up from
// the indicators and mechanisms it selects, across consenting namespaces.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=plan,categories=concord
// +kubebuilder:printcolumn:name="INDICATORS",type=integer,JSONPath=`.status.scorecard.indicators`
// +kubebuilder:printcolumn:name="MET",type=integer,JSONPath=`.status.scorecard.targetMet`
// +kubebuilder:printcolumn:name="ON TRACK",type=string,JSONPath=`.status.conditions[?(@.type=="OnTrack")].status`
// +kubebuilder:printcolumn:name="READY",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type ActionPlan struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the plan.
	// +required
	Spec ActionPlanSpec `json:"spec"`

	// status is computed by Concord.
	// +optional
	Status ActionPlanStatus `json:"status,omitempty"`
}

// ActionPlanList is a list of ActionPlans.
// +kubebuilder:object:root=true
type ActionPlanList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ActionPlan `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ActionPlan{}, &ActionPlanList{})
}
