package disclosure

import (
	"fmt"
	"math/big"
	"reflect"
	"testing"
)

func rats(vs ...int) []*big.Rat {
	out := make([]*big.Rat, len(vs))
	for i, v := range vs {
		out[i] = big.NewRat(int64(v), 1)
	}
	return out
}

const (
	s = Shown
	b = Below
	w = Withheld
)

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name     string
		total    int
		withhold bool
		tables   [][]int
		min      int32
		want     Decision
	}{
		{name: "no disclosure", total: 33, tables: [][]int{{1, 2, 30}}, min: 0,
			want: Decision{Total: s, Tables: [][]Mark{{s, s, s}}}},
		{name: "nothing small", total: 47, tables: [][]int{{5, 12, 30}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{s, s, s}}}},
		{name: "single cell: neither the cell nor the total", total: 3, tables: [][]int{{3}}, min: 5,
			want: Decision{Total: b, Tables: [][]Mark{{b}}}},
		{name: "small cells summing to less than minCellSize: the next smallest joins them", total: 33, tables: [][]int{{1, 2, 30}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{w, w, w}}}},
		{name: "the same with room: smallest first", total: 50, tables: [][]int{{1, 2, 30, 17}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{w, w, s, w}}}},
		{name: "small cells summing to minCellSize or more stay <N", total: 40, tables: [][]int{{3, 2, 35}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{b, b, s}}}},
		{name: "small cells all at N-1 would be known: one more joins them", total: 38, tables: [][]int{{4, 4, 30}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{w, w, w}}}},
		{name: "one small cell: the next smallest, first of equals", total: 20, tables: [][]int{{9, 2, 9}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{w, w, s}}}},
		{name: "zero is small", total: 51, tables: [][]int{{34, 17, 0, 0}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{s, w, w, w}}}},
		{name: "a zero total is <N", total: 0, tables: [][]int{{0, 0}}, min: 5,
			want: Decision{Total: b, Tables: [][]Mark{{b, b}}}},
		{name: "small total: every cell of every table", total: 4, tables: [][]int{{4, 0}, {1, 1, 2}}, min: 5,
			want: Decision{Total: b, Tables: [][]Mark{{b, b}, {b, b, b}}}},
		{name: "tables protected each on its own when the total is shown", total: 54, tables: [][]int{{34, 17, 1, 2}, {9, 43, 2}, {16, 11, 27}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{s, w, w, w}, {w, s, w}, {s, s, s}}}},
		{name: "total withheld elsewhere: no cell of a table that sums to it", total: 40, withhold: true, tables: [][]int{{30, 10}, {38, 2}}, min: 5,
			want: Decision{Total: w, Tables: [][]Mark{{w, w}, {w, w}}}},
		{name: "exactly minCellSize is shown", total: 11, tables: [][]int{{5, 6}}, min: 5,
			want: Decision{Total: s, Tables: [][]Mark{{s, s}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Breakdown{Total: big.NewRat(int64(tc.total), 1), WithholdTotal: tc.withhold}
			for _, c := range tc.tables {
				in.Tables = append(in.Tables, Table{Cells: rats(c...), Additive: true})
			}
			if got := Decide(in, tc.min); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide(%d, %v, %d) = %v, want %v", tc.total, tc.tables, tc.min, got, tc.want)
			}
		})
	}
}

func TestDecideWithoutAdditiveTotal(t *testing.T) {
	// Values that do not add up (percentages): only small cells go, and the
	// total is not a size.
	d := Decide(Breakdown{Tables: []Table{{Cells: rats(70, 3, 55)}}}, 5)
	if want := (Decision{Total: s, Tables: [][]Mark{{s, b, s}}}); !reflect.DeepEqual(d, want) {
		t.Errorf("not additive, no total: %v, want %v", d, want)
	}
	// A multi-select table next to an additive one with the same total.
	d = Decide(Breakdown{Total: big.NewRat(33, 1), Tables: []Table{{Cells: rats(30, 2, 12)}, {Cells: rats(1, 2, 30), Additive: true}}}, 5)
	if want := (Decision{Total: s, Tables: [][]Mark{{s, b, s}, {w, w, w}}}); !reflect.DeepEqual(d, want) {
		t.Errorf("mixed tables: %v, want %v", d, want)
	}
}

