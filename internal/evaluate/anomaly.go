package evaluate

import (
	"fmt"
	"math/big"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// Anomalies: the modified z-score of Iglewicz and Hoaglin (1993), computed
// exactly. A period's value x is judged against the previous up to
// anomalyWindow periods with data: z = 0.6745 (x - median) / MAD, and x is
// an outlier when |z| > 3.5. When the MAD is 0, 1.253314 x the mean
// absolute deviation from the median stands in for the standard deviation
// the MAD estimates (MAD / 0.6745): z = (x - median) / (1.253314 meanAD).
// When that is 0 too, every previous value is the median, and any other
// value is an outlier.

const (
	// anomalyWindow is how many previous periods with data are used.
	anomalyWindow = 8
	// anomalyMinHistory is how many are needed to judge a value.
	anomalyMinHistory = 4
)

var (
	// zFactor is 0.6745, the third quartile of the standard normal
	// distribution: MAD / 0.6745 estimates the standard deviation.
	zFactor = big.NewRat(6745, 10000)
	// meanADFactor is 1.253314 (the square root of pi/2): 1.253314 x the
	// mean absolute deviation estimates the standard deviation.
	meanADFactor = big.NewRat(1253314, 1000000)
	// zBound is 3.5: |z| above it is an outlier.
	zBound = big.NewRat(7, 2)
)

// Spread says what scales a value's deviation from the median.
type Spread int

const (
	// SpreadMAD: the MAD, z = 0.6745 (x - median) / MAD.
	SpreadMAD Spread = iota
	// SpreadMeanAD: the MAD is 0; z = (x - median) / (1.253314 meanAD).
	SpreadMeanAD
	// SpreadNone: the MAD and the mean absolute deviation are 0: any value
	// other than the median is an outlier.
	SpreadNone
)

// Score is a value judged against previous values.
type Score struct {
	// Reason is OutlierDetected, WithinRange or InsufficientHistory.
	Reason string
	Value  *big.Rat
	// Median, MAD and Spread are set unless Reason is InsufficientHistory;
	// MeanAD only when the MAD is 0.
	Median *big.Rat
	MAD    *big.Rat
	MeanAD *big.Rat
	Spread Spread
	// Z is the modified z-score; nil when it is undefined (SpreadNone and
	// a value other than the median).
	Z *big.Rat
}

// judgeValue judges x against the previous values.
func judgeValue(x *big.Rat, previous []*big.Rat) Score {
	s := Score{Value: x, Reason: v1alpha1.ReasonInsufficientHistory}
	if len(previous) < anomalyMinHistory {
		return s
	}
	s.Median = median(previous)
	devs := absDeviations(previous, s.Median)
	s.MAD = median(devs)
	d := new(big.Rat).Sub(x, s.Median)
	switch {
	case s.MAD.Sign() > 0:
		s.Spread = SpreadMAD
		s.Z = new(big.Rat).Quo(new(big.Rat).Mul(zFactor, d), s.MAD)
	default:
		s.MeanAD = mean(devs)
		if s.MeanAD.Sign() > 0 {
			s.Spread = SpreadMeanAD
			s.Z = new(big.Rat).Quo(d, s.Substitute())
		} else {
			s.Spread = SpreadNone
			if d.Sign() == 0 {
				s.Z = new(big.Rat)
			}
		}
	}
	s.Reason = v1alpha1.ReasonWithinRange
	if s.Z == nil || new(big.Rat).Abs(s.Z).Cmp(zBound) > 0 {
		s.Reason = v1alpha1.ReasonOutlierDetected
	}
	return s
}

// Substitute is 1.253314 x the mean absolute deviation, which stands in
// when the MAD is 0 (nil otherwise).
func (s Score) Substitute() *big.Rat {
	if s.MeanAD == nil {
		return nil
	}
	return new(big.Rat).Mul(meanADFactor, s.MeanAD)
}

// ScoreText is the modified z-score for metrics, rounded to 2 places:
// "+Inf" or "-Inf" when it is undefined, "" before a value is judged.
func (s Score) ScoreText() string {
	switch {
	case s.Reason == v1alpha1.ReasonInsufficientHistory || s.Median == nil:
		return ""
	case s.Z != nil:
		return FormatValue(s.Z)
	case s.Value.Cmp(s.Median) > 0:
		return "+Inf"
	}
	return "-Inf"
}

func median(xs []*big.Rat) *big.Rat {
	sorted := append([]*big.Rat(nil), xs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Cmp(sorted[j]) < 0 })
	n := len(sorted)
	if n%2 == 1 {
		return new(big.Rat).Set(sorted[n/2])
	}
	m := new(big.Rat).Add(sorted[n/2-1], sorted[n/2])
	return m.Quo(m, big.NewRat(2, 1))
}

func mean(xs []*big.Rat) *big.Rat {
	sum := new(big.Rat)
	for _, x := range xs {
		sum.Add(sum, x)
	}
	return sum.Quo(sum, big.NewRat(int64(len(xs)), 1))
}

