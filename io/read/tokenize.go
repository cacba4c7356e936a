package read

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
)

// Tokenizing follows encoding/csv (Comma = delim, FieldsPerRecord = -1,
// LazyQuotes = false) exactly on well-formed input: "\r\n" ends a line like
// "\n", a trailing "\r" at the end of input is dropped, empty lines are
// skipped, a field that starts with a double quote is quoted (a doubled quote
// inside stands for one quote, delimiters and line breaks are literal), and
// a quote inside an unquoted field is an error. After a malformed record the
// tokenizer resumes at the next physical line, as encoding/csv does.

// Errors of malformed quoting, with encoding/csv's wording.
var (
	errBareQuote = errors.New("bare \" in non-quoted field")
	errQuote     = errors.New("extraneous or missing \" in quoted field")
	// errUnterminated is errQuote at the end of the input: a quoted field
	// that is never closed. It is reported at the line the record starts.
	errUnterminated = errors.New("quoted field is never closed (missing \")")
)

// record is one tokenized record of a block.
type record struct {
	fields  [][]byte // field contents (may point into the block or the tokenizer's scratch)
	line    int      // physical line where the record starts
	raw     []byte   // the record's text without its line break
	err     error    // errBareQuote or errQuote
	errLine int      // physical line of the error
}

// tokenizer splits a block of complete records.
type tokenizer struct {
	delim   byte
	quoted  bool // the block contains a double quote: use the RFC 4180 path
	buf     []byte
	pos     int
	line    int // physical line at pos
	fields  [][]byte
	scratch []byte
	ends    []int // field end offsets into scratch (quoted path)
}

// reset points the tokenizer at a block whose first byte starts line line.
func (t *tokenizer) reset(buf []byte, line int) {
	t.buf, t.pos, t.line = buf, 0, line
	t.quoted = bytes.IndexByte(buf, '"') >= 0
}

// skipEmpty skips empty lines (as encoding/csv does) and reports whether a
// record follows.
func (t *tokenizer) skipEmpty() bool {
	buf := t.buf
	for t.pos < len(buf) {
		switch buf[t.pos] {
		case '\n':
			t.pos++
			t.line++
			continue
		case '\r':
			if t.pos+1 == len(buf) {
				t.pos++
				return false
			}
			if buf[t.pos+1] == '\n' {
				t.pos += 2
				t.line++
				continue
			}
		}
		return true
	}
	return false
}

// next tokenizes the next record into r; false at the end of the block.
func (t *tokenizer) next(r *record) bool {
	if !t.skipEmpty() {
		return false
	}
	if t.quoted {
		t.nextQuoted(r)
	} else {
		t.nextPlain(r)
	}
	return true
}

// nextPlain handles a record of a block without any quote. It looks for
// the delimiters and the line break eight bytes at a time (most fields
// are shorter than a call to bytes.IndexByte costs).
func (t *tokenizer) nextPlain(r *record) {
	if t.delim == '\r' || t.delim == '\n' {
		t.nextPlainBytes(r)
		return
	}
	buf := t.buf[t.pos:]
	f := t.fields[:0]
	start := 0 // of the current field
	end := -1  // of the line: the index of its '\n'
	i := 0
	dm := uint64(t.delim) * 0x0101010101010101
	const nl = '\n' * 0x0101010101010101
	for ; i+8 <= len(buf); i += 8 {
		x := binary.LittleEndian.Uint64(buf[i:])
		md := zeroBytes(x ^ dm)
		mn := zeroBytes(x ^ nl)
		if mn != 0 {
			md &= mn&-mn - 1 // the delimiters before the line break
		}
		for md != 0 {
			k := i + bits.TrailingZeros64(md)>>3
			md &= md - 1
			f = append(f, buf[start:k])
			start = k + 1
		}
		if mn != 0 {
			end = i + bits.TrailingZeros64(mn)>>3
			break
		}
	}
	if end < 0 {
		for ; i < len(buf); i++ {
			if c := buf[i]; c == '\n' {
				end = i
				break
			} else if c == t.delim {
				f = append(f, buf[start:i])
				start = i + 1
			}
		}
	}
	line, next := cutLine(buf, end)
	f = append(f, buf[start:len(line)])
	r.line, r.raw, r.err = t.line, line, nil
	t.fields, r.fields = f, f
	t.pos += next
	if end >= 0 {
		t.line++
	}
}

