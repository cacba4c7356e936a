package read

// Parquet input: one file, or a folder of files (Spark or Hive output) read
// as one input.
//
// A folder is walked recursively in sorted path order. Names starting with
// "." or "_" (hidden files, _SUCCESS, _committed_*, .crc checksums, the
// _temporary folder) are skipped, and so are files ending in .crc. Folder
// names of the form key=value (Hive-style partitions) add a column named key
// with the (URL-unescaped) text value to every row of the files below them;
// __HIVE_DEFAULT_PARTITION__ is a null.
//
// Each file is read in record batches of batchRows rows through a buffered
// page stream, so memory holds two batches (the next one is decoded while
// the current one is consumed) and one buffer per column, never a whole file
// or row group. Only the columns the table needs are decoded. Parquet cannot
// be read from standard input (the footer is at the end of the file).
//
// A corrupt file is an error, not a crash: panics of the Parquet library are
// recovered, and decoding buffers are capped (bufferBudget).
//
// Column types:
//
//   - customer id: string, binary, integer, or float (written without a
//     fraction when whole, as pandas stores integer ids that have nulls);
//   - dates: date32, date64, timestamp (any unit; the calendar date in the
//     column's time zone, UTC when the column has none or is adjusted to
//     UTC), string (parsed like CSV text), or integer (read as its decimal
//     text, so 20240115 is a date);
//   - amounts: integer, float (float32 values are read as the shortest
//     decimal that identifies them, so 12.34f is 12.34), decimal128/256
//     (converted with correct rounding, so a decimal 12.34 equals the CSV
//     text 12.34), or string (parsed like CSV text);
//   - other columns (subscriber attributes): any type, as text.
//
// Dictionary-encoded columns are read through their dictionary. Row numbers
// in errors count the data rows of each file from 1.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // time zones of timestamp columns resolve the same on every machine

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/clvkit/clv/clv/dataset"
)

const (
	batchRows      = 64 << 10 // rows per record batch
	pageBufferSize = 1 << 20  // bytes buffered per column chunk stream
	hiveNull       = "__HIVE_DEFAULT_PARTITION__"
)

func init() { parquetReader = readParquet }

// parquetPart is one Parquet file of an input, with the Hive partition
// columns its folder path implies.
type parquetPart struct {
	path   string
	size   int64
	keys   []string
	values []string // "" with null[k] for __HIVE_DEFAULT_PARTITION__
	null   []bool
}

// readParquet reads the Parquet file or folder name into sink.
func readParquet(name string, spec *tableSpec, opt *Options, stats *Stats, sink rowSink) error {
	parts, err := parquetParts(name)
	if err != nil {
		return err
	}
	var total, before int64
	for _, p := range parts {
		total += p.size
	}
	quiet := *opt
	quiet.Notes = nil
	for k, p := range parts {
		o := opt
		if k > 0 {
			o = &quiet // say which columns were auto-detected once, not once per part file
		}
		if err := readParquetPart(p, spec, o, stats, sink, before, total); err != nil {
			return err
		}
		before += p.size
	}
	return nil
}

// parquetParts lists the Parquet files of name (a file or a folder) in
// sorted path order, skipping hidden and bookkeeping files.
func parquetParts(name string) ([]parquetPart, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []parquetPart{{path: name, size: fi.Size()}}, nil
	}
	var parts []parquetPart
	err = filepath.WalkDir(name, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == name {
			return nil
		}
		base := d.Name()
		if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(strings.ToLower(base), ".crc") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		p := parquetPart{path: path, size: info.Size()}
		rel, err := filepath.Rel(name, filepath.Dir(path))
		if err != nil {
			return err
		}
		if rel != "." {
			for _, seg := range strings.Split(filepath.ToSlash(rel), "/") {
				k, v, ok := strings.Cut(seg, "=")
				if !ok || k == "" {
					continue
				}
				if uk, err := url.PathUnescape(k); err == nil {
					k = uk
				}
				null := v == hiveNull
				if uv, err := url.PathUnescape(v); err == nil && !null {
					v = uv
				}
				if null {
					v = ""
				}
				if i := slices.Index(p.keys, k); i >= 0 {
					return &Error{File: path, Msg: fmt.Sprintf("partition key %q appears twice in the folder path", k)}
				}
				p.keys = append(p.keys, k)
				p.values = append(p.values, v)
				p.null = append(p.null, null)
			}
		}
		parts = append(parts, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, &Error{File: name, Msg: "folder holds no Parquet files"}
	}
	slices.SortFunc(parts, func(a, b parquetPart) int { return strings.Compare(a.path, b.path) })
	return parts, nil
}

