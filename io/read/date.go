package read

import (
	"time"

	"github.com/clvkit/clv/clv/dataset"
)

// dateStatus says why a date did not parse.
type dateStatus uint8

const (
	dateOK         dateStatus = iota
	dateEmpty                 // nothing but spaces
	dateSyntax                // not in an accepted format
	dateImpossible            // right shape, but no such calendar day (2024-02-30)
)

// dateParser converts date text to a Day, with hand-written fast paths for
// the automatic formats and time.Parse for an explicit layout.
type dateParser struct {
	layout string // "" = automatic formats
}

// parse converts b (surrounding spaces allowed) to a Day.
func (p dateParser) parse(b []byte) (dataset.Day, dateStatus) {
	b = trimSpace(b)
	if len(b) == 0 {
		return dataset.NoDay, dateEmpty
	}
	if p.layout != "" {
		t, err := time.Parse(p.layout, string(b))
		if err != nil {
			if isRangeError(err) {
				return dataset.NoDay, dateImpossible
			}
			return dataset.NoDay, dateSyntax
		}
		y, m, d := t.Date()
		if !dataset.ValidCivil(y, int(m), d) {
			return dataset.NoDay, dateImpossible
		}
		return dataset.Civil(y, int(m), d), dateOK
	}
	return parseAutoDate(b)
}

