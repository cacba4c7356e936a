package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// csvRecords reads a CSV file or text into header → column index and rows.
func csvRecords(t *testing.T, text string) (map[string]int, [][]string) {
	t.Helper()
	rs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rs) == 0 {
		t.Fatal("empty CSV")
	}
	col := map[string]int{}
	for k, h := range rs[0] {
		col[h] = k
	}
	return col, rs[1:]
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func listNum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// near compares two sums of the same float64 values added in different
// orders: relative tolerance 1e-9.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// perSubscriber is the direct count of clv segment's per-subscriber CSV.
type perSubscriber struct {
	col  map[string]int
	rows [][]string
	byID map[string][]string
	// per action: subscribers and total clv; per stage/tier cell the same.
	count map[string]int
	value map[string]float64
}

func countSegment(t *testing.T, text string) *perSubscriber {
	col, rows := csvRecords(t, text)
	p := &perSubscriber{col: col, rows: rows, byID: map[string][]string{}, count: map[string]int{}, value: map[string]float64{}}
	for _, r := range rows {
		p.byID[r[col["customer_id"]]] = r
		a := r[col["action"]]
		p.count[a]++
		p.value[a] += listNum(t, r[col["clv"]])
	}
	return p
}

// checkList checks a list file: its rows are the per-subscriber rows of
// the same ids (stage, tier, clv, risk, action), attributes as in the
// subscriber export, ordered by value at risk descending, ties by id.
func checkList(t *testing.T, name, text string, seg *perSubscriber, attrs map[string]map[string]string) (ids []string, value float64) {
	t.Helper()
	col, rows := csvRecords(t, text)
	prevVaR, prevID := math.Inf(1), ""
	for _, r := range rows {
		id := r[col["customer_id"]]
		s, ok := seg.byID[id]
		if !ok {
			t.Fatalf("%s: %s is not in the per-subscriber output", name, id)
		}
		for _, c := range []string{"stage", "value_tier", "clv", "risk_score", "value_at_risk", "action"} {
			if r[col[c]] != s[seg.col[c]] {
				t.Fatalf("%s: %s %s = %q, the per-subscriber output says %q", name, id, c, r[col[c]], s[seg.col[c]])
			}
		}
		for h, want := range attrs[id] {
			k, ok := col[h]
			if !ok {
				t.Fatalf("%s: no column %q (header %v)", name, h, col)
			}
			if r[k] != want {
				t.Fatalf("%s: %s %s = %q, the export says %q", name, id, h, r[k], want)
			}
		}
		if r[col["reason"]] == "" {
			t.Fatalf("%s: %s has no reason", name, id)
		}
		v := listNum(t, r[col["value_at_risk"]])
		if v > prevVaR || (v == prevVaR && id < prevID) {
			t.Fatalf("%s: %s (value at risk %v) after %s (%v): not ordered", name, id, v, prevID, prevVaR)
		}
		prevVaR, prevID = v, id
		ids = append(ids, id)
		value += listNum(t, r[col["clv"]])
	}
	return ids, value
}

// exportAttrs reads a subscriber export: id → header → value of the
// attribute columns (every column after the first three).
func exportAttrs(t *testing.T, path string) map[string]map[string]string {
	col, rows := csvRecords(t, readText(t, path))
	names := make([]string, len(col))
	for h, k := range col {
		names[k] = h
	}
	out := map[string]map[string]string{}
	for _, r := range rows {
		m := map[string]string{}
		for k := 3; k < len(r); k++ {
			m[names[k]] = r[k]
		}
		out[r[0]] = m
	}
	return out
}

func TestListsReconcile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lists")
	r := runCLI(t, "", append([]string{"segment", "--format", "csv", "--lists", dir}, segTelecom...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	seg := countSegment(t, r.stdout)
	attrs := exportAttrs(t, filepath.Join(repoRoot, "examples/telecom/subscribers.csv"))
	mcol, manifest := csvRecords(t, readText(t, filepath.Join(dir, "manifest.csv")))
	seen := map[string]int{}
	var warning []string
	for _, m := range manifest {
		file, action := m[mcol["file"]], m[mcol["action"]]
		ids, value := checkList(t, file, readText(t, filepath.Join(dir, file)), seg, attrs)
		rows := int(listNum(t, m[mcol["rows"]]))
		if len(ids) != rows || !near(value, listNum(t, m[mcol["total_clv"]])) {
			t.Errorf("%s: %d rows, clv %v; the manifest says %d, %s", file, len(ids), value, rows, m[mcol["total_clv"]])
		}
		if file == "early_warning.csv" {
			warning = ids
			continue
		}
		// Direct count: the per-subscriber rows with this action.
		if rows != seg.count[action] || !near(value, seg.value[action]) {
			t.Errorf("%s: %d rows, clv %v; the per-subscriber output has %d, %v for %q", file, rows, value, seg.count[action], seg.value[action], action)
		}
		for _, id := range ids {
			seen[id]++
		}
	}
	if len(seen) != len(seg.rows) {
		t.Errorf("the action lists hold %d subscribers, the per-subscriber output %d", len(seen), len(seg.rows))
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s is on %d action lists", id, k)
		}
	}
	// With the churn-hazard model (auto on 3,000 subscribers) a probability at
	// or above the threshold puts a subscriber in decline, so the
	// early-warning list is the subscribers in decline.
	var decline []string
	for _, s := range seg.rows {
		if s[seg.col["stage"]] == "decline" {
			decline = append(decline, s[seg.col["customer_id"]])
		}
	}
	slices.Sort(decline)
	slices.Sort(warning)
	if !slices.Equal(decline, warning) {
		t.Errorf("early warning has %d subscribers, %d are in decline", len(warning), len(decline))
	}
}