// readParquetPart reads one file of the input into sink.
func readParquetPart(p parquetPart, spec *tableSpec, opt *Options, stats *Stats, sink rowSink, before, total int64) error {
	mem := newBudgetAllocator(bufferBudget)
	props := parquet.NewReaderProperties(mem)
	props.BufferedStreamEnabled = true
	props.BufferSize = pageBufferSize
	// Open the file here rather than with file.OpenParquetFile, which leaks
	// the descriptor when the footer is unreadable.
	f, err := os.Open(p.path)
	if err != nil {
		return err
	}
	defer f.Close()
	var pf *file.Reader
	err = guard(func() (err error) {
		pf, err = file.NewParquetReader(f, file.WithReadProps(props))
		return err
	})
	if err != nil {
		return &Error{File: p.path, Msg: fmt.Sprintf("not a readable Parquet file: %v", err)}
	}
	if err := guard(func() error { return checkFooter(pf) }); err != nil {
		return &Error{File: p.path, Msg: err.Error()}
	}
	if ts, ok := sink.(*txSink); ok {
		// The row count is in the footer: size the columns once (up to a
		// bound, since a corrupt footer can claim any count).
		n := int(min(pf.NumRows(), maxPrealloc))
		ts.cust, ts.day, ts.amt = slices.Grow(ts.cust, n), slices.Grow(ts.day, n), slices.Grow(ts.amt, n)
	}
	var fr *pqarrow.FileReader
	err = guard(func() (err error) {
		// Columns are decoded serially, in the goroutine that calls guard,
		// so that a panic of the decoder on a corrupt file is caught.
		fr, err = pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: batchRows}, mem)
		return err
	})
	if err != nil {
		return &Error{File: p.path, Msg: fmt.Sprintf("not a readable Parquet file: %v", err)}
	}
	var schema *arrow.Schema
	err = guard(func() (err error) {
		schema, err = fr.Schema()
		return err
	})
	if err != nil {
		return &Error{File: p.path, Msg: fmt.Sprintf("unsupported Parquet schema: %v", err)}
	}
	fields := schema.Fields()
	header := make([]string, 0, len(fields)+len(p.keys))
	for _, f := range fields {
		header = append(header, f.Name)
	}
	for _, k := range p.keys {
		if slices.Contains(header, k) {
			return &Error{File: p.path, Msg: fmt.Sprintf("partition key %s is also a column of the file", quoteValue(clipName(k)))}
		}
		header = append(header, k)
	}
	cols, err := resolveColumns(p.path, header, spec, opt, stats)
	if err != nil {
		return err
	}
	if err := sink.begin(p.path, cols); err != nil {
		return err
	}

	// The columns to decode: spec columns, then attributes, by header position.
	specCols := make([]*pqColumn, len(spec.cols))
	attrCols := make([]*pqColumn, len(cols.attrs))
	byPos := map[int]*pqColumn{}
	column := func(pos int, kind valueKind) (*pqColumn, error) {
		if c, ok := byPos[pos]; ok {
			return c, nil
		}
		c := &pqColumn{name: header[pos], kind: kind, field: -1}
		if pos < len(fields) {
			c.field = pos
			if err := c.check(fields[pos].Type); err != nil {
				return nil, &Error{File: p.path, Column: c.name, Msg: err.Error()}
			}
		} else {
			k := pos - len(fields)
			c.konst, c.konstNull = []byte(p.values[k]), p.null[k]
		}
		byPos[pos] = c
		return c, nil
	}
	for i, pos := range cols.index {
		if pos < 0 {
			continue
		}
		if specCols[i], err = column(pos, spec.cols[i].kind); err != nil {
			return err
		}
	}
	for k, pos := range cols.attrs {
		if attrCols[k], err = column(pos, kindText); err != nil {
			return err
		}
	}
	var leaves []int
	var order []*pqColumn // decoded columns in header order, for the rejects' raw text
	for pos := range header {
		c, ok := byPos[pos]
		if !ok {
			continue
		}
		order = append(order, c)
		if c.field >= 0 {
			leaves = appendLeaves(leaves, &fr.Manifest.Fields[c.field])
		}
	}
	wantRaw := opt.Rejects != nil

	cells := make([]cell, len(spec.cols))
	attrs := make([][]byte, len(attrCols))
	var raw []byte
	fileRows := pf.NumRows()
	line := 0
	emit := func(n int) error {
		for r := range n {
			line++
			for i, c := range specCols {
				if c == nil {
					cells[i] = cell{null: true}
					continue
				}
				c.fill(r, &cells[i])
			}
			for k, c := range attrCols {
				attrs[k] = c.appendText(c.buf[:0], r)
				c.buf = attrs[k][:0]
			}
			if wantRaw {
				raw = raw[:0]
				for j, c := range order {
					if j > 0 {
						raw = append(raw, ',')
					}
					t := c.appendText(c.rawBuf[:0], r)
					c.rawBuf = t[:0]
					raw = appendCSVField(raw, t)
				}
			}
			if err := sink.row(line, cells, attrs, raw); err != nil {
				return err
			}
		}
		return nil
	}
	progress := func() {
		if opt.Progress != nil && fileRows > 0 {
			opt.Progress(before+p.size*int64(line)/fileRows, total)
		}
	}

	if len(leaves) == 0 {
		// Every needed column comes from the folder path: one row per file row.
		for line < int(fileRows) {
			if err := emit(int(min(fileRows-int64(line), batchRows))); err != nil {
				return err
			}
		}
		progress()
		return nil
	}
	var rr pqarrow.RecordReader
	err = guard(func() (err error) {
		rr, err = fr.GetRecordReader(context.Background(), leaves, nil)
		return err
	})
	if err != nil {
		return &Error{File: p.path, Msg: fmt.Sprintf("cannot read Parquet columns: %v", err)}
	}
	defer rr.Release()
	recSchema := rr.Schema()
	for _, c := range byPos {
		if c.field < 0 {
			continue
		}
		idx := recSchema.FieldIndices(c.name)
		if len(idx) != 1 {
			return &Error{File: p.path, Column: c.name, Msg: "column missing from the decoded record batch"}
		}
		c.recIndex = idx[0]
	}
	// Decode the next batch in a second goroutine while this one hands the
	// current batch to the sink.
	batches := make(chan decoded, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(batches)
		for {
			var rec arrow.Record
			err := guard(func() error {
				if rr.Next() {
					rec = rr.Record()
					rec.Retain()
					return nil
				}
				return rr.Err()
			})
			if errors.Is(err, io.EOF) {
				err = nil
			}
			if rec == nil && err == nil {
				return
			}
			select {
			case batches <- decoded{rec, err}:
			case <-stop:
				if rec != nil {
					rec.Release()
				}
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for b := range batches {
			if b.rec != nil {
				b.rec.Release()
			}
		}
		wg.Wait() // before rr.Release
	}()
	for b := range batches {
		if b.err != nil {
			return &Error{File: p.path, Line: line + 1, Msg: fmt.Sprintf("cannot decode Parquet data: %v", b.err)}
		}
		// A corrupt page can make the decoder return more rows than the
		// footer declares (or loop on empty batches): stop at the first.
		if n := b.rec.NumRows(); n <= 0 || int64(line)+n > fileRows {
			b.rec.Release()
			return &Error{File: p.path, Msg: fmt.Sprintf("corrupt Parquet data: decoding gives more than the %d rows the footer declares", fileRows)}
		}
		for _, c := range byPos {
			if c.field >= 0 {
				c.setArray(b.rec.Column(c.recIndex))
			}
		}
		err := emit(int(b.rec.NumRows()))
		b.rec.Release()
		if err != nil {
			return err
		}
		progress()
	}
	if int64(line) != fileRows {
		// A page the decoder skipped (a corrupt page type) loses its rows
		// without an error.
		return &Error{File: p.path, Msg: fmt.Sprintf("corrupt Parquet data: the footer declares %d rows, decoding gave %d", fileRows, line)}
	}
	return nil
}

// maxPrealloc bounds the rows a footer's count preallocates.
const maxPrealloc = 1 << 26

// checkFooter checks the footer before decoding: the row counts (not
// negative; the file's is the sum of its row groups') and that every row
// group has a readable chunk for every column of the schema (arrow decodes
// columns in goroutines of its own, where a nil chunk would crash the
// process instead of panicking inside guard). Call it inside guard.
func checkFooter(pf *file.Reader) error {
	total := pf.NumRows()
	if total < 0 {
		return fmt.Errorf("corrupt footer: %d rows", total)
	}
	md := pf.MetaData()
	cols := md.Schema.NumColumns()
	var sum int64
	for g := range pf.NumRowGroups() {
		rg := md.RowGroup(g)
		n := rg.NumRows()
		if n < 0 || n > total-sum {
			return fmt.Errorf("corrupt footer: row group %d claims %d rows of the file's %d", g, n, total)
		}
		sum += n
		if rg.NumColumns() != cols {
			return fmt.Errorf("corrupt footer: row group %d has %d column chunks for %d columns", g, rg.NumColumns(), cols)
		}
		for c := range cols {
			if _, err := rg.ColumnChunk(c); err != nil {
				return fmt.Errorf("corrupt footer: row group %d, column %d: %v", g, c, err)
			}
		}
	}
	if sum != total {
		return fmt.Errorf("corrupt footer: the row groups hold %d rows, the file %d", sum, total)
	}
	return nil
}

// decoded is a record batch, or the error that ended decoding.
type decoded struct {
	rec arrow.Record
	err error
}

// bufferBudget caps the Arrow buffers of one file that are allocated and not
// yet released. Reading a well-formed file holds a few pages and one record
// batch (5 MB at most for a 13.6M-row, 113 MB file with 64K-row batches); a
// corrupt page header can claim gigabytes, and the budget turns that into an
// error instead of an out-of-memory crash.
const bufferBudget = 1 << 30

// errBudget is the panic value of an exhausted budgetAllocator.
var errBudget = errors.New("the file needs more than 1 GiB of decoding buffers at once (corrupt page sizes?)")

// budgetAllocator is an Arrow allocator that panics with errBudget when the
// bytes it has handed out and not had back exceed its limit.
type budgetAllocator struct {
	mem   memory.Allocator
	used  atomic.Int64
	limit int64
}

func newBudgetAllocator(limit int64) *budgetAllocator {
	return &budgetAllocator{mem: memory.NewGoAllocator(), limit: limit}
}

func (a *budgetAllocator) charge(n int) {
	if a.used.Add(int64(n)) > a.limit {
		a.used.Add(-int64(n))
		panic(errBudget)
	}
}

// Allocate implements memory.Allocator.
func (a *budgetAllocator) Allocate(size int) []byte {
	a.charge(size)
	return a.mem.Allocate(size)
}

// Reallocate implements memory.Allocator.
func (a *budgetAllocator) Reallocate(size int, b []byte) []byte {
	a.charge(size - len(b))
	return a.mem.Reallocate(size, b)
}

// Free implements memory.Allocator.
func (a *budgetAllocator) Free(b []byte) {
	a.used.Add(-int64(len(b)))
	a.mem.Free(b)
}

// guard runs f, turning a panic of the Parquet library (which it raises on
// some corrupt files) into an error.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && errors.Is(e, errBudget) {
				err = e
				return
			}
			err = fmt.Errorf("corrupt Parquet data: %v", r)
		}
	}()
	return f()
}

