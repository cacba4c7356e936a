package read

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFirstOrder: the order of first appearance by counting bits
// (bitOrder) and by sorting (sortOrder), and firstOrder whichever it
// picks, equal the order a plain comparison sort of (first row, code)
// gives, on few and on many rows per key, with keys spread over the
// partitions in random order.
func TestFirstOrder(t *testing.T) {
	for _, tc := range []struct{ keys, rowsPerKey int }{{0, 1}, {1, 1}, {5000, 3}, {5000, 14}, {300, 1000}, {40, 100000}} {
		t.Run(fmt.Sprintf("keys=%d/rows=%d", tc.keys, tc.rowsPerKey), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.keys), uint64(tc.rowsPerKey)))
			rows := tc.keys * tc.rowsPerKey
			// Distinct first rows, assigned to keys of random partitions;
			// each partition's local ids are numbered in row order, as the
			// readers number them.
			firsts := r.Perm(rows)[:tc.keys]
			slices.Sort(firsts)
			var first [partCount][]int64
			type ref struct {
				first int64
				code  uint32
			}
			var want []ref
			for _, f := range firsts {
				p := r.IntN(partCount)
				want = append(want, ref{int64(f), uint32(p)<<localBits | uint32(len(first[p]))})
				first[p] = append(first[p], int64(f))
			}
			slices.SortFunc(want, func(a, b ref) int { return int(a.first - b.first) })
			codes := make([]uint32, len(want))
			for i, w := range want {
				codes[i] = w.code
			}
			clone := func() *[partCount][]int64 {
				var c [partCount][]int64
				for p := range first {
					c[p] = slices.Clone(first[p])
				}
				return &c
			}
			var maxFirst int64
			for _, f := range firsts {
				maxFirst = max(maxFirst, int64(f))
			}
			bit, ok := bitOrder(clone(), tc.keys, int(maxFirst/64+1))
			if !ok || !slices.Equal(bit, codes) {
				t.Errorf("bitOrder: ok %v, order differs", ok)
			}
			if got := sortOrder(clone(), tc.keys, maxFirst); !slices.Equal(got, codes) {
				t.Errorf("sortOrder: order differs")
			}
			c := clone()
			if got := firstOrder(c, tc.keys); !slices.Equal(got, codes) {
				t.Errorf("firstOrder: order differs")
			}
			for p := range c {
				if c[p] != nil {
					t.Fatalf("partition %d's first rows not released", p)
				}
			}
		})
	}
	// Two keys with the same first row: bitOrder refuses (firstOrder then
	// sorts).
	var first [partCount][]int64
	first[0], first[1] = []int64{3}, []int64{3}
	if _, ok := bitOrder(&first, 2, 1); ok {
		t.Error("bitOrder accepted two keys with one first row")
	}
}
