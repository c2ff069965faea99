package integration

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/concord-operator/concord/examples"
	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
)

// notRun are the documented commands the tour cannot run, with the reason.
// Keep it short: a command that can run must run.
var notRun = map[string]string{
	"make dev": "the tour runs what it runs (concordctl dev, as TestDevEnvironment does) and tests its banner's commands",
	"kubectl -n protection create -f forged.yaml": "needs the people roles and a user bound to another reporter (alice, a concord-reporter); " +
		"TestReporterBinding checks this message word for word",
	"kubectl -n shelters create -f q1.yaml": "needs a namespace without a ReporterBinding and a user's q1.yaml; " +
		"TestReporterBinding checks this message word for word",
	`kubectl get meas nrm-referrals-2014 -n protection -o jsonpath='{.status.conditions[?(@.type=="Accepted")].message}'`: "Moldova's 2014 referrals are not in the example scenario; " +
		"internal/evaluate's TestBreakdownPublishedShortOfTheTotal checks this message word for word",
}

// refused are the documented commands that show the API server refusing a
// manifest: they must exit non-zero, with the output the document shows.
var refused = map[string]bool{
	"bin/kubectl apply -f test/testdata/invalid/indicator-boolean-atleast.yaml":        true,
	"bin/kubectl apply -f test/testdata/invalid/measurement-value-unquoted.yaml":       true,
	"bin/concordctl validate -f test/testdata/invalid/measurement-value-unquoted.yaml": true,
}

// docCommand is a `$ `-prefixed command of a console block, with the
// output the document shows after it.
type docCommand struct {
	where  string // file:line
	cmd    string
	output []string
}

// TestReadmeTour runs the README's tour as a person would: it starts what
// `make dev` starts (the control plane, the example scenario and the
// controllers), then runs every command the `make dev` banner prints and
// every `$ ` command of the console blocks of README.md and docs/*.md, with
// bin/ on PATH and KUBECONFIG set, from a copy of the repository's top
// level whose bin/ holds a concordctl built from this source and the
// environment's kubeconfig. A command that exits non-zero fails the test,
// naming its file, line and command; so does one whose document shows
// output when it prints nothing, and one of the refused list that is not
// refused with the document's words. CONCORD_TOUR_OUTPUT=1 (with -v) logs
// each command's output, to refresh the documents' samples.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("the tour starts a control plane")
	}
	start := time.Now()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := tourWorkTree(t, root)
	bin := filepath.Join(work, "bin")

	scenario, err := manifest.LoadFS(examples.FS, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	o := devenv.Options{
		AssetsDir:      bin,
		KubeconfigPath: filepath.Join(bin, "dev.kubeconfig"),
		Scenario:       scenario,
		Manager:        devenv.ManagerOptions(),
		Out:            &syncBuffer{},
		Log:            logr.Discard(),
	}
	o.Manager.MetricsAddr, o.Manager.ProbeAddr = "127.0.0.1:0", "127.0.0.1:0"
	o.Manager.LeaderElection = false
	o.Manager.SkipNameValidation = true // the suite's own manager has the same controllers
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- devenv.Run(runCtx, o) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Error("concordctl dev did not stop within a minute")
		}
	}()
	out := o.Out.(*syncBuffer)
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("concordctl dev did not come up:\n%s", out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("concordctl dev stopped early: %v\n%s", err, out.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Logf("dev environment up after %v", time.Since(start).Round(time.Second))

	banner := bannerCommands(out.String())
	if len(banner) < 4 {
		t.Fatalf("the make dev banner has %d commands:\n%s", len(banner), out.String())
	}
	cmds := banner
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		cs, err := consoleCommands(root, f)
		if err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cs...)
	}
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"KUBECONFIG="+o.KubeconfigPath, "HOME="+t.TempDir())
	ran, seen := 0, map[string]bool{}
	for _, c := range cmds {
		seen[c.cmd] = true
		if reason, skip := notRun[c.cmd]; skip {
			t.Logf("%s: not run: %s (%s)", c.where, c.cmd, reason)
			continue
		}
		ran++
		cmdStart := time.Now()
		sh := exec.Command("bash", "-c", c.cmd)
		sh.Dir, sh.Env = work, env
		var stdout, stderr strings.Builder
		sh.Stdout, sh.Stderr = &stdout, &stderr
		runErr := sh.Run()
		both := stdout.String() + stderr.String()
		t.Logf("%s: %s (%v)", c.where, c.cmd, time.Since(cmdStart).Round(10*time.Millisecond))
		if os.Getenv("CONCORD_TOUR_OUTPUT") != "" { // to refresh the documents' sample output
			t.Logf("output:\n%s", both)
		}
		switch {
		case refused[c.cmd]:
			if runErr == nil {
				t.Errorf("%s: `%s` succeeded; the document shows it refused:\n%s", c.where, c.cmd, both)
			} else if want := strings.Join(strings.Fields(strings.Join(c.output, " ")), " "); !strings.Contains(strings.Join(strings.Fields(both), " "), want) {
				t.Errorf("%s: `%s` is refused with\n%s\nnot with the document's words\n%s", c.where, c.cmd, both, strings.Join(c.output, "\n"))
			}
		case runErr != nil:
			t.Errorf("%s: `%s` failed: %v\n%s", c.where, c.cmd, runErr, both)
		case len(c.output) > 0 && strings.TrimSpace(stdout.String()) == "":
			t.Errorf("%s: `%s` printed nothing on stdout; the document shows output:\n%s\n(stderr: %s)", c.where, c.cmd, strings.Join(c.output, "\n"), stderr.String())
		}
	}
	for _, list := range []map[string]bool{keys(notRun), refused} {
		for c := range list {
			if !seen[c] {
				t.Errorf("the tour lists %q, which no document or banner has any more: remove it", c)
			}
		}
	}
	t.Logf("%d commands run (%d from the make dev banner), %d not run, in %v", ran, len(banner), len(cmds)-ran, time.Since(start).Round(time.Second))
}

