//go:build cgo

package duckcheck

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The columns of clv summarize, in order.
var columns = []string{"customer_id", "first_date", "last_date", "transactions", "transaction_days", "total_amount",
	"mean_amount", "recency_days", "tenure_days", "x", "t_x", "T", "monetary", "periods"}

// Column kinds for the comparison.
const (
	text = iota
	whole
	real
)

var kinds = []int{text, text, text, whole, whole, real, real, whole, whole, whole, real, real, real}

const tolerance = 1e-9 // relative, on amounts and fractional times

var clvBinary string // built once in TestMain

func TestMain(m *testing.M) {
	// CLV_BIN names an already built clv to test instead of building one.
	if clvBinary = os.Getenv("CLV_BIN"); clvBinary != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "duckcheck")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	clvBinary = filepath.Join(dir, "clv")
	build := exec.Command("go", "build", "-o", clvBinary, "./cmd/clv")
	build.Dir = filepath.Join("..", "..", "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "duckcheck: building clv:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// table is a summary keyed by customer id.
type table map[string][]string

// clvSummary runs clv summarize and parses its CSV output.
func clvSummary(t *testing.T, file, asOf, unit string, more ...string) table {
	t.Helper()
	args := append([]string{"summarize", "-t", file, "--unit", unit, "--format", "csv", "--quiet"}, more...)
	if asOf != "" {
		args = append(args, "--as-of", asOf)
	}
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
	if !slices.Equal(recs[0], columns) {
		t.Fatalf("clv summarize columns %v, want %v", recs[0], columns)
	}
	tb := table{}
	for _, r := range recs[1:] {
		tb[r[0]] = r
	}
	return tb
}

// duckSummary runs summary.sql in DuckDB over file and returns its rows as text.
func duckSummary(t *testing.T, query, file, idCol, asOf, unit string, extra ...string) table {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx) // variables live in one session
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	setup := []string{
		fmt.Sprintf(`CREATE VIEW transactions AS
			SELECT %[2]s::VARCHAR AS customer_id, date::DATE AS date, amount::DOUBLE AS amount
			FROM read_csv('%[1]s', header = true, types = {'%[2]s': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'})`,
			file, idCol),
		fmt.Sprintf("SET VARIABLE unit = '%s'", unit),
	}
	if asOf != "" {
		setup = append(setup, fmt.Sprintf("SET VARIABLE as_of = DATE '%s'", asOf))
	}
	setup = append(setup, extra...)
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
	names, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, columns) {
		t.Fatalf("summary.sql columns %v, want %v", names, columns)
	}
	tb := table{}
	vals := make([]any, len(columns))
	ptrs := make([]any, len(columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(columns))
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
				t.Fatalf("column %s: unexpected %T", columns[i], v)
			}
		}
		tb[rec[0]] = rec
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return tb
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= tolerance*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// The Spark SQL and HiveQL templates cannot run here; their logic is
// checked by translating the few dialect differences to DuckDB: variable
// substitution, datediff(end, start), backquoted names and assert_true.
var (
	datediff = regexp.MustCompile(`datediff\(([\w.]+), ([\w.]+)\)`)
	// assertTrue is Hive's and Spark's assert_true as a DuckDB macro.
	assertTrue = "CREATE MACRO assert_true(c) AS CASE WHEN c THEN NULL ELSE error('assert_true failed') END"
)

func translate(query, asOf, unit string) string {
	r := strings.NewReplacer("${as_of}", asOf, "${unit}", unit, "${hivevar:as_of}", asOf, "${hivevar:unit}", unit, "`", `"`)
	q := datediff.ReplaceAllString(r.Replace(query), "date_diff('day', $2, $1)")
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(q), ";"))
}

