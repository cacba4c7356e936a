package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/clvkit/clv/io/render"
)

// contractRuns are the result commands of clv, each once, on the example
// data ({tx} and {subs}: a 400-subscriber base from clv generate, to keep the
// test quick): every command that writes a result (generate writes its own
// files, report a document, version and completion text).
var contractRuns = []struct {
	name string
	args []string
}{
	{"summarize", []string{"summarize", "-t", cdnowCSV, "--as-of", "1997-09-30"}},
	{"rfm", []string{"rfm", "-t", cdnowCSV, "--as-of", "1998-06-30"}},
	{"rfm_report", []string{"rfm", "-t", cdnowCSV, "--as-of", "1998-06-30", "--report"}},
	{"panel", []string{"panel", "-t", cdnowCSV, "--period", "quarter"}},
	{"kpi", []string{"kpi", "-s", "{subs}", "-t", "{tx}", "--by", "plan"}},
	{"cohort", []string{"cohort", "-s", "{subs}", "-t", "{tx}", "--cohort", "quarter"}},
	{"fit", []string{"fit", "bgnbd", "-t", cdnowCSV, "--as-of", "1997-09-30"}},
	{"fit_gg", []string{"fit", "gg", "-t", cdnowCSV, "--as-of", "1997-09-30"}},
	{"predict", []string{"predict", "pnbd", "-t", cdnowCSV, "--as-of", "1997-09-30", "--holdout-end", "1998-06-30"}},
	{"retention", []string{"retention", "-s", "{subs}", "--by", "plan", "--project", "3"}},
	{"markov", []string{"markov", "-t", "{tx}", "-s", "{subs}", "--states", "lifecycle", "--forecast", "3"}},
	{"markov_customers", []string{"markov", "-t", cdnowCSV, "--customers"}},
	{"markov_value", []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0.2"}},
	{"risk", []string{"risk", "-t", "{tx}", "-s", "{subs}", "--as-of", "2024-12-31"}},
	{"backtest", []string{"backtest", "-t", "{tx}", "-s", "{subs}", "--horizon", "3"}},
	{"segment", []string{"segment", "-t", "{tx}", "-s", "{subs}"}},
	{"segment_summary", []string{"segment", "-t", "{tx}", "-s", "{subs}", "--views", "--by", "plan"}},
	{"value_subscribers", []string{"value", "subscribers", "-s", "{subs}", "-t", "{tx}", "--by", "plan"}},
	{"value_potential", []string{"value", "potential", "-s", "{subs}", "-t", "{tx}"}},
	{"value_curve", []string{"value", "curve", "-s", "{subs}", "-t", "{tx}", "--by", "plan"}},
	{"value_migration", []string{"value", "migration", "-t", cdnowCSV, "--value-horizon", "12"}},
	{"value_retention", []string{"value", "retention", "--margin", "100", "--retention", "0.8", "--discount", "0.1"}},
	{"value_spending", []string{"value", "retention", "--margin", "100", "--retention-ceiling", "0.9", "--response", "0.05", "--discount", "0.1"}},
}

// contractOutputs runs one contract command in every format and returns
// the outputs by format; csv/NAME and parquet/NAME hold every table.
type contractOutputs struct {
	json     *resultJSON
	jsonText string
	names    []string
	main     string
	csv      map[string][]byte // table name → CSV
	parquet  map[string][]byte // table name → Parquet
	markdown string
	table    string
}

func runContract(t *testing.T, args []string) *contractOutputs {
	t.Helper()
	o := &contractOutputs{csv: map[string][]byte{}, parquet: map[string][]byte{}}
	run := func(extra ...string) cliResult {
		t.Helper()
		r := runCLI(t, "", append(append([]string{}, args...), append(extra, "-q")...)...)
		if r.code != 0 {
			t.Fatalf("clv %s %s: exit %d: %s", strings.Join(args, " "), strings.Join(extra, " "), r.code, r.stderr)
		}
		return r
	}
	o.jsonText = run("--format", "json").stdout
	o.json = parseResult(t, o.jsonText)
	for _, line := range strings.Split(strings.TrimSpace(run("--table", "list").stdout), "\n") {
		name, rest, _ := strings.Cut(line, "\t")
		o.names = append(o.names, name)
		if strings.HasSuffix(rest, "(main)") {
			o.main = name
		}
	}
	// Every table, CSV and Parquet, through --out-dir (one run per format).
	for _, f := range []string{"csv", "parquet"} {
		dir := filepath.Join(t.TempDir(), "out")
		run("--out-dir", dir, "--format", f)
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(ents) != len(o.names)+1 {
			t.Errorf("--out-dir --format %s wrote %d files for %d tables + metadata.json", f, len(ents), len(o.names))
		}
		for _, name := range o.names {
			b, err := os.ReadFile(filepath.Join(dir, name+"."+f))
			if err != nil {
				t.Fatal(err)
			}
			if f == "csv" {
				o.csv[name] = b
			} else {
				o.parquet[name] = b
			}
		}
		meta := parseResult(t, `{"metadata":`+mustRead(t, filepath.Join(dir, "metadata.json"))+`}`).Metadata
		if len(meta) != len(o.json.Metadata) {
			t.Errorf("metadata.json has %d keys, the JSON output %d", len(meta), len(o.json.Metadata))
		}
	}
	// The default CSV (stdout) is the main table, and the same bytes.
	if got := run("--format", "csv").stdout; got != string(o.csv[o.main]) {
		t.Errorf("--format csv is not the main table %s as --out-dir wrote it", o.main)
	}
	o.markdown = run("--format", "markdown").stdout
	o.table = run("--format", "table").stdout
	return o
}

// contractBase generates the small base {tx} and {subs} stand for.
func contractBase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if r := runCLI(t, "", "generate", "--subscriber-count", "400", "--seed", "3", "--out", dir, "-q"); r.code != 0 {
		t.Fatalf("generate: %s", r.stderr)
	}
	return dir
}

