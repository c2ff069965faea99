package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Category names a category of a dimension, such as female or "18+".
// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`a category must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=63
type Category string

// BreakdownCell is one cell of a measurement's breakdown.
// +kubebuilder:validation:XValidation:rule=`has(self.value) ? !has(self.numerator) && !has(self.denominator) : has(self.numerator) && has(self.denominator)`,messageExpression=`!has(self.value) && has(self.numerator) != has(self.denominator) ? 'a Ratio breakdown cell gives both numerator and denominator' : 'a breakdown cell gives either value, or numerator and denominator (Ratio indicators), not both'`
type BreakdownCell struct {
	// categories name the cell: dimension to category, such as {gender:
	// female, age: "18+"}. Dimensions and categories must be declared by the
	// indicator.
	// +required
	// +kubebuilder:validation:MinProperties=1
	// +kubebuilder:validation:MaxProperties=8
	// +kubebuilder:validation:XValidation:rule=`self.all(k, size(k) <= 63)`,message=`dimension names are at most 63 characters`
	// +kubebuilder:validation:XValidation:rule=`self.all(k, k.matches('^[A-Za-z][A-Za-z0-9_.-]*$'))`,message=`dimension names start with a letter and hold only letters, digits, '_', '.' and '-', as the indicator's disaggregations[].dimension`,reason=FieldValueInvalid
	Categories map[string]Category `json:"categories"`

	// value of the cell.
	// +optional
	Value *Decimal `json:"value,omitempty"`

	// numerator of the cell, for Ratio indicators.
	// +optional
	Numerator *Decimal `json:"numerator,omitempty"`

	// denominator of the cell, for Ratio indicators.
	// +optional
	Denominator *Decimal `json:"denominator,omitempty"`
}

// InlineEvidence is a means of verification declared in the Measurement
// itself. It counts only for indicators whose verification level is Declared.
type InlineEvidence struct {
	// method of verification.
	// +required
	Method VerificationMethod `json:"method"`

	// description of the source, such as "Shelter case records Q1". Never
	// names of victims or case identifiers.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`description must be plain text: not blank, and without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Description string `json:"description"`

	// collectionTime is when the evidence was collected; indicators with
	// verification.maxAgeDays count only evidence that carries it.
	// +optional
	CollectionTime *metav1.Time `json:"collectionTime,omitempty"`
}

// Approval records who approved a Measurement.
type Approval struct {
	// approvedBy names the approving body or role.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`approvedBy must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	ApprovedBy string `json:"approvedBy"`

	// approvalTime is when it was approved.
	// +optional
	ApprovalTime *metav1.Time `json:"approvalTime,omitempty"`
}

