package evaluate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// source is one distinct evidence item offered for a measurement.
type source struct {
	key       string // distinct items share a key
	method    v1alpha1.VerificationMethod
	collected *time.Time
	verified  bool // a Verified Evidence object (not inline)
	excluded  string
}

// Sufficiency is the verdict on a set of measurements' evidence.
type Sufficiency struct {
	Sufficient      bool
	Reason, Message string
	Sources         int
	VerifiedSources int
	MissingMethods  []v1alpha1.VerificationMethod
	// Next is when an Evidence object counted here expires (zero: never).
	Next time.Time
}

// Exclusion reasons of a source, mapped to EvidenceMissing reasons.
const (
	excludedExpired    = v1alpha1.ReasonEvidenceExpired
	excludedUnverified = v1alpha1.ReasonEvidenceUnverified
	// excludedFuture: collected after the object declaring it was
	// recorded (plus ClockSkew); reported as EvidenceUnverified.
	excludedFuture = "CollectedInFuture"
)

// Sufficient judges the evidence of counted measurements against the
// indicator's verification. Each measurement must have the required
// verification on its own (Revision 2: evidence is per counted
// measurement): one reporter's evidence does not cover another's figure.
// evidence maps the namespace's Evidence by name.
func Sufficient(v *v1alpha1.Verification, cal Calendar, cadence v1alpha1.Cadence, ms []*v1alpha1.Measurement, evidence map[string]*v1alpha1.Evidence, now time.Time) Sufficiency {
	if v == nil {
		return Sufficiency{Sufficient: true, Reason: v1alpha1.ReasonEvidenceComplete, Message: "The indicator requires no verification"}
	}
	if len(ms) == 0 {
		return judge(v, nil)
	}
	var all []source
	var next time.Time
	var lacking []lack
	missing := map[v1alpha1.VerificationMethod]bool{}
	for _, m := range sortedByReporter(ms) {
		srcs, n := sourcesOf(v, m, periodEnd(m, cadence, cal), evidence, now)
		next = Earliest(now, next, n)
		all = append(all, srcs...)
		if one := judge(v, dedupe(srcs)); !one.Sufficient {
			lacking = append(lacking, lack{m.Spec.Reporter, one})
			for _, mm := range one.MissingMethods {
				missing[mm] = true
			}
		}
	}
	s := judge(v, dedupe(all))
	s.Next = next
	if len(lacking) == 0 {
		return s
	}
	first := lacking[0].verdict
	s.Sufficient, s.Reason, s.MissingMethods = false, first.Reason, sortedMethods(missing)
	s.Message = first.Message
	if len(ms) > 1 {
		s.Message = fmt.Sprintf("%d of %d reporters lack the required verification (%s: %s)", len(lacking), len(ms), lacking[0].reporter, first.Message)
	}
	return s
}

// lack is a reporter whose counted measurement lacks verification.
type lack struct {
	reporter string
	verdict  Sufficiency
}

func sortedByReporter(ms []*v1alpha1.Measurement) []*v1alpha1.Measurement {
	out := append([]*v1alpha1.Measurement(nil), ms...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Spec.Reporter < out[j].Spec.Reporter })
	return out
}

func sortedMethods(set map[v1alpha1.VerificationMethod]bool) []v1alpha1.VerificationMethod {
	var out []v1alpha1.VerificationMethod
	for m := range set {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func periodEnd(m *v1alpha1.Measurement, c v1alpha1.Cadence, cal Calendar) time.Time {
	p, err := ParsePeriod(string(m.Spec.Period), c)
	if err != nil {
		return time.Time{}
	}
	return p.End(cal)
}

// sourcesOf lists a measurement's evidence, marking what does not count.
func sourcesOf(v *v1alpha1.Verification, m *v1alpha1.Measurement, end time.Time, evidence map[string]*v1alpha1.Evidence, now time.Time) ([]source, time.Time) {
	var out []source
	var next time.Time
	for _, e := range m.Spec.Evidence {
		s := source{key: "inline/" + string(e.Method) + "/" + e.Description, method: e.Method, collected: timeOf(e.CollectionTime)}
		switch {
		case e.CollectionTime != nil && inFuture(e.CollectionTime.Time, m.CreationTimestamp, now):
			s.excluded = excludedFuture
		case v.Level == v1alpha1.LevelVerified:
			s.excluded = excludedUnverified
		}
		out = append(out, aged(v, s, end))
	}
	for _, ref := range m.Spec.EvidenceRefs {
		s := source{key: "ref/" + ref.Name, excluded: excludedUnverified}
		if e, ok := evidence[ref.Name]; ok {
			s = evidenceSource(e, now)
			if s.excluded == "" && e.Status.ExpirationTime != nil {
				next = Earliest(now, next, e.Status.ExpirationTime.Time)
			}
		}
		out = append(out, aged(v, s, end))
	}
	return out, next
}

func evidenceSource(e *v1alpha1.Evidence, now time.Time) source {
	s := source{key: "ref/" + e.Name, method: e.Spec.Method, collected: &e.Spec.CollectionTime.Time}
	switch {
	case CollectedInFuture(e, now):
		s.excluded = excludedFuture
	case !meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionVerified):
		s.excluded = excludedUnverified
	case meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionExpired),
		e.Status.ExpirationTime != nil && !now.Before(e.Status.ExpirationTime.Time):
		s.excluded = excludedExpired
	default:
		s.verified = true
	}
	return s
}

