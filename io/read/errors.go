package read

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadInput is wrapped by every error caused by the content of an input
// file (as opposed to a failure to open or read it).
var ErrBadInput = errors.New("bad input")

// Error describes a problem at a place in an input file. Line is the
// physical line (1 = header) for text files, or the row number for Parquet;
// 0 when the problem concerns the whole file. Column is the header name of
// the offending column and Value the offending text, when they apply.
type Error struct {
	File   string
	Line   int
	Column string
	Value  string
	Msg    string
	// fatal marks an error that stops the read even within --max-errors
	// (a record over the length limit: the input is not a table).
	fatal bool
}

// Error formats the error as FILE:LINE: column "NAME": MSG.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	b.WriteString(e.reason())
	return b.String()
}

// reason is the message without the file and line.
func (e *Error) reason() string {
	if e.Column == "" {
		return e.Msg
	}
	return fmt.Sprintf("column %s: %s", quoteValue(clipName(e.Column)), e.Msg)
}

// Unwrap makes errors.Is(err, ErrBadInput) true.
func (e *Error) Unwrap() error { return ErrBadInput }

func fileError(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}
