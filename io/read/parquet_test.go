package read

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
	"github.com/clvkit/clv/io/render"
)

// txRow is one transaction of a test data set.
type txRow struct {
	id     string
	day    dataset.Day
	amount float64
}

// synthRows returns the transactions of a small synthetic telecom base, in
// file order (date, then subscriber), and the base.
func synthRows(t testing.TB, subscribers, months int) ([]txRow, *synth.Base) {
	t.Helper()
	b, err := synth.Generate(synth.Options{Subscribers: subscribers, Months: months, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	tx := &b.Transactions
	rows := make([]txRow, tx.Len())
	for k, c := range tx.Customer {
		rows[k] = txRow{tx.IDs[c], tx.Day[k], tx.Amount[k]}
	}
	return rows, b
}

// writeCSV writes rows as a CSV transaction file and returns its path.
func writeTxCSV(t testing.TB, dir, name string, header []string, rows []txRow) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(strings.Join(header, ",") + "\n")
	for _, r := range rows {
		b.WriteString(r.id + "," + r.day.String() + "," + strconv.FormatFloat(r.amount, 'f', -1, 64) + "\n")
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// column builds one Arrow column of n values; value(i) returns the value to
// append or nil for a null.
type column struct {
	name  string
	typ   arrow.DataType
	value func(i int) any
}

// writeParquet writes the columns as a Parquet file with row groups of
// rowGroup rows (pqarrow.WriteTable) and returns its path.
func writeParquet(t testing.TB, path string, n int, cols []column, rowGroup int64, storeSchema bool) string {
	t.Helper()
	return writeParquetWith(t, path, n, cols, rowGroup, storeSchema, false)
}

// writeParquetWith is writeParquet with writer properties, and required
// (non-nullable) columns when required is set.
func writeParquetWith(t testing.TB, path string, n int, cols []column, rowGroup int64, storeSchema, required bool, props ...parquet.WriterProperty) string {
	t.Helper()
	mem := memory.DefaultAllocator
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for k, c := range cols {
		fields[k] = arrow.Field{Name: c.name, Type: c.typ, Nullable: !required}
		b := array.NewBuilder(mem, c.typ)
		for i := range n {
			v := c.value(i)
			if v == nil {
				b.AppendNull()
				continue
			}
			switch b := b.(type) {
			case *array.StringBuilder:
				b.Append(v.(string))
			case *array.LargeStringBuilder:
				b.Append(v.(string))
			case *array.BinaryBuilder:
				b.Append([]byte(v.(string)))
			case *array.BinaryDictionaryBuilder:
				if err := b.AppendString(v.(string)); err != nil {
					t.Fatal(err)
				}
			case *array.Int64Builder:
				b.Append(v.(int64))
			case *array.Int32Builder:
				b.Append(v.(int32))
			case *array.Uint16Builder:
				b.Append(v.(uint16))
			case *array.Float64Builder:
				b.Append(v.(float64))
			case *array.Float32Builder:
				b.Append(v.(float32))
			case *array.BooleanBuilder:
				b.Append(v.(bool))
			case *array.Date32Builder:
				b.Append(arrow.Date32(v.(dataset.Day)))
			case *array.Date64Builder:
				b.Append(arrow.Date64(int64(v.(dataset.Day)) * 86400e3))
			case *array.TimestampBuilder:
				b.Append(arrow.Timestamp(v.(int64)))
			case *array.Decimal128Builder:
				b.Append(decimal128.FromI64(v.(int64)))
			default:
				t.Fatalf("test helper: no case for %T", b)
			}
		}
		arrs[k] = b.NewArray()
		b.Release()
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecord(schema, arrs, int64(n))
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.Record{rec})
	defer tbl.Release()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	aprops := pqarrow.DefaultWriterProps()
	if storeSchema {
		aprops = pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema())
	}
	// WriteTable closes f.
	if err := pqarrow.WriteTable(tbl, f, rowGroup, parquet.NewWriterProperties(props...), aprops); err != nil {
		t.Fatal(err)
	}
	return path
}

func cents(a float64) int64 { return int64(math.Round(a * 100)) }

// yyyymmdd returns d as the integer 20060102.
func yyyymmdd(d dataset.Day) int32 {
	y, m, dd := d.Date()
	return int32(y*10000 + m*100 + dd)
}

func sameTransactions(t *testing.T, want, got *dataset.Transactions) {
	t.Helper()
	if !reflect.DeepEqual(want.IDs, got.IDs) {
		t.Fatalf("ids differ: %d vs %d customers", len(want.IDs), len(got.IDs))
	}
	if !reflect.DeepEqual(want.Customer, got.Customer) || !reflect.DeepEqual(want.Day, got.Day) {
		t.Fatal("customer or day columns differ")
	}
	for k := range want.Amount {
		if want.Amount[k] != got.Amount[k] { // exact: the same decimal must give the same float64
			t.Fatalf("row %d: amount %v (CSV) vs %v (Parquet)", k+1, want.Amount[k], got.Amount[k])
		}
	}
	for _, u := range []dataset.Unit{dataset.UnitDay, dataset.UnitWeek} {
		s1, err1 := dataset.Summarize(want, dataset.SummaryOptions{AsOf: dataset.NoDay, Unit: u})
		s2, err2 := dataset.Summarize(got, dataset.SummaryOptions{AsOf: dataset.NoDay, Unit: u})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !reflect.DeepEqual(s1, s2) {
			t.Fatalf("summaries (unit %s) differ", u)
		}
	}
}

// TestParquetMatchesCSV writes the same transactions as CSV and as Parquet
// with many type combinations and checks both read to identical data and
// identical summaries.
func TestParquetMatchesCSV(t *testing.T) {
	rows, _ := synthRows(t, 400, 6)
	big, _ := synthRows(t, 4500, 24) // more rows than one record batch
	// Amounts float32 represents to the cent; at most 1000 rows in one row
	// group, because pqarrow v15 fails to write dictionary arrays longer than
	// its 1024-row write batch or split across row groups (reading is fine).
	small := rows[:0:0]
	for _, r := range rows {
		if math.Abs(r.amount) < 10000 && len(small) < 1000 {
			small = append(small, r)
		}
	}
	numeric := make([]txRow, len(rows)) // integer ids, whole amounts
	for k, r := range rows {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.id, "S"))
		numeric[k] = txRow{strconv.Itoa(n * 7), r.day, math.Round(r.amount)}
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"subscriber_id", "date", "amount"}
	cases := []struct {
		name     string
		rows     []txRow
		cols     func(rs []txRow) []column
		rowGroup int64
		store    bool
	}{
		{"string id, date32, double", rows, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rs[i].id }},
				{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rs[i].day }},
				{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return rs[i].amount }},
			}
		}, 1000, false},
		{"batches and row groups", big, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rs[i].id }},
				{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rs[i].day }},
				{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return rs[i].amount }},
			}
		}, 30000, false},
		{"int64 id, timestamp ms UTC, decimal(12,2)", numeric, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", arrow.PrimitiveTypes.Int64, func(i int) any { n, _ := strconv.ParseInt(rs[i].id, 10, 64); return n }},
				{"date", &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, func(i int) any { return int64(rs[i].day)*86400e3 + 13*3600e3 }},
				{"amount", &arrow.Decimal128Type{Precision: 12, Scale: 2}, func(i int) any { return cents(rs[i].amount) }},
			}
		}, 700, false},
		{"decimal(18,2) with cents", rows, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rs[i].id }},
				{"date", arrow.FixedWidthTypes.Date64, func(i int) any { return rs[i].day }},
				{"amount", &arrow.Decimal128Type{Precision: 18, Scale: 2}, func(i int) any { return cents(rs[i].amount) }},
			}
		}, 5000, false},
		{"dictionary id, timestamp us Asia/Shanghai, float32", small, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String},
					func(i int) any { return rs[i].id }},
				{"date", &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "Asia/Shanghai"}, func(i int) any {
					y, m, d := rs[i].day.Date()
					return time.Date(y, time.Month(m), d, 0, 30, 0, 0, shanghai).UnixMicro() // 16:30 UTC the day before
				}},
				{"amount", arrow.PrimitiveTypes.Float32, func(i int) any { return float32(rs[i].amount) }},
			}
		}, 1 << 20, true}, // one row group: see above
		{"string dates, int64 amounts, large string id", numeric, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", arrow.BinaryTypes.LargeString, func(i int) any { return rs[i].id }},
				{"date", arrow.BinaryTypes.String, func(i int) any { return rs[i].day.String() }},
				{"amount", arrow.PrimitiveTypes.Int64, func(i int) any { return int64(rs[i].amount) }},
			}
		}, 1000, false},
		{"int32 yyyymmdd dates, string amounts, binary id", rows, func(rs []txRow) []column {
			return []column{
				{"subscriber_id", arrow.BinaryTypes.Binary, func(i int) any { return rs[i].id }},
				{"date", arrow.PrimitiveTypes.Int32, func(i int) any { return yyyymmdd(rs[i].day) }},
				{"amount", arrow.BinaryTypes.String, func(i int) any { return strconv.FormatFloat(rs[i].amount, 'f', 2, 64) }},
			}
		}, 1000, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			csvPath := writeTxCSV(t, dir, "tx.csv", header, c.rows)
			pqPath := writeParquet(t, filepath.Join(dir, "tx.parquet"), len(c.rows), c.cols(c.rows), c.rowGroup, c.store)
			want, wst, err := Transactions(csvPath, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, gst, err := Transactions(pqPath, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if gst.Rows != wst.Rows || gst.Accepted != wst.Accepted || gst.Rejected != 0 {
				t.Fatalf("stats: CSV %v, Parquet %v", wst, gst)
			}
			if !reflect.DeepEqual(gst.Columns, wst.Columns) {
				t.Fatalf("columns: CSV %v, Parquet %v", wst.Columns, gst.Columns)
			}
			sameTransactions(t, want, got)
		})
	}
}

