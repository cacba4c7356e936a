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
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	_ "time/tzdata" // time zones of timestamp columns resolve the same on every machine

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

const (
	pageBufferSize = 1 << 20 // bytes buffered per column chunk stream
	hiveNull       = "__HIVE_DEFAULT_PARTITION__"
)

// batchRows is the number of rows per record batch (a variable for tests).
var batchRows int64 = 64 << 10

// dictBatchRows is the batch size of a streaming read, which takes string
// columns as dictionaries (a variable for tests).
var dictBatchRows int64 = 1048576

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
	if ts, ok := sink.(*txSink); ok && ts.agg == nil {
		// The row count is in the footer: size the columns once (up to a
		// bound, since a corrupt footer can claim any count). A streaming
		// read (agg) keeps no rows.
		n := int(min(pf.NumRows(), maxPrealloc))
		ts.cust, ts.day, ts.amt = slices.Grow(ts.cust, n), slices.Grow(ts.day, n), slices.Grow(ts.amt, n)
	}
	ts, dictRead := sink.(*txSink)
	dictRead = dictRead && ts.agg != nil
	var fr *pqarrow.FileReader
	err = guard(func() (err error) {
		// Columns are decoded serially, in the goroutine that calls guard,
		// so that a panic of the decoder on a corrupt file is caught.
		props := pqarrow.ArrowReadProperties{BatchSize: batchRows}
		if dictRead {
			// The decoder rebuilds the dictionary array of a string column
			// for every batch, so the streaming read takes larger batches
			// (a 1M-row row group in 4 batches rather than 16).
			props.BatchSize = dictBatchRows
			// The streaming read takes string columns as dictionaries, so
			// that each distinct id is hashed once per dictionary.
			sc := pf.MetaData().Schema
			for i := range sc.NumColumns() {
				if sc.Column(i).PhysicalType() == parquet.Types.ByteArray {
					props.SetReadDict(i, true)
				}
			}
		}
		fr, err = pqarrow.NewFileReader(pf, props, mem)
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
	skip := int64(0) // rows the row-group path added before handing over
	emit := func(n int) error {
		for r := range n {
			line++
			if skip > 0 {
				skip--
				continue
			}
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
	// Dictionary columns are read a row group at a time: the decoder cannot
	// join two row groups' dictionaries in one batch.
	var groups [][]int
	if dictRead {
		for g := range pf.NumRowGroups() {
			groups = append(groups, []int{g})
		}
	}
	if plan, ok := groupPlan(pf, fr, specCols); ok && useRowGroups && ts != nil && len(attrCols) == 0 {
		// The common shape: whole row groups in parallel (parquet_groups.go),
		// then the row-by-row path from the first row group it cannot take.
		done, rows, partial, err := ts.readGroups(pf, plan, p.path, func(rows int64) {
			line = int(rows)
			progress()
		})
		if err != nil {
			return err
		}
		line, skip = int(rows-partial), partial
		if dictRead {
			groups = groups[done:]
		} else if done < pf.NumRowGroups() {
			// One record reader over the row groups left.
			rest := make([]int, 0, pf.NumRowGroups()-done)
			for g := done; g < pf.NumRowGroups(); g++ {
				rest = append(rest, g)
			}
			groups = [][]int{rest}
		}
		if done == pf.NumRowGroups() {
			if int64(line) != fileRows {
				return &Error{File: p.path, Msg: fmt.Sprintf("corrupt Parquet data: the footer declares %d rows, decoding gave %d", fileRows, line)}
			}
			return nil
		}
	}
	var firstGroups []int
	if len(groups) > 0 {
		firstGroups = groups[0]
	}
	var rr pqarrow.RecordReader
	err = guard(func() (err error) {
		rr, err = fr.GetRecordReader(context.Background(), leaves, firstGroups)
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
		cur, next := rr, 1
		defer func() {
			if cur != rr {
				cur.Release()
			}
		}()
		for {
			var rec arrow.Record
			err := guard(func() error {
				if cur.Next() {
					rec = cur.Record()
					rec.Retain()
					return nil
				}
				return cur.Err()
			})
			if errors.Is(err, io.EOF) {
				err = nil
			}
			if rec == nil && err == nil {
				if next >= len(groups) {
					return
				}
				var nr pqarrow.RecordReader
				err = guard(func() (err error) {
					nr, err = fr.GetRecordReader(context.Background(), leaves, groups[next])
					return err
				})
				next++
				if err == nil {
					if cur != rr {
						cur.Release()
					}
					cur = nr
					continue
				}
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
		var err error
		done := false
		if ts, ok := sink.(*txSink); ok && ts.agg != nil && skip == 0 {
			done, err = ts.fastBatch(specCols, int(b.rec.NumRows()))
			if done {
				line += int(b.rec.NumRows())
			}
		}
		if !done && err == nil {
			err = emit(int(b.rec.NumRows()))
		}
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

// decoded is a record batch, or the error that ended decoding.
type decoded struct {
	rec arrow.Record
	err error
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
