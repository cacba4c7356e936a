package hazard

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
)

// TestFitLogitRecovers simulates rows from a known logistic model and checks
// that every coefficient (back on the raw scale) is recovered within 4
// standard errors (a 4-SE miss has probability ~6e-5 per coefficient).
func TestFitLogitRecovers(t *testing.T) {
	truth := []float64{-2.5, 0.8, -0.5, 1.2}
	const n = 30000
	r := rand.New(rand.NewPCG(1, 2))
	w := len(truth)
	x := make([]float64, n*w)
	y := make([]bool, n)
	for i := 0; i < n; i++ {
		row := x[i*w : (i+1)*w]
		row[0] = 1
		row[1] = r.NormFloat64()
		row[2] = 2 + 3*r.Float64()
		if r.Float64() < 0.3 {
			row[3] = 1
		}
		eta := 0.0
		for j, b := range truth {
			eta += b * row[j]
		}
		y[i] = r.Float64() < sigmoid(eta)
	}
	g, err := FitLogit(x, w, y, []string{"intercept", "a", "b", "c"}, FitOptions{Ridge: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	se := g.SE()
	if se == nil {
		t.Fatal("no covariance")
	}
	// Raw slope β_j = Coef_j / Scale_j; raw intercept = Coef_0 − Σ β_j m_j.
	icpt := g.Coef[0]
	for j := 1; j < w; j++ {
		b := g.Coef[j] / g.Scale[j]
		s := se[j] / g.Scale[j]
		icpt -= b * g.Mean[j]
		if math.Abs(b-truth[j]) > 4*s {
			t.Errorf("%s: %.4f ± %.4f, truth %.4f", g.Names[j], b, s, truth[j])
		}
	}
	// The intercept's raw SE is larger than the standardised one; 0.15 is
	// more than 4 of them here (b ranges over [2, 5]).
	if math.Abs(icpt-truth[0]) > 0.15 {
		t.Errorf("intercept %.4f, truth %.4f", icpt, truth[0])
	}
}

func TestFitLogitRejects(t *testing.T) {
	x := []float64{1, 0, 1, 1}
	if _, err := FitLogit(x, 2, []bool{false, false}, []string{"i", "a"}, FitOptions{}); !errors.Is(err, ErrTooLittleData) {
		t.Errorf("constant outcome: %v", err)
	}
	if _, err := FitLogit(x, 2, []bool{false, true}, []string{"i", "a"}, FitOptions{Ridge: -1}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("negative ridge: %v", err)
	}
	if _, err := FitLogit([]float64{1, math.NaN(), 1, 1}, 2, []bool{false, true}, []string{"i", "a"}, FitOptions{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN feature: %v", err)
	}
	// One iteration cannot reach the gradient tolerance.
	r := rand.New(rand.NewPCG(3, 3))
	xs := make([]float64, 0, 2000)
	ys := make([]bool, 1000)
	for i := range ys {
		v := r.NormFloat64()
		xs = append(xs, 1, v)
		ys[i] = r.Float64() < sigmoid(2*v)
	}
	if _, err := FitLogit(xs, 2, ys, []string{"i", "a"}, FitOptions{MaxIterations: 1}); !errors.Is(err, ErrNotConverged) {
		t.Errorf("one iteration: %v", err)
	}
}

// planBase simulates n subscribers, all billed 10 on the first of every month
// from activation until churn. Each month a subscriber churns (on the 15th)
// with probability pA on plan a and pB on plan b, independently of tenure
// and spend, so the only signal the model can find is the plan.
func planBase(n int, pA, pB float64, seed uint64) Data {
	r := rand.New(rand.NewPCG(seed, 11))
	subs := &dataset.Subscribers{AttrNames: []string{"plan"}, Attrs: [][]string{make([]string, n)}}
	tx := &dataset.Transactions{}
	end := dataset.Civil(2024, 12, 31)
	for i := 0; i < n; i++ {
		id := "S" + strconv.Itoa(i)
		subs.ID = append(subs.ID, id)
		tx.IDs = append(tx.IDs, id)
		m0 := r.IntN(36) // activation month 0..35 from 2022-01
		act := dataset.Civil(2022+m0/12, m0%12+1, 1)
		subs.Activation = append(subs.Activation, act)
		p, plan := pA, "a"
		if i%2 == 1 {
			p, plan = pB, "b"
		}
		subs.Attrs[0][i] = plan
		churn := dataset.NoDay
		for m := m0; ; m++ {
			y, mo := 2022+m/12, m%12+1
			day := dataset.Civil(y, mo, 1)
			if day > end {
				break
			}
			tx.Customer = append(tx.Customer, int32(i))
			tx.Day = append(tx.Day, day)
			tx.Amount = append(tx.Amount, 10)
			if m > m0 && r.Float64() < p {
				churn = dataset.Civil(y, mo, 15)
				break
			}
		}
		subs.Churn = append(subs.Churn, churn)
	}
	subOf := make([]int32, n)
	for i := range subOf {
		subOf[i] = int32(i)
	}
	return Data{Tx: tx, Subs: subs, SubOf: subOf}
}

// TestFitRecoversPlanHazard fits the lag-1 model to planBase and checks that
// the plan coefficient equals the true log-odds ratio
// logit(0.06) − logit(0.02) = 1.1404 within 4 standard errors, and that the
// mean predicted 3-month churn probability is within 1.5 points of the
// churn observed afterwards (a backtest on simulated truth).
func TestFitRecoversPlanHazard(t *testing.T) {
	const pA, pB = 0.02, 0.06
	d := planBase(4000, pA, pB, 5)
	m, err := Fit(d, Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 9, 30), Horizon: 3, Fit: FitOptions{Ridge: 1e-6}})
	if err != nil {
		t.Fatal(err)
	}
	g := m.Lags[0]
	j := slices.Index(g.Names, "plan=b")
	if j < 0 {
		t.Fatalf("no plan=b column in %v", g.Names)
	}
	want := math.Log(pB/(1-pB)) - math.Log(pA/(1-pA))
	b, se := g.Coef[j]/g.Scale[j], g.SE()[j]/g.Scale[j]
	if math.Abs(b-want) > 4*se {
		t.Errorf("plan=b log-odds ratio %.4f ± %.4f, truth %.4f", b, se, want)
	}
	bt, err := Backtest(d, Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 12, 31), Horizon: 3})
	if err != nil {
		t.Fatal(err)
	}
	e := bt.Evaluation
	if math.Abs(e.MeanScore-e.ChurnRate) > 0.015 {
		t.Errorf("mean probability %.4f, observed churn %.4f", e.MeanScore, e.ChurnRate)
	}
	// The ranking can only use the plan: the AUC of a two-valued score with
	// churn rates about 1−0.98³ and 1−0.94³ is near 0.7; anything above 0.6
	// shows the plan was found.
	if e.AUC < 0.6 {
		t.Errorf("AUC %.3f", e.AUC)
	}
}

