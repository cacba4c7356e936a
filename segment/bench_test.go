package segment

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

// synthetic builds n customers with 24 months of spend, a seeded random walk.
func synthetic(n int) Input {
	rng := rand.New(rand.NewPCG(1, 2))
	start := dataset.Civil(2023, 1, 1)
	tx := &dataset.Transactions{IDs: make([]string, n)}
	for c := 0; c < n; c++ {
		tx.IDs[c] = fmt.Sprintf("C%07d", c)
		level := 20 + 100*rng.Float64()
		first := rng.IntN(24)
		for m := first; m < 24; m++ {
			if rng.Float64() < 0.1 {
				continue
			}
			level *= 0.9 + 0.2*rng.Float64()
			tx.Customer = append(tx.Customer, int32(c))
			tx.Day = append(tx.Day, dataset.PeriodMonth.Start(dataset.PeriodMonth.Index(start)+m)+14)
			tx.Amount = append(tx.Amount, level)
		}
	}
	asOf := dataset.Civil(2024, 12, 31)
	s, err := dataset.Summarize(tx, dataset.SummaryOptions{AsOf: asOf, Unit: dataset.UnitMonth})
	if err != nil {
		panic(err)
	}
	p, err := dataset.BuildPanel(tx, dataset.PanelOptions{Period: dataset.PeriodMonth, AsOf: asOf, From: start})
	if err != nil {
		panic(err)
	}
	return Input{Summary: s, Panel: p}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		in := synthetic(n)
		opt := DefaultOptions()
		opt.Actions = DefaultActions()
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(in, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkConcentrate(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		rng := rand.New(rand.NewPCG(3, 4))
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.ExpFloat64()
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Concentrate(v, 100)
			}
		})
	}
}
