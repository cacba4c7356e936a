package hazard_test

import (
	"fmt"

	"github.com/clvkit/clv/clv/hazard"
)

// Five subscribers scored by a churn model, two of whom churned: the
// churners outrank the stayers in 4 of the 6 (churner, stayer) pairs.
func ExampleEvaluate() {
	score := []float64{0.9, 0.8, 0.3, 0.2, 0.5}
	churned := []bool{true, false, true, false, false}
	e, err := hazard.Evaluate(score, churned)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("AUC %.3f, Brier %.3f, churn rate %.2f, mean score %.2f\n", e.AUC, e.Brier, e.ChurnRate, e.MeanScore)
	fmt.Printf("recall at the top 20%%: %.2f\n", e.Recall[2].Recall)
	// Output:
	// AUC 0.667, Brier 0.286, churn rate 0.40, mean score 0.54
	// recall at the top 20%: 0.50
}
