package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Period names a reporting period in the format of the indicator's cadence,
// year first: Monthly "2026-03", Quarterly "2026-Q1", SemiAnnual "2026-H1"
// or Annual "2026". Quote it in YAML: an unquoted 2026 is an integer and is
// refused.
// +kubebuilder:validation:MaxLength=7
// +kubebuilder:validation:XValidation:rule=`self.matches('^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$')`,message=`not a period: write it year first, in quotes, as "2026-03" (Monthly), "2026-Q3" (Quarterly), "2026-H1" (SemiAnnual) or "2026" (Annual)`,reason=FieldValueInvalid
type Period string

// Decimal is an exact value written as a string, in quotes: "true" or
// "false" for Boolean measures, otherwise a decimal number with at most 15
// integer and 6 fractional digits, such as "52", "-3" or "16.5" (an unquoted
// 60 is an integer and is refused: write "60"). Concord never converts it to
// floating point.
// +kubebuilder:validation:MaxLength=23
// +kubebuilder:validation:XValidation:rule=`self.matches('^(true|false|-?[0-9]{1,15}([.][0-9]{1,6})?)$')`,message=`not a number: write the figure alone, in quotes, such as "60", "-3" or "16.5" (digits and one decimal point; no words, units, spaces or exponents; at most 15 digits before the point and 6 after), or "true" or "false" for a Boolean measure`,reason=FieldValueInvalid
type Decimal string

// LocalObjectReference names an object of the referring object's own namespace.
type LocalObjectReference struct {
	// name of the referenced object, in the referrer's namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')`,message=`name must be the name of an object: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,reason=FieldValueInvalid
	Name string `json:"name"`
}

// VerificationMethod is a means of verification, as the handbooks name them.
// +kubebuilder:validation:Enum=DocumentReview;Interview;Observation;RecordsReview;ReportsReview;BudgetReview;Survey
type VerificationMethod string

// Means of verification.
const (
	MethodDocumentReview VerificationMethod = "DocumentReview"
	MethodInterview      VerificationMethod = "Interview"
	MethodObservation    VerificationMethod = "Observation"
	MethodRecordsReview  VerificationMethod = "RecordsReview"
	MethodReportsReview  VerificationMethod = "ReportsReview"
	MethodBudgetReview   VerificationMethod = "BudgetReview"
	MethodSurvey         VerificationMethod = "Survey"
)

// LabelSelector selects objects by their labels. It reads and writes as a
// Kubernetes label selector ({matchLabels, matchExpressions}), bounded so
// that its rules can be checked at admission: the API server and
// concordctl validate refuse what the controllers could not parse.
// +structType=atomic
// +kubebuilder:validation:XValidation:rule=`!has(self.matchLabels) || self.matchLabels.all(k, k.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'))`,message=`matchLabels keys are label keys: a name of at most 63 letters, digits, '-', '_' and '.', optionally after a DNS subdomain and '/', such as concord.dev/rollup`,fieldPath=`.matchLabels`,reason=FieldValueInvalid
type LabelSelector struct {
	// matchLabels selects objects whose labels hold every key and value
	// given (at most 32).
	// +optional
	// +kubebuilder:validation:MaxProperties=32
	MatchLabels map[string]LabelValue `json:"matchLabels,omitempty"`

	// matchExpressions select objects by requirements on their labels (at
	// most 16); an object must meet all of them.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// LabelValue is the value of a label: at most 63 letters, digits, '-', '_'
// and '.', starting and ending with a letter or digit, or empty.
// +kubebuilder:validation:MaxLength=63
// +kubebuilder:validation:XValidation:rule=`self.matches('^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$')`,message=`a label value is at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,reason=FieldValueInvalid
type LabelValue string

// LabelSelectorRequirement is one requirement on a label.
// +kubebuilder:validation:XValidation:rule=`self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : (!has(self.values) || size(self.values) == 0)`,messageExpression=`self.operator in ['In', 'NotIn'] ? 'operator ' + self.operator + ' needs values: list the label values to match' : 'operator ' + self.operator + ' takes no values: remove values'`,fieldPath=`.values`,reason=FieldValueInvalid
type LabelSelectorRequirement struct {
	// key of the label, such as concord.dev/rollup.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=317
	// +kubebuilder:validation:XValidation:rule=`self.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$')`,message=`key must be a label key: a name of at most 63 letters, digits, '-', '_' and '.', optionally after a DNS subdomain and '/', such as concord.dev/rollup`,reason=FieldValueInvalid
	Key string `json:"key"`

	// operator relates the label to values: In, NotIn, Exists or
	// DoesNotExist.
	// +required
	// +kubebuilder:validation:Enum=In;NotIn;Exists;DoesNotExist
	Operator metav1.LabelSelectorOperator `json:"operator"`

	// values of the label, for In and NotIn (at most 64); Exists and
	// DoesNotExist take none.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule=`self.all(v, v.matches('^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$'))`,message=`values are label values: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,reason=FieldValueInvalid
	Values []string `json:"values,omitempty"`
}

// Meta returns the selector as a Kubernetes label selector (nil for nil),
// for metav1.LabelSelectorAsSelector.
func (s *LabelSelector) Meta() *metav1.LabelSelector {
	if s == nil {
		return nil
	}
	out := &metav1.LabelSelector{}
	for k, v := range s.MatchLabels {
		if out.MatchLabels == nil {
			out.MatchLabels = map[string]string{}
		}
		out.MatchLabels[k] = string(v)
	}
	for _, r := range s.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, metav1.LabelSelectorRequirement{Key: r.Key, Operator: r.Operator, Values: r.Values})
	}
	return out
}
