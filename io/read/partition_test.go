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

// TestPartTableKeys: keys of every length from 1 to 40 bytes (inline up to
// keyInline, in the arena beyond), interned in random order and looked up
// again, keep their ids and read back byte for byte, also after the table
// grew many times.
func TestPartTableKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	hs := newIDHasher()
	var tab partTable
	var keys [][]byte
	for i := range 20000 {
		k := make([]byte, 1+i%40)
		for j := range k {
			k[j] = byte(r.IntN(256))
		}
		k[0] = byte(i) // distinct keys (with the length and the rest)
		k[len(k)-1] = byte(i >> 8)
		keys = append(keys, k)
	}
	ids := map[string]uint32{}
	for round := range 2 {
		for i, k := range keys {
			id, err := tab.idOf(hs.sum(k), k, int64(i))
			if err != nil {
				t.Fatal(err)
			}
			if want, ok := ids[string(k)]; ok && want != id {
				t.Fatalf("round %d: key %q got id %d, had %d", round, k, id, want)
			} else if !ok {
				if round > 0 {
					t.Fatalf("key %q not found again", k)
				}
				ids[string(k)] = id
			}
		}
	}
	if len(tab.keys) != len(ids) {
		t.Fatalf("%d entries for %d distinct keys", len(tab.keys), len(ids))
	}
	size := 0
	for k, id := range ids {
		if got := tab.key(int(id)); string(got) != k {
			t.Fatalf("key(%d) = %q, want %q", id, got, k)
		}
		size += len(k)
	}
	if tab.size != size {
		t.Fatalf("size %d, want %d", tab.size, size)
	}
}

// key returns the key of local id (a copy), for the tests.
func (t *partTable) key(id int) []byte { return t.appendKey(nil, id) }
