package read

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clvkit/clv/clv/dataset"
)

func TestParseAutoDate(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" = rejected
		st   dateStatus
	}{
		{"2024-03-01", "2024-03-01", dateOK},
		{"2024/03/01", "2024-03-01", dateOK},
		{"20240301", "2024-03-01", dateOK},
		{"2024-03", "2024-03-01", dateOK},
		{"  2024-03-01 ", "2024-03-01", dateOK},
		{"2024-02-29", "2024-02-29", dateOK},
		{"2024-02-30", "", dateImpossible},
		{"2023-02-29", "", dateImpossible},
		{"1900-02-29", "", dateImpossible},
		{"2000-02-29", "2000-02-29", dateOK},
		{"2024-13-01", "", dateImpossible},
		{"2024-00", "", dateImpossible},
		{"0000-01-01", "", dateImpossible},
		{"2024-04-31", "", dateImpossible},
		{"2024-03-01T10:20:30Z", "2024-03-01", dateOK},
		{"2024-03-01T23:59:59-05:00", "2024-03-01", dateOK},
		{"2024-03-01T00:00:00.123456+08:00", "2024-03-01", dateOK},
		{"2024-03-01 10:20:30", "2024-03-01", dateOK},
		{"2024-03-01 10:20", "2024-03-01", dateOK},
		{"2024-03-01T25:00:00Z", "", dateSyntax},
		{"2024-03-01Tfoo", "", dateSyntax},
		// Spreadsheet forms (Chinese locales): one- or two-digit month and day.
		{"2024-3-1", "2024-03-01", dateOK},
		{"2024/1/5", "2024-01-05", dateOK},
		{"2024-1-5", "2024-01-05", dateOK},
		{"2024.1.5", "2024-01-05", dateOK},
		{"2024.01.05", "2024-01-05", dateOK},
		{"2024/12/31", "2024-12-31", dateOK},
		{"2024/1/15", "2024-01-15", dateOK},
		{"2024/10/5", "2024-10-05", dateOK},
		{"2024年1月5日", "2024-01-05", dateOK},
		{"2024年01月05日", "2024-01-05", dateOK},
		{"2024年12月31日", "2024-12-31", dateOK},
		{" 2024/1/5\t", "2024-01-05", dateOK},
		{"2024/2/30", "", dateImpossible},
		{"2023.2.29", "", dateImpossible},
		{"2024年2月30日", "", dateImpossible},
		{"2024/0/5", "", dateImpossible},
		{"2024/13/1", "", dateImpossible},
		{"2024/1/0", "", dateImpossible},
		{"2024/1-5", "", dateSyntax},
		{"2024.1/5", "", dateSyntax},
		{"2024/001/5", "", dateSyntax},
		{"2024/1/005", "", dateSyntax},
		{"2024/1/", "", dateSyntax},
		{"2024//5", "", dateSyntax},
		{"2024年1月5", "", dateSyntax},
		{"2024年1-5日", "", dateSyntax},
		{"2024年1月5日 ", "2024-01-05", dateOK},
		{"2024年1月5日x", "", dateSyntax},
		{"2024/1/5 10:30", "", dateSyntax},
		{"24/1/5", "", dateSyntax},
		{"+024/1/5", "", dateSyntax},
		{"2024", "", dateSyntax},
		{"2024年", "", dateSyntax},
		{"01/03/2024", "", dateSyntax},
		{"+024-03-01", "", dateSyntax},
		{"", "", dateEmpty},
		{"   ", "", dateEmpty},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			d, st := dateParser{}.parse([]byte(c.in))
			if st != c.st {
				t.Fatalf("status %d, want %d", st, c.st)
			}
			if c.want != "" && d.String() != c.want {
				t.Fatalf("got %s, want %s", d, c.want)
			}
		})
	}
}

func TestDateLayout(t *testing.T) {
	p := dateParser{layout: "02/01/2006"}
	d, st := p.parse([]byte("31/12/2024"))
	if st != dateOK || d != dataset.Civil(2024, 12, 31) {
		t.Fatalf("got %s %d", d, st)
	}
	if _, st := p.parse([]byte("31/02/2024")); st != dateImpossible {
		t.Fatalf("31/02/2024: status %d, want impossible", st)
	}
	if _, st := p.parse([]byte("2024-12-31")); st != dateSyntax {
		t.Fatalf("ISO with a custom layout: status %d, want syntax", st)
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"12.5", true}, {"-3", true}, {"+0.01", true}, {"0", true}, {"-0", true}, {".5", true}, {"5.", true},
		{"1e3", true}, {"1.5E-2", true}, {" 42 ", true}, {"12345678901234567890.123", true},
		{"0.1000000000000000055511151231257827", true}, {"1e308", true},
		{"12,5x", false}, {"12,5", false}, {"1,234.50", false}, {"1 234", false}, {"$12", false},
		{"12$", false}, {"NaN", false}, {"Inf", false}, {"-Infinity", false}, {"0x1p3", false},
		{"1_000", false}, {"", false}, {"-", false}, {".", false}, {"1e", false}, {"1e+", false},
		{"1e400", false}, {"--1", false}, {"1.2.3", false}, {"12%", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := parseAmount([]byte(c.in))
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			want, err := strconv.ParseFloat(strings.TrimSpace(c.in), 64)
			if err != nil || math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("got %v, strconv says %v (%v)", got, want, err)
			}
		})
	}
}

