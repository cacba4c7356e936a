package rfm

import (
	"math/bits"
	"slices"
)

// rankKey is the key at one rank position of a multiset of keys, with the
// rank positions [lo, hi) that the keys equal to it occupy.
type rankKey struct {
	key    uint64
	lo, hi int
}

// Selection histograms keys on their top selectBits bits below the common
// range; sets up to selectSmall keys are sorted instead.
const (
	selectBits  = 16
	selectSmall = 1 << 10
)

// selectRanks returns the rankKey of each rank position in pos (each in
// [0, len(keys)), ascending) without sorting keys: a histogram of the keys'
// leading bits (after subtracting the smallest key) places each position in
// one bucket, and only the keys of those buckets are examined further, on
// the next bits. The histogram has 2^8..2^selectBits buckets (more for more
// keys), so each level consumes eight bits of the range or more and at most
// nine levels run; keys with few distinct values (days, counts) are
// answered by the first histogram alone.
func selectRanks(keys []uint64, pos []int) []rankKey {
	out := make([]rankKey, len(pos))
	if len(pos) > 0 {
		selectInto(keys, 0, pos, out)
	}
	return out
}

// selectInto fills out[j] for rank positions pos[j] − base of keys.
func selectInto(keys []uint64, base int, pos []int, out []rankKey) {
	n := len(keys)
	if n <= selectSmall {
		s := slices.Clone(keys)
		slices.Sort(s)
		for j, p := range pos {
			p -= base
			v := s[p]
			lo, hi := p, p+1
			for lo > 0 && s[lo-1] == v {
				lo--
			}
			for hi < n && s[hi] == v {
				hi++
			}
			out[j] = rankKey{v, base + lo, base + hi}
		}
		return
	}
	lo, hi := keys[0], keys[0]
	for _, k := range keys {
		lo = min(lo, k)
		hi = max(hi, k)
	}
	sb := min(selectBits, max(8, bits.Len(uint(n))))
	shift := uint(max(0, bits.Len64(hi-lo)-sb))
	count := make([]int32, (hi-lo)>>shift+1)
	for _, k := range keys {
		count[(k-lo)>>shift]++
	}
	// Walk the buckets in order, placing each position in its bucket.
	type bucket struct {
		b, start int // bucket and its first rank position (relative)
		pos      []int
		out      []rankKey
	}
	var todo []bucket
	at, j := 0, 0
	for b := 0; b < len(count) && j < len(pos); b++ {
		c := int(count[b])
		from := j
		for j < len(pos) && pos[j]-base < at+c {
			j++
		}
		if j > from {
			if shift == 0 {
				for t := from; t < j; t++ {
					out[t] = rankKey{lo + uint64(b), base + at, base + at + c}
				}
			} else {
				todo = append(todo, bucket{b, at, pos[from:j], out[from:j]})
			}
		}
		at += c
	}
	if len(todo) == 0 {
		return
	}
	// Gather the keys of the buckets holding a position in one pass.
	which := make([]int8, len(count)) // 1 + index into todo, or 0
	sub := make([][]uint64, len(todo))
	for t, u := range todo {
		which[u.b] = int8(t + 1)
		sub[t] = make([]uint64, 0, count[u.b])
	}
	for _, k := range keys {
		if t := which[(k-lo)>>shift]; t != 0 {
			sub[t-1] = append(sub[t-1], k)
		}
	}
	for t, u := range todo {
		selectInto(sub[t], base+u.start, u.pos, u.out)
	}
}
