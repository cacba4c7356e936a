package read

import (
	"math"
	"strconv"
)

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseAmount converts a decimal number (surrounding spaces allowed) to
// float64. Accepted: an optional sign, digits with at most one decimal point
// (".5" and "5." too), and an optional exponent. Everything else (thousands
// separators, decimal commas, currency signs, hex, NaN, Inf, underscores) is
// rejected, and so are values that overflow float64. Short plain decimals
// take an exact fast path (mantissa < 2^53 divided by an exact power of ten
// is correctly rounded); the rest go through strconv.ParseFloat.
func parseAmount(b []byte) (float64, bool) {
	b = trimSpace(b)
	n := len(b)
	if n == 0 {
		return 0, false
	}
	if n >= 4 && b[n-3] == '.' {
		if f, ok := parseCents(b); ok {
			return f, true
		}
	}
	i := 0
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i = 1
	}
	var mant uint64
	nd := 0 // digits seen
	frac := 0
	dot := false
	for ; i < n; i++ {
		c := b[i]
		if c >= '0' && c <= '9' {
			if nd < 19 {
				mant = mant*10 + uint64(c-'0')
			}
			nd++
			if dot {
				frac++
			}
			continue
		}
		if c == '.' && !dot {
			dot = true
			continue
		}
		break
	}
	if nd == 0 {
		return 0, false
	}
	if i == n {
		if nd <= 15 && frac <= 22 {
			f := float64(mant) / pow10[frac]
			if neg {
				f = -f
			}
			return f, true
		}
		return slowAmount(b)
	}
	// An exponent must follow.
	if b[i] != 'e' && b[i] != 'E' {
		return 0, false
	}
	i++
	if i < n && (b[i] == '+' || b[i] == '-') {
		i++
	}
	if i == n {
		return 0, false
	}
	for ; i < n; i++ {
		if b[i] < '0' || b[i] > '9' {
			return 0, false
		}
	}
	return slowAmount(b)
}

// slowAmount parses an already validated number with strconv.
func slowAmount(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// parseCents is parseAmount's path for the commonest amount, [-]digits.dd
// with at most 15 digits: the same value (the digits as a whole number
// divided by 100), with fewer tests per byte. false: not of that form.
func parseCents(b []byte) (float64, bool) {
	n := len(b)
	i := 0
	neg := b[0] == '-'
	if neg {
		i = 1
	}
	if i >= n-3 || n-1-i > 15 {
		return 0, false
	}
	var mant uint64
	for ; i < n-3; i++ {
		c := b[i] - '0'
		if c > 9 {
			return 0, false
		}
		mant = mant*10 + uint64(c)
	}
	c1, c2 := b[n-2]-'0', b[n-1]-'0'
	if c1 > 9 || c2 > 9 {
		return 0, false
	}
	f := float64(mant*100+uint64(c1)*10+uint64(c2)) / pow10[2]
	if neg {
		f = -f
	}
	return f, true
}
