package clv

import (
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
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
}
