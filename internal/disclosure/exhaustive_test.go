package disclosure

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// The exhaustive tests decide every small breakdown and then act as its
// reader: from what is published alone (the shown cells, the total or its
// mark, "<N" for cells marked Below) they enumerate every breakdown that
// would publish the same, and check that
//
//   - every withheld cell has at least two possible values,
//   - a withheld total has at least two possible values,
//   - every sum of withheld cells (of one table, or of several tables)
//     that has a single possible value is at least minCellSize.
//
// The reader knows the rules (docs/disclosure.md): cells are counts of 0
// or more; a cell marked Below is at most N-1; a total marked Below is at
// most N-1, one marked Withheld at least N; where the total is shown, a
// table with Withheld cells has at least one of them below N.

// published is what a reader sees of one table.
type published struct {
	marks []Mark
	shown []int // the value of each Shown cell (0 elsewhere)
}

// key packs a table of at most 4 cells: 2 bits of mark and 7 of value a
// cell.
func (p published) key() uint64 {
	k := uint64(len(p.marks))
	for i, m := range p.marks {
		k = k<<9 | uint64(m)<<7 | uint64(p.shown[i])
	}
	return k
}

type completionKey struct {
	table      uint64
	total      int
	totalShown bool
}

type viewKey struct {
	tables [2]uint64
	total  int // when shown
	mark   Mark
}

// feasible is what a reader can tell of one table's withheld cells for one
// value of the total: whether any completion exists, and the least and
// greatest sum of every non-empty subset (bit i: the table's i-th withheld
// cell) over the completions.
type feasible struct {
	ok     bool
	lo, hi []int
}

type reader struct {
	n int
	// capTotal bounds a total marked Withheld (the reader knows no upper
	// bound; any value above the largest table's is as good).
	capTotal int
	memo     map[completionKey]feasible
	seen     map[viewKey][]string
}

func newReader(n, capTotal int) *reader {
	return &reader{n: n, capTotal: capTotal, memo: map[completionKey]feasible{}, seen: map[viewKey][]string{}}
}

// completions enumerates the withheld cells of p that sum to the total.
func (r *reader) completions(p published, total int, totalShown bool) feasible {
	key := completionKey{p.key(), total, totalShown}
	if f, ok := r.memo[key]; ok {
		return f
	}
	rest := total
	var hidden []Mark
	for i, m := range p.marks {
		if m == Shown {
			rest -= p.shown[i]
		} else {
			hidden = append(hidden, m)
		}
	}
	masks := 1 << len(hidden)
	f := feasible{lo: make([]int, masks), hi: make([]int, masks)}
	for m := range f.lo {
		f.lo[m], f.hi[m] = 1<<30, -1
	}
	needSmall := false
	for _, m := range hidden {
		needSmall = needSmall || (m == Withheld && totalShown)
	}
	vals := make([]int, len(hidden))
	var walk func(i, left int)
	walk = func(i, left int) {
		if i == len(hidden) {
			if left != 0 {
				return
			}
			if needSmall {
				small := false
				for _, v := range vals {
					small = small || v < r.n
				}
				if !small {
					return
				}
			}
			f.ok = true
			for m := 1; m < masks; m++ {
				sum := 0
				for j, v := range vals {
					if m&(1<<j) != 0 {
						sum += v
					}
				}
				f.lo[m], f.hi[m] = min(f.lo[m], sum), max(f.hi[m], sum)
			}
			return
		}
		top := left
		if hidden[i] == Below {
			top = min(top, r.n-1)
		}
		for v := 0; v <= top; v++ {
			vals[i] = v
			walk(i+1, left-v)
		}
	}
	if rest >= 0 {
		walk(0, rest)
	}
	r.memo[key] = f
	return f
}

// check reads one decided breakdown and returns what it gives away. What
// a reader finds depends on what is published only, so it is read once
// for every breakdown that publishes the same.
func (r *reader) check(total int, d Decision, tables [][]int) []string {
	var pubs []published
	key := viewKey{mark: d.Total}
	if d.Total == Shown {
		key.total = total
	}
	for k, c := range tables {
		p := published{marks: d.Tables[k], shown: make([]int, len(c))}
		for i, v := range c {
			if p.marks[i] == Shown {
				p.shown[i] = v
			}
		}
		pubs = append(pubs, p)
		key.tables[k] = p.key()
	}
	if !r.consistent(total, d, tables) {
		return []string{"the true breakdown is not among those the reader finds (the reader is wrong)"}
	}
	if leaks, ok := r.seen[key]; ok {
		return leaks
	}
	leaks := r.read(total, d, pubs)
	r.seen[key] = leaks
	return leaks
}

