package report

import (
	"math/big"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/disclosure"
	"github.com/concord-operator/concord/internal/evaluate"
)

// Reporting is an indicator's expected reporters' record over the due
// periods of the history (spec.reporting.expectedReporters): which partner
// reports on time, late or not at all. It holds counts of periods, not
// figures: disclosure control does not apply.
type Reporting struct {
	// From and To are the first and last due period of the history.
	From, To string
	// Periods is the number of due periods.
	Periods int
	// GraceDays is reportingGraceDays: a figure first filed by a period's
	// end plus these days is on time.
	GraceDays int
	// Rows has one row per expected reporter, in spec order.
	Rows []ReporterRow
}

// ReporterRow is one expected reporter's record.
type ReporterRow struct {
	Reporter              string
	OnTime, Late, Missing int
	// Gaps names the periods it reported late or not at all, oldest
	// first: "2026-Q2 late", "2026-Q3 missing".
	Gaps []string
}

// acceptedOf are the indicator's Measurements that its status counts or
// superseded: Accepted True.
func acceptedOf(ind *v1alpha1.Indicator, meas []*v1alpha1.Measurement) []*v1alpha1.Measurement {
	var out []*v1alpha1.Measurement
	for _, m := range meas {
		if m.Namespace == ind.Namespace && m.Spec.IndicatorRef.Name == ind.Name && meta.IsStatusConditionTrue(m.Status.Conditions, v1alpha1.ConditionAccepted) {
			out = append(out, m)
		}
	}
	return out
}

// reportingTable is the expected reporters' record of the history, as
// internal/evaluate computes it; nil without expected reporters or due
// periods.
func reportingTable(ind *v1alpha1.Indicator, accepted []*v1alpha1.Measurement, now time.Time) *Reporting {
	rec, ok := evaluate.ReportingHistory(ind, accepted, now)
	if !ok {
		return nil
	}
	grace := 30
	if g := ind.Spec.ReportingGraceDays; g != nil {
		grace = int(*g)
	}
	r := &Reporting{From: rec.Due[0].String(), To: rec.Due[len(rec.Due)-1].String(), Periods: len(rec.Due), GraceDays: grace}
	for i, name := range rec.Expected {
		row := ReporterRow{Reporter: safe(name)}
		row.OnTime, row.Late, row.Missing = rec.Tally(i)
		for k, s := range rec.States[i] {
			switch s {
			case evaluate.Late:
				row.Gaps = append(row.Gaps, rec.Due[k].String()+" late")
			case evaluate.Missing:
				row.Gaps = append(row.Gaps, rec.Due[k].String()+" missing")
			}
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// discloseAnomaly withholds the Anomalous message of an indicator under
// disclosure control when it states, or would let a reader work out, a
// figure the report withholds: the judged value, the median and the
// spread come from the previous periods' values, and with the mean
// absolute deviation a single small one can be solved for. It is shown
// only when the indicator's current value, baseline and history show no
// withheld figure, and none of the values the judgement used (which may
// lie before the history) is below minCellSize.
func discloseAnomaly(row *Indicator, ind *v1alpha1.Indicator, accepted []*v1alpha1.Measurement, now time.Time) {
	c := &row.Anomalous
	if row.MinCellSize <= 0 || !countsValues(ind.Spec.Measure.Type) || (!c.True() && !c.False()) {
		return
	}
	withhold := row.CurrentSuppressed || row.BaselineSuppressed
	for _, h := range row.History {
		withhold = withhold || h.Suppressed
	}
	if !withhold {
		a, ok := evaluate.AnomalyOf(ind, accepted, now)
		withhold = !ok || safe(a.Message) != c.Message || anySmall(row.MinCellSize, append([]*big.Rat{a.Value, a.Median}, a.PreviousValues...)...)
	}
	if withhold {
		c.Message = WithheldMessage
	}
}

func anySmall(n int32, values ...*big.Rat) bool {
	for _, v := range values {
		if v == nil || disclosure.Small(v, n) {
			return true
		}
	}
	return false
}
