package read

import (
	"unsafe"

	"github.com/clvkit/clv/clv/dataset"
)

// On a base of millions of customers the interning tables and accumulators
// are far larger than the processor's caches, and the rows of a batch
// come in no useful order: nearly every row misses the cache on its slot,
// its key entry and its accumulator, each load waiting for the one before.
// laneAhead hides those waits by prefetching, rows ahead of the row being
// added, in two stages: the home slot of row j+slotAhead (from its hash
// alone); then, slot now in cache, the key entry and the accumulator of
// the customer the slot names for row j+entryAhead. The stages read only
// what is already there, so a guess that turns out wrong (a customer not
// yet added, a slot taken by another key) costs a wasted prefetch and
// never changes a result.
const (
	slotAhead  = 24
	entryAhead = 10
	// guessProbes is the number of slots from a hash's home slot looked
	// at for its tag.
	guessProbes = 4
)

// laneAhead prefetches for the rows of one partition of a batch (see
// above): slot walks the rows slotAhead rows ahead of the row being added,
// entry entryAhead rows ahead.
type laneAhead struct {
	slot, entry rowCursor
}

// rowCursor walks the rows of one partition through the blocks of a batch.
type rowCursor struct {
	batch []*txBlock
	p     int
	k     int   // block
	j, hi int32 // next row in the block's grouped rows, end of the partition's
}

func newRowCursor(batch []*txBlock, p int) rowCursor {
	return rowCursor{batch: batch, p: p, k: -1}
}

// next returns the next row, or nil after the last.
func (c *rowCursor) next() *blockRow {
	for c.j == c.hi {
		c.k++
		if c.k >= len(c.batch) {
			c.k = len(c.batch) // stays at the end
			return nil
		}
		b := c.batch[c.k]
		c.j, c.hi = b.pStart[c.p], b.pStart[c.p+1]
	}
	r := &c.batch[c.k].grouped[c.j]
	c.j++
	return r
}

func newLaneAhead(batch []*txBlock, p int) *laneAhead {
	return &laneAhead{slot: newRowCursor(batch, p), entry: newRowCursor(batch, p)}
}

// start prefetches for the first rows, as step would have done before
// them.
func (a *laneAhead) start(tab *partTable, chunks [][]dataset.Acc) {
	for range slotAhead {
		if r := a.slot.next(); r != nil {
			a.prefetchSlot(tab, r.hash)
		}
	}
	for range entryAhead {
		if r := a.entry.next(); r != nil {
			a.prefetchEntry(tab, chunks, r.hash)
		}
	}
}

// step prefetches ahead of the next row.
func (a *laneAhead) step(tab *partTable, chunks [][]dataset.Acc) {
	if r := a.slot.next(); r != nil {
		a.prefetchSlot(tab, r.hash)
	}
	if r := a.entry.next(); r != nil {
		a.prefetchEntry(tab, chunks, r.hash)
	}
}

func (a *laneAhead) prefetchSlot(tab *partTable, h uint64) {
	if tab.slots != nil {
		prefetch(unsafe.Pointer(&tab.slots[h&tab.mask]))
	}
}

func (a *laneAhead) prefetchEntry(tab *partTable, chunks [][]dataset.Acc, h uint64) {
	c := tab.guess(h)
	if c < 0 {
		return
	}
	if k, j := int(c/accChunk), int(c%accChunk); k < len(chunks) && j < len(chunks[k]) {
		acc := unsafe.Pointer(&chunks[k][j])
		// The accumulator may span two lines.
		prefetch3(unsafe.Pointer(&tab.keys[c]), acc, unsafe.Add(acc, unsafe.Sizeof(dataset.Acc{})-1))
	}
}

// guess returns the local id in the first slot with h's tag among the
// first guessProbes from h's home slot (the id of h's key, unless its tag
// is shared), or -1. It takes no branch on what it loads, so that the
// processor goes on meanwhile.
func (t *partTable) guess(h uint64) int32 {
	if t.slots == nil {
		return -1
	}
	tag := h << 32
	i := h & t.mask
	c := int32(-1)
	for probe := guessProbes - 1; probe >= 0; probe-- {
		s := t.slots[(i+uint64(probe))&t.mask]
		if s&^0xffffffff == tag {
			c = int32(uint32(s)) - 1 // -1 for an empty slot (tag 0)
		}
	}
	if int(c) >= len(t.keys) {
		return -1
	}
	return c
}
