// Package disclosure decides which figures of an indicator may be
// published when the indicator sets disclosure.minCellSize (N): which cells
// of a breakdown, whether its total, which values of a series. It holds
// the rules only, as small pure functions of exact sizes; renderers (the
// report, exports) show what a decision allows and nothing else.
//
// The rules (docs/disclosure.md states them for readers):
//
//   - A size below N is small. Zero is small too: showing zeros would tell
//     the reader that every withheld cell is at least 1 (with N = 2, "<2"
//     could only mean 1).
//   - A small total is published as "<N" (Below). Every cell of a table
//     that sums to it is small too, and Below.
//   - Where the total is shown, each table that sums to it is protected on
//     its own: its small cells are withheld (primary suppression), then
//     further cells, smallest first, until the withheld cells sum to at
//     least N and none of them can be worked out from the total, the shown
//     cells and the "<N" bounds (complementary suppression). A zero is
//     never the cell added: it is small, so it is withheld already.
//   - In a table with complementary suppression every withheld cell is
//     published the same way, Withheld, with no bound: "<N" would be false
//     for some, and telling the small ones apart would narrow the others.
//     So is every cell of a table whose cells are all small but would be
//     pinned by their "<N" bounds.
//   - A total withheld for a reason outside the breakdown (WithholdTotal:
//     the same figure is withheld elsewhere) is Withheld, and so is every
//     cell of a table that sums to it.
//   - Tables that do not sum to the total (values that do not add up) only
//     have their small cells withheld. Those whose cells are each at most
//     the total (cells that may overlap) are withheld whole under a
//     withheld total, which a shown cell would bound from below.
//
// The exhaustive tests read every small decided table as a reader who sees
// only what is published would, and check that no withheld cell, no
// withheld total and no sum of withheld cells below N has a single value.
package disclosure

import "math/big"

// Mark says how a figure is published.
type Mark uint8

const (
	// Shown: the figure is published as it is.
	Shown Mark = iota
	// Below: the figure is withheld and published as a bound, "<N": it is
	// below minCellSize N.
	Below
	// Withheld: the figure is withheld and published without a bound. It
	// may be below minCellSize or not.
	Withheld
)

// Table is one dimension's table of a breakdown: the sizes of its cells,
// in the order they are shown. Sizes are exact and not negative.
type Table struct {
	Cells []*big.Rat
	// Additive is true when the cells sum to the total (with the part of
	// the total no cell covers as a cell of its own), so that the total
	// less the shown cells is the sum of the withheld ones.
	Additive bool
	// Bounded is true for a table that is not additive but whose every
	// cell is at most the total (cells that may overlap, such as forms of
	// exploitation): a shown cell is a lower bound of the total, so under a
	// withheld total its cells are withheld too.
	Bounded bool
}

// Breakdown is what a decision needs to know of a breakdown: the size of
// its total and its tables.
type Breakdown struct {
	// Total is the size of the total; nil when the total is not a size (a
	// percentage, a level): it is then shown, and no table sums to it.
	Total *big.Rat
	// WithholdTotal withholds the total even when it is not small, because
	// the same figure is withheld elsewhere.
	WithholdTotal bool
	Tables        []Table
}

// Decision is how each figure of a breakdown is published.
type Decision struct {
	Total Mark
	// Tables has one entry per table, one mark per cell.
	Tables [][]Mark
}

// Small reports whether a size is below minCellSize. Nothing is small when
// minCellSize is 0 or less (no disclosure control).
func Small(size *big.Rat, minCellSize int32) bool {
	return minCellSize > 0 && size.Cmp(big.NewRat(int64(minCellSize), 1)) < 0
}

// threshold is minCellSize, N, as a rational to compare sizes with.
type threshold struct {
	n   int64
	rat *big.Rat
}

func (t threshold) small(size *big.Rat) bool { return less(size, t.rat) }

// less compares sizes; whole numbers, the usual case, without allocating.
func less(a, b *big.Rat) bool {
	if a.IsInt() && b.IsInt() {
		return a.Num().Cmp(b.Num()) < 0
	}
	return a.Cmp(b) < 0
}

// Decide decides which figures of a breakdown are published. It does not
// change b.
func Decide(b Breakdown, minCellSize int32) Decision {
	d := Decision{Tables: make([][]Mark, len(b.Tables))}
	for k, t := range b.Tables {
		d.Tables[k] = make([]Mark, len(t.Cells))
	}
	if minCellSize <= 0 {
		return d
	}
	n := threshold{int64(minCellSize), big.NewRat(int64(minCellSize), 1)}
	if b.Total != nil {
		switch {
		case n.small(b.Total):
			d.Total = Below
		case b.WithholdTotal:
			d.Total = Withheld
		}
	}
	for k, t := range b.Tables {
		switch {
		case t.Bounded && !t.Additive && b.Total != nil && d.Total != Shown:
			withholdAll(d.Tables[k], t.Cells, d.Total, n)
		case !t.Additive || b.Total == nil:
			for i, c := range t.Cells {
				if n.small(c) {
					d.Tables[k][i] = Below
				}
			}
		case d.Total != Shown:
			withholdAll(d.Tables[k], t.Cells, d.Total, n)
		default:
			protect(d.Tables[k], t.Cells, n)
		}
	}
	return d
}