// TestParquetFolder reads Spark-style output folders: part files in sorted
// order, bookkeeping files skipped, Hive-style key=value partitions.
func TestParquetFolder(t *testing.T) {
	rows, _ := synthRows(t, 300, 4)
	header := []string{"subscriber_id", "date", "amount"}
	txCols := func(rs []txRow) []column {
		return []column{
			{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rs[i].id }},
			{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rs[i].day }},
			{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return rs[i].amount }},
		}
	}
	dir := t.TempDir()
	want, _, err := Transactions(writeTxCSV(t, dir, "tx.csv", header, rows), Options{})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("spark parts", func(t *testing.T) {
		out := filepath.Join(dir, "spark")
		cut := []int{0, len(rows) / 3, len(rows) / 2, len(rows)}
		// Written out of order: the reader sorts paths.
		for _, p := range []int{2, 0, 1} {
			part := rows[cut[p]:cut[p+1]]
			writeParquet(t, filepath.Join(out, fmt.Sprintf("part-%05d-3f2a.snappy.parquet", p)), len(part), txCols(part), 500, false)
		}
		for _, junk := range []string{"_SUCCESS", "._SUCCESS.crc", ".part-00000-3f2a.snappy.parquet.crc",
			"_temporary/0/part-00009.parquet", ".hidden/part.parquet", "part-00001.crc"} {
			path := filepath.Join(out, junk)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte("not parquet"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var notes bytes.Buffer
		got, st, err := Transactions(out, Options{Notes: &notes})
		if err != nil {
			t.Fatal(err)
		}
		if st.Rows != int64(len(rows)) {
			t.Fatalf("read %d rows, want %d", st.Rows, len(rows))
		}
		if n := strings.Count(notes.String(), "auto-detected"); n != 1 {
			t.Errorf("auto-detected columns reported %d times, want once:\n%s", n, notes.String())
		}
		sameTransactions(t, want, got)
	})

	t.Run("hive partitions by date", func(t *testing.T) {
		out := filepath.Join(dir, "hive")
		for lo := 0; lo < len(rows); {
			hi := lo
			for hi < len(rows) && rows[hi].day == rows[lo].day {
				hi++
			}
			part := rows[lo:hi]
			cols := txCols(part)
			cols = []column{cols[0], cols[2]} // the date lives in the folder name
			writeParquet(t, filepath.Join(out, "date="+rows[lo].day.String(), "part-00000.parquet"), len(part), cols, 1000, false)
			lo = hi
		}
		got, _, err := Transactions(out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sameTransactions(t, want, got)
	})
}

// TestParquetSubscribers checks subscriber exports: nullable churn dates,
// attributes of any type, and a Hive partition column as an attribute.
func TestParquetSubscribers(t *testing.T) {
	_, b := synthRows(t, 500, 12)
	s := &b.Subscribers
	region, plan, ctype := s.Attr("region"), s.Attr("plan"), s.Attr("customer_type")
	dir := t.TempDir()
	// CSV in the order the folder is read: by region folder, then id.
	var csv bytes.Buffer
	csv.WriteString("subscriber_id,activation_date,churn_date,plan,customer_type,lines,region\n")
	regions := []string{"central", "east", "north", "south", "west"}
	for _, r := range regions {
		var idx []int
		for i := range s.ID {
			if region[i] == r {
				idx = append(idx, i)
				fmt.Fprintf(&csv, "%s,%s,%s,%s,%s,%d,%s\n", s.ID[i], s.Activation[i], s.Churn[i], plan[i], ctype[i], i%3+1, r)
			}
		}
		writeParquet(t, filepath.Join(dir, "subs", "region="+r, "part-00000.parquet"), len(idx), []column{
			{"subscriber_id", arrow.BinaryTypes.String, func(k int) any { return s.ID[idx[k]] }},
			{"activation_date", arrow.FixedWidthTypes.Date32, func(k int) any { return s.Activation[idx[k]] }},
			{"churn_date", arrow.FixedWidthTypes.Date32, func(k int) any {
				if d := s.Churn[idx[k]]; d != dataset.NoDay {
					return d
				}
				return nil
			}},
			{"plan", arrow.BinaryTypes.String, func(k int) any { return plan[idx[k]] }},
			{"customer_type", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String},
				func(k int) any { return ctype[idx[k]] }},
			{"lines", arrow.PrimitiveTypes.Uint16, func(k int) any { return uint16(idx[k]%3 + 1) }},
		}, 1<<20, true) // one row group, under 1024 rows: pqarrow v15 cannot write longer dictionary columns
	}
	csvPath := filepath.Join(dir, "subs.csv")
	if err := os.WriteFile(csvPath, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want, _, err := Subscribers(csvPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Subscribers(filepath.Join(dir, "subs"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("subscribers differ:\nCSV     %v %v\nParquet %v %v", want.AttrNames, want.ID[:3], got.AttrNames, got.ID[:3])
	}
}

// TestParquetHiveEscapes checks URL-unescaping of partition values and the
// Hive null partition.
func TestParquetHiveEscapes(t *testing.T) {
	dir := t.TempDir()
	cols := func(id string) []column {
		return []column{
			{"customer_id", arrow.BinaryTypes.String, func(int) any { return id }},
			{"activation_date", arrow.FixedWidthTypes.Date32, func(int) any { return dataset.Civil(2024, 1, 2) }},
		}
	}
	writeParquet(t, filepath.Join(dir, "region=central%20city", "p.parquet"), 1, cols("a"), 10, false)
	writeParquet(t, filepath.Join(dir, "region="+hiveNull, "p.parquet"), 1, cols("b"), 10, false)
	got, _, err := Subscribers(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Sorted path order: "region=__HIVE…" sorts before "region=central…".
	if want := []string{"b", "a"}; !reflect.DeepEqual(got.ID, want) {
		t.Fatalf("ids = %q, want %q", got.ID, want)
	}
	if want := []string{"", "central city"}; !reflect.DeepEqual(got.Attr("region"), want) {
		t.Fatalf("region = %q, want %q", got.Attr("region"), want)
	}
}

// TestParquetSummaryRoundTrip writes a summary as clv does (CSV and Parquet)
// and reads both back to the same values.
func TestParquetSummaryRoundTrip(t *testing.T) {
	_, b := synthRows(t, 300, 12)
	s, err := dataset.Summarize(&b.Transactions, dataset.SummaryOptions{AsOf: b.End, Unit: dataset.UnitWeek})
	if err != nil {
		t.Fatal(err)
	}
	tbl := &render.Table{Columns: []render.Column{
		render.Strings("customer_id", s.IDs), render.Dates("first_date", s.First), render.Dates("last_date", s.Last),
		render.Ints("transactions", s.Transactions), render.Int32s("periods", s.Periods),
		render.Floats("total_amount", s.Total), render.Floats("mean_amount", s.Mean),
		render.Int32s("recency_days", s.Recency), render.Int32s("tenure_days", s.Tenure), render.Int32s("x", s.X),
		render.Floats("t_x", s.Tx), render.Floats("T", s.T), render.Floats("monetary", s.Monetary),
	}}
	dir := t.TempDir()
	var got [2]*dataset.Summary
	for k, f := range []render.Format{render.FormatCSV, render.FormatParquet} {
		path := filepath.Join(dir, "summary."+string(f))
		var buf bytes.Buffer
		if err := render.WriteTable(&buf, f, tbl); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if got[k], _, err = Summary(path, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Fatal("summary read from CSV and from Parquet differ")
	}
	if !reflect.DeepEqual(got[1].X, s.X) || !reflect.DeepEqual(got[1].T, s.T) || !reflect.DeepEqual(got[1].Monetary, s.Monetary) {
		t.Fatal("summary read from Parquet differs from the one written")
	}
}

func TestParquetErrors(t *testing.T) {
	dir := t.TempDir()
	id := func(ids ...any) column {
		return column{"customer_id", arrow.BinaryTypes.String, func(i int) any { return ids[i] }}
	}
	date := func(ds ...any) column {
		return column{"date", arrow.BinaryTypes.String, func(i int) any { return ds[i] }}
	}
	amount := func(as ...any) column {
		return column{"amount", arrow.BinaryTypes.String, func(i int) any { return as[i] }}
	}
	cases := []struct {
		name string
		cols []column
		opt  Options
		want string // error text after the file name
	}{
		{"bad number", []column{id("a", "b"), date("2024-01-01", "2024-01-02"), amount("1.5", "12,5x")}, Options{},
			`:2: column "amount": cannot parse "12,5x" as a number`},
		{"null amount", []column{id("a", "b", "c"), date("2024-01-01", "2024-01-02", "2024-01-03"), amount("1", "2", nil)}, Options{},
			`:3: column "amount": empty value`},
		{"impossible date", []column{id("a"), date("2024-02-30"), amount("1")}, Options{},
			`:1: column "date": "2024-02-30" is not a calendar date`},
		{"null id", []column{id(nil), date("2024-01-01"), amount("1")}, Options{},
			`:1: column "customer_id": empty customer id`},
		{"null typed date", []column{id("a"), {"date", arrow.FixedWidthTypes.Date32, func(int) any { return nil }}, amount("1")}, Options{},
			`:1: column "date": empty date`},
		{"boolean amount", []column{id("a"), date("2024-01-01"), {"amount", arrow.FixedWidthTypes.Boolean, func(int) any { return true }}}, Options{},
			`: column "amount": the Parquet type bool cannot be read as a number (want an integer, float, decimal or string column)`},
		{"float date", []column{id("a"), {"date", arrow.PrimitiveTypes.Float64, func(int) any { return 1.5 }}, amount("1")}, Options{},
			`: column "date": the Parquet type float64 cannot be read as a date (want date32, date64, timestamp, string or integer)`},
		{"missing amount", []column{id("a"), date("2024-01-01")}, Options{},
			`:1: header: no amount column found; name it with --amount-col; columns are: customer_id, date`},
		{"explicit column", []column{id("a"), date("2024-01-01"), amount("1")}, Options{AmountCol: "revenue"},
			`:1: header: no column named "revenue" (--amount-col); columns are: customer_id, date, amount`},
		{"too many bad rows", []column{id("a", "b", "c"), date("x", "y", "2024-01-01"), amount("1", "2", "3")}, Options{MaxErrors: 1},
			`:2: column "date": cannot parse "y" as a date (more than 1 bad rows; --max-errors 1)`},
	}
	rowsOf := map[string]int{"bad number": 2, "null amount": 3, "too many bad rows": 3}
	for _, c := range cases {
		if rowsOf[c.name] == 0 {
			rowsOf[c.name] = 1
		}
		t.Run(c.name, func(t *testing.T) {
			n := rowsOf[c.name]
			path := writeParquet(t, filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".parquet"), n, c.cols, 10, false)
			_, _, err := Transactions(path, c.opt)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrBadInput) {
				t.Fatalf("got %v, want a *Error wrapping ErrBadInput", err)
			}
			if want := path + c.want; err.Error() != want {
				t.Fatalf("got  %s\nwant %s", err, want)
			}
		})
	}
}

func TestParquetFileErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(filepath.Join(empty, "_temporary"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, "_SUCCESS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.parquet")
	if err := os.WriteFile(junk, []byte("customer_id,date,amount\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, want string }{
		{empty, empty + ": folder holds no Parquet files"},
		{junk, junk + ": not a readable Parquet file: "},
	} {
		_, _, err := Transactions(c.name, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !errors.Is(err, ErrBadInput) {
			t.Errorf("%s: got %v, want %q…", c.name, err, c.want)
		}
	}
	if _, _, err := Transactions(filepath.Join(dir, "missing.parquet"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
}

// TestParquetRejects checks --max-errors and --rejects on Parquet input:
// rejected rows carry their row number, reason and the row as CSV text.
func TestParquetRejects(t *testing.T) {
	dir := t.TempDir()
	ids := []string{"a", "b", "c", "d"}
	amounts := []any{"1.5", "12,5x", nil, "4"}
	path := writeParquet(t, filepath.Join(dir, "tx.parquet"), 4, []column{
		{"customer_id", arrow.BinaryTypes.String, func(i int) any { return ids[i] }},
		{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return dataset.Civil(2024, 3, i+1) }},
		{"amount", arrow.BinaryTypes.String, func(i int) any { return amounts[i] }},
	}, 2, false)
	var rej bytes.Buffer
	tx, st, err := Transactions(path, Options{MaxErrors: 5, Rejects: &rej})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 4 || st.Accepted != 2 || st.Rejected != 2 || tx.Len() != 2 {
		t.Fatalf("stats %v, %d rows kept", st, tx.Len())
	}
	want := "line,reason,raw\n" +
		`2,"column ""amount"": cannot parse ""12,5x"" as a number","b,2024-03-02,""12,5x"""` + "\n" +
		`3,"column ""amount"": empty value","c,2024-03-03,"` + "\n"
	if rej.String() != want {
		t.Fatalf("rejects:\n%s\nwant:\n%s", rej.String(), want)
	}
}

// TestParquetChineseHeader checks auto-detection of Chinese column names in
// Parquet, as in a CSV export.
func TestParquetChineseHeader(t *testing.T) {
	rows, _ := synthRows(t, 100, 3)
	dir := t.TempDir()
	header := []string{"用户ID", "账期", "消费金额"}
	want, _, err := Transactions(writeTxCSV(t, dir, "tx.csv", header, rows), Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := writeParquet(t, filepath.Join(dir, "tx.parquet"), len(rows), []column{
		{"用户ID", arrow.BinaryTypes.String, func(i int) any { return rows[i].id }},
		{"账期", arrow.FixedWidthTypes.Date32, func(i int) any { return rows[i].day }},
		{"消费金额", &arrow.Decimal128Type{Precision: 10, Scale: 2}, func(i int) any { return cents(rows[i].amount) }},
	}, 1000, false)
	var notes bytes.Buffer
	got, _, err := Transactions(path, Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	sameTransactions(t, want, got)
	if !strings.Contains(notes.String(), "customer=用户ID, date=账期, amount=消费金额 (auto-detected)") {
		t.Fatalf("notes: %s", notes.String())
	}
}

func TestDecimalConversion(t *testing.T) {
	// The float64 of a decimal must be the correctly rounded value of its
	// text, as strconv.ParseFloat gives.
	cases := []struct {
		lo    int64
		scale int32
	}{{1234, 2}, {-1234, 2}, {1, 22}, {-999999999999999, 4}, {1 << 53, 2}, {-(1 << 53) - 1, 3}, {123456789, 0}, {5, -2}}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d/%d", c.lo, c.scale), func(t *testing.T) {
			typ := &arrow.Decimal128Type{Precision: 38, Scale: c.scale}
			b := array.NewDecimal128Builder(memory.DefaultAllocator, typ)
			b.Append(decimal128.FromI64(c.lo))
			col := &pqColumn{kind: kindNumber}
			col.setArray(b.NewArray())
			got, ok := col.number(0)
			want, err := strconv.ParseFloat(decimal128.FromI64(c.lo).ToString(c.scale), 64)
			if !ok || err != nil || got != want {
				t.Fatalf("got %v (%v), want %v (%v)", got, ok, want, err)
			}
		})
	}
}

func BenchmarkParquetTransactions(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000, 10_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "tx.parquet")
			customers := max(n/14, 1)
			writeParquet(b, path, n, []column{
				{"customer_id", arrow.BinaryTypes.String, func(i int) any { return fmt.Sprintf("S%09d", (i*7919)%customers) }},
				{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return dataset.Civil(2023, 1, 1) + dataset.Day(i*730/n) }},
				{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return float64(i%9000) / 100 }},
			}, 1<<20, false)
			fi, _ := os.Stat(path)
			b.SetBytes(fi.Size())
			b.ResetTimer()
			for b.Loop() {
				tx, _, err := Transactions(path, Options{})
				if err != nil || tx.Len() != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// FuzzParquet feeds corrupted Parquet files to the reader: it must return
// data or an error, never panic (decoder panics are turned into errors by
// guard). Known limit, found by this fuzzer: some corrupt page headers make
// the page reader of Apache Arrow Go v15 loop without end (a page of unknown
// type is skipped without advancing the stream), which the reader cannot
// interrupt; long fuzzing runs report it as a hung worker.
func FuzzParquet(f *testing.F) {
	dir := f.TempDir()
	ids := []string{"a", "b", "a", "c"}
	for k, cols := range [][]column{
		{
			{"customer_id", arrow.BinaryTypes.String, func(i int) any { return ids[i] }},
			{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return dataset.Civil(2024, 1, i+1) }},
			{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return float64(i) + 0.5 }},
		},
		{
			{"customer_id", arrow.PrimitiveTypes.Int64, func(i int) any { return int64(i % 2) }},
			{"date", &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, func(i int) any { return int64(i) * 86400e3 }},
			{"amount", &arrow.Decimal128Type{Precision: 9, Scale: 2}, func(i int) any { return int64(i * 150) }},
		},
	} {
		path := writeParquet(f, filepath.Join(dir, fmt.Sprintf("seed%d.parquet", k)), len(ids), cols, 2, false)
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "x.parquet")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		tx, st, err := Transactions(path, Options{MaxErrors: 10})
		if err != nil {
			return
		}
		if int64(tx.Len()) != st.Accepted || st.Rows != st.Accepted+st.Rejected {
			t.Fatalf("stats %v for %d rows", st, tx.Len())
		}
	})
}

func TestBudgetAllocator(t *testing.T) {
	a := newBudgetAllocator(1 << 20)
	b := a.Allocate(600 << 10)
	b = a.Reallocate(900<<10, b)
	a.Free(b)
	c := a.Allocate(1 << 20) // everything was freed: the whole budget is available
	err := guard(func() error {
		a.Allocate(1)
		return nil
	})
	if !errors.Is(err, errBudget) {
		t.Fatalf("got %v, want errBudget", err)
	}
	a.Free(c)
	if a.used.Load() != 0 {
		t.Fatalf("%d bytes still counted", a.used.Load())
	}
}

// TestParquetProgress checks that progress is reported in bytes of the
// input and ends at the total, also across the files of a folder.
func TestParquetProgress(t *testing.T) {
	rows, _ := synthRows(t, 600, 12)
	dir := t.TempDir()
	var total int64
	for k := range 2 {
		part := rows[k*len(rows)/2 : (k+1)*len(rows)/2]
		path := writeParquet(t, filepath.Join(dir, fmt.Sprintf("part-%d.parquet", k)), len(part), []column{
			{"customer_id", arrow.BinaryTypes.String, func(i int) any { return part[i].id }},
			{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return part[i].day }},
			{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return part[i].amount }},
		}, 1000, false)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	var calls [][2]int64
	_, _, err := Transactions(dir, Options{Progress: func(done, tot int64) { calls = append(calls, [2]int64{done, tot}) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 {
		t.Fatalf("%d progress calls", len(calls))
	}
	for k, c := range calls {
		if c[1] != total || (k > 0 && c[0] < calls[k-1][0]) {
			t.Fatalf("call %d: %v (total %d): want the total and non-decreasing progress", k, c, total)
		}
	}
	if last := calls[len(calls)-1]; last[0] != total {
		t.Fatalf("last progress %v, want %d", last, total)
	}
}

// TestParquetDedupe checks that --dedupe works on Parquet input as on CSV.
func TestParquetDedupe(t *testing.T) {
	ids := []string{"a", "a", "b", "a"}
	days := []dataset.Day{1, 1, 1, 2}
	amts := []float64{5, 5, 5, 5}
	path := writeParquet(t, filepath.Join(t.TempDir(), "tx.parquet"), 4, []column{
		{"customer_id", arrow.BinaryTypes.String, func(i int) any { return ids[i] }},
		{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return days[i] }},
		{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return amts[i] }},
	}, 10, false)
	tx, st, err := Transactions(path, Options{Dedupe: true})
	if err != nil {
		t.Fatal(err)
	}
	if tx.Len() != 3 || st.Duplicates != 1 || st.Rows != 4 {
		t.Fatalf("%d rows kept, stats %v; want 3 kept and 1 duplicate", tx.Len(), st)
	}
}