// TestNothingAfterAsOf changes everything dated after the as-of day (later
// transactions, later churn dates, later activations) and checks that the
// fitted coefficients and the scores do not move.
func TestNothingAfterAsOf(t *testing.T) {
	base, err := synth.Generate(synth.Options{Subscribers: 800, Months: 18, Seed: 3, End: dataset.Civil(2024, 6, 30)})
	if err != nil {
		t.Fatal(err)
	}
	asOf := dataset.Civil(2024, 3, 31)
	run := func(d Data) (*Model, *Scores) {
		m, err := Fit(d, Options{Period: dataset.PeriodMonth, AsOf: asOf, Horizon: 2})
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.Score(d)
		if err != nil {
			t.Fatal(err)
		}
		return m, s
	}
	d1 := joined(t, &base.Transactions, &base.Subscribers)
	m1, s1 := run(d1)

	// A copy with the future rewritten.
	subs := base.Subscribers
	subs.Churn = slices.Clone(subs.Churn)
	subs.Activation = slices.Clone(subs.Activation)
	for i, c := range subs.Churn {
		switch {
		case c == dataset.NoDay && i%3 == 0:
			subs.Churn[i] = asOf + 5
		case c != dataset.NoDay && c > asOf:
			subs.Churn[i] = dataset.NoDay
		}
		if subs.Activation[i] > asOf {
			subs.Activation[i] = asOf + 1 + dataset.Day(i%30)
		}
	}
	tx := base.Transactions
	tx.Customer, tx.Day, tx.Amount = slices.Clone(tx.Customer), slices.Clone(tx.Day), slices.Clone(tx.Amount)
	for i := range tx.Day {
		if tx.Day[i] > asOf {
			tx.Amount[i] *= 7
		}
	}
	for c := range tx.IDs {
		tx.Customer = append(tx.Customer, int32(c))
		tx.Day = append(tx.Day, asOf+1+dataset.Day(c%20))
		tx.Amount = append(tx.Amount, 1000)
	}
	d2 := joined(t, &tx, &subs)
	m2, s2 := run(d2)
	for k := range m1.Lags {
		if !slices.Equal(m1.Lags[k].Coef, m2.Lags[k].Coef) {
			t.Fatalf("lag %d coefficients moved:\n%v\n%v", k+1, m1.Lags[k].Coef, m2.Lags[k].Coef)
		}
	}
	if !slices.Equal(s1.Rows, s2.Rows) || !slices.Equal(s1.Probability, s2.Probability) {
		t.Fatal("scores moved when only data after the as-of day changed")
	}
	for i := range s1.Probability {
		if p := s1.Probability[i]; !(p > 0 && p < 1) {
			t.Fatalf("probability %g", p)
		}
		if len(s1.Reasons[i]) > 3 {
			t.Fatalf("%d reasons", len(s1.Reasons[i]))
		}
	}
}

