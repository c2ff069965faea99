// Package exchange moves figures between Concord and the files where they
// live and must go: spreadsheets (CSV), national SDG platforms (Open SDG),
// DHIS2 (dataValueSets JSON and CSV, ADX XML), the UN global SDG database
// (SDMX-CSV) and IATI activity files.
//
// Every format is a Codec between its files and Figures: one published
// number each, an Indicator's total or one breakdown cell, for one period
// and one reporter. `concordctl import` turns the Figures a file holds
// into Measurements and validates them as the cluster would; `concordctl
// export` turns the counted Measurements into Figures under the
// Indicator's disclosure control and writes them in the format.
package exchange

import (
	"fmt"
	"io"
	"sort"
	"sync"
)

// Figure is one published number.
type Figure struct {
	// Indicator is the Concord Indicator's name (the map gives the
	// namespace).
	Indicator string
	// Period in the Indicator's cadence, as Measurements write it
	// ("2026-Q1", "2026", "2026-03", "FY2025").
	Period string
	// Reporter is the Measurement's spec.reporter.
	Reporter string
	// Categories of a breakdown cell, by dimension; empty for the total.
	Categories map[string]string
	// Value, or Numerator and Denominator (Ratio indicators), as decimal
	// strings in Concord's canonical form.
	Value, Numerator, Denominator string
	// Status of an exported figure: Published, or Suppressed below the
	// Indicator's disclosure.minCellSize (its value then empty).
	Status Status
	// Source is where an imported figure was read.
	Source Location
}

// Status says whether an exported figure may be read.
type Status string

const (
	// Published figures carry their value.
	Published Status = ""
	// Suppressed figures are below the disclosure threshold, or would let
	// one be recovered; they carry no value, and the format's
	// confidentiality marker where it has one.
	Suppressed Status = "Suppressed"
)

// Location is a place in a source file, for errors and summaries.
type Location struct {
	File string
	Line int
}

func (l Location) String() string {
	if l.Line == 0 {
		return l.File
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}

// Ignored is a source row that gives no figure, and why (a blank value,
// a data element the map does not name).
type Ignored struct {
	Location
	Reason string
}

// Read is what a codec found in one file.
type Read struct {
	Figures []Figure
	Ignored []Ignored
}

// Codec reads and writes one format.
type Codec interface {
	// Read parses one file (named name, for messages) under the map. Bad
	// input is an error naming the file, the line and what to write; a
	// row that gives no figure is Ignored.
	Read(m *Map, name string, r io.Reader) (Read, error)
	// Write writes figures (already under disclosure control) under the
	// map.
	Write(m *Map, w io.Writer, figures []Figure) error
}

var (
	codecsMu sync.RWMutex
	codecs   = map[string]Codec{}
)

// Register makes a codec available under its format name.
func Register(format string, c Codec) {
	codecsMu.Lock()
	defer codecsMu.Unlock()
	codecs[format] = c
}

// CodecFor returns the codec of a format.
func CodecFor(format string) (Codec, error) {
	codecsMu.RLock()
	defer codecsMu.RUnlock()
	if c, ok := codecs[format]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("unknown format %q: use one of %v", format, Formats())
}

// Formats lists the registered formats, sorted.
func Formats() []string {
	codecsMu.RLock()
	defer codecsMu.RUnlock()
	var out []string
	for f := range codecs {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
