package kpi

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

// syntheticBase makes n subscribers activated over 2017..2024 (a fifth
// churned) with perSub transactions each on random days of 2023..2024, in
// random row order (no locality, the hard case for per-customer sums).
func syntheticBase(n, perSub int) (*dataset.Subscribers, *dataset.Transactions, []int32) {
	r := rand.New(rand.NewPCG(7, 11))
	start, end := dataset.Civil(2017, 1, 1), dataset.Civil(2024, 12, 31)
	w0 := dataset.Civil(2023, 1, 1)
	s := &dataset.Subscribers{ID: make([]string, n), Activation: make([]dataset.Day, n), Churn: make([]dataset.Day, n),
		AttrNames: []string{"plan"}, Attrs: [][]string{make([]string, n)}}
	plans := []string{"prepaid", "postpaid", "family", "business"}
	for i := range n {
		s.ID[i] = fmt.Sprintf("S%08d", i)
		s.Activation[i] = start + dataset.Day(r.IntN(int(end-start)))
		s.Churn[i] = dataset.NoDay
		if r.IntN(5) == 0 {
			s.Churn[i] = s.Activation[i] + dataset.Day(r.IntN(700))
		}
		s.Attrs[0][i] = plans[r.IntN(len(plans))]
	}
	rows := n * perSub
	tx := &dataset.Transactions{IDs: s.ID, Customer: make([]int32, rows), Day: make([]dataset.Day, rows), Amount: make([]float64, rows)}
	for k := range rows {
		tx.Customer[k] = int32(r.IntN(n))
		tx.Day[k] = w0 + dataset.Day(r.IntN(int(end-w0)+1))
		tx.Amount[k] = float64(r.IntN(20000)-1000) / 100
	}
	subOf := make([]int32, n)
	for i := range subOf {
		subOf[i] = int32(i)
	}
	return s, tx, subOf
}

// byDate orders the rows by day, then customer, like a billing export.
func byDate(tx *dataset.Transactions) *dataset.Transactions {
	idx := make([]int, tx.Len())
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(tx.Day[a], tx.Day[b]), cmp.Compare(tx.Customer[a], tx.Customer[b]))
	})
	out := &dataset.Transactions{IDs: tx.IDs, Customer: make([]int32, len(idx)), Day: make([]dataset.Day, len(idx)), Amount: make([]float64, len(idx))}
	for k, i := range idx {
		out.Customer[k], out.Day[k], out.Amount[k] = tx.Customer[i], tx.Day[i], tx.Amount[i]
	}
	return out
}

func BenchmarkMovements(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6} {
		subs, random, subOf := syntheticBase(n, 12)
		for _, order := range []string{"date", "random"} {
			tx := random
			if order == "date" {
				tx = byDate(random)
			}
			for _, by := range [][]string{nil, {"plan"}} {
				b.Run(fmt.Sprintf("subscribers=%d/rows=%d/order=%s/groups=%d", n, tx.Len(), order, len(by)), func(b *testing.B) {
					b.ReportAllocs()
					opt := Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 12, 31), From: dataset.Civil(2023, 1, 1), By: by}
					for b.Loop() {
						if _, err := Movements(subs, tx, subOf, opt); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

func BenchmarkCohorts(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6} {
		subs, tx, subOf := syntheticBase(n, 12)
		b.Run(fmt.Sprintf("subscribers=%d/rows=%d", n, tx.Len()), func(b *testing.B) {
			b.ReportAllocs()
			opt := Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 12, 31), From: dataset.Civil(2023, 1, 1)}
			for b.Loop() {
				if _, err := BuildCohorts(subs, tx, subOf, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
