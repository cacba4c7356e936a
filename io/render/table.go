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
	// Unit, when set, names the unit of the values (e.g. "week", "money",
	// "share"); JSON metadata and the glossary carry it, CSV headers do not.
	Unit string
	// Null, when set (same length as the values), marks values that are not
	// available: an empty CSV cell, JSON null, a Parquet null. The value slot
	// of a null is ignored (a NaN there is allowed).
	Null []bool
}

// IsNull reports whether row r of c is unavailable.
func (c *Column) IsNull(r int) bool { return c.Null != nil && c.Null[r] }

// WithNull returns c with the values marked in null unavailable.
func (c Column) WithNull(null []bool) Column {
	c.Null = null
	return c
}

// WithUnit returns c with its unit set.
func (c Column) WithUnit(unit string) Column {
	c.Unit = unit
	return c
}

// WithDigits returns c showing d decimals in the terminal table and Markdown.
func (c Column) WithDigits(d int) Column {
	c.Digits = d
	return c
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
	// Name is the stable machine name of the table in a Result (lower case,
	// underscores: "customers", "parameters"): the --table value, the file
	// name under --out-dir and the key in JSON.
	Name    string
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
		if c.Null != nil && len(c.Null) != n {
			return fmt.Errorf("render: column %q has %d null marks, want %d", c.Name, len(c.Null), n)
		}
		if c.Kind == KindFloat {
			for r, v := range c.Floats {
				if (math.IsNaN(v) || math.IsInf(v, 0)) && !c.IsNull(r) {
					return fmt.Errorf("render: column %q row %d is %v (a result must be finite)", c.Name, r+1, v)
				}
			}
		}
	}
	return nil
}
