package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
)

// Format is an output format.
type Format string

// Output formats.
const (
	FormatTable    Format = "table"
	FormatCSV      Format = "csv"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
	FormatParquet  Format = "parquet"
)

// ParseFormat parses a --format value.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "table", "csv", "json", "markdown", "parquet":
		return Format(s), nil
	case "md":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown format %q (want table, csv, json, markdown or parquet)", s)
}

// appendFloat appends v with the fewest digits that round-trip, without an
// exponent for ordinary magnitudes.
func appendFloat(b []byte, v float64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	a := math.Abs(v)
	if a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// humanFloat rounds v for a terminal: digits decimals when set, otherwise
// integers as integers and other values to 4 decimals (or 4 significant
// digits when smaller than 0.01).
func humanFloat(v float64, digits int) string {
	s := roundedFloat(v, digits)
	// A value that rounds to zero prints as 0, never as -0 or -0.00.
	if s[0] == '-' && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

func roundedFloat(v float64, digits int) string {
	if digits > 0 {
		return strconv.FormatFloat(v, 'f', digits, 64)
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	a := math.Abs(v)
	if a < 0.01 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	// trim trailing zeros of the fraction
	i := len(s)
	for i > 0 && s[i-1] == '0' {
		i--
	}
	if i > 0 && s[i-1] == '.' {
		i--
	}
	return s[:i]
}

// cell formats row r of column c as text; human selects terminal rounding.
func cell(b []byte, c *Column, r int, human bool) []byte {
	if c.IsNull(r) {
		return b
	}
	switch c.Kind {
	case KindInt:
		return strconv.AppendInt(b, c.Ints[r], 10)
	case KindFloat:
		if human {
			return append(b, humanFloat(c.Floats[r], c.Digits)...)
		}
		return appendFloat(b, c.Floats[r])
	case KindDate:
		if c.Dates[r] == dataset.NoDay {
			return b
		}
		return c.Dates[r].AppendISO(b)
	case KindBool:
		return strconv.AppendBool(b, c.Bools[r])
	}
	return append(b, c.Strings[r]...)
}
