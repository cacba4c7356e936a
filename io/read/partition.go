package read

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"sync"
	"unsafe"
)

// Interning customer ids is the costly part of reading a large export whose
// rows are not grouped by customer (a date-ordered billing export): one
// global hash table of a million customers misses the cache on nearly every
// row. Instead, the parsing goroutines hash each id and group the rows of a
// block by the top bits of the hash (partitions); the in-order consumer then
// interns one partition at a time against that partition's small table,
// which stays in cache. Ids get partition-local numbers first and are
// renumbered by first appearance in the file at the end, so the result does
// not depend on the partitioning.

const (
	partBits  = 8
	partCount = 1 << partBits
	localBits = 32 - partBits
	localMax  = 1<<localBits - 1
)

// partOf returns the partition of a hash.
func partOf(h uint64) int { return int(h >> (64 - partBits)) }

// errTooManyCustomers is returned past 2^24 customers in one partition
// (about 4 billion customers in all).
var errTooManyCustomers = errors.New("too many distinct customers")

// partTable is the interning table of one partition. Slots hold 32 bits of
// hash tag and local id + 1 (0 = empty). Each key has a 16-byte entry by
// local id: the key itself when it has at most keyInline bytes (customer
// ids nearly always do), so that a lookup touches the slot and the entry
// and nothing else, or else where it lies in an arena of the long keys.
type partTable struct {
	slots []uint64
	mask  uint64
	keys  []keyEntry
	arena []byte  // the keys longer than keyInline
	size  int     // bytes of all keys
	first []int64 // global row of each key's first appearance
	hash  []uint64
}

// keyEntry is a key of at most keyInline bytes (its length in the last
// byte), or, with longKey in the last byte, the offset (bytes 0-7) and
// length (bytes 8-11) of a longer key in the arena.
type keyEntry [keyInline + 1]byte

const (
	keyInline = 15
	longKey   = 0xff
)

func (t *partTable) key(id int) []byte {
	e := &t.keys[id]
	if n := e[keyInline]; n != longKey {
		return e[:n:n]
	}
	off := binary.LittleEndian.Uint64(e[0:8])
	n := uint64(binary.LittleEndian.Uint32(e[8:12]))
	return t.arena[off : off+n : off+n]
}

// id returns the local id of key (hash h), adding it with first row row when new.
func (t *partTable) id(h uint64, key []byte, row int64) (uint32, error) {
	if t.slots == nil {
		t.slots = make([]uint64, 64)
		t.mask = 63
	}
	tag := h << partBits &^ 0xffffffff
	i := h & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s&^0xffffffff == tag {
			id := int(uint32(s)) - 1
			if bytes.Equal(t.key(id), key) {
				return uint32(id), nil
			}
		}
		i = (i + 1) & t.mask
	}
	id := len(t.keys)
	if id >= localMax || len(t.arena)+len(key) > 1<<31-1 {
		return 0, errTooManyCustomers
	}
	var e keyEntry
	if len(key) <= keyInline {
		copy(e[:], key)
		e[keyInline] = byte(len(key))
	} else {
		binary.LittleEndian.PutUint64(e[0:8], uint64(len(t.arena)))
		binary.LittleEndian.PutUint32(e[8:12], uint32(len(key)))
		e[keyInline] = longKey
		t.arena = append(t.arena, key...)
	}
	t.keys = append(t.keys, e)
	t.size += len(key)
	t.first = append(t.first, row)
	t.hash = append(t.hash, h)
	t.slots[i] = tag | uint64(id+1)
	if 2*len(t.keys) > len(t.slots) {
		t.grow()
	}
	return uint32(id), nil
}

func (t *partTable) grow() {
	slots := make([]uint64, 2*len(t.slots))
	mask := uint64(len(slots) - 1)
	for id, h := range t.hash {
		i := h & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = h<<partBits&^0xffffffff | uint64(id+1)
	}
	t.slots, t.mask = slots, mask
}

// partitioned is the set of partition tables.
type partitioned struct {
	parts [partCount]partTable
}

// finish renumbers the customers by first appearance: it rewrites cust
// (partition<<localBits | local id) to dense global ids and returns the ids
// as strings in global order.
func (pt *partitioned) finish(cust []int32) []string {
	ids, order := pt.order()
	remap := make([][]int32, partCount)
	for p := range pt.parts {
		remap[p] = make([]int32, len(pt.parts[p].keys))
	}
	for g, code := range order {
		remap[code>>localBits][code&localMax] = int32(g)
	}
	for i, c := range cust {
		u := uint32(c)
		cust[i] = remap[u>>localBits][u&localMax]
	}
	return ids
}

// dropIndex frees the hash index of every partition (slots and hashes):
// no id can be looked up or added afterwards, but order and key still work.
func (pt *partitioned) dropIndex() {
	for p := range pt.parts {
		pt.parts[p].slots, pt.parts[p].hash = nil, nil
	}
}

// order returns the ids in order of first appearance, with the code
// (partition<<localBits | local id) of each.
func (pt *partitioned) order() ([]string, []uint32) {
	total := 0
	size := 0
	var first [partCount][]int64
	for p := range pt.parts {
		total += len(pt.parts[p].keys)
		size += pt.parts[p].size
		first[p] = pt.parts[p].first
		pt.parts[p].first = nil // not needed again: freed as soon as order is done with it
	}
	order := firstOrder(&first, total)
	// The ids share one arena, allocated at its final size (so it never
	// moves), each viewed as a string once written instead of copied (the
	// copies would briefly double the memory of the ids of a large export).
	arena := make([]byte, 0, size)
	ids := make([]string, len(order))
	for g, code := range order {
		start := len(arena)
		arena = append(arena, pt.parts[code>>localBits].key(int(code&localMax))...)
		if n := len(arena) - start; n > 0 {
			ids[g] = unsafe.String(&arena[start], n)
		}
	}
	return ids, order
}

