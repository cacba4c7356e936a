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
// matching Kind, is set. A string column may instead be held as Codes into
// Levels (made by Codes), an integer column as Small (made by Uint8s): the
// writers of this package read them through String and Int; code outside
// it that reads Strings or Ints directly must check Levels and Small.
type Column struct {
	Name    string
	Kind    Kind
	Strings []string
	Ints    []int64
	Floats  []float64
	Dates   []dataset.Day
	Bools   []bool
	// Codes and Levels, when Levels is set, hold a string column with few
	// distinct values without a string per row: row r is Levels[Codes[r]].
	Codes  []uint16
	Levels []string
	// Small, when set, holds an integer column of values 0..255.
	Small []uint8
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

// String returns row r of a string column.
func (c *Column) String(r int) string {
	if c.Levels != nil {
		return c.Levels[c.Codes[r]]
	}
	return c.Strings[r]
}

// Texts returns the strings a string column's values are drawn from: its
// levels when it is coded (each distinct value once), its values
// otherwise. Mapping them (SetTexts) maps the column, such as translating
// its labels.
func (c *Column) Texts() []string {
	if c.Levels != nil {
		return c.Levels
	}
	return c.Strings
}

// SetTexts replaces what Texts returned by v, of the same length.
func (c *Column) SetTexts(v []string) {
	if c.Levels != nil {
		c.Levels = v
		return
	}
	c.Strings = v
}

// Int returns row r of an integer column.
func (c *Column) Int(r int) int64 {
	if c.Small != nil {
		return int64(c.Small[r])
	}
	return c.Ints[r]
}

// Len returns the number of values in the column.
func (c *Column) Len() int {
	switch c.Kind {
	case KindInt:
		if c.Small != nil {
			return len(c.Small)
		}
		return len(c.Ints)
	case KindFloat:
		return len(c.Floats)
	case KindDate:
		return len(c.Dates)
	case KindBool:
		return len(c.Bools)
	}
	if c.Levels != nil {
		return len(c.Codes)
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

// Codes makes a string column whose row r is levels[codes[r]], without
// a string per row (segments, cells: few values shared by millions of
// rows). The slices are used, not copied.
func Codes(name string, levels []string, codes []uint16) Column {
	if levels == nil {
		levels = []string{}
	}
	return Column{Name: name, Kind: KindString, Codes: codes, Levels: levels}
}

// Uint8s makes an integer column from small values (scores), without
// widening them. The slice is used, not copied.
func Uint8s(name string, v []uint8) Column {
	if v == nil {
		v = []uint8{}
	}
	return Column{Name: name, Kind: KindInt, Small: v}
}

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
		if c.Kind == KindString && c.Levels != nil {
			for r, k := range c.Codes {
				if int(k) >= len(c.Levels) && !c.IsNull(r) {
					return fmt.Errorf("render: column %q row %d has code %d of %d levels", c.Name, r+1, k, len(c.Levels))
				}
			}
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