func joined(t *testing.T, tx *dataset.Transactions, s *dataset.Subscribers) Data {
	t.Helper()
	tx.IDs = slices.Clone(tx.IDs)
	subOf, err := dataset.Join(tx, s)
	if err != nil {
		t.Fatal(err)
	}
	return Data{Tx: tx, Subs: s, SubOf: subOf}
}

// TestReasons checks that the reasons are the groups with the largest
// positive contribution coefficient × (x − mean x), recomputed here by hand
// from the lag models for one subscriber.
func TestReasons(t *testing.T) {
	d := planBase(3000, 0.02, 0.06, 9)
	m, err := Fit(d, Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 9, 30), Horizon: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Score(d)
	if err != nil {
		t.Fatal(err)
	}
	g := m.Lags[0]
	j := slices.Index(g.Names, "plan=b")
	for i, r := range s.Rows {
		x := s.X[i*s.Width : (i+1)*s.Width]
		c := g.Coef[j] * (x[j] - g.Mean[j]) / g.Scale[j]
		var got *Reason
		for k := range s.Reasons[i] {
			if s.Reasons[i][k].Feature == "plan" {
				got = &s.Reasons[i][k]
			}
		}
		if c > 1e-9 && (got == nil || math.Abs(got.Contribution-c) > 1e-12 || got.Text != "plan b") {
			t.Fatalf("subscriber %d on plan %s: contribution %g, reasons %+v", r, d.Subs.Attrs[0][r], c, s.Reasons[i])
		}
		if c <= 0 && got != nil {
			t.Fatalf("subscriber %d: plan lowers the risk (%g) but is a reason", r, c)
		}
		for k := 1; k < len(s.Reasons[i]); k++ {
			if s.Reasons[i][k].Contribution > s.Reasons[i][k-1].Contribution {
				t.Fatalf("reasons out of order: %+v", s.Reasons[i])
			}
		}
	}
}