// isRangeError reports a time.Parse error about an out-of-range field
// ("day out of range", "month out of range"), which means the text had the
// right shape but names no real day.
func isRangeError(err error) bool {
	pe, ok := err.(*time.ParseError)
	return ok && len(pe.Message) > 0 && contains(pe.Message, "out of range")
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// digits returns the value of the decimal digits b[i:j] and whether they
// all are digits.
func digits(b []byte, i, j int) (int, bool) {
	v := 0
	for ; i < j; i++ {
		c := b[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int(c)
	}
	return v, true
}

// civil validates and converts y-m-d.
func civil(y, m, d int) (dataset.Day, dateStatus) {
	if !dataset.ValidCivil(y, m, d) {
		return dataset.NoDay, dateImpossible
	}
	return dataset.Civil(y, m, d), dateOK
}

// parseAutoDate accepts 2006-01-02, 2006/01/02, 20060102, 2006-01, 2006/01,
// 200601 (bill months, read as their first day) and RFC
// 3339 timestamps (2006-01-02T15:04:05Z07:00, also with a space for the T,
// fractional seconds, or no zone), using the calendar date as written. The
// fixed-width forms are tried first; anything else goes to parseLooseDate
// (2006-1-2, 2006/1/2, 2006.1.2, 2006年1月2日 and their zero-padded forms).
func parseAutoDate(b []byte) (dataset.Day, dateStatus) {
	switch len(b) {
	case 10:
		if (b[4] == '-' && b[7] == '-') || (b[4] == '/' && b[7] == '/') {
			y, ok1 := digits(b, 0, 4)
			m, ok2 := digits(b, 5, 7)
			d, ok3 := digits(b, 8, 10)
			if ok1 && ok2 && ok3 {
				return civil(y, m, d)
			}
		}
		return parseLooseDate(b)
	case 8:
		y, ok1 := digits(b, 0, 4)
		m, ok2 := digits(b, 4, 6)
		d, ok3 := digits(b, 6, 8)
		if ok1 && ok2 && ok3 {
			return civil(y, m, d)
		}
		return parseLooseDate(b)
	case 6:
		// 200601: a bill month (账期) as Chinese billing exports write it,
		// read as its first day.
		y, ok1 := digits(b, 0, 4)
		m, ok2 := digits(b, 4, 6)
		if ok1 && ok2 {
			return civil(y, m, 1)
		}
		return dataset.NoDay, dateSyntax
	case 7:
		if b[4] == '-' || b[4] == '/' {
			y, ok1 := digits(b, 0, 4)
			m, ok2 := digits(b, 5, 7)
			if ok1 && ok2 {
				return civil(y, m, 1)
			}
		}
		return dataset.NoDay, dateSyntax
	}
	if len(b) > 10 && b[4] == '-' && b[7] == '-' && (b[10] == 'T' || b[10] == 't' || b[10] == ' ') {
		y, ok1 := digits(b, 0, 4)
		m, ok2 := digits(b, 5, 7)
		d, ok3 := digits(b, 8, 10)
		if !ok1 || !ok2 || !ok3 {
			return dataset.NoDay, dateSyntax
		}
		if !validClock(b[11:]) {
			return dataset.NoDay, dateSyntax
		}
		return civil(y, m, d)
	}
	return parseLooseDate(b)
}

// The Chinese date markers 年 (year), 月 (month) and 日 (day) in UTF-8.
const (
	zhYear  = "\u5e74"
	zhMonth = "\u6708"
	zhDay   = "\u65e5"
)

// parseLooseDate accepts a four-digit year, a month and a day of one or two
// digits each, separated by the same one of '-', '/' or '.' (2024/1/5,
// 2024-1-5, 2024.01.05, as spreadsheet programs write dates in Chinese
// locales) or written 2024年1月5日. Nothing may follow the day.
func parseLooseDate(b []byte) (dataset.Day, dateStatus) {
	if len(b) < 8 {
		return dataset.NoDay, dateSyntax
	}
	y, ok := digits(b, 0, 4)
	if !ok {
		return dataset.NoDay, dateSyntax
	}
	rest := b[4:]
	var sep1, sep2, end string
	switch rest[0] {
	case '-', '/', '.':
		sep1, sep2 = string(rest[:1]), string(rest[:1])
	default:
		sep1, sep2, end = zhYear, zhMonth, zhDay
	}
	if !hasPrefix(rest, sep1) {
		return dataset.NoDay, dateSyntax
	}
	rest = rest[len(sep1):]
	m, n := leadingNumber(rest)
	if n == 0 || !hasPrefix(rest[n:], sep2) {
		return dataset.NoDay, dateSyntax
	}
	rest = rest[n+len(sep2):]
	d, n := leadingNumber(rest)
	if n == 0 || string(rest[n:]) != end {
		return dataset.NoDay, dateSyntax
	}
	return civil(y, m, d)
}

// leadingNumber returns the value and length of the one or two decimal
// digits at the start of b (length 0 when b does not start with a digit; a
// third digit is left in place, so the caller's separator check fails).
func leadingNumber(b []byte) (int, int) {
	v, n := 0, 0
	for n < 2 && n < len(b) && b[n] >= '0' && b[n] <= '9' {
		v = v*10 + int(b[n]-'0')
		n++
	}
	return v, n
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// validClock checks the time part of a timestamp: h[h]:mm[:ss[.fff…]] and
// an optional zone Z, ±hh:mm or ±hhmm.
func validClock(b []byte) bool {
	// The hour may have one digit, as time.Parse accepts for RFC 3339.
	if len(b) >= 4 && b[1] == ':' {
		b = append([]byte{'0'}, b...)
	}
	if len(b) < 5 || b[2] != ':' {
		return false
	}
	h, ok1 := digits(b, 0, 2)
	mi, ok2 := digits(b, 3, 5)
	if !ok1 || !ok2 || h > 23 || mi > 59 {
		return false
	}
	b = b[5:]
	if len(b) >= 3 && b[0] == ':' {
		s, ok := digits(b, 1, 3)
		if !ok || s > 60 {
			return false
		}
		b = b[3:]
		if len(b) > 0 && (b[0] == '.' || b[0] == ',') {
			i := 1
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				i++
			}
			if i == 1 {
				return false
			}
			b = b[i:]
		}
	}
	switch {
	case len(b) == 0:
		return true
	case len(b) == 1 && (b[0] == 'Z' || b[0] == 'z'):
		return true
	case len(b) == 6 && (b[0] == '+' || b[0] == '-') && b[3] == ':':
		zh, ok1 := digits(b, 1, 3)
		zm, ok2 := digits(b, 4, 6)
		return ok1 && ok2 && zh <= 24 && zm <= 60 // as lenient as time.Parse
	case len(b) == 5 && (b[0] == '+' || b[0] == '-'):
		zh, ok1 := digits(b, 1, 3)
		zm, ok2 := digits(b, 3, 5)
		return ok1 && ok2 && zh <= 24 && zm <= 60 // as lenient as time.Parse
	}
	return false
}

// trimSpace removes ASCII spaces and tabs around b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
