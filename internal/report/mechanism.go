package report

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// mechanismFacts fills in what the section's findings name besides the
// conditions: the sectors required and missing, the members without a
// role, the instrument that formalizes the mechanism and the date of its
// newest minutes. The last two come from the Evidence of its namespace,
// judged as the conditions were (Verified, not Expired for instruments;
// Verified and not dated after it was recorded for minutes); without that
// Evidence the findings rest on the conditions alone.
func mechanismFacts(sec *Mechanism, m *v1alpha1.CooperationMechanism, evidence []*v1alpha1.Evidence, now time.Time) {
	present := map[v1alpha1.Sector]bool{}
	for _, mb := range m.Spec.Members {
		present[mb.Sector] = true
		if mb.Role == "" || len(mb.Responsibilities) == 0 {
			sec.Unassigned = append(sec.Unassigned, safe(mb.Organization))
		}
	}
	for _, s := range m.Spec.RequiredSectors {
		sec.RequiredSectors = append(sec.RequiredSectors, safe(string(s)))
		if !present[s] {
			present[s] = true // named once
			sec.MissingSectors = append(sec.MissingSectors, safe(string(s)))
		}
	}
	own := map[string]*v1alpha1.Evidence{}
	for _, e := range evidence {
		if e.Namespace == m.Namespace {
			own[e.Name] = e
		}
	}
	verified := func(e *v1alpha1.Evidence) bool {
		return meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionVerified)
	}
	if sec.Formalized.True() {
		for _, ins := range m.Spec.Instruments {
			if ins.EvidenceRef == nil {
				continue
			}
			if e := own[ins.EvidenceRef.Name]; e != nil && verified(e) && !meta.IsStatusConditionTrue(e.Status.Conditions, v1alpha1.ConditionExpired) {
				sec.Instrument = &v1alpha1.Instrument{Type: v1alpha1.InstrumentType(safe(string(ins.Type))), Title: safe(ins.Title)}
				break
			}
		}
	}
	mt := m.Spec.Meetings
	if mt == nil {
		return
	}
	sec.MaxIntervalDays = mt.MaxIntervalDays
	sel, err := metav1.LabelSelectorAsSelector(mt.EvidenceSelector.Meta())
	if err != nil {
		return
	}
	for _, e := range own {
		if sel.Matches(labels.Set(e.Labels)) && verified(e) && !evaluate.CollectedInFuture(e, now) && e.Spec.CollectionTime.After(sec.LastMeeting) {
			sec.LastMeeting = e.Spec.CollectionTime.Time
		}
	}
}

// applyNames names the breakdown's dimensions and categories for people.
func applyNames(i *Indicator) {
	if i.Breakdown == nil {
		return
	}
	for k := range i.Breakdown.Omitted {
		o := &i.Breakdown.Omitted[k]
		o.Title = i.Names.dimension(o.Dimension)
	}
	for k := range i.Breakdown.Dimensions {
		d := &i.Breakdown.Dimensions[k]
		d.Title = i.Names.dimension(d.Name)
		for c := range d.Cells {
			cell := &d.Cells[c]
			if cell.NotStated {
				cell.Title = "Not stated"
			} else {
				cell.Title = i.Names.category(d.Name, cell.Category)
			}
		}
	}
}
