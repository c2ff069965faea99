package report

import (
	"math/big"
	"reflect"
	"testing"
)

func TestSuppress(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []int64
		min   int32
		want  []bool
	}{
		{"no disclosure", []int64{1, 2, 30}, 0, []bool{false, false, false}},
		{"negative minCellSize", []int64{1, 2}, -5, []bool{false, false}},
		{"nothing small", []int64{5, 12, 30}, 5, []bool{false, false, false}},
		{"empty", nil, 5, []bool{}},
		{"one small: next smallest too", []int64{30, 4, 12, 8}, 5, []bool{false, true, false, true}},
		{"one small, next smallest first of equals", []int64{9, 2, 9}, 5, []bool{true, true, false}},
		{"two small: no secondary", []int64{30, 4, 1, 12}, 5, []bool{false, true, true, false}},
		{"all small", []int64{1, 2, 3}, 5, []bool{true, true, true}},
		{"zero is below", []int64{0, 20, 30}, 5, []bool{true, true, false}},
		{"exactly minCellSize is shown", []int64{5, 6}, 5, []bool{false, false}},
		{"single small cell is the total", []int64{3}, 5, []bool{true}},
		{"two cells, one small", []int64{3, 40}, 5, []bool{true, true}},
		{"minCellSize 1 hides zeros", []int64{0, 1, 7}, 1, []bool{true, true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sizes := make([]*big.Rat, len(tc.sizes))
			for i, s := range tc.sizes {
				sizes[i] = big.NewRat(s, 1)
			}
			got := Suppress(sizes, tc.min)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Suppress(%v, %d) = %v, want %v", tc.sizes, tc.min, got, tc.want)
			}
		})
	}
}

// TestSuppressNeverLeavesOneHidden checks the invariant the secondary rule
// exists for, over every small dimension: whenever a cell is hidden and
// the dimension has another cell, at least two cells are hidden.
func TestSuppressNeverLeavesOneHidden(t *testing.T) {
	var walk func(prefix []int64)
	walk = func(prefix []int64) {
		if len(prefix) >= 2 {
			sizes := make([]*big.Rat, len(prefix))
			for i, s := range prefix {
				sizes[i] = big.NewRat(s, 1)
			}
			n := 0
			for _, h := range Suppress(sizes, 3) {
				if h {
					n++
				}
			}
			if n == 1 {
				t.Fatalf("Suppress(%v, 3) hides exactly one cell", prefix)
			}
		}
		if len(prefix) == 4 {
			return
		}
		for v := int64(0); v <= 5; v++ {
			walk(append(append([]int64(nil), prefix...), v))
		}
	}
	walk(nil)
}
