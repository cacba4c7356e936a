//go:build cgo

package duckcheck

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// result is a table as text: column names and rows.
type result struct {
	cols []string
	rows [][]string
}

// runClv runs clv with args (plus --format csv --quiet) and parses its output.
func runClv(t *testing.T, args ...string) result {
	t.Helper()
	args = append(args, "--format", "csv", "--quiet")
	cmd := exec.Command(clvBinary, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("clv %v: %v\n%s", args, err, errOut.String())
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return result{recs[0], recs[1:]}
}

// runDuck runs the setup statements and query in one DuckDB session.
func runDuck(t *testing.T, setup []string, query string) result {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range setup {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	res := result{cols: cols}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case string:
				rec[i] = v
			case time.Time:
				rec[i] = v.Format("2006-01-02")
			case int64:
				rec[i] = strconv.FormatInt(v, 10)
			case int32:
				rec[i] = strconv.FormatInt(int64(v), 10)
			case float64:
				rec[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case nil:
				rec[i] = ""
			default:
				t.Fatalf("column %s: unexpected %T", cols[i], v)
			}
		}
		res.rows = append(res.rows, rec)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return res
}

// compareResults checks that got (DuckDB) has every column of want (clv),
// by name, and the same rows keyed by the key columns: text and whole
// numbers exactly, other numbers within the relative tolerance. A column
// only in got must hold only empty groups or zeros.
func compareResults(t *testing.T, want, got result, key ...string) {
	t.Helper()
	if len(got.rows) != len(want.rows) {
		t.Fatalf("DuckDB gave %d rows, clv %d", len(got.rows), len(want.rows))
	}
	if len(want.rows) == 0 {
		t.Fatal("no rows to compare")
	}
	pos := map[string]int{}
	for i, c := range got.cols {
		pos[c] = i
	}
	for _, c := range want.cols {
		if _, ok := pos[c]; !ok {
			t.Fatalf("DuckDB result lacks column %q (has %v)", c, got.cols)
		}
	}
	for _, c := range got.cols {
		if !slices.Contains(want.cols, c) {
			// clv prints the group column only with --by, and the
			// revenue columns only with transactions.
			empty := "0"
			if c == "group" {
				empty = ""
			}
			for _, r := range got.rows {
				if r[pos[c]] != empty {
					t.Fatalf("DuckDB has %s %q in a column clv does not print", c, r[pos[c]])
				}
			}
		}
	}
	keyOf := func(r []string, idx func(string) int) string {
		var b strings.Builder
		for _, k := range key {
			i := idx(k)
			if i >= 0 {
				b.WriteString(r[i])
			}
			b.WriteByte(0)
		}
		return b.String()
	}
	wantIdx := func(c string) int { return slices.Index(want.cols, c) }
	gotIdx := func(c string) int {
		if i, ok := pos[c]; ok && slices.Contains(want.cols, c) {
			return i
		}
		return -1
	}
	index := map[string][]string{}
	for _, r := range got.rows {
		index[keyOf(r, gotIdx)] = r
	}
	for _, w := range want.rows {
		g, ok := index[keyOf(w, wantIdx)]
		if !ok {
			t.Fatalf("row %v missing from the DuckDB result", w)
		}
		for i, c := range want.cols {
			a, b := w[i], g[pos[c]]
			if a == b {
				continue
			}
			x, err1 := strconv.ParseFloat(a, 64)
			y, err2 := strconv.ParseFloat(b, 64)
			if err1 != nil || err2 != nil || !near(x, y) {
				t.Fatalf("row %v, %s: clv %q, DuckDB %q", w[:len(key)+1], c, a, b)
			}
		}
	}
}

// telecomViews maps the example files to the template's input views; grp is
// the given SQL expression over the subscriber file's columns (NULL: none).
func telecomViews(t *testing.T, grp string) []string {
	t.Helper()
	tx, err := filepath.Abs(filepath.Join("..", "..", "telecom", "transactions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	subs, err := filepath.Abs(filepath.Join("..", "..", "telecom", "subscribers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return []string{
		fmt.Sprintf(`CREATE VIEW transactions AS
			SELECT subscriber_id::VARCHAR AS customer_id, date::DATE AS date, amount::DOUBLE AS amount
			FROM read_csv('%s', header = true, types = {'subscriber_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'})`, tx),
		fmt.Sprintf(`CREATE VIEW subscribers AS
			SELECT subscriber_id::VARCHAR AS customer_id, activation_date::DATE AS activation_date,
			       churn_date::DATE AS churn_date, CAST(%s AS VARCHAR) AS grp
			FROM read_csv('%s', header = true, types = {'subscriber_id': 'VARCHAR', 'activation_date': 'DATE', 'churn_date': 'DATE'})`, grp, subs),
	}
}

const (
	telecomTxFile   = "examples/telecom/transactions.csv"
	telecomSubsFile = "examples/telecom/subscribers.csv"
)

// sqlFiles reads the DuckDB, Spark and Hive versions of a template.
func sqlFiles(t *testing.T, base string) [3]string {
	t.Helper()
	var out [3]string
	for k, suffix := range []string{"", "_spark", "_hive"} {
		b, err := os.ReadFile(filepath.Join("..", base+suffix+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		out[k] = string(b)
	}
	return out
}

// repoFile returns the absolute path of a file of the repository.
func repoFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// duckVars turns template parameters into DuckDB SET VARIABLE statements.
func duckVars(vars map[string]string) []string {
	var out []string
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := vars[k]
		out = append(out, fmt.Sprintf("SET VARIABLE %s = '%s'", k, v))
	}
	return out
}

func TestKPISQLMatchesClv(t *testing.T) {
	queries := sqlFiles(t, "kpi")
	cases := []struct {
		name string
		args []string
		grp  string
		vars map[string]string
	}{
		{"monthly, auto start", nil, "NULL", map[string]string{}},
		{"quarterly by plan", []string{"--period", "quarter", "--by", "plan"}, "plan", map[string]string{"period": "quarter"}},
		{"yearly, no start, as-of", []string{"--period", "year", "--observed-from", "none", "--as-of", "2024-06-30"}, "NULL",
			map[string]string{"period": "year", "observed_from": "none", "as_of": "2024-06-30"}},
		{"monthly by plan and region, explicit start", []string{"--by", "plan,region", "--observed-from", "2023-06-15"}, "plan || '/' || region",
			map[string]string{"observed_from": "2023-06-15"}},
		// Without transactions the observation start comes from the earliest churn.
		{"subscribers only", []string{"--no-tx"}, "NULL", map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"kpi", "-s", repoFile(t, telecomSubsFile), "-t", repoFile(t, telecomTxFile)}
			noTx := slices.Contains(c.args, "--no-tx")
			if noTx {
				args, c.args = args[:3], nil
			}
			want := runClv(t, append(args, c.args...)...)
			views := telecomViews(t, c.grp)
			if noTx {
				views[0] += " WHERE false"
			}
			compareResults(t, want, runDuck(t, append(views, duckVars(c.vars)...), queries[0]), "period", "group")
			for k, dialect := range []string{"Spark", "Hive"} {
				t.Run(dialect, func(t *testing.T) {
					q := translateVars(queries[k+1], c.vars)
					compareResults(t, want, runDuck(t, append(views, assertTrue), q), "period", "group")
				})
			}
		})
	}
}

// Dialect differences of the kpi, cohort and panel templates beyond those of
// translate: a series of integers (Spark's explode(sequence(a, b)), Hive's
// posexplode of a string of spaces) becomes DuckDB's range.
var (
	sparkSeries = regexp.MustCompile(`explode\(sequence\(([^,]+), ([^)]+)\)\)`)
	hiveSeries  = regexp.MustCompile(`LATERAL VIEW posexplode\(split\(space\((.*?)\), ' '\)\) (\w+) AS (\w+), (\w+)`)
	// dayBefore is Spark's and Hive's date_sub(d, 1).
	dayBefore = regexp.MustCompile(`date_sub\(([\w.]+), 1\)`)
)

// defaults are the template parameters' values when a case leaves them out
// (Spark and Hive need every variable set).
var defaults = map[string]string{"as_of": "", "period": "month", "observed_from": "auto", "from_date": ""}

// translateVars substitutes the Spark (${name}) and Hive (${hivevar:name})
// variables and translates the dialect differences to DuckDB.
func translateVars(query string, vars map[string]string) string {
	var pairs []string
	for k, d := range defaults {
		v, ok := vars[k]
		if !ok {
			v = d
		}
		pairs = append(pairs, "${"+k+"}", v, "${hivevar:"+k+"}", v)
	}
	q := strings.NewReplacer(append(pairs, "`", `"`)...).Replace(query)
	q = sparkSeries.ReplaceAllString(q, "unnest(range($1, ($2) + 1))")
	q = hiveSeries.ReplaceAllString(q, ", LATERAL (SELECT unnest(range(($1) + 1)) AS $3) $2")
	q = datediff.ReplaceAllString(q, "date_diff('day', $2, $1)")
	q = dayBefore.ReplaceAllString(q, "($1 - 1)")
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(q), ";"))
}

