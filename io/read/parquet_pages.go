package read

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
)

// A pageColumn decodes one flat column chunk of a row group from its pages
// (decompressed by the Parquet library's page reader): PLAIN and
// dictionary-encoded (PLAIN_DICTIONARY, RLE_DICTIONARY) data pages, v1 and
// v2, of a required or an optional column without nulls. Anything else — a
// null, another encoding, an index outside the dictionary, a page shorter
// than it says — is errSlowPath: the row group then takes the row-by-row
// path of the Arrow layer, which decodes every encoding and reports bad
// values. Reading the dictionary indices directly is what makes the row
// group path fast: the Arrow layer hands out each row's value, or rebuilds
// the dictionary array for every batch.
type pageColumn struct {
	pr     file.PageReader
	kind   pageKind
	maxDef int16

	// The chunk's dictionary (one per column chunk), copied out of its page.
	hasDict  bool
	dictData []byte   // byte array entries end to end
	dictEnds []uint32 // end of each entry in dictData
	dictI32  []int32
	dictF64  []float64

	// The current data page: left values to go, either dictionary indices
	// (idx) or PLAIN values (plain).
	left  int
	dict  bool
	idx   hybrid
	plain []byte
}

type pageKind uint8

const (
	pageBytes pageKind = iota
	pageInt32
	pageFloat64
)

// errSlowPath says a column chunk needs the row-by-row path.
var errSlowPath = errors.New("parquet: column chunk needs the row-by-row path")

// Parquet encodings (the thrift enum of the format).
const (
	encPlain          = 0
	encPlainDict      = 2
	encRLE            = 3
	encRLEDictionary  = 8
	maxDictionarySize = 1 << 30
)

func newPageColumn(pr file.PageReader, kind pageKind, maxDef int16) *pageColumn {
	return &pageColumn{pr: pr, kind: kind, maxDef: maxDef}
}

// nextPage moves to the next data page (taking a dictionary page on the
// way); it returns false at the end of the chunk.
// The page reader releases the previous page (its buffer is reused) when
// it moves on, so a page's data is only used until then; the dictionary is
// copied.
func (c *pageColumn) nextPage() (bool, error) {
	for c.pr.Next() {
		pg := c.pr.Page()
		switch p := pg.(type) {
		case *file.DictionaryPage:
			if err := c.setDict(p); err != nil {
				return false, err
			}
			continue
		case *file.DataPageV1:
			return true, c.startData(p.Data(), int(p.NumValues()), int64(p.Encoding()), func(buf []byte) ([]byte, error) {
				if c.maxDef == 0 {
					return buf, nil
				}
				if p.DefinitionLevelEncoding() != parquet.Encodings.RLE || len(buf) < 4 {
					return nil, errSlowPath
				}
				n := int(binary.LittleEndian.Uint32(buf))
				if n < 0 || n > len(buf)-4 {
					return nil, errSlowPath
				}
				if !allDefined(buf[4:4+n], int(p.NumValues())) {
					return nil, errSlowPath
				}
				return buf[4+n:], nil
			})
		case *file.DataPageV2:
			return true, c.startData(p.Data(), int(p.NumValues()), int64(p.Encoding()), func(buf []byte) ([]byte, error) {
				rep, def := int(p.RepetitionLevelByteLen()), int(p.DefinitionLevelByteLen())
				if p.NumNulls() != 0 || rep != 0 || def < 0 || def > len(buf) {
					return nil, errSlowPath
				}
				if c.maxDef > 0 && !allDefined(buf[:def], int(p.NumValues())) {
					return nil, errSlowPath
				}
				return buf[def:], nil
			})
		}
	}
	if err := c.pr.Err(); err != nil {
		return false, err
	}
	return false, nil
}

// nextData is nextPage where the rows still to read need another page.
func (c *pageColumn) nextData() error {
	ok, err := c.nextPage()
	if err == nil && !ok {
		err = errSlowPath
	}
	return err
}

// startData sets up a data page: levels strips the levels off the data.
func (c *pageColumn) startData(data []byte, n int, enc int64, levels func([]byte) ([]byte, error)) error {
	if n < 0 {
		return errSlowPath
	}
	buf, err := levels(data)
	if err != nil {
		return err
	}
	c.left = n
	switch enc {
	case encPlainDict, encRLEDictionary:
		if !c.hasDict || len(buf) < 1 || buf[0] > 32 {
			return errSlowPath
		}
		c.dict = true
		c.idx = hybrid{buf: buf[1:], width: int(buf[0])}
	case encPlain:
		c.dict = false
		c.plain = buf
	default:
		return errSlowPath
	}
	return nil
}

