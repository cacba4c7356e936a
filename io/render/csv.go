package render

import (
	"io"
	"math"
	"strconv"
	"unsafe"
)

// needsQuote reports whether s must be quoted in a CSV field: it holds a
// comma, a quote, a CR or an LF, or starts with a space or tab or ends
// with a space (readers that trim would lose them).
func needsQuote(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[0] == '\t' || s[len(s)-1] == ' ' {
		return true
	}
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if hasSpecial(load8(s, i)) {
			return true
		}
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// load8 reads s[i:i+8] as a little-endian word (the caller checks
// i+8 <= len(s)).
func load8(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// hasSpecial reports whether a byte of w is ',', '"', '\r' or '\n'. A byte
// equal to c is a zero byte of w^(c·0x01…01), and x has a zero byte if and
// only if (x − 0x01…01) &^ x & 0x80…80 is not zero.
func hasSpecial(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - ones) &^ x & highs }
	return zero(w^(','*ones))|zero(w^('"'*ones))|zero(w^('\r'*ones))|zero(w^('\n'*ones)) != 0
}

func appendCSVField(b []byte, s string) []byte {
	if !needsQuote(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// csvOp is how writeCSV formats a column, chosen once per table.
type csvOp uint8

const (
	csvString csvOp = iota // appendCSVField
	csvCoded               // the text of a level, quoted once per table
	csvInt                 // appendInt
	csvSmall               // appendUint of a byte
	csvFloat               // appendFloat through a floatMemo
	csvSame                // the values of an earlier column: copy its text
	csvOther               // dates, bools: cell
)

// csvCol is one column of a CSV plan.
type csvCol struct {
	op     csvOp
	same   int  // csvSame: the earlier column with the same values
	source bool // a later column copies this one's text
	null   []bool
	str    []string
	codes  []uint16
	levels [][]byte // csvCoded: each level as a CSV field
	ints   []int64
	small  []uint8
	floats []float64
	col    *Column
}

// csvPlan chooses how each column of t is written. A column whose values
// and null marks are the very same slices as an earlier column's (a
// deprecated copy under an old name) is written by copying that column's
// text in the row: the same values give the same text.
func csvPlan(t *Table) []csvCol {
	plan := make([]csvCol, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		p := csvCol{op: csvOther, null: c.Null, col: c}
		switch {
		case c.Kind == KindString && c.Levels != nil:
			p.op, p.codes = csvCoded, c.Codes
			p.levels = make([][]byte, len(c.Levels))
			for k, s := range c.Levels {
				p.levels[k] = appendCSVField(nil, s)
			}
		case c.Kind == KindString:
			p.op, p.str = csvString, c.Strings
		case c.Kind == KindInt && c.Small != nil:
			p.op, p.small = csvSmall, c.Small
		case c.Kind == KindInt:
			p.op, p.ints = csvInt, c.Ints
		case c.Kind == KindFloat:
			p.op, p.floats = csvFloat, c.Floats
		}
		for j := range i {
			if sameValues(c, &t.Columns[j]) {
				p.op, p.same = csvSame, j
				plan[j].source = true
				break
			}
		}
		plan[i] = p
	}
	return plan
}

// sameValues reports whether a and b hold the same backing arrays (values
// and null marks), so every row formats to the same text.
func sameValues(a, b *Column) bool {
	if a.Kind != b.Kind || a.Len() != b.Len() || a.Len() == 0 || !sameSlice(a.Null, b.Null) {
		return false
	}
	switch a.Kind {
	case KindString:
		return sameSlice(a.Strings, b.Strings) && sameSlice(a.Codes, b.Codes) && sameSlice(a.Levels, b.Levels)
	case KindInt:
		return sameSlice(a.Ints, b.Ints) && sameSlice(a.Small, b.Small)
	case KindFloat:
		return sameSlice(a.Floats, b.Floats)
	case KindDate:
		return sameSlice(a.Dates, b.Dates)
	case KindBool:
		return sameSlice(a.Bools, b.Bools)
	}
	return false
}

func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.SliceData(a) == unsafe.SliceData(b))
}

