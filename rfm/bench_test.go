package rfm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchMetrics makes n telecom-like customers: ids S000000001.. in shuffled
// order, recency 0..730 days, 1..48 transactions, spend in cents.
func benchMetrics(n int) *Metrics {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	m := &Metrics{IDs: make([]string, n), Recency: make([]int32, n), Frequency: make([]int64, n), Monetary: make([]float64, n)}
	for i, p := range r.Perm(n) {
		m.IDs[i] = fmt.Sprintf("S%09d", p+1)
		m.Recency[i] = int32(r.IntN(731))
		m.Frequency[i] = 1 + int64(r.IntN(48))
		m.Monetary[i] = float64(r.IntN(200000)) / 100
	}
	return m
}

// telecomMetrics makes n customers with skewed, heavily tied metrics like a
// telecom base: ids S000000001.. in shuffled order, recency 0..730 days with
// half the customers active in the last month, frequency 1..100 roughly
// geometric (a third buy once), spend in cents growing with frequency.
func telecomMetrics(n int) *Metrics {
	r := rand.New(rand.NewPCG(11, uint64(n)))
	m := &Metrics{IDs: make([]string, n), Recency: make([]int32, n), Frequency: make([]int64, n), Monetary: make([]float64, n)}
	for i, p := range r.Perm(n) {
		m.IDs[i] = fmt.Sprintf("S%09d", p+1)
		if r.IntN(2) == 0 {
			m.Recency[i] = int32(r.IntN(31))
		} else {
			m.Recency[i] = int32(r.IntN(731))
		}
		f := int64(1)
		for f < 100 && r.Float64() < 0.7 {
			f += int64(r.IntN(3))
		}
		m.Frequency[i] = f
		m.Monetary[i] = float64(f*int64(100+r.IntN(5000))) / 100
	}
	return m
}

func BenchmarkScore(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		gen  func(int) *Metrics
	}{
		{"uniform", 1_000, benchMetrics}, {"uniform", 100_000, benchMetrics}, {"uniform", 1_000_000, benchMetrics},
		{"uniform", 7_000_000, benchMetrics}, {"telecom", 7_000_000, telecomMetrics},
	} {
		m := c.gen(c.n)
		for _, method := range []Method{Ntile, Quantile} {
			b.Run(fmt.Sprintf("%s/%s/n=%d", method, c.name, c.n), func(b *testing.B) {
				for b.Loop() {
					if _, err := Score(m, Options{Method: method, Bins: 5}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkSegment(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		m := benchMetrics(n)
		s, err := Score(m, Options{Method: Ntile, Bins: 5})
		if err != nil {
			b.Fatal(err)
		}
		rules := DefaultRules(5)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Segment(s, rules); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSortByID(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000, 7_000_000} {
		m := benchMetrics(n)
		idx := make([]int32, n)
		for i := range idx {
			idx[i] = int32(i)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				sortByID(idx, m.IDs)
			}
		})
	}
}
