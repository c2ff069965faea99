package validate

import (
	"os"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/concord-operator/concord/internal/manifest"
)

// lineFinder finds the line of a field in the document it was read from,
// so that an error points at the field rather than at the document's
// first line. When the field cannot be found (the file is not on disk, the
// field is missing) it gives the line of its deepest ancestor present, at
// worst the document's first line.
type lineFinder struct {
	files map[string][]string        // file -> its lines (nil: unreadable)
	docs  map[manifestKey]*yaml.Node // document -> its root mapping (nil: unparsable)
}

type manifestKey struct {
	file string
	line int
}

func newLineFinder() *lineFinder {
	return &lineFinder{files: map[string][]string{}, docs: map[manifestKey]*yaml.Node{}}
}

// line returns the line of path (spec.breakdown[0].categories.gender)
// in the document o.
func (f *lineFinder) line(o manifest.Object, path string) int {
	if o.Imported {
		return o.Line
	}
	root := f.document(o)
	if root == nil || path == "" || path == nilPath {
		return o.Line
	}
	n := root
	line := root.Line
	for _, seg := range splitPath(path) {
		next := child(n, seg)
		if next == nil {
			break
		}
		n, line = next.value, next.line
	}
	return o.Line + line - 1
}

// document parses the text of the document that starts at o.Line.
func (f *lineFinder) document(o manifest.Object) *yaml.Node {
	k := manifestKey{o.Source, o.Line}
	if n, ok := f.docs[k]; ok {
		return n
	}
	f.docs[k] = nil
	lines, ok := f.files[o.Source]
	if !ok {
		if data, err := os.ReadFile(o.Source); err == nil {
			lines = strings.Split(string(data), "\n")
		}
		f.files[o.Source] = lines
	}
	if o.Line < 1 || o.Line > len(lines) {
		return nil
	}
	end := o.Line - 1
	for end < len(lines) && !manifest.IsSeparator(lines[end]) {
		end++
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(lines[o.Line-1:end], "\n")), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode || isList(root) {
		// The items of a List share its line; their paths start below
		// items[i], which is not worth resolving.
		return nil
	}
	// Lines of the parsed text count from the document's first line.
	f.docs[k] = root
	return root
}

func isList(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "kind" && strings.HasSuffix(m.Content[i+1].Value, "List") {
			return true
		}
	}
	return false
}

type segment struct {
	key   string
	index int // -1 unless the segment is a list index
}

// splitPath splits a field.Path string: names separated by dots, list
// indexes and map keys in brackets (metadata.labels[app.kubernetes.io/name]).
func splitPath(p string) []segment {
	var out []segment
	for len(p) > 0 {
		switch p[0] {
		case '.':
			p = p[1:]
		case '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return out
			}
			in := p[1:end]
			if i, err := strconv.Atoi(in); err == nil {
				out = append(out, segment{index: i})
			} else {
				out = append(out, segment{key: in, index: -1})
			}
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, segment{key: p[:end], index: -1})
			p = p[end:]
		}
	}
	return out
}

type found struct {
	value *yaml.Node
	line  int
}

// child finds a segment below n: the line is that of a mapping's key, or of
// a sequence's item.
func child(n *yaml.Node, s segment) *found {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch {
	case s.index >= 0 && n.Kind == yaml.SequenceNode:
		if s.index < len(n.Content) {
			return &found{n.Content[s.index], n.Content[s.index].Line}
		}
	case s.index < 0 && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == s.key {
				return &found{n.Content[i+1], n.Content[i].Line}
			}
		}
	}
	return nil
}
