package read

import (
	"bytes"
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/clvkit/clv/clv/dataset"
)

// The streaming read of a Parquet transaction file (Accumulate) reads the
// common shape of such a file by whole row groups (parquet_groups.go).
// From a row group that path cannot take on (a null, say), the file is
// read in Arrow record batches, and batches of that shape — dictionary
// ids, a date32 date, a float64 amount, no nulls — are still taken a batch
// at a time instead of a row at a time: each dictionary entry is hashed and interned once (at its
// first row in the batch, so customers are still numbered by first
// appearance), rows map their dictionary index to the customer and go
// straight to its accumulator, in file order. Batches of any other shape,
// or holding a null, an empty id or a non-finite amount, take the
// row-by-row path, which reports such rows exactly as Transactions does.

// pqDictCodes caches the customer codes of the id column's dictionary. The
// decoder hands each batch of a row group a new dictionary array that
// extends the previous one; entries already seen keep their hash and code,
// only new entries are hashed. The entries' bytes are copied (data, ends),
// so the keys stay valid after the batch is released.
type pqDictCodes struct {
	data  []byte
	ends  []int
	codes []uint32 // code + 1 per entry; 0 = not interned yet
	hash  []uint64
	bad   bool // an entry is empty after trimming: the slow path reports it
}

func (dc *pqDictCodes) key(k int) []byte {
	start := 0
	if k > 0 {
		start = dc.ends[k-1]
	}
	return dc.data[start:dc.ends[k]]
}

// fastBatch aggregates the n rows of the current batch (cols are the spec
// columns: id, date, amount) when they have the common shape, and reports
// whether it did.
func (s *txSink) fastBatch(cols []*pqColumn, n int) (bool, error) {
	g := s.agg
	if g == nil || len(cols) < 3 || cols[0] == nil || cols[1] == nil || cols[2] == nil ||
		cols[0].field < 0 || cols[1].field < 0 || cols[2].field < 0 || cols[0].dict == nil {
		return false, nil
	}
	dict := cols[0].dict
	if dict.NullN() > 0 || cols[0].arr.NullN() > 0 {
		return false, nil
	}
	dates, ok := cols[1].arr.(*array.Date32)
	if !ok || cols[1].dict != nil || dates.NullN() > 0 {
		return false, nil
	}
	amts, ok := cols[2].arr.(*array.Float64)
	if !ok || cols[2].dict != nil || amts.NullN() > 0 {
		return false, nil
	}
	av := amts.Float64Values()
	for _, a := range av[:n] {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return false, nil
		}
	}
	idx, own, ok := dictIndices(dict.Indices(), s.idx[:0])
	if !ok {
		return false, nil
	}
	if own {
		s.idx = idx // keep the buffer; an int32 index array is used in place
	}
	dc := &s.dictCodes
	if !dc.load(cols[0], s.hs) {
		return false, nil
	}
	if dc.bad {
		return false, nil
	}
	for _, k := range idx[:n] {
		if k < 0 || int(k) >= len(dc.codes) {
			return false, nil
		}
	}
	// Rows pending in blocks go first, so rows reach the accumulators in
	// file order.
	if err := s.flush(true); err != nil {
		return true, err
	}
	dv := dates.Date32Values()
	row0 := int64(s.rows)
	for r, k := range idx[:n] {
		code := dc.codes[k]
		if code == 0 {
			h := dc.hash[k]
			p := partOf(h)
			local, err := s.parts.parts[p].idOf(h, dc.key(int(k)), row0+int64(r))
			if err != nil {
				return true, &Error{File: s.conv.file, Msg: err.Error()}
			}
			code = uint32(p)<<localBits | local + 1
			dc.codes[k] = code
		}
		code--
		g.add(int(code>>localBits), int(code&localMax), dataset.Day(dv[r]), av[r], row0+int64(r))
	}
	s.rows += n
	s.stats.Rows += int64(n)
	s.stats.Accepted += int64(n)
	if s.conv.progress != nil {
		s.conv.progress(s.stats.Rows)
	}
	return true, nil
}

