package dataset

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// synthetic makes rows of customers buying over two years, in date order
// (like a billing export) or shuffled.
func synthetic(rows int, shuffled bool) *Transactions {
	r := rand.New(rand.NewPCG(1, 2))
	nc := max(rows/14, 1)
	t := &Transactions{IDs: make([]string, nc), Customer: make([]int32, rows), Day: make([]Day, rows), Amount: make([]float64, rows)}
	for i := range t.IDs {
		t.IDs[i] = fmt.Sprintf("S%09d", i)
	}
	start := Civil(2023, 1, 1)
	for i := 0; i < rows; i++ {
		t.Customer[i] = int32(r.IntN(nc))
		t.Day[i] = start + Day(i*730/rows)
		t.Amount[i] = float64(r.IntN(10000)) / 100
	}
	if shuffled {
		r.Shuffle(rows, func(i, j int) {
			t.Customer[i], t.Customer[j] = t.Customer[j], t.Customer[i]
			t.Day[i], t.Day[j] = t.Day[j], t.Day[i]
			t.Amount[i], t.Amount[j] = t.Amount[j], t.Amount[i]
		})
	}
	return t
}

func BenchmarkSummarize(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6, 1e7} {
		for _, order := range []string{"date", "random"} {
			t := synthetic(n, order == "random")
			b.Run(fmt.Sprintf("rows=%d/order=%s", n, order), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Summarize(t, SummaryOptions{AsOf: NoDay, Unit: UnitWeek}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
	}
}

func BenchmarkPanel(b *testing.B) {
	for _, n := range []int{1e5, 1e6, 1e7} {
		t := synthetic(n, false)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := BuildPanel(t, PanelOptions{Period: PeriodMonth, AsOf: NoDay, From: NoDay}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
