package markov

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomChain returns an n-state chain with random dense rows.
func randomChain(b *testing.B, n int) *Chain {
	rng := rand.New(rand.NewPCG(uint64(n), 9))
	P := make([][]float64, n)
	names := make([]string, n)
	for i := range P {
		names[i] = fmt.Sprint("s", i)
		P[i] = make([]float64, n)
		sum := 0.0
		for j := range P[i] {
			P[i][j] = rng.Float64()
			sum += P[i][j]
		}
		for j := range P[i] {
			P[i][j] /= sum
		}
	}
	c, err := New(names, P)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkValue(b *testing.B) {
	for _, n := range []int{5, 20, 100} {
		c := randomChain(b, n)
		R := make([]float64, n)
		for i := range R {
			R[i] = float64(i)
		}
		b.Run(fmt.Sprintf("infinite/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := c.ValueInfinite(R, 0.05); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("finite-T=120/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Value(R, 0.05, 120); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAbsorption(b *testing.B) {
	for _, n := range []int{5, 20, 100} {
		c, _ := randomChain(b, n).WithAbsorbing(n - 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Absorption(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCount measures counting transitions of state sequences (24
// periods per subject) and estimating the chain.
func BenchmarkCount(b *testing.B) {
	for _, subjects := range []int{1_000, 100_000, 1_000_000} {
		names := []string{"a", "b", "c", "d", "e"}
		rng := rand.New(rand.NewPCG(1, 2))
		seqs := make([]int, subjects*24)
		for i := range seqs {
			seqs[i] = rng.IntN(len(names))
		}
		b.Run(fmt.Sprintf("subjects=%d", subjects), func(b *testing.B) {
			for b.Loop() {
				tr, _ := NewTransitions(names)
				for s := 0; s < subjects; s++ {
					tr.AddSequence(seqs[s*24 : (s+1)*24])
				}
				if _, err := Estimate(tr, EstimateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
