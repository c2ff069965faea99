package v1alpha1

// Period names a reporting period in the format of the indicator's cadence:
// Monthly "2026-03", Quarterly "2026-Q1", SemiAnnual "2026-H1" or Annual
// "2026". Quote it in YAML: an unquoted 2026 is an integer and is refused.
// +kubebuilder:validation:Pattern=`^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$`
// +kubebuilder:validation:MaxLength=7
type Period string

// Decimal is an exact value written as a string: "true" or "false" for
// Boolean measures, otherwise a decimal number with at most 15 integer and 6
// fractional digits, such as "52", "-3" or "16.5". Concord never converts it
// to floating point.
// +kubebuilder:validation:Pattern=`^(true|false|-?[0-9]{1,15}(\.[0-9]{1,6})?)$`
// +kubebuilder:validation:MaxLength=23
type Decimal string

// LocalObjectReference names an object of the referring object's own namespace.
type LocalObjectReference struct {
	// name of the referenced object, in the referrer's namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
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
