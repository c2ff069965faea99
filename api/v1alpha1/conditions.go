package v1alpha1

// Condition types. Every Concord object always carries every condition type
// that applies to its kind, with status True, False or Unknown and the
// observedGeneration it was computed for.
const (
	// ConditionReady is True (Evaluated) once the current generation was
	// evaluated and its references resolve. It is False only for an invalid
	// spec or an unresolved reference. Data, evidence, fetch results and
	// time never change it, so GitOps health does not flap with reporting.
	ConditionReady = "Ready"
	// ConditionStalled is True (InvalidSpec) when only a change of the spec
	// can help, else False (Evaluated).
	ConditionStalled = "Stalled"

	// ConditionTargetMet (Indicator) is True when the current value
	// satisfies the target.
	ConditionTargetMet = "TargetMet"
	// ConditionEvidenceMissing (Indicator) is True when the measurements
	// behind the current value lack the required verification.
	ConditionEvidenceMissing = "EvidenceMissing"
	// ConditionDataOverdue (Indicator) is True when a due period has no
	// counted data.
	ConditionDataOverdue = "DataOverdue"
	// ConditionAnomalous (Indicator) is True when the current period's value
	// lies outside the modified z-score bound 3.5 of the previous up to 8
	// periods with data. It never changes Ready.
	ConditionAnomalous = "Anomalous"
	// ConditionOnTrack (Indicator, ActionPlan) is True when the value is at
	// or past its milestone or trajectory (Indicator), or when enough of the
	// plan's indicators are met or on track (ActionPlan).
	ConditionOnTrack = "OnTrack"

	// ConditionAccepted (Measurement) is True when the measurement is valid
	// for its indicator and counts.
	ConditionAccepted = "Accepted"
	// ConditionSuperseded (Measurement) is True when a newer report of the
	// same reporter for the same indicator and period replaces it.
	ConditionSuperseded = "Superseded"
	// ConditionVerified (Measurement, Evidence) is True when the
	// measurement's evidence suffices (Measurement), or when the source was
	// checked against its digest or attested (Evidence).
	ConditionVerified = "Verified"

	// ConditionExpired (Evidence) is True once collectionTime + validForDays
	// has passed.
	ConditionExpired = "Expired"

	// ConditionFormalized (CooperationMechanism) is True when an
	// instrument's Evidence is Verified and not Expired.
	ConditionFormalized = "Formalized"
	// ConditionRolesDefined (CooperationMechanism) is True when every member
	// has a role and at least one responsibility.
	ConditionRolesDefined = "RolesDefined"
	// ConditionSectorsRepresented (CooperationMechanism) is True when every
	// required sector has a member.
	ConditionSectorsRepresented = "SectorsRepresented"
	// ConditionMeetingsRegular (CooperationMechanism) is True when the
	// newest Verified meeting Evidence was collected within maxIntervalDays.
	ConditionMeetingsRegular = "MeetingsRegular"
	// ConditionIndicatorsOnTrack (CooperationMechanism) is True when every
	// indicator that names the mechanism has TargetMet or OnTrack True.
	ConditionIndicatorsOnTrack = "IndicatorsOnTrack"
)

// Reasons shared by every kind.
const (
	// ReasonEvaluated: the current generation was evaluated (Ready True,
	// Stalled False).
	ReasonEvaluated = "Evaluated"
	// ReasonInvalidSpec: the spec cannot be evaluated; only a spec change
	// helps (Ready False, Stalled True).
	ReasonInvalidSpec = "InvalidSpec"
	// ReasonNotEvaluated: set on every other condition while InvalidSpec
	// holds (Unknown).
	ReasonNotEvaluated = "NotEvaluated"
)

