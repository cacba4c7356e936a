package kpi

import "github.com/clvkit/clv/clv/dataset"

// customer is what the revenue pass needs of a customer of the transactions:
// its group slot (0 = whole base only, -1 = not a usable subscriber), the
// reported period of its activation (-1 = before the window), and its
// running total in the period being summed (one cache line per row visited).
type customer struct {
	slot   int32
	add    int32
	period int32 // period+1 that sum belongs to (0: none yet)
	sum    float64
}

// addRevenue sums the transactions of the window per group and period:
// revenue, the revenue of each period's gross adds, and the payers
// (customers whose amounts in the period sum to more than zero), which need
// each customer's complete period total. A first pass counts the rows of
// each period and checks whether the rows are in period order, as a billing
// export ordered by date is; then the sums are taken in place. Otherwise the
// window's (customer, amount) pairs are first bucketed by period with a
// stable counting sort, so that the result does not depend on the row order
// and the sums run over contiguous memory.
func (tab *Table) addRevenue(tx *dataset.Transactions, info []customer, first, np int,
	revenue, newRevenue []float64, payers []int64) {
	pr := tab.Options.Period
	start, end := pr.Start(first), tab.Options.AsOf
	span := int(end-start) + 1
	dayPeriod := make([]int32, span) // period of every day of the window
	for d := range span {
		dayPeriod[d] = int32(pr.Index(start+dataset.Day(d)) - first)
	}
	periodOf := func(d dataset.Day) int32 {
		switch {
		case d < start:
			return -1
		case d > end:
			return int32(np)
		}
		return dayPeriod[d-start]
	}
	count := make([]int, np+1)
	sorted := true
	prev := int32(-1)
	for _, d := range tx.Day {
		p := periodOf(d)
		if p < prev {
			sorted = false
		}
		prev = p
		switch {
		case p == int32(np):
			tab.Left.LateTransactions++
		case p >= 0:
			count[p+1]++
		}
	}
	s := sums{info: info, np: np, revenue: revenue, newRevenue: newRevenue, payers: payers, left: &tab.Left}
	if sorted {
		// Rows of period p are the rows [lo, hi) whose day is in it
		// (unmatched rows among them are skipped by the sums).
		lo := 0
		for lo < len(tx.Day) && periodOf(tx.Day[lo]) < 0 {
			lo++
		}
		for p := range np {
			hi := lo
			for hi < len(tx.Day) && periodOf(tx.Day[hi]) == int32(p) {
				hi++
			}
			s.period(p, tx.Customer[lo:hi], tx.Amount[lo:hi])
			lo = hi
		}
		return
	}
	for p := 1; p <= np; p++ {
		count[p] += count[p-1]
	}
	cust := make([]int32, count[np])
	amt := make([]float64, count[np])
	next := append([]int(nil), count[:np]...)
	for i, d := range tx.Day {
		p := periodOf(d)
		if p < 0 || p == int32(np) {
			continue
		}
		cust[next[p]], amt[next[p]] = tx.Customer[i], tx.Amount[i]
		next[p]++
	}
	for p := range np {
		s.period(p, cust[count[p]:count[p+1]], amt[count[p]:count[p+1]])
	}
}

// sums accumulates the revenue figures of addRevenue.
type sums struct {
	info                []customer
	np                  int
	revenue, newRevenue []float64
	payers              []int64
	left                *Rows
	touched             []int32
}

// period adds the rows (cust[i], amt[i]) of period p.
func (s *sums) period(p int, cust []int32, amt []float64) {
	np := s.np
	s.touched = s.touched[:0]
	tag := int32(p + 1)
	for i, c := range cust {
		in := &s.info[c]
		a := amt[i]
		if in.slot < 0 {
			s.left.UnmatchedTransactions++
			s.left.UnmatchedRevenue += a
			continue
		}
		s.revenue[p] += a
		g := int(in.slot)
		if g > 0 {
			s.revenue[g*np+p] += a
		}
		if in.add == int32(p) {
			s.newRevenue[p] += a
			if g > 0 {
				s.newRevenue[g*np+p] += a
			}
		}
		if in.period != tag {
			in.period, in.sum = tag, 0
			s.touched = append(s.touched, c)
		}
		in.sum += a
	}
	for _, c := range s.touched {
		if s.info[c].sum > 0 {
			s.payers[p]++
			if g := int(s.info[c].slot); g > 0 {
				s.payers[g*np+p]++
			}
		}
	}
}
