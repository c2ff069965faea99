package evaluate

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// benchScenario builds n indicators with perIndicator measurements each:
// three reporters over the quarters of 2026, with inline evidence.
func benchScenario(n, perIndicator int) []IndicatorInput {
	quarters := []string{"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}
	reporters := []string{"NGO", "Police", "Labour"}
	inputs := make([]IndicatorInput, n)
	for i := range inputs {
		ind := victimsReferred()
		ind.Name = fmt.Sprintf("ind-%d", i)
		ms := make([]v1alpha1.Measurement, perIndicator)
		for j := range ms {
			q := quarters[j%len(quarters)]
			m := report(fmt.Sprintf("m-%d-%d", i, j), q, fmt.Sprint(10+j), reporters[j%len(reporters)], "2026-10-05T00:00:00Z", records)
			m.Spec.ReportTime = &metav1.Time{Time: at("2026-10-05T00:00:00Z").Add(time.Duration(j) * time.Minute)}
			ms[j] = m
		}
		inputs[i] = IndicatorInput{Indicator: ind, Measurements: ms}
	}
	return inputs
}

// BenchmarkEvaluateIndicators evaluates 10,000 indicators with 100,000
// measurements in all, per op. Run with -cpu 1 for the one-core figure.
func BenchmarkEvaluateIndicators(b *testing.B) {
	inputs := benchScenario(10000, 10)
	now := at("2026-11-21T00:00:00Z")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, in := range inputs {
			Indicator(in, now)
		}
	}
}