// aged excludes a source collected more than maxAgeDays before the end of
// the measured period, or carrying no collection time when an age applies.
func aged(v *v1alpha1.Verification, s source, end time.Time) source {
	if v.MaxAgeDays == nil || s.excluded != "" || end.IsZero() {
		return s
	}
	oldest := end.AddDate(0, 0, -int(*v.MaxAgeDays))
	if s.collected == nil || s.collected.Before(oldest) {
		s.excluded = excludedExpired
	}
	return s
}

func timeOf(t *metav1.Time) *time.Time {
	if t == nil {
		return nil
	}
	return &t.Time
}

// dedupe keeps one source per key, preferring one that counts.
func dedupe(srcs []source) []source {
	byKey := map[string]int{}
	var out []source
	for _, s := range srcs {
		if i, ok := byKey[s.key]; ok {
			if out[i].excluded != "" && s.excluded == "" {
				out[i] = s
			}
			continue
		}
		byKey[s.key] = len(out)
		out = append(out, s)
	}
	return out
}

// judge applies methods, methodsRequired and minSources to the sources.
func judge(v *v1alpha1.Verification, srcs []source) Sufficiency {
	var s Sufficiency
	covered := map[v1alpha1.VerificationMethod]bool{}
	excluded := map[string]int{}
	for _, src := range srcs {
		if src.excluded != "" {
			excluded[src.excluded]++
			continue
		}
		s.Sources++
		if src.verified {
			s.VerifiedSources++
		}
		covered[src.method] = true
	}
	s.MissingMethods = missingMethods(v, covered)
	minSources := int(max(v.MinSources, 1))
	if len(s.MissingMethods) == 0 && s.Sources >= minSources {
		s.Sufficient, s.Reason = true, v1alpha1.ReasonEvidenceComplete
		s.Message = fmt.Sprintf("%d source(s) cover %s", s.Sources, methodList(v))
		return s
	}
	s.Reason, s.Message = insufficiency(v, len(srcs), s, excluded, minSources)
	return s
}

func missingMethods(v *v1alpha1.Verification, covered map[v1alpha1.VerificationMethod]bool) []v1alpha1.VerificationMethod {
	var missing []v1alpha1.VerificationMethod
	for _, m := range v.Methods {
		if !covered[m] {
			missing = append(missing, m)
		}
	}
	if v.MethodsRequired == v1alpha1.MethodsAny && len(missing) < len(v.Methods) {
		return nil
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	return missing
}

// insufficiency picks the reason: nothing offered, then what excluded
// sources explain, then uncovered methods, then too few sources.
func insufficiency(v *v1alpha1.Verification, offered int, s Sufficiency, excluded map[string]int, minSources int) (string, string) {
	switch {
	case offered == 0:
		return v1alpha1.ReasonNoEvidence, fmt.Sprintf("No evidence is given; %s is required", methodList(v))
	case excluded[excludedFuture] > 0:
		return v1alpha1.ReasonEvidenceUnverified, fmt.Sprintf("%d evidence item(s) have a collectionTime later than the creation of the object declaring them plus %s, which cannot be trusted; %d count", excluded[excludedFuture], skewText(), s.Sources)
	case excluded[excludedExpired] > 0:
		return v1alpha1.ReasonEvidenceExpired, fmt.Sprintf("%d evidence item(s) expired or are older than maxAgeDays before the period's end; %d count", excluded[excludedExpired], s.Sources)
	case excluded[excludedUnverified] > 0:
		return v1alpha1.ReasonEvidenceUnverified, fmt.Sprintf("%d evidence item(s) are not Verified Evidence objects (level %s); %d count", excluded[excludedUnverified], levelOf(v), s.Sources)
	case len(s.MissingMethods) > 0:
		return v1alpha1.ReasonMethodNotCovered, fmt.Sprintf("No counted evidence covers %s", joinMethods(s.MissingMethods))
	default:
		return v1alpha1.ReasonInsufficientSources, fmt.Sprintf("%d distinct source(s) count; minSources is %d", s.Sources, minSources)
	}
}

func levelOf(v *v1alpha1.Verification) v1alpha1.VerificationLevel {
	if v.Level == "" {
		return v1alpha1.LevelDeclared
	}
	return v.Level
}

func methodList(v *v1alpha1.Verification) string {
	sep := " and "
	if v.MethodsRequired == v1alpha1.MethodsAny {
		sep = " or "
	}
	names := make([]string, len(v.Methods))
	for i, m := range v.Methods {
		names[i] = string(m)
	}
	return strings.Join(names, sep)
}

func joinMethods(ms []v1alpha1.VerificationMethod) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}
