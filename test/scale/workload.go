package main

import (
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// ObjectsPerIndicator is what the workload creates for each Indicator: the
// Indicator, its Evidence and 4 Measurements (2 reporters x 2 quarters).
const ObjectsPerIndicator = 6

// Reporters of every Indicator, and the third one the new-measurement
// variant adds.
const (
	ReporterMinistry = "Ministry of Interior"
	ReporterNGO      = "NGO shelter network"
	ReporterThird    = "Labour inspectorate"
)

// The target every Indicator is judged against: its Q3 value (the sum of
// the two reporters' figures, at least 39) meets it, and the correction of
// the new-measurement variant takes it below.
const (
	targetValue     = 30
	correctionValue = 1
)

// WorkloadOptions shape a generated workload.
type WorkloadOptions struct {
	// Indicators is the number of Indicators (N).
	Indicators int
	// Namespaces the Indicators are spread over, round robin (default 10).
	Namespaces int
	// Plan adds one ActionPlan, in the first namespace, that rolls up every
	// Indicator of every namespace (the namespaces carry the consent label).
	Plan bool
	// SharedEvidence gives each namespace one Evidence that every
	// Measurement of the namespace references, instead of one per
	// Indicator: the evidence fan-out shape.
	SharedEvidence bool
}

// Workload is a generated set of objects, in the order they are created.
type Workload struct {
	Namespaces []corev1.Namespace
	Objects    []client.Object
}

// Count returns the number of objects of each kind.
func (w Workload) Count() map[string]int {
	out := map[string]int{}
	for _, o := range w.Objects {
		out[KindOf(o)]++
	}
	return out
}

// Generate returns the workload of o: deterministic names and values, every
// period fully in the past on 2026-11-29 (2026-Q2 and 2026-Q3 are due, the
// target's deadline 2027-Q4 is not), so verdicts do not change while a run
// lasts. Each Indicator is a Count with an AtLeast target and a required
// gender disaggregation; each Measurement's breakdown sums to its value and
// references an Attestation Evidence, which the Indicator's verification
// (level Verified) needs Verified and not expired.
func Generate(o WorkloadOptions) Workload {
	if o.Namespaces <= 0 {
		o.Namespaces = 10
	}
	var w Workload
	for i := 0; i < o.Namespaces; i++ {
		ns := corev1.Namespace{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
			ObjectMeta: metav1.ObjectMeta{Name: NamespaceName(i)},
		}
		if o.Plan {
			ns.Labels = map[string]string{evaluate.RollupLabel: "true"}
		}
		w.Namespaces = append(w.Namespaces, ns)
	}
	// The plan comes first, so that every Indicator created after it is a
	// change the plan's controller sees during the bulk load.
	if o.Plan {
		w.Objects = append(w.Objects, actionPlan(NamespaceName(0)))
	}
	if o.SharedEvidence {
		for i := 0; i < o.Namespaces; i++ {
			w.Objects = append(w.Objects, evidence(NamespaceName(i), SharedEvidenceName, "Case records of every reporting body"))
		}
	}
	for i := 0; i < o.Indicators; i++ {
		ns := NamespaceName(i % o.Namespaces)
		name := IndicatorName(i)
		ev := SharedEvidenceName
		if !o.SharedEvidence {
			ev = name + "-records"
			w.Objects = append(w.Objects, evidence(ns, ev, "Case records behind the figures of "+name))
		}
		w.Objects = append(w.Objects, indicator(ns, name, i))
		for _, m := range measurementsOf(ns, name, ev, i) {
			w.Objects = append(w.Objects, m)
		}
	}
	return w
}

// SharedEvidenceName names the one Evidence of a namespace in the
// SharedEvidence shape.
const SharedEvidenceName = "shared-records"

// PlanName names the ActionPlan of the Plan option.
const PlanName = "national-plan"

// NamespaceName names the i-th namespace.
func NamespaceName(i int) string { return fmt.Sprintf("scale-%02d", i) }

// IndicatorName names the i-th Indicator.
func IndicatorName(i int) string { return fmt.Sprintf("ind-%05d", i) }

func typeMeta(kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: kind}
}

func ptr[T any](v T) *T { return &v }

