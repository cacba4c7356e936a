package read

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// parquetFunc reads Parquet input (a file or a folder of files) into sink.
// It resolves the columns of each file with resolveColumns and hands every
// row to sink in file order. It is implemented in parquet.go.
type parquetFunc func(name string, spec *tableSpec, opt *Options, stats *Stats, sink rowSink) error

// parquetReader is set by parquet.go; nil means Parquet is not supported.
var parquetReader parquetFunc

// isParquet reports whether name is Parquet input: a .parquet file or a
// folder (of Parquet files).
func isParquet(name string) bool {
	if name == "-" {
		return false
	}
	if strings.HasSuffix(strings.ToLower(name), ".parquet") {
		return true
	}
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}

// textInput is an opened text input: a stream of UTF-8 bytes.
type textInput struct {
	name   string // for messages
	r      io.Reader
	utf8   bool  // the stream must be checked for valid UTF-8
	size   int64 // bytes of decoded text when known (plain files), else -1
	closer []io.Closer
}

func (t *textInput) Close() error {
	var first error
	for i := len(t.closer) - 1; i >= 0; i-- {
		if err := t.closer[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// progressReader reports the bytes read through it.
type progressReader struct {
	r     io.Reader
	fn    func(done, total int64)
	done  int64
	last  int64
	total int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.done-p.last >= 1<<20 || (err == io.EOF && p.done != p.last) {
		p.last = p.done
		p.fn(p.done, p.total)
	}
	return n, err
}

// openText opens name ("-" = opt.Stdin) and returns its decoded UTF-8 stream:
// gunzipped when the name ends in .gz or the content starts with the gzip
// magic bytes, and decoded from GBK/GB18030 when asked.
func openText(name string, opt *Options) (*textInput, error) {
	in := &textInput{name: name}
	var raw io.Reader
	total := int64(-1)
	if name == "-" {
		in.name = "stdin"
		if opt.Stdin == nil {
			return nil, errors.New("read stdin: no standard input")
		}
		raw = opt.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		in.closer = append(in.closer, f)
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			total = fi.Size()
		}
		raw = f
	}
	if opt.Progress != nil {
		raw = &progressReader{r: raw, fn: opt.Progress, total: total}
	}
	br := bufio.NewReaderSize(raw, 1<<16)
	magic, _ := br.Peek(2)
	var r io.Reader = br
	if strings.HasSuffix(strings.ToLower(name), ".gz") || (len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			in.Close()
			return nil, &Error{File: in.name, Msg: fmt.Sprintf("not a valid gzip file: %v", err)}
		}
		in.closer = append(in.closer, zr)
		r = zr
	}
	enc := strings.ToLower(opt.Encoding)
	if enc == "" {
		// Detect from the start of the text: UTF-8 (with or without a
		// BOM) when it is valid UTF-8, else GB18030 when it is valid
		// GB18030 (GBK is a subset), else UTF-8 (the rows that are not
		// valid UTF-8 are then reported with a hint).
		if r != io.Reader(br) {
			r = bufio.NewReaderSize(r, 1<<16)
		}
		sample, _ := r.(*bufio.Reader).Peek(1 << 16)
		var why string
		enc, why = detectEncoding(sample)
		if why != "" {
			opt.notef("%s: encoding %s (detected: %s; set it with --encoding)", in.name, enc, why)
		}
	}
	switch enc {
	case "utf-8", "utf8":
		in.utf8 = true
	case "gbk":
		r = &decodedText{r: transform.NewReader(r, simplifiedchinese.GBK.NewDecoder()), file: in.name, enc: "gbk", line: 1}
	case "gb18030":
		r = &decodedText{r: transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder()), file: in.name, enc: "gb18030", line: 1}
	default:
		in.Close()
		return nil, fmt.Errorf("unknown encoding %q (want utf-8, gbk or gb18030)", opt.Encoding)
	}
	in.r = r
	in.size = -1
	if r == io.Reader(br) {
		in.size = total
	}
	return in, nil
}

// detectEncoding picks the encoding of a text from its first bytes, and says
// why when the choice is not plain UTF-8 ("" for plain UTF-8).
func detectEncoding(sample []byte) (enc, why string) {
	// Judge whole lines only: the sample may end inside a character.
	if i := bytes.LastIndexByte(sample, '\n'); i >= 0 && i < len(sample)-1 {
		sample = sample[:i+1]
	}
	bom := bytes.HasPrefix(sample, []byte("\ufeff"))
	if validPrefix(sample) {
		if bom {
			return "utf-8", "UTF-8 with a byte-order mark"
		}
		return "utf-8", ""
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(sample)
	if err == nil && badDecoded(dec) < 0 && mostlyGB2312(sample) {
		return "gb18030", "not valid UTF-8, valid GB18030"
	}
	return "utf-8", ""
}

// mostlyGB2312 reports whether at least 90% of the multi-byte characters of
// b are in the GB2312 area (both bytes 0xA1–0xFE), as in Chinese text
// exported from Excel. Almost any byte soup is valid GB18030 (Latin-1
// "Müller" is: 0xFC 0x6C is a GBK character), so validity alone says little.
func mostlyGB2312(b []byte) bool {
	gb, other := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case i+1 < len(b) && c >= 0xa1 && c <= 0xf7 && b[i+1] >= 0xa1 && b[i+1] <= 0xfe:
			gb++
		default:
			other++
		}
		if i+1 < len(b) && b[i+1] >= 0x30 && b[i+1] <= 0x39 {
			i += 4 // a four-byte GB18030 sequence
		} else {
			i += 2
		}
	}
	return gb > 0 && 10*other <= gb+other
}

// validPrefix reports whether b is valid UTF-8 except for an incomplete
// character at its very end (a sample cut in the middle of one).
func validPrefix(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return !utf8.FullRune(b)
		}
		b = b[n:]
	}
	return true
}

// badDecoded returns the offset of the first replacement character (U+FFFD,
// what a decoder puts for bytes invalid in its encoding) or control
// character other than tab, CR and LF in decoded text; -1 when none.
func badDecoded(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\t' || c == '\n' || c == '\r':
		case c < 0x20 || c == 0x7f:
			return i
		case c == 0xef && i+2 < len(b) && b[i+1] == 0xbf && b[i+2] == 0xbd:
			return i
		}
	}
	return -1
}

// decodedText checks the text a GBK/GB18030 decoder produces: a replacement
// or control character means the bytes are not in that encoding (a UTF-8
// file read with --encoding gbk), which would garble every id; it stops the
// read with the line where it happens.
type decodedText struct {
	r    io.Reader
	file string
	enc  string
	line int // physical line at the start of the next byte
}

func (d *decodedText) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if i := badDecoded(p[:n]); i >= 0 {
		line := d.line + bytes.Count(p[:i], []byte{'\n'})
		return 0, &Error{File: d.file, Line: line, Msg: fmt.Sprintf("the text is not valid %s (--encoding %s gives replacement or control characters); is the file UTF-8?", strings.ToUpper(d.enc), d.enc)}
	}
	d.line += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}

// sniffDelimiter picks the most frequent of , TAB ; | outside quotes in the
// header line (ties and no candidate at all: comma).
func sniffDelimiter(header []byte) byte {
	counts := map[byte]int{}
	inQ := false
	for _, c := range header {
		switch c {
		case '"':
			inQ = !inQ
		case ',', '\t', ';', '|':
			if !inQ {
				counts[c]++
			}
		}
	}
	best, bestN := byte(','), 0
	for _, c := range []byte{',', '\t', ';', '|'} {
		if counts[c] > bestN {
			best, bestN = c, counts[c]
		}
	}
	return best
}
