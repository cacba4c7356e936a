package clv

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/clv/synth"
	"github.com/clvkit/clv/segment"
)

// telecom returns the base of examples/telecom, generated in memory with the
// options its README gives (synth's TestExample checks that the files are
// exactly this output).
func telecom(t *testing.T) Data {
	t.Helper()
	g, err := synth.Generate(synth.Options{Subscribers: 3000, Months: 24, Seed: 1, End: dataset.Civil(2024, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	return Data{Tx: &g.Transactions, Subs: &g.Subscribers}
}

// spearman is the rank correlation of x and y (mid-ranks for ties).
func spearman(x, y []float64) float64 {
	rx, ry := ranks(x), ranks(y)
	n := float64(len(x))
	var mx, my float64
	for i := range rx {
		mx += rx[i] / n
		my += ry[i] / n
	}
	var sxy, sxx, syy float64
	for i := range rx {
		sxy += (rx[i] - mx) * (ry[i] - my)
		sxx += (rx[i] - mx) * (rx[i] - mx)
		syy += (ry[i] - my) * (ry[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	r := make([]float64, len(v))
	for lo := 0; lo < len(idx); {
		hi := lo + 1
		for hi < len(idx) && v[idx[hi]] == v[idx[lo]] {
			hi++
		}
		for _, i := range idx[lo:hi] {
			r[i] = float64(lo+hi-1)/2 + 1
		}
		lo = hi
	}
	return r
}

// TestPotentialTelecom: on examples/telecom, potential value no longer moves
// with current value (the issue measured Spearman 0.978 between current value
// and the run-rate clv), and the segment quadrant finds improvement-type
// subscribers.
func TestPotentialTelecom(t *testing.T) {
	b, err := New(telecom(t), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	pt, err := b.Potential()
	if err != nil {
		t.Fatal(err)
	}
	var cur, pot, fut []float64
	for i, ok := range pt.Valued {
		if ok {
			cur = append(cur, pt.Current[i])
			pot = append(pot, pt.Value[i])
			fut = append(fut, pt.Future[i])
		}
	}
	rho := spearman(cur, pot)
	t.Logf("%d active subscribers valued; Spearman(current, potential) = %.3f; Spearman(current, future at run rate) = %.3f; k per group %v",
		len(cur), rho, spearman(cur, fut), pt.K)
	t.Logf("totals: current %.0f, future %.0f, potential %.0f, headroom %.0f", pt.TotalCurrent, pt.TotalFuture, pt.TotalPotential, pt.TotalHeadroom)
	// Every subscriber active at the as-of day is valued (every plan has a model).
	if act, _, _, _ := b.ret.Tenures.Count(); len(cur) != act {
		t.Errorf("%d subscribers valued, %d active", len(cur), act)
	}
	if rho >= 0.8 {
		t.Errorf("Spearman(current, potential) = %.3f, want < 0.8", rho)
	}
	// The measure: segment's current_value against the quadrant's
	// potential value over the subscribers not churned (2077 on the example;
	// it was 0.978 against clv), and the quadrant counts.
	sg, err := b.Segments()
	if err != nil {
		t.Fatal(err)
	}
	var scur, spot []float64
	quads := map[string]int{}
	for i := range sg.IDs {
		if sg.Stage[i] != segment.Churned {
			scur = append(scur, sg.Current[i])
			spot = append(spot, sg.Potential[i])
			quads[sg.Quadrant[i].String()]++
		}
	}
	srho := spearman(scur, spot)
	t.Logf("segment: %d not churned; Spearman(current_value, potential_value) = %.3f; quadrants %v", len(scur), srho, quads)
	if srho >= 0.8 || quads["potentials"] == 0 {
		t.Errorf("segment: Spearman %.3f (want < 0.8), %d improvement type", srho, quads["potentials"])
	}
	for _, c := range pt.Curves.Names {
		cv := pt.Curves.Curve(c)
		t.Logf("curve %s: peak of the mean at tenure %d (%.2f), within-subscriber peak at %d, lambda %g, %d points", c, cv.Peak, cv.PeakValue, cv.WithinPeak, cv.Lambda, len(cv.Points))
	}
}

// TestPotentialBacktest: with data up to 2024-06-30, the subscribers in the
// top decile of potential value raise their spend over the next six months
// more than the base does. Spend growth of a set of subscribers = their
// spend in July–December 2024 ÷ their spend in January–June 2024 − 1,
// counted directly from the transactions (churners included: lost revenue
// is part of the outcome).
func TestPotentialBacktest(t *testing.T) {
	d := telecom(t)
	o := DefaultOptions()
	o.AsOf = dataset.Civil(2024, 6, 30)
	b, err := New(d, o)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := b.Potential()
	if err != nil {
		t.Fatal(err)
	}
	// Spend before and after per subscriber row, from the raw transactions.
	before := make([]float64, d.Subs.Len())
	after := make([]float64, d.Subs.Len())
	from, mid, end := dataset.Civil(2024, 1, 1), dataset.Civil(2024, 7, 1), dataset.Civil(2024, 12, 31)
	for i, c := range d.Tx.Customer {
		r := b.SubOf[c]
		if r < 0 {
			continue
		}
		switch day := d.Tx.Day[i]; {
		case day >= from && day < mid:
			before[r] += d.Tx.Amount[i]
		case day >= mid && day <= end:
			after[r] += d.Tx.Amount[i]
		}
	}
	var rows []int
	for i, ok := range pt.Valued {
		if ok {
			rows = append(rows, i)
		}
	}
	growth := func(rows []int) float64 {
		var a, bf float64
		for _, i := range rows {
			a += after[i]
			bf += before[i]
		}
		return a/bf - 1
	}
	slices.SortStableFunc(rows, func(x, y int) int { return cmp.Compare(pt.Value[y], pt.Value[x]) })
	top := rows[:len(rows)/10]
	bottom := rows[len(rows)-len(rows)/10:]
	gTop, gBase, gBottom := growth(top), growth(rows), growth(bottom)
	t.Logf("backtest as of 2024-06-30: %d active; spend growth next 6 months: top potential decile %+.1f%%, base %+.1f%%, bottom decile %+.1f%%",
		len(rows), 100*gTop, 100*gBase, 100*gBottom)
	if !(gTop > gBase) {
		t.Errorf("top potential decile growth %.3f, base %.3f: want the top decile above the base", gTop, gBase)
	}
	// The improvement-type quadrant of the segments (low current, high
	// potential value, not churned by the stage rules) at the same date.
	sg, err := b.Segments()
	if err != nil {
		t.Fatal(err)
	}
	var imp, living []int
	for i, c := range sg.Summary.Index {
		r := b.SubOf[c]
		if r < 0 || sg.Stage[i] == segment.Churned {
			continue
		}
		living = append(living, int(r))
		if sg.Quadrant[i] == segment.Potentials {
			imp = append(imp, int(r))
		}
	}
	gImp, gLiving := growth(imp), growth(living)
	t.Logf("improvement type (potentials quadrant): %d subscribers, spend growth %+.1f%%; all %d not churned %+.1f%%", len(imp), 100*gImp, len(living), 100*gLiving)
	if !(gImp > gLiving) {
		t.Errorf("improvement type growth %.3f, base %.3f: want it above the base", gImp, gLiving)
	}
}

// TestGrowthValue: the growth-aware sum against direct summation. With a
// constant margin it is margin × DERL (the run-rate value); with a margin
// that rises until the curve's last tenure and is flat after it, it equals
// the term-by-term sum Σ_{j≥1} S(n+j)/S(n) (1+d)^−(j−1) margin(τ+j) over
// 20000 periods.
func TestGrowthValue(t *testing.T) {
	m := retention.SBG{Alpha: 1.2, Beta: 8}
	d, n, tau, last := 0.01, 5, 6, 40
	derl, err := m.DERL(d, n)
	if err != nil {
		t.Fatal(err)
	}
	flat, err := growthValue(m, n, tau, last, d, derl, func(int) float64 { return 30 })
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(flat-30*derl) > 1e-9*30*derl {
		t.Errorf("constant margin: %.10g, want margin × DERL = %.10g", flat, 30*derl)
	}
	rising := func(t int) float64 { return 10 + float64(min(t, last)) }
	got, err := growthValue(m, n, tau, last, d, derl, rising)
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	w := 1.0
	for j := 1; j <= 20000; j++ {
		w *= m.Retention(n + j)
		if j > 1 {
			w /= 1 + d
		}
		want += w * rising(tau+j)
	}
	if math.Abs(got-want) > 1e-6*want {
		t.Errorf("rising margin: %.10g, direct sum %.10g", got, want)
	}
}

// TestCredibility: on simulated ratios with known variances — subscriber
// levels with variance a = 0.04 around 1, ten periods each with noise
// variance s² = 0.09 — the Bühlmann–Straub constant k = s²/a = 2.25 is
// recovered within 10 %.
func TestCredibility(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const subjects, periods = 4000, 10
	cnt := make([]float64, subjects)
	expo := make([]float64, subjects)
	sum := make([]float64, subjects)
	sq := make([]float64, subjects)
	rows := make([]int, subjects)
	for i := range subjects {
		rows[i] = i
		level := 1 + 0.2*rng.NormFloat64()
		for range periods {
			x := level + 0.3*rng.NormFloat64()
			cnt[i]++
			expo[i]++
			sum[i] += x
			sq[i] += x * x
		}
	}
	k, mean := credibility(rows, cnt, expo, sum, sq)
	if math.Abs(k/2.25-1) > 0.1 || math.Abs(mean-1) > 0.01 {
		t.Errorf("k %.4f (want 2.25 ± 10%%), mean %.4f (want 1)", k, mean)
	}
	// No between-subscriber variance: the curve is trusted (k at its cap).
	for i := range subjects {
		sum[i], sq[i] = 0, 0
		for range periods {
			x := 1 + 0.3*rng.NormFloat64()
			sum[i] += x
			sq[i] += x * x
		}
	}
	if k, _ := credibility(rows, cnt, expo, sum, sq); k < 20 {
		t.Errorf("no level differences: k %.4g, want large", k)
	}
}

func BenchmarkPotential(b *testing.B) {
	for _, n := range []int{3000, 30000} {
		g, err := synth.Generate(synth.Options{Subscribers: n, Months: 24, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				base, err := New(Data{Tx: &g.Transactions, Subs: &g.Subscribers}, DefaultOptions())
				if err != nil {
					b.Fatal(err)
				}
				if _, err := base.Potential(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestValueCurvesGroups: curves by a column, by cohort (activation year) and
// for the whole base; the subscriber-periods of the groups add up to the
// whole base's; a missing column is a bad option; results are cached.
func TestValueCurvesGroups(t *testing.T) {
	b, err := New(telecom(t), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	all, err := b.ValueCurves("none")
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Names) != 0 || all.Pool == nil {
		t.Fatalf("none: names %v", all.Names)
	}
	count := func(c *segment.Curve) int {
		n := 0
		for _, p := range c.Points {
			n += p.Subscribers
		}
		return n
	}
	if count(all.Pool) != all.Observations {
		t.Errorf("pool holds %d subscriber-periods, %d observed", count(all.Pool), all.Observations)
	}
	for _, by := range []string{"plan", "region", "cohort"} {
		v, err := b.ValueCurves(by)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for k, c := range v.Curves {
			if c == nil {
				t.Fatalf("%s=%s: %v", by, v.Names[k], v.Errs[k])
			}
			n += count(c)
		}
		if n != all.Observations {
			t.Errorf("by %s: %d subscriber-periods, whole base %d", by, n, all.Observations)
		}
		if by == "cohort" && (v.Names[0] != "2017" || v.Names[len(v.Names)-1] != "2024") {
			t.Errorf("cohorts %v", v.Names)
		}
		if again, _ := b.ValueCurves(by); again != v {
			t.Errorf("by %s: not cached", by)
		}
	}
	if _, err := b.ValueCurves("nope"); !errors.Is(err, ErrBadOption) {
		t.Errorf("missing column: %v", err)
	}
}