// appendLeaves appends the leaf column indices of a schema field.
func appendLeaves(dst []int, f *pqarrow.SchemaField) []int {
	if f.IsLeaf() {
		return append(dst, f.ColIndex)
	}
	for i := range f.Children {
		dst = appendLeaves(dst, &f.Children[i])
	}
	return dst
}

// appendCSVField appends text to dst, quoted when it holds a comma, quote or
// line break.
func appendCSVField(dst, text []byte) []byte {
	quote := false
	for _, b := range text {
		if b == ',' || b == '"' || b == '\n' || b == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(dst, text...)
	}
	dst = append(dst, '"')
	for _, b := range text {
		if b == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, b)
	}
	return append(dst, '"')
}

// pqColumn decodes one column of a Parquet file into cells.
type pqColumn struct {
	name      string
	kind      valueKind // what the table wants from the column
	field     int       // top-level field of the file; -1 for a partition key
	recIndex  int       // column of the decoded record batch
	konst     []byte    // partition value
	konstNull bool

	arr    arrow.Array
	dict   *array.Dictionary // arr is a dictionary's values when set
	loc    *time.Location    // zone of a timestamp column
	unit   int64             // timestamp units per day
	scale  int32             // decimal scale
	buf    []byte            // text of the current value
	rawBuf []byte
}

