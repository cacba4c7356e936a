package segment

import (
	"math"
	"slices"
	"testing"
)

// listFixture is a hand-made result of seven customers: two actions, three
// on the early-warning list (decline, or risk >= 0.5 and not churned).
func listFixture() *Result {
	return &Result{
		Tiers:       []string{"high", "low"},
		IDs:         []string{"a", "b", "c", "d", "e", "f", "g"},
		Stage:       []Stage{Maturity, Decline, Decline, Churned, Growth, Maturity, Decline},
		Tier:        []int32{0, 0, 1, 1, 0, 1, 1},
		CLV:         []float64{100, 80, 10, 0, 50, 5, 10},
		Risk:        []float64{0.1, 0.6, 0.4, 1, 0.7, 0.2, 0.4},
		ValueAtRisk: []float64{10, 48, 4, 30, 35, 1, 4},
		Action:      []string{"keep", "call", "call", "win back", "keep", "keep", "call"},
	}
}

func TestListsPartitionAndOrder(t *testing.T) {
	r := listFixture()
	l, err := r.Lists(ListOptions{RiskThreshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	// Without a table the actions are ordered by name; early warning last.
	var files []string
	for _, x := range l.Lists {
		files = append(files, x.File)
	}
	want := []string{"action_call.csv", "action_keep.csv", "action_win_back.csv", "early_warning.csv"}
	if !slices.Equal(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	ids := func(x List) []string {
		var out []string
		for _, i := range x.Rows {
			out = append(out, r.IDs[i])
		}
		return out
	}
	// Value at risk descending, ties (c and g at 4) by id.
	if got := ids(l.Lists[0]); !slices.Equal(got, []string{"b", "c", "g"}) {
		t.Errorf("call list %v", got)
	}
	if got := ids(l.Lists[1]); !slices.Equal(got, []string{"e", "a", "f"}) {
		t.Errorf("keep list %v", got)
	}
	// Early warning: b, c, g in decline and e (risk 0.7); d is churned.
	if got := ids(l.Lists[3]); !slices.Equal(got, []string{"b", "e", "c", "g"}) {
		t.Errorf("early warning %v", got)
	}
	if v := l.Lists[1].Value; v != 155 {
		t.Errorf("keep value %v, want 100+50+5", v)
	}
	if got := l.Lists[0].Cells; !slices.Equal(got, []string{"decline/high", "decline/low"}) {
		t.Errorf("call cells %v", got)
	}
}

func TestListsExcludeAndCap(t *testing.T) {
	r := listFixture()
	l, err := r.Lists(ListOptions{RiskThreshold: 0.5, Exclude: []string{"c", "zz", "c", "e", "yy", "b"}, MaxRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	if l.Matched != 3 || l.Unmatched != 2 || !slices.Equal(l.UnmatchedIDs, []string{"zz", "yy"}) {
		t.Errorf("matched %d unmatched %d %v; want 3, 2 [zz yy]", l.Matched, l.Unmatched, l.UnmatchedIDs)
	}
	excluded := 0
	for _, x := range l.Lists {
		if len(x.Rows)+x.Excluded+x.Truncated != x.Eligible {
			t.Errorf("%s: %d rows + %d excluded + %d truncated != %d eligible", x.File, len(x.Rows), x.Excluded, x.Truncated, x.Eligible)
		}
		if x.Action != "" {
			excluded += x.Excluded
		}
	}
	// Every matched id is on exactly one action list.
	if excluded != l.Matched {
		t.Errorf("excluded from the action lists %d, want %d matched", excluded, l.Matched)
	}
	call := l.Lists[0]
	if len(call.Rows) != 1 || r.IDs[call.Rows[0]] != "g" || call.Excluded != 2 || call.Truncated != 0 {
		t.Errorf("call list rows %v excluded %d truncated %d; want [g], 2, 0", call.Rows, call.Excluded, call.Truncated)
	}
	keep := l.Lists[1]
	if len(keep.Rows) != 1 || r.IDs[keep.Rows[0]] != "a" || keep.Excluded != 1 || keep.Truncated != 1 {
		t.Errorf("keep list rows %v excluded %d truncated %d; want [a], 1, 1", keep.Rows, keep.Excluded, keep.Truncated)
	}
	if _, err := r.Lists(ListOptions{MaxRows: -1}); err == nil {
		t.Error("negative cap accepted")
	}
}

func TestListsTableOrderAndSlug(t *testing.T) {
	r := listFixture()
	tab := &ActionTable{Rows: []Action{{Stage: Churned, Tier: "*", Name: "win back", Otherwise: "let go", MinValue: 1}, {Stage: Decline, Tier: "*", Name: "call"}}}
	l, err := r.Lists(ListOptions{Actions: tab, RiskThreshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range l.Lists {
		got = append(got, x.Action)
	}
	if !slices.Equal(got, []string{"win back", "call", "keep", ""}) {
		t.Errorf("order %q", got)
	}
	for in, want := range map[string]string{"VIP loyalty program": "vip_loyalty_program", "win-back offer": "win_back_offer", "  ": "action", "挽留 电话": "挽留_电话", "a/../b": "a_b"} {
		if s := Slug(in); s != want {
			t.Errorf("Slug(%q) = %q, want %q", in, s, want)
		}
	}
	taken := map[string]bool{}
	if a, b := uniqueFile("action_x", taken), uniqueFile("action_x", taken); a != "action_x.csv" || b != "action_x_2.csv" {
		t.Errorf("unique names %q %q", a, b)
	}
}

func TestReason(t *testing.T) {
	opt := DefaultOptions()
	r := &Result{Period: 0, Tiers: []string{"gold"}, Annuity: 10,
		IDs:           []string{"lapsed", "new", "falling", "risky", "growing"},
		Stage:         []Stage{Churned, Acquisition, Decline, Decline, Growth},
		Tier:          []int32{0, 0, 0, 0, 0},
		TenurePeriods: []int32{20, 2, 12, 12, 12},
		SincePurchase: []int32{4, 0, 0, 0, 0},
		Trend:         []float64{0, 0, -0.2, 0, 0.1},
		Risk:          []float64{1, 0.1, 0.3, 0.8, 0.6},
		CLV:           []float64{0, 1, 1, 1, 1},
		Current:       []float64{5, 1, 1, 1, 1},
		Quadrant:      make([]Quadrant, 5),
	}
	r.HasProbability = true
	want := []string{
		"churned: no purchase for 4 months (lapsed at 3); gold tier",
		"new: tenure 2 months (up to 3); gold tier",
		"decline: spend trend -20% a month (at or below -5%); gold tier",
		"decline: churn probability 0.80 (at or above 0.50); gold tier",
		"growth: spend trend +10% a month (at or above +5%); risk 0.60 (at or above 0.50); gold tier",
	}
	for i, w := range want {
		if got := r.Reason(i, opt); got != w {
			t.Errorf("%s: %q, want %q", r.IDs[i], got, w)
		}
	}
	opt.Actions = &ActionTable{Rows: []Action{{Stage: Churned, Tier: "*", Name: "win back", MinValue: 100, Otherwise: "let go"}}}
	if got := r.Reason(0, opt); got != "churned: no purchase for 4 months (lapsed at 3); gold tier; value 50 below 100" {
		t.Errorf("below min_value: %q", got)
	}
	if b := r.Basis(0); math.Abs(b-50) > 1e-12 {
		t.Errorf("basis of a churned customer %v, want current 5 x annuity 10", b)
	}
}
