package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// walk calls f on every node of the tree below n.
func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// text is the text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func renderHTML(t *testing.T, r *Report) *html.Node {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// assertSelfContained fails on anything that would make the page load
// something (see externalRefs).
func assertSelfContained(t *testing.T, doc *html.Node) {
	t.Helper()
	for _, p := range externalRefs(doc) {
		t.Error(p)
	}
}

// externalRefs lists what would make a page load something or run code:
// scripts, stylesheets, frames, objects, images, event handlers, and any
// reference that leaves the page (http:, https:, protocol-relative //,
// data: and javascript: URLs). In-page links (#fragment) are allowed.
func externalRefs(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.Script, atom.Iframe, atom.Object, atom.Embed, atom.Img, atom.Frame, atom.Audio, atom.Video, atom.Source, atom.Base, atom.Form:
			out = append(out, fmt.Sprintf("element <%s>", n.Data))
		case atom.Link:
			rel, _ := attr(n, "rel")
			out = append(out, fmt.Sprintf("<link rel=%q>", rel))
		}
		if n.Data == "image" || n.Data == "use" || n.Data == "foreignObject" { // SVG elements that load or embed
			out = append(out, fmt.Sprintf("SVG element <%s>", n.Data))
		}
		for _, a := range n.Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(key, "on"):
				out = append(out, fmt.Sprintf("<%s %s=%q>: event handler", n.Data, a.Key, a.Val))
			case key == "src" || key == "href" || key == "xlink:href" || key == "action" || key == "srcset" || key == "poster" || key == "data":
				if !strings.HasPrefix(val, "#") {
					out = append(out, fmt.Sprintf("<%s %s=%q>: not an in-page reference", n.Data, a.Key, a.Val))
				}
			case key == "style" && strings.Contains(val, "url("):
				out = append(out, fmt.Sprintf("<%s style=%q>: url()", n.Data, a.Val))
			}
		}
		if n.DataAtom == atom.Style {
			css := strings.ToLower(text(n))
			for _, bad := range []string{"@import", "url(", "@font-face", "http:", "https:"} {
				if strings.Contains(css, bad) {
					out = append(out, fmt.Sprintf("inline CSS contains %q", bad))
				}
			}
		}
	})
	return out
}

