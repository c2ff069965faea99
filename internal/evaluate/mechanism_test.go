package evaluate

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

const mechNS = "coordination"

// mechNow is the instant most mechanism tests evaluate at.
var mechNow = time.Date(2026, time.July, 1, 12, 0, 0, 0, time.UTC)

func mechDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// mechTrueConds builds a conditions list in which the given types are True.
func mechTrueConds(types ...string) []metav1.Condition {
	var out []metav1.Condition
	for _, t := range types {
		out = append(out, metav1.Condition{Type: t, Status: metav1.ConditionTrue, Reason: "Test"})
	}
	return out
}

// mechMember is a member with a role and one responsibility.
func mechMember(org string, sector v1alpha1.Sector) v1alpha1.Member {
	return v1alpha1.Member{Organization: org, Sector: sector, Role: "Member", Responsibilities: []string{"Attend"}}
}

// mechObj is a fully healthy task force, changed by the given functions.
func mechObj(change ...func(*v1alpha1.CooperationMechanism)) *v1alpha1.CooperationMechanism {
	m := &v1alpha1.CooperationMechanism{
		ObjectMeta: metav1.ObjectMeta{Namespace: mechNS, Name: "ntf", Generation: 3},
		Spec: v1alpha1.CooperationMechanismSpec{
			Type: v1alpha1.MechanismTaskForce, Level: "National",
			Members: []v1alpha1.Member{
				mechMember("Ministry of Interior", "Government"),
				mechMember("Women's Rights Coalition", "CivilSociety"),
			},
			RequiredSectors: []v1alpha1.Sector{"Government", "CivilSociety"},
			Instruments: []v1alpha1.Instrument{
				{Type: "SOP", Title: "Referral SOP", EvidenceRef: &v1alpha1.LocalObjectReference{Name: "sop"}},
			},
			Meetings: &v1alpha1.Meetings{MaxIntervalDays: 90, EvidenceSelector: v1alpha1.LabelSelector{
				MatchLabels: map[string]v1alpha1.LabelValue{"concord.dev/minutes-of": "ntf"},
			}},
		},
	}
	for _, f := range change {
		f(m)
	}
	return m
}

// mechEvidence is an Evidence of the mechanism's namespace with the given
// conditions True.
func mechEvidence(name string, collected time.Time, trueConds ...string) v1alpha1.Evidence {
	return v1alpha1.Evidence{
		ObjectMeta: metav1.ObjectMeta{Namespace: mechNS, Name: name},
		Spec:       v1alpha1.EvidenceSpec{Method: "DocumentReview", CollectionTime: metav1.NewTime(collected)},
		Status:     v1alpha1.EvidenceStatus{Conditions: mechTrueConds(trueConds...)},
	}
}

// mechMinutes is verified meeting minutes of the task force.
func mechMinutes(name string, collected time.Time, trueConds ...string) v1alpha1.Evidence {
	e := mechEvidence(name, collected, trueConds...)
	e.Labels = map[string]string{"concord.dev/minutes-of": "ntf"}
	return e
}

// mechIndicator names the task force and has the given conditions True.
func mechIndicator(name string, trueConds ...string) v1alpha1.Indicator {
	return v1alpha1.Indicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: mechNS, Name: name},
		Spec:       v1alpha1.IndicatorSpec{Area: "Protection", MechanismRef: &v1alpha1.LocalObjectReference{Name: "ntf"}},
		Status:     v1alpha1.IndicatorStatus{Conditions: mechTrueConds(trueConds...)},
	}
}

// mechHealthyInput has verified SOP evidence and recent verified minutes.
func mechHealthyInput(m *v1alpha1.CooperationMechanism) MechanismInput {
	return MechanismInput{Mechanism: m, Evidence: []v1alpha1.Evidence{
		mechEvidence("sop", mechDate(2026, 2, 1), v1alpha1.ConditionVerified),
		mechMinutes("ntf-minutes-2026-06", mechDate(2026, 6, 11), v1alpha1.ConditionVerified),
	}}
}

// mechWantCond checks one condition's status and reason, and that its
// message contains each of msgParts.
func mechWantCond(t *testing.T, conds []metav1.Condition, typ string, status metav1.ConditionStatus, reason string, msgParts ...string) {
	t.Helper()
	c := meta.FindStatusCondition(conds, typ)
	if c == nil {
		t.Fatalf("condition %s missing from %v", typ, conds)
	}
	if c.Status != status || c.Reason != reason {
		t.Errorf("%s = %s/%s (%q), want %s/%s", typ, c.Status, c.Reason, c.Message, status, reason)
	}
	for _, p := range msgParts {
		if !strings.Contains(c.Message, p) {
			t.Errorf("%s message %q does not contain %q", typ, c.Message, p)
		}
	}
}

