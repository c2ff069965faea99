package metrics

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkObjectSeriesMemory reports the memory the series of 40,000
// Measurements (the scale benchmark's 10,000 indicators) hold between
// scrapes, per Measurement, and the time to delete one object's series:
//
//	go test ./internal/metrics -run '^$' -bench ObjectSeries -benchtime 1x
func BenchmarkObjectSeriesMemory(b *testing.B) {
	conds := []metav1.Condition{}
	for _, t := range []string{"Ready", "Stalled", "Accepted", "Superseded", "Verified"} {
		conds = append(conds, metav1.Condition{Type: t, Status: metav1.ConditionTrue})
	}
	const n = 40_000
	for range b.N {
		before := heapInUse()
		for i := range n {
			ns, name := fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("indicator-%05d-2026-q3-ministry", i)
			SetConditions(KindMeasurement, ns, name, conds)
			SetSuspended(KindMeasurement, ns, name, false)
		}
		held := heapInUse() - before
		b.ReportMetric(float64(held)/n, "B/measurement")
		if got := testutil.CollectAndCount(objectSeriesCollector, "concord_measurement_condition"); got != n*15 {
			b.Fatalf("%d series, want %d", got, n*15)
		}
		for i := range n {
			Forget(KindMeasurement, fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("indicator-%05d-2026-q3-ministry", i))
		}
	}
}