// cutLine returns the record of buf that ends at the line break at end
// (-1: none, the record is the rest of buf), without a final '\r' (part of
// the line break, not of the last field), and where the next one starts.
func cutLine(buf []byte, end int) (line []byte, next int) {
	if end < 0 {
		line, next = buf, len(buf)
	} else {
		line, next = buf[:end], end+1
	}
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, next
}

// zeroBytes returns x with the high bit of each zero byte set and every
// other bit clear.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	return ^((x&low7 + low7) | x | low7)
}

// nextPlainBytes is nextPlain for a delimiter that is a line-break byte.
func (t *tokenizer) nextPlainBytes(r *record) {
	buf := t.buf[t.pos:]
	end := bytes.IndexByte(buf, '\n')
	line, next := cutLine(buf, end)
	r.line, r.raw, r.err = t.line, line, nil
	f := t.fields[:0]
	for {
		i := bytes.IndexByte(line, t.delim)
		if i < 0 {
			f = append(f, line)
			break
		}
		f = append(f, line[:i])
		line = line[i+1:]
	}
	t.fields, r.fields = f, f
	t.pos += next
	if end >= 0 {
		t.line++
	}
}

// nextQuoted handles a record of a block that contains quotes, following
// encoding/csv's readRecord.
func (t *tokenizer) nextQuoted(r *record) {
	buf := t.buf
	n := len(buf)
	p := t.pos
	start := p
	r.line, r.err = t.line, nil
	t.scratch = t.scratch[:0]
	t.ends = t.ends[:0]
	// lineEnd returns the index of the '\n' ending the physical line at q, or n.
	lineEnd := func(q int) int {
		if i := bytes.IndexByte(buf[q:], '\n'); i >= 0 {
			return q + i
		}
		return n
	}
	fail := func(err error, q int) {
		// Resume after the current physical line.
		e := lineEnd(q)
		r.err, r.errLine = err, t.line
		r.raw = trimCR(buf[start:e], e == n)
		if e < n {
			e++
			t.line++
		}
		t.pos = e
	}
	for {
		if p < n && buf[p] == '"' {
			// Quoted field.
			p++
			for {
				i := bytes.IndexByte(buf[p:], '"')
				if i < 0 {
					// No closing quote before the end of input.
					t.appendQuoted(buf[p:n], true)
					r.err, r.errLine = errUnterminated, t.line
					// encoding/csv reports the last non-empty line: not a
					// final empty (or lone "\r") line after a line break.
					if nl := bytes.LastIndexByte(buf, '\n'); nl >= p && (nl == n-1 || (nl == n-2 && buf[n-1] == '\r')) {
						r.errLine--
					}
					r.raw = trimCR(buf[start:n], true)
					t.pos = n
					t.finish(r)
					return
				}
				t.appendQuoted(buf[p:p+i], false)
				p += i + 1
				switch {
				case p < n && buf[p] == '"':
					t.scratch = append(t.scratch, '"')
					p++
					continue
				case p < n && buf[p] == t.delim:
					t.ends = append(t.ends, len(t.scratch))
					p++
				case p == n || buf[p] == '\n' || (buf[p] == '\r' && (p+1 == n || buf[p+1] == '\n')):
					t.ends = append(t.ends, len(t.scratch))
					t.endRecord(r, start, p)
					return
				default:
					fail(errQuote, p)
					return
				}
				break
			}
			continue
		}
		// Unquoted field: up to the next delimiter or line end.
		e := p
		for e < n && buf[e] != t.delim && buf[e] != '\n' {
			e++
		}
		field := buf[p:e]
		atEnd := e == n || buf[e] == '\n'
		if atEnd {
			field = trimCR(field, e == n || (len(field) > 0 && field[len(field)-1] == '\r'))
		}
		if bytes.IndexByte(field, '"') >= 0 {
			fail(errBareQuote, p)
			return
		}
		t.scratch = append(t.scratch, field...)
		t.ends = append(t.ends, len(t.scratch))
		if atEnd {
			t.endRecord(r, start, e)
			return
		}
		p = e + 1
	}
}