func TestMechanismConditionsOrderAndGeneration(t *testing.T) {
	st, _ := Mechanism(mechHealthyInput(mechObj()), mechNow)
	want := []string{"Ready", "Stalled", "Formalized", "RolesDefined", "SectorsRepresented", "MeetingsRegular", "IndicatorsOnTrack"}
	if len(st.Conditions) != len(want) {
		t.Fatalf("got %d conditions, want %d: %v", len(st.Conditions), len(want), st.Conditions)
	}
	for i, c := range st.Conditions {
		if c.Type != want[i] || c.ObservedGeneration != 3 || c.Message == "" {
			t.Errorf("condition %d = %s (gen %d, message %q), want %s at generation 3", i, c.Type, c.ObservedGeneration, c.Message, want[i])
		}
	}
	if st.ObservedGeneration != 3 {
		t.Errorf("observedGeneration = %d, want 3", st.ObservedGeneration)
	}
	mechWantCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonEvaluated)
	mechWantCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionFalse, v1alpha1.ReasonEvaluated)
}

func TestMechanismInvalidEvidenceSelector(t *testing.T) {
	m := mechObj(func(m *v1alpha1.CooperationMechanism) {
		m.Spec.Meetings.EvidenceSelector.MatchLabels = map[string]v1alpha1.LabelValue{"concord.dev/minutes-of": "not a value"}
	})
	st, next := Mechanism(mechHealthyInput(m), mechNow)
	mechWantCond(t, st.Conditions, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonInvalidSpec, "spec.meetings.evidenceSelector")
	mechWantCond(t, st.Conditions, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec, "spec.meetings.evidenceSelector")
	for _, typ := range mechanismCondTypes {
		mechWantCond(t, st.Conditions, typ, metav1.ConditionUnknown, v1alpha1.ReasonNotEvaluated)
	}
	if len(st.Conditions) != 7 || !next.IsZero() {
		t.Errorf("got %d conditions and next %v, want 7 and zero", len(st.Conditions), next)
	}
}

func TestMechanismFormalized(t *testing.T) {
	ref := func(n string) *v1alpha1.LocalObjectReference { return &v1alpha1.LocalObjectReference{Name: n} }
	feb := mechDate(2026, 2, 1)
	tests := []struct {
		name        string
		instruments []v1alpha1.Instrument
		evidence    []v1alpha1.Evidence
		status      metav1.ConditionStatus
		reason      string
		msg         []string
	}{
		{"no instruments", nil, nil, metav1.ConditionFalse, v1alpha1.ReasonNoInstruments, nil},
		{"verified", []v1alpha1.Instrument{{Title: "Referral SOP", EvidenceRef: ref("sop")}},
			[]v1alpha1.Evidence{mechEvidence("sop", feb, v1alpha1.ConditionVerified)},
			metav1.ConditionTrue, v1alpha1.ReasonInstrumentVerified, []string{"Referral SOP", "sop"}},
		{"second instrument verified", []v1alpha1.Instrument{{Title: "MOU", EvidenceRef: ref("gone")}, {Title: "ToR", EvidenceRef: ref("tor")}},
			[]v1alpha1.Evidence{mechEvidence("tor", feb, v1alpha1.ConditionVerified)},
			metav1.ConditionTrue, v1alpha1.ReasonInstrumentVerified, []string{"ToR", "tor"}},
		{"expired", []v1alpha1.Instrument{{Title: "Referral SOP", EvidenceRef: ref("sop")}},
			[]v1alpha1.Evidence{mechEvidence("sop", feb, v1alpha1.ConditionVerified, v1alpha1.ConditionExpired)},
			metav1.ConditionFalse, v1alpha1.ReasonInstrumentNotVerified, []string{"Referral SOP", "sop expired"}},
		{"not verified", []v1alpha1.Instrument{{Title: "Referral SOP", EvidenceRef: ref("sop")}},
			[]v1alpha1.Evidence{mechEvidence("sop", feb)},
			metav1.ConditionFalse, v1alpha1.ReasonInstrumentNotVerified, []string{"sop is not verified"}},
		{"no evidenceRef", []v1alpha1.Instrument{{Title: "Referral SOP"}}, nil,
			metav1.ConditionFalse, v1alpha1.ReasonInstrumentNotVerified, []string{`"Referral SOP" has no evidenceRef`}},
		{"evidence not found", []v1alpha1.Instrument{{Title: "A", EvidenceRef: ref("gone")}, {Title: "B", EvidenceRef: ref("sop")}},
			[]v1alpha1.Evidence{mechEvidence("sop", feb)},
			metav1.ConditionFalse, v1alpha1.ReasonEvidenceNotFound, []string{"gone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mechObj(func(m *v1alpha1.CooperationMechanism) { m.Spec.Instruments = tt.instruments })
			st, _ := Mechanism(MechanismInput{Mechanism: m, Evidence: tt.evidence}, mechNow)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionFormalized, tt.status, tt.reason, tt.msg...)
		})
	}
}

