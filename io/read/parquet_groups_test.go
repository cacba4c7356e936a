package read

import (
	"bytes"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"

	"github.com/clvkit/clv/clv/dataset"
)

// TestAccumulateParquetRowGroups: the row-group path (parquet_groups.go,
// parquet_pages.go: pages decoded here, row groups in parallel) gives the
// same summary, stats, rejects and checks, bit for bit, as the
// materialising read through the Arrow layer, for the encodings and page
// layouts writers produce, and takes the rows it should: all of them for a
// clean file, those before the first bad row group otherwise (the rest go
// the row-by-row way, which reports the bad rows).
func TestAccumulateParquetRowGroups(t *testing.T) {
	defer func(old int) { groupPieceRows = old }(groupPieceRows)
	groupPieceRows = 300 // several pieces per row group
	base := orderedRows(t)
	month := base["month"]
	// Ids with spaces around them are the same customers as without.
	spaced := slices.Clone(month)
	for i := range spaced {
		switch i % 3 {
		case 1:
			spaced[i].id = " " + spaced[i].id
		case 2:
			spaced[i].id += "  "
		}
	}
	cols := func(rows []txRow, null func(i int) bool) []column {
		return []column{
			{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rows[i].id }},
			{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rows[i].day }},
			{"amount", arrow.PrimitiveTypes.Float64, func(i int) any {
				if null != nil && null(i) {
					return nil
				}
				return rows[i].amount
			}},
		}
	}
	nanAt := func(rows []txRow, i int) []txRow {
		r := slices.Clone(rows)
		r[i].amount = math.NaN()
		return r
	}
	emptyAt := func(rows []txRow, i int) []txRow {
		r := slices.Clone(rows)
		r[i].id = "  "
		return r
	}
	n := len(month)
	cases := []struct {
		name     string
		rows     []txRow
		null     func(i int) bool
		required bool
		props    []parquet.WriterProperty
		// fast is the number of rows the row-group path must take in one
		// pass over the file.
		fast int
	}{
		{name: "dictionary-v1", rows: month, fast: n},
		{name: "small-pages", rows: month, props: []parquet.WriterProperty{parquet.WithDataPageSize(256)}, fast: n},
		{name: "plain", rows: month, props: []parquet.WriterProperty{parquet.WithDictionaryDefault(false)}, fast: n},
		{name: "dictionary-fallback-to-plain", rows: month, props: []parquet.WriterProperty{parquet.WithDictionaryPageSizeLimit(200), parquet.WithDataPageSize(512)}, fast: n},
		{name: "v2-snappy", rows: month, props: []parquet.WriterProperty{parquet.WithDataPageVersion(parquet.DataPageV2), parquet.WithCompression(compress.Codecs.Snappy)}, fast: n},
		{name: "v2-plain-zstd", rows: month, props: []parquet.WriterProperty{parquet.WithDataPageVersion(parquet.DataPageV2), parquet.WithDictionaryDefault(false), parquet.WithCompression(compress.Codecs.Zstd)}, fast: n},
		{name: "required", rows: month, required: true, fast: n},
		{name: "spaced-ids", rows: spaced, fast: n},
		{name: "random-order", rows: base["random"], fast: len(base["random"])}, // streaming: two passes
		// Row 1500 is in the second piece of the second row group: the
		// first row group and the first piece of the second go the fast way
		// (a null is seen by its page, here the whole row group's).
		{name: "null-amount", rows: month, null: func(i int) bool { return i == 1500 }, fast: 1000},
		{name: "nan-amount", rows: nanAt(month, 1500), fast: 1300},
		{name: "empty-id", rows: emptyAt(month, 2400), fast: 2300},
		{name: "null-first-row", rows: month, null: func(i int) bool { return i == 0 }, fast: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeParquetWith(t, filepath.Join(t.TempDir(), "tx.parquet"), len(c.rows), cols(c.rows, c.null), 1000, false, c.required, c.props...)
			opt := Options{MaxErrors: 10}
			// The reference: the Arrow layer alone.
			var refRej, rej bytes.Buffer
			useRowGroups = false
			o := opt
			o.Rejects = &refRej
			ref, refStats, refErr := Transactions(path, o)
			useRowGroups = true
			if refErr != nil {
				t.Fatal(refErr)
			}
			// The materialising read through the row groups.
			before := groupRows.Load()
			o.Rejects = &rej
			tx, stats, err := Transactions(path, o)
			if err != nil {
				t.Fatal(err)
			}
			if fast := groupRows.Load() - before; fast != int64(c.fast) {
				t.Errorf("materialising: the row-group path took %d rows, want %d", fast, c.fast)
			}
			sameTransactions(t, ref, tx)
			if !reflect.DeepEqual(refStats, stats) || refRej.String() != rej.String() {
				t.Fatalf("stats or rejects differ:\n%+v %q\n%+v %q", refStats, refRej.String(), stats, rej.String())
			}
			// The streaming read (and the materialising one again) against
			// the reference's summary.
			for _, asOf := range []dataset.Day{dataset.NoDay, midDay(c.rows)} {
				before := groupRows.Load()
				want, got, wc, gc, acc := summaryBoth(t, path, opt, asOf)
				if want == nil {
					t.Fatal("read failed")
				}
				if fast := groupRows.Load() - before; fast != int64(c.fast*(1+acc.Passes)) {
					t.Errorf("as of %s: the row-group path took %d rows, want %d", asOf, fast, c.fast*(1+acc.Passes))
				}
				so := dataset.SummaryOptions{AsOf: asOf, Unit: dataset.UnitWeek}
				refSum, err := dataset.Summarize(ref, so)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range []*dataset.Summary{want, got} {
					if !reflect.DeepEqual(refSum, s) {
						diffSummary(t, refSum, s)
					}
				}
				if !reflect.DeepEqual(wc, gc) {
					t.Fatalf("checks differ:\n%+v\n%+v", wc, gc)
				}
			}
		})
	}
}

