package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// changeRow is a row of the changes table.
type changeRow struct {
	Measure       string  `json:"measure"`
	From          string  `json:"from"`
	To            string  `json:"to"`
	Subscribers   int     `json:"subscribers"`
	ValuePrevious float64 `json:"value_previous"`
	ValueCurrent  float64 `json:"value_current"`
}

// segmentJSON runs clv segment --format json and decodes its tables (the
// heuristic risk model: these tests do not depend on it, and it is faster).
func segmentJSON(t *testing.T, args ...string) (map[string]json.RawMessage, string) {
	t.Helper()
	r := runCLI(t, "", append([]string{"segment", "--format", "json", "--risk-model", "heuristic"}, args...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var res struct {
		Tables map[string]json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("JSON: %v\n%.300s", err, r.stdout)
	}
	return res.Tables, r.stderr
}

func changesOf(t *testing.T, out map[string]json.RawMessage) []changeRow {
	t.Helper()
	var rows []changeRow
	if err := json.Unmarshal(out["changes"], &rows); err != nil {
		t.Fatalf("changes: %v", err)
	}
	return rows
}

func TestPreviousSameRun(t *testing.T) {
	tmp := t.TempDir()
	prevCSV, prevPQ := filepath.Join(tmp, "prev.csv"), filepath.Join(tmp, "prev.parquet")
	for _, p := range []string{prevCSV, prevPQ} {
		if r := runCLI(t, "", append([]string{"segment", "--quiet", "--risk-model", "heuristic", "-o", p}, segTelecom...)...); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	out, _ := segmentJSON(t, append([]string{"--previous", prevCSV}, segTelecom...)...)
	rows := changesOf(t, out)
	if len(rows) == 0 {
		t.Fatal("no changes table")
	}
	stay := 0
	for _, r := range rows {
		if r.From != r.To && r.Subscribers != 0 {
			t.Errorf("%s %s -> %s: %d subscribers moved between two runs on the same data", r.Measure, r.From, r.To, r.Subscribers)
		}
		if r.Measure == "stage" {
			stay += r.Subscribers
			if r.ValuePrevious != r.ValueCurrent {
				t.Errorf("stage %s: value %v then, %v now", r.From, r.ValuePrevious, r.ValueCurrent)
			}
		}
	}
	if stay != 3000 {
		t.Errorf("%d subscribers in the stage matrix, want 3000", stay)
	}
	pq, _ := segmentJSON(t, append([]string{"--previous", prevPQ}, segTelecom...)...)
	if string(pq["changes"]) != string(out["changes"]) {
		t.Error("the Parquet previous run gives other changes than the CSV one")
	}
	// segment --summary carries the same table.
	sum, _ := segmentJSON(t, append([]string{"--views", "--previous", prevCSV}, segTelecom...)...)
	if !slices.Equal(changesOf(t, sum), rows) || sum["matrix"] == nil {
		t.Error("segment --summary --format json lacks the changes table (or the matrix)")
	}
}

func TestPreviousOneMonthEarlier(t *testing.T) {
	tmp := t.TempDir()
	nov, dec := filepath.Join(tmp, "nov.csv"), filepath.Join(tmp, "dec.csv")
	if r := runCLI(t, "", append([]string{"segment", "--quiet", "--risk-model", "heuristic", "--as-of", "2024-11-30", "-o", nov}, segTelecom...)...); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := runCLI(t, "", append([]string{"segment", "--quiet", "--risk-model", "heuristic", "-o", dec}, segTelecom...)...); r.code != 0 {
		t.Fatal(r.stderr)
	}
	out, stderr := segmentJSON(t, append([]string{"--previous", nov}, segTelecom...)...)
	rows := changesOf(t, out)

	// Direct count from the two per-subscriber files.
	type state struct {
		stage, tier string
		clv         float64
	}
	load := func(path string) map[string]state {
		col, recs := csvRecords(t, readText(t, path))
		m := map[string]state{}
		for _, r := range recs {
			m[r[col["customer_id"]]] = state{r[col["stage"]], r[col["value_tier"]], listNum(t, r[col["clv"]])}
		}
		return m
	}
	before, now := load(nov), load(dec)
	type key struct{ measure, from, to string }
	want := map[key]int{}
	value := map[key][2]float64{}
	bump := func(k key, vp, vc float64) {
		want[k]++
		v := value[k]
		value[k] = [2]float64{v[0] + vp, v[1] + vc}
	}
	newCount, goneCount := 0, 0
	for id, b := range before {
		n, ok := now[id]
		if !ok {
			goneCount++
			bump(key{"stage", b.stage, "(gone)"}, b.clv, 0)
			bump(key{"tier", b.tier, "(gone)"}, b.clv, 0)
			continue
		}
		bump(key{"stage", b.stage, n.stage}, b.clv, n.clv)
		bump(key{"tier", b.tier, n.tier}, b.clv, n.clv)
	}
	for id, n := range now {
		if _, ok := before[id]; !ok {
			newCount++
			bump(key{"stage", "(new)", n.stage}, 0, n.clv)
			bump(key{"tier", "(new)", n.tier}, 0, n.clv)
		}
	}
	if newCount == 0 {
		t.Fatal("no subscriber activated in December: the fixture does not test new subscribers")
	}
	moved := 0
	for _, r := range rows {
		if r.Measure == "early_warning" {
			continue
		}
		k := key{r.Measure, r.From, r.To}
		if r.Subscribers != want[k] {
			t.Errorf("%s %s -> %s: %d, direct count %d", r.Measure, r.From, r.To, r.Subscribers, want[k])
		}
		// Sums of the same values in another order: relative 1e-9.
		v := value[k]
		if math.Abs(r.ValuePrevious-v[0]) > 1e-9*math.Max(1, v[0]) || math.Abs(r.ValueCurrent-v[1]) > 1e-9*math.Max(1, v[1]) {
			t.Errorf("%s %s -> %s: value %v -> %v, direct %v -> %v", r.Measure, r.From, r.To, r.ValuePrevious, r.ValueCurrent, v[0], v[1])
		}
		if r.Measure == "stage" && r.From != r.To {
			moved += r.Subscribers
		}
		delete(want, k)
	}
	for k, n := range want {
		t.Errorf("%v: %d subscribers in the direct count, no row in the changes table", k, n)
	}
	if moved == 0 {
		t.Error("no stage movement in a month")
	}
	if want := "new, " + strconv.Itoa(goneCount) + " gone"; !strings.Contains(stderr, strconv.Itoa(newCount)+" "+want) {
		t.Errorf("stderr does not count %d new and %d gone subscribers:\n%s", newCount, goneCount, stderr)
	}
}

func TestGroupsDirectSum(t *testing.T) {
	subs := "testdata/lists/subscribers_groups.csv"
	out, _ := segmentJSON(t, "-t", "examples/telecom/transactions.csv", "-s", subs)
	var groups []struct {
		Group          string  `json:"group"`
		Grade          string  `json:"grade"`
		Lines          int     `json:"lines"`
		ActiveLines    int     `json:"active_lines"`
		Revenue        float64 `json:"revenue"`
		MonthlyRevenue float64 `json:"monthly_revenue"`
		KeyMembers     string  `json:"key_members"`
	}
	if err := json.Unmarshal(out["groups"], &groups); err != nil {
		t.Fatalf("groups: %v", err)
	}
	// Direct sums from the raw files; the as-of day is the last transaction
	// date, 2024-12-31, so the monthly revenue is October to December / 3.
	scol, srows := csvRecords(t, readText(t, filepath.Join(repoRoot, subs)))
	group := map[string]string{}
	type agg struct {
		lines, active   int
		revenue, recent float64
	}
	want := map[string]*agg{}
	for _, r := range srows {
		g := r[scol["group_id"]]
		if g == "" {
			continue
		}
		group[r[0]] = g
		if want[g] == nil {
			want[g] = &agg{}
		}
		want[g].lines++
		if c := r[scol["churn_date"]]; c == "" || c > "2024-12-31" {
			want[g].active++
		}
	}
	tcol, trows := csvRecords(t, readText(t, filepath.Join(repoRoot, "examples/telecom/transactions.csv")))
	for _, r := range trows {
		g, ok := group[r[tcol["subscriber_id"]]]
		if !ok {
			continue
		}
		amt, day := listNum(t, r[tcol["amount"]]), r[tcol["date"]]
		want[g].revenue += amt
		if day >= "2024-10-01" && day <= "2024-12-31" {
			want[g].recent += amt
		}
	}
	if len(groups) != len(want) {
		t.Fatalf("%d groups, the export has %d", len(groups), len(want))
	}
	grades := map[string]int{}
	for _, g := range groups {
		w := want[g.Group]
		if w == nil {
			t.Fatalf("group %q is not in the export", g.Group)
		}
		// Sums of the same amounts in another order: relative 1e-9.
		if g.Lines != w.lines || g.ActiveLines != w.active || !near(g.Revenue, w.revenue) || !near(g.MonthlyRevenue, w.recent/3) {
			t.Errorf("%s: lines %d active %d revenue %v monthly %v; direct %d %d %v %v", g.Group, g.Lines, g.ActiveLines, g.Revenue, g.MonthlyRevenue, w.lines, w.active, w.revenue, w.recent/3)
		}
		// The documented default grades.
		grade := "D"
		switch m, a := w.recent/3, w.active; {
		case m >= 20000 && a >= 10:
			grade = "A"
		case m >= 5000 && a >= 5:
			grade = "B"
		case m >= 1000 && a >= 2:
			grade = "C"
		}
		if g.Grade != grade {
			t.Errorf("%s: grade %s, want %s", g.Group, g.Grade, grade)
		}
		grades[g.Grade]++
		if g.KeyMembers == "" {
			t.Errorf("%s has no key members", g.Group)
		}
	}
	if len(grades) < 3 {
		t.Errorf("grades %v: the fixture should spread over the grades", grades)
	}
	if r := runCLI(t, "", append([]string{"segment", "--group-col", "no_such"}, segTelecom...)...); r.code != 2 || !strings.Contains(r.stderr, "no_such") {
		t.Errorf("--group-col no_such: exit %d, %s", r.code, r.stderr)
	}
	// Without a group column there is no groups table.
	r := runCLI(t, "", append([]string{"segment", "--format", "json", "--quiet"}, segFixture...)...)
	if r.code != 0 {
		t.Fatalf("segment without campaign options: exit %d: %s", r.code, r.stderr)
	}
	if tables := parseResult(t, r.stdout).Tables; len(tables) != 1 || tables["subscribers"] == nil {
		t.Errorf("segment without campaign options: tables %v, want subscribers only", keysOf(tables))
	}
}