// firstOrder returns the codes (partition<<localBits | local id) of the
// keys of all partitions, total in all, sorted by first row: first[p][id]
// is the row where local id of partition p first appeared (rows are
// distinct). first[p] is set to nil once read.
//
// First rows are distinct row numbers, so a key's place in the order is
// the number of first rows before its own: with a bit per row set at each
// first row and a running count of the bits per 64-bit word, that is a
// count lookup and a popcount, and the order is filled in one pass. The bit
// set (a bit per row) is far smaller than the customers' (first row, code)
// pairs a sort would need (and their copy), except on inputs of many rows
// per customer; those are sorted (radix sort by first row) instead.
func firstOrder(first *[partCount][]int64, total int) []uint32 {
	var maxFirst int64
	for p := range first {
		for _, f := range first[p] {
			maxFirst = max(maxFirst, f)
		}
	}
	words := maxFirst/64 + 1
	if words*(8+4) <= int64(total)*32 && words <= math.MaxInt32 {
		if order, ok := bitOrder(first, total, int(words)); ok {
			return order
		}
	}
	return sortOrder(first, total, maxFirst)
}

// bitOrder is firstOrder by counting set bits (see there); false if two
// keys had the same first row (never, unless a reader numbered its rows
// wrongly).
func bitOrder(first *[partCount][]int64, total, words int) ([]uint32, bool) {
	set := make([]uint64, words)
	for p := range first {
		for _, f := range first[p] {
			set[f>>6] |= 1 << (f & 63)
		}
	}
	before := make([]uint32, words)
	n := 0
	for w, word := range set {
		before[w] = uint32(n)
		n += bits.OnesCount64(word)
	}
	if n != total {
		return nil, false
	}
	order := make([]uint32, total)
	for p := range first {
		for id, f := range first[p] {
			w := f >> 6
			g := before[w] + uint32(bits.OnesCount64(set[w]&(1<<(f&63)-1)))
			order[g] = uint32(p)<<localBits | uint32(id)
		}
		first[p] = nil
	}
	return order, true
}

// sortOrder is firstOrder by a radix sort by first row.
func sortOrder(first *[partCount][]int64, total int, maxFirst int64) []uint32 {
	type ref struct {
		first int64
		code  uint32
	}
	refs := make([]ref, 0, total)
	for p := range first {
		for id, f := range first[p] {
			refs = append(refs, ref{first: f, code: uint32(p)<<localBits | uint32(id)})
		}
		first[p] = nil
	}
	// Radix sort by first row (distinct values): about ten times faster
	// than a comparison sort here, and this runs after all parsing is done.
	tmp := make([]ref, len(refs))
	const radixBits = 11
	for shift := 0; shift == 0 || maxFirst>>shift > 0; shift += radixBits {
		var count [1<<radixBits + 1]int
		for _, r := range refs {
			count[(r.first>>shift)&(1<<radixBits-1)+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, r := range refs {
			d := (r.first >> shift) & (1<<radixBits - 1)
			tmp[count[d]] = r
			count[d]++
		}
		refs, tmp = tmp, refs
	}
	order := make([]uint32, len(refs))
	for g, r := range refs {
		order[g] = r.code
	}
	return order
}

// intern interns a batch of consecutive blocks, a partition at a time, so
// that each partition's table is loaded into cache once per batch. base[k]
// is the index in cust of block k's first row; cust receives
// partition<<localBits | local id per row (see finish). Partitions are
// independent: lanes goroutines share them out (lane l takes the
// partitions p with p % lanes == l).
//
// With agg set, cust is nil, base[k] is the row number of block k's first
// row, and each row goes to agg's accumulator of its customer instead.
func (pt *partitioned) intern(batch []*txBlock, base []int, cust []int32, lanes int, agg *aggregator) error {
	if lanes <= 1 {
		return pt.internLane(batch, base, cust, 0, 1, agg)
	}
	errs := make([]error, lanes)
	var wg sync.WaitGroup
	for l := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[l] = pt.internLane(batch, base, cust, l, lanes, agg)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (pt *partitioned) internLane(batch []*txBlock, base []int, cust []int32, lane, lanes int, agg *aggregator) error {
	var hashes []uint64
	for p := lane; p < partCount; p += lanes {
		tab := &pt.parts[p]
		if agg != nil {
			if err := agg.lane(p, tab, batch, base, &hashes); err != nil {
				return err
			}
			continue
		}
		code := uint32(p) << localBits
		for k, b := range batch {
			row0 := int64(base[k])
			bc := cust[base[k]:]
			lo, hi := b.pStart[p], b.pStart[p+1]
			if lo == hi {
				continue
			}
			start := uint32(0)
			if lo > 0 {
				start = b.pEnd[lo-1]
			}
			for j := lo; j < hi; j++ {
				end := b.pEnd[j]
				r := b.pRow[j]
				local, err := tab.id(b.pHash[j], b.pIDs[start:end], row0+int64(r))
				if err != nil {
					return err
				}
				start = end
				bc[r] = int32(code | local)
			}
		}
	}
	return nil
}