// A table whose cells may overlap (a person counted under several forms of
// exploitation) is not protected against the total, but each of its cells
// is at most the total: under a withheld total a shown cell would bound it
// from below (a cell of 15 under a withheld period of 12 to 15 pins it),
// so its cells are withheld with it. Shown, its small cells go alone.
func TestDecideBoundedTable(t *testing.T) {
	for _, tc := range []struct {
		name     string
		total    int
		withhold bool
		cells    []int
		bounded  bool
		want     Decision
	}{
		{"shown total: small cells alone", 40, false, []int{30, 2, 25}, true, Decision{Total: s, Tables: [][]Mark{{s, b, s}}}},
		{"withheld total: every cell", 40, true, []int{30, 2, 25}, true, Decision{Total: w, Tables: [][]Mark{{w, w, w}}}},
		{"small total: every cell, each below it", 4, false, []int{4, 3}, true, Decision{Total: b, Tables: [][]Mark{{b, b}}}},
		{"not bounded (subgroup rates): small cells alone whatever the total", 40, true, []int{30, 2, 125}, false, Decision{Total: w, Tables: [][]Mark{{s, b, s}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Breakdown{Total: big.NewRat(int64(tc.total), 1), WithholdTotal: tc.withhold, Tables: []Table{{Cells: rats(tc.cells...), Bounded: tc.bounded}}}
			if got := Decide(in, 5); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecideDoesNotChangeItsInput(t *testing.T) {
	cells := rats(1, 2, 30)
	Decide(Breakdown{Total: big.NewRat(33, 1), Tables: []Table{{Cells: cells, Additive: true}}}, 5)
	if fmt.Sprint(cells) != fmt.Sprint(rats(1, 2, 30)) {
		t.Errorf("cells changed to %v", cells)
	}
}

func TestSmall(t *testing.T) {
	for _, tc := range []struct {
		v    *big.Rat
		min  int32
		want bool
	}{
		{big.NewRat(4, 1), 5, true}, {big.NewRat(5, 1), 5, false}, {big.NewRat(0, 1), 5, true},
		{big.NewRat(49, 10), 5, true}, {big.NewRat(1, 1), 0, false}, {big.NewRat(0, 1), -3, false},
	} {
		if got := Small(tc.v, tc.min); got != tc.want {
			t.Errorf("Small(%s, %d) = %v", tc.v.RatString(), tc.min, got)
		}
	}
}

func TestSeries(t *testing.T) {
	// 80, 3 and 110 summed to 193: 3 alone would be 193 - 80 - 110.
	total, marks := Series(rats(80, 3, 110), big.NewRat(193, 1), true, 5)
	if total != s || !reflect.DeepEqual(marks, []Mark{w, w, s}) {
		t.Errorf("Series = %v %v", total, marks)
	}
	// A window that does not reach the start: only the small term.
	total, marks = Series(rats(80, 3, 110), big.NewRat(300, 1), false, 5)
	if total != s || !reflect.DeepEqual(marks, []Mark{s, b, s}) {
		t.Errorf("Series (not additive) = %v %v", total, marks)
	}
}

func TestRunningTotals(t *testing.T) {
	for _, tc := range []struct {
		terms []Mark
		at    int
		total Mark
		want  []Mark
	}{
		{[]Mark{s, s, s}, 2, s, []Mark{s, s, s}},
		// 80, [3], [110] and the total: R1 = 80 is shown, R2 would give 3.
		{[]Mark{s, w, w}, 2, s, []Mark{s, w, s}},
		// A withheld first term: R1 and R2 would give it.
		{[]Mark{w, w, s}, 2, s, []Mark{w, s, s}},
		// A later open period after the total: shown when its term is.
		{[]Mark{w, w, s, s}, 2, s, []Mark{w, s, s, s}},
		{[]Mark{w, w, s, b}, 2, s, []Mark{w, s, s, w}},
		// A small total: every running total up to it is withheld.
		{[]Mark{b, b}, 1, b, []Mark{w, b}},
	} {
		if got := RunningTotals(tc.terms, tc.at, tc.total); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("RunningTotals(%v, %d, %v) = %v, want %v", tc.terms, tc.at, tc.total, got, tc.want)
		}
	}
}