// MeasurementSpec is one report of an indicator's value for a period. It is
// immutable except evidence, evidenceRefs and approval: a correction is a new
// Measurement from the same reporter, which supersedes this one and keeps the
// audit trail.
// +kubebuilder:validation:XValidation:rule=`has(self.value) ? !has(self.numerator) && !has(self.denominator) : has(self.numerator) && has(self.denominator)`,messageExpression=`!has(self.value) && has(self.numerator) != has(self.denominator) ? 'a Ratio measurement gives both numerator and denominator' : 'give either value, or numerator and denominator (Ratio indicators), not both and not neither'`
// +kubebuilder:validation:XValidation:rule=`has(self.value) == has(oldSelf.value) && has(self.numerator) == has(oldSelf.numerator) && has(self.denominator) == has(oldSelf.denominator) && has(self.reportTime) == has(oldSelf.reportTime) && has(self.breakdown) == has(oldSelf.breakdown)`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
type MeasurementSpec struct {
	// indicatorRef names the Indicator, in this namespace, being reported.
	// +required
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	IndicatorRef LocalObjectReference `json:"indicatorRef"`

	// period reported, in the indicator's cadence format, year first and in
	// quotes: "2026-Q1", "2026-03", "2026-H1" or "2026".
	// +required
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	Period Period `json:"period"`

	// value for the period, in the measure's units, as a string in quotes
	// (value: "60"; an unquoted 60 is an integer and is refused): the
	// figure alone, "true"/"false" for Boolean, the 0-based position in
	// measure.levels for Level. Ratio indicators give numerator and
	// denominator instead.
	// +optional
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	Value *Decimal `json:"value,omitempty"`

	// numerator of a Ratio measurement.
	// +optional
	// +kubebuilder:validation:XValidation:rule=`!self.startsWith('-') && !(self in ['true', 'false'])`,message=`numerator must be a number of 0 or more`,reason=FieldValueInvalid
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	Numerator *Decimal `json:"numerator,omitempty"`

	// denominator of a Ratio measurement, greater than 0.
	// +optional
	// +kubebuilder:validation:XValidation:rule=`!self.startsWith('-') && self.matches('[1-9]')`,message=`denominator must be a number greater than 0`,reason=FieldValueInvalid
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	Denominator *Decimal `json:"denominator,omitempty"`

	// breakdown of the value by the indicator's disaggregations (at most 256
	// cells). Aggregates only: never case records.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:XValidation:rule=`[self.map(c, c.categories)].all(l, l.all(x, l.exists_one(y, y == x)))`,message=`breakdown cells must each name different categories: two cells with the same categories would count the same people twice; merge them into one cell`,reason=FieldValueInvalid
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	Breakdown []BreakdownCell `json:"breakdown,omitempty"`

	// reporter is who reports, such as "NGO shelter network". Within one
	// indicator, period and reporter the newest report wins.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`reporter must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Reporter string `json:"reporter"`

	// reportTime is when the figure was reported; it orders corrections.
	// Omitted, the creation time is used.
	// +optional
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`a Measurement's spec is immutable except evidence, evidenceRefs and approval: report a correction as a new Measurement from the same reporter, which supersedes this one`
	ReportTime *metav1.Time `json:"reportTime,omitempty"`

	// evidence declared inline (at most 16); it counts only at verification
	// level Declared.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	Evidence []InlineEvidence `json:"evidence,omitempty"`

	// evidenceRefs name Evidence objects in this namespace (at most 16).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:XValidation:rule=`self.all(r, self.exists_one(s, s.name == r.name))`,message=`evidenceRefs must name each Evidence once: remove the repeated name`,reason=FieldValueInvalid
	EvidenceRefs []LocalObjectReference `json:"evidenceRefs,omitempty"`

	// approval of the figure, required when the indicator sets
	// verification.approvalRequired.
	// +optional
	Approval *Approval `json:"approval,omitempty"`
}

// MeasurementStatus is computed by Concord.
type MeasurementStatus struct {
	// observedGeneration is the generation the status was computed for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Stalled, Accepted, Superseded, Verified.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Measurement is one reporter's figure for one period of an Indicator, with
// its means of verification.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=meas,categories=concord
// +kubebuilder:printcolumn:name="INDICATOR",type=string,JSONPath=`.spec.indicatorRef.name`
// +kubebuilder:printcolumn:name="PERIOD",type=string,JSONPath=`.spec.period`
// +kubebuilder:printcolumn:name="REPORTER",type=string,JSONPath=`.spec.reporter`
// +kubebuilder:printcolumn:name="ACCEPTED",type=string,JSONPath=`.status.conditions[?(@.type=="Accepted")].status`
// +kubebuilder:printcolumn:name="SUPERSEDED",type=string,JSONPath=`.status.conditions[?(@.type=="Superseded")].status`
// +kubebuilder:printcolumn:name="VERIFIED",type=string,JSONPath=`.status.conditions[?(@.type=="Verified")].status`
// +kubebuilder:printcolumn:name="READY",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type Measurement struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the report.
	// +required
	Spec MeasurementSpec `json:"spec"`

	// status is computed by Concord.
	// +optional
	Status MeasurementStatus `json:"status,omitempty"`
}

// MeasurementList is a list of Measurements.
// +kubebuilder:object:root=true
type MeasurementList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Measurement `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Measurement{}, &MeasurementList{})
}
