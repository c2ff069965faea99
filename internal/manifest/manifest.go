// Package manifest reads Kubernetes manifests (files, directories or an
// embedded file system, multi-document YAML or JSON) into unstructured
// objects that remember the file and line they came from, so that every
// error can name both.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// Object is one manifest document and where it was read from.
type Object struct {
	// Source is the file the document was read from.
	Source string
	// Line is the 1-based line of the file the document starts on.
	Line int
	// Object is the decoded document.
	Object *unstructured.Unstructured
	// Imported marks an object made from a record of another format (a
	// CSV row, a DHIS2 data value): Line is the record's line, and Source
	// holds no YAML in which to look up the line of a field.
	Imported bool
}

// Location returns "file:line", the way editors and CI logs link to it.
func (o Object) Location() string { return fmt.Sprintf("%s:%d", o.Source, o.Line) }

// Describe returns "Kind namespace/name" (or "Kind name") for messages.
func (o Object) Describe() string {
	if ns := o.Object.GetNamespace(); ns != "" {
		return fmt.Sprintf("%s %s/%s", o.Object.GetKind(), ns, o.Object.GetName())
	}
	return fmt.Sprintf("%s %s", o.Object.GetKind(), o.Object.GetName())
}

// GVK returns the document's group, version and kind.
func (o Object) GVK() schema.GroupVersionKind { return o.Object.GroupVersionKind() }

// Error is a file or document that could not be read, with its location.
type Error struct {
	Source string
	// Line is the 1-based line of the document; 0 for the whole file.
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.Source, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.Source, e.Line, e.Err)
}
func (e *Error) Unwrap() error { return e.Err }

// IsManifestFile reports whether a file name looks like a manifest.
// Kustomization files are build instructions, not objects, and are skipped.
func IsManifestFile(name string) bool {
	switch filepath.Base(name) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// LoadPaths reads every manifest file named, and every manifest file below
// every directory named, in lexical order. It returns all documents it could
// read and every error met, joined: a file or directory that cannot be read
// is an error naming it, and the files after it are still read. Paths that
// hold no document at all are an error ("no manifests found in ...").
func LoadPaths(paths ...string) ([]Object, error) {
	return LoadFS(osFS{}, paths...)
}

// LoadFS is LoadPaths over any file system (such as an embed.FS).
func LoadFS(fsys fs.FS, paths ...string) ([]Object, error) {
	var objs []Object
	var errs []error
	for _, p := range paths {
		files, ferrs := manifestFiles(fsys, p)
		errs = append(errs, ferrs...)
		for _, f := range files {
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				errs = append(errs, unreadable(f, err))
				continue
			}
			o, err := Parse(f, data)
			objs = append(objs, o...)
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(objs) == 0 && len(errs) == 0 {
		return nil, fmt.Errorf("no manifests found in %s", strings.Join(paths, ", "))
	}
	return objs, errors.Join(errs...)
}

// manifestFiles lists the manifest files of root (a file or a directory),
// sorted, and an error for root if it cannot be read, or for each
// directory below it that cannot be read.
func manifestFiles(fsys fs.FS, root string) ([]string, []error) {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		return nil, []error{fmt.Errorf("reading %s: %w", root, unwrapPathError(err))}
	}
	if !info.IsDir() {
		return []string{root}, nil
	}
	var files []string
	var errs []error
	_ = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// Report the directory and go on with the rest of the tree.
			errs = append(errs, unreadable(p, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && IsManifestFile(p) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, errs
}

// unreadable is the error of a file or directory that cannot be read.
func unreadable(path string, err error) error {
	return &Error{Source: path, Err: fmt.Errorf("cannot be read: %w", unwrapPathError(err))}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse splits data into YAML documents and decodes each non-empty one. The
// source names the data in errors and in the returned objects.
func Parse(source string, data []byte) ([]Object, error) {
	var objs []Object
	var errs []error
	for _, doc := range splitDocuments(data) {
		if isBlank(doc.text) {
			continue
		}
		obj, err := decode(doc.text)
		if err != nil {
			errs = append(errs, &Error{Source: source, Line: doc.line, Err: err})
			continue
		}
		if obj.IsList() {
			items, err := listItems(obj)
			if err != nil {
				errs = append(errs, &Error{Source: source, Line: doc.line, Err: err})
			}
			for _, it := range items {
				objs = append(objs, Object{Source: source, Line: doc.line, Object: it})
			}
			continue
		}
		objs = append(objs, Object{Source: source, Line: doc.line, Object: obj})
	}
	return objs, errors.Join(errs...)
}

type document struct {
	text []byte
	line int
}

// splitDocuments splits on lines that are exactly "---" (optionally followed
// by a comment), remembering the line each document starts on. Lines end
// at "\n" (a "\r" before it is dropped) and may be of any length: nothing
// of the data is left unread.
func splitDocuments(data []byte) []document {
	var docs []document
	var cur bytes.Buffer
	start, n := 1, 0
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		n++
		if IsSeparator(string(line)) {
			docs = append(docs, document{text: append([]byte(nil), cur.Bytes()...), line: start})
			cur.Reset()
			start = n + 1
			continue
		}
		cur.Write(line)
		cur.WriteByte('\n')
	}
	docs = append(docs, document{text: cur.Bytes(), line: start})
	for i := range docs {
		docs[i].line += leadingBlankLines(docs[i].text)
	}
	return docs
}

// IsSeparator reports whether a line separates YAML documents: "---",
// optionally followed by a comment.
func IsSeparator(line string) bool {
	t := strings.TrimRight(line, " \t\r")
	return t == "---" || strings.HasPrefix(t, "--- #")
}

// leadingBlankLines counts the blank and comment lines before a document's
// first content line, so that its line number points at the content.
func leadingBlankLines(doc []byte) int {
	n := 0
	for _, l := range strings.Split(string(doc), "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			return n
		}
		n++
	}
	return 0
}

func isBlank(doc []byte) bool { return firstContent(doc) == "" }

func firstContent(doc []byte) string {
	for _, l := range strings.Split(string(doc), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return t
		}
	}
	return ""
}

func decode(doc []byte) (*unstructured.Unstructured, error) {
	var m map[string]any
	if err := yaml.UnmarshalStrict(doc, &m); err != nil {
		return nil, fmt.Errorf("not a valid manifest: %w", err)
	}
	if m == nil {
		return nil, errors.New("not a valid manifest: document is not a mapping")
	}
	obj := &unstructured.Unstructured{Object: m}
	if obj.GetAPIVersion() == "" {
		return nil, errors.New("not a valid manifest: apiVersion is missing")
	}
	if obj.GetKind() == "" {
		return nil, errors.New("not a valid manifest: kind is missing")
	}
	return obj, nil
}

func listItems(list *unstructured.Unstructured) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	err := list.EachListItem(func(o runtime.Object) error {
		u, ok := o.(*unstructured.Unstructured)
		if !ok {
			return fmt.Errorf("list item of type %T", o)
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

// osFS is the operating system's file system, with paths used as given
// (relative or absolute), which os.DirFS cannot do.
type osFS struct{}

func (osFS) Open(name string) (fs.File, error) { return os.Open(name) }

func (osFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

func (osFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }
