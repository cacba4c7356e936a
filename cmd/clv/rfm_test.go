package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestRFMGolden(t *testing.T) {
	small := []string{"rfm", "-t", "testdata/small/transactions.csv", "-s", "testdata/small/subscribers.csv", "--as-of", "2024-03-31"}
	cdnow := []string{"rfm", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1998-06-30"}
	cases := []struct {
		name string
		args []string
	}{
		{"small.csv", append(small, "--format", "csv")},
		{"small.json", append(small, "--format", "json")},
		{"small.markdown", append(small, "--format", "markdown")},
		{"small.table", append(small, "--format", "table")},
		{"cdnow-ntile.csv", append(cdnow, "--format", "csv")},
		{"cdnow-quantile.csv", append(cdnow, "--method", "quantile", "--format", "csv")},
		{"small-thresholds.csv", append(small, "--r-thresholds", "7,30", "--f-thresholds", "1,2",
			"--m-thresholds", "0,50", "--frequency", "days", "--monetary", "mean", "--weights", "2,1,1", "--format", "csv")},
		{"report-small.table", append(small, "--report", "--format", "table")},
		{"report-cdnow.table", append(cdnow, "--report", "--format", "table")},
		{"report-cdnow.csv", append(cdnow, "--report", "--format", "csv")},
		{"report-cdnow.json", append(cdnow, "--report", "--format", "json")},
		{"report-cdnow.markdown", append(cdnow, "--report", "--format", "markdown")},
		{"report-cdnow-quantile.json", append(cdnow, "--report", "--method", "quantile", "--bins", "4", "--format", "json")},
		{"report-telecom-rules.markdown", []string{"rfm", "-t", "examples/telecom/transactions.csv", "-s", "examples/telecom/subscribers.csv",
			"--segments", "examples/rfm-telecom-segments.csv", "--report", "--format", "markdown"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, "rfm/"+c.name, r.stdout)
		})
	}
}