// load takes the id column's dictionary: when it extends the cached one
// (same leading entries), only the new entries are copied and hashed;
// otherwise (a new row group) the cache starts again.
func (dc *pqDictCodes) load(c *pqColumn, hs *idHasher) bool {
	m := c.arr.Len()
	old := len(dc.ends)
	if old > m {
		old = 0
	}
	for k := 0; k < old; k++ {
		b, ok := c.view(k)
		if !ok {
			return false
		}
		if !bytes.Equal(trimSpace(b), dc.key(k)) {
			old = 0
			break
		}
	}
	if old == 0 {
		dc.data, dc.ends, dc.codes, dc.hash, dc.bad = dc.data[:0], dc.ends[:0], dc.codes[:0], dc.hash[:0], false
	}
	for k := old; k < m; k++ {
		b, ok := c.view(k)
		if !ok {
			dc.ends = dc.ends[:0]
			return false
		}
		b = trimSpace(b)
		if len(b) == 0 {
			dc.bad = true
		}
		dc.data = append(dc.data, b...)
		dc.ends = append(dc.ends, len(dc.data))
		dc.codes = append(dc.codes, 0)
		dc.hash = append(dc.hash, hs.sum(b))
	}
	return true
}

// dictIndices returns the indices of a dictionary array as int32: the
// array's own values (own = false) or converted into buf (own = true).
func dictIndices(a arrow.Array, buf []int32) (idx []int32, own, ok bool) {
	switch x := a.(type) {
	case *array.Int32:
		return x.Int32Values(), false, true
	case *array.Int8:
		buf = appendInt32s(buf, x.Int8Values())
	case *array.Int16:
		buf = appendInt32s(buf, x.Int16Values())
	case *array.Uint8:
		buf = appendInt32s(buf, x.Uint8Values())
	case *array.Uint16:
		buf = appendInt32s(buf, x.Uint16Values())
	case *array.Int64:
		for _, v := range x.Int64Values() {
			if v > math.MaxInt32 {
				return nil, false, false
			}
			buf = append(buf, int32(v))
		}
	default:
		return nil, false, false
	}
	return buf, true, true
}

// appendInt32s appends small integer indices to buf as int32.
func appendInt32s[T int8 | int16 | uint8 | uint16](buf []int32, vals []T) []int32 {
	for _, v := range vals {
		buf = append(buf, int32(v))
	}
	return buf
}

// add takes one row of customer (partition p, local id) at row number row,
// outside the partitioned lanes (the Parquet batch path, single goroutine).
func (g *aggregator) add(p, local int, d dataset.Day, a float64, row int64) {
	if g.collect {
		if g.asOf != dataset.NoDay && d > g.asOf {
			return
		}
		slots := g.slot[p]
		if local >= len(slots) {
			g.changed[p] = true
			return
		}
		if k := slots[local]; k >= 0 {
			if g.fill[k] >= g.start[k+1] {
				g.changed[p] = true
				return
			}
			g.cDays[g.fill[k]], g.cAmts[g.fill[k]] = d, a
			g.fill[k]++
		}
		return
	}
	acc := g.accOf(p, local)
	g.batchDays.Add(d, row)
	g.latest[p] = max(g.latest[p], d)
	if g.asOf != dataset.NoDay && d > g.asOf {
		g.excluded[p]++
		return
	}
	acc.Add(d, a)
}

// accOf returns the accumulator of customer (partition p, local id),
// adding it when local is the partition's next id. Accumulators never move
// (partitions grow by chunks).
func (g *aggregator) accOf(p, local int) *dataset.Acc {
	chunks := g.acc[p]
	n := len(chunks) * accChunk
	if len(chunks) > 0 {
		n -= accChunk - len(chunks[len(chunks)-1])
	}
	if local == n {
		if n%accChunk == 0 {
			chunks = append(chunks, make([]dataset.Acc, 0, accChunk))
			g.acc[p] = chunks
		}
		last := &chunks[len(chunks)-1]
		*last = append(*last, dataset.NewAcc())
	}
	return &chunks[local/accChunk][local%accChunk]
}
