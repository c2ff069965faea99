package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Area is the field of counter-trafficking work an indicator belongs to.
// +kubebuilder:validation:Enum=Prevention;Protection;Prosecution;Partnership
type Area string

// Areas.
const (
	AreaPrevention  Area = "Prevention"
	AreaProtection  Area = "Protection"
	AreaProsecution Area = "Prosecution"
	AreaPartnership Area = "Partnership"
)

// MeasureType is the kind of value an indicator takes.
// +kubebuilder:validation:Enum=Boolean;Count;Amount;Percentage;Ratio;Level
type MeasureType string

// Measure types.
const (
	MeasureBoolean    MeasureType = "Boolean"
	MeasureCount      MeasureType = "Count"
	MeasureAmount     MeasureType = "Amount"
	MeasurePercentage MeasureType = "Percentage"
	MeasureRatio      MeasureType = "Ratio"
	MeasureLevel      MeasureType = "Level"
)

// Cadence is how often an indicator is reported; it names the period format.
// +kubebuilder:validation:Enum=Monthly;Quarterly;SemiAnnual;Annual
type Cadence string

// Cadences.
const (
	CadenceMonthly    Cadence = "Monthly"
	CadenceQuarterly  Cadence = "Quarterly"
	CadenceSemiAnnual Cadence = "SemiAnnual"
	CadenceAnnual     Cadence = "Annual"
)

// Aggregation is how the periods of an indicator make its current value.
// +kubebuilder:validation:Enum=PerPeriod;Cumulative;Latest
type Aggregation string

// Aggregations.
const (
	AggregationPerPeriod  Aggregation = "PerPeriod"
	AggregationCumulative Aggregation = "Cumulative"
	AggregationLatest     Aggregation = "Latest"
)

// TargetOperator is how the current value is compared with the target.
// +kubebuilder:validation:Enum=Equals;AtLeast;AtMost;IncreaseByPercent;DecreaseByPercent;IncreaseByPoints;DecreaseByPoints
type TargetOperator string

// Target operators.
const (
	OperatorEquals            TargetOperator = "Equals"
	OperatorAtLeast           TargetOperator = "AtLeast"
	OperatorAtMost            TargetOperator = "AtMost"
	OperatorIncreaseByPercent TargetOperator = "IncreaseByPercent"
	OperatorDecreaseByPercent TargetOperator = "DecreaseByPercent"
	OperatorIncreaseByPoints  TargetOperator = "IncreaseByPoints"
	OperatorDecreaseByPoints  TargetOperator = "DecreaseByPoints"
)

// MethodsRequired says whether every listed verification method must be
// covered, or any one of them.
// +kubebuilder:validation:Enum=All;Any
type MethodsRequired string

// MethodsRequired values.
const (
	MethodsAll MethodsRequired = "All"
	MethodsAny MethodsRequired = "Any"
)

// VerificationLevel says which evidence counts.
// +kubebuilder:validation:Enum=Declared;Verified
type VerificationLevel string

// Verification levels.
const (
	LevelDeclared VerificationLevel = "Declared"
	LevelVerified VerificationLevel = "Verified"
)

// YearLabel says which calendar year names a fiscal year.
// +kubebuilder:validation:Enum=StartYear;EndYear
type YearLabel string

// Year labels.
const (
	YearLabelStart YearLabel = "StartYear"
	YearLabelEnd   YearLabel = "EndYear"
)

// DisaggregationTotal says how a dimension's table of cells relates to the
// measurement's value.
// +kubebuilder:validation:Enum=Equal;AtMost;Overlapping;NotAdditive
type DisaggregationTotal string

// Disaggregation totals.
const (
	// TotalEqual: the dimension's cells sum to the value (the default for
	// Count, Amount and Ratio).
	TotalEqual DisaggregationTotal = "Equal"
	// TotalAtMost: the cells sum to at most the value; the remainder is
	// "not stated" (the sex or age of a few persons was not recorded).
	TotalAtMost DisaggregationTotal = "AtMost"
	// TotalOverlapping: each cell is at most the value, and the cells may sum
	// to more (a person may fall in several categories, such as forms of
	// exploitation).
	TotalOverlapping DisaggregationTotal = "Overlapping"
	// TotalNotAdditive: each cell is its subgroup's own figure (a rate per
	// 100,000 of that subgroup, an average), neither summed nor compared
	// with the value (the default for Percentage and Level).
	TotalNotAdditive DisaggregationTotal = "NotAdditive"
)

// MechanismCondition names a CooperationMechanism condition an indicator
// can take its value from.
// +kubebuilder:validation:Enum=Formalized;RolesDefined;SectorsRepresented;MeetingsRegular
type MechanismCondition string

// DerivedOperation is how a derived indicator combines its inputs.
// +kubebuilder:validation:Enum=Ratio;Sum;Difference
type DerivedOperation string

// Derived operations.
const (
	// DerivedRatio: the first input divided by the second, times
	// measure.scale.
	DerivedRatio DerivedOperation = "Ratio"
	// DerivedSum: the sum of the inputs.
	DerivedSum DerivedOperation = "Sum"
	// DerivedDifference: the first input minus the second.
	DerivedDifference DerivedOperation = "Difference"
)

