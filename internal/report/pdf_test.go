package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// chromiumForTest is the Chromium to print with. Without one the PDF
// tests skip, saying why, unless CONCORD_REQUIRE_CHROMIUM is set (.ci/run
// sets it after installing Chromium): then they fail.
func chromiumForTest(t *testing.T) string {
	t.Helper()
	path, err := FindChromium(os.Getenv("CHROMIUM"))
	if err != nil {
		if os.Getenv("CONCORD_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("CONCORD_REQUIRE_CHROMIUM is set and %v", err)
		}
		t.Skipf("skipping the PDF test: %v (.ci/run installs Chromium and sets CONCORD_REQUIRE_CHROMIUM)", err)
	}
	return path
}

var (
	pdfPageRE     = regexp.MustCompile(`/Type\s*/Page[^s]`)
	pdfMediaBoxRE = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)
)

// TestPDF prints the example's report: a PDF of A4 pages, one section
// per page at least (the print stylesheet breaks before each), and,
// where pdftotext is installed, with the title in the header and "Page N
// of M" in the footer of every page but the first.
func TestPDF(t *testing.T) {
	chromium := chromiumForTest(t)
	var page bytes.Buffer
	r := nationalPlan(t)
	if err := WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	pdf, err := PrintPDF(context.Background(), chromium, t.TempDir(), page.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the output starts %q, not %%PDF-", pdf[:min(len(pdf), 16)])
	}
	pages := len(pdfPageRE.FindAll(pdf, -1))
	sections := 1 + len(r.Areas) + 2 // summary, areas, mechanisms, plans
	if pages < sections {
		t.Errorf("%d pages; want at least %d, one per section", pages, sections)
	}
	boxes := pdfMediaBoxRE.FindAllSubmatch(pdf, -1)
	if len(boxes) != pages {
		t.Errorf("%d media boxes for %d pages", len(boxes), pages)
	}
	for _, b := range boxes {
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		if w < 594 || w > 596 || h < 841 || h > 843 { // A4 is 595.28 x 841.89 points
			t.Errorf("a page of %s x %s points is not A4", b[1], b[2])
			break
		}
	}
	t.Logf("%d A4 pages, %d bytes", pages, len(pdf))

	pdftotext, err := exec.LookPath("pdftotext")
	switch {
	case err != nil && os.Getenv("CONCORD_REQUIRE_CHROMIUM") != "":
		t.Fatalf("CONCORD_REQUIRE_CHROMIUM is set and pdftotext (poppler-utils) is not found: %v", err)
	case err != nil:
		t.Logf("pdftotext not found (poppler-utils): the header and footer are not checked")
		return
	}
	file := t.TempDir() + "/report.pdf"
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Split(string(out), "\f") // one per page
	starts := map[string]bool{}               // the first line of each page under its header
	for n := 2; n <= pages && n <= len(texts); n++ {
		text := texts[n-1]
		for _, want := range []string{r.Title, "As of 21 November 2026", fmt.Sprintf("Page %d of %d", n, pages)} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d lacks %q in its header or footer", n, want)
			}
		}
		_, body, _ := strings.Cut(text, "As of 21 November 2026")
		if fields := strings.Split(strings.TrimSpace(body), "\n"); len(fields) > 0 {
			starts[strings.TrimSpace(fields[0])] = true
		}
	}
	if strings.Contains(texts[0], "As of 21 November 2026") {
		t.Error("the first page has the running header")
	}
	for _, a := range r.Areas {
		if !starts[a.Name] {
			t.Errorf("no page starts with the area %s: the stylesheet breaks the page before each section", a.Name)
		}
	}
	for _, h := range []string{"Cooperation mechanisms", "Action plans"} {
		if !starts[h] {
			t.Errorf("no page starts with %s", h)
		}
	}
}

// TestPrintPDFErrors: a Chromium that is not there, or that fails, is an
// error that says so.
func TestPrintPDFErrors(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := FindChromium(""); !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("FindChromium without Chromium: %v", err)
	}
	if _, err := FindChromium("/no/such/chromium"); err == nil || !strings.Contains(err.Error(), "--chromium") {
		t.Errorf("FindChromium with a missing --chromium: %v", err)
	}
	failing := t.TempDir() + "/chromium"
	if err := os.WriteFile(failing, []byte("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := PrintPDF(context.Background(), failing, t.TempDir(), []byte("<p>x</p>"))
	if err == nil || !strings.Contains(err.Error(), "did not print the PDF") || !strings.Contains(err.Error(), "cannot open display") {
		t.Errorf("a failing Chromium: %v", err)
	}
}
