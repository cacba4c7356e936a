package retention_test

import (
	"fmt"

	"github.com/clvkit/clv/clv/retention"
)

func ExampleFitSBG() {
	// Fader & Hardie (2007), Table 1, "Regular" segment: of 1000 customers,
	// 631, 468, 382, 326, 289, 262 and 241 remain after years 1–7.
	d, _ := retention.Cohort([]float64{1000, 631, 468, 382, 326, 289, 262, 241})
	fit, err := retention.FitSBG(d, retention.FitOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("alpha %.3f, beta %.3f\n", fit.Alpha, fit.Beta)
	// Projected survival for years 8–12 (the held-out actuals are 0.223,
	// 0.207, 0.194, 0.183 and 0.173).
	for _, p := range fit.Project(12)[7:] {
		fmt.Printf("year %d: survival %.3f\n", p.Period, p.Survival)
	}
	// Output:
	// alpha 0.704, beta 1.182
	// year 8: survival 0.220
	// year 9: survival 0.204
	// year 10: survival 0.191
	// year 11: survival 0.180
	// year 12: survival 0.170
}

func ExampleLifeTable() {
	// 100 subscribers: 20 lost in their first month, 10 in the second; 40
	// still active halfway through their second month, 30 active at the end
	// of their third.
	d := retention.Durations{
		Churned:  []float64{20, 10},
		Censored: []retention.Censored{{Period: 2, Fraction: 0.5, Weight: 40}, {Period: 3, Fraction: 1, Weight: 30}},
	}
	for _, r := range retention.LifeTable(d) {
		fmt.Printf("t=%d at_risk=%.0f churned=%.0f censored=%.0f exposure=%.0f r=%.3f S=%.3f\n",
			r.Period, r.AtRisk, r.Churned, r.Censored, r.Exposure, r.Retention, r.Survival)
	}
	// Output:
	// t=1 at_risk=100 churned=20 censored=0 exposure=100 r=0.800 S=0.800
	// t=2 at_risk=80 churned=10 censored=40 exposure=60 r=0.833 S=0.667
	// t=3 at_risk=30 churned=0 censored=30 exposure=30 r=1.000 S=0.667
}
