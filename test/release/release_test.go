// Package release tests `make release` (hack/release.sh): what it writes
// into dist/ is what a platform team downloads, verifies and installs.
package release

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

const (
	root   = "../.."
	module = "github.com/concord-operator/concord"
	// A pre-release: the repository need not be tagged for the test.
	version      = "v0.1.0-test.1"
	chartVersion = "0.1.0-test.1"
)

var platforms = []struct{ goarch, machine string }{{"amd64", elf.EM_X86_64.String()}, {"arm64", elf.EM_AARCH64.String()}}

// makeCmd runs make in the repository root, on its own: not as part of
// the make that may run this test (make test), whose flags and variables
// it would inherit.
func makeCmd(args ...string) *exec.Cmd {
	cmd := exec.Command("make", args...)
	cmd.Dir = root
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); k != "MAKEFLAGS" && k != "MFLAGS" && k != "MAKELEVEL" {
			cmd.Env = append(cmd.Env, e)
		}
	}
	return cmd
}

// makeRelease runs make release into a new directory with the stamp given
// (make version's VERSION COMMIT BUILD_DATE, the version replaced) and
// returns the directory and make's output.
func makeRelease(t *testing.T, stamp []string, args ...string) (string, string) {
	t.Helper()
	dist := t.TempDir()
	start := time.Now()
	out, err := makeCmd(append([]string{"release", "DIST=" + dist,
		"VERSION=" + version, "COMMIT=" + stamp[1], "BUILD_DATE=" + stamp[2]}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("make release %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("make release %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Second))
	return dist, string(out)
}

func TestMakeRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("make release builds four binaries")
	}
	b, err := makeCmd("-s", "version").Output()
	if err != nil {
		t.Fatalf("make version: %v", err)
	}
	stamp := strings.Fields(string(b))
	if len(stamp) != 3 || !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(stamp[1]) ||
		!regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(stamp[2]) {
		t.Fatalf("make version printed %q, want VERSION COMMIT BUILD_DATE", b)
	}
	dist, out := makeRelease(t, stamp)
	sums := checkSums(t, dist)

	for _, p := range platforms {
		for _, cmd := range []string{"concord", "concordctl"} {
			bin := filepath.Join(dist, cmd+"-linux-"+p.goarch)
			checkBinary(t, bin, p.goarch, p.machine)
			checkSBOM(t, bin, p.goarch, sums[filepath.Base(bin)])
		}
	}
	// The binaries of this machine's platform run, and say the stamp.
	want := " " + version + " (commit " + stamp[1] + ", built " + stamp[2] + ", "
	for _, c := range [][]string{{"concord-linux-amd64", "--version"}, {"concordctl-linux-amd64", "version"}} {
		b, err := exec.Command(filepath.Join(dist, c[0]), c[1]).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", c[0], c[1], err, b)
		}
		name := strings.TrimSuffix(c[0], "-linux-amd64")
		if !strings.HasPrefix(string(b), name+want) {
			t.Errorf("%s %s printed %q, want %q...", c[0], c[1], b, name+want)
		}
	}

	checkChart(t, dist)

	if !strings.Contains(out, "no image builder here") {
		// A machine with docker buildx (or ko) builds the image.
		t.Logf("an image builder ran:\n%s", out)
	}

	// Built again from the same commit with the same stamp, the binaries,
	// SBOMs and chart are the same bytes: anyone can rebuild a release and
	// compare (here only linux/amd64, to save time).
	again, _ := makeRelease(t, stamp, "RELEASE_PLATFORMS=linux/amd64")
	for name, sum := range checkSums(t, again) {
		if sums[name] != sum {
			t.Errorf("%s differs when built again: %s, then %s", name, sums[name], sum)
		}
	}
}

// TestMakeReleaseRefusesAVersionThatIsNoRelease: git describe of an
// untagged commit is a hash, which names no release.
func TestMakeReleaseRefusesAVersionThatIsNoRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("needs make and the release tools")
	}
	dist := filepath.Join(t.TempDir(), "dist")
	out, err := makeCmd("release", "VERSION=7651b27", "DIST="+dist).CombinedOutput()
	if err == nil {
		t.Fatalf("make release VERSION=7651b27 succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "VERSION=7651b27 is not a release version") {
		t.Errorf("make release VERSION=7651b27 did not say why it failed:\n%s", out)
	}
	if _, err := os.Stat(dist); err == nil {
		t.Errorf("make release VERSION=7651b27 wrote %s", dist)
	}
}

// checkSums verifies SHA256SUMS as `sha256sum -c` would, checks that it
// lists every other file of dist, and returns it by file name.
func checkSums(t *testing.T, dist string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	line := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)
	for s := bufio.NewScanner(f); s.Scan(); {
		m := line.FindStringSubmatch(s.Text())
		if m == nil {
			t.Fatalf("SHA256SUMS line %q is not sha256sum's", s.Text())
		}
		b, err := os.ReadFile(filepath.Join(dist, m[2]))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != m[1] {
			t.Errorf("%s: SHA256SUMS says %s, the file's is %x", m[2], m[1], got)
		}
		sums[m[2]] = m[1]
	}
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := sums[e.Name()]; !ok && e.Name() != "SHA256SUMS" {
			t.Errorf("SHA256SUMS does not list %s", e.Name())
		}
	}
	return sums
}

