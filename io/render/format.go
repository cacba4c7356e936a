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
// exponent for ordinary magnitudes: strconv's 'f' (or, outside 1e-6..1e21,
// 'g') format with precision -1. Whole numbers and numbers of at most
// shortDecimals decimals (money) take a fast path (appendShort) that
// writes the same text.
func appendFloat(b []byte, v float64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	a := math.Abs(v)
	if a >= 1e-6 && a < 1e21 {
		if a < 1<<53 {
			if out, ok := appendShort(b, v); ok {
				return out
			}
		}
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// shortDecimals is the most decimals appendShort writes; shortScale is
// 10^shortDecimals (exact in float64). appendShort writes the decimals as
// two digit pairs: changing shortDecimals needs a change there.
const (
	shortDecimals = 4
	shortScale    = 1e4
)

var _ = [1]struct{}{}[shortDecimals-4] // appendShort writes exactly 4 decimals

// appendShort writes v (0 < |v| < 2^53) as strconv.AppendFloat(b, v, 'f',
// -1, 64) does when v is a whole number or its shortest round-trip decimal
// has at most shortDecimals decimals, and reports false otherwise.
//
// Why the text is the same: strconv writes the decimal with the fewest
// significant digits that parses back to v (ties between such decimals
// going to the nearest). Every whole number below 2^53 is a float64, so a
// whole v has no shorter decimal than its own digits. Otherwise the
// candidate m/10^4, m = round(v·10^4), is tested by dividing: m and 10^4
// are exact and the quotient is correctly rounded (half to even), exactly
// as parsing the decimal rounds, so the test holds if and only if the
// decimal parses back to v. With |v·10^4| < 2^50 the decimals that parse
// back to v span less than half a unit of 10^-4, so m is the only
// candidate with 4 decimals: a decimal with fewer decimals that parses
// back to v is m with its trailing zeros dropped, and if m fails, no
// decimal with at most 4 decimals parses back to v. Dropping m's trailing
// zeros leaves the fewest decimals, hence the fewest digits (all decimals
// near v share its leading digit: a power of ten near v that is not v
// parses to another float64).
func appendShort(b []byte, v float64) ([]byte, bool) {
	s := v * shortScale
	if math.Abs(s) >= 1<<50 {
		if v == math.Trunc(v) {
			return appendInt(b, int64(v)), true
		}
		return b, false
	}
	// A whole v lands here too: v·10^4 is then a whole number below 2^50,
	// exact in float64, so the test below holds and the decimals are zero.
	m := math.Round(s)
	if m/shortScale != v {
		return b, false
	}
	n := int64(m)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = appendUint(b, uint64(n)/shortScale) // the whole part, at least "0"
	frac := uint64(n) % shortScale
	if frac == 0 {
		return b, true
	}
	// The 4 decimals, zero-padded, without trailing zeros.
	hi, lo := 2*(frac/100), 2*(frac%100)
	d := [5]byte{'.', digitPairs[hi], digitPairs[hi+1], digitPairs[lo], digitPairs[lo+1]}
	k := len(d)
	for d[k-1] == '0' {
		k--
	}
	return append(b, d[:k]...), true
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
		return appendInt(b, c.Int(r))
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
	return append(b, c.String(r)...)
}
