package offline

import (
	"fmt"
	"os"
	"strings"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/manifest"
)

// Pin is a digest to write into an Evidence manifest.
type Pin struct {
	Source manifest.Object
	Digest string
}

// PinsFromSet returns, for every Evidence of the set without spec.digest
// whose ConfigMap source is in the set, the digest of its content; and a
// note for each Evidence it cannot pin offline.
func (s *Set) PinsFromSet() ([]Pin, []string) {
	var pins []Pin
	var notes []string
	for _, r := range s.order {
		e, ok := r.Object.(*v1alpha1.Evidence)
		if !ok || e.Spec.Digest != "" {
			continue
		}
		switch e.Spec.Source.Type {
		case v1alpha1.SourceAttestation:
			continue
		case v1alpha1.SourceURL:
			notes = append(notes, fmt.Sprintf("%s: %s: a URL source is pinned from the cluster's status.observedDigest (--from-cluster)", r.Source.Location(), r.Source.Describe()))
			continue
		}
		obs := s.observe(e)
		if obs.Digest == "" {
			notes = append(notes, fmt.Sprintf("%s: %s: %s", r.Source.Location(), r.Source.Describe(), obs.FailMessage))
			continue
		}
		pins = append(pins, Pin{Source: r.Source, Digest: obs.Digest})
	}
	return pins, notes
}

// WritePins inserts "digest: ..." as the first field of each pinned
// document's spec, in place, keeping the rest of the file as it is.
func WritePins(pins []Pin) error {
	byFile := map[string][]Pin{}
	for _, p := range pins {
		byFile[p.Source.Source] = append(byFile[p.Source.Source], p)
	}
	for file, ps := range byFile {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		// Insert from the bottom so earlier line numbers stay valid.
		for i := len(ps) - 1; i >= 0; i-- {
			if lines, err = insertDigest(lines, ps[i]); err != nil {
				return err
			}
		}
		if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// insertDigest finds the document's top-level "spec:" line at or after its
// first line and inserts the digest under it, indented like its fields.
func insertDigest(lines []string, p Pin) ([]string, error) {
	for i := p.Source.Line - 1; i < len(lines); i++ {
		if i > p.Source.Line-1 && strings.TrimRight(lines[i], " ") == "---" {
			break
		}
		if strings.TrimRight(lines[i], " ") != "spec:" {
			continue
		}
		indent := "  "
		if i+1 < len(lines) {
			trimmed := strings.TrimLeft(lines[i+1], " ")
			if n := len(lines[i+1]) - len(trimmed); n > 0 {
				indent = strings.Repeat(" ", n)
			}
		}
		out := append(append(append([]string{}, lines[:i+1]...), indent+"digest: "+p.Digest), lines[i+1:]...)
		return out, nil
	}
	return nil, fmt.Errorf("%s: %s: no block \"spec:\" line found; add digest: %s by hand", p.Source.Location(), p.Source.Describe(), p.Digest)
}

// Results returns the set's Concord objects in input order, as decoded.
func (s *Set) Results() []Result { return s.order }