// TestExternalRefsFindsThem checks the checker on a page that does load
// things.
func TestExternalRefsFindsThem(t *testing.T) {
	page := `<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/x.css">
<style>@import "//cdn.example/y.css";</style><script src="//cdn.example/z.js"></script></head>
<body><a href="#ok">in page</a><a href="http://example.com/">out</a><img src="data:image/png;base64,AA==">
<svg><image href="//cdn.example/i.png"/></svg><p onclick="x()">p</p></body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(externalRefs(doc), "\n")
	for _, want := range []string{"<link", "@import", "element <script>", "http://example.com/", "element <img>", "SVG element <image>", "onclick"} {
		if !strings.Contains(got, want) {
			t.Errorf("externalRefs missed %q; it found:\n%s", want, got)
		}
	}
	if strings.Contains(got, "#ok") {
		t.Errorf("externalRefs flags an in-page link:\n%s", got)
	}
}

func TestHTMLIsSelfContainedAndAccessible(t *testing.T) {
	r := nationalPlan(t)
	doc := renderHTML(t, r)
	assertSelfContained(t, doc)

	var title string
	headings := map[string]int{}
	svgs := map[string]int{}        // by the id of the enclosing article
	statusLines := map[string]int{} // the same, for Boolean indicators
	figures, captions := 0, 0
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "title":
			if n.Parent != nil && n.Parent.DataAtom == atom.Head {
				title = text(n)
			}
		case "h1", "h2", "h3":
			headings[n.Data]++
		case "p":
			if c, _ := attr(n, "class"); strings.HasPrefix(c, "status-line") {
				for p := n.Parent; p != nil; p = p.Parent {
					if id, ok := attr(p, "id"); ok && p.Data == "article" {
						statusLines[id]++
						break
					}
				}
			}
		case "figure":
			figures++
		case "figcaption":
			captions++
		case "svg":
			if _, ok := attr(n, "role"); !ok {
				t.Error("an <svg> has no role")
			}
			if !hasChild(n, "title") {
				t.Error("an <svg> has no <title>")
			}
			if n.Parent == nil || n.Parent.Data != "figure" {
				t.Error("an <svg> is not in a <figure>")
			}
			for p := n.Parent; p != nil; p = p.Parent {
				if id, ok := attr(p, "id"); ok && p.Data == "article" {
					svgs[id]++
					break
				}
			}
		}
	})
	if title != r.Title || title == "" {
		t.Errorf("<title> is %q, want %q", title, r.Title)
	}
	if headings["h1"] != 1 || headings["h2"] < len(r.Areas)+3 || headings["h3"] < 32 {
		t.Errorf("headings %v: want one h1, an h2 per section and an h3 per indicator", headings)
	}
	if figures == 0 || figures != captions {
		t.Errorf("%d figures, %d figcaptions: every figure needs a caption", figures, captions)
	}
	// Every indicator with history has a chart, or for a Boolean a
	// status line.
	withHistory, booleans := 0, 0
	for _, a := range r.Areas {
		for _, i := range a.Indicators {
			if !i.HasHistory() {
				continue
			}
			withHistory++
			switch {
			case i.MeasureType == "Boolean":
				booleans++
				if statusLines[i.ID()] != 1 || svgs[i.ID()] != 0 {
					t.Errorf("Boolean indicator %s/%s: %d status lines, %d charts; want a status line and no chart", i.Namespace, i.Name, statusLines[i.ID()], svgs[i.ID()])
				}
			case svgs[i.ID()] < 1:
				t.Errorf("indicator %s/%s has history but no chart", i.Namespace, i.Name)
			}
		}
	}
	if withHistory != 32 || booleans != 13 {
		t.Errorf("%d indicators with history, %d of them Boolean; want the 32 of the example, 13 Boolean", withHistory, booleans)
	}
}

func hasChild(n *html.Node, name string) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == name {
			return true
		}
	}
	return false
}

// hostile is the text of testdata/escape, which tries to add markup to
// every format.
var hostile = []string{
	`<script>alert("title")</script> | *bold* [link](http://evil.example) & done`,
	`</style><script>alert(1)</script>`,
	`<a href="http://evil.example/x">click</a><script src="//evil.example/m.js"></script>`,
	`<img src=x onerror=alert(2)>`,
	`<script>alert("plan")</script>`,
}

func escapeReport(t *testing.T) *Report {
	t.Helper()
	return Build(evaluated(t, "testdata/escape"), Options{Generated: goldenAt, At: goldenAt, Source: `<script>alert("source")</script>`,
		Notes: []string{`<script>alert("note")</script>`}})
}

func TestUserTextIsEscapedInHTML(t *testing.T) {
	r := escapeReport(t)
	doc := renderHTML(t, r)
	assertSelfContained(t, doc)
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "b", "i", "u", "a":
				if href, _ := attr(n, "href"); n.Data != "a" || !strings.HasPrefix(href, "#") {
					t.Errorf("user text became an element: <%s %v>", n.Data, n.Attr)
				}
			}
		}
	})
	page := text(doc)
	for _, s := range append(hostile, `<script>alert("source")</script>`, `<script>alert("note")</script>`) {
		if !strings.Contains(page, s) {
			t.Errorf("the page does not show %q as text", s)
		}
	}
}

func TestUserTextIsEscapedInMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, escapeReport(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "<a ", "<img", "</style", "<b>", "[link](", "| *bold*"} {
		if strings.Contains(out, bad) {
			t.Errorf("Markdown contains %q unescaped", bad)
		}
	}
	for _, want := range []string{`&lt;script&gt;alert("title")&lt;/script&gt; \| \*bold\* \[link\](http://evil.example) &amp; done`} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks the escaped title %q", want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":            "plain text",
		"a | b":                 `a \| b`,
		"<script>x</script>":    "&lt;script&gt;x&lt;/script&gt;",
		"*em* _em_ `code`":      `\*em\* \_em\_ \` + "`code\\`",
		"[x](y) ![i](j)":        `\[x\](y) \!\[i\](j)`,
		"a\nb\t c":              "a b c",
		`back\slash & ~strike~`: `back\\slash &amp; \~strike\~`,
		"# not a heading":       `\# not a heading`,
	} {
		if got := md(in); got != want {
			t.Errorf("md(%q) = %q, want %q", in, got, want)
		}
	}
}
