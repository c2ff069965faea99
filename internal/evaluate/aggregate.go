package evaluate

import (
	"math/big"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Current is the value an indicator is judged by.
type Current struct {
	Period      Period
	Value       *big.Rat
	Provisional bool
	// Counted are the measurements behind the value.
	Counted   []*v1alpha1.Measurement
	Reporters int
}

// currentValue applies the indicator's aggregation to its periods (in
// chronological order). ok is false when there is no data.
func currentValue(spec *v1alpha1.IndicatorSpec, cal Calendar, scale *big.Rat, periods []PeriodData, start Period, now time.Time) (Current, bool) {
	if len(periods) == 0 {
		return Current{}, false
	}
	switch spec.Aggregation {
	case v1alpha1.AggregationCumulative:
		return cumulative(cal, scale, periods, start, now)
	case v1alpha1.AggregationLatest:
		return latest(spec, cal, scale, periods, now)
	default:
		return perPeriod(cal, scale, periods, now)
	}
}

// perPeriod takes the latest closed period with data, else the newest open
// one, provisional.
func perPeriod(cal Calendar, scale *big.Rat, periods []PeriodData, now time.Time) (Current, bool) {
	for i := len(periods) - 1; i >= 0; i-- {
		if !periods[i].Period.End(cal).After(now) {
			return fromPeriod(periods[i], scale, false), true
		}
	}
	d := periods[len(periods)-1]
	return fromPeriod(d, scale, true), true
}

func fromPeriod(d PeriodData, scale *big.Rat, provisional bool) Current {
	return Current{Period: d.Period, Value: valueOf(d.Reading, scale), Provisional: provisional, Counted: d.Counted, Reporters: d.Reporters}
}

// cumulative sums the periods from the reporting start (Ratio: sums of
// numerators over sums of denominators).
func cumulative(cal Calendar, scale *big.Rat, periods []PeriodData, start Period, now time.Time) (Current, bool) {
	sum := Reading{Value: new(big.Rat)}
	if periods[0].Reading.Numerator != nil {
		sum = Reading{Numerator: new(big.Rat), Denominator: new(big.Rat)}
	}
	var c Current
	reporters := map[string]bool{}
	for _, d := range periods {
		if d.Period.Compare(start) < 0 {
			continue
		}
		addReading(&sum, d.Reading)
		c.Period, c.Counted = d.Period, append(c.Counted, d.Counted...)
		for _, m := range d.Counted {
			reporters[m.Spec.Reporter] = true
		}
	}
	if len(c.Counted) == 0 {
		return Current{}, false
	}
	c.Value, c.Reporters = valueOf(sum, scale), len(reporters)
	c.Provisional = c.Period.End(cal).After(now)
	return c, true
}

// latest takes the newest counted report.
func latest(spec *v1alpha1.IndicatorSpec, cal Calendar, scale *big.Rat, periods []PeriodData, now time.Time) (Current, bool) {
	var best *v1alpha1.Measurement
	var bestPeriod Period
	for _, d := range periods {
		for _, m := range d.Counted {
			if best == nil || newer(m, best) {
				best, bestPeriod = m, d.Period
			}
		}
	}
	if best == nil {
		// Values not reported but computed (measure.fromMechanism): the
		// newest period's.
		d := periods[len(periods)-1]
		return fromPeriod(d, scale, d.Period.End(cal).After(now)), true
	}
	r, err := readingOf(spec.Measure, best.Spec.Value, best.Spec.Numerator, best.Spec.Denominator)
	if err != nil {
		return Current{}, false
	}
	return Current{Period: bestPeriod, Value: valueOf(r, scale), Provisional: bestPeriod.End(cal).After(now),
		Counted: []*v1alpha1.Measurement{best}, Reporters: 1}, true
}
