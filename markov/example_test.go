package markov_test

import (
	"fmt"

	"github.com/clvkit/clv/markov"
)

// The direct-marketing example of Pfeifer & Carraway (2000): recency cells
// 1..5, purchase probabilities .30, .20, .15, .05, 0, net contribution 40,
// mailing cost 4, discount rate 0.2 per period.
func ExampleChain_ValueInfinite() {
	c, err := markov.New([]string{"1", "2", "3", "4", "5"}, [][]float64{
		{.30, .70, 0, 0, 0},
		{.20, 0, .80, 0, 0},
		{.15, 0, 0, .85, 0},
		{.05, 0, 0, 0, .95},
		{0, 0, 0, 0, 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := c.ValueInfinite([]float64{36, -4, -4, -4, 0}, 0.2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range c.States() {
		fmt.Printf("recency %s: %.2f\n", s, v[i])
	}
	// Output:
	// recency 1: 52.32
	// recency 2: 5.55
	// recency 3: 1.25
	// recency 4: -1.82
	// recency 5: 0.00
}

// Expected number of steps until the drunkard of Grinstead & Snell (§11.2)
// reaches home or the bar.
func ExampleChain_Absorption() {
	c, _ := markov.New([]string{"0", "1", "2", "3", "4"}, [][]float64{
		{1, 0, 0, 0, 0},
		{.5, 0, .5, 0, 0},
		{0, .5, 0, .5, 0},
		{0, 0, .5, 0, .5},
		{0, 0, 0, 0, 1},
	})
	a, err := c.Absorption()
	if err != nil {
		fmt.Println(err)
		return
	}
	for r, i := range a.Transient {
		fmt.Printf("from %s: %.1f steps, P(home) = %.2f\n", c.State(i), a.Periods[r], a.Probabilities[r][0])
	}
	// Output:
	// from 1: 3.0 steps, P(home) = 0.75
	// from 2: 4.0 steps, P(home) = 0.50
	// from 3: 3.0 steps, P(home) = 0.25
}

// Estimating a chain from observed state sequences (−1 = no state yet).
func ExampleEstimate() {
	tr, _ := markov.NewTransitions([]string{"active", "lapsed"})
	tr.AddSequence([]int{-1, 0, 0, 1, 0})
	tr.AddSequence([]int{0, 1, 1, 1, 0})
	fit, err := markov.Estimate(tr, markov.EstimateOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range fit.Chain.States() {
		fmt.Printf("%s: n=%d  P=%.2f %.2f\n", s, fit.Totals[i], fit.Chain.At(i, 0), fit.Chain.At(i, 1))
	}
	// Output:
	// active: n=3  P=0.33 0.67
	// lapsed: n=4  P=0.50 0.50
}
