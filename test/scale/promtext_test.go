package main

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// apiserverSample is the shape of the kube-apiserver's /metrics.
const apiserverSample = `# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="indicators",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 1000
apiserver_request_total{code="409",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="indicators",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 7
apiserver_request_total{code="200",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="measurements",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 4020
apiserver_request_total{code="200",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="evidences",scope="resource",subresource="status",verb="PUT",version="v1alpha1"} 3
apiserver_request_total{code="200",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="evidences",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 2
apiserver_request_total{code="201",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="measurements",scope="resource",subresource="",verb="POST",version="v1alpha1"} 4000
apiserver_request_total{code="200",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="measurements",scope="resource",subresource="",verb="PATCH",version="v1alpha1"} 5
apiserver_request_total{code="200",component="apiserver",dry_run="",group="other.example.com",resource="widgets",scope="resource",subresource="status",verb="PATCH",version="v1"} 99
apiserver_request_total{code="201",component="apiserver",dry_run="",group="events.k8s.io",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 40
apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 2
apiserver_request_total{code="429",component="apiserver",dry_run="",group="events.k8s.io",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 4
apiserver_request_total{code="200",component="apiserver",dry_run="",group="events.k8s.io",resource="events",scope="resource",subresource="",verb="PATCH",version="v1"} 6
apiserver_request_total{code="0",component="apiserver",dry_run="",group="monitoring.concord.dev",resource="indicators",scope="cluster",subresource="",verb="WATCH",version="v1alpha1"} 3
# HELP apiserver_request_duration_seconds [STABLE] Response latency distribution in seconds.
# TYPE apiserver_request_duration_seconds histogram
apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="",resource="events",scope="resource",subresource="",verb="POST",version="v1",le="0.005"} 40
apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="",resource="events",scope="resource",subresource="",verb="POST",version="v1",le="+Inf"} 42
apiserver_request_duration_seconds_sum{component="apiserver",dry_run="",group="",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 0.1
apiserver_request_duration_seconds_count{component="apiserver",dry_run="",group="",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 42
# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 61.25
`

// managerSample is the shape of controller-runtime's /metrics.
const managerSample = `# HELP controller_runtime_reconcile_total Total number of reconciliations per controller
# TYPE controller_runtime_reconcile_total counter
controller_runtime_reconcile_total{controller="indicator",result="error"} 0
controller_runtime_reconcile_total{controller="indicator",result="requeue"} 0
controller_runtime_reconcile_total{controller="indicator",result="requeue_after"} 900
controller_runtime_reconcile_total{controller="indicator",result="success"} 4700
controller_runtime_reconcile_total{controller="measurement",result="success"} 12000
# HELP workqueue_depth Current depth of workqueue
# TYPE workqueue_depth gauge
workqueue_depth{controller="indicator",name="indicator"} 3
workqueue_depth{controller="measurement",name="measurement"} 0
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 1234
`

func TestAPICounts(t *testing.T) {
	m, err := ParseMetrics(strings.NewReader(apiserverSample))
	if err != nil {
		t.Fatal(err)
	}
	got := APICountsOf(m)
	want := APICounts{
		StatusWrites:    map[string]float64{"indicators": 1000, "measurements": 4020, "evidences": 5},
		StatusConflicts: 7,
		EventsPosted:    42,
		EventsPatched:   6,
		Requests:        1000 + 7 + 4020 + 3 + 2 + 4000 + 5 + 99 + 40 + 2 + 4 + 6 + 3,
		CPUSeconds:      61.25,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if n := got.TotalStatusWrites(); n != 5025 {
		t.Errorf("total status writes %v, want 5025", n)
	}
	before := APICounts{StatusWrites: map[string]float64{"indicators": 400, "measurements": 4020}, EventsPosted: 2}
	d := got.Sub(before)
	if !reflect.DeepEqual(d.StatusWrites, map[string]float64{"indicators": 600, "evidences": 5}) || d.EventsPosted != 40 {
		t.Errorf("difference %+v", d)
	}
}

func TestManagerCounts(t *testing.T) {
	m, err := ParseMetrics(strings.NewReader(managerSample))
	if err != nil {
		t.Fatal(err)
	}
	got := ManagerCountsOf(m)
	want := ManagerCounts{Reconciles: map[string]float64{"indicator": 5600, "measurement": 12000}, QueueDepth: 3, Goroutines: 1234}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got.TotalReconciles() != 17600 {
		t.Errorf("total %v", got.TotalReconciles())
	}
}

func TestEtcdCounts(t *testing.T) {
	m, err := ParseMetrics(strings.NewReader(`# TYPE etcd_mvcc_db_total_size_in_bytes gauge
etcd_mvcc_db_total_size_in_bytes 2.4576e+07
# TYPE etcd_mvcc_db_total_size_in_use_in_bytes gauge
etcd_mvcc_db_total_size_in_use_in_bytes 1.2e+07
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := EtcdCountsOf(m); got.DBBytes != 24576000 || got.InUseBytes != 12000000 {
		t.Errorf("got %+v", got)
	}
}

func TestMedianAndPercentile(t *testing.T) {
	for _, c := range []struct {
		xs               []float64
		median, p50, p99 float64
	}{
		{[]float64{3}, 3, 3, 3},
		{[]float64{4, 1, 3, 2}, 2.5, 2, 4},
		{[]float64{5, 1, 4, 2, 3}, 3, 3, 5},
	} {
		if m := Median(c.xs); m != c.median {
			t.Errorf("Median(%v) = %v, want %v", c.xs, m, c.median)
		}
		if p := Percentile(c.xs, 50); p != c.p50 {
			t.Errorf("Percentile(%v, 50) = %v, want %v", c.xs, p, c.p50)
		}
		if p := Percentile(c.xs, 99); p != c.p99 {
			t.Errorf("Percentile(%v, 99) = %v, want %v", c.xs, p, c.p99)
		}
	}
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(100 - i) // 100 down to 1
	}
	if p := Percentile(hundred, 99); p != 99 {
		t.Errorf("p99 of 1..100 = %v, want 99", p)
	}
	if p := Percentile(hundred, 50); p != 50 {
		t.Errorf("p50 of 1..100 = %v, want 50", p)
	}
	if !math.IsNaN(Median(nil)) || !math.IsNaN(Percentile(nil, 50)) {
		t.Error("no values gave a number")
	}
}
