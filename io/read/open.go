package read

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
	switch strings.ToLower(opt.Encoding) {
	case "", "utf-8", "utf8":
		in.utf8 = true
	case "gbk":
		r = transform.NewReader(r, simplifiedchinese.GBK.NewDecoder())
	case "gb18030":
		r = transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
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
