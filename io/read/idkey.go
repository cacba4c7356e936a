package read

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
)

// Customer ids are nearly always short (a phone number, "S000000103"). An
// id of at most keyInline bytes travels from the parser to the interning
// table as a keyEntry: two words holding its bytes, zero-padded, with its
// length in the top byte of the second. Such a key is copied as two words
// (not a call to memmove), compared as two words (not bytes.Equal) and
// hashed from the two words with two multiplications (not a byte-wise
// hash): on a 100 M-row export these were the bulk of the interning cost
// besides the cache misses.

// keyEntry is a key of at most keyInline bytes: its bytes little-endian in
// the words, zero-padded, its length in the top byte of word 1. A longer key
// has longKey in that byte, its length in the low 32 bits of word 1 and its
// offset in word 0: into the table's arena in a partTable, into the block's
// ids in a txBlock.
type keyEntry [2]uint64

const (
	keyInline = 15
	longKey   = 0xff
)

// short reports whether e holds its key (rather than where it lies).
func (e keyEntry) short() bool { return e[1]>>56 != longKey }

// len returns the length of the key of a short entry.
func (e keyEntry) len() int { return int(e[1] >> 56) }

// longAt returns the offset and length of the key of a long entry.
func (e keyEntry) longAt() (off, n uint64) { return e[0], uint64(uint32(e[1])) }

// longEntry returns the entry of a key longer than keyInline at offset off.
func longEntry(off, n int) keyEntry {
	return keyEntry{uint64(off), uint64(n) | longKey<<56}
}

// appendShort appends the key of a short entry to dst.
func (e keyEntry) appendShort(dst []byte) []byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:8], e[0])
	binary.LittleEndian.PutUint64(b[8:16], e[1])
	return append(dst, b[:e.len()]...)
}

// shortEntry returns the entry of key, which has at most keyInline bytes.
// When the memory after key (up to its capacity) holds 16 bytes, the words
// are loaded from there and masked, without copying the key first.
func shortEntry(key []byte) keyEntry {
	n := len(key)
	var lo, hi uint64
	if cap(key) >= 16 {
		w := key[:16]
		lo = binary.LittleEndian.Uint64(w[0:8])
		hi = binary.LittleEndian.Uint64(w[8:16])
	} else {
		var b [16]byte
		copy(b[:], key)
		lo = binary.LittleEndian.Uint64(b[0:8])
		hi = binary.LittleEndian.Uint64(b[8:16])
	}
	// Keep the first n bytes: min(n, 8) of lo and n-8 (if positive) of hi;
	// a shift by 64 gives 0 in Go.
	lo &= ^uint64(0) >> (64 - 8*uint(min(n, 8)))
	hi &= ^uint64(0) >> (64 - 8*uint(max(n-8, 0)))
	return keyEntry{lo, hi | uint64(n)<<56}
}

// idHasher hashes customer ids for the partitioned tables: short ids (see
// keyEntry) from their two words, longer ones with maphash. Every id goes
// through the same function for a given length, so an id always has the
// same hash within a read, whichever path (text, Parquet) computed it.
type idHasher struct {
	seed       maphash.Seed
	k0, k1, k2 uint64
}

func newIDHasher() *idHasher {
	h := &idHasher{seed: maphash.MakeSeed()}
	h.k0 = maphash.Bytes(h.seed, []byte{0}) | 1
	h.k1 = maphash.Bytes(h.seed, []byte{1}) | 1
	h.k2 = maphash.Bytes(h.seed, []byte{2}) | 1
	return h
}

// words hashes a short entry: a 64×64→128-bit multiplication of the
// seeded words folded to 64 bits, then a second round so that every bit of
// the result (the partition is taken from the top bits, the slot from the
// bottom ones) depends on every bit of the key.
func (h *idHasher) words(e keyEntry) uint64 {
	hi, lo := bits.Mul64(e[0]^h.k0, e[1]^h.k1)
	hi, lo = bits.Mul64(hi^lo^h.k2, 0x9e3779b97f4a7c15)
	return hi ^ lo
}

// entryOf returns the entry of key: shortEntry(key), or for a key longer
// than keyInline, longEntry(off, len(key)).
func entryOf(key []byte, off int) keyEntry {
	if len(key) <= keyInline {
		return shortEntry(key)
	}
	return longEntry(off, len(key))
}

// entry returns the hash and entry of key (see entryOf).
func (h *idHasher) entry(key []byte, off int) (uint64, keyEntry) {
	if len(key) <= keyInline {
		e := shortEntry(key)
		return h.words(e), e
	}
	return maphash.Bytes(h.seed, key), longEntry(off, len(key))
}

// sum returns the hash of key.
func (h *idHasher) sum(key []byte) uint64 {
	s, _ := h.entry(key, 0)
	return s
}