// setDict copies the dictionary page's entries.
func (c *pageColumn) setDict(p *file.DictionaryPage) error {
	if c.hasDict || (int64(p.Encoding()) != encPlain && int64(p.Encoding()) != encPlainDict) {
		return errSlowPath
	}
	n := int(p.NumValues())
	data := p.Data()
	if n < 0 || n > maxDictionarySize {
		return errSlowPath
	}
	c.hasDict = true
	switch c.kind {
	case pageBytes:
		c.dictData, c.dictEnds = c.dictData[:0], c.dictEnds[:0]
		for range n {
			v, rest, ok := plainBytes(data)
			if !ok {
				return errSlowPath
			}
			data = rest
			c.dictData = append(c.dictData, v...)
			c.dictEnds = append(c.dictEnds, uint32(len(c.dictData)))
		}
	case pageInt32:
		if len(data) < 4*n {
			return errSlowPath
		}
		c.dictI32 = c.dictI32[:0]
		for i := range n {
			c.dictI32 = append(c.dictI32, int32(binary.LittleEndian.Uint32(data[4*i:])))
		}
	case pageFloat64:
		if len(data) < 8*n {
			return errSlowPath
		}
		c.dictF64 = c.dictF64[:0]
		for i := range n {
			c.dictF64 = append(c.dictF64, math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:])))
		}
	}
	return nil
}

// dictKey returns dictionary entry k of a byte array column.
func (c *pageColumn) dictKey(k uint32) []byte {
	start := uint32(0)
	if k > 0 {
		start = c.dictEnds[k-1]
	}
	return c.dictData[start:c.dictEnds[k]]
}

// plainBytes splits the first PLAIN byte array value off data.
func plainBytes(data []byte) (v, rest []byte, ok bool) {
	if len(data) < 4 {
		return nil, nil, false
	}
	n := binary.LittleEndian.Uint32(data)
	if uint64(n) > uint64(len(data)-4) {
		return nil, nil, false
	}
	return data[4 : 4+n], data[4+n:], true
}

// allDefined reports whether the RLE/bit-packed definition levels (bit
// width 1) of n values are all 1 (no null). Runs are checked whole: an RLE
// run by its value, a bit-packed run byte by byte.
func allDefined(buf []byte, n int) bool {
	h := hybrid{buf: buf, width: 1}
	for n > 0 {
		if !h.run() {
			return false
		}
		k := min(n, h.n)
		if h.rle {
			if h.val != 1 {
				return false
			}
		} else {
			full := k / 8
			for _, b := range h.packed[:full] {
				if b != 0xff {
					return false
				}
			}
			if r := k % 8; r > 0 && h.packed[full]&(1<<r-1) != 1<<r-1 {
				return false
			}
		}
		n -= k
	}
	return true
}

// int32s reads the next len(out) values of an INT32 column.
func (c *pageColumn) int32s(out []int32) error {
	return pageValues(c, out, func() []int32 { return c.dictI32 }, 4, func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) })
}

// float64s reads the next len(out) values of a DOUBLE column.
func (c *pageColumn) float64s(out []float64) error {
	return pageValues(c, out, func() []float64 { return c.dictF64 }, 8, func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) })
}

// pageValues reads the next len(out) values of a fixed-width column of c:
// dictionary indices looked up in the chunk's dictionary (dict returns it),
// or PLAIN values of size bytes.
func pageValues[T int32 | float64](c *pageColumn, out []T, dict func() []T, size int, plain func([]byte) T) error {
	entries := dict()
	for len(out) > 0 {
		if c.left == 0 {
			if err := c.nextData(); err != nil {
				return err
			}
			entries = dict() // a dictionary page may have come first
			continue
		}
		m := min(len(out), c.left)
		if c.dict {
			var tmp [1024]uint32
			for done := 0; done < m; {
				k := c.idx.next(tmp[:min(m-done, len(tmp))])
				if k == 0 {
					return errSlowPath
				}
				for j, ix := range tmp[:k] {
					if int(ix) >= len(entries) {
						return errSlowPath
					}
					out[done+j] = entries[ix]
				}
				done += k
			}
		} else {
			if len(c.plain) < size*m {
				return errSlowPath
			}
			for j := range m {
				out[j] = plain(c.plain[size*j:])
			}
			c.plain = c.plain[size*m:]
		}
		c.left -= m
		out = out[m:]
	}
	return nil
}