// Measure describes the values of an indicator.
// +kubebuilder:validation:XValidation:rule=`self.type == 'Level' ? has(self.levels) : !has(self.levels)`,message=`measure.levels lists the ordered level names of a Level measure (2 to 10, e.g. [None, Low, Medium, High]) and is set only for type Level`
// +kubebuilder:validation:XValidation:rule=`!has(self.scale) || self.type == 'Ratio'`,message=`measure.scale applies only to type Ratio; remove it or use type Ratio`
// +kubebuilder:validation:XValidation:rule=`!has(self.fromMechanism) || self.type == 'Boolean'`,message=`measure.fromMechanism takes a mechanism's condition as the value, which is "true" or "false": use type Boolean`,fieldPath=`.fromMechanism`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`self.type != 'Amount' || has(self.unit)`,message=`an Amount measure needs measure.unit (a currency such as USD, or hours)`
type Measure struct {
	// type of the values: Boolean ("true"/"false"), Count (a whole number),
	// Amount (a decimal in unit), Percentage (0 to 100), Ratio (measurements
	// give numerator and denominator; value = sum of numerators / sum of
	// denominators x scale) or Level (an ordinal: a value is the 0-based
	// position of a name in levels).
	// +required
	Type MeasureType `json:"type"`

	// unit of the values, for people: persons, cases, USD, hours.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`unit must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Unit string `json:"unit,omitempty"`

	// scale multiplies a Ratio: "100" (the default) for percent, "100000"
	// for "per 100,000 persons".
	// +optional
	// +kubebuilder:validation:XValidation:rule=`!self.startsWith('-') && self.matches('[1-9]')`,messageExpression=`'measure.scale ' + self + ' must be a number above 0, such as "100" for percent or "100000" for per 100,000'`,reason=FieldValueInvalid
	Scale *Decimal `json:"scale,omitempty"`

	// levels are the ordered names of a Level measure, lowest first. A
	// value is the 0-based position of a name: with [None, Low, Medium,
	// High], "2" is Medium.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MinItems=2
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:XValidation:rule=`self.all(x, size(x.trim()) > 0 && !x.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'))`,message=`every entry of levels must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Levels []string `json:"levels,omitempty"`

	// fromMechanism takes a Boolean indicator's value from a condition of
	// the CooperationMechanism named by spec.mechanismRef instead of from
	// Measurements: Formalized, RolesDefined, SectorsRepresented or
	// MeetingsRegular. The value is "true" when the condition is True; for
	// MeetingsRegular each period's value is computed from the meeting
	// evidence (true when no gap between meetings within the period is
	// longer than meetings.maxIntervalDays), so history and overdue work as
	// for reported indicators.
	// +optional
	FromMechanism MechanismCondition `json:"fromMechanism,omitempty"`
}

// Baseline is the reference value the target and progress are measured from.
type Baseline struct {
	// period the baseline was measured in, in the cadence's format.
	// +required
	Period Period `json:"period"`

	// value at the baseline, in the measure's units.
	// +required
	Value Decimal `json:"value"`
}

// Target is the value an indicator aims for.
type Target struct {
	// operator compares the current value with value. Equals applies to
	// Boolean and Level; AtLeast and AtMost to all but Boolean;
	// IncreaseByPercent and DecreaseByPercent (relative to a baseline above
	// 0) to Count, Amount, Percentage and Ratio; IncreaseByPoints and
	// DecreaseByPoints (absolute change from the baseline) to Percentage and
	// Ratio.
	// +required
	Operator TargetOperator `json:"operator"`

	// value of the target: a value of the measure for Equals, AtLeast and
	// AtMost; the size of the change (above 0) for the Increase and Decrease
	// operators, in percent of the baseline or in points.
	// +required
	Value Decimal `json:"value"`

	// deadline is the period by which the target is to be met, in the
	// cadence's format. When it has closed unmet, TargetMet is False with
	// reason DeadlineMissed. It also ends reporting unless reportingEnd is
	// set.
	// +optional
	Deadline Period `json:"deadline,omitempty"`
}

// Milestone is an intermediate value to reach by a period.
type Milestone struct {
	// period of the milestone, in the cadence's format.
	// +required
	Period Period `json:"period"`

	// value to reach by then, in the measure's units.
	// +required
	Value Decimal `json:"value"`
}

// Disaggregation declares a dimension measurements may break their value
// down by.
type Disaggregation struct {
	// dimension name, such as gender, age or countryOfOrigin.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9_.-]*$`
	Dimension string `json:"dimension"`

	// categories the dimension accepts. Omitted: any category is accepted
	// (an open dimension such as countryOfOrigin).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule=`self.all(x, size(x.trim()) > 0 && !x.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'))`,message=`every entry of categories must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Categories []string `json:"categories,omitempty"`

	// required: every measurement gives this dimension's table (cells that
	// name the dimension alone, or cross cells that name it with others).
	// How the table relates to the value is set by total.
	// +optional
	Required bool `json:"required,omitempty"`

	// total says how the dimension's table relates to the value: Equal (the
	// cells sum to the value; the default for Count, Amount and Ratio),
	// AtMost (they sum to at most the value; the remainder is "not stated"),
	// Overlapping (each cell is at most the value, and the cells may sum to
	// more, as with forms of exploitation), or NotAdditive (each cell is its
	// subgroup's own figure, such as a rate per 100,000 of that subgroup,
	// neither summed nor compared with the value; the default for Percentage
	// and Level). A table that does not hold is BreakdownInconsistent.
	// +optional
	Total DisaggregationTotal `json:"total,omitempty"`
}

