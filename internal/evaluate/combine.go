package evaluate

import (
	"math/big"
	"sort"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// PeriodData is the combined figure of one period.
type PeriodData struct {
	Period       Period
	Reading      Reading
	Counted      []*v1alpha1.Measurement
	Reporters    int
	LastReported time.Time
}

// combinePeriod combines the counted reports of one period: only the
// consolidating reporter's when consolidatedBy is set; otherwise Count and
// Amount sum, Ratio sums numerators and denominators, and Boolean,
// Percentage and Level take the newest report.
func combinePeriod(spec *v1alpha1.IndicatorSpec, p Period, reports []*v1alpha1.Measurement) (PeriodData, bool) {
	if spec.ConsolidatedBy != "" {
		reports = filter(reports, func(m *v1alpha1.Measurement) bool { return m.Spec.Reporter == spec.ConsolidatedBy })
	}
	if len(reports) == 0 {
		return PeriodData{}, false
	}
	sort.Slice(reports, func(i, j int) bool { return newer(reports[i], reports[j]) })
	d := PeriodData{Period: p, Counted: reports, LastReported: reportTime(reports[0])}
	reporters := map[string]bool{}
	for _, m := range reports {
		reporters[m.Spec.Reporter] = true
	}
	d.Reporters = len(reporters)
	switch spec.Measure.Type {
	case v1alpha1.MeasureCount, v1alpha1.MeasureAmount, v1alpha1.MeasureRatio:
		d.Reading = sumReadings(spec.Measure, reports)
	default:
		d.Reading, _ = readingOf(spec.Measure, reports[0].Spec.Value, reports[0].Spec.Numerator, reports[0].Spec.Denominator)
	}
	return d, true
}

func sumReadings(m v1alpha1.Measure, reports []*v1alpha1.Measurement) Reading {
	sum := Reading{Value: new(big.Rat)}
	if m.Type == v1alpha1.MeasureRatio {
		sum = Reading{Numerator: new(big.Rat), Denominator: new(big.Rat)}
	}
	for _, r := range reports {
		rd, err := readingOf(m, r.Spec.Value, r.Spec.Numerator, r.Spec.Denominator)
		if err == nil {
			addReading(&sum, rd)
		}
	}
	return sum
}

// valueOf is a reading's value in the measure's units (a Ratio scaled).
func valueOf(r Reading, scale *big.Rat) *big.Rat {
	if r.Value != nil {
		return r.Value
	}
	if r.Numerator == nil {
		return nil
	}
	return RatioValue(r.Numerator, r.Denominator, scale)
}

// byPeriod groups counted measurements by period and combines them,
// returning periods in chronological order.
func byPeriod(spec *v1alpha1.IndicatorSpec, counted []*v1alpha1.Measurement) []PeriodData {
	groups := map[Period][]*v1alpha1.Measurement{}
	for _, m := range counted {
		p, err := ParsePeriod(string(m.Spec.Period), spec.Cadence)
		if err == nil {
			groups[p] = append(groups[p], m)
		}
	}
	var out []PeriodData
	for p, ms := range groups {
		if d, ok := combinePeriod(spec, p, ms); ok {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Period.Compare(out[j].Period) < 0 })
	return out
}

func filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