func writeCSV(w io.Writer, t *Table) error {
	var head []byte
	for i, c := range t.Columns {
		if i > 0 {
			head = append(head, ',')
		}
		head = appendCSVField(head, c.Name)
	}
	head = append(head, '\n')
	if _, err := w.Write(head); err != nil {
		return err
	}
	plan := csvPlan(t)
	return writeChunked(w, t.Rows(), func() func(b []byte, r int) []byte {
		// Each worker remembers the text of the float values it wrote,
		// per column: scores, weeks and money repeat.
		memo := make([]*floatMemo, len(plan))
		for i := range plan {
			if plan[i].op == csvFloat {
				memo[i] = new(floatMemo)
			}
		}
		// Where each column's text starts and ends in the current row.
		span := make([][2]int, len(plan))
		return func(b []byte, r int) []byte {
			for i := range plan {
				if i > 0 {
					b = append(b, ',')
				}
				p := &plan[i]
				start := len(b)
				if p.null != nil && p.null[r] {
					if p.source {
						span[i] = [2]int{start, start}
					}
					continue
				}
				switch p.op {
				case csvString:
					b = appendCSVField(b, p.str[r])
				case csvCoded:
					b = append(b, p.levels[p.codes[r]]...)
				case csvInt:
					if v := p.ints[r]; uint64(v) < 10 {
						b = append(b, byte('0'+v))
					} else {
						b = appendInt(b, v)
					}
				case csvSmall:
					if v := p.small[r]; v < 10 {
						b = append(b, '0'+v)
					} else {
						b = appendUint(b, uint64(v))
					}
				case csvFloat:
					b = memo[i].append(b, p.floats[r])
				case csvSame:
					s := span[p.same]
					b = append(b, b[s[0]:s[1]]...)
				default:
					b = cell(b, p.col, r, false)
				}
				if p.source {
					span[i] = [2]int{start, len(b)}
				}
			}
			return append(b, '\n')
		}
	})
}

// digitPairs holds "00".."99": two decimal digits per lookup.
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendInt appends v in decimal, as strconv.AppendInt(b, v, 10) does.
func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		return strconv.AppendInt(b, v, 10)
	}
	return appendUint(b, uint64(v))
}

// appendUint appends u in decimal, as strconv.AppendUint(b, u, 10) does.
func appendUint(b []byte, u uint64) []byte {
	if u < 10 {
		return append(b, byte('0'+u))
	}
	if u < 100 {
		return append(b, digitPairs[2*u], digitPairs[2*u+1])
	}
	var buf [20]byte
	i := len(buf)
	for u >= 100 {
		q := u / 100
		d := 2 * (u - 100*q)
		i -= 2
		buf[i], buf[i+1] = digitPairs[d], digitPairs[d+1]
		u = q
	}
	if u >= 10 {
		i -= 2
		buf[i], buf[i+1] = digitPairs[2*u], digitPairs[2*u+1]
	} else {
		i--
		buf[i] = byte('0' + u)
	}
	return append(b, buf[i:]...)
}

// floatMemo remembers the text appendFloat wrote for recently seen values
// (a small direct-mapped cache keyed by the value's bits). A column whose
// values rarely repeat (money summed over many purchases: most amounts are
// distinct) gains nothing from it: after floatMemoTrial values with fewer
// than one hit in floatMemoMinHits, the memo stops looking and formats
// directly. Either way the text is appendFloat's.
type floatMemo struct {
	bits       [floatMemoSize]uint64
	n          [floatMemoSize]uint8 // text length; 0 = empty entry
	text       [floatMemoSize][floatMemoText]byte
	tries, hit int
	off        bool
}

const (
	floatMemoSize    = 256
	floatMemoText    = 24 // longer texts are not remembered
	floatMemoTrial   = 4096
	floatMemoMinHits = 8 // one hit in 8 values pays for the lookups
)

// append appends appendFloat's text for v.
func (m *floatMemo) append(b []byte, v float64) []byte {
	if m.off {
		return appendFloat(b, v)
	}
	if m.tries++; m.tries == floatMemoTrial && m.hit*floatMemoMinHits < floatMemoTrial {
		m.off = true
	}
	bits := math.Float64bits(v)
	i := (bits * 0x9e3779b97f4a7c15) >> 56 // Fibonacci hashing: the top 8 bits
	if n := m.n[i]; n > 0 && m.bits[i] == bits {
		m.hit++
		return append(b, m.text[i][:n]...)
	}
	start := len(b)
	b = appendFloat(b, v)
	if n := len(b) - start; n <= floatMemoText {
		m.bits[i], m.n[i] = bits, uint8(n)
		copy(m.text[i][:], b[start:])
	}
	return b
}
