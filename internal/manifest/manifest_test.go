package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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