func TestListsExclude(t *testing.T) {
	tmp := t.TempDir()
	ref := runCLI(t, "", append([]string{"segment", "--format", "csv", "--quiet"}, segTelecom...)...)
	if ref.code != 0 {
		t.Fatal(ref.stderr)
	}
	seg := countSegment(t, ref.stdout)
	// Every 37th subscriber (82 ids), twice one of them, and three unknown ids;
	// a CSV with an id column.
	var excl []string
	for k := 0; k < len(seg.rows); k += 37 {
		excl = append(excl, seg.rows[k][seg.col["customer_id"]])
	}
	body := "name,subscriber_id\n"
	for _, id := range append(append(slices.Clone(excl), excl[0], "NOPE1", "NOPE2"), "NOPE3") {
		body += "x," + id + "\n"
	}
	exclFile := filepath.Join(tmp, "dnc.csv")
	os.WriteFile(exclFile, []byte(body), 0o644)
	dir := filepath.Join(tmp, "lists")
	const cap_ = 25
	r := runCLI(t, "", append([]string{"segment", "--format", "csv", "--lists", dir, "--exclude", exclFile, "--max-per-list", strconv.Itoa(cap_)}, segTelecom...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != ref.stdout {
		t.Error("--lists changed the per-subscriber output")
	}
	if want := strconv.Itoa(len(excl)) + " ids matched and left out, 3 not among the subscribers"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	isExcl := map[string]bool{}
	for _, id := range excl {
		isExcl[id] = true
	}
	mcol, manifest := csvRecords(t, readText(t, filepath.Join(dir, "manifest.csv")))
	removed := 0
	for _, m := range manifest {
		file, action := m[mcol["file"]], m[mcol["action"]]
		if file == "early_warning.csv" {
			continue
		}
		// Direct: the action's subscribers in value-at-risk order, without
		// the excluded, first 25.
		var want []string
		var members [][]string
		matched := 0
		for _, s := range seg.rows {
			if s[seg.col["action"]] == action {
				if isExcl[s[seg.col["customer_id"]]] {
					matched++
					continue
				}
				members = append(members, s)
			}
		}
		slices.SortStableFunc(members, func(a, b []string) int {
			va, vb := listNum(t, a[seg.col["value_at_risk"]]), listNum(t, b[seg.col["value_at_risk"]])
			if va != vb {
				if va > vb {
					return -1
				}
				return 1
			}
			return strings.Compare(a[0], b[0])
		})
		for _, s := range members[:min(cap_, len(members))] {
			want = append(want, s[0])
		}
		ids, _ := checkList(t, file, readText(t, filepath.Join(dir, file)), seg, nil)
		if !slices.Equal(ids, want) {
			t.Errorf("%s: rows %v, want %v", file, ids, want)
		}
		if got := int(listNum(t, m[mcol["excluded"]])); got != matched {
			t.Errorf("%s: manifest excluded %d, direct count %d", file, got, matched)
		}
		if got := int(listNum(t, m[mcol["truncated"]])); got != max(0, len(members)-cap_) {
			t.Errorf("%s: manifest truncated %d, want %d", file, got, max(0, len(members)-cap_))
		}
		removed += matched
	}
	if removed != len(excl) {
		t.Errorf("the action lists lost %d excluded subscribers, want %d (every matched id)", removed, len(excl))
	}
}

func TestListsFolderIsWhole(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "lists")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "old.csv"), []byte("keep me"), 0o644)
	r := runCLI(t, "", append([]string{"segment", "--lists", dir, "--quiet", "-o", filepath.Join(tmp, "seg.csv")}, segTelecom...)...)
	if r.code == 0 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("non-empty folder: exit %d, stderr %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "old.csv")); string(b) != "keep me" {
		t.Error("the refused folder was changed")
	}
	// A run that fails after the folder was claimed leaves nothing.
	gone := filepath.Join(tmp, "gone")
	r = runCLI(t, "", append([]string{"segment", "--lists", gone, "--quiet", "--as-of", "2030-01-01"}, segTelecom...)...)
	if r.code == 0 {
		t.Fatal("a future --as-of succeeded")
	}
	es, _ := os.ReadDir(tmp)
	if len(es) != 1 || es[0].Name() != "lists" {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("after a failed run the folder holds %v, want only lists", names)
	}
	r = runCLI(t, "", append([]string{"segment", "--lists", dir, "--force", "--quiet", "-o", filepath.Join(tmp, "seg.csv")}, segTelecom...)...)
	if r.code != 0 {
		t.Fatalf("--force: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "old.csv")); err == nil {
		t.Error("--force kept the old file")
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.csv")); err != nil {
		t.Error(err)
	}
	if r := runCLI(t, "", append([]string{"segment", "--max-per-list", "3"}, segTelecom...)...); r.code != 2 {
		t.Errorf("--max-per-list without --lists: exit %d, want 2", r.code)
	}
}

func TestListsChineseHeaders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lists")
	subs := "testdata/lists/subscribers_zh.csv"
	r := runCLI(t, "", "segment", "--format", "csv", "--lists", dir, "-t", "examples/telecom/transactions.csv", "-s", subs)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	seg := countSegment(t, r.stdout)
	text := readText(t, filepath.Join(dir, "early_warning.csv"))
	if head := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(head, "customer_id,套餐,客户类型,地区,集团编号,stage,") {
		t.Errorf("header %q: want the export's own attribute headers", head)
	}
	checkList(t, "early_warning.csv", text, seg, exportAttrs(t, filepath.Join(repoRoot, subs)))
}
