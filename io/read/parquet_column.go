package read

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/clvkit/clv/clv/dataset"
)

// pqColumn: one decoded Parquet column and its conversion to cells.

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