// contractArgs replaces {tx} and {subs} by the files of the base in dir.
func contractArgs(dir string, args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		a = strings.ReplaceAll(a, "{tx}", filepath.Join(dir, "transactions.csv"))
		out[i] = strings.ReplaceAll(a, "{subs}", filepath.Join(dir, "subscribers.csv"))
	}
	return out
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOutputContract: every result command × every format. CSV parses with
// encoding/csv, header first and rectangular; Parquet reads back with the
// same rows (its CSV rendering is byte-identical) and a type per column
// that agrees with the JSON values; JSON parses and holds every table with
// the CSV's rows and figures (floats equal to the last bit, nulls where CSV
// is empty); table and Markdown show every table and the metadata.
func TestOutputContract(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command in every format")
	}
	base := contractBase(t)
	for _, c := range contractRuns {
		t.Run(c.name, func(t *testing.T) {
			o := runContract(t, contractArgs(base, c.args))
			if o.main == "" {
				t.Fatalf("--table list marks no main table: %v", o.names)
			}
			if len(o.json.Tables) != len(o.names) {
				t.Errorf("JSON holds %d tables, --table list names %d (%v)", len(o.json.Tables), len(o.names), o.names)
			}
			for _, name := range o.names {
				checkContractTable(t, o, name)
				heading := "[" + name + "]"
				if !strings.Contains(o.markdown, heading) || !strings.Contains(o.table, heading) {
					t.Errorf("table %s is not in the markdown or table output", name)
				}
			}
			for k, v := range o.json.Metadata {
				if k == "command" || k == "title" || strings.HasSuffix(k, "_unit") {
					continue
				}
				if !strings.Contains(o.markdown, k+": ") || !strings.Contains(o.table, k+": ") {
					t.Errorf("metadata %s (%v) is not in the markdown or table header", k, v)
				}
			}
		})
	}
}

