package lifecycle

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

// synthTransactions draws transactions for customers over periods months
// from January 2023: each customer buys in a month with the recency-dependent
// probabilities pcBuyProb (at most one purchase a month).
func synthTransactions(customers, periods int) *dataset.Transactions {
	rng := rand.New(rand.NewPCG(42, 1))
	t := &dataset.Transactions{IDs: make([]string, customers)}
	pr := dataset.PeriodMonth
	first := pr.Index(dataset.Civil(2023, 1, 1))
	for c := range customers {
		t.IDs[c] = fmt.Sprintf("C%07d", c)
		start := rng.IntN(periods)
		since := 0
		for j := start; j < periods; j++ {
			if j == start || rng.Float64() < pcBuyProb[min(since, 4)] {
				t.Customer = append(t.Customer, int32(c))
				t.Day = append(t.Day, pr.Start(first+j)+dataset.Day(rng.IntN(28)))
				t.Amount = append(t.Amount, 5+95*rng.Float64())
				since = 0
			} else {
				since++
			}
		}
	}
	return t
}

// BenchmarkPanelEstimate measures building the customer × month panel from
// transactions and estimating the chain (24 months; customers as named).
func BenchmarkPanelEstimate(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		t := synthTransactions(n, 24)
		for _, scheme := range []Scheme{Recency, Stages, Value} {
			b.Run(fmt.Sprintf("customers=%d/%s", n, scheme), func(b *testing.B) {
				for b.Loop() {
					p, err := dataset.BuildPanel(t, dataset.PanelOptions{Period: dataset.PeriodMonth, AsOf: dataset.NoDay, From: dataset.NoDay})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := Build(p, Options{Scheme: scheme}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(t.Len()), "rows")
			})
		}
	}
}
