package report

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func TestLabels(t *testing.T) {
	for id, want := range map[string]string{
		"TaskForce":               "Task force",
		"InterMinisterialCouncil": "Inter-ministerial council",
		"CivilSociety":            "Civil society",
		"HumanRightsInstitution":  "Human rights institution",
		"DeadlineMissed":          "Deadline missed",
		"MeetingsRegular":         "Meetings regular",
		"TermsOfReference":        "Terms of reference",
		"MOU":                     "Memorandum of understanding",
		"SOP":                     "Standard operating procedures",
		"SemiAnnual":              "Half-yearly",
		"countryOfOrigin":         "Country of origin",
		"NGOPartners":             "NGO partners",
		"0-17":                    "0-17",
		"18+":                     "18+",
		"XA":                      "XA",
	} {
		if got := Label(id); got != want {
			t.Errorf("Label(%q) = %q, want %q", id, got, want)
		}
	}
	for id, want := range map[string]string{"DeadlineMissed": "deadline missed", "CivilSociety": "civil society", "NGOPartners": "NGO partners"} {
		if got := phrase(id); got != want {
			t.Errorf("phrase(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestSubject: a mechanism's name opens a sentence with "The", lowered
// when it is a common noun phrase, kept when it is a proper name.
func TestSubject(t *testing.T) {
	for name, want := range map[string]string{
		"National task force":                                 "The national task force",
		"Inter-ministerial council":                           "The inter-ministerial council",
		"National Referral Mechanism":                         "The National Referral Mechanism",
		"Inter-Ministerial Council on Trafficking in Persons": "The Inter-Ministerial Council on Trafficking in Persons",
		"NRM":               "The NRM",
		"the working group": "The working group",
	} {
		if got := subject(name); got != want {
			t.Errorf("subject(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestDisplayNames(t *testing.T) {
	n, err := displayNames(map[string]string{DisplayNamesAnnotation: "stakeholderType: Referred by\nstakeholderType/borderControl: Border control\nage/0-17: Children\n"})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{names(n).dimension("stakeholderType"), names(n).category("stakeholderType", "borderControl"), names(n).category("age", "0-17"),
		names(n).dimension("countryOfOrigin"), names(n).category("stakeholderType", "ngoPartners"), names(n).category("place", "northern-border"),
		names(n).category("place", "Republic of Moldova")}
	want := []string{"Referred by", "Border control", "Children", "Country of origin", "Ngo partners", "Northern border", "Republic of Moldova"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("names %q,\nwant %q", got, want)
	}
	if n, err := displayNames(map[string]string{DisplayNamesAnnotation: `{"gender": "Sex"}`}); err != nil || n["gender"] != "Sex" {
		t.Errorf("JSON: %v, %v", n, err)
	}
	if _, err := displayNames(map[string]string{DisplayNamesAnnotation: "- a list\n- not a map"}); err == nil {
		t.Error("a list is accepted as display names")
	}
}

// TestBadDisplayNamesAreANote: an annotation that is not a map is
// reported, not silently ignored; the report still renders.
func TestBadDisplayNamesAreANote(t *testing.T) {
	objs := controlObjects()
	ind := objs[0].(*v1alpha1.Indicator)
	ind.Annotations = map[string]string{DisplayNamesAnnotation: "[not, a, map]", DisplayNameAnnotation: "Victims <b>referred</b>"}
	r := Build(objs, Options{Generated: goldenAt})
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "concord.dev/display-names is not a map") {
		t.Errorf("notes %q", r.Notes)
	}
	i := find(t, r, "ctl", "controls")
	if i.Heading() != "Victims <b>referred</b>" {
		t.Errorf("heading %q", i.Heading())
	}
	page := renderHTML(t, r)
	assertSelfContained(t, page)
	if !strings.Contains(text(page), "Victims <b>referred</b>") {
		t.Error("the display name is not shown as text")
	}
}

// TestMechanismFindingsWhenThingsAreWrong: each finding in its failing
// form, as a sentence without artefacts.
func TestMechanismFindingsWhenThingsAreWrong(t *testing.T) {
	f := func(status metav1.ConditionStatus, reason string) Condition {
		return Condition{Status: string(status), Reason: reason}
	}
	m := Mechanism{
		Title: "Criminal justice working group", Members: 8,
		Formalized:         f(metav1.ConditionFalse, v1alpha1.ReasonInstrumentNotVerified),
		MeetingsRegular:    f(metav1.ConditionFalse, v1alpha1.ReasonMeetingOverdue),
		SectorsRepresented: f(metav1.ConditionFalse, v1alpha1.ReasonSectorsMissing),
		RolesDefined:       f(metav1.ConditionFalse, v1alpha1.ReasonRolesMissing),
		IndicatorsOnTrack:  f(metav1.ConditionFalse, v1alpha1.ReasonTargetsNotMet),
		RequiredSectors:    []string{"Government", "CivilSociety", "Academia"},
		MissingSectors:     []string{"CivilSociety", "Academia"},
		Unassigned:         []string{"Police", "Customs"},
		MaxIntervalDays:    90,
		LastMeeting:        time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Counts:             &v1alpha1.IndicatorCounts{Total: 3},
		Indicators:         []*Indicator{{State: StateNotMet}, {State: StateMet}, {State: StateOnTrack, OnTrack: Condition{Status: "True"}}},
	}
	got := (prose{}).findings(&m)
	want := "The criminal justice working group is not formalized: no instrument has verified, current evidence; " +
		"it last met on 1 March 2026; the next meeting was due by 30 May 2026; " +
		"no member represents civil society or academia, required sectors; " +
		"2 of 8 members lack a role or responsibilities: Police and Customs; " +
		"one of its three indicators is neither met nor on track."
	if got != want {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	for _, a := range sentenceArtefacts(got) {
		t.Errorf("artefact %q", a)
	}
	m.MeetingsRegular, m.LastMeeting, m.MaxIntervalDays = f(metav1.ConditionFalse, v1alpha1.ReasonNoMeetingEvidence), time.Time{}, 0
	m.Formalized = f(metav1.ConditionFalse, v1alpha1.ReasonNoInstruments)
	if got := (prose{}).findings(&m); !strings.Contains(got, "not formalized: no instrument is listed; no meeting schedule is declared;") {
		t.Errorf("findings %q", got)
	}
}

// TestClusterWithoutEvidence: read from a cluster without Evidence, the
// findings rest on the conditions alone.
func TestClusterWithoutEvidence(t *testing.T) {
	var objs []client.Object
	for _, o := range evaluated(t, "../../examples/national-plan") {
		if _, ok := o.(*v1alpha1.Evidence); !ok {
			objs = append(objs, o)
		}
	}
	r := Build(objs, Options{Generated: goldenAt})
	for _, m := range r.Mechanisms {
		if m.Name != "national-task-force" {
			continue
		}
		got := (prose{}).findings(&m)
		if !strings.HasPrefix(got, "The national task force is formalized by a verified instrument; it meets within its 100-day interval;") {
			t.Errorf("findings %q", got)
		}
		return
	}
	t.Fatal("no national task force")
}
