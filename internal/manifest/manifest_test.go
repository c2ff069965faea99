package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestParseMultiDocumentKeepsLines(t *testing.T) {
	data := []byte(`# header comment
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
# second
---

apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: a}
--- # trailing comment
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: c}}
- {apiVersion: v1, kind: Namespace, metadata: {name: d}}
`)
	objs, err := Parse("x.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, o := range objs {
		got = append(got, o.Location()+" "+o.Describe())
	}
	want := []string{"x.yaml:2 Namespace a", "x.yaml:9 ConfigMap a/b", "x.yaml:13 Namespace c", "x.yaml:13 Namespace d"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]struct{ data, want string }{
		"no kind":       {"apiVersion: v1\nmetadata: {name: a}\n", "x.yaml:1: not a valid manifest: kind is missing"},
		"no apiVersion": {"kind: Namespace\n", "x.yaml:1: not a valid manifest: apiVersion is missing"},
		"bad yaml":      {"apiVersion: v1\nkind: Namespace\n---\nkind: [\n", "x.yaml:4: not a valid manifest"},
		"scalar":        {"just text\n", "x.yaml:1: not a valid manifest"},
		"duplicate key": {"apiVersion: v1\nkind: A\nkind: B\n", "x.yaml:1: not a valid manifest"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadPathsWalksDirectoriesInOrder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n")
	write("a/z.yml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: az}\n")
	write("notes.md", "not a manifest")
	write("kustomization.yaml", "resources: [b.yaml]\n")
	objs, err := LoadPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].Object.GetName() != "az" || objs[1].Object.GetName() != "b" {
		t.Fatalf("unexpected objects %v", objs)
	}
	if _, err := LoadPaths(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing path: error %v", err)
	}
}

func TestLoadFSEmbedded(t *testing.T) {
	fsys := fstest.MapFS{"ex/one.yaml": {Data: []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: one}\n")}}
	objs, err := LoadFS(fsys, "ex")
	if err != nil || len(objs) != 1 || objs[0].Source != "ex/one.yaml" {
		t.Fatalf("objs %v err %v", objs, err)
	}
}

// TestLongLinesDoNotHideLaterDocuments: a line of any length is read (an
// embedded file in a ConfigMap, a long title), and the documents after it
// are read too; none is dropped.
func TestLongLinesDoNotHideLaterDocuments(t *testing.T) {
	long := strings.Repeat("x", 17<<20) // above any line buffer of 16 MiB
	data := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + long + "\n---\n" +
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: after}\n---\nkind: [\n")
	objs, err := Parse("big.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "big.yaml:11: not a valid manifest") {
		t.Errorf("error %v, want the broken document after the long line at big.yaml:11", err)
	}
	if len(objs) != 2 {
		t.Fatalf("%d objects, want the ConfigMap with the long line and the Namespace after it", len(objs))
	}
	blob, _, _ := unstructuredString(objs[0], "data", "blob")
	if len(blob) != len(long) {
		t.Errorf("the long line was read as %d bytes, want %d", len(blob), len(long))
	}
	if got := objs[1].Location() + " " + objs[1].Describe(); got != "big.yaml:7 Namespace after" {
		t.Errorf("second object %s, want big.yaml:7 Namespace after", got)
	}
}

// TestLineEndings: CRLF files and a last line without a newline read as
// the same documents, at the same lines.
func TestLineEndings(t *testing.T) {
	data := []byte("apiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: a}\r\n--- \r\napiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: b}")
	objs, err := Parse("crlf.yaml", data)
	if err != nil || len(objs) != 2 || objs[1].Location() != "crlf.yaml:5" || objs[1].Object.GetName() != "b" {
		t.Fatalf("objs %v err %v", objs, err)
	}
}

func TestEmptyInputIsAnError(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	comments := filepath.Join(dir, "comments.yaml")
	if err := os.WriteFile(comments, []byte("# nothing here yet\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, paths := range [][]string{{empty}, {comments}, {empty, comments}} {
		_, err := LoadPaths(paths...)
		if want := "no manifests found in " + strings.Join(paths, ", "); err == nil || err.Error() != want {
			t.Errorf("LoadPaths(%v): error %v, want %q", paths, err, want)
		}
	}
	// One path with manifests is enough.
	ns := filepath.Join(dir, "ns.yaml")
	if err := os.WriteFile(ns, []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if objs, err := LoadPaths(empty, ns); err != nil || len(objs) != 1 {
		t.Errorf("objs %v err %v", objs, err)
	}
}

// TestUnreadableFilesAreErrorsWithTheirFile: a file or directory that
// cannot be read is an error naming it, and the other files are still read.
func TestUnreadableFilesAreErrorsWithTheirFile(t *testing.T) {
	ns := func(name string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n")}
	}
	fsys := fstest.MapFS{"ex/a.yaml": ns("a"), "ex/b.yaml": ns("b"), "ex/sub/c.yaml": ns("c"), "ex/z.yaml": ns("z")}
	objs, err := LoadFS(failingFS{fsys, map[string]bool{"ex/a.yaml": true, "ex/sub": true}}, "ex")
	var me *Error
	if !errors.As(err, &me) || me.Line != 0 {
		t.Errorf("error %v, want a *manifest.Error for a whole file", err)
	}
	for _, want := range []string{"ex/a.yaml: cannot be read: input/output error", "ex/sub: cannot be read: input/output error"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to contain %q", err, want)
		}
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.Object.GetName())
	}
	if strings.Join(names, ",") != "b,z" {
		t.Errorf("read %v, want every readable file: b,z", names)
	}
}

// failingFS fails to read some files and directories.
type failingFS struct {
	fstest.MapFS
	bad map[string]bool
}

func (f failingFS) ReadFile(name string) ([]byte, error) {
	if f.bad[name] {
		return nil, &fs.PathError{Op: "read", Path: name, Err: syscall.EIO}
	}
	return f.MapFS.ReadFile(name)
}

func (f failingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if f.bad[name] {
		return nil, &fs.PathError{Op: "readdirent", Path: name, Err: syscall.EIO}
	}
	return f.MapFS.ReadDir(name)
}

func unstructuredString(o Object, fields ...string) (string, bool, error) {
	return unstructured.NestedString(o.Object.Object, fields...)
}
