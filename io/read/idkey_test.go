package read

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestShortEntry: the entry of a short key does not depend on what follows
// the key in memory (loaded from a longer buffer or copied from an exact
// one), holds the key's bytes and length, and two keys have the same entry
// exactly when they are equal (a trailing zero byte makes a different key).
func TestShortEntry(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[keyEntry]string{}
	for i := range 20000 {
		n := i % (keyInline + 1)
		key := make([]byte, n)
		for j := range key {
			key[j] = byte(r.IntN(4)) // few symbols: many keys share prefixes
		}
		// The same bytes followed by garbage, within the slice's capacity.
		padded := make([]byte, n, n+16)
		copy(padded, key)
		for j := n; j < n+16; j++ {
			padded[:n+16][j] = byte(r.IntN(256))
		}
		exact := key[:n:n]
		e, f := shortEntry(padded), shortEntry(exact)
		if e != f {
			t.Fatalf("key %q: entry %x from a padded buffer, %x from an exact one", key, e, f)
		}
		if !e.short() || e.len() != n {
			t.Fatalf("key %q: entry %x: short %v, length %d", key, e, e.short(), e.len())
		}
		if got := e.appendShort(nil); !bytes.Equal(got, key) {
			t.Fatalf("key %q reads back as %q", key, got)
		}
		if old, ok := seen[e]; ok && old != string(key) {
			t.Fatalf("keys %q and %q share entry %x", old, key, e)
		}
		seen[e] = string(key)
	}
}

// TestIDHasherPaths: a key's hash is the same whether it comes with its
// entry (the text parser's path) or as bytes (the Parquet paths), and
// short keys spread over the partitions and slots: no partition holds more
// than twice its share of 10^5 telecom-like ids.
func TestIDHasherPaths(t *testing.T) {
	hs := newIDHasher()
	var parts [partCount]int
	var low [1024]int
	const n = 100000
	for i := range n {
		key := []byte("S0000")
		for v, k := i, 0; k < 6; k++ {
			key = append(key, byte('0'+v%10))
			v /= 10
		}
		h := hs.sum(key)
		if e := shortEntry(key); hs.words(e) != h {
			t.Fatalf("key %q: hash %x by bytes, %x by entry", key, h, hs.words(e))
		}
		parts[partOf(h)]++
		low[h&1023]++
	}
	for p, c := range parts {
		if c > 2*n/partCount {
			t.Fatalf("partition %d holds %d of %d keys (share %d)", p, c, n, n/partCount)
		}
	}
	for s, c := range low {
		if c > 3*n/1024 {
			t.Fatalf("low bits %d: %d of %d keys (share %d)", s, c, n, n/1024)
		}
	}
	long := []byte("a-customer-id-longer-than-fifteen-bytes")
	if h, e := hs.entry(long, 7); e.short() || h != hs.sum(long) {
		t.Fatalf("long key: entry %x, hash %x, sum %x", e, h, hs.sum(long))
	}
}

// TestPartTableLongEntries: a long key of a block is described by its
// offset in the block's ids, which may equal the offset and length of a
// different long key in the table's arena: the table must compare the
// bytes, not the entries.
func TestPartTableLongEntries(t *testing.T) {
	hs := newIDHasher()
	var tab partTable
	a := []byte("customer-aaaaaaaaaaaa")
	b := []byte("customer-bbbbbbbbbbbb")
	// Force both keys to the same hash, so that b probes a's slot.
	h := hs.sum(a)
	ida, err := tab.id(h, longEntry(0, len(a)), a, 0)
	if err != nil {
		t.Fatal(err)
	}
	idb, err := tab.id(h, longEntry(0, len(b)), b, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ida == idb {
		t.Fatalf("two long keys with equal block entries got the same id %d", ida)
	}
	if got, err := tab.id(h, longEntry(99, len(a)), a, 2); err != nil || got != ida {
		t.Fatalf("key a again: id %d (%v), want %d", got, err, ida)
	}
	if string(tab.key(int(ida))) != string(a) || string(tab.key(int(idb))) != string(b) {
		t.Fatalf("keys read back as %q, %q", tab.key(int(ida)), tab.key(int(idb)))
	}
}