func TestInterval(t *testing.T) {
	d := planBase(3000, 0.02, 0.06, 13)
	m, err := Fit(d, Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 9, 30), Horizon: 3})
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Score(d)
	if err != nil {
		t.Fatal(err)
	}
	a, err := m.Interval(s, 0.9, 200, 4)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.Interval(s, 0.9, 200, 4)
	if !slices.Equal(a.Low, b.Low) || !slices.Equal(a.High, b.High) {
		t.Error("same seed, different intervals")
	}
	for i, p := range s.Probability {
		if !(a.Low[i] <= p && p <= a.High[i]) || a.Low[i] == a.High[i] {
			t.Fatalf("subscriber %d: probability %g, interval [%g, %g]", i, p, a.Low[i], a.High[i])
		}
	}
	lo, hi := a.Product(func(int, int) float64 { return 2 })
	for i := range lo {
		if math.Abs(lo[i]-2*a.Low[i]) > 1e-12 || math.Abs(hi[i]-2*a.High[i]) > 1e-12 {
			t.Fatalf("product with a constant 2: [%g, %g] vs [%g, %g]", lo[i], hi[i], a.Low[i], a.High[i])
		}
	}
	if _, err := m.Interval(s, 1, 200, 4); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("level 1: %v", err)
	}
}

func TestCutoff(t *testing.T) {
	for _, c := range []struct {
		asOf    dataset.Day
		period  dataset.Period
		horizon int
		want    dataset.Day
	}{
		{dataset.Civil(2024, 12, 31), dataset.PeriodMonth, 3, dataset.Civil(2024, 9, 30)},
		{dataset.Civil(2024, 5, 31), dataset.PeriodMonth, 3, dataset.Civil(2024, 2, 29)},
		{dataset.Civil(2024, 12, 31), dataset.PeriodQuarter, 1, dataset.Civil(2024, 9, 30)},
		{dataset.Civil(2024, 12, 15), dataset.PeriodMonth, 1, dataset.Civil(2024, 11, 15)},
		{dataset.Civil(2025, 1, 31), dataset.PeriodMonth, 1, dataset.Civil(2024, 12, 31)},
		{dataset.Civil(2024, 12, 31), dataset.PeriodYear, 2, dataset.Civil(2022, 12, 31)},
	} {
		if got := Cutoff(c.asOf, c.period, c.horizon); got != c.want {
			t.Errorf("Cutoff(%s, %s, %d) = %s, want %s", c.asOf, c.period, c.horizon, got, c.want)
		}
	}
}

// TestIntervalCoverage simulates 100 bases from planBase (constant monthly
// churn 2 % on plan a, 6 % on plan b) and checks that the 90 % interval of
// the 3-month churn probability of the first plan-a and plan-b subscriber
// scored covers the truth 1 − (1 − p)³ in 85–95 % of the 200 intervals. It
// fits 100 models; set CLV_COVERAGE=1. (Measured: 90.0 %; with independent
// draws per lag model it was 69.0 %.)
func TestIntervalCoverage(t *testing.T) {
	if os.Getenv("CLV_COVERAGE") == "" || testing.Short() {
		t.Skip("set CLV_COVERAGE=1 to run the interval coverage simulation")
	}
	const pA, pB = 0.02, 0.06
	covered, total := 0, 0
	for k := 0; k < 100; k++ {
		d := planBase(1500, pA, pB, uint64(100+k))
		m, err := Fit(d, Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 9, 30), Horizon: 3})
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.Score(d)
		if err != nil {
			t.Fatal(err)
		}
		iv, err := m.Interval(s, 0.9, 400, uint64(k))
		if err != nil {
			t.Fatal(err)
		}
		for _, plan := range []string{"a", "b"} {
			p := pA
			if plan == "b" {
				p = pB
			}
			truth := 1 - math.Pow(1-p, 3)
			for i, r := range s.Rows {
				if d.Subs.Attrs[0][r] == plan {
					total++
					if iv.Low[i] <= truth && truth <= iv.High[i] {
						covered++
					}
					break
				}
			}
		}
	}
	share := float64(covered) / float64(total)
	t.Logf("90%% interval of the 3-month churn probability covered the truth in %d of %d cases (%.1f%%)", covered, total, 100*share)
	if share < 0.85 || share > 0.95 {
		t.Errorf("coverage %.3f outside [0.85, 0.95]", share)
	}
}
