package main

import (
	"testing"

	"github.com/concord-operator/concord/internal/manager"
)

// TestLeaderElectionIsOnByDefault: a second replica started without flags
// must wait for the lease, not write status beside the first.
func TestLeaderElectionIsOnByDefault(t *testing.T) {
	o := manager.DefaultOptions()
	if err := flags(&o).Parse(nil); err != nil {
		t.Fatal(err)
	}
	if !o.LeaderElection {
		t.Error("concord without flags does not elect a leader")
	}
	o = manager.DefaultOptions()
	if err := flags(&o).Parse([]string{"--leader-elect=false", "--kube-api-qps=20", "--evidence-allowed-hosts=a.example.gov, *.example.org"}); err != nil {
		t.Fatal(err)
	}
	if o.LeaderElection || o.QPS != 20 || len(o.Evidence.AllowedHosts) != 2 {
		t.Errorf("parsed options: leaderElection %v, qps %v, hosts %v", o.LeaderElection, o.QPS, o.Evidence.AllowedHosts)
	}
}
