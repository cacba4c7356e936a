package segment_test

import (
	"fmt"

	"github.com/clvkit/clv/segment"
)

func ExampleStageRules_Classify() {
	r := segment.DefaultStageRules()
	fmt.Println(r.Classify(segment.StageInput{Spend: []float64{40}, Tenure: 1}))
	fmt.Println(r.Classify(segment.StageInput{Spend: []float64{10, 20, 30, 40, 50, 60}, Tenure: 12}))
	fmt.Println(r.Classify(segment.StageInput{Spend: []float64{30, 30, 30, 30, 30, 30}, Tenure: 12}))
	fmt.Println(r.Classify(segment.StageInput{Spend: []float64{60, 50, 40, 30, 20, 10}, Tenure: 12}))
	fmt.Println(r.Classify(segment.StageInput{Spend: []float64{30, 30, 30, 0, 0, 0}, Tenure: 12, SincePurchase: 3}))
	// Output:
	// acquisition
	// growth
	// maturity
	// decline
	// churned
}

func ExampleConcentrate() {
	c := segment.Concentrate([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5)
	fmt.Printf("gini %.2f, top 20%% hold %.1f%%\n", c.Gini, 100*c.TopShare[2])
	for _, p := range c.Lorenz {
		fmt.Printf("(%.1f, %.3f) ", p[0], p[1])
	}
	fmt.Println()
	// Output:
	// gini 0.30, top 20% hold 34.5%
	// (0.0, 0.000) (0.2, 0.055) (0.4, 0.182) (0.6, 0.382) (0.8, 0.655) (1.0, 1.000)
}