// TestHybrid decodes RLE/bit-packed hybrid runs built by hand from the
// format's definition (parquet-format Encodings.md): a bit-packed run of
// 8 values of width 3, then an RLE run of 5 copies of 6.
func TestHybrid(t *testing.T) {
	vals := []uint32{0, 1, 2, 3, 4, 5, 6, 7}
	var packed uint32
	for i, v := range vals {
		packed |= v << (3 * i)
	}
	buf := []byte{1<<1 | 1, byte(packed), byte(packed >> 8), byte(packed >> 16), 5 << 1, 6}
	h := hybrid{buf: buf, width: 3}
	out := make([]uint32, 13)
	if k := h.next(out); k != 13 {
		t.Fatalf("decoded %d values", k)
	}
	want := append(slices.Clone(vals), 6, 6, 6, 6, 6)
	if !slices.Equal(out, want) {
		t.Fatalf("got %v, want %v", out, want)
	}
	if k := h.next(out[:1]); k != 0 {
		t.Fatal("decoded past the end")
	}
	// Malformed: a bit-packed run longer than the data, an RLE value wider
	// than the width.
	for _, bad := range [][]byte{{5<<1 | 1, 0}, {2 << 1, 9}} {
		h := hybrid{buf: bad, width: 3}
		if k := h.next(out); k != 0 {
			t.Errorf("%v: decoded %d values", bad, k)
		}
	}
}

// BenchmarkAccumulateParquetGroups: the row-group path on 200k rows.
func BenchmarkAccumulateParquetGroups(b *testing.B) {
	rows, _ := synthRows(b, 15000, 24)
	path := writeParquetWith(b, filepath.Join(b.TempDir(), "tx.parquet"), len(rows), []column{
		{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rows[i].id }},
		{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rows[i].day }},
		{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return rows[i].amount }},
	}, 100000, false, false, parquet.WithCompression(compress.Codecs.Snappy))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Accumulate(path, Options{}, dataset.NoDay); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestAllDefined: definition levels of width 1 as writers encode them: an
// RLE run of ones (no null), bit-packed ones with a short last group, and
// a zero (a null) in either form.
func TestAllDefined(t *testing.T) {
	for _, c := range []struct {
		buf  []byte
		n    int
		want bool
	}{
		{[]byte{50 << 1, 1}, 50, true},
		{[]byte{50 << 1, 0}, 50, false},
		{[]byte{2<<1 | 1, 0xff, 0x07}, 11, true},       // 11 values bit-packed: 8 + 3
		{[]byte{2<<1 | 1, 0xff, 0x05}, 11, false},      // value 9 is 0
		{[]byte{1<<1 | 1, 0xff, 3 << 1, 1}, 11, true},  // bit-packed 8, then RLE 3
		{[]byte{1<<1 | 1, 0xef, 3 << 1, 1}, 11, false}, // value 4 is 0
		{[]byte{3 << 1, 1}, 11, false},                 // fewer levels than values
	} {
		if got := allDefined(c.buf, c.n); got != c.want {
			t.Errorf("%v (%d values): %v, want %v", c.buf, c.n, got, c.want)
		}
	}
}

// FuzzHybrid: any bytes and width decode without a panic, into values that
// fit the width, and stop.
func FuzzHybrid(f *testing.F) {
	f.Add([]byte{1<<1 | 1, 0x88, 0xc6, 0xfa, 5 << 1, 6}, uint8(3))
	f.Add([]byte{50 << 1, 1}, uint8(1))
	f.Fuzz(func(t *testing.T, buf []byte, width uint8) {
		w := int(width % 33)
		h := hybrid{buf: buf, width: w}
		out := make([]uint32, 64)
		total := 0
		for range 1000 {
			k := h.next(out)
			for _, v := range out[:k] {
				if w < 32 && v>>w != 0 {
					t.Fatalf("value %d wider than %d bits", v, w)
				}
			}
			total += k
			if k < len(out) {
				break
			}
		}
		_ = allDefined(buf, total)
	})
}
