package render

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
)

// Meta is one item of a result's metadata: a stable snake_case key, a value
// and optionally the value's unit. Value is a string, bool, int, int64,
// float64, dataset.Day (NoDay = not available), []string or nil (not
// available).
type Meta struct {
	Key   string
	Value any
	Unit  string
}

// Result is what a command computes: named tables plus ordered metadata (the
// as-of date, time unit, horizon, discount rate, model parameters, notes).
// One writer per format turns it into output:
//   - table and Markdown: the title, the metadata as a header block, then
//     every table under its title;
//   - CSV and Parquet: exactly one table (Main unless another is named), with
//     the header first and no comment lines; Parquet also carries the
//     metadata as key-value metadata;
//   - JSON: the complete result, {"title", "metadata", "tables": {name: [rows]}}.
type Result struct {
	// Name is the command that made the result (e.g. "predict").
	Name  string
	Title string
	Meta  []Meta
	// Tables in display order; names are unique.
	Tables []*Table
	// Main is the name of the table CSV and Parquet write by default (the
	// per-customer table where there is one); empty = the first table.
	Main string
}

// Add appends a metadata item and returns r. Other integer and float types
// are converted to int64 and float64, a *float64 to its value or nil.
func (r *Result) Add(key string, value any) *Result {
	r.Meta = append(r.Meta, Meta{Key: key, Value: normalize(value)})
	return r
}

// AddUnit appends a metadata item with a unit and returns r.
func (r *Result) AddUnit(key string, value any, unit string) *Result {
	r.Meta = append(r.Meta, Meta{Key: key, Value: normalize(value), Unit: unit})
	return r
}

func normalize(v any) any {
	switch v := v.(type) {
	case int32:
		return int64(v)
	case uint32:
		return int64(v)
	case uint64:
		return int64(v)
	case uint:
		return int64(v)
	case float32:
		return float64(v)
	case *float64:
		if v == nil {
			return nil
		}
		return *v
	case *int:
		if v == nil {
			return nil
		}
		return *v
	}
	return v
}

// AddTable appends a table and returns r.
func (r *Result) AddTable(t *Table) *Result {
	r.Tables = append(r.Tables, t)
	return r
}

// Names returns the table names in order.
func (r *Result) Names() []string {
	out := make([]string, len(r.Tables))
	for i, t := range r.Tables {
		out[i] = t.Name
	}
	return out
}

// MainName returns the name of the default table.
func (r *Result) MainName() string {
	if r.Main != "" || len(r.Tables) == 0 {
		return r.Main
	}
	return r.Tables[0].Name
}

// Table returns the table called name, or an error listing the names.
func (r *Result) Table(name string) (*Table, error) {
	for _, t := range r.Tables {
		if t.Name == name {
			return t, nil
		}
	}
	return nil, fmt.Errorf("no table %q in this result (tables: %s)", name, strings.Join(r.Names(), ", "))
}

var tableName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate checks the result: table names unique and machine-friendly, the
// main table present, every table valid, metadata keys unique and values
// finite and of a supported type.
func (r *Result) Validate() error {
	seen := map[string]bool{}
	for _, t := range r.Tables {
		if !tableName.MatchString(t.Name) {
			return fmt.Errorf("render: table name %q: want lower case letters, digits and _", t.Name)
		}
		if seen[t.Name] {
			return fmt.Errorf("render: two tables named %q", t.Name)
		}
		seen[t.Name] = true
		if err := t.Validate(); err != nil {
			return fmt.Errorf("%w (table %s)", err, t.Name)
		}
	}
	if r.Main != "" && !seen[r.Main] {
		return fmt.Errorf("render: main table %q is not in the result", r.Main)
	}
	keys := map[string]bool{}
	for _, m := range r.Meta {
		if keys[m.Key] {
			return fmt.Errorf("render: metadata key %q twice", m.Key)
		}
		keys[m.Key] = true
		switch v := m.Value.(type) {
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("render: metadata %q is %v (a result must be finite)", m.Key, v)
			}
		case nil, string, bool, int, int64, dataset.Day, []string:
		default:
			return fmt.Errorf("render: metadata %q has unsupported type %T", m.Key, m.Value)
		}
	}
	return nil
}

// metaText formats a metadata value as text: full precision (human false)
// or rounded for reading; "" when not available.
func metaText(v any, human bool) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		if human {
			return humanFloat(v, 0)
		}
		return string(appendFloat(nil, v))
	case dataset.Day:
		if v == dataset.NoDay {
			return ""
		}
		return v.String()
	case []string:
		return strings.Join(v, "; ")
	}
	return fmt.Sprint(v)
}

// metaJSON appends a metadata value as JSON.
func metaJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, v)
	case bool, int, int64:
		return append(b, metaText(v, false)...)
	case float64:
		return appendFloat(b, v)
	case dataset.Day:
		if v == dataset.NoDay {
			return append(b, "null"...)
		}
		return appendJSONString(b, v.String())
	case []string:
		q, _ := json.Marshal(v)
		return append(b, q...)
	}
	return append(b, "null"...)
}

// MetadataJSON returns the metadata as one JSON object, keys in order; a
// key with a unit gets a sibling "KEY_unit" entry. It is what metadata.json
// under --out-dir holds.
func (r *Result) MetadataJSON() []byte {
	b := []byte("{")
	first := true
	item := func(k string, v any) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n  "...)
		b = appendJSONString(b, k)
		b = append(b, ": "...)
		b = metaJSON(b, v)
	}
	if r.Name != "" {
		item("command", r.Name)
	}
	if r.Title != "" {
		item("title", r.Title)
	}
	for _, m := range r.Meta {
		item(m.Key, m.Value)
		if m.Unit != "" {
			item(m.Key+"_unit", m.Unit)
		}
	}
	// The units of columns that have one, as {"TABLE.COLUMN": unit}.
	var units []byte
	for _, t := range r.Tables {
		for _, c := range t.Columns {
			if c.Unit == "" {
				continue
			}
			if units != nil {
				units = append(units, ", "...)
			}
			units = appendJSONString(units, t.Name+"."+c.Name)
			units = append(units, ": "...)
			units = appendJSONString(units, c.Unit)
		}
	}
	if units != nil {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n  \"column_units\": {"...)
		b = append(b, units...)
		b = append(b, '}')
	}
	if !first {
		b = append(b, '\n')
	}
	return append(b, "}"...)
}

// keyValues returns the metadata as Parquet key-value pairs (full precision).
func (r *Result) keyValues(table string) [][2]string {
	kv := [][2]string{{"clv.table", table}}
	if r.Name != "" {
		kv = append(kv, [2]string{"clv.command", r.Name})
	}
	if r.Title != "" {
		kv = append(kv, [2]string{"clv.title", r.Title})
	}
	for _, m := range r.Meta {
		kv = append(kv, [2]string{m.Key, metaText(m.Value, false)})
		if m.Unit != "" {
			kv = append(kv, [2]string{m.Key + "_unit", m.Unit})
		}
	}
	kv = append(kv, [2]string{"clv.metadata", string(r.MetadataJSON())})
	return kv
}
