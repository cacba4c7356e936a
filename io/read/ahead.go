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

// laneAhead prefetches for the rows of one partition of a batch, given
// their hashes in order (see above).
type laneAhead struct {
	hs []uint64
	i  int // the row being added
}

// newLaneAhead gathers the hashes of partition p's rows of the batch into
// buf (reused from call to call).
func newLaneAhead(batch []*txBlock, p int, buf []uint64) *laneAhead {
	hs := buf[:0]
	for _, b := range batch {
		hs = append(hs, b.pHash[b.pStart[p]:b.pStart[p+1]]...)
	}
	return &laneAhead{hs: hs}
}

// start prefetches for the first rows, as step would have done before
// them.
func (a *laneAhead) start(tab *partTable, chunks [][]dataset.Acc) {
	for i := range min(slotAhead, len(a.hs)) {
		a.prefetchSlot(tab, i)
	}
	for i := range min(entryAhead, len(a.hs)) {
		a.prefetchEntry(tab, chunks, i)
	}
}

// step prefetches ahead of the next row.
func (a *laneAhead) step(tab *partTable, chunks [][]dataset.Acc) {
	i := a.i
	a.i++
	if i+slotAhead < len(a.hs) {
		a.prefetchSlot(tab, i+slotAhead)
	}
	if i+entryAhead < len(a.hs) {
		a.prefetchEntry(tab, chunks, i+entryAhead)
	}
}

func (a *laneAhead) prefetchSlot(tab *partTable, i int) {
	if tab.slots != nil {
		prefetch(unsafe.Pointer(&tab.slots[a.hs[i]&tab.mask]))
	}
}

func (a *laneAhead) prefetchEntry(tab *partTable, chunks [][]dataset.Acc, i int) {
	c := tab.guess(a.hs[i])
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
	tag := h << partBits &^ 0xffffffff
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
