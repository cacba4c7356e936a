package hazard

import (
	"fmt"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
)

// BenchmarkFitScore fits the three lag models and scores a generated base of
// n subscribers over 24 months (about 11 subscriber-periods per subscriber
// and lag).
func BenchmarkFitScore(b *testing.B) {
	for _, n := range []int{1000, 5000, 20000} {
		base, err := synth.Generate(synth.Options{Subscribers: n, Months: 24, Seed: 5})
		if err != nil {
			b.Fatal(err)
		}
		tx, subs := base.Transactions, base.Subscribers
		subOf, err := dataset.Join(&tx, &subs)
		if err != nil {
			b.Fatal(err)
		}
		d := Data{Tx: &tx, Subs: &subs, SubOf: subOf}
		opt := Options{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 9, 30), Horizon: 3}
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			for b.Loop() {
				m, err := Fit(d, opt)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := m.Score(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvaluate ranks and evaluates n scores.
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{10000, 1000000} {
		score := make([]float64, n)
		churned := make([]bool, n)
		for i := range score {
			score[i] = float64((i*7919)%n) / float64(n)
			churned[i] = i%17 == 0
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Evaluate(score, churned); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