// check reports whether a column of type dt can be read as c.kind.
func (c *pqColumn) check(dt arrow.DataType) error {
	if d, ok := dt.(*arrow.DictionaryType); ok {
		dt = d.ValueType
	}
	id := dt.ID()
	ok := false
	switch c.kind {
	case kindText:
		ok = true
	case kindID:
		ok = isStringType(id) || isIntType(id) || isFloatType(id) || id == arrow.NULL
	case kindDate, kindOptDate:
		ok = isStringType(id) || isIntType(id) || id == arrow.DATE32 || id == arrow.DATE64 || id == arrow.TIMESTAMP || id == arrow.NULL
	case kindNumber:
		ok = isStringType(id) || isIntType(id) || isFloatType(id) || id == arrow.DECIMAL128 || id == arrow.DECIMAL256 || id == arrow.NULL
	}
	if !ok {
		return fmt.Errorf("the Parquet type %s cannot be read as %s", dt, kindName(c.kind))
	}
	if ts, isTS := dt.(*arrow.TimestampType); isTS {
		if _, err := ts.GetZone(); err != nil {
			return fmt.Errorf("timestamp time zone %q is unknown", ts.TimeZone)
		}
	}
	return nil
}

func kindName(k valueKind) string {
	switch k {
	case kindID:
		return "a customer id (want a string or integer column)"
	case kindDate, kindOptDate:
		return "a date (want date32, date64, timestamp, string or integer)"
	case kindNumber:
		return "a number (want an integer, float, decimal or string column)"
	}
	return "text"
}