func keys(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// bannerCommands are the indented lines the make dev banner prints after
// "Point kubectl at it:", up to the blank line.
func bannerCommands(out string) []docCommand {
	var cmds []docCommand
	in := false
	for n, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "Point kubectl at it:"):
			in = true
		case in && strings.TrimSpace(l) == "":
			if len(cmds) > 0 {
				return cmds
			}
		case in && strings.HasPrefix(l, "  "):
			cmds = append(cmds, docCommand{where: fmt.Sprintf("make dev banner line %d", n+1), cmd: strings.TrimSpace(l)})
		}
	}
	return cmds
}

// consoleCommands extracts the `$ ` commands of a Markdown file's
// ```console blocks, continuation lines (ending in a backslash) joined,
// each with the output lines shown after it.
func consoleCommands(root, file string) ([]docCommand, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rel, _ := filepath.Rel(root, file)
	var cmds []docCommand
	in, cont := false, false
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; s.Scan(); n++ {
		l := s.Text()
		switch {
		case !in && strings.HasPrefix(l, "```console"):
			in = true
		case in && strings.HasPrefix(l, "```"):
			in, cont = false, false
		case in && cont:
			c := &cmds[len(cmds)-1]
			c.cmd += " " + strings.TrimSpace(strings.TrimSuffix(l, `\`))
			cont = strings.HasSuffix(l, `\`)
		case in && strings.HasPrefix(l, "$ "):
			cmd := strings.TrimPrefix(l, "$ ")
			cont = strings.HasSuffix(cmd, `\`)
			cmds = append(cmds, docCommand{where: fmt.Sprintf("%s:%d", rel, n), cmd: strings.TrimSpace(strings.TrimSuffix(cmd, `\`))})
		case in && len(cmds) > 0:
			cmds[len(cmds)-1].output = append(cmds[len(cmds)-1].output, l)
		}
	}
	return cmds, s.Err()
}

// tourWorkTree is a directory that looks like the repository's top level
// (each entry a symbolic link to the repository's) with its own bin/: the
// assets of the control plane linked, a concordctl built from this source,
// and room for the environment's dev.kubeconfig. Commands run from it as
// from a clone, and write their files (scorecard.html) into it.
func tourWorkTree(t *testing.T, root string) string {
	t.Helper()
	work := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "bin" || e.Name() == ".git" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(work, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(work, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	assetsList, err := os.ReadDir(assets)
	if err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, e := range assetsList {
		switch e.Name() {
		case "concordctl", "concord", "dev.kubeconfig":
			continue
		}
		if err := os.Symlink(filepath.Join(assets, e.Name()), filepath.Join(bin, e.Name())); err != nil {
			t.Fatal(err)
		}
		linked = append(linked, e.Name())
	}
	sort.Strings(linked)
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "concordctl"), "./cmd/concordctl")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building concordctl: %v\n%s", err, b)
	}
	t.Logf("bin/: %v, and concordctl built from source", linked)
	return work
}