func TestMechanismFormalizedIgnoresOtherNamespaces(t *testing.T) {
	ev := mechEvidence("sop", mechDate(2026, 2, 1), v1alpha1.ConditionVerified)
	ev.Namespace = "elsewhere"
	st, _ := Mechanism(MechanismInput{Mechanism: mechObj(), Evidence: []v1alpha1.Evidence{ev}}, mechNow)
	mechWantCond(t, st.Conditions, v1alpha1.ConditionFormalized, metav1.ConditionFalse, v1alpha1.ReasonEvidenceNotFound, "sop")
}

func TestMechanismEvidenceNotFoundNamesFive(t *testing.T) {
	m := mechObj(func(m *v1alpha1.CooperationMechanism) {
		m.Spec.Instruments = nil
		for _, n := range []string{"e1", "e2", "e3", "e4", "e5", "e6", "e7"} {
			m.Spec.Instruments = append(m.Spec.Instruments, v1alpha1.Instrument{Title: n, EvidenceRef: &v1alpha1.LocalObjectReference{Name: n}})
		}
	})
	st, _ := Mechanism(MechanismInput{Mechanism: m}, mechNow)
	mechWantCond(t, st.Conditions, v1alpha1.ConditionFormalized, metav1.ConditionFalse, v1alpha1.ReasonEvidenceNotFound, "e1, e2, e3, e4, e5 and 2 more")
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionFormalized); strings.Contains(c.Message, "e6") {
		t.Errorf("message %q names more than 5", c.Message)
	}
}

func TestMechanismRolesDefined(t *testing.T) {
	noRole := mechMember("Ministry of Justice", "CriminalJustice")
	noRole.Role = ""
	noResp := mechMember("Shelter Network", "DirectAssistance")
	noResp.Responsibilities = nil
	var many []v1alpha1.Member
	for _, org := range []string{"O1", "O2", "O3", "O4", "O5", "O6"} {
		many = append(many, v1alpha1.Member{Organization: org, Sector: "Government"})
	}
	tests := []struct {
		name    string
		members []v1alpha1.Member
		status  metav1.ConditionStatus
		reason  string
		msg     []string
	}{
		{"all defined", []v1alpha1.Member{mechMember("A", "Government")}, metav1.ConditionTrue, v1alpha1.ReasonRolesDefined, []string{"its one member has a role"}},
		{"no members", nil, metav1.ConditionFalse, v1alpha1.ReasonRolesMissing, []string{"no members are listed"}},
		{"role and responsibility missing", []v1alpha1.Member{mechMember("A", "Government"), noRole, noResp},
			metav1.ConditionFalse, v1alpha1.ReasonRolesMissing, []string{"2 of 3", "Ministry of Justice, Shelter Network"}},
		{"more than five", many, metav1.ConditionFalse, v1alpha1.ReasonRolesMissing, []string{"O1, O2, O3, O4, O5 and 1 more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mechObj(func(m *v1alpha1.CooperationMechanism) { m.Spec.Members = tt.members })
			st, _ := Mechanism(mechHealthyInput(m), mechNow)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionRolesDefined, tt.status, tt.reason, tt.msg...)
		})
	}
}

func TestMechanismSectorsRepresented(t *testing.T) {
	tests := []struct {
		name     string
		required []v1alpha1.Sector
		status   metav1.ConditionStatus
		reason   string
		msg      string
	}{
		{"all present", []v1alpha1.Sector{"Government", "CivilSociety"}, metav1.ConditionTrue, v1alpha1.ReasonAllSectorsRepresented, "both required sectors have a member"},
		{"none required", nil, metav1.ConditionTrue, v1alpha1.ReasonAllSectorsRepresented, "no sectors are required"},
		{"missing", []v1alpha1.Sector{"Government", "Academia", "HumanRightsInstitution"},
			metav1.ConditionFalse, v1alpha1.ReasonSectorsMissing, "Academia, HumanRightsInstitution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mechObj(func(m *v1alpha1.CooperationMechanism) { m.Spec.RequiredSectors = tt.required })
			st, _ := Mechanism(mechHealthyInput(m), mechNow)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionSectorsRepresented, tt.status, tt.reason, tt.msg)
		})
	}
}

