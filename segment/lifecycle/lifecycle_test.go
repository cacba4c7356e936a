package lifecycle

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/markov"
	"github.com/clvkit/clv/segment"
)

// panelOf builds a monthly panel from rows of spend starting January 2024,
// complete through its last month.
func panelOf(rows [][]float64) *dataset.Panel {
	pr := dataset.PeriodMonth
	first := pr.Index(dataset.Civil(2024, 1, 1))
	np := len(rows[0])
	spend := make([]float64, len(rows)*np)
	for c, r := range rows {
		copy(spend[c*np:], r)
	}
	return dataset.DensePanel(pr, first, np, len(rows), pr.End(first+np-1), spend, nil)
}

// pcBuyProb is the purchase probability by periods since the last purchase
// (0, 1, 2, 3, 4+): the Pfeifer & Carraway (2000) example's .30, .20, .15,
// .05, extended with a small win-back probability for lapsed customers.
var pcBuyProb = []float64{.30, .20, .15, .05, .02}

// simulateRecency draws a panel in which each customer buys in a period with
// a probability that depends only on the periods since the last purchase.
func simulateRecency(customers, periods int, seed uint64) *dataset.Panel {
	rng := rand.New(rand.NewPCG(seed, 11))
	rows := make([][]float64, customers)
	for c := range rows {
		r := make([]float64, periods)
		start := rng.IntN(periods / 2)
		r[start] = 10 + 90*rng.Float64()
		since := 0
		for j := start + 1; j < periods; j++ {
			if rng.Float64() < pcBuyProb[min(since, 4)] {
				r[j] = 10 + 90*rng.Float64()
				since = 0
			} else {
				since++
			}
		}
		rows[c] = r
	}
	return panelOf(rows)
}

func TestRecencyRecoversTruth(t *testing.T) {
	p := simulateRecency(20000, 24, 7)
	m, err := Build(p, Options{Scheme: Recency, RecencyStates: 4})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0", "1", "2", "3", "lapsed"}
	for i, s := range want {
		if m.States[i] != s {
			t.Fatalf("states = %v, want %v", m.States, want)
		}
	}
	c := m.Fit.Chain
	se := m.Fit.StdErr()
	for i := 0; i < 5; i++ {
		next := min(i+1, 4)
		got := c.At(i, 0)
		tol := 4.5*se[i][0] + 1e-12
		if math.Abs(got-pcBuyProb[i]) > tol {
			t.Errorf("P[%s][0] = %.4f, true %.2f (±%.4f, n=%d)", want[i], got, pcBuyProb[i], tol, m.Fit.Totals[i])
		}
		if s := got + c.At(i, next); !(math.Abs(s-1) < 1e-12) {
			t.Errorf("row %s has mass outside {0, %s}: %v", want[i], want[next], c.Matrix()[i])
		}
	}
	// Spend is observed only in state "0".
	if m.MeanSpend[0] < 10 || m.MeanSpend[0] > 100 || m.MeanSpend[1] != 0 || m.MeanSpend[4] != 0 {
		t.Errorf("mean spend = %v", m.MeanSpend)
	}
	var cur int64
	for _, v := range m.Current {
		cur += v
	}
	if cur != 20000 {
		t.Errorf("current counts sum to %d, want every customer", cur)
	}
	// Recency: lapsed is not absorbing; first passage into it is certain.
	per, sure, err := m.PeriodsToChurn()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if !sure[i] || per[i] <= 0 {
			t.Errorf("periods to lapse from %s = %g (sure %v)", want[i], per[i], sure[i])
		}
	}
	if per[3] >= per[2] || per[2] >= per[1] {
		t.Errorf("periods to lapse should fall with recency: %v", per)
	}
}

func TestBuildDeterministic(t *testing.T) {
	p := simulateRecency(40000, 12, 3) // several chunks
	a, err := Build(p, Options{Scheme: Value})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Build(p, Options{Scheme: Value})
	for i := range a.MeanSpend {
		if a.MeanSpend[i] != b.MeanSpend[i] || a.Observations[i] != b.Observations[i] {
			t.Fatalf("run-to-run difference in state %d", i)
		}
	}
}

