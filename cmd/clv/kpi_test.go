package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawSubscriber and rawTx are rows of the example files as parsed by the
// tests themselves (encoding/csv and time.Parse), independently of clv.
type rawSubscriber struct {
	id                    string
	activation, churn     time.Time
	hasChurn, invalidDate bool
}

type rawTx struct {
	id     string
	date   time.Time
	amount float64
}

func readRawCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rawTelecom(t *testing.T) ([]rawSubscriber, []rawTx) {
	var subs []rawSubscriber
	for _, r := range readRawCSV(t, telecomSubs) { // subscriber_id, activation_date, churn_date, ...
		s := rawSubscriber{id: r[0], activation: mustDate(t, r[1])}
		if r[2] != "" {
			s.churn, s.hasChurn = mustDate(t, r[2]), true
			s.invalidDate = s.churn.Before(s.activation)
		}
		subs = append(subs, s)
	}
	var txs []rawTx
	for _, r := range readRawCSV(t, telecomTx) { // subscriber_id, date, amount
		a, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		txs = append(txs, rawTx{r[0], mustDate(t, r[1]), a})
	}
	return subs, txs
}

// parseCSVOutput returns the header and rows of a command's CSV output.
func parseCSVOutput(t *testing.T, out string) ([]string, [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return recs[0], recs[1:]
}

func nearRel(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestKPITelecomDirectCount checks every monthly row 2023-01..2024-12 of
// clv kpi on examples/telecom against a direct count from the raw CSV files
// with the definitions, computed here with plain loops. Counts must
// be equal; amounts agree within a relative 1e-9 (summation order).
func TestKPITelecomDirectCount(t *testing.T) {
	r := runCLI(t, "", "kpi", "-s", telecomSubs, "-t", telecomTx, "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// The export holds only subscribers in service on 2023-01-01 (see the
	// example's README): auto detects it and says so.
	if !strings.Contains(r.stderr, "observation start 2023-01-01 detected") || !strings.Contains(r.stderr, "1663 of 3000 subscribers") ||
		!strings.Contains(r.stderr, "left out 72 months from 2017-01-01") {
		t.Errorf("stderr does not report the observation start:\n%s", r.stderr)
	}
	header, rows := parseCSVOutput(t, r.stdout)
	want := "period,group,opening_base,gross_adds,churners,net_adds,closing_base,churn_rate,revenue,arpu,arppu,paying_share,new_arpu,paying_subscribers"
	if strings.Join(header, ",") != want {
		t.Fatalf("columns %v", header)
	}
	if len(rows) != 24 {
		t.Fatalf("%d rows, want 24 (2023-01..2024-12)", len(rows))
	}
	subs, txs := rawTelecom(t)
	byID := map[string]*rawSubscriber{}
	for i := range subs {
		byID[subs[i].id] = &subs[i]
	}
	for m := 0; m < 24; m++ {
		s := time.Date(2023, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
		e := s.AddDate(0, 1, -1)
		var opening, adds, churners, closing int
		for _, x := range subs {
			if x.invalidDate {
				continue
			}
			churnOnOrAfter := func(d time.Time) bool { return !x.hasChurn || !x.churn.Before(d) }
			if x.activation.Before(s) && churnOnOrAfter(s) {
				opening++
			}
			if !x.activation.Before(s) && !x.activation.After(e) {
				adds++
			}
			if x.hasChurn && !x.churn.Before(s) && !x.churn.After(e) {
				churners++
			}
			if !x.activation.After(e) && (!x.hasChurn || x.churn.After(e)) {
				closing++
			}
		}
		var revenue, newRevenue float64
		spend := map[string]float64{}
		for _, tx := range txs {
			sub := byID[tx.id]
			if sub == nil || sub.invalidDate || tx.date.Before(s) || tx.date.After(e) {
				continue
			}
			revenue += tx.amount
			spend[tx.id] += tx.amount
			if !sub.activation.Before(s) && !sub.activation.After(e) {
				newRevenue += tx.amount
			}
		}
		payers := 0
		for _, v := range spend {
			if v > 0 {
				payers++
			}
		}
		avg := float64(opening+closing) / 2
		row := rows[m]
		if row[0] != s.Format("2006-01-02") || row[1] != "" {
			t.Fatalf("row %d: period %q group %q", m, row[0], row[1])
		}
		ints := []int{opening, adds, churners, adds - churners, closing}
		for k, w := range ints {
			if row[2+k] != strconv.Itoa(w) {
				t.Errorf("%s %s: clv %s, direct count %d", row[0], header[2+k], row[2+k], w)
			}
		}
		if row[13] != strconv.Itoa(payers) {
			t.Errorf("%s paying_subscribers: clv %s, direct count %d", row[0], row[13], payers)
		}
		floats := []float64{float64(churners) / avg, revenue, revenue / avg, revenue / float64(payers), float64(payers) / avg, newRevenue / float64(adds)}
		for k, w := range floats {
			got, err := strconv.ParseFloat(row[7+k], 64)
			if err != nil || !nearRel(got, w, 1e-9) {
				t.Errorf("%s %s: clv %s, direct count %v", row[0], header[7+k], row[7+k], w)
			}
		}
	}
}

// addMonthsClamped is the life table's anniversary rule written with the
// standard library: the same day of month k months later, clamped to the
// month's last day.
func addMonthsClamped(d time.Time, k int) time.Time {
	first := time.Date(d.Year(), d.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// TestCohortTelecomDirectCount checks every cell of clv cohort on
// examples/telecom against a direct count from the raw files: cohort size,
// active and censored members at each anniversary, and the members' revenue
// per tenure period. Counts equal; amounts within a relative 1e-9.
func TestCohortTelecomDirectCount(t *testing.T) {
	r := runCLI(t, "", "cohort", "-s", telecomSubs, "-t", telecomTx, "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	header, rows := parseCSVOutput(t, r.stdout)
	if strings.Join(header, ",") != "cohort,tenure,subscribers,active,survival,censored,revenue,revenue_per_subscriber,arpu,retention" {
		t.Fatalf("columns %v", header)
	}
	subs, txs := rawTelecom(t)
	asOf := mustDate(t, "2024-12-31")
	txOf := map[string][]rawTx{}
	for _, tx := range txs {
		txOf[tx.id] = append(txOf[tx.id], tx)
	}
	type key struct {
		cohort string
		k      int
	}
	type cell struct {
		size, active, censored int
		revenue                float64
	}
	want := map[key]*cell{}
	maxK := map[string]int{}
	for _, x := range subs {
		// Cohorts before the observation start (2023-01-01) are left out.
		if x.invalidDate || x.activation.Before(mustDate(t, "2023-01-01")) {
			continue
		}
		cohort := time.Date(x.activation.Year(), x.activation.Month(), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		for k := 1; k <= 24; k++ {
			ann := addMonthsClamped(x.activation, k)
			if !ann.After(asOf) {
				maxK[cohort] = max(maxK[cohort], k)
			}
			c := want[key{cohort, k}]
			if c == nil {
				c = &cell{}
				want[key{cohort, k}] = c
			}
			c.size++
			if !x.hasChurn || x.churn.After(ann) {
				c.active++
			}
			if ann.After(asOf) {
				c.censored++
			}
			prev := addMonthsClamped(x.activation, k-1)
			for _, tx := range txOf[x.id] {
				if !tx.date.Before(prev) && tx.date.Before(ann) && !tx.date.After(asOf) {
					c.revenue += tx.amount
				}
			}
		}
	}
	cells := 0
	for cohort, k := range maxK {
		cells += k
		_ = cohort
	}
	if len(rows) != cells {
		t.Fatalf("%d rows, want %d", len(rows), cells)
	}
	cum := map[string]float64{}
	for _, row := range rows {
		k, _ := strconv.Atoi(row[1])
		w := want[key{row[0], k}]
		if w == nil || k > maxK[row[0]] {
			t.Fatalf("unexpected cell %v", row)
		}
		for i, v := range []int{w.size, w.active, w.censored} {
			col := []int{2, 3, 5}[i]
			if row[col] != strconv.Itoa(v) {
				t.Errorf("cohort %s tenure %d %s: clv %s, direct count %d", row[0], k, header[col], row[col], v)
			}
		}
		cum[row[0]] += w.revenue
		for i, v := range []float64{float64(w.active) / float64(w.size), w.revenue, cum[row[0]] / float64(w.size)} {
			col := []int{4, 6, 7}[i]
			got, err := strconv.ParseFloat(row[col], 64)
			if err != nil || !nearRel(got, v, 1e-9) {
				t.Errorf("cohort %s tenure %d %s: clv %s, direct count %v", row[0], k, header[col], row[col], v)
			}
		}
	}
}

func TestKPICohortFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string // in stdout (code 0) or stderr
	}{
		{"quarter by plan", []string{"kpi", "-s", telecomSubs, "--period", "quarter", "--by", "plan", "--format", "csv", "--as-of", "2024-11-15"}, 0, "2024-10-01,prepaid,"},
		{"no truncation handling", []string{"kpi", "-s", telecomSubs, "--observed-from", "none", "--period", "year", "--format", "csv"}, 0, "2017-01-01,,0,"},
		{"explicit start", []string{"kpi", "-s", telecomSubs, "--observed-from", "2024-01-01", "--period", "year", "--format", "csv"}, 0, "2024-01-01,,"},
		{"bad start", []string{"kpi", "-s", telecomSubs, "--observed-from", "soon"}, 2, "want auto, none or a date"},
		{"unknown by", []string{"kpi", "-s", telecomSubs, "--by", "colour"}, 2, "no subscriber column \"colour\""},
		{"two columns", []string{"kpi", "-s", telecomSubs, "--by", "plan,region", "--period", "year", "--format", "csv"}, 0, ",prepaid/south,"},
		{"wide", []string{"cohort", "-s", telecomSubs, "--cohort", "quarter", "--format", "wide"}, 0, "cohort,subscribers,1,2,"},
		{"wide needs tx", []string{"cohort", "-s", telecomSubs, "--format", "wide", "--metric", "arpu"}, 2, "needs --transactions"},
		{"bad metric", []string{"cohort", "-s", telecomSubs, "--metric", "margin"}, 2, "unknown metric"},
		{"cohort by", []string{"cohort", "-s", telecomSubs, "--by", "plan", "--cohort", "quarter", "--format", "csv"}, 0, "cohort,group,tenure,"},
		{"no anniversary yet", []string{"cohort", "-s", telecomSubs, "--cohort", "year", "--observed-from", "2024-01-01"}, 2, "no cohort has reached"},
		{"future as-of", []string{"kpi", "-s", telecomSubs, "--as-of", "2026-01-01"}, 2, "after the latest date"},
		{"bad chart", []string{"cohort", "-s", telecomSubs, "--chart", "x.gif"}, 2, ".svg or .png"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d: %s", r.code, c.code, r.stderr)
			}
			out := r.stdout
			if c.code != 0 {
				out = r.stderr
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("output lacks %q:\n%.2000s", c.want, out)
			}
		})
	}
}

func TestCohortChart(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"c.svg", "c.png"} {
		path := filepath.Join(dir, name)
		r := runCLI(t, "", "cohort", "-s", telecomSubs, "-t", telecomTx, "--metric", "arpu", "--chart", path, "--format", "csv")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 1000 {
			t.Fatalf("chart %s: %d bytes, %v", name, len(b), err)
		}
	}
}
