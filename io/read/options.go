package read

import (
	"fmt"
	"io"
)

// Options controls how an input is read. The zero value reads a UTF-8 CSV
// with auto-detected delimiter, columns and date format, and stops at the
// first bad row.
type Options struct {
	// CustomerCol, DateCol, AmountCol, ActivationCol and ChurnCol name the
	// columns to use; "" means auto-detect from common names.
	CustomerCol, DateCol, AmountCol, ActivationCol, ChurnCol string
	// Delimiter is the field separator; 0 sniffs , TAB ; | from the header.
	Delimiter rune
	// Encoding is "", "utf-8", "gbk" or "gb18030".
	Encoding string
	// DateFormat is a Go time layout; "" accepts 2006-01-02, 20060102,
	// 2006/01/02, RFC 3339, 2006-01 (first day of the month), and 2006-1-2,
	// 2006/1/2, 2006.1.2, 2006年1月2日 with or without zero padding.
	DateFormat string
	// MaxErrors is the number of bad rows tolerated (0 = the first bad row
	// stops the read).
	MaxErrors int
	// Rejects receives the rejected rows as CSV (line, reason, raw); nil
	// discards them.
	Rejects io.Writer
	// Dedupe drops exact duplicate rows (counted in Stats.Duplicates).
	Dedupe bool
	// Stdin is read when the name is "-".
	Stdin io.Reader
	// Progress is called with bytes done and the total (-1 when unknown).
	Progress func(done, total int64)
	// RowProgress, when set, is called now and then (once per block of
	// rows) with the rows of the current pass read so far; a second pass of
	// Accumulate starts again from 0, as does Progress.
	RowProgress func(rows int64)
	// Notes receives informational notes such as auto-detected columns.
	Notes io.Writer
	// Workers is the number of parsing goroutines (0 = GOMAXPROCS).
	Workers int
	// MaxLineBytes bounds a record of a text input (and so each of its
	// fields): a longer one stops the read with an error at its line, after
	// reading at most this much of it. 0 means DefaultMaxLineBytes.
	MaxLineBytes int

	// blockSize, when set, replaces the package's text block size (the
	// streaming read uses smaller blocks: fewer rows in flight).
	blockSize int
}

// DefaultMaxLineBytes is the default Options.MaxLineBytes: 16 MiB, far
// above any real record, far below what a file without line breaks (a
// binary file, a quote that never closes) would make the reader hold.
const DefaultMaxLineBytes = 16 << 20

// maxLine returns the effective record limit.
func (o *Options) maxLine() int {
	if o.MaxLineBytes > 0 {
		return o.MaxLineBytes
	}
	return DefaultMaxLineBytes
}

// lineTooLong is the error of a record over the limit starting at line.
func lineTooLong(file string, line, limit int) *Error {
	e := fileError(file, line, "record longer than %s (--max-line-bytes %d): a binary file, a missing line break or a quote that never closes?", byteSize(limit), limit)
	e.fatal = true
	return e
}

// byteSize formats n as "16 MiB", "512 KiB" or "100 bytes".
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Stats counts what a read did. Rows = Accepted + Rejected always;
// Duplicates (with Options.Dedupe) are accepted rows that were then dropped.
// Columns maps each role ("customer", "date", "amount", "activation",
// "churn", ...) to the header name used for it.
type Stats struct {
	File       string
	Rows       int64
	Accepted   int64
	Rejected   int64
	Duplicates int64
	Columns    map[string]string
}

// String returns "read R rows: accepted A, rejected J" (plus the dropped
// duplicates when there were any).
func (s Stats) String() string {
	msg := fmt.Sprintf("read %d rows: accepted %d, rejected %d", s.Rows, s.Accepted, s.Rejected)
	if s.Duplicates > 0 {
		msg += fmt.Sprintf("; dropped %d exact duplicate rows", s.Duplicates)
	}
	return msg
}

func (o *Options) notef(format string, args ...any) {
	if o.Notes != nil {
		fmt.Fprintf(o.Notes, format+"\n", args...)
	}
}
