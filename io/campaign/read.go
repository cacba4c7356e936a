package campaign

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

// MaxLineBytes bounds a line of the text inputs of this package.
const MaxLineBytes = 1 << 20

// ErrBadInput is wrapped by every error about the content of an input.
var ErrBadInput = errors.New("bad input")

// idNames are the normalized header names of an id column.
var idNames = []string{"customerid", "subscriberid", "id", "customer", "subscriber", "userid", "user", "clientid",
	"accountid", "memberid", "msisdn", "phone", "mobile", "用户id", "客户编号", "客户id", "用户编号", "客户号", "用户号", "手机号", "号码", "手机号码"}

// normalize lower-cases a header and drops spaces, underscores, hyphens and dots.
func normalize(s string) string {
	var b strings.Builder
	for _, c := range strings.TrimPrefix(strings.TrimSpace(s), "\ufeff") {
		switch {
		case c == '_' || c == '-' || c == '.' || unicode.IsSpace(c):
		default:
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}

// lineGuard fails a read when a line is longer than MaxLineBytes.
type lineGuard struct {
	r    io.Reader
	run  int // bytes since the last line break
	line int // line breaks seen
}

func (g *lineGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			g.run = 0
			g.line++
			continue
		}
		g.run++
		if g.run > MaxLineBytes {
			return 0, fmt.Errorf("%w: line %d is longer than %d bytes", ErrBadInput, g.line+1, MaxLineBytes)
		}
	}
	return n, err
}

// openText opens a text input (gzip by its magic bytes), without a UTF-8
// byte-order mark, guarded against overlong lines.
func openText(name string) (io.Reader, func() error, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		r = gz
	}
	tr := bufio.NewReaderSize(r, 1<<16)
	if bom, _ := tr.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		tr.Discard(3)
	}
	return &lineGuard{r: tr}, f.Close, nil
}

// sniff returns the delimiter of a header line among , TAB ; | (the most
// frequent; ',' when none).
func sniff(line string) rune {
	best, n := ',', 0
	for _, d := range []rune{',', '\t', ';', '|'} {
		if k := strings.Count(line, string(d)); k > n {
			best, n = d, k
		}
	}
	return best
}

// ReadIDs reads a do-not-contact list: one id per line, or a CSV whose
// header names an id column (see the package comment). Ids are returned in
// file order, duplicates kept.
func ReadIDs(name string) ([]string, error) {
	r, closeFn, err := openText(name)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return ParseIDs(r, name)
}

// ParseIDs is ReadIDs on text already opened (name is for messages); a line
// longer than MaxLineBytes is an error.
func ParseIDs(r io.Reader, name string) ([]string, error) {
	if _, ok := r.(*lineGuard); !ok {
		r = &lineGuard{r: r}
	}
	br := bufio.NewReader(r)
	first, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	first = strings.TrimRight(first, "\r\n")
	cr := csv.NewReader(io.MultiReader(strings.NewReader(first+"\n"), br))
	cr.Comma = sniff(first)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrBadInput, err)
	}
	col := -1
	for k, h := range head {
		for _, want := range idNames {
			if normalize(h) == want {
				col = k
				break
			}
		}
		if col >= 0 {
			break
		}
	}
	var ids []string
	switch {
	case col >= 0:
	case len(head) == 1:
		// No header: the first line is an id.
		col = 0
		if id := strings.TrimSpace(head[0]); id != "" {
			ids = append(ids, id)
		}
	default:
		return nil, fmt.Errorf("%s:1: %w: no id column among %s (want customer_id, subscriber_id, id, msisdn, 用户ID, ...; or one id per line)", name, ErrBadInput, clip(strings.Join(head, ", ")))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrBadInput, err)
		}
		if col >= len(rec) {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("%s:%d: %w: %d fields, the id is field %d", name, line, ErrBadInput, len(rec), col+1)
		}
		if id := strings.TrimSpace(rec[col]); id != "" {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// clip shortens s to at most 200 bytes for a message.
func clip(s string) string {
	if len(s) <= 200 {
		return s
	}
	cut := 200
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
