package render

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/dataset"
)

// Kind is the type of a column.
type Kind int

// Column kinds.
const (
	KindString Kind = iota
	KindInt
	KindFloat
	KindDate
	KindBool
)

// Column is one named column of a Table; exactly one of the value slices,
// matching Kind, is set.
type Column struct {
	Name    string
	Kind    Kind
	Strings []string
	Ints    []int64
	Floats  []float64
	Dates   []dataset.Day
	Bools   []bool
	// Digits, when > 0, is the number of decimals the terminal table shows for
	// a float column (CSV and JSON always print full precision). Package
	// report also reads a negative value as no decimals.
	Digits int
}

// Len returns the number of values in the column.
func (c *Column) Len() int {
	switch c.Kind {
	case KindInt:
		return len(c.Ints)
	case KindFloat:
		return len(c.Floats)
	case KindDate:
		return len(c.Dates)
	case KindBool:
		return len(c.Bools)
	}
	return len(c.Strings)
}

// Strings makes a string column.
func Strings(name string, v []string) Column { return Column{Name: name, Kind: KindString, Strings: v} }

// Ints makes an integer column.
func Ints(name string, v []int64) Column { return Column{Name: name, Kind: KindInt, Ints: v} }

// Floats makes a float column.
func Floats(name string, v []float64) Column { return Column{Name: name, Kind: KindFloat, Floats: v} }

// Dates makes a date column.
func Dates(name string, v []dataset.Day) Column { return Column{Name: name, Kind: KindDate, Dates: v} }

// Bools makes a boolean column.
func Bools(name string, v []bool) Column { return Column{Name: name, Kind: KindBool, Bools: v} }

// Int32s makes an integer column from int32 values.
func Int32s(name string, v []int32) Column {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = int64(x)
	}
	return Ints(name, out)
}

// Table is a named set of equally long columns.
type Table struct {
	Title   string
	Columns []Column
}

// Rows returns the number of rows.
func (t *Table) Rows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Validate checks that all columns have the same length and hold only finite numbers.
func (t *Table) Validate() error {
	n := t.Rows()
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Len() != n {
			return fmt.Errorf("render: column %q has %d values, want %d", c.Name, c.Len(), n)
		}
		if c.Kind == KindFloat {
			for r, v := range c.Floats {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("render: column %q row %d is %v (a result must be finite)", c.Name, r+1, v)
				}
			}
		}
	}
	return nil
}

// Section is one part of a Doc: a heading, an optional paragraph and an optional table.
type Section struct {
	Title string
	Text  string
	Table *Table
}

// Doc is a multi-part result (a report): sections in order.
type Doc struct {
	Title    string
	Sections []Section
}
