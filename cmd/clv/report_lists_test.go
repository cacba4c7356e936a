package main

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mdCaptionTable returns the rows (cells trimmed) of the Markdown table that
// follows the line caption in md.
func mdCaptionTable(t *testing.T, md, caption string) [][]string {
	t.Helper()
	i := strings.Index(md, caption)
	if i < 0 {
		t.Fatalf("no %q in the report", caption)
	}
	var rows [][]string
	started := false
	for _, line := range strings.Split(md[i+len(caption):], "\n") {
		if !strings.HasPrefix(line, "|") {
			if started {
				break
			}
			continue
		}
		started = true
		if strings.HasPrefix(line, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for k := range cells {
			cells[k] = strings.TrimSpace(cells[k])
		}
		rows = append(rows, cells)
	}
	return rows
}

// mdNumber parses a report number (thousands separators).
func mdNumber(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// TestReportListsReconcile: the report's action matrix (subscribers and
// future value per stage × tier cell) and its per-action table agree with
// the lists written in the same run; the report has the change and group
// sections.
func TestReportListsReconcile(t *testing.T) {
	tmp := t.TempDir()
	nov := filepath.Join(tmp, "nov.csv")
	subs := "testdata/lists/subscribers_groups.csv"
	in := []string{"-t", "examples/telecom/transactions.csv", "-s", subs}
	if r := runCLI(t, "", append([]string{"segment", "--quiet", "--as-of", "2024-11-30", "-o", nov}, in...)...); r.code != 0 {
		t.Fatal(r.stderr)
	}
	dir := filepath.Join(tmp, "lists")
	rep := filepath.Join(tmp, "report.md")
	r := runCLI(t, "", append([]string{"report", "--quiet", "--lists", dir, "--previous", nov, "--previous-as-of", "2024-11-30", "-o", rep}, in...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	md := readText(t, rep)
	for _, want := range []string{"## 11. What changed since 2024-11-30", "## 12. Group customers", "## 14. Method and settings"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}

	// Count the action lists by stage/tier cell and by action.
	mcol, manifest := csvRecords(t, readText(t, filepath.Join(dir, "manifest.csv")))
	cellCount := map[string]int{}
	cellValue := map[string]float64{}
	rowsOf := map[string]int{}
	for _, m := range manifest {
		file := m[mcol["file"]]
		rowsOf[m[mcol["action"]]] = int(listNum(t, m[mcol["rows"]]))
		if file == "early_warning.csv" {
			continue
		}
		col, rows := csvRecords(t, readText(t, filepath.Join(dir, file)))
		for _, x := range rows {
			k := x[col["stage"]] + "/" + x[col["value_tier"]]
			cellCount[k]++
			cellValue[k] += listNum(t, x[col["clv"]])
		}
	}
	counts := mdCaptionTable(t, md, "**Subscribers**")
	values := mdCaptionTable(t, md, "**Total future value (churned: revenue in the window)**")
	tiers := counts[0][1:5]
	for i, row := range counts[1:] {
		for k, tier := range tiers {
			cell := row[0] + "/" + tier
			if got := int(mdNumber(t, row[k+1])); got != cellCount[cell] {
				t.Errorf("matrix %s: %d subscribers, the lists hold %d", cell, got, cellCount[cell])
			}
			if row[0] == "churned" {
				continue // the matrix shows their revenue, the lists their clv (0)
			}
			// The report rounds to whole units.
			if got := mdNumber(t, values[i+1][k+1]); math.Abs(got-cellValue[cell]) > 0.5+1e-9*cellValue[cell] {
				t.Errorf("matrix %s: future value %v, the lists' clv sums to %v", cell, got, cellValue[cell])
			}
		}
	}
	actions := mdCaptionTable(t, md, "**Subscribers and value per action")
	acol := map[string]int{}
	for k, h := range actions[0] {
		acol[h] = k
	}
	for _, row := range actions[1:] {
		a := row[acol["action"]]
		if got := int(mdNumber(t, row[acol["subscribers"]])); got != rowsOf[a] {
			t.Errorf("report action %q: %d subscribers, the manifest %d", a, got, rowsOf[a])
		}
	}
	if len(actions)-1 != len(manifest) {
		t.Errorf("the report lists %d actions, the manifest %d files", len(actions)-1, len(manifest))
	}
}