func isStringType(id arrow.Type) bool {
	return id == arrow.STRING || id == arrow.LARGE_STRING || id == arrow.BINARY || id == arrow.LARGE_BINARY
}

func isIntType(id arrow.Type) bool {
	switch id {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return true
	}
	return false
}

func isFloatType(id arrow.Type) bool {
	return id == arrow.FLOAT16 || id == arrow.FLOAT32 || id == arrow.FLOAT64
}

// setArray points c at the column of a new record batch.
func (c *pqColumn) setArray(a arrow.Array) {
	c.dict = nil
	if d, ok := a.(*array.Dictionary); ok {
		c.dict = d
		a = d.Dictionary()
	}
	c.arr = a
	switch t := a.DataType().(type) {
	case *arrow.TimestampType:
		c.loc, _ = t.GetZone() // checked in check
		c.unit = map[arrow.TimeUnit]int64{arrow.Second: 86400, arrow.Millisecond: 86400e3,
			arrow.Microsecond: 86400e6, arrow.Nanosecond: 86400e9}[t.Unit]
	case *arrow.Decimal128Type:
		c.scale = t.Scale
	case *arrow.Decimal256Type:
		c.scale = t.Scale
	}
}

// index maps row r of the batch to the index into c.arr, or -1 for null.
func (c *pqColumn) index(r int) int {
	if c.dict != nil {
		if c.dict.IsNull(r) {
			return -1
		}
		i := c.dict.GetValueIndex(r)
		if c.arr.IsNull(i) {
			return -1
		}
		return i
	}
	if c.arr.IsNull(r) {
		return -1
	}
	return r
}

// fill sets *ce to the value of row r: typed days and numbers where the
// column has them, text otherwise.
func (c *pqColumn) fill(r int, ce *cell) {
	*ce = cell{}
	if c.field < 0 {
		ce.text, ce.null = c.konst, c.konstNull
		return
	}
	i := c.index(r)
	if i < 0 {
		ce.null = true
		return
	}
	switch c.kind {
	case kindDate, kindOptDate:
		if d, ok := c.day(i); ok {
			ce.typed, ce.day = true, d
			return
		}
	case kindNumber:
		if v, ok := c.number(i); ok {
			ce.typed, ce.num = true, v
			return
		}
	}
	if b, ok := c.view(i); ok {
		ce.text = b
		return
	}
	ce.text = c.appendText(c.buf[:0], r)
	c.buf = ce.text[:0]
}

// view returns value i of a string or binary column without copying (valid
// until the next batch).
func (c *pqColumn) view(i int) ([]byte, bool) {
	switch a := c.arr.(type) {
	case *array.String:
		o := a.ValueOffsets()
		return a.ValueBytes()[o[i]-o[0] : o[i+1]-o[0]], true
	case *array.LargeString:
		o := a.ValueOffsets()
		return a.ValueBytes()[o[i]-o[0] : o[i+1]-o[0]], true
	case *array.Binary:
		return a.Value(i), true
	case *array.LargeBinary:
		return a.Value(i), true
	}
	return nil, false
}