func decimal(v int) *v1alpha1.Decimal { return ptr(v1alpha1.Decimal(strconv.Itoa(v))) }

func at(s string) *metav1.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &metav1.Time{Time: t}
}

func indicator(ns, name string, i int) *v1alpha1.Indicator {
	return &v1alpha1.Indicator{
		TypeMeta:   typeMeta("Indicator"),
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.IndicatorSpec{
			Title:       fmt.Sprintf("Victims identified and referred to assistance, district %d", i),
			Description: "New victims identified by trained front-line staff and referred to the assistance providers in the quarter.",
			Calculation: "Sum the quarterly counts of new victims referred reported by each reporting body.",
			Area:        v1alpha1.AreaProtection,
			Measure:     v1alpha1.Measure{Type: v1alpha1.MeasureCount, Unit: "persons"},
			Cadence:     v1alpha1.CadenceQuarterly,
			// Defaults are written out, so that the offline evaluation
			// sees the spec as the API server stores it.
			Aggregation: v1alpha1.AggregationPerPeriod,
			Baseline:    &v1alpha1.Baseline{Period: "2026-Q1", Value: "25"},
			Target:      &v1alpha1.Target{Operator: v1alpha1.OperatorAtLeast, Value: v1alpha1.Decimal(strconv.Itoa(targetValue)), Deadline: "2027-Q4"},
			Disaggregations: []v1alpha1.Disaggregation{
				{Dimension: "gender", Categories: []string{"female", "male"}, Required: true, Total: v1alpha1.TotalEqual},
			},
			Verification: &v1alpha1.Verification{
				Methods:         []v1alpha1.VerificationMethod{v1alpha1.MethodRecordsReview},
				MethodsRequired: v1alpha1.MethodsAll,
				Level:           v1alpha1.LevelVerified,
				MinSources:      1,
				DataSources:     []string{"Case records of the reporting bodies"},
			},
			ReportingGraceDays: ptr(int32(30)),
		},
	}
}

// Figures of the i-th Indicator: reporter -> [Q2, Q3].
func figures(i int) map[string][2]int {
	return map[string][2]int{
		ReporterMinistry: {20 + i%13, 22 + i%13},
		ReporterNGO:      {15 + i%7, 17 + i%7},
	}
}

// slot is one reporter's report of one quarter.
type slot struct {
	period, suffix, reporter, reportTime string
	q                                    int
}

var slots = []slot{
	{"2026-Q2", "2026-q2-ministry", ReporterMinistry, "2026-07-06T09:00:00Z", 0},
	{"2026-Q2", "2026-q2-ngo", ReporterNGO, "2026-07-08T09:00:00Z", 0},
	{"2026-Q3", "2026-q3-ministry", ReporterMinistry, "2026-10-06T09:00:00Z", 1},
	{"2026-Q3", "2026-q3-ngo", ReporterNGO, "2026-10-08T09:00:00Z", 1},
}

func measurementsOf(ns, ind, ev string, i int) []*v1alpha1.Measurement {
	f := figures(i)
	out := make([]*v1alpha1.Measurement, 0, len(slots))
	for _, s := range slots {
		out = append(out, measurement(ns, ind+"-"+s.suffix, ind, ev, s.period, s.reporter, s.reportTime, f[s.reporter][s.q]))
	}
	return out
}

// measurement is one report whose gender breakdown sums to value.
func measurement(ns, name, ind, ev, period, reporter, reportTime string, value int) *v1alpha1.Measurement {
	female := value * 3 / 5
	return &v1alpha1.Measurement{
		TypeMeta:   typeMeta("Measurement"),
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MeasurementSpec{
			IndicatorRef: v1alpha1.LocalObjectReference{Name: ind},
			Period:       v1alpha1.Period(period),
			Value:        decimal(value),
			Breakdown: []v1alpha1.BreakdownCell{
				{Categories: map[string]v1alpha1.Category{"gender": "female"}, Value: decimal(female)},
				{Categories: map[string]v1alpha1.Category{"gender": "male"}, Value: decimal(value - female)},
			},
			Reporter:     reporter,
			ReportTime:   at(reportTime),
			EvidenceRefs: []v1alpha1.LocalObjectReference{{Name: ev}},
		},
	}
}