// withholdAll withholds every cell of a table that sums to a withheld
// total: a table with a shown cell would narrow the total, and one with
// every cell shown would give it. Below a small total every cell is small
// and shows "<N"; below a total Withheld (at least N) no cell shows a
// bound, since bounds that add up to less than N would pin the total.
func withholdAll(marks []Mark, cells []*big.Rat, total Mark, n threshold) {
	mark := total
	for _, c := range cells {
		if !n.small(c) {
			mark = Withheld
		}
	}
	for i := range marks {
		marks[i] = mark
	}
}

// protect withholds the small cells of a table whose total is shown, then
// further cells, smallest first (the first of equals), until the withheld
// ones are safe. A cell of size 0 is small, so it is never the one added.
func protect(marks []Mark, cells []*big.Rat, n threshold) {
	hidden := 0
	for i, c := range cells {
		if n.small(c) {
			marks[i] = Below
			hidden++
		}
	}
	if hidden == 0 {
		return
	}
	for !safe(marks, cells, n) {
		next := -1
		for i, c := range cells {
			if marks[i] == Shown && c.Sign() > 0 && (next < 0 || less(c, cells[next])) {
				next = i
			}
		}
		if next < 0 {
			// Every cell is withheld, and they are all small: "<N" on
			// each would still pin them ([2, 2] under minCellSize 3: two
			// cells of at most 2 summing to 4), so none shows a bound.
			for i := range marks {
				marks[i] = Withheld
			}
			return
		}
		marks[next] = Withheld
		blur(marks)
	}
}

// safe reports whether the withheld cells of a table whose total is shown
// give nothing away. The reader knows their sum h (the total less the
// shown cells) and that each is at least 0; with every mark Below, also
// that each is at most N-1.
//
// With Withheld marks, each of k ≥ 2 cells can be anything from 0 to h
// (even knowing that one of them is below N), so they are safe once
// h ≥ N. With every mark Below, a cell can be anything from
// max(0, h-(k-1)(N-1)) to N-1 (as h ≥ N > N-1): at least two values when
// h ≤ k(N-1)-1, that is unless every cell is N-1. In both cases the sum of
// some of the cells is fixed only for all of them (h), so h ≥ N is the
// other condition.
//
// When no cell is left to add, every cell is withheld and protect marks
// them all Withheld: h is then the total, at least N, and k ≥ 2 (a table
// of a single cell is its total, which is not small), which is safe.
func safe(marks []Mark, cells []*big.Rat, n threshold) bool {
	h, k, bounded := new(big.Rat), int64(0), true
	for i, m := range marks {
		if m == Shown {
			continue
		}
		h.Add(h, cells[i])
		k++
		bounded = bounded && m == Below
	}
	if n.small(h) {
		return false
	}
	if !bounded {
		return k >= 2
	}
	// h + 1 ≤ k(N-1)
	return !less(big.NewRat(k*(n.n-1), 1), h.Add(h, big.NewRat(1, 1)))
}

// blur publishes every withheld cell of a table the same way once any of
// them is Withheld.
func blur(marks []Mark) {
	withheld := false
	for _, m := range marks {
		withheld = withheld || m == Withheld
	}
	if !withheld {
		return
	}
	for i, m := range marks {
		if m == Below {
			marks[i] = Withheld
		}
	}
}

// Series decides which terms of a series of periods may be published when
// total is their sum and is shown with them (the value of a Cumulative
// indicator and the values of the periods it sums): a table of one
// dimension, the periods. additive is false when the terms shown do not
// sum to the total (a window that starts after the first period summed);
// then only small terms are withheld.
func Series(terms []*big.Rat, total *big.Rat, additive bool, minCellSize int32) (totalMark Mark, marks []Mark) {
	d := Decide(Breakdown{Total: total, Tables: []Table{{Cells: terms, Additive: additive}}}, minCellSize)
	return d.Total, d.Tables[0]
}

// RunningTotals decides which running totals of a series may be published
// (R_k is the sum of the terms up to k). terms are the marks of the terms;
// total is the mark of the sum that ends at term at (the indicator's value,
// at its period). A running total is shown only when what is shown gives
// it anyway: every term up to it is shown, or the total is shown and every
// term between the total and it is shown. Every other running total is
// Withheld, so that no two shown running totals differ by a withheld term.
func RunningTotals(terms []Mark, at int, total Mark) []Mark {
	out := make([]Mark, len(terms))
	for k := range terms {
		out[k] = Withheld
		switch {
		case allShown(terms[:k+1]):
			out[k] = Shown
		case total != Shown || at < 0 || at >= len(terms):
		case k >= at && allShown(terms[at+1:k+1]):
			out[k] = Shown
		case k < at && allShown(terms[k+1:at+1]):
			out[k] = Shown
		}
	}
	if at >= 0 && at < len(terms) && total != Shown {
		out[at] = total
	}
	return out
}

func allShown(marks []Mark) bool {
	for _, m := range marks {
		if m != Shown {
			return false
		}
	}
	return true
}
