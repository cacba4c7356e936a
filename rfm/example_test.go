package rfm_test

import (
	"fmt"
	"strings"

	"github.com/clvkit/clv/rfm"
)

func ExampleScore() {
	m := &rfm.Metrics{
		IDs:       []string{"C1", "C2", "C3", "C4", "C5", "C6"},
		Recency:   []int32{3, 40, 12, 200, 7, 90},        // days since the last purchase
		Frequency: []int64{12, 2, 6, 1, 9, 0},            // C6 never bought in the window
		Monetary:  []float64{640, 55.5, 210, 20, 480, 0}, // total spend
	}
	s, err := rfm.Score(m, rfm.Options{Method: rfm.Ntile, Bins: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := rfm.Segment(s, rfm.DefaultRules(s.Bins))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, id := range m.IDs {
		fmt.Printf("%s %s %.2f %s\n", id, s.CellString(i), s.Weighted(i), g.Name(i))
	}
	// Output:
	// C1 555 5.00 Champions
	// C2 222 2.00 Lost
	// C3 333 3.00 Need Attention
	// C4 111 1.00 Lost
	// C5 444 4.00 Loyal Customers
	// C6 111 1.00 Lost
}

func ExampleType7() {
	// Quartiles of a sorted sample, as R's quantile(x) (type 7) gives them.
	x := []float64{6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49}
	for _, p := range []float64{0.25, 0.5, 0.75} {
		fmt.Printf("%.2f: %.1f\n", p, rfm.Type7(x, p))
	}
	// Output:
	// 0.25: 25.5
	// 0.50: 40.0
	// 0.75: 42.5
}

func ExampleParseRules() {
	rules, err := rfm.ParseRules(strings.NewReader(`name,r_min,r_max,f_min,f_max,m_min,m_max
High value,4,5,4,5,4,5
Lapsing,1,2,,,,
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range rules {
		fmt.Printf("%s: R %v, F %v, M %v\n", u.Name, u.R, u.F, u.M)
	}
	// Output:
	// High value: R 4-5, F 4-5, M 4-5
	// Lapsing: R 1-2, F any, M any
}

func ExampleSummarize() {
	m := &rfm.Metrics{
		IDs:       []string{"A", "B", "C", "D"},
		Recency:   []int32{5, 300, 20, 400},
		Frequency: []int64{10, 2, 6, 1},
		Monetary:  []float64{500, 40, 260, 15},
	}
	s, _ := rfm.Score(m, rfm.Options{Method: rfm.Quantile, Bins: 2})
	g, _ := rfm.Segment(s, []rfm.Rule{
		{Name: "Active", R: rfm.Range{Min: 2, Max: 2}},
		{Name: "Lapsed", R: rfm.Range{Min: 1, Max: 1}},
	})
	rep, _ := rfm.Summarize(m, s, g)
	fmt.Println("recency cut:", rep.Recency.Cuts)
	for _, seg := range rep.Segments {
		fmt.Printf("%s: %d customers, %.0f%% of revenue\n", seg.Name, seg.Customers, 100*seg.RevenueShare)
	}
	// Output:
	// recency cut: [160]
	// Active: 2 customers, 93% of revenue
	// Lapsed: 2 customers, 7% of revenue
}
