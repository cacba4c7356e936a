package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// WriteTable writes t to w in format f.
func WriteTable(w io.Writer, f Format, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	switch f {
	case FormatCSV:
		return writeCSV(w, t)
	case FormatJSON:
		if err := writeJSON(w, t); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	case FormatMarkdown:
		return writeMarkdown(w, t)
	case FormatParquet:
		return writeParquet(w, t, nil)
	case FormatTable:
		return writeText(w, t)
	}
	return fmt.Errorf("render: unknown format %q", f)
}

// chunkRows is the number of rows formatted per task by writeChunked.
const chunkRows = 8192

// writeChunked formats rows 0..n-1 on all cores and writes the chunks to w
// in row order. newRow returns a row function (which appends one row to a
// buffer) for one worker; a worker calls its own from one goroutine at a
// time.
//
// The workers take chunks in order and never wait for each other: a
// worker that finishes a chunk takes the next one while the caller's
// goroutine writes the finished chunks in row order. At most
// chunksInFlight(workers) buffers exist; a worker takes a free buffer
// before it takes a chunk, so the chunk the writer waits for always has
// one.
func writeChunked(w io.Writer, n int, newRow func() func(b []byte, r int) []byte) error {
	workers := runtime.GOMAXPROCS(0)
	if n < 4*chunkRows || workers == 1 {
		row := newRow()
		var b []byte
		for r := 0; r < n; r++ {
			b = row(b, r)
			if len(b) > 64<<10 {
				if _, err := w.Write(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
		_, err := w.Write(b)
		return err
	}
	chunks := (n + chunkRows - 1) / chunkRows
	free := make(chan []byte, chunksInFlight(workers))
	for range cap(free) {
		free <- nil
	}
	ready := make([]chan []byte, chunks) // chunk c's text, once formatted
	for c := range ready {
		ready[c] = make(chan []byte, 1)
	}
	quit := make(chan struct{})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		row := newRow()
		wg.Go(func() {
			for {
				var b []byte
				select {
				case b = <-free:
				case <-quit:
					return
				}
				select {
				case <-quit:
					return
				default:
				}
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				for r, z := c*chunkRows, min((c+1)*chunkRows, n); r < z; r++ {
					b = row(b, r)
				}
				ready[c] <- b
			}
		})
	}
	var err error
	for c := range ready {
		b := <-ready[c]
		if _, err = w.Write(b); err != nil {
			close(quit)
			break
		}
		free <- b[:0]
	}
	wg.Wait()
	return err
}

// chunksInFlight is the number of chunk buffers writeChunked uses: enough
// for every worker to format one while the writer writes the earlier ones.
func chunksInFlight(workers int) int { return 3 * workers }

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and no HTML
// escaping (a title "Berger & Nasr" stays readable).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// appendJSONRow appends row r of t as a JSON object.
func appendJSONRow(b []byte, t *Table, r int, keys [][]byte) []byte {
	b = append(b, '{')
	for i := range t.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, keys[i]...)
		c := &t.Columns[i]
		if c.IsNull(r) {
			b = append(b, "null"...)
			continue
		}
		switch c.Kind {
		case KindString:
			b = appendJSONString(b, c.String(r))
		case KindDate:
			if c.Dates[r] == dataset.NoDay {
				b = append(b, "null"...)
			} else {
				b = append(b, '"')
				b = c.Dates[r].AppendISO(b)
				b = append(b, '"')
			}
		default:
			b = cell(b, c, r, false)
		}
	}
	return append(b, '}')
}

func jsonKeys(t *Table) [][]byte {
	keys := make([][]byte, len(t.Columns))
	for i, c := range t.Columns {
		keys[i] = append(appendJSONString(nil, c.Name), ':')
	}
	return keys
}

// writeJSON writes an array of objects, one per row, one row per line.
func writeJSON(w io.Writer, t *Table) error {
	keys := jsonKeys(t)
	n := t.Rows()
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	err := writeChunked(w, n, func() func(b []byte, r int) []byte {
		return func(b []byte, r int) []byte {
			if r > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
			return appendJSONRow(b, t, r, keys)
		}
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]")
	return err
}

func escapeMarkdown(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace(s)
}

func writeMarkdown(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("|")
	for _, c := range t.Columns {
		bw.WriteString(" " + escapeMarkdown(c.Name) + " |")
	}
	bw.WriteString("\n|")
	for _, c := range t.Columns {
		if c.Kind == KindString || c.Kind == KindDate || c.Kind == KindBool {
			bw.WriteString(" --- |")
		} else {
			bw.WriteString(" ---: |")
		}
	}
	bw.WriteString("\n")
	var b []byte
	n := t.Rows()
	for r := 0; r < n; r++ {
		bw.WriteString("|")
		for i := range t.Columns {
			b = cell(b[:0], &t.Columns[i], r, true)
			bw.WriteString(" " + escapeMarkdown(string(b)) + " |")
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

func writeText(w io.Writer, t *Table) error {
	header := make([]string, len(t.Columns))
	align := make([]tw.Align, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Name
		align[i] = tw.AlignLeft
		if c.Kind == KindInt || c.Kind == KindFloat {
			align[i] = tw.AlignRight
		}
	}
	tab := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
	)
	tab.Header(header)
	n := t.Rows()
	var b []byte
	for r := 0; r < n; r++ {
		row := make([]string, len(t.Columns))
		for i := range t.Columns {
			b = cell(b[:0], &t.Columns[i], r, true)
			row[i] = string(b)
		}
		if err := tab.Append(row); err != nil {
			return err
		}
	}
	return tab.Render()
}

// displayWidth is the number of terminal columns s takes: East Asian wide
// and full-width characters (Chinese, full-width punctuation) take two,
// combining marks and other zero-width characters none, the rest one.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r):
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}

// WriteJSON writes v as indented JSON followed by a newline. It refuses
// values holding NaN or Inf (encoding/json reports them as errors).
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
