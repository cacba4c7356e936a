package read

import (
	"bytes"
	"io"
	"sync"
)

// block is a run of complete records of a text input.
type block struct {
	seq  int
	line int    // physical line of the first byte
	buf  []byte // complete records
	mem  []byte // the allocation buf lives in (returned to the pool)
}

// blockReader cuts a stream into blocks of complete records. Blocks without
// a double quote are cut at the last line break; blocks with one are cut
// with a quote-aware scan (recordCut), so a quoted line break never splits a
// record.
type blockReader struct {
	r     io.Reader
	delim byte
	size  int
	carry []byte
	line  int
	seq   int
	eof   bool
	pool  sync.Pool
	file  string // for the error of an over-long record
	max   int    // longest record allowed (Options.MaxLineBytes)
}

func newBlockReader(r io.Reader, delim byte, size int, carry []byte, line int) *blockReader {
	return &blockReader{r: r, delim: delim, size: size, carry: append([]byte(nil), carry...), line: line, max: DefaultMaxLineBytes}
}

func (b *blockReader) getBuf(n int) []byte {
	if v := b.pool.Get(); v != nil {
		buf := *(v.(*[]byte))
		if cap(buf) >= n {
			return buf[:0]
		}
	}
	return make([]byte, 0, n)
}

// release returns a block's memory for reuse.
func (b *blockReader) release(bl *block) {
	if bl.mem != nil {
		m := bl.mem[:0]
		b.pool.Put(&m)
		bl.mem = nil
	}
}

// next returns the next block, or nil at the end of the input.
func (b *blockReader) next() (*block, error) {
	if b.eof && len(b.carry) == 0 {
		return nil, nil
	}
	size := b.size
	for size < 2*len(b.carry) {
		size *= 2
	}
	buf := b.getBuf(size)
	buf = append(buf, b.carry...)
	for {
		if !b.eof {
			n, err := fill(b.r, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				b.eof = true
			} else if err != nil {
				return nil, err
			}
		}
		cut := len(buf)
		if !b.eof {
			cut = recordCut(buf, b.delim)
		} else if len(buf)-recordCut(buf, b.delim) > b.max {
			// The last record, without a line break, is over the limit.
			return nil, lineTooLong(b.file, b.line+bytes.Count(buf[:recordCut(buf, b.delim)], []byte{'\n'}), b.max)
		}
		if cut == 0 && !b.eof {
			// One record longer than the buffer: grow (up to the limit)
			// and read on.
			if len(buf) > b.max {
				return nil, lineTooLong(b.file, b.line, b.max)
			}
			nb := make([]byte, len(buf), min(2*cap(buf), b.max+1))
			copy(nb, buf)
			buf = nb
			continue
		}
		b.carry = append(b.carry[:0], buf[cut:]...)
		bl := &block{seq: b.seq, line: b.line, buf: buf[:cut], mem: buf}
		b.seq++
		b.line += bytes.Count(buf[:cut], []byte{'\n'})
		return bl, nil
	}
}

// fill reads into b until it is full or the reader fails; io.EOF means the
// input ended (unlike io.ReadFull, an io.ErrUnexpectedEOF from the reader,
// such as a truncated gzip stream, is passed on as an error).
func fill(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
