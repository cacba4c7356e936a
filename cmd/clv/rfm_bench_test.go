package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/rfm"
)

// rfmBenchInput scores n synthetic customers (5 bins, default segments),
// shaped like clv rfm's input at that size.
func rfmBenchInput(b *testing.B, n int) (*rfm.Metrics, *rfm.Scores, *rfm.Segmentation) {
	r := rand.New(rand.NewPCG(9, 10))
	m := &rfm.Metrics{IDs: make([]string, n), Recency: make([]int32, n), Frequency: make([]int64, n), Monetary: make([]float64, n)}
	for i := range n {
		m.IDs[i] = fmt.Sprintf("S%09d", 100+7*i)
		m.Recency[i] = int32(r.IntN(730))
		m.Frequency[i] = int64(1 + r.IntN(120))
		m.Monetary[i] = float64(r.IntN(400000)) / 100
	}
	m.Revenue = m.Monetary
	s, err := rfm.Score(m, rfm.Options{Method: rfm.Ntile, Bins: 5, Weights: rfm.Weights{R: 1, F: 1, M: 1}})
	if err != nil {
		b.Fatal(err)
	}
	g, err := rfm.Segment(s, rfm.DefaultRules(5))
	if err != nil {
		b.Fatal(err)
	}
	return m, s, g
}

// BenchmarkRFMTable: building clv rfm's per-customer table, and building
// and writing it as CSV (to io.Discard), at 1M and 7M customers (the 7M
// case takes about 2 GB: run it alone, under flock /tmp/bigrun.lock on the
// shared machine).
func BenchmarkRFMTable(b *testing.B) {
	for _, n := range []int{1e6, 7e6} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			m, s, g := rfmBenchInput(b, n)
			b.Run("build", func(b *testing.B) {
				for b.Loop() {
					rfmTable(m, s, g)
				}
			})
			b.Run("build+csv", func(b *testing.B) {
				for b.Loop() {
					t := rfmTable(m, s, g)
					if err := render.WriteTable(io.Discard, render.FormatCSV, t); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