// readCSV parses CSV output into a header index and rows.
func readCSV(t *testing.T, s string) (map[string]int, [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("output is not CSV: %v", err)
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	return col, recs[1:]
}

func TestRFMColumnsAndInvariants(t *testing.T) {
	r := runCLI(t, "", "rfm", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1998-06-30", "--method", "quantile", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	header := strings.SplitN(r.stdout, "\n", 2)[0]
	// spend was monetary (kept one release as a trailing deprecated copy).
	if want := "customer_id,recency_days,frequency,spend,r_score,f_score,m_score,rfm_cell,rfm_score,segment,monetary"; header != want {
		t.Fatalf("header %q, want %q", header, want)
	}
	col, rows := readCSV(t, r.stdout)
	if len(rows) != 2357 {
		t.Fatalf("%d customers, want the 2,357 of the CDNOW sample", len(rows))
	}
	// Quantile scoring: equal metric values always share a score, and a
	// larger value never scores lower (recency: never higher).
	type pair struct{ metric, score string }
	for _, p := range []pair{{"recency_days", "r_score"}, {"frequency", "f_score"}, {"spend", "m_score"}} {
		seen := map[string]string{}
		for _, row := range rows {
			v, s := row[col[p.metric]], row[col[p.score]]
			if prev, ok := seen[v]; ok && prev != s {
				t.Errorf("%s %s has scores %s and %s", p.metric, v, prev, s)
				break
			}
			seen[v] = s
		}
	}
	for _, row := range rows {
		cell := row[col["r_score"]] + row[col["f_score"]] + row[col["m_score"]]
		if row[col["rfm_cell"]] != cell {
			t.Fatalf("rfm_cell %s, scores %s", row[col["rfm_cell"]], cell)
		}
		var sum float64
		for _, c := range cell {
			sum += float64(c - '0')
		}
		got, err := strconv.ParseFloat(row[col["rfm_score"]], 64)
		if err != nil || got < sum/3-1e-12 || got > sum/3+1e-12 {
			t.Fatalf("rfm_score %s, want the mean of %s", row[col["rfm_score"]], cell)
		}
	}
	if !strings.Contains(r.stderr, "recency_days cut points") {
		t.Errorf("stderr does not report the cut points:\n%s", r.stderr)
	}
}

func TestRFMReportJSONShape(t *testing.T) {
	r := runCLI(t, "", "rfm", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1998-06-30", "--report", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var v struct {
		Customers  int `json:"customers"`
		Thresholds struct {
			Recency, Frequency, Monetary []float64
		}
		Segments []struct {
			Name      string  `json:"segment"`
			Customers int     `json:"customers"`
			Revenue   float64 `json:"revenue"`
		}
		Grid []struct {
			R         int `json:"r_score"`
			F         int `json:"f_score"`
			Customers int `json:"customers"`
		}
	}
	decodeMeta(t, r.stdout, &v)
	decodeTable(t, r.stdout, "segments", &v.Segments)
	decodeTable(t, r.stdout, "grid", &v.Grid)
	var cuts []struct {
		Metric   string  `json:"dimension"`
		CutPoint float64 `json:"cut_point"`
	}
	decodeTable(t, r.stdout, "cut_points", &cuts)
	for _, c := range cuts {
		switch c.Metric {
		case "recency_days":
			v.Thresholds.Recency = append(v.Thresholds.Recency, c.CutPoint)
		case "frequency":
			v.Thresholds.Frequency = append(v.Thresholds.Frequency, c.CutPoint)
		case "spend":
			v.Thresholds.Monetary = append(v.Thresholds.Monetary, c.CutPoint)
		}
	}
	if len(v.Thresholds.Recency) != 4 || len(v.Thresholds.Frequency) != 4 || len(v.Thresholds.Monetary) != 4 {
		t.Errorf("thresholds %+v, want 4 cut points each", v.Thresholds)
	}
	n, grid := 0, 0
	for _, s := range v.Segments {
		n += s.Customers
	}
	for _, c := range v.Grid {
		grid += c.Customers
	}
	if n != 2357 || grid != 2357 || v.Customers != 2357 || len(v.Segments) != 10 || len(v.Grid) != 25 {
		t.Errorf("segments sum to %d, grid to %d, customers %d, %d segments, %d cells", n, grid, v.Customers, len(v.Segments), len(v.Grid))
	}
}

func TestRFMFromSummaryFile(t *testing.T) {
	dir := t.TempDir()
	sum := filepath.Join(dir, "summary.csv")
	abs, err := filepath.Abs(sum)
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "summarize", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1998-06-30", "-o", abs)
	if r.code != 0 {
		t.Fatalf("summarize: exit %d: %s", r.code, r.stderr)
	}
	direct := runCLI(t, "", "rfm", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1998-06-30", "--frequency", "days", "--format", "csv")
	viaSummary := runCLI(t, "", "rfm", "--summary", abs, "--frequency", "days", "--format", "csv")
	if direct.code != 0 || viaSummary.code != 0 {
		t.Fatalf("exit %d / %d: %s %s", direct.code, viaSummary.code, direct.stderr, viaSummary.stderr)
	}
	if direct.stdout != viaSummary.stdout {
		t.Errorf("rfm from the summary file differs from rfm on the transactions\n%s", firstDiff(direct.stdout, viaSummary.stdout))
	}
}

func TestRFMParquet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rfm.parquet")
	r := runCLI(t, "", "rfm", "-t", "examples/cdnow/cdnow_sample.csv", "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || len(b) < 8 || string(b[:4]) != "PAR1" || string(b[len(b)-4:]) != "PAR1" {
		t.Fatalf("not a Parquet file (%v)", err)
	}
}

func TestRFMErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	unknownCol := write("unknown.csv", "name,r_min,recency\nx,1,2\n")
	empty := write("empty.csv", "name,r_min,r_max\n")
	tooHigh := write("high.csv", "name,r_min,r_max\nx,4,5\n")
	tx := []string{"rfm", "-t", "examples/cdnow/cdnow_sample.csv"}
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad method", append(tx, "--method", "kmeans"), exitUsage, "--method"},
		{"bins 1", append(tx, "--bins", "1"), exitUsage, "--bins must be between 2 and 9"},
		{"bins 10", append(tx, "--bins", "10"), exitUsage, "--bins must be between 2 and 9"},
		{"threshold count", append(tx, "--r-thresholds", "30,90", "--f-thresholds", "1,2,3", "--m-thresholds", "1,2"), exitUsage, "--f-thresholds has 3 cut points"},
		{"threshold missing", append(tx, "--r-thresholds", "30,90"), exitUsage, "needs --f-thresholds"},
		{"threshold with ntile", append(tx, "--method", "ntile", "--r-thresholds", "30,90"), exitUsage, "for --method thresholds"},
		{"threshold not increasing", append(tx, "--r-thresholds", "90,30", "--f-thresholds", "1,2", "--m-thresholds", "1,2"), exitUsage, "increase strictly"},
		{"threshold not a number", append(tx, "--r-thresholds", "30,ninety"), exitUsage, `"ninety" is not a number`},
		{"weights count", append(tx, "--weights", "1,1"), exitUsage, "three weights"},
		{"weights zero", append(tx, "--weights", "0,0,0"), exitUsage, "at least one weight"},
		{"weights negative", append(tx, "--weights", "1,-1,1"), exitUsage, "negative"},
		{"frequency", append(tx, "--frequency", "weeks"), exitUsage, "--frequency"},
		{"monetary", append(tx, "--monetary", "median"), exitUsage, "--monetary"},
		{"rules unknown column", append(tx, "--segments", unknownCol), exitUsage, `unknown column "recency"`},
		{"rules empty", append(tx, "--segments", empty), exitUsage, "empty"},
		{"rules above bins", append(tx, "--segments", tooHigh, "--bins", "3"), exitUsage, "r_min 4 is outside the scores 1..3"},
		{"rules missing file", append(tx, "--segments", filepath.Join(dir, "nope.csv")), exitUsage, "--segments"},
		{"summary and as-of", []string{"rfm", "--summary", "x.csv", "--as-of", "2024-01-01"}, exitUsage, "--as-of cannot be used with --summary"},
		{"no input", []string{"rfm"}, exitUsage, "missing --transactions"},
		{"nothing before as-of", append(tx, "--as-of", "1990-01-01"), exitData, "no transactions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, c.code, c.msg)
			}
		})
	}
}