func TestCohortSQLMatchesClv(t *testing.T) {
	queries := sqlFiles(t, "cohort")
	cases := []struct {
		name string
		args []string
		grp  string
		vars map[string]string
	}{
		{"monthly, auto start", nil, "NULL", map[string]string{}},
		{"quarterly by plan", []string{"--cohort", "quarter", "--by", "plan"}, "plan", map[string]string{"period": "quarter"}},
		{"monthly, no start, as-of", []string{"--observed-from", "none", "--as-of", "2024-03-31"}, "NULL",
			map[string]string{"observed_from": "none", "as_of": "2024-03-31"}},
		{"yearly by customer type, explicit start", []string{"--cohort", "year", "--by", "customer_type", "--observed-from", "2019-01-01"}, "customer_type",
			map[string]string{"period": "year", "observed_from": "2019-01-01"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := runClv(t, append([]string{"cohort", "-s", repoFile(t, telecomSubsFile), "-t", repoFile(t, telecomTxFile)}, c.args...)...)
			views := telecomViews(t, c.grp)
			compareResults(t, want, runDuck(t, append(views, duckVars(c.vars)...), queries[0]), "cohort", "group", "tenure")
			for k, dialect := range []string{"Spark", "Hive"} {
				t.Run(dialect, func(t *testing.T) {
					q := translateVars(queries[k+1], c.vars)
					compareResults(t, want, runDuck(t, append(views, assertTrue), q), "cohort", "group", "tenure")
				})
			}
		})
	}
}

