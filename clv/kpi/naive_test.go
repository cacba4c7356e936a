package kpi

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
)

// randomBase makes a small base with every edge the definitions care about:
// activations and churns on period boundaries, churn on the activation day,
// churn before activation, activations and transactions after the as-of day,
// customers who are not subscribers, credit notes, and rows in any order.
func randomBase(r *rand.Rand) (*dataset.Subscribers, *dataset.Transactions, []int32) {
	lo := dataset.Civil(2022, 10, 1)
	n := 1 + r.IntN(30)
	s := &dataset.Subscribers{AttrNames: []string{"plan"}, Attrs: [][]string{nil}}
	someDay := func() dataset.Day {
		if r.IntN(4) == 0 { // a first of a month
			return dataset.Civil(2022+r.IntN(3), 1+r.IntN(12), 1)
		}
		return lo + dataset.Day(r.IntN(800))
	}
	for i := range n {
		s.ID = append(s.ID, string(rune('a'+i%26))+string(rune('A'+i/26)))
		a := someDay()
		c := dataset.NoDay
		switch r.IntN(5) {
		case 0:
			c = a // churn on the activation day
		case 1, 2:
			c = someDay() // may precede the activation: invalid
		}
		s.Activation = append(s.Activation, a)
		s.Churn = append(s.Churn, c)
		s.Attrs[0] = append(s.Attrs[0], []string{"x", "y", ""}[r.IntN(3)])
	}
	tx := &dataset.Transactions{}
	ids := append([]string{"stranger"}, s.ID...)
	tx.IDs = ids
	for range r.IntN(200) {
		tx.Customer = append(tx.Customer, int32(r.IntN(len(ids))))
		tx.Day = append(tx.Day, someDay())
		tx.Amount = append(tx.Amount, float64(r.IntN(200)-40))
	}
	subOf := make([]int32, len(ids))
	subOf[0] = -1
	for i := 1; i < len(ids); i++ {
		subOf[i] = int32(i - 1)
	}
	return s, tx, subOf
}

// naiveMovements applies the definitions period by period with plain loops.
func naiveMovements(s *dataset.Subscribers, tx *dataset.Transactions, subOf []int32, opt Options, first, np int, group string, grouped bool) []Movement {
	in := func(i int) bool { // usable and in the group
		a, c := s.Activation[i], s.Churn[i]
		if a > opt.AsOf || (c != dataset.NoDay && c < a) {
			return false
		}
		g := s.Attrs[0][i]
		if g == "" {
			g = Blank
		}
		return !grouped || g == group
	}
	churn := func(i int) dataset.Day {
		if c := s.Churn[i]; c != dataset.NoDay && c <= opt.AsOf {
			return c
		}
		return dataset.NoDay
	}
	var out []Movement
	for p := first; p < first+np; p++ {
		st, e := opt.Period.Start(p), min(opt.Period.End(p), opt.AsOf)
		m := Movement{Period: st, Group: group}
		for i := range s.Len() {
			if !in(i) {
				continue
			}
			a, c := s.Activation[i], churn(i)
			if a < st && (c == dataset.NoDay || c >= st) {
				m.OpeningBase++
			}
			if a >= st && a <= e {
				m.GrossAdds++
			}
			if c != dataset.NoDay && c >= st && c <= e {
				m.Churners++
			}
			if a <= e && (c == dataset.NoDay || c > e) {
				m.ClosingBase++
			}
		}
		spend := map[int32]float64{}
		for r, d := range tx.Day {
			sr := subOf[tx.Customer[r]]
			if sr < 0 || !in(int(sr)) || d < st || d > e {
				continue
			}
			m.Revenue += tx.Amount[r]
			spend[sr] += tx.Amount[r]
			if a := s.Activation[sr]; a >= st && a <= e {
				m.NewRevenue += tx.Amount[r]
			}
		}
		for _, v := range spend {
			if v > 0 {
				m.Payers++
			}
		}
		out = append(out, m)
	}
	return out
}

