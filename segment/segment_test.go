package segment

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestConcentrate(t *testing.T) {
	ramp := make([]float64, 10)
	for i := range ramp {
		ramp[i] = float64(10 - i)
	}
	cases := []struct {
		name    string
		revenue []float64
		gini    float64
		top     []float64 // top 1%, 5%, 20%
	}{
		// Hand-computed with G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ): for 1,2,3,4 the
		// ordered pair differences sum to 20, 2·16·2.5 = 80, G = 0.25; the top
		// 1%, 5% and 20% of 4 customers are 1 customer: 4/10.
		{"1..4", []float64{3, 1, 4, 2}, 0.25, []float64{0.4, 0.4, 0.4}},
		// 1..10: differences sum to 330, 2·100·5.5 = 1100, G = 0.3; top 20%
		// is 2 customers: (10 + 9)/55.
		{"1..10", ramp, 0.3, []float64{10.0 / 55, 10.0 / 55, 19.0 / 55}},
		{"equal", []float64{5, 5, 5, 5, 5}, 0, []float64{0.2, 0.2, 0.2}},
		// One customer of five holds everything: G = (n−1)/n = 0.8.
		{"monopoly", []float64{0, 0, 7, 0, 0}, 0.8, []float64{1, 1, 1}},
		// Negative revenue (refunds) counts as zero.
		{"refund", []float64{-3, 0, 7, 0, 0}, 0.8, []float64{1, 1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Concentrate(c.revenue, 100)
			if !near(got.Gini, c.gini, 1e-12) {
				t.Errorf("Gini = %v, want %v", got.Gini, c.gini)
			}
			for k, w := range c.top {
				if !near(got.TopShare[k], w, 1e-12) {
					t.Errorf("top %g%% = %v, want %v", got.TopPercent[k], got.TopShare[k], w)
				}
			}
			l := got.Lorenz
			if l[0] != [2]float64{0, 0} || !near(l[len(l)-1][0], 1, 1e-12) || !near(l[len(l)-1][1], 1, 1e-12) {
				t.Errorf("Lorenz ends %v %v", l[0], l[len(l)-1])
			}
			for j := 1; j < len(l); j++ {
				if l[j][1] < l[j-1][1] || l[j][1] > l[j][0]+1e-12 {
					t.Errorf("Lorenz point %d %v is not monotone below the diagonal", j, l[j])
				}
			}
		})
	}
	// 1..4 Lorenz at every customer: (0,0) (.25,.1) (.5,.3) (.75,.6) (1,1).
	l := Concentrate([]float64{1, 2, 3, 4}, 4).Lorenz
	want := [][2]float64{{0, 0}, {0.25, 0.1}, {0.5, 0.3}, {0.75, 0.6}, {1, 1}}
	for j := range want {
		if !near(l[j][0], want[j][0], 1e-12) || !near(l[j][1], want[j][1], 1e-12) {
			t.Fatalf("Lorenz = %v, want %v", l, want)
		}
	}
}

func TestKeyAccounts(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	cases := []struct {
		name    string
		revenue []float64
		share   float64
		want    string // key account ids
		carried float64
	}{
		// Total 100: d (40) alone reaches 30%.
		{"one", []float64{10, 20, 5, 40, 25}, 0.3, "d", 0.4},
		// 50% needs d + e (65%).
		{"two", []float64{10, 20, 5, 40, 25}, 0.5, "de", 0.65},
		// Exactly at the target: d + e = 65% for share 0.65.
		{"tie at target", []float64{10, 20, 5, 40, 25}, 0.65, "de", 0.65},
		// Equal revenue: ties broken by id.
		{"ties", []float64{25, 25, 25, 25, 0}, 0.3, "ab", 0.5},
		{"all", []float64{10, 20, 5, 40, 25}, 1, "abcde", 1},
		{"none", []float64{0, 0, 0, 0, 0}, 0.3, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			key, carried := KeyAccounts(c.revenue, ids, c.share)
			var got strings.Builder
			for i, k := range key {
				if k {
					got.WriteString(ids[i])
				}
			}
			if got.String() != c.want || !near(carried, c.carried, 1e-12) {
				t.Errorf("key = %q carrying %v, want %q carrying %v", got.String(), carried, c.want, c.carried)
			}
		})
	}
}

