package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/clvkit/clv/io/render"
)

// outputFlags are the persistent flags that choose which table(s) of a
// result are written and where.
type outputFlags struct {
	table  string
	outDir string
}

// addOutputFlags registers --table and --out-dir on the root command.
func addOutputFlags(pf *pflag.FlagSet, o *outputFlags) {
	pf.StringVar(&o.table, "table", "", "write only the table `NAME` of the result (CSV and Parquet hold one table: the main one by default); 'list' prints the names")
	pf.StringVar(&o.outDir, "out-dir", "", "write every table of the result to `DIR` as NAME.csv (NAME.parquet with --format parquet) plus metadata.json, replacing DIR only when all are complete")
}

// formatExtensions maps the -o extensions that choose a format.
var formatExtensions = map[string]render.Format{
	".csv": render.FormatCSV, ".json": render.FormatJSON, ".md": render.FormatMarkdown,
	".markdown": render.FormatMarkdown, ".parquet": render.FormatParquet, ".txt": render.FormatTable,
}

// formatFromOutput returns the format -o FILE's extension names: ok false
// when the name has no extension (devices, FIFOs, /dev/stdout: CSV), a
// usage error when the extension is not a format clv writes.
func formatFromOutput(name string) (render.Format, bool, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == "" {
		return "", false, nil
	}
	if f, ok := formatExtensions[ext]; ok {
		return f, true, nil
	}
	return "", false, usagef("-o %s: clv does not write %s files; use .csv, .json, .md, .parquet or .txt, or give --format", name, ext)
}

// checkOutputFlags validates --table and --out-dir before any work.
func (a *app) checkOutputFlags() error {
	o := &a.global.out
	if o.table != "" && o.table != "list" && !tableName(o.table) {
		return usagef("--table %q: a table name is lower case letters, digits and _ (see --table list)", o.table)
	}
	if o.outDir == "" {
		return nil
	}
	if a.global.output != "" {
		return usagef("give either -o FILE or --out-dir DIR, not both")
	}
	if o.table != "" {
		return usagef("--out-dir writes every table; leave out --table")
	}
	if f := a.global.format; f != "" && f != "csv" && f != "parquet" {
		return usagef("--out-dir writes CSV or Parquet files, not --format %s (JSON holds every table in one file: use -o FILE.json)", f)
	}
	if err := render.CheckResultDir(o.outDir); err != nil {
		return usagef("--out-dir: %v", err)
	}
	return nil
}

func tableName(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// writeResult writes a command's result as the output flags ask: the table
// names (--table list), every table to a folder (--out-dir), or the result
// in the chosen format to stdout or -o FILE. CSV and Parquet hold one table;
// when the result has more, or metadata, a one-line note on stderr says how
// to get them (not with --quiet).
func (a *app) writeResult(r *render.Result) error {
	if err := a.ctx.Err(); err != nil {
		return err
	}
	o := a.global.out
	if o.table == "list" {
		if err := r.Validate(); err != nil {
			return err
		}
		for _, t := range r.Tables {
			mark := ""
			if t.Name == r.MainName() {
				mark = " (main)"
			}
			if _, err := fmt.Fprintf(a.out, "%s\t%s%s\n", t.Name, t.Title, mark); err != nil {
				return err
			}
		}
		return nil
	}
	if o.outDir != "" {
		f := render.FormatCSV
		if a.global.format == "parquet" {
			f = render.FormatParquet
		}
		if err := render.WriteResultDir(o.outDir, f, r, a.ctx.Err); err != nil {
			return fmt.Errorf("--out-dir %s: %w", o.outDir, err)
		}
		a.notef("wrote %d tables and metadata.json to %s", len(r.Tables), o.outDir)
		return nil
	}
	if o.table != "" {
		if _, err := r.Table(o.table); err != nil {
			return usagef("--table: %v", err)
		}
	}
	f, err := a.outputFormat()
	if err != nil {
		return err
	}
	if (f == render.FormatCSV || f == render.FormatParquet) && o.table == "" && len(r.Tables) > 1 {
		var others []string
		for _, n := range r.Names() {
			if n != r.MainName() {
				others = append(others, n)
			}
		}
		a.notef("%s holds the table %s; also in this result: %s (--table NAME, --out-dir DIR, or --format json for all with the metadata)",
			f, r.MainName(), strings.Join(others, ", "))
	}
	return a.emit(func(w io.Writer, f render.Format) error { return render.WriteResult(w, f, r, o.table) })
}

// single wraps one table as a result of command name.
func single(name, title string, t *render.Table) *render.Result {
	if t.Name == "" {
		t.Name = name
	}
	if t.Title == "" {
		t.Title = title
	}
	return &render.Result{Name: name, Title: title, Tables: []*render.Table{t}}
}

// reportFormatFromOutput is the report format -o FILE's extension names:
// html for .html/.htm, markdown for .md/.markdown or no extension; any other
// extension is a usage error (a report.pdf would otherwise be Markdown).
func reportFormatFromOutput(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".html", ".htm":
		return "html", nil
	case "", ".md", ".markdown":
		return "markdown", nil
	default:
		return "", usagef("-o %s: clv report writes .html or .md files, not %s (or give --format html|markdown)", name, ext)
	}
}

// deprecatedColumn keeps a renamed column's old name for one release: a
// copy of column newName of table named oldName is appended to the table,
// the metadata lists it under deprecated_columns, and a note on stderr (not
// with --quiet) names the new column.
func (a *app) deprecatedColumn(r *render.Result, table, newName, oldName string) {
	t, err := r.Table(table)
	if err != nil {
		return
	}
	for _, c := range t.Columns {
		if c.Name == newName {
			c.Name = oldName
			t.Columns = append(t.Columns, c)
			a.notef("note: column %s is deprecated and will be removed in the next release; it is a copy of %s", oldName, newName)
			for i := range r.Meta {
				if r.Meta[i].Key == "deprecated_columns" {
					r.Meta[i].Value = append(r.Meta[i].Value.([]string), oldName+" = "+newName)
					return
				}
			}
			r.Add("deprecated_columns", []string{oldName + " = " + newName})
			return
		}
	}
}
