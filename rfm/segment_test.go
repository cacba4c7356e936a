package rfm

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// cube scores every (r, f, m) combination on 1..k once.
func cube(k int) *Scores {
	s := &Scores{Bins: k}
	for r := 1; r <= k; r++ {
		for f := 1; f <= k; f++ {
			for m := 1; m <= k; m++ {
				s.R = append(s.R, uint8(r))
				s.F = append(s.F, uint8(f))
				s.M = append(s.M, uint8(m))
			}
		}
	}
	return s
}

func TestDefaultRulesFiveBins(t *testing.T) {
	s := cube(5)
	g, err := Segment(s, DefaultRules(5))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Names) != 10 {
		t.Fatalf("%d segment names %v, want the ten defaults and no Others (they partition the grid)", len(g.Names), g.Names)
	}
	want := map[string]string{ // cell → segment, from the table in doc.go
		"555": "Champions", "541": "Champions", "355": "Loyal Customers", "443": "Loyal Customers",
		"523": "Potential Loyalist", "432": "Potential Loyalist", "515": "New Customers", "414": "Promising",
		"333": "Need Attention", "311": "About To Sleep", "325": "About To Sleep", "231": "At Risk",
		"143": "At Risk", "155": "Can't Lose Them", "251": "Can't Lose Them", "111": "Lost", "225": "Lost",
	}
	for i := 0; i < s.Len(); i++ {
		if w, ok := want[s.CellString(i)]; ok {
			if got := g.Name(i); got != w {
				t.Errorf("cell %s in %q, want %q", s.CellString(i), got, w)
			}
		}
	}
}

func TestDefaultRulesOtherBins(t *testing.T) {
	cases := []struct {
		k    int
		cell string
		want string
	}{
		// k = 3 maps scores 1, 2, 3 to 1, 3, 5 on the five-point scale.
		{3, "333", "Champions"},
		{3, "232", "Loyal Customers"},
		{3, "321", "Potential Loyalist"},
		{3, "311", "New Customers"},
		{3, "222", "Need Attention"},
		{3, "213", "About To Sleep"},
		{3, "121", "At Risk"},
		{3, "131", "Can't Lose Them"},
		{3, "111", "Lost"},
		// k = 9: 1 + round((s−1)/2), halves away from zero: 9 → 5, 7 → 4, 6 → 4, 5 → 3.
		{9, "999", "Champions"},
		{9, "791", "Loyal Customers"},
		{9, "511", "About To Sleep"},
		{9, "611", "Promising"},
	}
	for _, c := range cases {
		t.Run(c.cell, func(t *testing.T) {
			s := cube(c.k)
			g, err := Segment(s, DefaultRules(c.k))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for i := 0; i < s.Len(); i++ {
				if s.CellString(i) == c.cell {
					found = true
					if got := g.Name(i); got != c.want {
						t.Errorf("k=%d cell %s in %q, want %q", c.k, c.cell, got, c.want)
					}
				}
			}
			if !found {
				t.Fatalf("cell %s not in the cube", c.cell)
			}
			for _, n := range g.Names {
				if n == Others {
					t.Errorf("k=%d: defaults leave cells unmatched", c.k)
				}
			}
		})
	}
}

func TestSegmentFirstMatchAndOthers(t *testing.T) {
	rules := []Rule{
		{Name: "Top", R: Range{5, 5}, F: Range{5, 5}, M: Range{5, 5}},
		{Name: "Recent", R: Range{4, 0}},              // R 4..k, overlaps Top: order decides
		{Name: "Top", R: Range{1, 1}, F: Range{5, 0}}, // a second rule for the same name
	}
	s := cube(5)
	g, err := Segment(s, rules)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(g.Names, "|") != "Top|Recent|Others" {
		t.Fatalf("names = %v", g.Names)
	}
	for i := 0; i < s.Len(); i++ {
		var want string
		switch c := s.CellString(i); {
		case c == "555":
			want = "Top"
		case c[0] >= '4':
			want = "Recent"
		case c[0] == '1' && c[1] == '5':
			want = "Top"
		default:
			want = Others
		}
		if got := g.Name(i); got != want {
			t.Errorf("cell %s in %q, want %q", s.CellString(i), got, want)
		}
	}
}

