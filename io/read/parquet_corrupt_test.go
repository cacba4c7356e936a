package read

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/parquet/file"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
)

// smallParquet returns a 6-row transaction file as clv writes Parquet
// (render.WriteTable: one row group, dictionary pages, Snappy) and the
// offsets of its pages' headers (dictionary and data page of each column).
func smallParquet(t testing.TB) ([]byte, []int64) {
	t.Helper()
	ids := []string{"a", "b", "c", "d", "e", "f"}
	days := make([]dataset.Day, len(ids))
	for i := range days {
		days[i] = dataset.Civil(2024, 3, i+1)
	}
	tab := &render.Table{Columns: []render.Column{render.Strings("customer_id", ids),
		render.Dates("date", days), render.Floats("amount", []float64{1, 2, 3, 4, 5, 6})}}
	var buf bytes.Buffer
	if err := render.WriteTable(&buf, render.FormatParquet, tab); err != nil {
		t.Fatal(err)
	}
	pf, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var pages []int64
	for g := range pf.NumRowGroups() {
		rg := pf.MetaData().RowGroup(g)
		for c := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			if cc.HasDictionaryPage() {
				pages = append(pages, cc.DictionaryPageOffset())
			}
			pages = append(pages, cc.DataPageOffset())
		}
	}
	return buf.Bytes(), pages
}

// readWithin reads path as transactions in a goroutine and fails the test
// when that does not end within limit. The limit only catches a hang (the
// bug this guards against looped forever); it is not a speed assertion.
func readWithin(t *testing.T, path string, limit time.Duration) (*dataset.Transactions, error) {
	t.Helper()
	type result struct {
		tx  *dataset.Transactions
		err error
	}
	done := make(chan result, 1)
	go func() {
		tx, _, err := Transactions(path, Options{})
		done <- result{tx, err}
	}()
	select {
	case r := <-done:
		return r.tx, r.err
	case <-time.After(limit):
		t.Fatalf("%s: the read did not end within %v", path, limit)
	}
	return nil, nil
}

// TestParquetCorruptPageType corrupts the page-type byte of each page of a
// small file, as the fuzzer's 904-byte file did: arrow v15 skips a page of
// unknown type silently, so the file decoded to fewer rows (0) and the run
// exited 0. Every such file must now end with an error naming the file and
// both row counts. The page header is Thrift compact: 0x15 (field 1, i32)
// then the zigzag page type; 0x02 is type 1 (INDEX_PAGE), 0x7e type 63.
func TestParquetCorruptPageType(t *testing.T) {
	raw, pages := smallParquet(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	if err := os.WriteFile(good, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if tx, err := readWithin(t, good, time.Minute); err != nil || tx.Len() != 6 {
		t.Fatalf("uncorrupted file: %v", err)
	}
	for _, off := range pages {
		if raw[off] != 0x15 {
			t.Fatalf("page at %d starts with %#x, not a compact-Thrift i32 field 1", off, raw[off])
		}
		for _, v := range []byte{0x02, 0x7e} {
			b := bytes.Clone(raw)
			b[off+1] = v
			path := filepath.Join(dir, "bad.parquet")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			tx, err := readWithin(t, path, time.Minute)
			if err == nil {
				t.Errorf("page at %d, type byte %#x: read %d rows without an error", off, v, tx.Len())
				continue
			}
			if !errors.Is(err, ErrBadInput) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("page at %d, type byte %#x: %v", off, v, err)
			}
		}
	}
	// The data page of the first column: the rows are lost, and the
	// message says how many the footer declared.
	b := bytes.Clone(raw)
	b[pages[1]+1] = 0x02
	path := filepath.Join(dir, "lost.parquet")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readWithin(t, path, time.Minute)
	want := path + ": corrupt Parquet data: the footer declares 6 rows, decoding gave 0"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestParquetFolderCorruptPart: in a folder of part files, a part that
// decodes to fewer rows than its footer declares stops the read (it used to
// exit 0 with those rows missing).
func TestParquetFolderCorruptPart(t *testing.T) {
	raw, pages := smallParquet(t)
	dir := t.TempDir()
	bad := bytes.Clone(raw)
	bad[pages[1]+1] = 0x02
	for name, b := range map[string][]byte{"part-0.parquet": raw, "part-1.parquet": bad, "part-2.parquet": raw} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := readWithin(t, dir, time.Minute)
	want := filepath.Join(dir, "part-1.parquet") + ": corrupt Parquet data: the footer declares 6 rows, decoding gave 0"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// FuzzParquetByte sets one byte of the small file to any value: the read
// must end (no hang, no panic) with an error, or with all 6 rows.
func FuzzParquetByte(f *testing.F) {
	raw, pages := smallParquet(f)
	for _, off := range pages {
		f.Add(uint16(off+1), byte(0x02))
	}
	f.Add(uint16(len(raw)-12), byte(0xff)) // inside the footer
	f.Fuzz(func(t *testing.T, off uint16, v byte) {
		b := bytes.Clone(raw)
		b[int(off)%len(b)] = v
		path := filepath.Join(t.TempDir(), "f.parquet")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		tx, err := readWithin(t, path, 30*time.Second)
		if err == nil && tx.Len() != 6 {
			t.Fatalf("byte %d = %#x: %d rows without an error", off, v, tx.Len())
		}
	})
}