// appendQuoted appends the content of a quoted field up to a quote,
// normalizing "\r\n" to "\n" and counting lines (atEOF: a final "\r" is
// dropped, as encoding/csv drops it before the end of input).
func (t *tokenizer) appendQuoted(b []byte, atEOF bool) {
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if atEOF && len(b) > 0 && b[len(b)-1] == '\r' {
				b = b[:len(b)-1]
			}
			t.scratch = append(t.scratch, b...)
			return
		}
		seg := b[:i]
		if len(seg) > 0 && seg[len(seg)-1] == '\r' {
			seg = seg[:len(seg)-1]
		}
		t.scratch = append(t.scratch, seg...)
		t.scratch = append(t.scratch, '\n')
		t.line++
		b = b[i+1:]
	}
}

// endRecord finishes a well-formed record whose last field ends at e (the
// line break, a "\r" before it, or the end of the block).
func (t *tokenizer) endRecord(r *record, start, e int) {
	buf := t.buf
	n := len(buf)
	for e < n && buf[e] == '\r' && (e+1 == n || buf[e+1] == '\n') {
		e++
	}
	r.raw = trimCR(buf[start:e], true)
	if e < n && buf[e] == '\n' {
		e++
		t.line++
	}
	t.pos = e
	t.finish(r)
}

// finish builds the field slices from scratch.
func (t *tokenizer) finish(r *record) {
	f := t.fields[:0]
	s := 0
	for _, e := range t.ends {
		f = append(f, t.scratch[s:e:e])
		s = e
	}
	t.fields, r.fields = f, f
}

// trimCR drops one trailing "\r" when drop is true.
func trimCR(b []byte, drop bool) []byte {
	if drop && len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// recordCut returns the length of the longest prefix of buf that holds only
// complete records (ending in a line break outside quotes), tracking quote
// state the way the tokenizer does, including its resumption at the next
// line after malformed quoting. buf must start at a record boundary.
func recordCut(buf []byte, delim byte) int {
	if bytes.IndexByte(buf, '"') < 0 {
		return bytes.LastIndexByte(buf, '\n') + 1
	}
	n := len(buf)
	last := 0
	fieldStart := true
	for p := 0; p < n; p++ {
		c := buf[p]
		switch {
		case c == '\n':
			last = p + 1
			fieldStart = true
		case c == delim:
			fieldStart = true
		case c == '"' && !fieldStart:
			// Bare quote: the tokenizer resumes after this physical line.
			i := bytes.IndexByte(buf[p:], '\n')
			if i < 0 {
				return last
			}
			p += i
			last = p + 1
			fieldStart = true
		case c == '"':
			// Quoted field: find its closing quote.
			q := p + 1
			for {
				i := bytes.IndexByte(buf[q:], '"')
				if i < 0 {
					return last
				}
				q += i + 1
				if q < n && buf[q] == '"' {
					q++
					continue
				}
				break
			}
			if q >= n {
				return last
			}
			switch {
			case buf[q] == delim:
				p = q
				fieldStart = true
			case buf[q] == '\n':
				p = q
				last = q + 1
				fieldStart = true
			case buf[q] == '\r' && q+1 < n && buf[q+1] == '\n':
				p = q + 1
				last = q + 2
				fieldStart = true
			case buf[q] == '\r' && q+1 == n:
				return last
			default:
				// Malformed: the tokenizer resumes after this physical line.
				i := bytes.IndexByte(buf[q:], '\n')
				if i < 0 {
					return last
				}
				p = q + i
				last = p + 1
				fieldStart = true
			}
		default:
			fieldStart = false
		}
	}
	return last
}