// Verification states the means of verification a measurement needs.
type Verification struct {
	// methods of verification the evidence must cover.
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=7
	Methods []VerificationMethod `json:"methods"`

	// methodsRequired is All (the default: every method is covered) or Any
	// (one suffices).
	// +optional
	// +kubebuilder:default=All
	MethodsRequired MethodsRequired `json:"methodsRequired,omitempty"`

	// level is Declared (the default: evidence listed inline in the
	// Measurement counts) or Verified (only Evidence objects that are
	// Verified and not Expired count).
	// +optional
	// +kubebuilder:default=Declared
	Level VerificationLevel `json:"level,omitempty"`

	// minSources is the number of distinct evidence items required (default 1).
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=32
	MinSources int32 `json:"minSources,omitempty"`

	// maxAgeDays: evidence collected more than this many days before the
	// end of the measured period does not count.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=36500
	MaxAgeDays *int32 `json:"maxAgeDays,omitempty"`

	// approvalRequired: only Measurements with spec.approval count.
	// +optional
	ApprovalRequired bool `json:"approvalRequired,omitempty"`

	// dataSources describe where the data comes from, for people (such as
	// "Direct assistance providers").
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`self.all(x, size(x.trim()) > 0 && !x.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'))`,message=`every entry of dataSources must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	DataSources []string `json:"dataSources,omitempty"`
}

// Calendar sets the year periods are counted in.
type Calendar struct {
	// yearStartMonth is the month (1-12) the reporting year starts in; 1 (the
	// default) is the calendar year, 7 a July-June fiscal year.
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=12
	YearStartMonth int32 `json:"yearStartMonth,omitempty"`

	// yearLabel names a year that spans two calendar years by the year it
	// starts in (StartYear, the default) or ends in (EndYear). With
	// yearStartMonth 7 and EndYear, "2026" runs from 2025-07-01 to 2026-07-01
	// and "2026-Q1" is July to September 2025.
	// +optional
	// +kubebuilder:default=StartYear
	YearLabel YearLabel `json:"yearLabel,omitempty"`
}

// Disclosure limits what is shown of breakdowns.
type Disclosure struct {
	// minCellSize: no figure below this count is published. Reports, CSV,
	// HTML and exports show small breakdown cells and totals as "<N" and
	// withhold further cells until no hidden cell, and no sum of hidden
	// cells below N, can be worked out from what is shown. Status and
	// metrics, read by authorised users only, carry exact totals and never
	// breakdown cells.
	// +required
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=1000
	MinCellSize int32 `json:"minCellSize"`
}

// DerivedInput is an Indicator of the namespace a derived indicator takes
// values from.
type DerivedInput struct {
	// name of the Indicator, in this namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')`,message=`name must be the name of an Indicator: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,reason=FieldValueInvalid
	Name string `json:"name"`

	// categories select one cell of the input's breakdown instead of its
	// value: dimension to category, such as {gender: female}. The input's
	// value for a period is then that cell, summed over its counted
	// Measurements.
	// +optional
	// +kubebuilder:validation:MaxProperties=8
	// +kubebuilder:validation:XValidation:rule=`self.all(k, k.matches('^[A-Za-z][A-Za-z0-9_.-]*$') && size(k) <= 63)`,message=`dimension names start with a letter and hold only letters, digits, '_', '.' and '-', as the input's disaggregations[].dimension`,reason=FieldValueInvalid
	Categories map[string]Category `json:"categories,omitempty"`
}

// Derived computes an indicator's value per period from other Indicators of
// its namespace instead of from Measurements.
// +kubebuilder:validation:XValidation:rule=`self.operation == 'Sum' || size(self.inputs) == 2`,messageExpression=`'derived.operation ' + self.operation + ' takes exactly 2 inputs: ' + (self.operation == 'Ratio' ? 'the numerator, then the denominator' : 'the first minus the second')`,fieldPath=`.inputs`,reason=FieldValueInvalid
type Derived struct {
	// operation combines the inputs' values of each period: Ratio (the
	// first divided by the second, times measure.scale), Sum, or Difference
	// (the first minus the second).
	// +required
	Operation DerivedOperation `json:"operation"`

	// inputs are the Indicators whose values are combined (2 to 8; Ratio
	// and Difference take exactly 2). A period has a value when every input
	// has one for it.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=2
	// +kubebuilder:validation:MaxItems=8
	Inputs []DerivedInput `json:"inputs"`
}

// Reporting states who is expected to report.
type Reporting struct {
	// expectedReporters must each have a counted figure for a due period
	// before it counts as reported (at most 64 names, as Measurements give
	// them in spec.reporter). DataOverdue names the missing ones.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`self.all(x, size(x.trim()) > 0 && !x.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'))`,message=`every entry of expectedReporters must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	ExpectedReporters []string `json:"expectedReporters,omitempty"`
}