func absDeviations(xs []*big.Rat, from *big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(xs))
	for k, x := range xs {
		d := new(big.Rat).Sub(x, from)
		out[k] = d.Abs(d)
	}
	return out
}

// Anomaly is the judgement of an indicator's current period.
type Anomaly struct {
	Score
	// Status and Message of the Anomalous condition.
	Status  metav1.ConditionStatus
	Message string
	// Period judged (zero when none is), and the previous periods with
	// data it is judged against and their values, oldest first.
	Period         Period
	Previous       []Period
	PreviousValues []*big.Rat
}

// anomaly judges the current period's own value (for Cumulative and
// Latest aggregation too: the period's combined figure, not a running sum
// or a single report) against the previous periods with data. A
// provisional value is not judged, since its period is still open and its
// figure may be incomplete: the latest closed period with data is.
func anomaly(cur *Current, periods []PeriodData, scale *big.Rat, cal Calendar, now time.Time) Anomaly {
	a := Anomaly{Status: metav1.ConditionUnknown, Score: Score{Reason: v1alpha1.ReasonNoData}}
	if cur == nil {
		a.Message = "No counted measurement yet"
		return a
	}
	at, note := -1, ""
	for k := len(periods) - 1; k >= 0; k-- {
		p := periods[k].Period
		if (!cur.Provisional && p == cur.Period) || (cur.Provisional && !p.End(cal).After(now)) {
			at = k
			break
		}
	}
	if cur.Provisional {
		note = fmt.Sprintf(" (%s is open and its value provisional: the latest closed period with data is judged)", cur.Period)
	}
	if at < 0 {
		a.Message = fmt.Sprintf("No closed period has counted data yet: %s is open and its value provisional", cur.Period)
		return a
	}
	a.Period = periods[at].Period
	for k := at - 1; k >= 0 && len(a.Previous) < anomalyWindow; k-- {
		a.Previous = append([]Period{periods[k].Period}, a.Previous...)
		a.PreviousValues = append([]*big.Rat{valueOf(periods[k].Reading, scale)}, a.PreviousValues...)
	}
	a.Score = judgeValue(valueOf(periods[at].Reading, scale), a.PreviousValues)
	switch a.Reason {
	case v1alpha1.ReasonInsufficientHistory:
		a.Message = fmt.Sprintf("%s has %s with data; at least %d are needed to judge its value", a.Period, previousPeriods(len(a.Previous)), anomalyMinHistory)
		return a
	case v1alpha1.ReasonOutlierDetected:
		a.Status = metav1.ConditionTrue
	default:
		a.Status = metav1.ConditionFalse
	}
	a.Message = a.text() + note
	return a
}

func previousPeriods(n int) string {
	if n == 1 {
		return "1 previous period"
	}
	return fmt.Sprintf("%d previous periods", n)
}

// text states the judgement in numbers.
func (a Anomaly) text() string {
	verdict := "is within range of"
	if a.Reason == v1alpha1.ReasonOutlierDetected {
		verdict = "is an outlier against"
	}
	s := fmt.Sprintf("%s: %s %s the %d previous periods with data (%s to %s): ", a.Period, FormatValue(a.Value), verdict,
		len(a.Previous), a.Previous[0], a.Previous[len(a.Previous)-1])
	switch a.Spread {
	case SpreadNone:
		return s + fmt.Sprintf("each of them is %s (MAD and mean absolute deviation 0), so any other value is an outlier", FormatValue(a.Median))
	case SpreadMeanAD:
		s += fmt.Sprintf("median %s, MAD 0 (%s × mean absolute deviation %s = %s in its place)", FormatValue(a.Median),
			Format(meanADFactor, 6), FormatValue(a.MeanAD), FormatValue(a.Substitute()))
	default:
		s += fmt.Sprintf("median %s, MAD %s", FormatValue(a.Median), FormatValue(a.MAD))
	}
	return s + fmt.Sprintf(", modified z-score %s; the bound is %s", zText(a.Z, a.Reason == v1alpha1.ReasonOutlierDetected), FormatValue(zBound))
}

// zText rounds z to 2 places, or to 6 where 2 would hide which side of
// the bound it lies (3.5 for 3.504).
func zText(z *big.Rat, outlier bool) string {
	s := FormatValue(new(big.Rat).Abs(z))
	if outlier && s == FormatValue(zBound) {
		return Format(z, 6)
	}
	return FormatValue(z)
}

func (a Anomaly) cond() Cond {
	return Cond{Type: v1alpha1.ConditionAnomalous, Status: a.Status, Reason: a.Reason, Message: a.Message}
}

// AnomalyOf judges an indicator's current period as its Anomalous
// condition does, from its accepted Measurements (Accepted True, superseded
// ones included), for reports that explain a flagged value. ok is false
// when the spec cannot be evaluated.
func AnomalyOf(ind *v1alpha1.Indicator, accepted []*v1alpha1.Measurement, now time.Time) (Anomaly, bool) {
	b, err := basisOf(ind, accepted, now)
	if err != nil {
		return Anomaly{}, false
	}
	return anomaly(b.cur, b.periods, b.model.scale, b.model.cal, now), true
}
