package render

import (
	"bytes"
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/clvkit/clv/clv/dataset"
)

// ReadParquet reads back a Parquet file as written by WriteResult: its table
// (nulls marked in Column.Null; a null date is also dataset.NoDay) and its
// key-value metadata. It is how tests check that Parquet and CSV hold the
// same rows, and it reads only the column types WriteResult writes.
func ReadParquet(data []byte) (*Table, map[string]string, error) {
	rd, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("parquet: %w", err)
	}
	defer rd.Close()
	kv := map[string]string{}
	for _, m := range rd.MetaData().KeyValueMetadata() {
		if m.Value != nil {
			kv[m.GetKey()] = *m.Value
		}
	}
	fr, err := pqarrow.NewFileReader(rd, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, nil, fmt.Errorf("parquet: %w", err)
	}
	tab, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, nil, fmt.Errorf("parquet: %w", err)
	}
	defer tab.Release()
	out := &Table{Name: kv["clv.table"]}
	n := int(tab.NumRows())
	for i := 0; i < int(tab.NumCols()); i++ {
		col := tab.Column(i)
		c := Column{Name: col.Name()}
		null := make([]bool, 0, n)
		anyNull := false
		for _, chunk := range col.Data().Chunks() {
			for r := 0; r < chunk.Len(); r++ {
				isNull := chunk.IsNull(r)
				anyNull = anyNull || isNull
				null = append(null, isNull)
				switch a := chunk.(type) {
				case *array.Int64:
					c.Kind = KindInt
					c.Ints = append(c.Ints, a.Value(r))
				case *array.Float64:
					c.Kind = KindFloat
					c.Floats = append(c.Floats, a.Value(r))
				case *array.Boolean:
					c.Kind = KindBool
					c.Bools = append(c.Bools, a.Value(r))
				case *array.Date32:
					c.Kind = KindDate
					d := dataset.Day(a.Value(r))
					if isNull {
						d = dataset.NoDay
					}
					c.Dates = append(c.Dates, d)
				case *array.String:
					c.Kind = KindString
					c.Strings = append(c.Strings, a.Value(r))
				default:
					return nil, nil, fmt.Errorf("parquet: column %q has type %s, not one WriteResult writes", col.Name(), chunk.DataType())
				}
			}
		}
		if n == 0 {
			c.Kind = kindOf(col.DataType())
		}
		if anyNull && c.Kind != KindDate {
			c.Null = null
		}
		out.Columns = append(out.Columns, c)
	}
	return out, kv, nil
}

func kindOf(t arrow.DataType) Kind {
	switch t.ID() {
	case arrow.INT64:
		return KindInt
	case arrow.FLOAT64:
		return KindFloat
	case arrow.BOOL:
		return KindBool
	case arrow.DATE32:
		return KindDate
	}
	return KindString
}
