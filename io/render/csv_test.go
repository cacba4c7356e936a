package render

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAppendIntMatchesStrconv: appendInt against strconv.AppendInt on every
// value below 10^5, each power of ten and its neighbours, the extremes and
// random values of every magnitude.
func TestAppendIntMatchesStrconv(t *testing.T) {
	vals := []int64{math.MinInt64, math.MinInt64 + 1, math.MaxInt64, math.MaxInt64 - 1, -1, -9, -10, -99, -100}
	for v := range int64(100000) {
		vals = append(vals, v)
	}
	for p := int64(1); p <= 1e18; p *= 10 {
		vals = append(vals, p-1, p, p+1, -p, 2*p-1)
	}
	r := rand.New(rand.NewPCG(21, 22))
	for range 100000 {
		vals = append(vals, int64(r.Uint64())>>r.IntN(64))
	}
	for _, v := range vals {
		if got, want := string(appendInt([]byte("x"), v)), "x"+strconv.FormatInt(v, 10); got != want {
			t.Fatalf("appendInt(%d) = %q, want %q", v, got, want)
		}
	}
}

// needsQuoteBytewise is needsQuote's rule written byte by byte: the
// reference for its word-at-a-time scan.
func needsQuoteBytewise(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[0] == '\t' || s[len(s)-1] == ' ' {
		return true
	}
	return strings.ContainsAny(s, ",\"\r\n")
}

// TestNeedsQuoteMatchesBytewise: every special byte (and the bytes next to
// it in value, which a word-at-a-time test could confuse) at every position
// of strings of 0..40 bytes, plus random strings over a small alphabet
// heavy in special and high bytes.
func TestNeedsQuoteMatchesBytewise(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := needsQuote(s), needsQuoteBytewise(s); got != want {
			t.Fatalf("needsQuote(%q) = %v, want %v", s, got, want)
		}
	}
	for n := range 41 {
		base := []byte(strings.Repeat("a", n))
		check(string(base))
		for i := range n {
			for _, c := range []byte{',', '"', '\r', '\n', '+', '-', '!', '#', '\t', ' ', 0x0b, 0x0c, 0x0e, 0x09, 0, 0x80, 0xac, 0xff} {
				b := bytes.Clone(base)
				b[i] = c
				check(string(b))
			}
		}
	}
	r := rand.New(rand.NewPCG(23, 24))
	alphabet := []byte{'a', 'Z', '0', ',', '"', '\r', '\n', ' ', '\t', '+', '-', 0x01, 0x80, 0xff, 0xc3, 0xa9}
	for range 200000 {
		b := make([]byte, r.IntN(30))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
	}
}

// TestCSVCopiedColumn: a column holding the same slices as an earlier one
// (a deprecated copy) is written by copying that column's text; a column
// with the same values but other null marks, or an equal copy in another
// slice, is formatted on its own. The result must equal what
// encoding/csv reads back cell by cell, over enough rows for the parallel
// writer.
func TestCSVCopiedColumn(t *testing.T) {
	n := 5*chunkRows + 17
	money := make([]float64, n)
	ids := make([]string, n)
	other := make([]float64, n)
	null := make([]bool, n)
	for i := range money {
		money[i] = float64(i%977) / 4
		ids[i] = "c" + strconv.Itoa(i)
		if i%5 == 0 {
			ids[i] = "a, \"b\"" + strconv.Itoa(i)
		}
		other[i] = money[i]
		null[i] = i%3 == 0
	}
	tab := &Table{Columns: []Column{Strings("id", ids), Floats("spend", money), Floats("half", money).WithNull(null),
		Floats("monetary", money), Strings("id2", ids), Floats("other", other), Floats("half2", money).WithNull(null)}}
	plan := csvPlan(tab)
	wantOps := []csvOp{csvString, csvFloat, csvFloat, csvSame, csvSame, csvFloat, csvSame}
	for i, p := range plan {
		if p.op != wantOps[i] {
			t.Errorf("column %s: op %d, want %d", tab.Columns[i].Name, p.op, wantOps[i])
		}
	}
	if plan[3].same != 1 || plan[4].same != 0 || plan[6].same != 2 {
		t.Errorf("copied columns point at %d, %d, %d; want 1, 0, 2", plan[3].same, plan[4].same, plan[6].same)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, FormatCSV, tab); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 {
		t.Fatalf("%d records, want %d", len(recs), n+1)
	}
	for i := range n {
		rec := recs[i+1]
		m := strconvFloat(money[i])
		h := m
		if null[i] {
			h = ""
		}
		want := []string{ids[i], m, h, m, ids[i], m, h}
		if strings.Join(rec, "|") != strings.Join(want, "|") {
			t.Fatalf("row %d: %q, want %q", i+1, rec, want)
		}
	}
}

