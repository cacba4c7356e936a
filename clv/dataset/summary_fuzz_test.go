package dataset

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// naiveSummary is the textbook definition, computed the slow way: group the
// rows of each customer, merge same-day rows, sort the days.
func naiveSummary(t *Transactions, asOf Day, unit Unit) map[string][5]float64 {
	byCust := map[int32]map[Day]float64{}
	for i, c := range t.Customer {
		if t.Day[i] > asOf {
			continue
		}
		if byCust[c] == nil {
			byCust[c] = map[Day]float64{}
		}
		byCust[c][t.Day[i]] += t.Amount[i]
	}
	out := map[string][5]float64{}
	for c, days := range byCust {
		ds := make([]Day, 0, len(days))
		for d := range days {
			ds = append(ds, d)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		var rep float64
		for _, d := range ds[1:] {
			rep += days[d]
		}
		x := float64(len(ds) - 1)
		m := 0.0
		if x > 0 {
			m = rep / x
		}
		out[t.IDs[c]] = [5]float64{x, float64(ds[len(ds)-1]-ds[0]) / unit.Days(), float64(asOf-ds[0]) / unit.Days(), m, float64(asOf - ds[len(ds)-1])}
	}
	return out
}

// FuzzSummarize checks the one-pass summary against naiveSummary on random
// row sets, in any row order.
func FuzzSummarize(f *testing.F) {
	f.Add(uint64(1), uint8(20), uint8(5), true)
	f.Add(uint64(2), uint8(200), uint8(3), false)
	f.Fuzz(func(t *testing.T, seed uint64, rows, custs uint8, sorted bool) {
		r := rand.New(rand.NewPCG(seed, 9))
		nc := int(custs%16) + 1
		tx := &Transactions{}
		for c := 0; c < nc; c++ {
			tx.IDs = append(tx.IDs, string(rune('a'+c)))
		}
		for i := 0; i < int(rows); i++ {
			tx.Customer = append(tx.Customer, int32(r.IntN(nc)))
			tx.Day = append(tx.Day, Day(r.IntN(90))) // back in time within and beyond Window
			tx.Amount = append(tx.Amount, float64(r.IntN(2000)-200)/100)
		}
		if sorted {
			idx := make([]int, len(tx.Day))
			for i := range idx {
				idx[i] = i
			}
			stableByDay(idx, tx.Day)
			c2, d2, a2 := make([]int32, len(idx)), make([]Day, len(idx)), make([]float64, len(idx))
			for i, j := range idx {
				c2[i], d2[i], a2[i] = tx.Customer[j], tx.Day[j], tx.Amount[j]
			}
			tx.Customer, tx.Day, tx.Amount = c2, d2, a2
		}
		asOf := Day(75)
		want := naiveSummary(tx, asOf, UnitWeek)
		s, err := Summarize(tx, SummaryOptions{AsOf: asOf, Unit: UnitWeek})
		if len(want) == 0 {
			if err == nil {
				t.Fatal("no error for an empty window")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() != len(want) {
			t.Fatalf("%d customers, want %d", s.Len(), len(want))
		}
		for j, id := range s.IDs {
			w := want[id]
			got := [5]float64{float64(s.X[j]), s.Tx[j], s.T[j], s.Monetary[j], float64(s.Recency[j])}
			for k := range w {
				if math.Abs(got[k]-w[k]) > 1e-9*math.Max(1, math.Abs(w[k])) {
					t.Fatalf("customer %s field %d: got %v want %v", id, k, got, w)
				}
			}
		}
	})
}