// consistent reports whether the true breakdown satisfies what the reader
// assumes of it.
func (r *reader) consistent(total int, d Decision, tables [][]int) bool {
	switch {
	case d.Total == Below && total >= r.n, d.Total == Withheld && (total < r.n || total > r.capTotal):
		return false
	}
	for k, c := range tables {
		if sum(c) != total {
			return false
		}
		small, withheld := false, false
		for i, v := range c {
			m := d.Tables[k][i]
			if m == Below && v >= r.n {
				return false
			}
			small = small || (m != Shown && v < r.n)
			withheld = withheld || m == Withheld
		}
		if d.Total == Shown && withheld && !small {
			return false
		}
	}
	return true
}

// read enumerates every breakdown that publishes pubs with the total
// d.Total (total, when it is shown).
func (r *reader) read(total int, d Decision, pubs []published) []string {
	var totals []int
	switch d.Total {
	case Shown:
		totals = []int{total}
	case Below:
		for v := 0; v < r.n; v++ {
			totals = append(totals, v)
		}
	case Withheld:
		for v := r.n; v <= r.capTotal; v++ {
			totals = append(totals, v)
		}
	}
	// Over every total the reader cannot rule out: the least and greatest
	// sum of every combination of subsets, one subset per table (a product
	// of the tables' masks, mixed radix).
	radix := make([]int, len(pubs))
	combos := 1
	for k, p := range pubs {
		radix[k] = 1 << countHidden(p.marks)
		combos *= radix[k]
	}
	lo, hi := make([]int, combos), make([]int, combos)
	for c := range lo {
		lo[c], hi[c] = 1<<30, -1
	}
	var possible []int
	for _, tot := range totals {
		fs := make([]feasible, len(pubs))
		ok := true
		for k, p := range pubs {
			fs[k] = r.completions(p, tot, d.Total == Shown)
			ok = ok && fs[k].ok
		}
		if !ok {
			continue
		}
		possible = append(possible, tot)
		for c := 1; c < combos; c++ {
			rest, sumLo, sumHi := c, 0, 0
			for k := range pubs {
				m := rest % radix[k]
				rest /= radix[k]
				if m != 0 {
					sumLo += fs[k].lo[m]
					sumHi += fs[k].hi[m]
				}
			}
			lo[c], hi[c] = min(lo[c], sumLo), max(hi[c], sumHi)
		}
	}
	var leaks []string
	if len(possible) == 0 {
		return []string{"no breakdown publishes this (the reader is wrong)"}
	}
	if d.Total != Shown && len(possible) < 2 {
		leaks = append(leaks, fmt.Sprintf("the withheld total is %d", possible[0]))
	}
	for c := 1; c < combos; c++ {
		if lo[c] != hi[c] {
			continue
		}
		cells, single := describe(c, radix, pubs)
		switch {
		case single:
			leaks = append(leaks, fmt.Sprintf("withheld cell %s is %d", cells, lo[c]))
		case lo[c] < r.n:
			leaks = append(leaks, fmt.Sprintf("withheld cells %s sum to %d", cells, lo[c]))
		}
	}
	return leaks
}

func countHidden(marks []Mark) int {
	n := 0
	for _, m := range marks {
		if m != Shown {
			n++
		}
	}
	return n
}

// describe names the cells of a combination: table.cell, as shown.
func describe(c int, radix []int, pubs []published) (string, bool) {
	var names []string
	for k, p := range pubs {
		m := c % radix[k]
		c /= radix[k]
		j := 0
		for i, mk := range p.marks {
			if mk == Shown {
				continue
			}
			if m&(1<<j) != 0 {
				names = append(names, fmt.Sprintf("%d.%d", k, i))
			}
			j++
		}
	}
	return strings.Join(names, "+"), len(names) == 1
}

// tablesOf calls f with every table of 1 to maxCells cells of values 0 to
// maxValue.
func tablesOf(maxCells, maxValue int, f func([]int)) {
	var walk func(prefix []int)
	walk = func(prefix []int) {
		if len(prefix) > 0 {
			f(prefix)
		}
		if len(prefix) == maxCells {
			return
		}
		for v := 0; v <= maxValue; v++ {
			walk(append(prefix, v))
		}
	}
	walk(make([]int, 0, maxCells))
}

func sum(c []int) int {
	s := 0
	for _, v := range c {
		s += v
	}
	return s
}

// ints are the sizes 0 to 99, made once (Decide does not change them).
var ints = rats(func() []int {
	out := make([]int, 100)
	for i := range out {
		out[i] = i
	}
	return out
}()...)

func breakdownOf(total int, withhold bool, tables ...[]int) Breakdown {
	b := Breakdown{Total: ints[total], WithholdTotal: withhold}
	for _, c := range tables {
		cells := make([]*big.Rat, len(c))
		for i, v := range c {
			cells[i] = ints[v]
		}
		b.Tables = append(b.Tables, Table{Cells: cells, Additive: true})
	}
	return b
}

