package read

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// stdRecords tokenizes input with encoding/csv (the reference semantics),
// up to and including the first error.
func stdRecords(input string, delim byte) (recs [][]string, errLine int) {
	r := csv.NewReader(strings.NewReader(input))
	r.Comma = rune(delim)
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, 0
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return recs, pe.Line
			}
			return recs, -1
		}
		recs = append(recs, rec)
	}
}

// ourRecords tokenizes input with the block reader (blocks of size bytes)
// and the tokenizer, up to and including the first error.
func ourRecords(input string, delim byte, size int) (recs [][]string, errLine int, err error) {
	br := newBlockReader(strings.NewReader(input), delim, size, nil, 1)
	var tk tokenizer
	tk.delim = delim
	var r record
	for {
		bl, err := br.next()
		if err != nil {
			return nil, 0, err
		}
		if bl == nil {
			return recs, 0, nil
		}
		tk.reset(bl.buf, bl.line)
		for tk.next(&r) {
			if r.err != nil {
				// errUnterminated is encoding/csv's ErrQuote at the end of input.
				return recs, r.errLine, nil
			}
			rec := make([]string, len(r.fields))
			for i, f := range r.fields {
				rec[i] = string(f)
			}
			recs = append(recs, rec)
		}
		if tk.pos != len(bl.buf) {
			return nil, 0, fmt.Errorf("block of %d bytes consumed only to %d", len(bl.buf), tk.pos)
		}
	}
}

func checkTokenizer(t *testing.T, input string, delim byte, size int) {
	t.Helper()
	want, wantLine := stdRecords(input, delim)
	got, gotLine, err := ourRecords(input, delim, size)
	if err != nil {
		t.Fatalf("input %q (block %d): %v", input, size, err)
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) || gotLine != wantLine {
		t.Fatalf("input %q (block %d):\n got %q error line %d\nwant %q error line %d", input, size, got, gotLine, want, wantLine)
	}
}

func TestTokenizerMatchesEncodingCSV(t *testing.T) {
	cases := []struct {
		name, input string
	}{
		{"plain", "a,b,c\n1,2,3\n"},
		{"no final newline", "a,b\n1,2"},
		{"crlf", "a,b\r\n1,2\r\n"},
		{"final cr", "a,b\r\n1,2\r"},
		{"empty lines", "\n\na,b\n\r\n\n1,2\n\n"},
		{"empty fields", ",,\n,\n"},
		{"lone cr inside", "a\rb,c\n"},
		{"double cr", "a,b\r\r\n"},
		{"quoted", "\"a\",\"b,c\"\n\"1\"\"x\",2\n"},
		{"quoted newline", "id,note\n1,\"two\nlines\"\n2,x\n"},
		{"quoted crlf", "id,note\r\n1,\"two\r\nlines\"\r\n2,x\r\n"},
		{"quoted empty", "\"\",\"\"\n"},
		{"quoted at eof", "a,\"b\""},
		{"quoted cr at eof", "a,\"b\"\r"},
		{"bare quote", "a,b\"c\nd,e\n"},
		{"space before quote", "a, \"b\"\n"},
		{"text after quote", "\"a\"x,b\n1,2\n"},
		{"unterminated", "a,\"b\nc\n"},
		{"unterminated crlf", "a,\"b\r\n"},
		{"unterminated then cr", "\"\n\r"},
		{"unterminated then text", "\"\nx"},
		{"quote then cr cr", "\"a\"\r\r\nb\n"},
		{"quoted field spanning many lines", "\"a\n\n\nb\",c\nd,e\n"},
		{"error then quoted", "\"a\"x,\"b\nc\"\nd\n"},
		{"only header", "a,b,c"},
		{"empty", ""},
		{"only newlines", "\n\r\n\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, size := range []int{1, 2, 3, 5, 8, 64, 4096} {
				checkTokenizer(t, c.input, ',', size)
			}
		})
	}
}

func TestRecordCutNeverSplitsQuotedRecords(t *testing.T) {
	var b bytes.Buffer
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "c%d,\"multi\nline %d, with \"\"quotes\"\"\",%d.5\n", i, i, i)
		fmt.Fprintf(&b, "c%d,plain,%d\r\n", i, i)
	}
	for _, size := range []int{7, 31, 100, 1000} {
		checkTokenizer(t, b.String(), ',', size)
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"a\nb\",c\r\n", "a\"b\n", "\"\"\"\",\n\n,", "x;y\r\n\"1;2\";3", "\r\r\n\"\r\n"} {
		f.Add(s, uint8(0), uint8(5))
	}
	f.Fuzz(func(t *testing.T, input string, d uint8, size uint8) {
		delim := []byte{',', ';', '\t', '|'}[d%4]
		checkTokenizer(t, input, delim, int(size)%64+1)
	})
}

// TestTokenizerWordScan: records without quotes, whose delimiters and line
// breaks fall at every offset of the eight-byte words nextPlain reads (and
// in the bytes after the last whole word), with empty fields, "\r\n" line
// ends and a final line without a break, match encoding/csv for each
// delimiter.
func TestTokenizerWordScan(t *testing.T) {
	for _, delim := range []byte{',', ';', '\t', '|'} {
		var b strings.Builder
		for n := 0; n < 300; n++ {
			fields := 1 + n%5
			for k := 0; k < fields; k++ {
				if k > 0 {
					b.WriteByte(delim)
				}
				b.WriteString(strings.Repeat("x", (n*7+k*3)%19))
			}
			switch n % 3 {
			case 0:
				b.WriteString("\r\n")
			case 1:
				b.WriteString("\n")
			default:
				b.WriteString("\n\n")
			}
		}
		b.WriteString("last" + string(delim) + "line")
		for _, size := range []int{1, 9, 64, 1 << 16} {
			checkTokenizer(t, b.String(), delim, size)
		}
	}
}