// Indicator reasons.
const (
	// ReasonMechanismNotFound: spec.mechanismRef names no
	// CooperationMechanism of the namespace (Ready False).
	ReasonMechanismNotFound = "MechanismNotFound"
	// ReasonInputNotFound: an input of spec.derived names no Indicator of
	// the namespace (Ready False, Stalled False).
	ReasonInputNotFound = "InputNotFound"
	// ReasonOutlierDetected: the current value lies outside the modified
	// z-score bound of the previous periods (Anomalous True).
	ReasonOutlierDetected = "OutlierDetected"
	// ReasonWithinRange: the current value lies within it (Anomalous False).
	ReasonWithinRange = "WithinRange"
	// ReasonInsufficientHistory: fewer than 4 previous periods have data
	// (Anomalous Unknown).
	ReasonInsufficientHistory = "InsufficientHistory"
	// ReasonTargetReached: the current value satisfies the target
	// (TargetMet True, OnTrack True).
	ReasonTargetReached = "TargetReached"
	// ReasonTargetNotReached: the current value does not satisfy the target
	// yet (TargetMet False).
	ReasonTargetNotReached = "TargetNotReached"
	// ReasonDeadlineMissed: the deadline period closed without the target
	// being met (TargetMet False).
	ReasonDeadlineMissed = "DeadlineMissed"
	// ReasonNoData: no counted measurement yet (Unknown).
	ReasonNoData = "NoData"
	// ReasonTargetNotSet: the indicator has no target (TargetMet and
	// OnTrack Unknown).
	ReasonTargetNotSet = "TargetNotSet"
	// ReasonNoEvidence: the counted measurements carry no evidence that
	// counts (EvidenceMissing True).
	ReasonNoEvidence = "NoEvidence"
	// ReasonMethodNotCovered: a required means of verification has no
	// evidence (EvidenceMissing True).
	ReasonMethodNotCovered = "MethodNotCovered"
	// ReasonInsufficientSources: fewer distinct sources than minSources
	// (EvidenceMissing True).
	ReasonInsufficientSources = "InsufficientSources"
	// ReasonEvidenceExpired: the evidence is older than maxAgeDays or its
	// Evidence object expired (EvidenceMissing True).
	ReasonEvidenceExpired = "EvidenceExpired"
	// ReasonEvidenceUnverified: referenced Evidence is missing or not
	// Verified, or only declared evidence exists at level Verified
	// (EvidenceMissing True).
	ReasonEvidenceUnverified = "EvidenceUnverified"
	// ReasonEvidenceComplete: the required verification is present
	// (EvidenceMissing False).
	ReasonEvidenceComplete = "EvidenceComplete"
	// ReasonPeriodNotReported: a due period has no counted data
	// (DataOverdue True).
	ReasonPeriodNotReported = "PeriodNotReported"
	// ReasonReportedOnTime: every due period has counted data (DataOverdue
	// False).
	ReasonReportedOnTime = "ReportedOnTime"
	// ReasonNothingDue: no period is due yet (DataOverdue False).
	ReasonNothingDue = "NothingDue"
	// ReasonAheadOfTrajectory: the value is at or past its milestone or
	// trajectory (OnTrack True).
	ReasonAheadOfTrajectory = "AheadOfTrajectory"
	// ReasonBehindTrajectory: the value is behind its milestone or
	// trajectory (OnTrack False).
	ReasonBehindTrajectory = "BehindTrajectory"
	// ReasonNoTrajectory: neither a milestone nor a baseline and deadline
	// define a trajectory (OnTrack Unknown).
	ReasonNoTrajectory = "NoTrajectory"
)

// Measurement reasons.
const (
	// ReasonValid: the measurement counts (Accepted True).
	ReasonValid = "Valid"
	// ReasonIndicatorNotFound: spec.indicatorRef names no Indicator of the
	// namespace (Accepted False, Ready False).
	ReasonIndicatorNotFound = "IndicatorNotFound"
	// ReasonPeriodMismatch: the period is not of the indicator's cadence or
	// has not started (Accepted False).
	ReasonPeriodMismatch = "PeriodMismatch"
	// ReasonValueInvalid: the value is not of the measure's type (Accepted
	// False).
	ReasonValueInvalid = "ValueInvalid"
	// ReasonBreakdownInconsistent: a breakdown names an unknown dimension or
	// category, repeats a cell, gives no table for a required dimension, or
	// a dimension's table does not hold against its total (Equal: sums to
	// the value; AtMost: to at most it; Overlapping: each cell at most it)
	// (Accepted False).
	ReasonBreakdownInconsistent = "BreakdownInconsistent"
	// ReasonAwaitingApproval: the indicator requires approval and the
	// measurement has none (Accepted False, Ready False, Stalled False:
	// an approver can still approve it).
	ReasonAwaitingApproval = "AwaitingApproval"
	// ReasonIndicatorIsDerived: the Indicator computes its values from
	// other Indicators (spec.derived) or from its mechanism
	// (measure.fromMechanism) and takes no Measurements (Accepted False,
	// Ready False, Stalled True).
	ReasonIndicatorIsDerived = "IndicatorIsDerived"
	// ReasonReportTimeInFuture: spec.reportTime is later than the
	// Measurement's creationTimestamp plus the allowed clock skew, so it
	// cannot be trusted to order reports (Accepted False, Ready False,
	// Stalled True: only a new Measurement can fix it).
	ReasonReportTimeInFuture = "ReportTimeInFuture"
	// ReasonNewerReport: a newer report of the same reporter replaces this
	// one (Superseded True).
	ReasonNewerReport = "NewerReport"
	// ReasonLatestReport: no newer report replaces this one (Superseded
	// False).
	ReasonLatestReport = "LatestReport"
	// ReasonEvidenceSufficient: the measurement's evidence meets the
	// indicator's verification rules (Verified True).
	ReasonEvidenceSufficient = "EvidenceSufficient"
	// ReasonNotAccepted: the measurement is not accepted, so its evidence is
	// not judged (Verified Unknown).
	ReasonNotAccepted = "NotAccepted"
)

