package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ChromiumNames are the commands FindChromium looks for on PATH, in order.
var ChromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNoChromium says that no Chromium was found to print a PDF with.
var ErrNoChromium = errors.New("no Chromium found: the PDF is the HTML report printed by headless Chromium; " +
	"install it (Debian and Ubuntu: apt-get install chromium) or name its executable with --chromium")

// FindChromium is the Chromium to print with: explicit when given (a path
// or a command on PATH), else the first of ChromiumNames on PATH.
func FindChromium(explicit string) (string, error) {
	if explicit != "" {
		p, err := exec.LookPath(explicit)
		if err != nil {
			return "", fmt.Errorf("--chromium %q: %w", explicit, err)
		}
		return p, nil
	}
	for _, name := range ChromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// PrintTimeout bounds one PDF rendering when the context has no deadline.
const PrintTimeout = 2 * time.Minute

// PrintPDF prints an HTML page to PDF with headless Chromium
// (--print-to-pdf). The page's own print stylesheet lays it out: A4,
// margins, page breaks, and a header and footer with the title and page
// numbers (CSS page margin boxes), so Chromium's own header and footer
// (date, file URL) are turned off. Chromium runs with a fresh profile in
// a temporary directory and without network features; the page is
// self-contained and its Content-Security-Policy allows nothing to load.
// As root, Chromium refuses to start with its sandbox, so it runs without
// it there (the page has no script).
//
// The page and the profile are written to a temporary directory in
// workDir ("" for the system's): a Chromium confined as a snap package
// (Ubuntu's chromium-browser) cannot read the system's /tmp, but can read
// the user's home, where the PDF usually goes.
func PrintPDF(ctx context.Context, chromium, workDir string, page []byte) ([]byte, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, PrintTimeout)
		defer cancel()
	}
	dir, err := os.MkdirTemp(workDir, ".concord-report-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(in, page, 0o600); err != nil {
		return nil, err
	}
	args := []string{
		"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-extensions", "--disable-sync", "--disable-background-networking",
		"--disable-component-update", "--disable-default-apps", "--disable-quic", "--mute-audio",
		"--user-data-dir=" + filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf=" + out,
	}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	args = append(args, "file://"+in)
	cmd := exec.CommandContext(ctx, chromium, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	runErr := cmd.Run()
	pdf, readErr := os.ReadFile(out)
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s did not print the PDF in time: %w", chromium, ctx.Err())
	case runErr != nil || readErr != nil || !bytes.HasPrefix(pdf, []byte("%PDF")):
		return nil, fmt.Errorf("%s did not print the PDF (%v): %s", chromium, errors.Join(runErr, readErr), chromiumErrors(stderr.String()))
	}
	return pdf, nil
}

// chromiumErrors keeps the lines of Chromium's output worth reading: not
// the D-Bus and font-configuration noise of a machine without a desktop.
func chromiumErrors(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.Contains(line, "dbus") || strings.Contains(line, "Fontconfig") {
			continue
		}
		keep = append(keep, line)
	}
	if len(keep) > 10 {
		keep = keep[len(keep)-10:]
	}
	if len(keep) == 0 {
		return "no output"
	}
	return strings.Join(keep, "\n")
}