// IndicatorSpec declares what is measured, how often, against which target
// and with which means of verification. Concord stores aggregates only: no
// field is meant for names of victims or case identifiers.
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || self.target.operator in {'Boolean': ['Equals'], 'Level': ['Equals', 'AtLeast', 'AtMost'], 'Count': ['AtLeast', 'AtMost', 'IncreaseByPercent', 'DecreaseByPercent'], 'Amount': ['AtLeast', 'AtMost', 'IncreaseByPercent', 'DecreaseByPercent'], 'Percentage': ['AtLeast', 'AtMost', 'IncreaseByPercent', 'DecreaseByPercent', 'IncreaseByPoints', 'DecreaseByPoints'], 'Ratio': ['AtLeast', 'AtMost', 'IncreaseByPercent', 'DecreaseByPercent', 'IncreaseByPoints', 'DecreaseByPoints']}[self.measure.type]`,messageExpression=`'target.operator ' + self.target.operator + ' does not apply to a ' + self.measure.type + ' measure: use ' + {'Boolean': 'Equals with value "true" or "false"', 'Level': 'Equals, AtLeast or AtMost', 'Count': 'AtLeast, AtMost, IncreaseByPercent or DecreaseByPercent', 'Amount': 'AtLeast, AtMost, IncreaseByPercent or DecreaseByPercent', 'Percentage': 'AtLeast, AtMost, IncreaseByPercent, DecreaseByPercent, IncreaseByPoints or DecreaseByPoints', 'Ratio': 'AtLeast, AtMost, IncreaseByPercent, DecreaseByPercent, IncreaseByPoints or DecreaseByPoints'}[self.measure.type]`,fieldPath=`.target.operator`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || !(self.target.operator in ['IncreaseByPercent', 'DecreaseByPercent', 'IncreaseByPoints', 'DecreaseByPoints']) || has(self.baseline)`,messageExpression=`'target.operator ' + self.target.operator + ' measures change from a baseline: set spec.baseline {period, value}, or use AtLeast or AtMost with an absolute value'`,fieldPath=`.target.operator`,reason=FieldValueRequired
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || !has(self.baseline) || !(self.target.operator in ['IncreaseByPercent', 'DecreaseByPercent']) || (!self.baseline.value.startsWith('-') && self.baseline.value.matches('[1-9]'))`,messageExpression=`'target.operator ' + self.target.operator + ' needs a baseline value greater than 0 (baseline.value is ' + self.baseline.value + '): use IncreaseByPoints, DecreaseByPoints, AtLeast or AtMost instead'`,fieldPath=`.baseline.value`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || !(self.target.operator in ['IncreaseByPercent', 'DecreaseByPercent', 'IncreaseByPoints', 'DecreaseByPoints']) || (!self.target.value.startsWith('-') && self.target.value.matches('[1-9]'))`,messageExpression=`'target.value ' + self.target.value + ' must be greater than 0: for ' + self.target.operator + ' it is the size of the change'`,fieldPath=`.target.value`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || self.target.operator != 'DecreaseByPercent' || self.target.value.matches('^(100([.]0+)?|[0-9]{1,2}([.][0-9]+)?)$')`,message=`target.value of DecreaseByPercent cannot exceed 100 (a decrease of more than 100% is impossible)`,fieldPath=`.target.value`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || !(self.target.operator in ['Equals', 'AtLeast', 'AtMost']) || (self.measure.type == 'Boolean' ? self.target.value in ['true', 'false'] : (!(self.target.value in ['true', 'false']) && (self.measure.type == 'Count' ? self.target.value.matches('^[0-9]+$') : self.measure.type == 'Percentage' ? self.target.value.matches('^([0-9]{1,2}([.][0-9]+)?|100([.]0+)?)$') : self.measure.type == 'Level' ? (self.target.value.matches('^[0-9]+$') && has(self.measure.levels) && int(self.target.value) < size(self.measure.levels)) : self.measure.type == 'Ratio' ? !self.target.value.startsWith('-') : true)))`,messageExpression=`'target.value ' + self.target.value + ' is not a ' + self.measure.type + ' value: write ' + {'Boolean': '"true" or "false"', 'Count': 'a whole number of 0 or more', 'Amount': 'a decimal number', 'Percentage': 'a number from 0 to 100', 'Ratio': 'a number of 0 or more', 'Level': 'the 0-based position of a name in measure.levels'}[self.measure.type]`,fieldPath=`.target.value`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.baseline) || (self.measure.type == 'Boolean' ? self.baseline.value in ['true', 'false'] : (!(self.baseline.value in ['true', 'false']) && (self.measure.type == 'Count' ? self.baseline.value.matches('^[0-9]+$') : self.measure.type == 'Percentage' ? self.baseline.value.matches('^([0-9]{1,2}([.][0-9]+)?|100([.]0+)?)$') : self.measure.type == 'Level' ? (self.baseline.value.matches('^[0-9]+$') && has(self.measure.levels) && int(self.baseline.value) < size(self.measure.levels)) : self.measure.type == 'Ratio' ? !self.baseline.value.startsWith('-') : true)))`,messageExpression=`'baseline.value ' + self.baseline.value + ' is not a ' + self.measure.type + ' value: write ' + {'Boolean': '"true" or "false"', 'Count': 'a whole number of 0 or more', 'Amount': 'a decimal number', 'Percentage': 'a number from 0 to 100', 'Ratio': 'a number of 0 or more', 'Level': 'the 0-based position of a name in measure.levels'}[self.measure.type]`,fieldPath=`.baseline.value`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.milestones) || self.milestones.all(m, self.measure.type == 'Boolean' ? m.value in ['true', 'false'] : (!(m.value in ['true', 'false']) && (self.measure.type == 'Count' ? m.value.matches('^[0-9]+$') : self.measure.type == 'Percentage' ? m.value.matches('^([0-9]{1,2}([.][0-9]+)?|100([.]0+)?)$') : self.measure.type == 'Level' ? (m.value.matches('^[0-9]+$') && has(self.measure.levels) && int(m.value) < size(self.measure.levels)) : self.measure.type == 'Ratio' ? !m.value.startsWith('-') : true)))`,messageExpression=`'every milestones[].value must be a ' + self.measure.type + ' value: ' + {'Boolean': '"true" or "false"', 'Count': 'a whole number of 0 or more', 'Amount': 'a decimal number', 'Percentage': 'a number from 0 to 100', 'Ratio': 'a number of 0 or more', 'Level': 'the 0-based position of a name in measure.levels'}[self.measure.type]`,fieldPath=`.milestones`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.baseline) || self.baseline.period.matches({'Monthly': '^[0-9]{4}-[0-9]{2}$', 'Quarterly': '^[0-9]{4}-Q[1-4]$', 'SemiAnnual': '^[0-9]{4}-H[12]$', 'Annual': '^[0-9]{4}$'}[self.cadence])`,messageExpression=`'baseline.period ' + self.baseline.period + ' is not a ' + self.cadence + ' period: write it like ' + {'Monthly': '"2026-03"', 'Quarterly': '"2026-Q1"', 'SemiAnnual': '"2026-H1"', 'Annual': '"2026" (quoted)'}[self.cadence]`,fieldPath=`.baseline.period`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.target) || !has(self.target.deadline) || self.target.deadline.matches({'Monthly': '^[0-9]{4}-[0-9]{2}$', 'Quarterly': '^[0-9]{4}-Q[1-4]$', 'SemiAnnual': '^[0-9]{4}-H[12]$', 'Annual': '^[0-9]{4}$'}[self.cadence])`,messageExpression=`'target.deadline ' + self.target.deadline + ' is not a ' + self.cadence + ' period: write it like ' + {'Monthly': '"2026-03"', 'Quarterly': '"2026-Q1"', 'SemiAnnual': '"2026-H1"', 'Annual': '"2026" (quoted)'}[self.cadence]`,fieldPath=`.target.deadline`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.reportingStart) || self.reportingStart.matches({'Monthly': '^[0-9]{4}-[0-9]{2}$', 'Quarterly': '^[0-9]{4}-Q[1-4]$', 'SemiAnnual': '^[0-9]{4}-H[12]$', 'Annual': '^[0-9]{4}$'}[self.cadence])`,messageExpression=`'reportingStart ' + self.reportingStart + ' is not a ' + self.cadence + ' period: write it like ' + {'Monthly': '"2026-03"', 'Quarterly': '"2026-Q1"', 'SemiAnnual': '"2026-H1"', 'Annual': '"2026" (quoted)'}[self.cadence]`,fieldPath=`.reportingStart`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.reportingEnd) || self.reportingEnd.matches({'Monthly': '^[0-9]{4}-[0-9]{2}$', 'Quarterly': '^[0-9]{4}-Q[1-4]$', 'SemiAnnual': '^[0-9]{4}-H[12]$', 'Annual': '^[0-9]{4}$'}[self.cadence])`,messageExpression=`'reportingEnd ' + self.reportingEnd + ' is not a ' + self.cadence + ' period: write it like ' + {'Monthly': '"2026-03"', 'Quarterly': '"2026-Q1"', 'SemiAnnual': '"2026-H1"', 'Annual': '"2026" (quoted)'}[self.cadence]`,fieldPath=`.reportingEnd`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.milestones) || self.milestones.all(m, m.period.matches({'Monthly': '^[0-9]{4}-[0-9]{2}$', 'Quarterly': '^[0-9]{4}-Q[1-4]$', 'SemiAnnual': '^[0-9]{4}-H[12]$', 'Annual': '^[0-9]{4}$'}[self.cadence]))`,messageExpression=`'every milestones[].period must be a ' + self.cadence + ' period, written like ' + {'Monthly': '"2026-03"', 'Quarterly': '"2026-Q1"', 'SemiAnnual': '"2026-H1"', 'Annual': '"2026" (quoted)'}[self.cadence]`,fieldPath=`.milestones`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.reportingStart) || !has(self.reportingEnd) || self.reportingStart <= self.reportingEnd`,messageExpression=`'reportingStart ' + self.reportingStart + ' comes after reportingEnd ' + self.reportingEnd`,fieldPath=`.reportingEnd`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.baseline) || !has(self.target) || !has(self.target.deadline) || self.baseline.period < self.target.deadline`,messageExpression=`'target.deadline ' + self.target.deadline + ' must come after baseline.period ' + self.baseline.period`,fieldPath=`.target.deadline`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.milestones) || !has(self.baseline) || self.milestones.all(m, m.period > self.baseline.period)`,messageExpression=`'every milestones[].period must come after baseline.period ' + self.baseline.period + ': a milestone lies between the baseline and the deadline'`,fieldPath=`.milestones`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.milestones) || !has(self.target) || !has(self.target.deadline) || self.milestones.all(m, m.period <= self.target.deadline)`,messageExpression=`'every milestones[].period must come no later than target.deadline ' + self.target.deadline + ': a milestone lies between the baseline and the deadline'`,fieldPath=`.milestones`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.reportingEnd) || !has(self.baseline) || self.reportingEnd > self.baseline.period`,messageExpression=`'reportingEnd ' + self.reportingEnd + ' is not after baseline.period ' + self.baseline.period + ': nothing after the baseline would ever be due'`,fieldPath=`.reportingEnd`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`self.aggregation != 'Cumulative' || self.measure.type in ['Count', 'Amount', 'Ratio']`,messageExpression=`'aggregation Cumulative sums periods and does not apply to a ' + self.measure.type + ' measure: use PerPeriod or Latest'`,fieldPath=`.aggregation`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.disaggregations) || self.measure.type != 'Boolean'`,message=`a Boolean measure cannot be disaggregated: remove disaggregations or use a Count`,fieldPath=`.disaggregations`,reason=FieldValueForbidden
// +kubebuilder:validation:XValidation:rule=`!has(self.disaggregations) || self.measure.type in ['Count', 'Amount', 'Ratio'] || self.disaggregations.all(d, !has(d.total) || d.total == 'NotAdditive')`,messageExpression=`'the cells of a ' + self.measure.type + ' measure are each their subgroup figure and do not add up: set disaggregations[].total to NotAdditive, or omit it'`,fieldPath=`.disaggregations`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.disaggregations) || self.measure.type != 'Ratio' || self.disaggregations.all(d, !has(d.total) || d.total != 'NotAdditive')`,message=`the cells of a Ratio measure give numerator and denominator, which add up: use total Equal, AtMost or Overlapping`,fieldPath=`.disaggregations`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.derived) || (self.derived.operation == 'Ratio' ? self.measure.type == 'Ratio' : self.measure.type in ['Count', 'Amount'])`,messageExpression=`self.derived.operation == 'Ratio' ? 'derived.operation Ratio gives a Ratio measure: set measure.type Ratio, with measure.scale such as 100 for a share in percent' : 'derived.operation ' + self.derived.operation + ' adds up values: set measure.type Count or Amount'`,fieldPath=`.measure.type`,reason=FieldValueInvalid
// +kubebuilder:validation:XValidation:rule=`!has(self.derived) || (!has(self.verification) && !has(self.consolidatedBy) && !has(self.disaggregations) && !has(self.measure.fromMechanism) && !has(self.reporting))`,message=`a derived indicator takes its values, verification and reporters from its inputs: remove verification, consolidatedBy, disaggregations, measure.fromMechanism and reporting`,fieldPath=`.derived`,reason=FieldValueForbidden
// +kubebuilder:validation:XValidation:rule=`!has(self.measure.fromMechanism) || has(self.mechanismRef)`,message=`measure.fromMechanism reads a condition of the mechanism named by mechanismRef: set mechanismRef`,fieldPath=`.mechanismRef`,reason=FieldValueRequired
// +kubebuilder:validation:XValidation:rule=`!has(self.measure.fromMechanism) || (!has(self.verification) && !has(self.consolidatedBy) && !has(self.reporting))`,message=`an indicator backed by its mechanism takes no Measurements: remove verification, consolidatedBy and reporting (the mechanism's evidence is its verification)`,fieldPath=`.measure.fromMechanism`,reason=FieldValueForbidden
// +kubebuilder:validation:XValidation:rule=`!has(self.disclosure) || has(self.disaggregations) || has(self.derived)`,message=`disclosure.minCellSize applies to breakdowns, and to derived values: declare disaggregations or remove disclosure`,fieldPath=`.disclosure`,reason=FieldValueInvalid
type IndicatorSpec struct {
	// title of the indicator as the plan or handbook words it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`title must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Title string `json:"title"`

	// description of what counts and what does not.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`description must be plain text without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Description string `json:"description,omitempty"`

	// calculation method, for people ("Count new victims in the case records
	// each quarter").
	// +optional
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`calculation must be plain text without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Calculation string `json:"calculation,omitempty"`

	// area of work: Prevention, Protection, Prosecution or Partnership.
	// +required
	Area Area `json:"area"`

	// objective the indicator serves.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`objective must be plain text without control characters (such as NUL or ESC; tabs and line breaks are allowed) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Objective string `json:"objective,omitempty"`

	// mechanismRef names the CooperationMechanism, in this namespace, whose
	// work the indicator tracks. A name that resolves to nothing makes Ready
	// False with reason MechanismNotFound.
	// +optional
	MechanismRef *LocalObjectReference `json:"mechanismRef,omitempty"`

	// measure is the type and unit of the values. The type cannot change:
	// create a new Indicator instead.
	// +required
	// +kubebuilder:validation:XValidation:rule=`self.type == oldSelf.type`,message=`measure.type is immutable: its Measurements were judged by it; create a new Indicator instead`
	Measure Measure `json:"measure"`

	// cadence of reporting, which sets the period format: Monthly "2026-03",
	// Quarterly "2026-Q1", SemiAnnual "2026-H1", Annual "2026". It cannot
	// change: create a new Indicator instead.
	// +required
	// +kubebuilder:validation:XValidation:rule=`self == oldSelf`,message=`cadence is immutable: the periods of its Measurements are written in it; create a new Indicator instead`
	Cadence Cadence `json:"cadence"`

	// aggregation makes the current value: PerPeriod (the default: the latest
	// closed period with data, else the open one, provisional), Cumulative
	// (the sum of the periods from reportingStart) or Latest (the newest
	// counted report).
	// +optional
	// +kubebuilder:default=PerPeriod
	Aggregation Aggregation `json:"aggregation,omitempty"`

	// consolidatedBy names the one reporter whose figure sets a period's
	// value; other reporters' Measurements are contributions. Omitted,
	// reporters combine: Count and Amount sum, Ratio sums numerators and
	// denominators, Boolean, Percentage and Level take the newest report.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule=`size(self.trim()) > 0 && !self.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]')`,message=`consolidatedBy must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	ConsolidatedBy string `json:"consolidatedBy,omitempty"`

	// baseline is the value the target and progress are measured from.
	// Required by the Increase and Decrease operators.
	// +optional
	Baseline *Baseline `json:"baseline,omitempty"`

	// target to reach. Without one, TargetMet and OnTrack are Unknown with
	// reason TargetNotSet.
	// +optional
	Target *Target `json:"target,omitempty"`

	// milestones are intermediate values to reach by given periods; OnTrack
	// compares the value with the milestone of its period, else with the
	// straight line from baseline to target at the deadline.
	// +optional
	// +listType=map
	// +listMapKey=period
	// +kubebuilder:validation:MaxItems=60
	Milestones []Milestone `json:"milestones,omitempty"`

	// disaggregations are the dimensions measurements break their values
	// down by (at most 8).
	// +optional
	// +listType=map
	// +listMapKey=dimension
	// +kubebuilder:validation:MaxItems=8
	Disaggregations []Disaggregation `json:"disaggregations,omitempty"`

	// verification states the means of verification the measurements need.
	// Omitted, no evidence is required and EvidenceMissing is False.
	// +optional
	Verification *Verification `json:"verification,omitempty"`

	// reportingGraceDays is how many days after a period closes its data is
	// due (default 30).
	// +optional
	// +kubebuilder:default=30
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=366
	ReportingGraceDays *int32 `json:"reportingGraceDays,omitempty"`

	// reportingStart is the first period that must be reported. Default: the
	// period after the baseline, else the period the Indicator was created
	// in.
	// +optional
	ReportingStart Period `json:"reportingStart,omitempty"`

	// reportingEnd is the last period that must be reported. Default: the
	// target's deadline; no period after it is due.
	// +optional
	ReportingEnd Period `json:"reportingEnd,omitempty"`

	// calendar sets a fiscal year; omitted, periods follow the calendar year
	// in UTC.
	// +optional
	Calendar *Calendar `json:"calendar,omitempty"`

	// disclosure withholds small figures from every published output.
	// +optional
	Disclosure *Disclosure `json:"disclosure,omitempty"`

	// derived computes the value of each period from other Indicators of
	// the namespace (Ratio, Sum or Difference) instead of from
	// Measurements, which it refuses. Its verification and overdue periods
	// are its inputs'.
	// +optional
	Derived *Derived `json:"derived,omitempty"`

	// reporting states who is expected to report each period.
	// +optional
	Reporting *Reporting `json:"reporting,omitempty"`

	// assumptions the indicator relies on, for people.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`self.all(x, size(x.trim()) > 0 && !x.matches('[\\x00-\\x1f\\x7f-\\x9f\\x{61c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'))`,message=`every entry of assumptions must be plain text on one line: not blank, and without control characters (such as NUL, ESC, tabs or line breaks) or bidirectional overrides (U+202A-U+202E, U+2066-U+2069)`,reason=FieldValueInvalid
	Assumptions []string `json:"assumptions,omitempty"`

	// suspend stops evaluation, requeues and Events; status keeps its last
	// values and the concord_suspended metric is 1.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// CurrentValue is the value the indicator is judged by now.
type CurrentValue struct {
	// period the value belongs to (for Cumulative, the newest period summed).
	// +optional
	Period Period `json:"period,omitempty"`

	// value, rounded half-even to 2 places in canonical form ("52", "16.67"),
	// for machines: "true"/"false" for Boolean, the 0-based position in
	// measure.levels for Level. Metrics export it as a number.
	// +optional
	Value string `json:"value,omitempty"`

	// display is the value as people read it, which the VALUE column
	// shows: the level's name for a Level measure ("Medium" for "2" with
	// levels [None, Low, Medium, High]), otherwise the same as value.
	// +optional
	Display string `json:"display,omitempty"`

	// provisional is true when the period is still open.
	// +optional
	Provisional bool `json:"provisional,omitempty"`

	// measurements is the number of Measurements counted in the value.
	// +optional
	Measurements int32 `json:"measurements,omitempty"`

	// reporters is the number of distinct reporters counted in the value.
	// +optional
	Reporters int32 `json:"reporters,omitempty"`
}

// HistoryEntry is one period of an indicator's history.
type HistoryEntry struct {
	// period of the entry.
	// +required
	Period Period `json:"period"`

	// value of the period, rounded half-even to 2 places; absent when
	// unreported. On the baseline's entry, the baseline's value.
	// +optional
	Value string `json:"value,omitempty"`

	// display is the value as people read it: the level's name for a Level
	// measure, otherwise the same as value.
	// +optional
	Display string `json:"display,omitempty"`

	// baseline is true on the entry of spec.baseline.period, which shows
	// the baseline's value rather than what was reported for that period.
	// +optional
	Baseline bool `json:"baseline,omitempty"`

	// verified is true when the period's counted measurements have the
	// required evidence.
	// +optional
	Verified bool `json:"verified,omitempty"`
}

// EvidenceSummary counts the evidence behind the current value.
type EvidenceSummary struct {
	// sources is the number of distinct evidence items counted.
	// +optional
	Sources int32 `json:"sources,omitempty"`

	// verifiedSources is the number of those that are Verified Evidence
	// objects.
	// +optional
	VerifiedSources int32 `json:"verifiedSources,omitempty"`

	// missingMethods are the required methods no counted evidence covers.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=7
	MissingMethods []VerificationMethod `json:"missingMethods,omitempty"`
}

// IndicatorStatus is computed by Concord.
type IndicatorStatus struct {
	// observedGeneration is the generation the status was computed for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Stalled, TargetMet, EvidenceMissing, DataOverdue,
	// OnTrack, Anomalous.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// current is the value the indicator is judged by.
	// +optional
	Current *CurrentValue `json:"current,omitempty"`

	// targetValue is the absolute value the target means ("50" for +25% of
	// a baseline of 40), rounded half-even to 2 places; for a Level
	// measure, the level's position.
	// +optional
	TargetValue string `json:"targetValue,omitempty"`

	// targetDisplay is the target as people read it, which the TARGET
	// column shows: the level's name for a Level measure, otherwise the
	// same as targetValue.
	// +optional
	TargetDisplay string `json:"targetDisplay,omitempty"`

	// progress is the percent of the way from baseline to target; it may be
	// below 0 or above 100. It is computed from the figures status shows,
	// (current.value - baseline.value) / (targetValue - baseline.value) x
	// 100, and rounded half-even to 2 places, so that it agrees with them.
	// +optional
	Progress string `json:"progress,omitempty"`

	// history holds the 12 newest periods up to now, newest first,
	// unreported ones included, and none before spec.baseline.period: the
	// baseline's own entry, when within the 12, shows the baseline's value
	// and is marked baseline.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=12
	History []HistoryEntry `json:"history,omitempty"`

	// lastMeasurementTime is the report time of the newest counted
	// Measurement.
	// +optional
	LastMeasurementTime *metav1.Time `json:"lastMeasurementTime,omitempty"`

	// evidence counts the evidence behind the current value.
	// +optional
	Evidence *EvidenceSummary `json:"evidence,omitempty"`

	// reporting counts the expected reporters of the latest due period
	// (only with spec.reporting.expectedReporters).
	// +optional
	Reporting *ReportingStatus `json:"reporting,omitempty"`
}

// ReportingStatus counts the expected reporters of one due period.
type ReportingStatus struct {
	// period counted: the latest period whose data is due.
	// +optional
	Period Period `json:"period,omitempty"`
	// expected is the number of expected reporters.
	// +optional
	Expected int32 `json:"expected"`
	// reported counts those with a counted figure for the period.
	// +optional
	Reported int32 `json:"reported"`
	// onTime counts those whose figure was reported by the period's end
	// plus reportingGraceDays (reportTime, else creation).
	// +optional
	OnTime int32 `json:"onTime"`
	// late counts those whose figure came after that.
	// +optional
	Late int32 `json:"late"`
	// missing counts those with no counted figure.
	// +optional
	Missing int32 `json:"missing"`
}

// Indicator is something a coordination body measures about its
// cooperation: a target, a baseline, a reporting cadence and the means of
// verification its measurements need. Concord computes whether the target is
// met, whether the evidence is there and whether reporting is overdue.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ind,categories=concord
// +kubebuilder:validation:XValidation:rule=`!has(self.spec.derived) || self.spec.derived.inputs.all(i, i.name != self.metadata.name)`,message=`a derived indicator cannot be its own input`
// +kubebuilder:printcolumn:name="AREA",type=string,JSONPath=`.spec.area`
// +kubebuilder:printcolumn:name="VALUE",type=string,JSONPath=`.status.current.display`
// +kubebuilder:printcolumn:name="TARGET",type=string,JSONPath=`.status.targetDisplay`
// +kubebuilder:printcolumn:name="MET",type=string,JSONPath=`.status.conditions[?(@.type=="TargetMet")].status`
// +kubebuilder:printcolumn:name="EVIDENCE MISSING",type=string,JSONPath=`.status.conditions[?(@.type=="EvidenceMissing")].status`
// +kubebuilder:printcolumn:name="OVERDUE",type=string,JSONPath=`.status.conditions[?(@.type=="DataOverdue")].status`
// +kubebuilder:printcolumn:name="READY",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type Indicator struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the indicator.
	// +required
	Spec IndicatorSpec `json:"spec"`

	// status is computed by Concord.
	// +optional
	Status IndicatorStatus `json:"status,omitempty"`
}

// IndicatorList is a list of Indicators.
// +kubebuilder:object:root=true
type IndicatorList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Indicator `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Indicator{}, &IndicatorList{})
}