// TestOutputLargeCommitAndAbort: outputs several write-back steps long,
// written in pieces, keep every byte when committed and leave nothing when
// aborted, also while another goroutine aborts them mid-write (what
// AbortAll does on a signal; run with -race).
func TestOutputLargeCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	piece := bytes.Repeat([]byte("0123456789abcdef"), 1<<15) // 512 KiB
	total := 3*writebackStep + len(piece)/2
	write := func(o *Output) error {
		for done := 0; done < total; {
			p := piece[:min(len(piece), total-done)]
			if _, err := o.Write(p); err != nil {
				return err
			}
			done += len(p)
		}
		return nil
	}
	p := filepath.Join(dir, "big.csv")
	o, err := Create(p, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := write(o); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total {
		t.Fatalf("committed %d bytes, want %d", len(got), total)
	}
	for i := 0; i < total; i += len(piece) {
		if !bytes.Equal(got[i:min(i+len(piece), total)], piece[:min(len(piece), total-i)]) {
			t.Fatalf("committed file differs at piece %d", i/len(piece))
		}
	}

	q := filepath.Join(dir, "aborted.csv")
	o, err = Create(q, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { write(o) }) // fails once aborted
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if fi, err := os.ReadDir(dir); err == nil && len(fi) == 2 {
			break // the temporary file exists
		}
		if time.Now().After(deadline) {
			t.Fatal("the output did not start within 10 s")
		}
	}
	o.Abort()
	wg.Wait()
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("after abort: %v", ents)
	}
}

// TestCodedColumnsWriteLikePlain: a table holding strings as Codes and
// small integers as Uint8s writes, in every format, exactly what the same
// table with plain Strings and Ints writes (levels that need quoting, an
// unused level, null rows, a deprecated copy of a coded column included),
// and Parquet reads it back as plain columns.
func TestCodedColumnsWriteLikePlain(t *testing.T) {
	n := 4*chunkRows + 3
	levels := []string{"Champions", "At Risk, soon", "Can't \"Lose\" Them", " padded", "unused"}
	codes := make([]uint16, n)
	small := make([]uint8, n)
	null := make([]bool, n)
	strs := make([]string, n)
	ints := make([]int64, n)
	r := rand.New(rand.NewPCG(25, 26))
	for i := range n {
		codes[i] = uint16(r.IntN(len(levels) - 1))
		small[i] = uint8(r.IntN(256))
		null[i] = r.IntN(10) == 0
		strs[i] = levels[codes[i]]
		ints[i] = int64(small[i])
	}
	coded := &Table{Name: "t", Columns: []Column{Codes("seg", levels, codes), Uint8s("score", small),
		Codes("seg_null", levels, codes).WithNull(null), Uint8s("score_null", small).WithNull(null), Codes("old_seg", levels, codes)}}
	plain := &Table{Name: "t", Columns: []Column{Strings("seg", strs), Ints("score", ints),
		Strings("seg_null", strs).WithNull(null), Ints("score_null", ints).WithNull(null), Strings("old_seg", strs)}}
	if coded.Rows() != n {
		t.Fatalf("coded table has %d rows, want %d", coded.Rows(), n)
	}
	for _, f := range []Format{FormatCSV, FormatJSON, FormatMarkdown, FormatParquet, FormatTable} {
		var got, want bytes.Buffer
		if err := WriteTable(&got, f, coded); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := WriteTable(&want, f, plain); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the coded table writes %d bytes that differ from the plain table's %d", f, got.Len(), want.Len())
		}
	}
	bad := &Table{Columns: []Column{Codes("seg", levels[:2], []uint16{0, 2})}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "row 2 has code 2 of 2 levels") {
		t.Errorf("a code past the levels: %v", err)
	}
	bad.Columns[0] = bad.Columns[0].WithNull([]bool{false, true})
	if err := bad.Validate(); err != nil {
		t.Errorf("a null row's code is ignored, got %v", err)
	}
}

// failAfter accepts n writes, then fails every write.
type failAfter struct {
	n     int
	wrote int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.wrote >= f.n {
		return 0, errors.New("disk full")
	}
	f.wrote++
	return len(p), nil
}

// TestWriteChunkedOrderAndError: the parallel writer hands the chunks over
// in row order, and a failing writer stops it (no hang, the error
// returned) whichever chunk fails.
func TestWriteChunkedOrderAndError(t *testing.T) {
	n := 20*chunkRows + 5
	newRow := func() func(b []byte, r int) []byte {
		return func(b []byte, r int) []byte { return append(strconv.AppendInt(b, int64(r), 10), '\n') }
	}
	var b bytes.Buffer
	if err := writeChunked(&b, n, newRow); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d lines, want %d", len(lines), n)
	}
	for r, l := range lines {
		if l != strconv.Itoa(r) {
			t.Fatalf("line %d is %q", r, l)
		}
	}
	for _, k := range []int{0, 1, 7, 20} {
		err := writeChunked(&failAfter{n: k}, n, newRow)
		if err == nil || err.Error() != "disk full" {
			t.Errorf("failing after %d writes: %v", k, err)
		}
	}
}
