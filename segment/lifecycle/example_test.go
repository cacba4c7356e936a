package lifecycle_test

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/segment/lifecycle"
)

// Recency states from a small monthly panel: who bought this month (0), last
// month (1), or longer ago (lapsed).
func ExampleBuild() {
	spend := [][]float64{
		{20, 0, 35, 0, 0, 15},
		{10, 10, 10, 0, 10, 10},
		{0, 50, 0, 0, 0, 0},
	}
	pr := dataset.PeriodMonth
	first := pr.Index(dataset.Civil(2024, 1, 1))
	dense := make([]float64, 18)
	for c, row := range spend {
		copy(dense[c*6:], row)
	}
	p := dataset.DensePanel(pr, first, 6, 3, pr.End(first+5), dense, nil)
	m, err := lifecycle.Build(p, lifecycle.Options{Scheme: lifecycle.Recency, RecencyStates: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range m.States {
		fmt.Printf("%-6s n=%d  P(buy next month)=%.2f  mean spend %.1f\n", s, m.Fit.Totals[i], m.Fit.Chain.At(i, 0), m.MeanSpend[i])
	}
	// Output:
	// 0      n=7  P(buy next month)=0.43  mean spend 18.9
	// 1      n=4  P(buy next month)=0.50  mean spend 0.0
	// lapsed n=3  P(buy next month)=0.33  mean spend 0.0
}