// checkContractTable compares one table's CSV, Parquet and JSON forms.
func checkContractTable(t *testing.T, o *contractOutputs, name string) {
	t.Helper()
	raw := o.csv[name]
	if bytes.HasPrefix(raw, []byte("#")) {
		t.Fatalf("%s: CSV starts with a comment line", name)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll() // rectangular, or an error
	if err != nil {
		t.Fatalf("%s: CSV does not parse: %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: CSV has no header", name)
	}
	header := recs[0]
	rows := o.json.rows(t, name)
	if len(rows) != len(recs)-1 {
		t.Fatalf("%s: JSON has %d rows, CSV %d", name, len(rows), len(recs)-1)
	}
	// Parquet: same rows, rendered back as CSV byte for byte.
	pt, kv, err := render.ReadParquet(o.parquet[name])
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var back bytes.Buffer
	if err := render.WriteTable(&back, render.FormatCSV, pt); err != nil {
		t.Fatal(err)
	}
	if back.String() != string(raw) {
		t.Errorf("%s: Parquet read back differs from the CSV:\n%.300s\nCSV:\n%.300s", name, back.String(), raw)
	}
	if kv["clv.table"] != name || kv["clv.metadata"] == "" {
		t.Errorf("%s: Parquet key-value metadata %v", name, kv)
	}
	// JSON: the same columns and figures.
	for r, rec := range recs[1:] {
		row := rows[r]
		if len(row) != len(header) {
			t.Fatalf("%s row %d: JSON has %d columns, CSV %d", name, r+1, len(row), len(header))
		}
		for j, col := range header {
			v, ok := row[col]
			if !ok {
				t.Fatalf("%s row %d: JSON has no column %s", name, r+1, col)
			}
			cellAgrees(t, name, col, r+1, rec[j], v, pt.Columns[j].Kind, pt.Columns[j].IsNull(r))
		}
	}
}

// cellAgrees checks one CSV cell against its JSON value and Parquet type.
func cellAgrees(t *testing.T, table, col string, row int, cell string, v any, kind render.Kind, null bool) {
	t.Helper()
	where := table + "." + col + " row " + strconv.Itoa(row)
	if v == nil {
		if cell != "" || !(null || kind == render.KindDate) {
			t.Errorf("%s: JSON null, CSV %q, Parquet null %v", where, cell, null)
		}
		return
	}
	switch x := v.(type) {
	case float64:
		if kind != render.KindFloat && kind != render.KindInt {
			t.Errorf("%s: JSON number, Parquet kind %v", where, kind)
		}
		got, err := strconv.ParseFloat(cell, 64)
		if err != nil || got != x {
			t.Errorf("%s: CSV %q, JSON %v", where, cell, x)
		}
	case bool:
		if kind != render.KindBool || cell != strconv.FormatBool(x) {
			t.Errorf("%s: CSV %q, JSON %v, Parquet kind %v", where, cell, x, kind)
		}
	case string:
		if kind != render.KindString && kind != render.KindDate || cell != x {
			t.Errorf("%s: CSV %q, JSON %q, Parquet kind %v", where, cell, x, kind)
		}
	default:
		t.Errorf("%s: JSON value %v of type %T", where, v, v)
	}
}

// TestOutputFlags: --table picks a table in CSV (and is an error naming the
// tables when unknown), --out-dir refuses a folder holding other files and
// JSON, -o with an extension clv does not write is a usage error before
// any input is read.
func TestOutputFlags(t *testing.T) {
	args := []string{"fit", "bgnbd", "-t", cdnowCSV, "--as-of", "1997-09-30", "-q"}
	r := runCLI(t, "", append(args, "--table", "fit", "--format", "csv")...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "log_likelihood,customers,") {
		t.Errorf("--table fit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", append(args, "--table", "nope", "--format", "csv")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "parameters, fit") {
		t.Errorf("--table nope: exit %d: %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644)
	for _, c := range [][]string{
		{"--out-dir", dir},
		{"--out-dir", filepath.Join(dir, "new"), "--format", "json"},
		{"--out-dir", filepath.Join(dir, "new"), "--table", "fit"},
		{"-o", filepath.Join(dir, "out.xlsx")},
		{"-o", filepath.Join(dir, "out.csv.gz")},
	} {
		// A missing input file proves nothing was read: the usage check comes first.
		r := runCLI(t, "", append([]string{"fit", "bgnbd", "-t", filepath.Join(dir, "missing.csv")}, c...)...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d (usage): %s", c, r.code, exitUsage, r.stderr)
		}
	}
	if r := runCLI(t, "", "report", "examples/telecom", "-o", filepath.Join(dir, "report.pdf")); r.code != exitUsage {
		t.Errorf("report -o report.pdf: exit %d: %s", r.code, r.stderr)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("the refused runs left files: %v", ents)
	}
	// Without --quiet, CSV of a several-table result names the others on stderr.
	r = runCLI(t, "", "fit", "bgnbd", "-t", cdnowCSV, "--as-of", "1997-09-30", "--format", "csv")
	if !strings.Contains(r.stderr, "also in this result: fit") {
		t.Errorf("no note on the other tables:\n%s", r.stderr)
	}
}

// TestDeprecatedFlagAliases: an old flag name gives the same output as the
// new one, with a note on stderr (none with --quiet); both at once is a
// usage error.
func TestDeprecatedFlagAliases(t *testing.T) {
	pc := []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0.2", "--format", "csv"}
	vr := []string{"value", "retention", "--margin", "100", "--retention", "0.8", "--discount", "0.1", "--format", "csv"}
	for _, c := range []struct {
		base     []string
		old, new string
		value    string
	}{
		{pc, "--horizon", "--value-horizon", "3"},
		{vr, "--periods", "--value-horizon", "5"},
		{append([]string{"segment"}, append(segFixture, "--format", "csv")...), "--summary", "--views", ""},
	} {
		with := func(flag string, quiet bool) cliResult {
			args := append([]string{}, c.base...)
			if c.value != "" {
				args = append(args, flag, c.value)
			} else {
				args = append(args, flag)
			}
			if quiet {
				args = append(args, "-q")
			}
			return runCLI(t, "", args...)
		}
		oldR, newR := with(c.old, false), with(c.new, false)
		if oldR.code != 0 || newR.code != 0 || oldR.stdout != newR.stdout {
			t.Errorf("%s: exit %d/%d, outputs equal %v", c.old, oldR.code, newR.code, oldR.stdout == newR.stdout)
		}
		if !strings.Contains(oldR.stderr, c.old+" is deprecated") || strings.Contains(newR.stderr, c.old+" is deprecated") {
			t.Errorf("%s: stderr with the old name %q, with the new %q", c.old, oldR.stderr, newR.stderr)
		}
		if q := with(c.old, true); q.stderr != "" {
			t.Errorf("%s -q: stderr %q", c.old, q.stderr)
		}
		args := append(append([]string{}, c.base...), c.old)
		if c.value != "" {
			args = append(args, c.value, c.new, c.value)
		} else {
			args = append(args, c.new)
		}
		if r := runCLI(t, "", args...); r.code != exitUsage {
			t.Errorf("%s and %s: exit %d", c.old, c.new, r.code)
		}
	}
}

// TestHelpShowsOnlyUsedFlags: a command's --help lists only the flags it
// uses: no subscriber columns on fit, no transaction columns on retention,
// no result-table flags on report, generate and version.
func TestHelpShowsOnlyUsedFlags(t *testing.T) {
	for _, c := range []struct {
		args   []string
		absent []string
	}{
		{[]string{"fit", "--help"}, []string{"--activation-col", "--churn-col"}},
		{[]string{"value", "migration", "--help"}, []string{"--activation-col", "--churn-col"}},
		{[]string{"retention", "--help"}, []string{"--amount-col", "--date-col"}},
		{[]string{"report", "--help"}, []string{"--table", "--out-dir"}},
		{[]string{"generate", "--help"}, []string{"--table", "--out-dir", "--output"}},
		{[]string{"version", "--help"}, []string{"--table", "--format", "--output"}},
		{[]string{"segment", "--help"}, []string{"--summary ", "--horizon "}}, // deprecated aliases are hidden
	} {
		r := runCLI(t, "", c.args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d", c.args, r.code)
		}
		for _, f := range c.absent {
			if strings.Contains(r.stdout, f) {
				t.Errorf("clv %s lists %s", strings.Join(c.args, " "), f)
			}
		}
	}
	if r := runCLI(t, "", "fit", "--help"); !strings.Contains(r.stdout, "--table") {
		t.Error("fit --help lost the global --table")
	}
}