// checkBinary: a static ELF for the platform, built by -trimpath without cgo.
func checkBinary(t *testing.T, bin, goarch, machine string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	defer f.Close()
	if f.Machine.String() != machine {
		t.Errorf("%s is for %s, want %s", bin, f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s is dynamically linked", bin)
		}
	}
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	for k, v := range map[string]string{"GOOS": "linux", "GOARCH": goarch, "CGO_ENABLED": "0", "-trimpath": "true"} {
		if settings[k] != v {
			t.Errorf("%s was built with %s=%q, want %q", bin, k, settings[k], v)
		}
	}
	if bi.Main.Path != module {
		t.Errorf("%s is of module %q", bin, bi.Main.Path)
	}
}

// checkSBOM: bin's SBOM is CycloneDX JSON naming the module at the release
// version for bin's platform, the binary by its digest, and its modules.
func checkSBOM(t *testing.T, bin, goarch, sum string) {
	t.Helper()
	b, err := os.ReadFile(bin + ".cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	type component struct {
		Name, Version, Purl string
		Hashes              []struct{ Alg, Content string }
	}
	var bom struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Metadata    struct {
			Component  component
			Properties []struct{ Name, Value string }
		}
		Components   []component
		Dependencies []struct{ Ref string }
	}
	if err := json.Unmarshal(b, &bom); err != nil {
		t.Fatalf("%s.cdx.json: %v", bin, err)
	}
	if bom.BOMFormat != "CycloneDX" || !regexp.MustCompile(`^1\.[4-9]$`).MatchString(bom.SpecVersion) {
		t.Errorf("%s.cdx.json: bomFormat %q specVersion %q, want CycloneDX 1.4 or later", bin, bom.BOMFormat, bom.SpecVersion)
	}
	c := bom.Metadata.Component
	if c.Name != module || c.Version != version || !strings.Contains(c.Purl, "goarch="+goarch) {
		t.Errorf("%s.cdx.json describes %s %s (%s), want %s %s for %s", bin, c.Name, c.Version, c.Purl, module, version, goarch)
	}
	digest := ""
	for _, p := range bom.Metadata.Properties {
		if p.Name == "cdx:gomod:binary:hash:SHA-256" {
			digest = p.Value
		}
	}
	if digest != sum {
		t.Errorf("%s.cdx.json gives the binary's SHA-256 as %q, SHA256SUMS %q", bin, digest, sum)
	}
	deps := map[string]bool{}
	for _, d := range bom.Components {
		deps[d.Name] = d.Version != "" && len(d.Hashes) > 0
	}
	for _, m := range []string{"sigs.k8s.io/controller-runtime", "k8s.io/client-go"} {
		if !deps[m] {
			t.Errorf("%s.cdx.json lists no %s with a version and hash", bin, m)
		}
	}
	if len(bom.Dependencies) == 0 {
		t.Errorf("%s.cdx.json has no dependency graph", bin)
	}
}

// checkChart: the packaged chart has the release's version and appVersion
// and defaults to the image the release publishes (dist/IMAGE); the chart
// in the repository defaults to the same repository, at its appVersion.
func checkChart(t *testing.T, dist string) {
	t.Helper()
	helm := filepath.Join(root, "bin", "helm")
	pkg := filepath.Join(dist, "concord-"+chartVersion+".tgz")
	b, err := exec.Command(helm, "show", "chart", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("helm show chart %s: %v\n%s", pkg, err, b)
	}
	var chart struct{ Name, Version, AppVersion string }
	if err := yaml.Unmarshal(b, &chart); err != nil {
		t.Fatal(err)
	}
	if chart.Name != "concord" || chart.Version != chartVersion || chart.AppVersion != chartVersion {
		t.Errorf("the packaged chart is %+v, want concord version and appVersion %s", chart, chartVersion)
	}
	b, err = os.ReadFile(filepath.Join(dist, "IMAGE"))
	if err != nil {
		t.Fatal(err)
	}
	image := strings.TrimSpace(string(b))
	repo, tag, _ := strings.Cut(image, ":")
	if tag != chartVersion {
		t.Errorf("dist/IMAGE is %q, want the tag %s", image, chartVersion)
	}
	if got := renderedImage(t, helm, pkg); got != image {
		t.Errorf("the packaged chart's Deployment runs %q, the release builds %q", got, image)
	}

	b, err = os.ReadFile(filepath.Join(root, "charts", "concord", "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &chart); err != nil {
		t.Fatal(err)
	}
	if got, want := renderedImage(t, helm, filepath.Join(root, "charts", "concord")), repo+":"+chart.AppVersion; got != want {
		t.Errorf("charts/concord's Deployment runs %q, want %q (the release's repository at the chart's appVersion)", got, want)
	}
}

// renderedImage is the image of the manager's Deployment that helm
// template renders from chart with its default values.
func renderedImage(t *testing.T, helm, chart string) string {
	t.Helper()
	b, err := exec.Command(helm, "template", "concord", chart, "--namespace", "concord-system", "--show-only", "templates/deployment.yaml").CombinedOutput()
	if err != nil {
		t.Fatalf("helm template %s: %v\n%s", chart, err, b)
	}
	var d struct {
		Spec struct {
			Template struct {
				Spec struct{ Containers []struct{ Image string } }
			}
		}
	}
	if err := yaml.Unmarshal(bytes.TrimSpace(b), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Spec.Template.Spec.Containers) == 0 {
		t.Fatalf("helm template %s rendered no container:\n%s", chart, b)
	}
	return d.Spec.Template.Spec.Containers[0].Image
}