func TestQuantileTiers(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	cases := []struct {
		name  string
		value []float64
		k     int
		want  []int32
	}{
		{"quartiles", []float64{8, 7, 6, 5, 4, 3, 2, 1}, 4, []int32{0, 0, 1, 1, 2, 2, 3, 3}},
		{"reversed", []float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, []int32{3, 3, 2, 2, 1, 1, 0, 0}},
		// Equal values share the tier of the first of them.
		{"ties", []float64{8, 7, 7, 7, 4, 0, 0, 0}, 4, []int32{0, 0, 0, 0, 2, 2, 2, 2}},
		{"one tier", []float64{8, 7, 6, 5, 4, 3, 2, 1}, 1, []int32{0, 0, 0, 0, 0, 0, 0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := QuantileTiers(c.value, ids, c.k)
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("tiers = %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestPercentRanks(t *testing.T) {
	got := percentRanks([]float64{10, 30, 20, 20})
	// Mid-ranks: 10 → 0.5/4, 20s → (1 + 1)/4, 30 → 3.5/4.
	want := []float64{0.125, 0.875, 0.5, 0.5}
	for i := range want {
		if !near(got[i], want[i], 1e-12) {
			t.Fatalf("percentRanks = %v, want %v", got, want)
		}
	}
}

// crafted builds a small subscriber base observed to 2024-06-30, one
// transaction per month on the 15th:
//
//	new    activated 2024-05-10, 40/month                → acquisition
//	grow   since 2023-07, spend 10, 20, ..., 120          → growth
//	decl   since 2023-07, spend 120, 110, ..., 10         → decline
//	flat   since 2023-07, 30/month                        → maturity
//	gone   since 2023-07, 50/month, churned 2024-03-20    → churned
//	lapsed since 2023-07, 60/month, last bought 2024-02   → churned (4 idle months)
//	quiet  since 2023-07, 30/month but not in June        → decline (recency)
func crafted(t testing.TB) Input {
	tx := &dataset.Transactions{}
	add := func(id string, c int32, y, m int, amount float64) {
		if int(c) == len(tx.IDs) {
			tx.IDs = append(tx.IDs, id)
		}
		tx.Customer = append(tx.Customer, c)
		tx.Day = append(tx.Day, dataset.Civil(y, m, 15))
		tx.Amount = append(tx.Amount, amount)
	}
	type sub struct {
		id         string
		act, churn dataset.Day
		spend      func(k int) float64 // k = months since 2023-07, 0..11
	}
	subs := []sub{
		{"new", dataset.Civil(2024, 5, 10), dataset.NoDay, func(k int) float64 {
			if k >= 10 {
				return 40
			}
			return 0
		}},
		{"grow", dataset.Civil(2023, 7, 1), dataset.NoDay, func(k int) float64 { return float64(10 * (k + 1)) }},
		{"decl", dataset.Civil(2023, 7, 1), dataset.NoDay, func(k int) float64 { return float64(120 - 10*k) }},
		{"flat", dataset.Civil(2023, 7, 1), dataset.NoDay, func(int) float64 { return 30 }},
		{"gone", dataset.Civil(2023, 7, 1), dataset.Civil(2024, 3, 20), func(k int) float64 {
			if k <= 8 {
				return 50
			}
			return 0
		}},
		{"lapsed", dataset.Civil(2023, 7, 1), dataset.NoDay, func(k int) float64 {
			if k <= 7 {
				return 60
			}
			return 0
		}},
		{"quiet", dataset.Civil(2023, 7, 1), dataset.NoDay, func(k int) float64 {
			if k <= 10 {
				return 30
			}
			return 0
		}},
	}
	s := &dataset.Subscribers{}
	for c, sb := range subs {
		s.ID = append(s.ID, sb.id)
		s.Activation = append(s.Activation, sb.act)
		s.Churn = append(s.Churn, sb.churn)
		for k := 0; k < 12; k++ {
			y, m := 2023, 7+k
			if m > 12 {
				y, m = 2024, m-12
			}
			if v := sb.spend(k); v > 0 {
				if int32(c) >= int32(len(tx.IDs)) {
					tx.IDs = append(tx.IDs, sb.id)
				}
				add(sb.id, int32(c), y, m, v)
			}
		}
	}
	subOf, err := dataset.Join(tx, s)
	if err != nil {
		t.Fatal(err)
	}
	asOf := dataset.Civil(2024, 6, 30)
	sum, err := dataset.Summarize(tx, dataset.SummaryOptions{AsOf: asOf, Unit: dataset.UnitMonth, Subscribers: s, SubOf: subOf})
	if err != nil {
		t.Fatal(err)
	}
	p, err := dataset.BuildPanel(tx, dataset.PanelOptions{Period: dataset.PeriodMonth, AsOf: asOf, From: dataset.Civil(2023, 7, 1)})
	if err != nil {
		t.Fatal(err)
	}
	churn := make([]dataset.Day, sum.Len())
	for i, c := range sum.Index {
		churn[i] = s.Churn[subOf[c]]
	}
	return Input{Summary: sum, Panel: p, Churn: churn}
}

func TestBuild(t *testing.T) {
	in := crafted(t)
	opt := DefaultOptions()
	opt.Actions = DefaultActions()
	r, err := Build(in, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Stage{"new": Acquisition, "grow": Growth, "decl": Decline, "flat": Maturity,
		"gone": Churned, "lapsed": Churned, "quiet": Decline}
	row := map[string]int{}
	for i, id := range r.IDs {
		row[id] = i
		if r.Stage[i] != want[id] {
			t.Errorf("%s: stage %v (trend %.3f, since %d, tenure %d), want %v", id, r.Stage[i], r.Trend[i], r.SincePurchase[i], r.TenurePeriods[i], want[id])
		}
	}
	flat := row["flat"]
	// 30 a month for 12 months: 360 over 366 days = 12.02 mean months.
	if !near(r.Current[flat], 360/(366/(365.25/12)), 1e-9) || r.Regularity[flat] != 1 || r.TenurePeriods[flat] != 12 {
		t.Errorf("flat: current %v regularity %v tenure %d", r.Current[flat], r.Regularity[flat], r.TenurePeriods[flat])
	}
	// Without a model, CLV = current × 12 for the living and 0 for the churned.
	if !near(r.CLV[flat], 12*r.Current[flat], 1e-9) || r.CLV[row["gone"]] != 0 {
		t.Errorf("clv flat %v gone %v", r.CLV[flat], r.CLV[row["gone"]])
	}
	// Revenue: decl and grow 780 each of 3260; 30% is 978, so both are needed
	// (decl first by id): 1560/3260.
	if !r.Key[row["decl"]] || !r.Key[row["grow"]] || r.Key[row["flat"]] || !near(r.KeyRevenueShare, 1560.0/3260, 1e-12) {
		t.Errorf("key accounts %v (share %v)", r.Key, r.KeyRevenueShare)
	}
	if r.Tiers[r.Tier[row["grow"]]] != "platinum" && r.Tiers[r.Tier[row["decl"]]] != "platinum" {
		t.Errorf("top tier: grow %v decl %v", r.Tier[row["grow"]], r.Tier[row["decl"]])
	}
	// Quadrants: medians over the 5 living customers (by hand) are current
	// 46.8 (new) and CLV 562 (new); strictly above is high.
	for id, want := range map[string]Quadrant{"grow": Stars, "decl": Stars, "new": LowValue, "flat": LowValue, "quiet": LowValue, "gone": CashCows} {
		if got := r.Quadrant[row[id]]; got != want {
			t.Errorf("%s: quadrant %v, want %v", id, got, want)
		}
	}
	if r.Risk[row["gone"]] != 1 || r.Risk[row["flat"]] != 0 || r.Risk[row["decl"]] <= r.Risk[row["grow"]] {
		t.Errorf("risk %v", r.Risk)
	}
	for i := range r.IDs {
		lo := int8(1)
		if r.Stage[i] == Churned {
			lo = 0 // churned subscribers get no star rating
		}
		if r.Action[i] == "" || r.Stars[i] < lo || r.Stars[i] > 5 || (r.Stage[i] == Churned && r.Stars[i] != 0) {
			t.Errorf("%s: action %q stars %d", r.IDs[i], r.Action[i], r.Stars[i])
		}
	}
	// Early warning: decl (in decline, biggest value at risk) before quiet; no churned.
	ew := r.EarlyWarning(opt.RiskThreshold, 0)
	if len(ew) < 2 || r.IDs[ew[0]] != "decl" {
		var ids []string
		for _, i := range ew {
			ids = append(ids, r.IDs[i])
		}
		t.Errorf("early warning %v", ids)
	}
	m := r.Matrix()
	var total int
	for s := range m {
		for _, c := range m[s] {
			total += c.Customers
		}
	}
	// Living CLVs (run-rate, 12 × current): grow = decl ≈ 778 (ranks 0, 1 →
	// platinum), new ≈ 562 (rank 2 → gold), flat ≈ 359 (rank 3 → silver),
	// quiet ≈ 329 (rank 4 → bronze). The churned are placed by current value
	// against the 5 living customers (by hand): gone 450/(264/30.4375) ≈ 51.9
	// is below grow and decl (64.9) only: ⌊2·4/5⌋ = 1 → gold; lapsed
	// 480/(366/30.4375) ≈ 39.9 is below new (46.8) too: ⌊3·4/5⌋ = 2 → silver.
	tierOf := func(id string) string { return r.Tiers[r.Tier[row[id]]] }
	for id, want := range map[string]string{"grow": "platinum", "decl": "platinum", "new": "gold", "flat": "silver", "quiet": "bronze", "gone": "gold", "lapsed": "silver"} {
		if got := tierOf(id); got != want {
			t.Errorf("%s: tier %s, want %s (clv %v current %v)", id, got, want, r.CLV[row[id]], r.Current[row[id]])
		}
	}
	if total != r.Len() || m[Churned][1].Customers != 1 || m[Churned][1].Revenue != 450 {
		t.Errorf("matrix %+v", m)
	}
}

func TestBuildModelInputs(t *testing.T) {
	in := crafted(t)
	n := in.Summary.Len()
	in.CLV = make([]float64, n)
	in.PAlive = make([]float64, n)
	for i := range in.CLV {
		in.CLV[i] = float64(100 * (i + 1))
		in.PAlive[i] = 0.9
	}
	r, err := Build(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.IDs {
		if r.Stage[i] != Churned && !near(r.Risk[i], 0.1, 1e-12) {
			t.Errorf("%s: risk %v, want 1 − P(alive) = 0.1", r.IDs[i], r.Risk[i])
		}
	}
	if r.Tier[n-1] != 0 || r.Tier[0] != 3 {
		t.Errorf("tiers by CLV %v", r.Tier)
	}
	in.CLV[0] = math.Inf(1)
	if _, err := Build(in, DefaultOptions()); err == nil {
		t.Error("infinite CLV accepted")
	}
	in.CLV = nil
	two := *in.Panel
	two.Customers, two.Start = 2, two.Start[:3]
	in.Panel = &two
	if _, err := Build(in, DefaultOptions()); err == nil {
		t.Error("summary customers outside the panel accepted")
	}
}

func TestAnnuity(t *testing.T) {
	// Hand-computed: 1/1.1 + 1/1.21 = 1.7355371900826446.
	if got := Annuity(2, 0.1); !near(got, 1/1.1+1/1.21, 1e-12) {
		t.Errorf("Annuity(2, 0.1) = %v", got)
	}
	if got := Annuity(12, 0); got != 12 {
		t.Errorf("Annuity(12, 0) = %v", got)
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []func(*Options){
		func(o *Options) { o.Tiers = nil },
		func(o *Options) { o.Tiers = []string{"a", "a"} },
		func(o *Options) { o.KeyShare = 0 },
		func(o *Options) { o.VIP = []float64{500, 1000} },
		func(o *Options) { o.Stars = Weights{} },
		func(o *Options) { o.Stars.Spend = -1 },
		func(o *Options) { o.RiskThreshold = 1.5 },
		func(o *Options) { o.Horizon = 0 },
		func(o *Options) { o.Discount = -0.1 },
	}
	for i, f := range bad {
		o := DefaultOptions()
		f(&o)
		if o.Validate() == nil {
			t.Errorf("case %d accepted", i)
		}
	}
}

func TestDefaultActions(t *testing.T) {
	a := DefaultActions()
	// Every stage × tier cell of the default tiers has its own row (not only
	// the * fallback), for every default tier count.
	for _, st := range Stages {
		for _, tier := range DefaultTierNames(4) {
			c := a.Cell(st, tier)
			if c == nil || c.Tier != tier || c.Description == "" {
				t.Errorf("no own row for %s/%s", st, tier)
			}
		}
	}
	for k := 1; k <= 7; k++ {
		if err := a.Covers(DefaultTierNames(k)); err != nil {
			t.Errorf("%d tiers: %v", k, err)
		}
	}
	// Win-back only where the recovered value reaches min_value.
	if got := a.Lookup(Churned, "gold", 1000); got != "win-back offer" {
		t.Errorf("valuable churned: %q", got)
	}
	if got := a.Lookup(Churned, "gold", 10); got != "let go" {
		t.Errorf("cheap churned: %q", got)
	}
	// The embedded table is the one users see and replace.
	ex, err := os.ReadFile("../examples/actions.csv")
	if err != nil {
		t.Fatal(err)
	}
	if string(ex) != defaultActions {
		t.Error("examples/actions.csv differs from segment/actions.csv; copy it over")
	}
}

func TestParseActionsErrors(t *testing.T) {
	cases := map[string]string{
		"empty":        "",
		"no tier":      "stage,action\nchurned,x\n",
		"bad stage":    "stage,tier,action\ndormant,*,x\n",
		"duplicate":    "stage,tier,action\nchurned,*,x\nchurned,*,y\n",
		"bad min":      "stage,tier,action,min_value\nchurned,*,x,lots\n",
		"header only":  "stage,tier,action\n",
		"empty action": "stage,tier,action\nchurned,*,\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseActions(strings.NewReader(text)); err == nil {
				t.Error("accepted")
			}
		})
	}
	a, err := ParseActions(strings.NewReader("stage,tier,action\nchurned,*,x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Covers([]string{"gold"}); err == nil || !strings.Contains(err.Error(), "acquisition/gold") {
		t.Errorf("coverage error %v", err)
	}
}

// TestChurnProbability: a calibrated churn probability is the risk (value at
// risk = clv × probability, the expected value lost), puts a customer at or
// above the threshold in decline, drives the stars' activity component, and
// rows it does not score (NaN) keep the heuristic.
func TestChurnProbability(t *testing.T) {
	in := crafted(t)
	n := in.Summary.Len()
	in.CLV = make([]float64, n)
	in.ChurnProbability = make([]float64, n)
	for i := range in.CLV {
		in.CLV[i] = float64(100 * (i + 1))
		in.ChurnProbability[i] = 0.05
	}
	base, err := Build(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	live := -1
	for i := range base.IDs {
		if base.Stage[i] != Churned && base.Stage[i] != Decline {
			live = i
			break
		}
	}
	if live < 0 {
		t.Fatal("no living customer outside decline in the crafted base")
	}
	in.ChurnProbability[live] = 0.8 // above the default threshold 0.5
	unscored := (live + 1) % n
	in.ChurnProbability[unscored] = math.NaN()
	r, err := Build(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	probs := in.ChurnProbability
	in.ChurnProbability = nil
	heur, err := Build(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	in.ChurnProbability = probs
	if !r.HasProbability {
		t.Error("HasProbability false")
	}
	for i := range r.IDs {
		switch {
		case r.Stage[i] == Churned:
			if r.Stars[i] != 0 {
				t.Errorf("%s: churned with %d stars", r.IDs[i], r.Stars[i])
			}
		case i == unscored:
			if r.Risk[i] != heur.Risk[i] {
				t.Errorf("%s: unscored row has risk %v, the heuristic %v", r.IDs[i], r.Risk[i], heur.Risk[i])
			}
		default:
			if !near(r.Risk[i], in.ChurnProbability[i], 1e-12) || !near(r.ValueAtRisk[i], r.CLV[i]*r.Risk[i], 1e-9) {
				t.Errorf("%s: risk %v value at risk %v, want %v and clv × risk", r.IDs[i], r.Risk[i], r.ValueAtRisk[i], in.ChurnProbability[i])
			}
		}
	}
	if r.Stage[live] != Decline {
		t.Errorf("%s: probability 0.8 ≥ 0.5 but stage %v", r.IDs[live], r.Stage[live])
	}
	if r.Score[live] >= base.Score[live] {
		t.Errorf("%s: star score %v did not fall with the churn probability (was %v)", r.IDs[live], r.Score[live], base.Score[live])
	}
}

// TestQuadrantsOnPotential: with Input.Potential the quadrants split current
// × potential value, and the potentials quadrant gets its own action rows.
func TestQuadrantsOnPotential(t *testing.T) {
	acts, err := ParseActions(strings.NewReader("stage,tier,action,quadrant\nmaturity,*,care,\nmaturity,*,develop,improvement\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := acts.LookupQuadrant(Maturity, "gold", Potentials, 0); got != "develop" {
		t.Errorf("potentials: %q, want develop", got)
	}
	if got := acts.LookupQuadrant(Maturity, "gold", Stars, 0); got != "care" {
		t.Errorf("stars: %q, want care", got)
	}
	if got := acts.Lookup(Maturity, "gold", 0); got != "care" {
		t.Errorf("Lookup ignores quadrant rows: %q, want care", got)
	}
	if _, err := ParseActions(strings.NewReader("stage,tier,action,quadrant\nmaturity,*,x,rich\n")); err == nil {
		t.Error("unknown quadrant accepted")
	}
	for _, name := range []string{"stars", "potentials", "cash cows", "low value"} {
		if q, err := ParseQuadrant(name); err != nil || q.String() != name {
			t.Errorf("ParseQuadrant(%q) = %v, %v", name, q, err)
		}
	}
}

// TestBuildPotentialQuadrants: with Input.Potential the quadrants split
// current value (median 46.8, "new", as in TestBuild) × potential value
// (median over the five living customers of 100, 50, 10, 5, −20: 10; the
// churned customer's 999 is ignored), worked by hand; the potentials
// quadrant gets the development plan of the default table.
func TestBuildPotentialQuadrants(t *testing.T) {
	in := crafted(t)
	pot := map[string]float64{"new": 100, "flat": 50, "quiet": 10, "grow": 5, "decl": -20, "gone": 999, "lapsed": 0}
	in.Potential = make([]float64, in.Summary.Len())
	for i, id := range in.Summary.IDs {
		in.Potential[i] = pot[id]
	}
	opt := DefaultOptions()
	opt.Actions = DefaultActions()
	r, err := Build(in, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.MedianPotential != 10 {
		t.Errorf("median potential %v, want 10", r.MedianPotential)
	}
	want := map[string]Quadrant{"new": Potentials, "flat": Potentials, "quiet": LowValue, "grow": CashCows, "decl": CashCows, "gone": CashCows}
	for i, id := range r.IDs {
		if w, ok := want[id]; ok && r.Quadrant[i] != w {
			t.Errorf("%s: quadrant %v, want %v", id, r.Quadrant[i], w)
		}
		if r.Quadrant[i] == Potentials && r.Action[i] != "development plan" {
			t.Errorf("%s: action %q, want development plan", id, r.Action[i])
		}
		if r.Stage[i] == Churned && r.Potential[i] != 0 {
			t.Errorf("%s: churned with potential %v", id, r.Potential[i])
		}
	}
	in.Potential[0] = math.NaN()
	if _, err := Build(in, opt); err == nil {
		t.Error("NaN potential accepted")
	}
}
