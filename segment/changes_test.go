package segment

import (
	"slices"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func TestCompare(t *testing.T) {
	cur := listFixture() // a..g
	prev := &Snapshot{AsOf: dataset.Civil(2024, 11, 30),
		IDs:   []string{"a", "b", "c", "d", "x"},
		Stage: []Stage{Maturity, Maturity, Decline, Decline, Growth},
		Tier:  []string{"high", "low", "low", "low", "mid"},
		CLV:   []float64{90, 70, 12, 20, 5},
		Risk:  []float64{0.1, 0.1, 0.6, 0.6, 0.1},
	}
	c, err := Compare(prev, cur, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if c.Both != 4 || c.New != 3 || c.Gone != 1 {
		t.Errorf("both %d new %d gone %d; want 4, 3, 1", c.Both, c.New, c.Gone)
	}
	// Hand count. Early warning before: c, d listed; now: b, c, e, g listed, d churned.
	// New warnings: b (was not listed), e and g (new). Resolved: none; c stays.
	// Warned and churned: d. Churned since: d.
	if c.NewWarnings != 3 || c.Resolved != 0 || c.WarnedChurned != 1 || c.ChurnedSince != 1 {
		t.Errorf("new %d resolved %d warned-churned %d churned-since %d; want 3, 0, 1, 1", c.NewWarnings, c.Resolved, c.WarnedChurned, c.ChurnedSince)
	}
	from, to, counts := c.Matrix("stage")
	if !slices.Equal(from, []string{"acquisition", "growth", "maturity", "decline", "churned", StateNew}) ||
		!slices.Equal(to, []string{"acquisition", "growth", "maturity", "decline", "churned", StateGone}) {
		t.Fatalf("states %v -> %v", from, to)
	}
	at := func(f, t string) int { return counts[slices.Index(from, f)][slices.Index(to, t)] }
	for _, w := range []struct {
		f, t string
		n    int
	}{{"maturity", "maturity", 1}, {"maturity", "decline", 1}, {"decline", "decline", 1}, {"decline", "churned", 1},
		{"growth", StateGone, 1}, {StateNew, "growth", 1}, {StateNew, "maturity", 1}, {StateNew, "decline", 1}} {
		if got := at(w.f, w.t); got != w.n {
			t.Errorf("stage %s -> %s: %d, want %d", w.f, w.t, got, w.n)
		}
	}
	total := 0
	for _, r := range c.Rows {
		if r.Measure == "tier" {
			total += r.Customers
		}
	}
	if total != c.Both+c.New+c.Gone {
		t.Errorf("tier cells hold %d customers, want %d: none dropped", total, c.Both+c.New+c.Gone)
	}
	// The previous tier "mid" is not a current tier: it gets its own row.
	tf, _, _ := c.Matrix("tier")
	if !slices.Contains(tf, "mid") {
		t.Errorf("tier states %v lack the previous run's mid", tf)
	}
	var vp, vc float64
	for _, r := range c.ByFrom("stage") {
		vp += r.ValuePrevious
		vc += r.ValueCurrent
	}
	if vp != 197 || vc != 255 || c.ValuePrevious != 197 || c.ValueCurrent != 255 {
		t.Errorf("value %v -> %v (totals %v, %v); want 197 -> 255", vp, vc, c.ValuePrevious, c.ValueCurrent)
	}
}

func TestCompareSame(t *testing.T) {
	cur := listFixture()
	prev := &Snapshot{AsOf: dataset.NoDay, IDs: cur.IDs, CLV: cur.CLV, Risk: cur.Risk}
	for i := range cur.IDs {
		prev.Stage = append(prev.Stage, cur.Stage[i])
		prev.Tier = append(prev.Tier, cur.Tiers[cur.Tier[i]])
	}
	c, err := Compare(prev, cur, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows {
		if r.From != r.To && r.Customers != 0 {
			t.Errorf("%s %s -> %s: %d customers moved on identical runs", r.Measure, r.From, r.To, r.Customers)
		}
	}
	if c.NewWarnings+c.Resolved+c.ChurnedSince+c.New+c.Gone != 0 {
		t.Errorf("identical runs: %+v", c)
	}
	prev.IDs = []string{"a", "a", "c", "d", "e", "f", "g"}
	if _, err := Compare(prev, cur, 0.5); err == nil {
		t.Error("duplicate id accepted")
	}
}

func TestGroups(t *testing.T) {
	r := listFixture()
	r.Revenue = []float64{10, 20, 30, 40, 50, 60, 70}
	in := GroupInput{
		Group:   []string{"G1", "G1", "G2", "G2", "", "G1", "G3"},
		Active:  []bool{true, true, true, false, true, true, true},
		Monthly: []float64{6000, 5000, 800, 0, 1, 100, 50},
	}
	opt := GroupOptions{Grades: []string{"A", "B", "C"}, Revenue: []float64{10000, 500}, Lines: []int{3, 1}, KeyMembers: 2}
	rows, err := r.Groups(in, opt, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Group != "G1" || rows[1].Group != "G2" || rows[2].Group != "G3" {
		t.Fatalf("groups %+v", rows)
	}
	g1, g2, g3 := rows[0], rows[1], rows[2]
	// G1: 11100 a month and 3 active lines: A; G2: 800 and 1: B; G3: 50: C.
	if g1.Grade != "A" || g2.Grade != "B" || g3.Grade != "C" {
		t.Errorf("grades %s %s %s; want A B C", g1.Grade, g2.Grade, g3.Grade)
	}
	if g1.Lines != 3 || g1.ActiveLines != 3 || g1.Revenue != 90 || g1.CLV != 185 || g1.Warning != 1 {
		t.Errorf("G1 %+v", g1)
	}
	if g2.Lines != 2 || g2.ActiveLines != 1 || g2.Warning != 1 {
		t.Errorf("G2 %+v", g2)
	}
	if !slices.Equal(g1.KeyMembers, []int{0, 1}) {
		t.Errorf("G1 key members %v, want rows a, b (highest clv)", g1.KeyMembers)
	}
	bad := opt
	bad.Revenue = []float64{500, 10000}
	if _, err := r.Groups(in, bad, 0.5); err == nil {
		t.Error("increasing revenue thresholds accepted")
	}
}
