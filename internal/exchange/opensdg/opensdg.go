// Package opensdg is the codec of Open SDG's data CSV, as national SDG
// platforms publish each indicator: `Year,<dimension columns...>,Value`.
// A row whose dimension columns are all empty is the total of its year;
// a row with some filled is a breakdown cell (one filled: a cell of that
// dimension's table; several: a cross cell). A row with a blank Value
// (a year without data) gives no figure and is reported as ignored.
//
// The map names one indicator and its reporter, and each dimension column
// (dimensions[].source) with its labels. Options:
//
//	options:
//	  ignoreColumns: [Units, Series]   # columns the import does not read
//
// Written files have the Year column, the map's dimension columns in its
// order and Value; rows go by year, the total first, then each dimension's
// cells in the map's column order, cells of one column in the order given.
package opensdg

import (
	"fmt"
	"io"
	"sort"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/csv"
)

func init() { exchange.Register("open-sdg", Codec{}) }

// Options are the open-sdg format's options.
type Options struct {
	IgnoreColumns []string `json:"ignoreColumns,omitempty"`
}

// Codec reads and writes Open SDG data files.
type Codec struct{}

// columns are the fixed Year and Value columns.
func columns(m *exchange.Map) (csv.Options, error) {
	var o Options
	if err := m.DecodeOptions(&o); err != nil {
		return csv.Options{}, err
	}
	return csv.Options{Columns: csv.Columns{Period: "Year", Value: "Value"}, IgnoreColumns: o.IgnoreColumns}, nil
}

// Read reads an Open SDG data file.
func (Codec) Read(m *exchange.Map, name string, r io.Reader) (exchange.Read, error) {
	o, err := columns(m)
	if err != nil {
		return exchange.Read{}, err
	}
	return csv.ReadTable(m, o, name, r)
}

// Write writes figures as an Open SDG data file (suppressed figures with a
// blank Value: the format has no confidentiality marker).
func (Codec) Write(m *exchange.Map, w io.Writer, figures []exchange.Figure) error {
	o, err := columns(m)
	if err != nil {
		return err
	}
	for _, f := range figures {
		if f.Indicator != figures[0].Indicator || f.Reporter != figures[0].Reporter {
			return fmt.Errorf("an Open SDG file holds one indicator's figures, one per year and cell: %s of %q and %s of %q cannot share it; write one file per indicator, of the consolidated figures",
				f.Indicator, f.Reporter, figures[0].Indicator, figures[0].Reporter)
		}
	}
	column := map[string]int{}
	for i, d := range m.Dimensions {
		column[d.Dimension] = i
	}
	// rank: the total first, then by the first dimension column filled.
	rank := func(f exchange.Figure) int {
		r := len(m.Dimensions) + 1
		if len(f.Categories) == 0 {
			return -1
		}
		for dim := range f.Categories {
			if i, ok := column[dim]; ok && i < r {
				r = i
			}
		}
		return r
	}
	sorted := append([]exchange.Figure(nil), figures...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return rank(a) < rank(b)
	})
	return csv.Codec{}.WriteWith(m, o, w, sorted)
}
