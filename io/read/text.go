package read

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// blockSize is the size of the blocks a text input is cut into.
var blockSize = 4 << 20

// textTable is an opened text table: its header and a block reader
// positioned after the header.
type textTable struct {
	in     *textInput
	file   string
	delim  byte
	header []string
	blocks *blockReader
}

// openTable opens a text input and reads its header line.
func openTable(name string, opt *Options) (*textTable, error) {
	in, err := openText(name, opt)
	if err != nil {
		return nil, err
	}
	t := &textTable{in: in, file: in.name}
	// Read enough for the header record.
	head := make([]byte, 0, 64<<10)
	eof := false
	cut := 0
	for {
		n, err := fill(in.r, head[len(head):cap(head)])
		head = head[:len(head)+n]
		if err == io.EOF {
			eof = true
		} else if err != nil {
			in.Close()
			return nil, readError(t.file, err)
		}
		head = bytes.TrimPrefix(head, []byte("\ufeff"))
		delim := byte(opt.Delimiter)
		if opt.Delimiter == 0 {
			first := head
			if i := bytes.IndexByte(first, '\n'); i >= 0 {
				first = first[:i]
			}
			delim = sniffDelimiter(first)
		}
		t.delim = delim
		// The header is the first non-empty record.
		cut = firstRecordEnd(head, delim, eof)
		if cut > 0 || eof {
			break
		}
		if len(head) > opt.maxLine() {
			in.Close()
			return nil, lineTooLong(t.file, 1, opt.maxLine())
		}
		nh := make([]byte, len(head), min(2*cap(head), opt.maxLine()+1))
		copy(nh, head)
		head = nh
	}
	if opt.Delimiter > 0x7f || opt.Delimiter == '"' || opt.Delimiter == '\n' || opt.Delimiter == '\r' {
		in.Close()
		return nil, fmt.Errorf("invalid delimiter %q (want a single ASCII character other than a quote or line break)", opt.Delimiter)
	}
	var tk tokenizer
	tk.delim = t.delim
	tk.reset(head[:cut], 1)
	var r record
	if cut == 0 || !tk.next(&r) {
		in.Close()
		return nil, &Error{File: t.file, Msg: errEmpty.Error()}
	}
	if len(r.raw) > opt.maxLine() {
		in.Close()
		return nil, lineTooLong(t.file, r.line, opt.maxLine())
	}
	if r.err != nil {
		in.Close()
		return nil, &Error{File: t.file, Line: r.errLine, Msg: "header: " + r.err.Error()}
	}
	if in.utf8 && !utf8.Valid(r.raw) {
		in.Close()
		return nil, &Error{File: t.file, Line: r.line, Msg: "header: invalid UTF-8 text; if the file comes from Chinese Excel, try --encoding gbk"}
	}
	t.header = make([]string, len(r.fields))
	for i, f := range r.fields {
		t.header[i] = string(trimSpace(f))
	}
	size := blockSize
	if opt.blockSize > 0 {
		size = opt.blockSize
	}
	if in.size >= 0 && in.size < int64(size) {
		size = max(int(in.size), 4<<10)
	}
	t.blocks = newBlockReader(in.r, t.delim, size, head[cut:], tk.line)
	t.blocks.file, t.blocks.max = t.file, opt.maxLine()
	if eof {
		t.blocks.eof = true
	}
	return t, nil
}

// firstRecordEnd returns the end of the first non-empty record of head
// (including its line break), or 0 when it is not complete yet.
func firstRecordEnd(head []byte, delim byte, eof bool) int {
	var tk tokenizer
	tk.delim = delim
	cut := recordCut(head, delim)
	if eof {
		cut = len(head)
	}
	tk.reset(head[:cut], 1)
	var r record
	if !tk.next(&r) {
		if eof {
			return len(head)
		}
		return 0
	}
	return tk.pos
}

// readText reads a delimited text table into sink, sequentially.
func readText(name string, spec *tableSpec, opt *Options, stats *Stats, sink rowSink) error {
	t, err := openTable(name, opt)
	if err != nil {
		return err
	}
	defer t.in.Close()
	cols, err := resolveColumns(t.file, t.header, spec, opt, stats)
	if err != nil {
		return err
	}
	if err := sink.begin(t.file, cols); err != nil {
		return err
	}
	rej := sink.rejects()
	cells := make([]cell, len(spec.cols))
	attrs := make([][]byte, len(cols.attrs))
	width := len(t.header)
	var tk tokenizer
	tk.delim = t.delim
	var r record
	for {
		bl, err := t.blocks.next()
		if err != nil {
			return readError(t.file, err)
		}
		if bl == nil {
			return nil
		}
		tk.reset(bl.buf, bl.line)
		valid := !t.in.utf8 || utf8.Valid(bl.buf)
		for tk.next(&r) {
			if e := checkRecord(t.file, &r, width, valid, opt.maxLine()); e != nil {
				if err := rej.bad(e, r.raw); err != nil {
					return err
				}
				continue
			}
			for i, p := range cols.index {
				if p < 0 {
					cells[i] = cell{null: true}
				} else {
					cells[i] = cell{text: r.fields[p]}
				}
			}
			for k, p := range cols.attrs {
				attrs[k] = r.fields[p]
			}
			if err := sink.row(r.line, cells, attrs, r.raw); err != nil {
				return err
			}
		}
		t.blocks.release(bl)
		if opt.RowProgress != nil {
			opt.RowProgress(stats.Rows)
		}
	}
}

// checkRecord returns the error of a malformed record: bad quoting, invalid
// UTF-8 (checked only when the block as a whole is not valid), or a wrong
// number of fields; or a record over the length limit (fatal: not a
// rejectable row).
func checkRecord(file string, r *record, width int, blockValid bool, maxLine int) *Error {
	if len(r.raw) > maxLine {
		return lineTooLong(file, r.line, maxLine)
	}
	if r.err == errUnterminated {
		return &Error{File: file, Line: r.line, Msg: r.err.Error()}
	}
	if r.err != nil {
		return &Error{File: file, Line: r.errLine, Msg: r.err.Error()}
	}
	if !blockValid && !utf8.Valid(r.raw) {
		return &Error{File: file, Line: r.line, Msg: "invalid UTF-8 text; if the file comes from Chinese Excel, try --encoding gbk"}
	}
	if len(r.fields) != width {
		return fieldCountError(file, r.line, width, len(r.fields))
	}
	return nil
}

func fieldCountError(file string, line, want, got int) *Error {
	return fileError(file, line, "expected %d fields (as in the header), found %d", want, got)
}

// readError describes a failure to read the input stream. A gzip stream
// that ends early or fails its checksum is bad input (exit code 1 with a
// clear message), not an I/O failure.
func readError(file string, err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{File: file, Msg: "the data ends unexpectedly (truncated .gz file?)"}
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return &Error{File: file, Msg: fmt.Sprintf("corrupt gzip data: %v", err)}
	}
	return fmt.Errorf("read %s: %w", file, err)
}
