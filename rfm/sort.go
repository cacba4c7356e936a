package rfm

import (
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Radix digits: 11 bits, so a 64-bit key takes at most 6 passes and the
// counts of one digit (16 KiB) stay in the L1 cache.
const (
	digitBits = 11
	digits    = (64 + digitBits - 1) / digitBits
	buckets   = 1 << digitBits
)

// radix sorts keys ascending, carrying idx along. It is a stable
// least-significant-digit radix sort that skips digits equal in every key, so
// equal keys keep their order: pass idx in customer-id order and ties come
// out ordered by id.
func radix(keys []uint64, idx []int32) {
	n := len(keys)
	if n < 2 {
		return
	}
	if n <= 64 {
		insertion(keys, idx)
		return
	}
	count := make([][buckets]int32, digits)
	for _, k := range keys {
		for d := range count {
			count[d][(k>>(digitBits*d))&(buckets-1)]++
		}
	}
	bufK := make([]uint64, n)
	bufI := make([]int32, n)
	srcK, srcI, dstK, dstI := keys, idx, bufK, bufI
	for d := range count {
		c := &count[d]
		shift := uint(digitBits * d)
		if int(c[(keys[0]>>shift)&(buckets-1)]) == n {
			continue // every key has the same digit here
		}
		var sum int32
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		for p, k := range srcK {
			b := (k >> shift) & (buckets - 1)
			q := c[b]
			c[b] = q + 1
			dstK[q] = k
			dstI[q] = srcI[p]
		}
		srcK, srcI, dstK, dstI = dstK, dstI, srcK, srcI
	}
	if &srcK[0] != &keys[0] {
		copy(keys, srcK)
		copy(idx, srcI)
	}
}

// insertion sorts a short run stably.
func insertion(keys []uint64, idx []int32) {
	for i := 1; i < len(keys); i++ {
		k, v := keys[i], idx[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j], idx[j] = keys[j-1], idx[j-1]
			j--
		}
		keys[j], idx[j] = k, v
	}
}

// sortByID returns idx reordered by ids[i] in byte order (Go string order,
// the order of SQL VARCHAR comparison in DuckDB), equal ids by index. It
// radix-sorts on the eight bytes after the prefix common to all ids, then
// orders runs with equal packed bytes by full comparison.
func sortByID(idx []int32, ids []string) []int32 {
	n := len(idx)
	out := make([]int32, n)
	copy(out, idx)
	if n < 2 {
		return out
	}
	common := commonPrefix(idx, ids)
	keys := make([]uint64, n)
	for p, i := range out {
		keys[p], _ = pack(ids[i], common)
	}
	compact(keys)
	radix(keys, out)
	// Runs of equal packed keys: ids that agree on those bytes (or one is a
	// prefix padded with zeros) need a full comparison.
	for a := 0; a < n; {
		b := a + 1
		for b < n && keys[b] == keys[a] {
			b++
		}
		if b-a > 1 {
			slices.SortStableFunc(out[a:b], func(x, y int32) int {
				if c := strings.Compare(ids[x], ids[y]); c != 0 {
					return c
				}
				return int(x) - int(y)
			})
		}
		a = b
	}
	return out
}

// idKeys returns one key per customer of idx (non-empty) whose order is the
// order of (ids[i], i), with i in the low ib bits, or false when the ids do
// not fit: each id must have at most eight bytes after the prefix common to
// all, none of them zero (so that padding cannot tie two ids), and the bits
// that vary in those bytes plus the bits of the largest index must fit in
// 64. Customer ids like S000000103 take 28 + 23 bits at 7 M customers. Large
// inputs are split among the processors.
func idKeys(idx []int32, ids []string) ([]uint64, int, bool) {
	parts := chunks(len(idx))
	common := len(ids[idx[0]])
	var mu sync.Mutex
	parallel(parts, len(idx), func(_, a, b int) {
		c := commonPrefix(idx[a:b], ids)
		c = min(c, lcp(ids[idx[0]], ids[idx[a]]))
		mu.Lock()
		common = min(common, c)
		mu.Unlock()
	})
	keys := make([]uint64, len(idx))
	k0, _ := pack(ids[idx[0]], common)
	var mask uint64
	var top int32
	fits := true
	parallel(parts, len(idx), func(_, a, b int) {
		var m uint64
		var t int32
		ok := true
		for p, i := range idx[a:b] {
			k, good := pack(ids[i], common)
			keys[a+p] = k
			m |= k ^ k0
			t = max(t, i)
			ok = ok && good
		}
		mu.Lock()
		mask, top, fits = mask|m, max(top, t), fits && ok
		mu.Unlock()
	})
	table, kb := compactTable(mask)
	ib := bits.Len32(uint32(top))
	if !fits || kb+ib > 64 {
		return nil, 0, false
	}
	parallel(parts, len(idx), func(_, a, b int) {
		for p, i := range idx[a:b] {
			keys[a+p] = table.apply(keys[a+p])<<ib | uint64(i)
		}
	})
	return keys, ib, true
}