func TestPanelSQLMatchesClv(t *testing.T) {
	queries := sqlFiles(t, "panel")
	cases := []struct {
		name, file, idCol string
		args              []string
		vars              map[string]string
	}{
		{"telecom months", telecomTxFile, "subscriber_id", nil, map[string]string{}},
		{"telecom quarters, window", telecomTxFile, "subscriber_id", []string{"--period", "quarter", "--from", "2023-02-15", "--as-of", "2024-08-31"},
			map[string]string{"period": "quarter", "from_date": "2023-02-15", "as_of": "2024-08-31"}},
		{"cdnow years", "examples/cdnow/cdnow_sample.csv", "customer_id", []string{"--period", "year"}, map[string]string{"period": "year"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := repoFile(t, c.file)
			want := runClv(t, append([]string{"panel", "-t", file}, c.args...)...)
			views := []string{fmt.Sprintf(`CREATE VIEW transactions AS
				SELECT %[2]s AS customer_id, date::DATE AS date, amount::DOUBLE AS amount
				FROM read_csv('%[1]s', header = true, all_varchar = true)`, file, c.idCol)}
			compareResults(t, want, runDuck(t, append(views, duckVars(c.vars)...), queries[0]), "customer_id", "period")
			for k, dialect := range []string{"Spark", "Hive"} {
				t.Run(dialect, func(t *testing.T) {
					q := translateVars(queries[k+1], c.vars)
					compareResults(t, want, runDuck(t, append(views, assertTrue), q), "customer_id", "period")
				})
			}
		})
	}
}
