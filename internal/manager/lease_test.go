package manager

import "testing"

// TestLeaseNameMatchesTheChart: the chart computes a shard's lease name
// (concord.leaseName) as the first ten hex digits of the SHA-256 of the
// sorted namespaces joined by commas; hack/chart-test.sh checks the
// chart's side with the same namespaces.
func TestLeaseNameMatchesTheChart(t *testing.T) {
	// printf 'prosecution,protection' | sha256sum | cut -c1-10
	const want = "concord-ca1a247743.concord.dev"
	if got := LeaseName([]string{"protection", "prosecution"}); got != want {
		t.Errorf("LeaseName = %s, want %s", got, want)
	}
}
