package render

import (
	"io"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/clvkit/clv/clv/dataset"
)

// parquetBatch is the number of rows per Arrow record (and row group slice).
const parquetBatch = 64 << 10

// writeParquet writes t as a Parquet file (snappy-compressed): strings as
// UTF-8, ints as int64, floats as double, dates as date32 (missing = null),
// bools as boolean.
//
// kv is written as the file's key-value metadata, in order.
func writeParquet(w io.Writer, t *Table, kv [][2]string) error {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		var dt arrow.DataType
		switch c.Kind {
		case KindInt:
			dt = arrow.PrimitiveTypes.Int64
		case KindFloat:
			dt = arrow.PrimitiveTypes.Float64
		case KindDate:
			dt = arrow.FixedWidthTypes.Date32
		case KindBool:
			dt = arrow.FixedWidthTypes.Boolean
		default:
			dt = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: c.Name, Type: dt, Nullable: c.Kind == KindDate || c.Null != nil}
	}
	schema := arrow.NewSchema(fields, nil)
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(1<<20), parquet.WithCreatedBy("clv"))
	fw, err := pqarrow.NewFileWriter(schema, nopCloser{w}, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	mem := memory.DefaultAllocator
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	n := t.Rows()
	for lo := 0; lo < n || (n == 0 && lo == 0); lo += parquetBatch {
		hi := min(lo+parquetBatch, n)
		for i := range t.Columns {
			c := &t.Columns[i]
			var valid []bool
			if c.Null != nil {
				valid = make([]bool, hi-lo)
				for r := range valid {
					valid[r] = !c.Null[lo+r]
				}
			}
			switch fb := b.Field(i).(type) {
			case *array.Int64Builder:
				if c.Small != nil {
					v := make([]int64, hi-lo)
					for r := range v {
						v[r] = int64(c.Small[lo+r])
					}
					fb.AppendValues(v, valid)
				} else {
					fb.AppendValues(c.Ints[lo:hi], valid)
				}
			case *array.Float64Builder:
				fb.AppendValues(c.Floats[lo:hi], valid)
			case *array.Date32Builder:
				for r, d := range c.Dates[lo:hi] {
					if d == dataset.NoDay || c.IsNull(lo+r) {
						fb.AppendNull()
					} else {
						fb.Append(arrow.Date32(d))
					}
				}
			case *array.BooleanBuilder:
				fb.AppendValues(c.Bools[lo:hi], valid)
			case *array.StringBuilder:
				if c.Levels != nil {
					v := make([]string, hi-lo)
					for r := range v {
						if valid == nil || valid[r] {
							v[r] = c.String(lo + r)
						}
					}
					fb.AppendValues(v, valid)
				} else {
					fb.AppendValues(c.Strings[lo:hi], valid)
				}
			}
		}
		rec := b.NewRecord()
		err := fw.WriteBuffered(rec)
		rec.Release()
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	for _, p := range kv {
		if err := fw.AppendKeyValueMetadata(p[0], p[1]); err != nil {
			return err
		}
	}
	return fw.Close()
}

// nopCloser keeps the parquet writer from closing the caller's writer.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
