package rfm

import (
	"math/bits"
	"slices"
	"strings"
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
	common := len(ids[idx[0]])
	first := ids[idx[0]]
	for _, i := range idx[1:] {
		s := ids[i]
		if len(s) < common {
			common = len(s)
		}
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
	keys := make([]uint64, n)
	for p, i := range out {
		keys[p] = pack(ids[i], common)
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

// pack returns bytes s[from:from+8] big-endian in a uint64, zero-padded.
func pack(s string, from int) uint64 {
	var k uint64
	for j := 0; j < 8; j++ {
		k <<= 8
		if p := from + j; p < len(s) {
			k |= uint64(s[p])
		}
	}
	return k
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
	var table [8][256]uint64
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
	for p, k := range keys {
		keys[p] = table[0][byte(k)] | table[1][byte(k>>8)] | table[2][byte(k>>16)] | table[3][byte(k>>24)] |
			table[4][byte(k>>32)] | table[5][byte(k>>40)] | table[6][byte(k>>48)] | table[7][byte(k>>56)]
	}
}
