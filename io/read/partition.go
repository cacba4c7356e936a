package read

import (
	"bytes"
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

// partTable is the interning table of one partition. Slots hold the low 32
// bits of the hash (the tag, in the high half) and local id + 1 (0 =
// empty); a key's home slot is given by the low bits of its hash, so those
// are in its tag and the table grows from its slots alone. Each key has a 16-byte entry by
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
}

// keyLen returns the length of the key of local id.
func (t *partTable) keyLen(id int) int {
	if e := t.keys[id]; e.short() {
		return e.len()
	}
	_, n := t.keys[id].longAt()
	return int(n)
}

// appendKey appends the key of local id to dst.
func (t *partTable) appendKey(dst []byte, id int) []byte {
	e := t.keys[id]
	if e.short() {
		return e.appendShort(dst)
	}
	off, n := e.longAt()
	return append(dst, t.arena[off:off+n]...)
}

// id returns the local id of the key with hash h and entry e (see
// keyEntry; for a long key, long holds its bytes), adding it with first row
// row when new.
func (t *partTable) id(h uint64, e keyEntry, long []byte, row int64) (uint32, error) {
	if t.slots == nil {
		t.slots = make([]uint64, 64)
		t.mask = 63
	}
	tag := h << 32
	i := h & t.mask
	short := e.short()
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s&^0xffffffff == tag {
			id := int(uint32(s)) - 1
			if k := t.keys[id]; (short && k == e) || (!short && !k.short() && t.longEqual(k, long)) {
				return uint32(id), nil
			}
		}
		i = (i + 1) & t.mask
	}
	id := len(t.keys)
	if id >= localMax || len(t.arena)+len(long) > 1<<31-1 {
		return 0, errTooManyCustomers
	}
	if !short {
		e = longEntry(len(t.arena), len(long))
		t.arena = append(t.arena, long...)
		t.size += len(long)
	} else {
		t.size += e.len()
	}
	t.keys = append(t.keys, e)
	t.first = append(t.first, row)
	t.slots[i] = tag | uint64(id+1)
	if 2*len(t.keys) > len(t.slots) {
		t.grow()
	}
	return uint32(id), nil
}

// longEqual reports whether the key of long entry k (in the arena) is the
// bytes long.
func (t *partTable) longEqual(k keyEntry, long []byte) bool {
	off, n := k.longAt()
	return bytes.Equal(t.arena[off:off+n], long)
}

// idOf is id for a key given by its bytes and hash (the Parquet paths,
// which intern each distinct id once).
func (t *partTable) idOf(h uint64, key []byte, row int64) (uint32, error) {
	return t.id(h, entryOf(key, 0), key, row)
}

// grow doubles the slots. The old slots are taken in order and each
// lands at its home slot in the new table (from its tag) or just after:
// the writes go forward through the new table, in cache.
func (t *partTable) grow() {
	slots := make([]uint64, 2*len(t.slots))
	mask := uint64(len(slots) - 1)
	for _, s := range t.slots {
		if s == 0 {
			continue
		}
		i := s >> 32 & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = s
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

// dropIndex frees the hash index of every partition (the slots):
// no id can be looked up or added afterwards, but order and key still work.
func (pt *partitioned) dropIndex() {
	for p := range pt.parts {
		pt.parts[p].slots = nil
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
	ids := make([]string, len(order))
	// Two goroutines copy the keys of the two halves of the order (each
	// key read at random from its partition's table).
	const copiers = 2
	var wg sync.WaitGroup
	for w := range copiers {
		lo, hi := len(order)*w/copiers, len(order)*(w+1)/copiers
		wg.Go(func() { pt.copyIDs(order[lo:hi], ids[lo:hi], size/copiers) })
	}
	wg.Wait()
	return ids, order
}

// copyIDs copies the keys of codes into ids. The ids share arenas of about
// chunk bytes, each viewed as a string once written instead of copied
// (copies would briefly double the memory of the ids of a large export).
func (pt *partitioned) copyIDs(codes []uint32, ids []string, chunk int) {
	chunk = max(min(chunk+chunk/16, idChunk), 64) // a little over half, unless past idChunk
	var arena []byte
	for g, code := range codes {
		t, id := &pt.parts[code>>localBits], int(code&localMax)
		n := t.keyLen(id)
		if n == 0 {
			continue
		}
		if cap(arena)-len(arena) < n {
			if arena != nil {
				chunk = max(chunk/8, 64) // the estimate was short: smaller chunks for the rest
			}
			arena = make([]byte, 0, max(chunk, n))
		}
		start := len(arena)
		arena = t.appendKey(arena, id)
		ids[g] = unsafe.String(&arena[start], n)
	}
}

// idChunk is the largest arena of copyIDs.
const idChunk = 64 << 20

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
	for p := lane; p < partCount; p += lanes {
		tab := &pt.parts[p]
		if agg != nil {
			if err := agg.lane(p, tab, batch, base); err != nil {
				return err
			}
			continue
		}
		code := uint32(p) << localBits
		for k, b := range batch {
			row0 := int64(base[k])
			bc := cust[base[k]:]
			rows := b.grouped[b.pStart[p]:b.pStart[p+1]]
			for j := range rows {
				r := &rows[j]
				local, err := tab.id(r.hash, r.key, b.long(r), row0+int64(r.row))
				if err != nil {
					return err
				}
				bc[r.row] = int32(code | local)
			}
		}
	}
	return nil
}