func TestMechanismMeetingsRegular(t *testing.T) {
	june11 := mechDate(2026, 6, 11)
	due := june11.Add(90 * 24 * time.Hour) // 2026-09-09
	verified := v1alpha1.ConditionVerified
	other := mechEvidence("other-minutes", mechDate(2026, 6, 30), verified) // not labelled as minutes
	tests := []struct {
		name     string
		meetings bool
		evidence []v1alpha1.Evidence
		now      time.Time
		status   metav1.ConditionStatus
		reason   string
		msg      []string
		next     time.Time
	}{
		{"meetings not set", false, []v1alpha1.Evidence{mechMinutes("m", june11, verified)}, mechNow,
			metav1.ConditionFalse, v1alpha1.ReasonNoMeetingEvidence, []string{"spec.meetings is not set"}, time.Time{}},
		{"no minutes", true, []v1alpha1.Evidence{other}, mechNow,
			metav1.ConditionFalse, v1alpha1.ReasonNoMeetingEvidence, []string{"concord.dev/minutes-of=ntf"}, time.Time{}},
		{"minutes not verified", true, []v1alpha1.Evidence{mechMinutes("m", june11)}, mechNow,
			metav1.ConditionFalse, v1alpha1.ReasonNoMeetingEvidence, nil, time.Time{}},
		{"within interval", true, []v1alpha1.Evidence{mechMinutes("ntf-minutes-2026-06", june11, verified), other}, mechNow,
			metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval,
			[]string{"newest minutes ntf-minutes-2026-06 collected 2026-06-11; meetings are due every 90 days", "2026-09-09"}, due},
		{"expired minutes still count", true, []v1alpha1.Evidence{mechMinutes("m", june11, verified, v1alpha1.ConditionExpired)}, mechNow,
			metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval, nil, due},
		{"newest verified wins", true, []v1alpha1.Evidence{
			mechMinutes("old", mechDate(2026, 1, 5), verified), mechMinutes("m", june11, verified), mechMinutes("unverified", mechDate(2026, 6, 20)),
		}, mechNow, metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval, []string{"minutes m collected 2026-06-11"}, due},
		{"one second before the interval ends", true, []v1alpha1.Evidence{mechMinutes("m", june11, verified)}, due.Add(-time.Second),
			metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval, nil, due},
		{"exactly at the interval's end", true, []v1alpha1.Evidence{mechMinutes("m", june11, verified)}, due,
			metav1.ConditionFalse, v1alpha1.ReasonMeetingOverdue, []string{"collected 2026-06-11", "due 2026-09-09"}, time.Time{}},
		{"minutes dated in the future never count", true, []v1alpha1.Evidence{mechMinutes("forged", mechDate(2999, 1, 1), verified)}, mechNow,
			metav1.ConditionFalse, v1alpha1.ReasonNoMeetingEvidence, nil, time.Time{}},
		{"minutes dated in the future do not hide real ones", true, []v1alpha1.Evidence{
			mechMinutes("m", june11, verified), mechMinutes("forged", mechDate(2999, 1, 1), verified),
		}, mechNow, metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval, []string{"minutes m collected 2026-06-11"}, due},
		{"overdue", true, []v1alpha1.Evidence{mechMinutes("m", mechDate(2026, 1, 5), verified)}, mechNow,
			metav1.ConditionFalse, v1alpha1.ReasonMeetingOverdue, []string{"collected 2026-01-05", "every 90 days", "due 2026-04-05"}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mechObj()
			if !tt.meetings {
				m.Spec.Meetings = nil
			}
			st, next := Mechanism(MechanismInput{Mechanism: m, Evidence: tt.evidence}, tt.now)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionMeetingsRegular, tt.status, tt.reason, tt.msg...)
			if !next.Equal(tt.next) {
				t.Errorf("next = %v, want %v", next, tt.next)
			}
		})
	}
}

func TestMechanismMeetingTimeOfDayShown(t *testing.T) {
	in := MechanismInput{Mechanism: mechObj(), Evidence: []v1alpha1.Evidence{
		mechMinutes("m", time.Date(2026, 6, 11, 15, 30, 0, 0, time.UTC), v1alpha1.ConditionVerified),
	}}
	st, _ := Mechanism(in, mechNow)
	mechWantCond(t, st.Conditions, v1alpha1.ConditionMeetingsRegular, metav1.ConditionTrue, v1alpha1.ReasonMeetingWithinInterval,
		"collected 2026-06-11T15:30:00Z", "next by 2026-09-09T15:30:00Z")
}