// byteArrays reads the next len(out) values of a BYTE_ARRAY column into
// out, through two callbacks. Rows of a dictionary-encoded page arrive as
// their dictionary indices (checked against the dictionary): dict(start,
// idx) is to replace the indices idx, which are out[start:start+len(idx)],
// in place. A PLAIN value v of row r (of out) goes to plain(r, v), which
// returns what to store. newDict is called when the chunk's dictionary
// page has been read (entries are then dictKey(k)).
func (c *pageColumn) byteArrays(out []uint32, newDict func(), dict func(start int, idx []uint32) error, plain func(row int, v []byte) (uint32, error)) error {
	hadDict := c.hasDict
	row := 0
	for row < len(out) {
		if c.left == 0 {
			if err := c.nextData(); err != nil {
				return err
			}
			if c.hasDict && !hadDict {
				newDict()
				hadDict = true
			}
			continue
		}
		m := min(len(out)-row, c.left)
		if c.dict {
			for done := 0; done < m; {
				idx := out[row+done : row+m]
				k := c.idx.next(idx)
				if k == 0 {
					return errSlowPath
				}
				for _, ix := range idx[:k] {
					if int(ix) >= len(c.dictEnds) {
						return errSlowPath
					}
				}
				if err := dict(row+done, idx[:k]); err != nil {
					return err
				}
				done += k
			}
		} else {
			for j := range m {
				v, rest, ok := plainBytes(c.plain)
				if !ok {
					return errSlowPath
				}
				c.plain = rest
				r, err := plain(row+j, v)
				if err != nil {
					return err
				}
				out[row+j] = r
			}
		}
		c.left -= m
		row += m
	}
	return nil
}

// end reports whether the chunk has no value left (a page beyond the rows
// the footer declares means a corrupt file).
func (c *pageColumn) end() (bool, error) {
	if c.left > 0 {
		return false, nil
	}
	for {
		ok, err := c.nextPage()
		if err != nil || !ok {
			return err == nil, err
		}
		if c.left > 0 {
			return false, nil
		}
	}
}

// hybrid decodes Parquet's RLE/bit-packed hybrid encoding of unsigned
// integers of width bits (dictionary indices, definition levels).
type hybrid struct {
	buf   []byte
	width int
	// The current run: rle repeats val for n values; otherwise n values are
	// bit-packed from packed, the next at bit position bit.
	rle    bool
	n      int
	val    uint32
	packed []byte
	bit    int
}

// next fills out from the runs and returns how many values it wrote; 0
// means the data ended or is malformed.
func (h *hybrid) next(out []uint32) int {
	done := 0
	for done < len(out) {
		if h.n == 0 && !h.run() {
			break
		}
		k := min(len(out)-done, h.n)
		if h.rle {
			v := h.val
			for j := range k {
				out[done+j] = v
			}
		} else {
			h.unpack(out[done : done+k])
		}
		h.n -= k
		done += k
	}
	return done
}

// unpack takes len(out) values of the current bit-packed run, with one
// 64-bit load per value (from a zero-padded copy near the end of the run).
func (h *hybrid) unpack(out []uint32) {
	w := h.width
	mask := uint64(1)<<w - 1
	b := h.bit
	packed := h.packed
	j := 0
	// Direct loads while 8 bytes are left after the value's first byte.
	for ; j < len(out) && b>>3+8 <= len(packed); j++ {
		out[j] = uint32(binary.LittleEndian.Uint64(packed[b>>3:]) >> (b & 7) & mask)
		b += w
	}
	if j < len(out) {
		var tail [16]byte
		start := b >> 3
		copy(tail[:], packed[start:])
		for ; j < len(out); j++ {
			o := b - start*8
			out[j] = uint32(binary.LittleEndian.Uint64(tail[o>>3:]) >> (o & 7) & mask)
			b += w
		}
	}
	h.bit = b
}

// run reads the next run header.
func (h *hybrid) run() bool {
	header, n := binary.Uvarint(h.buf)
	if n <= 0 || header>>1 > math.MaxInt32/8 {
		return false
	}
	h.buf = h.buf[n:]
	if header&1 == 0 {
		count := int(header >> 1)
		nb := (h.width + 7) / 8
		if count == 0 || len(h.buf) < nb {
			return false
		}
		var v uint32
		for i := range nb {
			v |= uint32(h.buf[i]) << (8 * i)
		}
		if h.width < 32 && v>>h.width != 0 {
			return false
		}
		h.buf = h.buf[nb:]
		h.rle, h.n, h.val = true, count, v
		return true
	}
	groups := int(header >> 1)
	size := groups * h.width // bytes: 8 values of width bits per group
	if groups == 0 || size > len(h.buf) {
		return false
	}
	h.rle, h.n, h.packed, h.bit = false, groups*8, h.buf[:size], 0
	h.buf = h.buf[size:]
	if h.width == 0 {
		h.rle, h.val = true, 0
	}
	return true
}