func TestSummarySQLMatchesClv(t *testing.T) {
	var queries [3]string
	for k, name := range []string{"summary.sql", "summary_spark.sql", "summary_hive.sql"} {
		b, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		queries[k] = string(b)
	}
	cdnow, err := filepath.Abs(filepath.Join("..", "..", "cdnow", "cdnow_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	telecom, err := filepath.Abs(filepath.Join("..", "..", "telecom", "transactions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file, idCol, asOf, unit string
		customers                     int // expected row count: a check on the inputs themselves
	}{
		// The CDNOW calibration set-up of Fader, Hardie & Lee (2005): 39 weeks to
		// 1997-09-30; all 2,357 customers made their first purchase by then.
		{"cdnow calibration weeks", cdnow, "customer_id", "1997-09-30", "week", 2357},
		{"cdnow full period days", cdnow, "customer_id", "", "day", 2357},
		{"cdnow mid-window months", cdnow, "customer_id", "1997-02-15", "month", 0},
		{"telecom full window weeks", telecom, "subscriber_id", "", "week", 0},
		{"telecom first year months", telecom, "subscriber_id", "2023-12-31", "month", 0},
		{"telecom days", telecom, "subscriber_id", "2024-06-30", "day", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := clvSummary(t, c.file, c.asOf, c.unit)
			compare(t, want, duckSummary(t, queries[0], c.file, c.idCol, c.asOf, c.unit), c.customers)
			for k, dialect := range []string{"Spark", "Hive"} {
				t.Run(dialect, func(t *testing.T) {
					q := translate(queries[k+1], c.asOf, c.unit)
					compare(t, want, duckSummary(t, q, c.file, c.idCol, "", c.unit, assertTrue), c.customers)
				})
			}
		})
	}
}

// compare checks got against clv's summary: same customers, dates and counts
// exactly, amounts and times within the relative tolerance.
func compare(t *testing.T, want, got table, customers int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("DuckDB gave %d customers, clv %d", len(got), len(want))
	}
	if customers > 0 && len(want) != customers {
		t.Fatalf("%d customers, want %d", len(want), customers)
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Fatalf("customer %s missing from the DuckDB result", id)
		}
		for i, k := range kinds {
			if k == real {
				a, err1 := strconv.ParseFloat(w[i], 64)
				b, err2 := strconv.ParseFloat(g[i], 64)
				if err1 != nil || err2 != nil || !near(a, b) {
					t.Fatalf("customer %s, %s: clv %s, DuckDB %s", id, columns[i], w[i], g[i])
				}
				continue
			}
			if w[i] != g[i] {
				t.Fatalf("customer %s, %s: clv %q, DuckDB %q", id, columns[i], w[i], g[i])
			}
		}
	}
}

// TestSubscriberSQLMatchesClv checks summary_subscribers.sql against
// clv summarize -t ... -s ... on the telecom example.
func TestSubscriberSQLMatchesClv(t *testing.T) {
	var queries [3]string
	for k, name := range []string{"summary_subscribers.sql", "summary_subscribers_spark.sql", "summary_subscribers_hive.sql"} {
		b, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		queries[k] = string(b)
	}
	tx, err := filepath.Abs(filepath.Join("..", "..", "telecom", "transactions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	subs, err := filepath.Abs(filepath.Join("..", "..", "telecom", "subscribers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	view := fmt.Sprintf(`CREATE VIEW subscribers AS
		SELECT subscriber_id::VARCHAR AS customer_id, activation_date::DATE AS activation_date
		FROM read_csv('%s', header = true, types = {'subscriber_id': 'VARCHAR', 'activation_date': 'DATE', 'churn_date': 'DATE'})`, subs)
	cases := []struct{ asOf, unit string }{
		{"", "week"},            // the whole window: every subscriber has a row
		{"2023-06-30", "month"}, // mid-window: later activations are left out
		{"2024-03-31", "day"},
	}
	for _, c := range cases {
		t.Run(c.asOf+" "+c.unit, func(t *testing.T) {
			want := clvSummary(t, tx, c.asOf, c.unit, "-s", subs)
			compare(t, want, duckSummary(t, queries[0], tx, "subscriber_id", c.asOf, c.unit, view), 0)
			for k, dialect := range []string{"Spark", "Hive"} {
				t.Run(dialect, func(t *testing.T) {
					q := translate(queries[k+1], c.asOf, c.unit)
					compare(t, want, duckSummary(t, q, tx, "subscriber_id", "", c.unit, view, assertTrue), 0)
				})
			}
		})
	}
}
