package report

import "math/big"

// Suppress decides which cells of one dimension of a breakdown are hidden,
// given each cell's size and the indicator's disclosure.minCellSize.
//
// Primary suppression hides every cell whose size is below minCellSize.
// Secondary suppression: when exactly one cell is hidden, the smallest
// other cell (the first of equals) is hidden too, so that the hidden cell
// cannot be recovered by subtracting the shown cells from the total. With
// two or more hidden cells only their sum can be recovered. A dimension
// with a single cell cannot be protected this way: that cell is the total,
// which the indicator's status shows anyway.
//
// minCellSize 0 or less hides nothing. Cells are not changed; the result
// has one entry per cell.
func Suppress(sizes []*big.Rat, minCellSize int32) []bool {
	hide := make([]bool, len(sizes))
	if minCellSize <= 0 {
		return hide
	}
	limit := big.NewRat(int64(minCellSize), 1)
	hidden := 0
	for i, s := range sizes {
		if s.Cmp(limit) < 0 {
			hide[i] = true
			hidden++
		}
	}
	if hidden != 1 {
		return hide
	}
	next := -1
	for i, s := range sizes {
		if !hide[i] && (next < 0 || s.Cmp(sizes[next]) < 0) {
			next = i
		}
	}
	if next >= 0 {
		hide[next] = true
	}
	return hide
}