func evidence(ns, name, description string) *v1alpha1.Evidence {
	return &v1alpha1.Evidence{
		TypeMeta:   typeMeta("Evidence"),
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.EvidenceSpec{
			Method:         v1alpha1.MethodRecordsReview,
			Description:    description,
			CollectionTime: *at("2026-10-03T00:00:00Z"),
			ValidForDays:   ptr(int32(730)),
			Source: v1alpha1.EvidenceSource{
				Type: v1alpha1.SourceAttestation,
				Attestation: &v1alpha1.AttestationSource{
					AttestedBy: "Head of the National Anti-Trafficking Secretariat",
					Statement:  "The quarterly figures were checked against the case records of the reporting bodies.",
				},
			},
		},
	}
}

func actionPlan(ns string) *v1alpha1.ActionPlan {
	return &v1alpha1.ActionPlan{
		TypeMeta:   typeMeta("ActionPlan"),
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: PlanName},
		Spec: v1alpha1.ActionPlanSpec{
			Title:             "National Plan of Action against Trafficking 2025-2027",
			Start:             "2025-Q1",
			End:               "2027-Q4",
			IndicatorSelector: v1alpha1.LabelSelector{},
			NamespaceSelector: &v1alpha1.LabelSelector{MatchLabels: map[string]v1alpha1.LabelValue{evaluate.RollupLabel: "true"}},
			OnTrackThreshold:  ptr(int32(80)),
		},
	}
}

// Correction is a new report of the first Indicator's Q3 by its first
// reporter, dated later, with a figure that takes the Indicator below its
// target: it supersedes one Measurement and changes the Indicator's value
// and TargetMet.
func Correction(w Workload) *v1alpha1.Measurement {
	m := firstMeasurement(w)
	c := measurement(m.Namespace, m.Spec.IndicatorRef.Name+"-2026-q3-ministry-correction", m.Spec.IndicatorRef.Name,
		m.Spec.EvidenceRefs[0].Name, "2026-Q3", ReporterMinistry, "2026-11-20T09:00:00Z", correctionValue)
	return c
}

// ThirdReporter is a report of the first Indicator's Q3 by a reporter who
// had not reported: it supersedes nothing and changes the Indicator's value.
func ThirdReporter(w Workload) *v1alpha1.Measurement {
	m := firstMeasurement(w)
	return measurement(m.Namespace, m.Spec.IndicatorRef.Name+"-2026-q3-labour", m.Spec.IndicatorRef.Name,
		m.Spec.EvidenceRefs[0].Name, "2026-Q3", ReporterThird, "2026-11-21T09:00:00Z", 9)
}

func firstMeasurement(w Workload) *v1alpha1.Measurement {
	for _, o := range w.Objects {
		if m, ok := o.(*v1alpha1.Measurement); ok {
			return m
		}
	}
	panic("the workload has no Measurement")
}

// EvidenceChange is a change of an Evidence's spec.
type EvidenceChange string

// Changes of the evidence fan-out variant.
const (
	// EvidenceDescription changes the description: no verdict changes.
	EvidenceDescription EvidenceChange = "description"
	// EvidenceExpired shortens validForDays so that the Evidence has
	// expired: every Measurement referencing it loses its verification.
	EvidenceExpired EvidenceChange = "expired"
)

// Apply makes the change to e.
func (c EvidenceChange) Apply(e *v1alpha1.Evidence) {
	switch c {
	case EvidenceDescription:
		e.Spec.Description += " (reviewed)"
	case EvidenceExpired:
		e.Spec.ValidForDays = ptr(int32(30)) // collected 2026-10-03: expired 2026-11-02
	}
}

// ChangeEvidence returns the workload with the change made to its first
// Evidence (in the SharedEvidence shape, the one every Measurement of the
// first namespace references). The other objects are shared with w.
func ChangeEvidence(w Workload, c EvidenceChange) Workload {
	out := Workload{Namespaces: w.Namespaces, Objects: append([]client.Object{}, w.Objects...)}
	for i, o := range out.Objects {
		if e, ok := o.(*v1alpha1.Evidence); ok {
			e = e.DeepCopy()
			c.Apply(e)
			out.Objects[i] = e
			break
		}
	}
	return out
}