// TestMovementsAgainstNaive compares Movements with naiveMovements on many
// random bases, monthly and quarterly, with and without an observation start
// and groups. The identity closing = opening + adds − churners is not
// assumed by the reference: it counts the closing base directly.
func TestMovementsAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	compared := 0
	for iter := range 400 {
		s, tx, subOf := randomBase(r)
		opt := Options{Period: []dataset.Period{dataset.PeriodMonth, dataset.PeriodQuarter}[iter%2],
			AsOf: dataset.Civil(2024, 1+r.IntN(12), 1+r.IntN(28)), From: dataset.NoDay}
		if iter%3 == 0 {
			opt.From = dataset.Civil(2023, 1+r.IntN(12), 1+r.IntN(28)*(iter%2))
		}
		if iter%4 == 0 {
			opt.By = []string{"plan"}
		}
		tab, err := Movements(s, tx, subOf, opt)
		if err != nil {
			continue // e.g. nobody activated by the as-of day
		}
		compared++
		first := opt.Period.Index(tab.First)
		names := append([]string{""}, tab.Groups...)
		for g, name := range names {
			want := naiveMovements(s, tx, subOf, opt, first, tab.Periods, name, g > 0)
			for p, w := range want {
				got := tab.Rows[g*tab.Periods+p]
				if got.Period != w.Period || got.Group != w.Group || got.OpeningBase != w.OpeningBase || got.GrossAdds != w.GrossAdds ||
					got.Churners != w.Churners || got.ClosingBase != w.ClosingBase || got.Payers != w.Payers ||
					math.Abs(got.Revenue-w.Revenue) > 1e-9 || math.Abs(got.NewRevenue-w.NewRevenue) > 1e-9 {
					t.Fatalf("iteration %d, group %q, period %s:\n got %+v\nwant %+v", iter, name, w.Period, got, w)
				}
			}
		}
	}
	if compared < 300 {
		t.Fatalf("only %d of 400 random bases compared", compared)
	}
}

// TestCohortsAgainstNaive compares BuildCohorts with the definitions applied
// member by member, anniversaries from retention.AddMonths.
func TestCohortsAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 13))
	cells := 0
	for iter := range 400 {
		s, tx, subOf := randomBase(r)
		opt := Options{Period: []dataset.Period{dataset.PeriodMonth, dataset.PeriodQuarter}[iter%2],
			AsOf: dataset.Civil(2024, 1+r.IntN(12), 1+r.IntN(28)), From: dataset.NoDay}
		if iter%3 == 0 {
			opt.From = dataset.Civil(2023, 1+r.IntN(12), 1)
		}
		c, err := BuildCohorts(s, tx, subOf, opt)
		if err != nil {
			continue
		}
		k := opt.Period.Months()
		cells += len(c.Cells)
		for _, cell := range c.Cells {
			var size, active, censored int64
			var rev float64
			for i := range s.Len() {
				a, ch := s.Activation[i], s.Churn[i]
				if a > opt.AsOf || (ch != dataset.NoDay && ch < a) || opt.Period.Start(opt.Period.Index(a)) != cell.Cohort {
					continue
				}
				if ch > opt.AsOf {
					ch = dataset.NoDay
				}
				ann := retention.AddMonths(a, cell.Tenure*k)
				size++
				if ch == dataset.NoDay || ch > ann {
					active++
				}
				if ann > opt.AsOf {
					censored++
				}
				prev := retention.AddMonths(a, (cell.Tenure-1)*k)
				for row, d := range tx.Day {
					if subOf[tx.Customer[row]] == int32(i) && d >= prev && d < ann && d <= opt.AsOf {
						rev += tx.Amount[row]
					}
				}
			}
			if cell.Subscribers != size || cell.Active != active || cell.Censored != censored || math.Abs(cell.Revenue-rev) > 1e-9 {
				t.Fatalf("iteration %d, cohort %s tenure %d: got %+v, want size %d active %d censored %d revenue %v",
					iter, cell.Cohort, cell.Tenure, cell, size, active, censored, rev)
			}
		}
	}
	if cells < 1000 {
		t.Fatalf("only %d cells compared", cells)
	}
}
