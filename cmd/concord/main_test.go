package main

import (
	"flag"
	"io"
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/concord-operator/concord/internal/manager"
)

// TestMain runs concord's main instead of the tests when
// TestVersionFlag runs this binary as concord.
func TestMain(m *testing.M) {
	if os.Getenv("CONCORD_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestVersionFlag: `concord --version` prints the version, commit and build
// date and exits 0 without looking for a cluster. This binary is not
// stamped, so it says dev; the release test checks stamped binaries.
func TestVersionFlag(t *testing.T) {
	cmd := exec.Command(os.Args[0], "--version")
	cmd.Env = append(os.Environ(), "CONCORD_TEST_RUN_MAIN=1", "KUBECONFIG="+t.TempDir()+"/none")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("concord --version: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`^concord dev \(commit [^,]+, built [^,]+, go1\.\S+ \w+/\w+\)\n$`).Match(out) {
		t.Errorf("concord --version printed %q", out)
	}
}

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

// TestNoClientSideLimitByDefault: the manager's requests are paced by the
// API server's priority and fairness, not by a token bucket of 50 per
// second per kind that queued status writes and Events in memory.
func TestNoClientSideLimitByDefault(t *testing.T) {
	o := manager.DefaultOptions()
	if err := flags(&o).Parse(nil); err != nil {
		t.Fatal(err)
	}
	if o.QPS >= 0 {
		t.Errorf("default --kube-api-qps is %v; want negative (no client-side limit)", o.QPS)
	}
	if err := flags(&o).Parse([]string{"--kube-api-qps=-1"}); err != nil || o.QPS != -1 {
		t.Errorf("--kube-api-qps=-1: %v, qps %v", err, o.QPS)
	}
	fs := flags(&o)
	fs.Init("concord", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse([]string{"--kube-api-qps=0"}); err == nil {
		t.Error("--kube-api-qps=0 accepted; client-go would replace it with its default of 5")
	}
}

// TestNamespacesMakeAShard: --namespaces names the shard's namespaces;
// the shard's lease is its own, whatever the order they are given in.
func TestNamespacesMakeAShard(t *testing.T) {
	o := manager.DefaultOptions()
	if err := flags(&o).Parse([]string{"--namespaces=protection, prosecution"}); err != nil {
		t.Fatal(err)
	}
	if len(o.Namespaces) != 2 || o.Namespaces[0] != "protection" || o.Namespaces[1] != "prosecution" {
		t.Errorf("namespaces %q", o.Namespaces)
	}
	if a, b := manager.LeaseName([]string{"protection", "prosecution"}), manager.LeaseName([]string{"prosecution", "protection"}); a != b {
		t.Errorf("the same shard has two leases: %s, %s", a, b)
	}
	if a, b := manager.LeaseName([]string{"protection"}), manager.LeaseName([]string{"prosecution"}); a == b || a == manager.LeaderElectionID {
		t.Errorf("shards share a lease: %s, %s", a, b)
	}
	if manager.LeaseName(nil) != manager.LeaderElectionID {
		t.Error("an unsharded manager does not use the installation's lease")
	}
	fs := flags(&o)
	fs.Init("concord", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse([]string{"--namespaces=Protection_Unit"}); err == nil {
		t.Error("--namespaces accepted a name that is no namespace")
	}
}
