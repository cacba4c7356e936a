package read

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Messages quote at most this much of the input, so that a 16 MiB field or
// a header of ten million columns gives an error of a few hundred bytes.
const (
	maxQuoteBytes = 200 // bytes of a quoted value
	maxNameBytes  = 64  // bytes of one column name in a list
	maxListNames  = 20  // column names listed
)

// clip returns the longest prefix of s of at most n bytes that does not cut
// a UTF-8 sequence, and whether anything was cut.
func clip(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	cut := n
	for cut > 0 && cut > n-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut], true
}

// quoteValue quotes input text for a message (Go %q syntax): at most
// maxQuoteBytes, then "…" and the full length.
func quoteValue[T string | []byte](v T) string {
	s, cut := clip(string(v), maxQuoteBytes)
	q := strconv.Quote(s)
	if cut {
		q = q[:len(q)-1] + `…" (` + strconv.Itoa(len(v)) + " bytes)"
	}
	return q
}

// clipName shortens a column name for a message.
func clipName(s string) string {
	c, cut := clip(s, maxNameBytes)
	if cut {
		return c + "…"
	}
	return c
}

// listColumns lists header names for a message: the first maxListNames,
// each clipped, then how many there are in all.
func listColumns(header []string) string {
	n := min(len(header), maxListNames)
	names := make([]string, n)
	for i := range n {
		names[i] = clipName(header[i])
	}
	out := strings.Join(names, ", ")
	if len(header) > n {
		out += fmt.Sprintf(", … (%d columns in all)", len(header))
	}
	return out
}