func TestValidateRules(t *testing.T) {
	cases := []struct {
		name  string
		rules []Rule
		want  string
	}{
		{"empty", nil, "empty"},
		{"no name", []Rule{{Name: " "}}, "no name"},
		{"above bins", []Rule{{Name: "x", R: Range{1, 6}}}, "r_max 6 is outside the scores 1..5"},
		{"min above max", []Rule{{Name: "x", F: Range{4, 2}}}, "f_min 4 is above f_max 2"},
		{"open min above max", []Rule{{Name: "x", M: Range{0, 0}}, {Name: "y", M: Range{5, 0}}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateRules(c.rules, 5)
			if c.want == "" {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	if !errors.Is(ValidateRules(nil, 5), ErrNoRules) {
		t.Error("empty rule set is not ErrNoRules")
	}
}

func TestParseRules(t *testing.T) {
	good := "\ufeff# telecom\nname,r_min,r_max,f_min,f_max\nVIP,4,5,4,\n\"Dormant, high value\", , 2 ,4,5\nEveryone else,,,,\n"
	rules, err := ParseRules(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Name: "VIP", R: Range{4, 5}, F: Range{4, 0}},
		{Name: "Dormant, high value", R: Range{0, 2}, F: Range{4, 5}},
		{Name: "Everyone else"},
	}
	if len(rules) != len(want) {
		t.Fatalf("%d rules, want %d", len(rules), len(want))
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Errorf("rule %d = %+v, want %+v", i+1, rules[i], want[i])
		}
	}

	bad := []struct {
		name, in, want string
	}{
		{"unknown column", "name,r_min,recency\nx,1,2\n", `unknown column "recency"`},
		{"no name column", "r_min,r_max\n1,2\n", `no "name" column`},
		{"duplicate column", "name,r_min,r_min\nx,1,2\n", "appears twice"},
		{"not a number", "name,r_min\nx,one\n", `line 2: column "r_min": "one" is not a score`},
		{"out of range", "name,m_max\nx,10\n", `"10" is not a score 1..9`},
		{"empty name", "name,r_min\n,1\n", "line 2: empty segment name"},
		{"field count", "name,r_min\nx,1,2\n", "line 2: 3 fields"},
		{"header only", "name,r_min,r_max\n", "no rule"},
		{"empty file", "", "no header"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	// Four customers, k = 2, one inactive. Worked by hand:
	//   a: rec 1 f 3 m 30 → R2 F2 M2 ; b: rec 9 f 1 m 10 → R1 F1 M1
	//   c: rec 2 f 2 m 20 → ntile: R order desc b(9) c(2) a(1) → b1 c1 a2 ; F a2 b1 c2? (1,2,3 → 1,1,2)
	m := &Metrics{
		IDs:       []string{"a", "b", "c", "z"},
		Recency:   []int32{1, 9, 2, 100},
		Frequency: []int64{3, 1, 2, 0},
		Monetary:  []float64{30, 10, 20, 0},
		Revenue:   []float64{30, 10, 20, 0},
	}
	s, err := Score(m, Options{Method: Ntile, Bins: 2})
	if err != nil {
		t.Fatal(err)
	}
	// NTILE(2) over 3 active: sizes 2, 1.
	//   R: b(9) c(2) | a(1) → b1 c1 a2;  F: b(1) c(2) | a(3) → b1 c1 a2;  M likewise.
	if got := scoresOf(s.R) + scoresOf(s.F) + scoresOf(s.M); got != "211121112111" {
		t.Fatalf("scores R|F|M = %s", got)
	}
	rules := []Rule{{Name: "Best", R: Range{2, 2}}, {Name: "Rest", R: Range{1, 1}}}
	g, err := Segment(s, rules)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Summarize(m, s, g)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 4 || rep.Active != 3 || rep.Revenue != 60 {
		t.Errorf("totals = %d customers, %d active, revenue %v", rep.Customers, rep.Active, rep.Revenue)
	}
	want := []SegmentSummary{
		{Name: "Best", Customers: 1, Active: 1, CustomerShare: 0.25, Revenue: 30, RevenueShare: 0.5, MeanRecency: 1, MeanFrequency: 3, MeanMonetary: 30},
		// Rest: b, c and the inactive z (means over b and c).
		{Name: "Rest", Customers: 3, Active: 2, CustomerShare: 0.75, Revenue: 30, RevenueShare: 0.5, MeanRecency: 5.5, MeanFrequency: 1.5, MeanMonetary: 15},
	}
	for i, w := range want {
		got := rep.Segments[i]
		if got.Name != w.Name || got.Customers != w.Customers || got.Active != w.Active {
			t.Errorf("segment %d = %+v, want %+v", i, got, w)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"customer share", got.CustomerShare, w.CustomerShare}, {"revenue", got.Revenue, w.Revenue},
			{"revenue share", got.RevenueShare, w.RevenueShare}, {"mean recency", got.MeanRecency, w.MeanRecency},
			{"mean frequency", got.MeanFrequency, w.MeanFrequency}, {"mean monetary", got.MeanMonetary, w.MeanMonetary},
		} {
			if math.Abs(f.got-f.want) > 1e-12 {
				t.Errorf("%s %s = %v, want %v", w.Name, f.name, f.got, f.want)
			}
		}
	}
	// Grid rows R 2, 1; columns F 1, 2: (R2,F1) 0, (R2,F2) a, (R1,F1) b c z, (R1,F2) 0.
	wantGrid := []Cell{{R: 2, F: 1}, {R: 2, F: 2, Customers: 1, MeanMonetary: 30}, {R: 1, F: 1, Customers: 3, MeanMonetary: 15}, {R: 1, F: 2}}
	for i, w := range wantGrid {
		if rep.Grid[i] != w {
			t.Errorf("grid cell %d = %+v, want %+v", i, rep.Grid[i], w)
		}
	}
}

func TestDefaultRulesCoverEveryBinCount(t *testing.T) {
	// The ten ranges partition the 5×5 R×F grid, and rescaling keeps that
	// property for every k: no score combination falls through to Others.
	for k := 2; k <= MaxBins; k++ {
		s := cube(k)
		g, err := Segment(s, DefaultRules(k))
		if err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		for _, n := range g.Names {
			if n == Others {
				t.Errorf("k=%d: the default rules leave cells unmatched", k)
			}
		}
		// Best and worst corners keep their names at every k.
		if got := g.Name(s.Len() - 1); got != "Champions" {
			t.Errorf("k=%d: best cell in %q", k, got)
		}
		if got := g.Name(0); got != "Lost" {
			t.Errorf("k=%d: worst cell in %q", k, got)
		}
	}
}