// day returns the calendar day of value i of a date or timestamp column.
func (c *pqColumn) day(i int) (dataset.Day, bool) {
	switch a := c.arr.(type) {
	case *array.Date32:
		return dataset.Day(a.Value(i)), true
	case *array.Date64:
		return dataset.Day(floorDiv64(int64(a.Value(i)), 86400e3)), true
	case *array.Timestamp:
		v := int64(a.Value(i))
		if c.loc == time.UTC {
			return dataset.Day(floorDiv64(v, c.unit)), true
		}
		return dataset.DayOf(c.instant(v)), true
	}
	return 0, false
}

// number returns value i of a numeric column as float64.
func (c *pqColumn) number(i int) (float64, bool) {
	switch a := c.arr.(type) {
	case *array.Float64:
		return a.Value(i), true
	case *array.Float32:
		v := a.Value(i)
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return float64(v), true
		}
		// The shortest decimal that identifies the float32, read as float64.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
		return f, true
	case *array.Float16:
		return float64(a.Value(i).Float32()), true
	case *array.Int8:
		return float64(a.Value(i)), true
	case *array.Int16:
		return float64(a.Value(i)), true
	case *array.Int32:
		return float64(a.Value(i)), true
	case *array.Int64:
		return float64(a.Value(i)), true
	case *array.Uint8:
		return float64(a.Value(i)), true
	case *array.Uint16:
		return float64(a.Value(i)), true
	case *array.Uint32:
		return float64(a.Value(i)), true
	case *array.Uint64:
		return float64(a.Value(i)), true
	case *array.Decimal128:
		n := a.Value(i)
		hi, lo := n.HighBits(), n.LowBits()
		if c.scale >= 0 && int(c.scale) < len(pow10) {
			// Exact mantissa divided by an exact power of ten: correctly rounded,
			// the same float64 the CSV reader gives for the same decimal text.
			if hi == 0 && lo < 1<<53 {
				return float64(lo) / pow10[c.scale], true
			}
			if hi == -1 && lo != 0 && -lo < 1<<53 {
				return -float64(-lo) / pow10[c.scale], true
			}
		}
		f, err := strconv.ParseFloat(n.ToString(c.scale), 64)
		return f, err == nil
	case *array.Decimal256:
		f, err := strconv.ParseFloat(a.Value(i).ToString(c.scale), 64)
		return f, err == nil
	}
	return 0, false
}

// appendText appends the text of row r to dst ("" for null).
func (c *pqColumn) appendText(dst []byte, r int) []byte {
	if c.field < 0 {
		return append(dst, c.konst...)
	}
	i := c.index(r)
	if i < 0 {
		return dst
	}
	switch a := c.arr.(type) {
	case *array.String:
		return append(dst, a.Value(i)...)
	case *array.LargeString:
		return append(dst, a.Value(i)...)
	case *array.Binary:
		return append(dst, a.Value(i)...)
	case *array.LargeBinary:
		return append(dst, a.Value(i)...)
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10)
	case *array.Uint8:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint16:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(dst, a.Value(i), 10)
	case *array.Float64:
		return strconv.AppendFloat(dst, a.Value(i), 'f', -1, 64)
	case *array.Float32:
		return strconv.AppendFloat(dst, float64(a.Value(i)), 'f', -1, 32)
	case *array.Boolean:
		return strconv.AppendBool(dst, a.Value(i))
	case *array.Decimal128:
		return append(dst, a.Value(i).ToString(c.scale)...)
	case *array.Decimal256:
		return append(dst, a.Value(i).ToString(c.scale)...)
	case *array.Timestamp:
		return append(dst, c.timestamp(a, i)...)
	case *array.Date32, *array.Date64:
		d, _ := c.day(i)
		return d.AppendISO(dst)
	}
	return append(dst, c.arr.ValueStr(i)...)
}

// timestamp formats value i of a timestamp column as RFC 3339 in the
// column's zone.
func (c *pqColumn) timestamp(a *array.Timestamp, i int) string {
	return c.instant(int64(a.Value(i))).Format(time.RFC3339Nano)
}

// instant converts a raw timestamp value of the column to a time in the
// column's zone.
func (c *pqColumn) instant(v int64) time.Time {
	perSec := c.unit / 86400
	sec := floorDiv64(v, perSec)
	return time.Unix(sec, (v-sec*perSec)*(1e9/perSec)).In(c.loc)
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
