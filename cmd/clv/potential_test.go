package main

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/report"
)

// TestValueRetentionCases34: the CLI prints the library's case-3 and case-4
// values (the library tests check them against direct sums and the
// hand-worked examples of Berger & Nasr 1998), and refuses mixed flags.
func TestValueRetentionCases34(t *testing.T) {
	var v struct {
		CLV float64 `json:"clv"`
	}
	var vs []struct {
		CLV float64 `json:"clv"`
	}
	decodeTable(t, mustRun(t, "value", "retention", "--margin", "100", "--retention", "0.8", "--discount", "0.1", "--margin-growth", "0.05", "--format", "json"), "value", &vs)
	if len(vs) != 1 {
		t.Fatalf("value table %+v", vs)
	}
	v.CLV = vs[0].CLV
	// Hand-worked: 100 × 1.1/(1.1 − 0.8 × 1.05) = 423.0769.
	if math.Abs(v.CLV-423.0769) > 5e-4 {
		t.Errorf("case 3: clv %.6f, want 423.0769", v.CLV)
	}
	var s struct {
		BestSpending float64 `json:"best_spending"`
		BestCLV      float64 `json:"best_clv"`
		Grid         []struct {
			RetentionSpending float64 `json:"retention_spending"`
			CLV               float64 `json:"clv"`
		}
	}
	out := mustRun(t, "value", "retention", "--margin", "100", "--retention-ceiling", "0.9", "--response", "0.05", "--discount", "0.1", "--spend-max", "100", "--spend-steps", "10", "--format", "json")
	var best []struct {
		BestSpending float64 `json:"best_spending"`
		BestCLV      float64 `json:"best_clv"`
	}
	decodeTable(t, out, "best", &best)
	decodeTable(t, out, "grid", &s.Grid)
	if len(best) != 1 {
		t.Fatalf("best table %+v", best)
	}
	s.BestSpending, s.BestCLV = best[0].BestSpending, best[0].BestCLV
	// Brute-force optimum of the same formula (see retention's TestOptimalSpendingHandWorked).
	if math.Abs(s.BestSpending-44.255) > 1e-3 || math.Abs(s.BestCLV-213.0439) > 1e-4 || len(s.Grid) != 11 {
		t.Errorf("case 4: best %g (clv %g), %d grid points", s.BestSpending, s.BestCLV, len(s.Grid))
	}
	want, err := retention.SpendValue(retention.Scenario{Margin: 100, Discount: 0.1}, retention.Response{Ceiling: 0.9, K: 0.05}, 20)
	if err != nil || s.Grid[2].RetentionSpending != 20 || math.Abs(s.Grid[2].CLV-want) > 1e-9 {
		t.Errorf("grid point C = 20: %+v, library %g (%v)", s.Grid[2], want, err)
	}
	for _, args := range [][]string{
		{"--margin", "1", "--retention", "0.5", "--retention-ceiling", "0.9", "--response", "1", "--discount", "0.1"},
		{"--margin", "1", "--retention-ceiling", "0.9", "--discount", "0.1"},
		{"--margin", "1", "--retention", "0.5", "--discount", "0.1", "--margin-growth", "-1"},
		{"--margin", "1", "--retention", "0.99", "--discount", "0.01", "--margin-growth", "0.05"},
	} {
		if r := runCLI(t, "", append([]string{"value", "retention"}, args...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}

// directCurve counts, from the raw files and independently of the library,
// the postpaid subscriber-periods at tenure k (calendar months since the
// activation month) and their mean spend: a month counts when it is in the
// window (2023-01 to 2024-12) and ends before the churn date.
func directCurve(t *testing.T, k int) (int, float64) {
	t.Helper()
	read := func(path string) [][]string {
		f, err := os.Open(path)
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
	month := func(date string) int {
		y, _ := strconv.Atoi(date[:4])
		m, _ := strconv.Atoi(date[5:7])
		return y*12 + m - 1
	}
	spend := map[string]float64{}
	for _, r := range read("../../examples/telecom/transactions.csv") {
		x, _ := strconv.ParseFloat(r[2], 64)
		spend[r[0]+"@"+strconv.Itoa(month(r[1]))] += x
	}
	n, sum := 0, 0.0
	for _, r := range read("../../examples/telecom/subscribers.csv") {
		if r[3] != "postpaid" {
			continue
		}
		m := month(r[1]) + k
		if m < 2023*12 || m > 2024*12+11 {
			continue
		}
		if r[2] != "" {
			// The month's last day must be before the churn day: the churn
			// month itself never counts, nor anything after it.
			if m >= month(r[2]) {
				continue
			}
		}
		n++
		sum += spend[r[0]+"@"+strconv.Itoa(m)]
	}
	return n, sum / float64(n)
}

// TestValueCurveCounts: the subscriber-periods and mean spend of postpaid
// subscribers at tenures 0, 5 and 30 in clv value curve equal a direct count
// from the raw files; the plans' subscriber-periods add up to the whole
// base's.
func TestValueCurveCounts(t *testing.T) {
	col, rows := readCSV(t, mustRun(t, "value", "curve", "-s", "examples/telecom/subscribers.csv", "-t", "examples/telecom/transactions.csv", "--format", "csv"))
	for _, k := range []int{0, 5, 30} {
		n, mean := directCurve(t, k)
		found := false
		for _, r := range rows {
			if r[col["group"]] == "postpaid" && r[col["tenure"]] == strconv.Itoa(k) {
				found = true
				got, _ := strconv.ParseFloat(r[col["mean"]], 64)
				if r[col["subscribers"]] != strconv.Itoa(n) || math.Abs(got-mean) > 1e-9*math.Max(1, mean) {
					t.Errorf("postpaid tenure %d: %s subscribers, mean %s; direct count %d, %.10g", k, r[col["subscribers"]], r[col["mean"]], n, mean)
				}
			}
		}
		if !found {
			t.Errorf("postpaid tenure %d missing", k)
		}
	}
	for _, c := range []string{"group", "tenure", "subscribers", "mean", "p25", "p50", "p75", "p90", "fitted", "within"} {
		if _, ok := col[c]; !ok {
			t.Fatalf("no column %q", c)
		}
	}
	total := 0
	groups := map[string]bool{}
	for _, r := range rows {
		n, _ := strconv.Atoi(r[col["subscribers"]])
		total += n
		groups[r[col["group"]]] = true
		for _, c := range []string{"mean", "fitted", "within"} {
			if x, err := strconv.ParseFloat(r[col[c]], 64); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				t.Errorf("%s %s: %q", r[col["group"]], c, r[col[c]])
			}
		}
	}
	if len(groups) != 4 {
		t.Errorf("groups %v, want the 4 plans", groups)
	}
	// Whole base: every subscriber-period, pooled (--by none).
	colAll, all := readCSV(t, mustRun(t, "value", "curve", "-s", "examples/telecom/subscribers.csv", "-t", "examples/telecom/transactions.csv", "--by", "none", "--format", "csv"))
	totalAll := 0
	for _, r := range all {
		n, _ := strconv.Atoi(r[colAll["subscribers"]])
		totalAll += n
		if r[colAll["group"]] != "all" {
			t.Fatalf("group %q, want all", r[colAll["group"]])
		}
	}
	if total != totalAll {
		t.Errorf("per plan %d subscriber-periods, whole base %d", total, totalAll)
	}
	if r := runCLI(t, "", "value", "curve", "-s", "examples/telecom/subscribers.csv", "-t", "examples/telecom/transactions.csv", "--chart", "x.png"); r.code != 2 {
		t.Errorf("--chart .png: exit %d, want 2", r.code)
	}
}

// TestPotentialOneFigure: potential value and headroom are one computation:
// clv value potential, clv segment and the report show the same figures
// (the report's improvement-type count and their potential value equal the
// potentials quadrant of clv segment among the subscribers not churned).
func TestPotentialOneFigure(t *testing.T) {
	subs, tx := "examples/telecom/subscribers.csv", "examples/telecom/transactions.csv"
	pc, prow := readCSV(t, mustRun(t, "value", "potential", "-s", subs, "-t", tx, "--as-of", "2024-12-31", "--format", "csv"))
	pot := map[string][2]string{}
	for _, r := range prow {
		pot[r[pc["customer_id"]]] = [2]string{r[pc["potential_value"]], r[pc["headroom"]]}
	}
	sc, srow := readCSV(t, mustRun(t, "segment", "-s", subs, "-t", tx, "--as-of", "2024-12-31", "--format", "csv"))
	improvement, matched := 0, 0
	var worth float64
	for _, r := range srow {
		id := r[sc["customer_id"]]
		if p, ok := pot[id]; ok && r[sc["stage"]] != "churned" {
			matched++
			if r[sc["potential_value"]] != p[0] || r[sc["headroom"]] != p[1] {
				t.Errorf("%s: segment potential %s headroom %s, value potential %s %s", id, r[sc["potential_value"]], r[sc["headroom"]], p[0], p[1])
			}
		}
		if r[sc["quadrant"]] == "potentials" && r[sc["stage"]] != "churned" {
			improvement++
			x, _ := strconv.ParseFloat(r[sc["potential_value"]], 64)
			worth += x
			if r[sc["action"]] != "development plan" {
				t.Errorf("%s: improvement type with action %q", id, r[sc["action"]])
			}
		}
	}
	// Subscribers the stage rules call churned (3 periods without a
	// purchase) have no future value in clv segment.
	if matched < len(pot)*9/10 || improvement == 0 {
		t.Errorf("%d of %d valued subscribers living in segment output; %d improvement type", matched, len(pot), improvement)
	}
	md := mustRun(t, "report", "examples/telecom", "--as-of", "2024-12-31", "--format", "markdown")
	rows := mdTable(t, md, "Current and potential value by quadrant")
	for _, r := range rows {
		if r["quadrant"] != "potentials" {
			continue
		}
		checkText(t, "improvement-type subscribers", r["subscribers"], report.FormatInt(int64(improvement)))
		// The report rounds to a whole number.
		got, _ := strconv.ParseFloat(stripCommas(r["potential value"]), 64)
		if math.Abs(got-worth) > 0.5+1e-9*math.Abs(worth) {
			t.Errorf("report potential value %s, segment sum %.2f", r["potential value"], worth)
		}
	}
}

func stripCommas(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ',' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
