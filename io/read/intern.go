package read

import (
	"bytes"
	"hash/maphash"
)

// interner maps customer-id bytes to dense int32 ids in order of first
// appearance. It is an open-addressing (linear probing) table of 8-byte
// slots, each holding the upper 32 bits of the id's hash and id+1 (0 = empty
// slot), so a probe touches one slot and compares bytes only when the hash
// tags agree. Id bytes live in one arena; no string is created per row.
type interner struct {
	seed  maphash.Seed
	slots []uint64
	mask  uint64
	arena []byte
	ends  []int // ends[i] = end offset of id i in arena
}

func newInterner(seed maphash.Seed, capacity int) *interner {
	size := 1024
	for size < 2*capacity {
		size *= 2
	}
	return &interner{seed: seed, slots: make([]uint64, size), mask: uint64(size - 1)}
}

// hash returns the hash the table uses for key.
func (t *interner) hash(key []byte) uint64 { return maphash.Bytes(t.seed, key) }

// len returns the number of distinct ids.
func (t *interner) len() int { return len(t.ends) }

func (t *interner) key(id int) []byte {
	start := 0
	if id > 0 {
		start = t.ends[id-1]
	}
	return t.arena[start:t.ends[id]]
}

// id returns the dense id of key whose hash is h, adding it when new.
func (t *interner) id(h uint64, key []byte) int32 {
	tag := h &^ 0xffffffff
	i := h & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s&^0xffffffff == tag {
			id := int(uint32(s)) - 1
			if bytes.Equal(t.key(id), key) {
				return int32(id)
			}
		}
		i = (i + 1) & t.mask
	}
	id := len(t.ends)
	t.arena = append(t.arena, key...)
	t.ends = append(t.ends, len(t.arena))
	t.slots[i] = tag | uint64(id+1)
	if 2*len(t.ends) > len(t.slots) {
		t.grow()
	}
	return int32(id)
}

// grow doubles the table and reinserts every id.
func (t *interner) grow() {
	slots := make([]uint64, 2*len(t.slots))
	mask := uint64(len(slots) - 1)
	for id := range t.ends {
		h := t.hash(t.key(id))
		i := h & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = h&^0xffffffff | uint64(id+1)
	}
	t.slots, t.mask = slots, mask
}

// strings returns the ids as strings, in id order. They share one backing
// allocation.
func (t *interner) strings() []string {
	all := string(t.arena)
	out := make([]string, len(t.ends))
	start := 0
	for i, end := range t.ends {
		out[i] = all[start:end]
		start = end
	}
	return out
}

// cloneString copies b into a new string, for values that must outlive the
// buffer they were parsed from.
func cloneString(b []byte) string { return string(b) }