// Evidence reasons.
const (
	// ReasonDigestMatched: the source's sha256 equals spec.digest (Verified
	// True).
	ReasonDigestMatched = "DigestMatched"
	// ReasonDigestRecorded: no digest was given; the first one seen was
	// recorded in status.observedDigest and pinned (Verified True).
	ReasonDigestRecorded = "DigestRecorded"
	// ReasonAttested: an attestation source (Verified True).
	ReasonAttested = "Attested"
	// ReasonDigestMismatch: the source's sha256 differs from spec.digest
	// (Verified False).
	ReasonDigestMismatch = "DigestMismatch"
	// ReasonContentChanged: the source's sha256 differs from the pinned
	// status.observedDigest (Verified False).
	ReasonContentChanged = "ContentChanged"
	// ReasonSourceNotFound: the ConfigMap or key does not exist, or the
	// ConfigMap lacks the concord.dev/evidence label (Verified False).
	ReasonSourceNotFound = "SourceNotFound"
	// ReasonFetchFailed: the URL could not be fetched (Verified False).
	ReasonFetchFailed = "FetchFailed"
	// ReasonHostNotAllowed: the URL's host or address is not allowed
	// (Verified False).
	ReasonHostNotAllowed = "HostNotAllowed"
	// ReasonTooLarge: the source exceeds the size limit (Verified False).
	ReasonTooLarge = "TooLarge"
	// ReasonPending: the source was not checked yet (Verified Unknown).
	ReasonPending = "Pending"
	// ReasonCollectionTimeInFuture: spec.collectionTime is later than the
	// Evidence's creationTimestamp plus the allowed clock skew; evidence
	// cannot have been collected after it was recorded, and such a time
	// would never age or expire (Verified False).
	ReasonCollectionTimeInFuture = "CollectionTimeInFuture"
	// ReasonValidityElapsed: collectionTime + validForDays has passed
	// (Expired True).
	ReasonValidityElapsed = "ValidityElapsed"
	// ReasonWithinValidity: the validity has not elapsed (Expired False).
	ReasonWithinValidity = "WithinValidity"
	// ReasonNoExpiry: validForDays is not set (Expired False).
	ReasonNoExpiry = "NoExpiry"
)

// CooperationMechanism reasons.
const (
	// ReasonInstrumentVerified: an instrument's Evidence is Verified and not
	// Expired (Formalized True).
	ReasonInstrumentVerified = "InstrumentVerified"
	// ReasonNoInstruments: the mechanism lists no instrument (Formalized
	// False).
	ReasonNoInstruments = "NoInstruments"
	// ReasonInstrumentNotVerified: no instrument's Evidence is Verified and
	// current (Formalized False).
	ReasonInstrumentNotVerified = "InstrumentNotVerified"
	// ReasonEvidenceNotFound: instruments reference Evidence that does not
	// exist (Formalized False).
	ReasonEvidenceNotFound = "EvidenceNotFound"
	// ReasonRolesDefined: every member has a role and a responsibility
	// (RolesDefined True).
	ReasonRolesDefined = "RolesDefined"
	// ReasonRolesMissing: a member lacks a role or responsibilities
	// (RolesDefined False).
	ReasonRolesMissing = "RolesMissing"
	// ReasonAllSectorsRepresented: every required sector has a member
	// (SectorsRepresented True).
	ReasonAllSectorsRepresented = "AllSectorsRepresented"
	// ReasonSectorsMissing: a required sector has no member
	// (SectorsRepresented False).
	ReasonSectorsMissing = "SectorsMissing"
	// ReasonMeetingWithinInterval: the newest verified minutes are within
	// maxIntervalDays (MeetingsRegular True).
	ReasonMeetingWithinInterval = "MeetingWithinInterval"
	// ReasonMeetingOverdue: the newest verified minutes are older than
	// maxIntervalDays (MeetingsRegular False).
	ReasonMeetingOverdue = "MeetingOverdue"
	// ReasonNoMeetingEvidence: no verified minutes match the selector, or
	// meetings are not declared (MeetingsRegular False).
	ReasonNoMeetingEvidence = "NoMeetingEvidence"
	// ReasonAllTargetsMet: every indicator of the mechanism has met its
	// target (IndicatorsOnTrack True).
	ReasonAllTargetsMet = "AllTargetsMet"
	// ReasonOnTrack: every indicator is met or on track
	// (IndicatorsOnTrack True).
	ReasonOnTrack = "OnTrack"
	// ReasonTargetsNotMet: an indicator is neither met nor on track
	// (IndicatorsOnTrack False).
	ReasonTargetsNotMet = "TargetsNotMet"
	// ReasonNoIndicators: no indicator names the mechanism, or the plan
	// selects none (Unknown).
	ReasonNoIndicators = "NoIndicators"
)

// ActionPlan reasons.
const (
	// ReasonThresholdMet: at least onTrackThreshold percent of the plan's
	// indicators are met or on track (OnTrack True).
	ReasonThresholdMet = "ThresholdMet"
	// ReasonBelowThreshold: fewer than onTrackThreshold percent are met or
	// on track (OnTrack False).
	ReasonBelowThreshold = "BelowThreshold"
)