func TestMechanismIndicatorsOnTrack(t *testing.T) {
	met, onTrack := v1alpha1.ConditionTargetMet, v1alpha1.ConditionOnTrack
	var behind []v1alpha1.Indicator
	for _, n := range []string{"i6", "i5", "i4", "i3", "i2", "i1"} {
		behind = append(behind, mechIndicator(n, v1alpha1.ConditionDataOverdue))
	}
	tests := []struct {
		name   string
		inds   []v1alpha1.Indicator
		status metav1.ConditionStatus
		reason string
		msg    string
	}{
		{"no indicators", nil, metav1.ConditionUnknown, v1alpha1.ReasonNoIndicators, "mechanismRef"},
		{"all met", []v1alpha1.Indicator{mechIndicator("a", met), mechIndicator("b", met, onTrack)},
			metav1.ConditionTrue, v1alpha1.ReasonAllTargetsMet, "both indicators have met their targets"},
		{"met or on track", []v1alpha1.Indicator{mechIndicator("a", met), mechIndicator("b", onTrack)},
			metav1.ConditionTrue, v1alpha1.ReasonOnTrack, "1 met, 1 on track"},
		{"one behind", []v1alpha1.Indicator{mechIndicator("a", met), mechIndicator("b")},
			metav1.ConditionFalse, v1alpha1.ReasonTargetsNotMet, "1 of 2 indicators is neither met nor on track: b"},
		{"more than five behind", behind, metav1.ConditionFalse, v1alpha1.ReasonTargetsNotMet, "i1, i2, i3, i4, i5 and 1 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mechHealthyInput(mechObj())
			in.Indicators = tt.inds
			st, _ := Mechanism(in, mechNow)
			mechWantCond(t, st.Conditions, v1alpha1.ConditionIndicatorsOnTrack, tt.status, tt.reason, tt.msg)
		})
	}
}

func TestMechanismIndicatorCounts(t *testing.T) {
	foreign := mechIndicator("foreign", v1alpha1.ConditionTargetMet)
	foreign.Namespace = "elsewhere"
	unrelated := mechIndicator("unrelated", v1alpha1.ConditionTargetMet)
	unrelated.Spec.MechanismRef.Name = "other-mechanism"
	in := mechHealthyInput(mechObj())
	in.Indicators = []v1alpha1.Indicator{
		mechIndicator("a", v1alpha1.ConditionTargetMet, v1alpha1.ConditionOnTrack),
		mechIndicator("b", v1alpha1.ConditionOnTrack, v1alpha1.ConditionEvidenceMissing),
		mechIndicator("c", v1alpha1.ConditionDataOverdue, v1alpha1.ConditionEvidenceMissing),
		foreign, unrelated,
	}
	st, _ := Mechanism(in, mechNow)
	want := v1alpha1.IndicatorCounts{Total: 3, TargetMet: 1, OnTrack: 2, EvidenceMissing: 2, DataOverdue: 1}
	if st.Indicators == nil || *st.Indicators != want {
		t.Errorf("indicators = %+v, want %+v", st.Indicators, want)
	}
}

func TestMechanismKeepsTransitionTime(t *testing.T) {
	m := mechObj()
	first, _ := Mechanism(mechHealthyInput(m), mechNow)
	m.Status = first
	later := mechNow.Add(36 * time.Hour)
	second, _ := Mechanism(mechHealthyInput(m), later)
	for i, c := range second.Conditions {
		prev := first.Conditions[i]
		if !c.LastTransitionTime.Equal(&prev.LastTransitionTime) || c.Message != prev.Message {
			t.Errorf("%s changed across evaluations: %v %q -> %v %q", c.Type, prev.LastTransitionTime, prev.Message, c.LastTransitionTime, c.Message)
		}
	}
	// A status change stamps the new time.
	m.Status = second
	third, _ := Mechanism(MechanismInput{Mechanism: m}, later)
	mechWantCond(t, third.Conditions, v1alpha1.ConditionFormalized, metav1.ConditionFalse, v1alpha1.ReasonEvidenceNotFound)
	if c := third.Conditions[2]; !c.LastTransitionTime.Time.Equal(later) {
		t.Errorf("Formalized lastTransitionTime = %v, want %v", c.LastTransitionTime, later)
	}
}
