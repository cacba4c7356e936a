package read

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"
)

// readText reads a delimited text table into sink.
func readText(name string, spec *tableSpec, opt *Options, stats *Stats, sink rowSink) error {
	in, err := openText(name, opt)
	if err != nil {
		return err
	}
	defer in.Close()
	file := in.name
	br := bufio.NewReaderSize(in.r, 1<<20)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3) //nolint:errcheck // peeked
	}
	delim := byte(opt.Delimiter)
	if opt.Delimiter == 0 {
		head, _ := br.Peek(1 << 16)
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			head = head[:i]
		}
		delim = sniffDelimiter(head)
	}
	cr := csv.NewReader(br)
	cr.Comma = rune(delim)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err == io.EOF {
		return &Error{File: file, Msg: errEmpty.Error()}
	}
	if err != nil {
		return csvError(file, err)
	}
	header := append([]string(nil), rec...)
	cols, err := resolveColumns(file, header, spec, opt, stats)
	if err != nil {
		return err
	}
	if err := sink.begin(file, cols); err != nil {
		return err
	}
	rej := sinkRejecter(sink)
	cells := make([]cell, len(spec.cols))
	attrs := make([][]byte, len(cols.attrs))
	var raw []byte
	for {
		rec, err = cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		raw = raw[:0]
		for i, f := range rec {
			if i > 0 {
				raw = append(raw, delim)
			}
			raw = append(raw, f...)
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			if e := rej.bad(csvError(file, err).(*Error), raw); e != nil {
				return e
			}
			continue
		}
		if in.utf8 && !utf8.Valid(raw) {
			if e := rej.bad(&Error{File: file, Line: line, Msg: "invalid UTF-8 text; is the file GBK? try --encoding gbk"}, raw); e != nil {
				return e
			}
			continue
		}
		if len(rec) != len(header) {
			if len(rec) == 1 && rec[0] == "" {
				continue // blank line
			}
			if e := rej.bad(fieldCountError(file, line, len(header), len(rec)), raw); e != nil {
				return e
			}
			continue
		}
		for i, p := range cols.index {
			if p < 0 {
				cells[i] = cell{null: true}
			} else {
				cells[i] = cell{text: []byte(rec[p])}
			}
		}
		for k, p := range cols.attrs {
			attrs[k] = []byte(rec[p])
		}
		if err := sink.row(line, cells, attrs, raw); err != nil {
			return err
		}
	}
	return nil
}

func fieldCountError(file string, line, want, got int) *Error {
	return fileError(file, line, "expected %d fields, found %d", want, got)
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return err
}

// sinkRejecter returns the rejecter of a sink.
func sinkRejecter(s rowSink) *rejecter {
	switch s := s.(type) {
	case *txSink:
		return s.rej
	case *subSink:
		return s.rej
	case *sumSink:
		return s.rej
	}
	panic("read: unknown sink")
}