// exhaust decides every breakdown each gives and reads it; it stops after
// a few failures. capTotal is the largest total each gives.
func exhaust(t *testing.T, name string, capTotal int, decide func(Breakdown, int32) Decision, each func(func(total int, withhold bool, tables ...[]int))) int {
	t.Helper()
	failures, checked := 0, 0
	for n := 2; n <= 6; n++ {
		r := newReader(n, capTotal+n)
		each(func(total int, withhold bool, tables ...[]int) {
			if failures >= 5 {
				return
			}
			d := decide(breakdownOf(total, withhold, tables...), int32(n))
			checked++
			if leaks := r.check(total, d, tables); len(leaks) > 0 {
				failures++
				t.Errorf("%s: minCellSize %d, total %d (withheld elsewhere: %v), tables %v: published %v, total %v; the reader finds: %s",
					name, n, total, withhold, tables, d.Tables, d.Total, strings.Join(leaks, "; "))
			}
		})
	}
	return checked
}

// TestDecideGivesNothingAwayOneTable: every table of 1 to 4 cells of 0 to
// 12, minCellSize 2 to 6, with its total shown or withheld elsewhere.
func TestDecideGivesNothingAwayOneTable(t *testing.T) {
	checked := exhaust(t, "one table", 4*12, Decide, func(f func(int, bool, ...[]int)) {
		tablesOf(4, 12, func(c []int) {
			f(sum(c), false, c)
			f(sum(c), true, c)
		})
	})
	if checked < 100000 {
		t.Errorf("only %d breakdowns checked", checked)
	}
}

// TestDecideGivesNothingAwayTwoTables: two tables of the same total (two
// dimensions of one breakdown), 1 to 3 cells of 0 to 8 each.
func TestDecideGivesNothingAwayTwoTables(t *testing.T) {
	byTotal := map[int][][]int{}
	tablesOf(3, 8, func(c []int) {
		byTotal[sum(c)] = append(byTotal[sum(c)], append([]int(nil), c...))
	})
	checked := exhaust(t, "two tables", 3*8, Decide, func(f func(int, bool, ...[]int)) {
		for total, ts := range byTotal {
			for _, a := range ts {
				for _, c := range ts {
					f(total, false, a, c)
					if total >= 5 && total%3 == 0 { // withheld elsewhere: a sample keeps the test fast
						f(total, true, a, c)
					}
				}
			}
		}
	})
	if checked < 100000 {
		t.Errorf("only %d breakdowns checked", checked)
	}
}

// TestReaderFindsTheOldLeaks checks the reader on the rule this package
// replaced (primary suppression, and one more cell when exactly one is
// small; the total always shown): it must find the leaks that rule had.
func TestReaderFindsTheOldLeaks(t *testing.T) {
	old := func(b Breakdown, minCellSize int32) Decision {
		d := Decision{Tables: make([][]Mark, len(b.Tables))}
		for k, tb := range b.Tables {
			marks := make([]Mark, len(tb.Cells))
			hidden := 0
			for i, c := range tb.Cells {
				if Small(c, minCellSize) {
					marks[i], hidden = Below, hidden+1
				}
			}
			if hidden == 1 {
				next := -1
				for i, c := range tb.Cells {
					if marks[i] == Shown && (next < 0 || c.Cmp(tb.Cells[next]) < 0) {
						next = i
					}
				}
				if next >= 0 {
					marks[next] = Withheld
					blur(marks)
				}
			}
			d.Tables[k] = marks
		}
		return d
	}
	for _, tc := range []struct {
		total  int
		tables [][]int
		leak   string
	}{
		{3, [][]int{{3}}, "withheld cell 0.0 is 3"},                  // a single cell next to its total
		{33, [][]int{{1, 2, 30}}, "withheld cells 0.0+0.1 sum to 3"}, // two small cells next to 30
		{38, [][]int{{4, 4, 30}}, "withheld cell 0.0 is 4"},          // two cells of N-1
		{2, [][]int{{1, 1}, {2}}, "withheld cells 0.0+0.1 sum to 2"}, // a small total shown
		{0, [][]int{{0, 0}}, "withheld cells 0.0+0.1 sum to 0"},      // zeros next to a total of 0
		{40, [][]int{{35, 2, 3}}, ""},                                // 2 and 3 sum to 5: nothing to find
		{14, [][]int{{1, 13}}, ""},                                   // one small cell and its partner, both "suppressed"
	} {
		r := newReader(5, tc.total+5)
		b := breakdownOf(tc.total, false, tc.tables...)
		leaks := strings.Join(r.check(tc.total, old(b, 5), tc.tables), "; ")
		if tc.leak == "" && leaks != "" || !strings.Contains(leaks, tc.leak) {
			t.Errorf("old rule on %d %v: the reader finds %q, want %q", tc.total, tc.tables, leaks, tc.leak)
		}
		if leaks := r.check(tc.total, Decide(b, 5), tc.tables); len(leaks) > 0 {
			t.Errorf("Decide on %d %v: the reader finds %q", tc.total, tc.tables, leaks)
		}
	}
}
