package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteResult writes r to w in format f. table names the one table CSV and
// Parquet write ("" = the main table); for the other formats a non-empty
// table restricts the output to that table (with the metadata).
func WriteResult(w io.Writer, f Format, r *Result, table string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if table == "" && (f == FormatCSV || f == FormatParquet) {
		table = r.MainName()
	}
	tables := r.Tables
	if table != "" {
		t, err := r.Table(table)
		if err != nil {
			return err
		}
		tables = []*Table{t}
	}
	switch f {
	case FormatCSV:
		return writeCSV(w, tables[0])
	case FormatParquet:
		return writeParquet(w, tables[0], r.keyValues(tables[0].Name))
	case FormatJSON:
		return writeResultJSON(w, r, tables)
	case FormatMarkdown:
		return writeResultMarkdown(w, r, tables)
	case FormatTable:
		return writeResultText(w, r, tables)
	}
	return fmt.Errorf("render: unknown format %q", f)
}

// writeResultJSON writes {"command", "title", "metadata": {…}, "tables":
// {name: [rows]}}; rows are objects with every column, nulls included.
func writeResultJSON(w io.Writer, r *Result, tables []*Table) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n\"metadata\": ")
	bw.Write(r.MetadataJSON())
	bw.WriteString(",\n\"tables\": {")
	for i, t := range tables {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		bw.Write(appendJSONString(nil, t.Name))
		bw.WriteString(": ")
		if err := writeJSON(bw, t); err != nil {
			return err
		}
	}
	bw.WriteString("}\n}\n")
	return bw.Flush()
}

// metaLines returns the metadata as "key: value [unit]" lines, rounded for reading.
func metaLines(r *Result) []string {
	var out []string
	for _, m := range r.Meta {
		v := metaText(m.Value, true)
		if v == "" {
			v = "(none)"
		} else if m.Unit != "" {
			v += " " + m.Unit
		}
		out = append(out, m.Key+": "+v)
	}
	var units []string
	for _, t := range r.Tables {
		for _, c := range t.Columns {
			if c.Unit != "" {
				units = append(units, t.Name+"."+c.Name+" "+c.Unit)
			}
		}
	}
	if units != nil {
		out = append(out, "column_units: "+strings.Join(units, ", "))
	}
	return out
}

func tableHeading(t *Table) string {
	if t.Title == "" {
		return t.Name
	}
	return t.Title + " [" + t.Name + "]"
}

func writeResultMarkdown(w io.Writer, r *Result, tables []*Table) error {
	bw := bufio.NewWriter(w)
	if r.Title != "" {
		fmt.Fprintf(bw, "# %s\n\n", escapeMarkdown(r.Title))
	}
	if lines := metaLines(r); len(lines) > 0 {
		for _, l := range lines {
			fmt.Fprintf(bw, "- %s\n", escapeMarkdown(l))
		}
		bw.WriteString("\n")
	}
	for _, t := range tables {
		fmt.Fprintf(bw, "## %s\n\n", escapeMarkdown(tableHeading(t)))
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := writeMarkdown(bw, t); err != nil {
			return err
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

func writeResultText(w io.Writer, r *Result, tables []*Table) error {
	bw := bufio.NewWriter(w)
	if r.Title != "" {
		fmt.Fprintf(bw, "%s\n%s\n", r.Title, strings.Repeat("=", displayWidth(r.Title)))
	}
	for _, l := range metaLines(r) {
		fmt.Fprintf(bw, "%s\n", l)
	}
	if r.Title != "" || len(r.Meta) > 0 {
		bw.WriteString("\n")
	}
	for _, t := range tables {
		h := tableHeading(t)
		fmt.Fprintf(bw, "%s\n%s\n", h, strings.Repeat("-", displayWidth(h)))
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := writeText(bw, t); err != nil {
			return err
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// ErrDirNotEmpty is wrapped by WriteResultDir's error when the target folder
// holds files that are not a previous result.
var ErrDirNotEmpty = errors.New("the folder exists and is not an earlier --out-dir result (no metadata.json)")

// CheckResultDir reports whether dir can receive WriteResultDir's output: it
// does not exist, is empty, or holds an earlier result (a metadata.json).
func CheckResultDir(dir string) error {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: not a folder", dir)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "metadata.json")); err != nil {
		return fmt.Errorf("%s: %w", dir, ErrDirNotEmpty)
	}
	return nil
}

// WriteResultDir writes every table of r as dir/NAME.csv (or NAME.parquet
// when f is FormatParquet) plus dir/metadata.json. The files are written to
// a temporary folder beside dir that replaces dir only when every file is
// complete: a failure leaves dir as it was. An existing dir must be empty
// or an earlier result (see CheckResultDir); it is replaced as a whole.
// cancelled, when not nil, is checked before the swap.
func WriteResultDir(dir string, f Format, r *Result, cancelled func() error) error {
	if f != FormatCSV && f != FormatParquet {
		return fmt.Errorf("render: --out-dir writes csv or parquet files, not %s", f)
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if err := CheckResultDir(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o777); err != nil {
		return err
	}
	// CheckResultDir has allowed replacing what is there (an empty folder or
	// an earlier result); CreateDir does the temporary folder, the swap and
	// the clean-up on failure or signal.
	d, err := CreateDir(dir, OutputOptions{Force: true})
	if err != nil {
		return err
	}
	defer d.Abort() // a no-op after Commit
	for _, t := range r.Tables {
		if err := d.WriteFile(t.Name+"."+string(f), func(w io.Writer) error { return WriteResult(w, f, r, t.Name) }); err != nil {
			return err
		}
	}
	err = d.WriteFile("metadata.json", func(w io.Writer) error {
		_, err := w.Write(append(r.MetadataJSON(), '\n'))
		return err
	})
	if err != nil {
		return err
	}
	if cancelled != nil {
		if err := cancelled(); err != nil {
			return err
		}
	}
	return d.Commit()
}