// chunks returns how many parts of work n is split into: one per
// processor, none smaller than 1<<16.
func chunks(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n>>16))
}

// parallel runs f on parts contiguous ranges [a, b) covering [0, n) in
// order (part c), each on its own goroutine, and waits for them.
func parallel(parts, n int, f func(c, a, b int)) {
	if parts <= 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for c := range parts {
		a, b := c*n/parts, (c+1)*n/parts
		wg.Go(func() { f(c, a, b) })
	}
	wg.Wait()
}

// lcp returns the length of the longest common prefix of a and b.
func lcp(a, b string) int {
	n := min(len(a), len(b))
	for j := 0; j < n; j++ {
		if a[j] != b[j] {
			return j
		}
	}
	return n
}

// commonPrefix returns the length of the prefix shared by ids[i] for all i
// in idx (non-empty).
func commonPrefix(idx []int32, ids []string) int {
	first := ids[idx[0]]
	common := len(first)
	for _, i := range idx[1:] {
		s := ids[i]
		if len(s) >= common && s[:common] == first[:common] {
			continue
		}
		common = min(common, len(s))
		for j := 0; j < common; j++ {
			if s[j] != first[j] {
				common = j
				break
			}
		}
		if common == 0 {
			break
		}
	}
	return common
}

// pack returns bytes s[from:from+8] big-endian in a uint64, zero-padded,
// and whether they are all of s after from and none of them is zero (then
// the key stands for s[from:] alone).
func pack(s string, from int) (uint64, bool) {
	t := s[from:]
	if len(t) >= 8 {
		k := uint64(t[0])<<56 | uint64(t[1])<<48 | uint64(t[2])<<40 | uint64(t[3])<<32 |
			uint64(t[4])<<24 | uint64(t[5])<<16 | uint64(t[6])<<8 | uint64(t[7])
		// A zero byte: the classic test on (k − 0x01…01) &^ k & 0x80…80.
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		return k, len(t) == 8 && (k-ones)&^k&highs == 0
	}
	var k uint64
	ok := true
	for j := 0; j < len(t); j++ {
		k = k<<8 | uint64(t[j])
		ok = ok && t[j] != 0
	}
	return k << (8 * (8 - len(t))), ok
}

// compact squeezes out the bits that are the same in every key, keeping the
// order of the keys (a per-byte parallel bit extract): ids made of digits
// vary in four bits per byte, so their keys shrink to half the radix passes.
func compact(keys []uint64) {
	if len(keys) == 0 {
		return
	}
	var mask uint64
	k0 := keys[0]
	for _, k := range keys {
		mask |= k ^ k0
	}
	table, _ := compactTable(mask)
	for p, k := range keys {
		keys[p] = table.apply(k)
	}
}

// extractTable maps each byte of a key to its bits selected by a mask,
// placed after the selected bits of the lower bytes.
type extractTable [8][256]uint64

// compactTable returns the extract table of mask and the number of bits it
// selects.
func compactTable(mask uint64) (*extractTable, int) {
	var table extractTable
	shift := 0
	for b := 0; b < 8; b++ {
		m := byte(mask >> (8 * b))
		for v := 0; v < 256; v++ {
			var out uint64
			j := 0
			for bit := 0; bit < 8; bit++ {
				if m&(1<<bit) != 0 {
					if v&(1<<bit) != 0 {
						out |= 1 << j
					}
					j++
				}
			}
			table[b][v] = out << shift
		}
		shift += bits.OnesCount8(m)
	}
	return &table, shift
}

// apply extracts the selected bits of k.
func (t *extractTable) apply(k uint64) uint64 {
	return t[0][byte(k)] | t[1][byte(k>>8)] | t[2][byte(k>>16)] | t[3][byte(k>>24)] |
		t[4][byte(k>>32)] | t[5][byte(k>>40)] | t[6][byte(k>>48)] | t[7][byte(k>>56)]
}