func TestStagesMatchSegmentRules(t *testing.T) {
	rows := [][]float64{
		{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, // steady → maturity
		{5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60},  // growth
		{60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5},  // decline
		{10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0},        // lapses → churned
		{0, 0, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20},   // starts later
		{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, // subscriber who churns
	}
	p := panelOf(rows)
	churn := []int32{-1, -1, -1, -1, -1, 8}
	rules := segment.DefaultStageRules()
	m, err := Build(p, Options{Scheme: Stages, Churn: churn})
	if err != nil {
		t.Fatal(err)
	}
	// Recount the transitions from the shared rules directly.
	want := make([][]int64, 5)
	for i := range want {
		want[i] = make([]int64, 5)
	}
	for c, r := range rows {
		start := 0
		for r[start] == 0 {
			start++
		}
		path := rules.Path(r, start, int(churn[c]), nil)
		for j := 1; j < len(path); j++ {
			if path[j-1] >= 0 && path[j] >= 0 {
				want[path[j-1]][path[j]]++
			}
		}
		if got := m.State[c]; int(got) != int(path[len(path)-1]) {
			t.Errorf("customer %d: current state %d, rules say %v", c, got, path[len(path)-1])
		}
	}
	for i := range want {
		for j := range want[i] {
			if m.Fit.Counts[i][j] != want[i][j] {
				t.Errorf("count %s→%s = %d, want %d", m.States[i], m.States[j], m.Fit.Counts[i][j], want[i][j])
			}
		}
	}
	// A subscriber activated a year before the panel is past acquisition in
	// its first column; one activated in the first column is in acquisition.
	start := []int32{-12, 0, NoStart, NoStart, NoStart, NoStart}
	m2, err := Build(p, Options{Scheme: Stages, Churn: churn, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	if m2.Fit.Counts[0][0] >= m.Fit.Counts[0][0] {
		t.Errorf("pre-panel activation should remove acquisition periods: %d vs %d", m2.Fit.Counts[0][0], m.Fit.Counts[0][0])
	}
	if m.Fit.Chain.At(4, 4) != 1 || !m.Fit.Fixed[4] {
		t.Error("churned must be absorbing")
	}
	per, sure, err := m.PeriodsToChurn()
	if err != nil {
		t.Fatal(err)
	}
	if per[4] != 0 || !sure[4] {
		t.Errorf("churned: %g %v", per[4], sure[4])
	}
}

func TestValueTiers(t *testing.T) {
	rows := [][]float64{
		{10, 20, 0, 30, 40, 0},
		{50, 60, 70, 0, 0, 0},
		{80, 90, 15, 25, 35, 45},
	}
	p := panelOf(rows)
	m, err := Build(p, Options{Scheme: Value, ValueTiers: 3, Rules: func() segment.StageRules {
		r := segment.DefaultStageRules()
		r.LapsePeriods, r.DeclineRecency = 2, 1
		return r
	}()})
	if err != nil {
		t.Fatal(err)
	}
	// 13 positive spends, sorted 10 15 20 25 30 35 40 45 50 60 70 80 90: the
	// lower 1/3 quantile is the value of rank ceil(13/3) = 5, i.e. 30, the
	// lower 2/3 quantile rank ceil(26/3) = 9, i.e. 50.
	if len(m.Cuts) != 2 || m.Cuts[0] != 30 || m.Cuts[1] != 50 {
		t.Errorf("cuts = %v, want [30 50]", m.Cuts)
	}
	wantStates := []string{"low", "medium", "high", "inactive", "churned"}
	if len(m.States) != len(wantStates) {
		t.Fatalf("states = %v, cuts %v", m.States, m.Cuts)
	}
	// Customer 1 (50,60,70,0,0,0): after 2 periods without purchase → churned.
	if m.States[m.State[1]] != "churned" {
		t.Errorf("customer 1 state %s", m.States[m.State[1]])
	}
	// Customer 0 ends with a period without spend, one after a purchase → inactive.
	if m.States[m.State[0]] != "inactive" {
		t.Errorf("customer 0 state %s", m.States[m.State[0]])
	}
	for i := 0; i < 3; i++ {
		if m.Observations[i] == 0 {
			t.Errorf("tier %s empty; cuts %v", m.States[i], m.Cuts)
		}
	}
	if m.MeanSpend[3] != 0 || m.MeanSpend[4] != 0 {
		t.Errorf("inactive/churned states have spend: %v", m.MeanSpend)
	}
}

func TestRewards(t *testing.T) {
	m := &Model{Scheme: Stages, States: []string{"a", "b", "churned"}, ChurnState: 2, MeanSpend: []float64{100, 10, 7}}
	r, err := m.Rewards(0.3, []float64{4})
	if err != nil {
		t.Fatal(err)
	}
	// The absorbing churned state earns nothing, whatever spend was seen there.
	if r[0] != 26 || r[1] != -1 || r[2] != 0 {
		t.Errorf("rewards = %v, want (26, -1, 0)", r)
	}
	m.Scheme = Recency // lapsed is not absorbing: its spend counts
	if r, _ := m.Rewards(1, nil); r[2] != 7 {
		t.Errorf("recency lapsed reward = %g, want 7", r[2])
	}
	r, _ = m.Rewards(1, []float64{1, 2, 3})
	if r[2] != 4 { // 7 − 3 (recency: lapsed keeps its spend)
		t.Errorf("per-state cost: %v", r)
	}
	if _, err := m.Rewards(1, []float64{1, 2}); !errors.Is(err, ErrOptions) {
		t.Errorf("wrong cost count: %v", err)
	}
	if _, err := m.Rewards(math.NaN(), nil); !errors.Is(err, ErrOptions) {
		t.Errorf("NaN margin: %v", err)
	}
}

func TestBuildErrors(t *testing.T) {
	one := panelOf([][]float64{{10}})
	if _, err := Build(one, Options{}); !errors.Is(err, markov.ErrNoData) {
		t.Errorf("one period: %v", err)
	}
	// Too short for 6 recency states: states 2..5 never observed.
	short := panelOf([][]float64{{10, 0, 10}, {10, 10, 10}})
	if _, err := Build(short, Options{RecencyStates: 6}); !errors.Is(err, markov.ErrUnobserved) {
		t.Errorf("unobserved states: %v", err)
	}
	// The last month is partial and dropped: three columns left of four.
	p := panelOf([][]float64{{10, 0, 10, 5}, {10, 10, 0, 5}})
	p.AsOf -= 5
	m, err := Build(p, Options{Scheme: Recency, RecencyStates: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Columns != 3 {
		t.Errorf("columns = %d, want 3 (partial month dropped)", m.Columns)
	}
	if _, err := Build(p, Options{RecencyStates: -1}); !errors.Is(err, ErrOptions) {
		t.Errorf("bad option: %v", err)
	}
}