// TestParseCents: amounts with two decimals (parseCents' path), from 1 to
// 17 digits, signed or not, read exactly as strconv reads them.
func TestParseCents(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 100000 {
		digits := 1 + i%17
		var b []byte
		if i%3 == 0 {
			b = append(b, '-')
		}
		for range digits {
			b = append(b, byte('0'+r.IntN(10)))
		}
		b = append(b, '.', byte('0'+r.IntN(10)), byte('0'+r.IntN(10)))
		got, ok := parseAmount(b)
		want, err := strconv.ParseFloat(string(b), 64)
		if !ok || err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: got %v (%v), strconv %v (%v)", b, got, ok, want, err)
		}
	}
}

var amountGrammar = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func FuzzAmount(f *testing.F) {
	for _, s := range []string{"12.5", "-0", "1e308", "0.1", "123456789012345.6", "9007199254740993", "1,5", " 7 ", ".5e-3",
		"25.00", "-0.01", "1234567890123.45", "12345678901234.56", "-.25", "+1.25", "1.2x", "x.25"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseAmount([]byte(s))
		trimmed := strings.Trim(s, " \t")
		want, err := strconv.ParseFloat(trimmed, 64)
		valid := amountGrammar.MatchString(trimmed) && err == nil && !math.IsInf(want, 0)
		if ok != valid {
			t.Fatalf("%q: accepted = %v, want %v (strconv: %v, %v)", s, ok, valid, want, err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: got %v, strconv %v", s, got, want)
		}
	})
}

// referenceDate is the definition the fast date parser must agree with:
// time.Parse with each automatic layout (signs in the year are rejected).
func referenceDate(s string) (dataset.Day, bool) {
	s = strings.Trim(s, " \t")
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		return dataset.NoDay, false
	}
	layouts := []string{"2006-01-02", "2006/01/02", "20060102", "2006-01", time.RFC3339, time.RFC3339Nano,
		"2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日"} // "1" and "2" take one or two digits
	for _, layout := range layouts {
		if tm, err := time.Parse(layout, s); err == nil {
			if tm.Year() < 1 {
				return dataset.NoDay, false
			}
			return dataset.DayOf(tm), true
		}
	}
	return dataset.NoDay, false
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2024-03-01", "20240229", "2024/02/30", "2024-03", "2024-03-01T10:00:00+08:00", "2024-03-01 10:00", "1999-12-31T23:59:60Z",
		"2024/1/5", "2024-1-5", "2024.1.5", "2024.01.05", "2024年1月5日", "2024年01月05日", "2024/2/30", "2024年2月29日", "2024/1/5 10:30", "2024/1-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, st := dateParser{}.parse([]byte(s))
		want, ok := referenceDate(s)
		if ok && (st != dateOK || got != want) {
			t.Fatalf("%q: got %s (status %d), time.Parse says %s", s, got, st, want)
		}
		if st == dateOK {
			// Anything accepted beyond time.Parse must be a timestamp whose
			// date part time.Parse accepts (the documented extensions: no
			// seconds, a space for the T, comma fractions, ±hhmm zones).
			tr := strings.Trim(s, " \t")
			if !ok {
				dp, err := time.Parse("2006-01-02", tr[:min(10, len(tr))])
				if len(tr) <= 10 || err != nil || dataset.DayOf(dp) != got {
					t.Fatalf("%q: accepted as %s, not a date time.Parse accepts", s, got)
				}
			}
		}
	})
}

func TestTimestampZonesLikeTimeParse(t *testing.T) {
	// time.Parse(time.RFC3339, ...) accepts zone offsets up to +24:00 and
	// minutes up to 60 (found by FuzzDate); the date as written is kept.
	for _, s := range []string{"2024-03-01T10:00:00+24:00", "2024-03-01T10:00:00+23:60", "2024-03-01T1:00:00Z"} {
		if d, st := parseAutoDate([]byte(s)); st != dateOK || d.String() != "2024-03-01" {
			t.Errorf("%s: %s, status %d", s, d, st)
		}
	}
	// The first FuzzDate crasher (also in testdata/fuzz/FuzzDate).
	if d, st := parseAutoDate([]byte("0001-01-01T0:00:00+00:00")); st != dateOK || d != dataset.Civil(1, 1, 1) {
		t.Errorf("0001-01-01T0:00:00+00:00: %s, status %d", d, st)
	}
}
