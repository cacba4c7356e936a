package btyd_test

import (
	"fmt"

	"github.com/clvkit/clv/clv/btyd"
)

// The CDNOW worked example of Fader, Hardie & Lee (2005): a customer with two
// repeat purchases, the last at week 30.43, observed for 38.86 weeks, expects
// 1.226 purchases in the next 39 weeks (Hardie's BG/NBD spreadsheet). P(alive)
// is shown for illustration; it is not a published figure.
func ExampleBGNBD() {
	m := btyd.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	e, _ := m.ConditionalExpected(39, 2, 30.43, 38.86)
	fmt.Printf("P(alive) = %.3f\n", m.PAlive(2, 30.43, 38.86))
	fmt.Printf("E[Y(39)] = %.2f\n", e)
	// Output:
	// P(alive) = 0.727
	// E[Y(39)] = 1.23
}

// Fitting BG/BB to the donation recency/frequency table of Fader, Hardie &
// Shang (2010): 11,104 donors, six annual opportunities. The published
// estimates are alpha 1.204, beta 0.750, gamma 0.657, delta 2.783.
func ExampleFitBGBB() {
	// x, t_x, n, donors
	rf := [][4]float64{
		{0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78}, {1, 5, 6, 119},
		{1, 6, 6, 129}, {2, 2, 6, 613}, {2, 3, 6, 255}, {2, 4, 6, 155}, {2, 5, 6, 173}, {2, 6, 6, 234},
		{3, 3, 6, 322}, {3, 4, 6, 181}, {3, 5, 6, 225}, {3, 6, 6, 357}, {4, 4, 6, 240}, {4, 5, 6, 284},
		{4, 6, 6, 512}, {5, 5, 6, 335}, {5, 6, 6, 728}, {6, 6, 6, 1203},
	}
	var x, tx, n, w []float64
	for _, r := range rf {
		x, tx, n, w = append(x, r[0]), append(tx, r[1]), append(n, r[2]), append(w, r[3])
	}
	res, err := btyd.FitBGBB(x, tx, n, w, btyd.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, name := range res.Names {
		fmt.Printf("%s %.3f\n", name, res.Params[i])
	}
	fmt.Printf("LL %.1f\n", res.LogLikelihood)
	// Output:
	// alpha 1.204
	// beta 0.750
	// gamma 0.657
	// delta 2.783
	// LL -33225.6
}

// Discounted CLV over 52 weeks at 0.2% per week for three customers.
func ExamplePredict() {
	m := btyd.ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	g := &btyd.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	p, err := btyd.Predict(m, []float64{0, 2, 10}, []float64{0, 30.43, 35}, []float64{38.86, 38.86, 38.86},
		[]float64{0, 25, 40}, btyd.PredictOptions{Horizon: 52, Discount: 0.002, Spend: g})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range p.CLV {
		fmt.Printf("P(alive) %.2f  E[Y(52)] %.2f  CLV %.0f\n", p.PAlive[i], p.Expected[i], p.CLV[i])
	}
	// Output:
	// P(alive) 0.30  E[Y(52)] 0.14  CLV 5
	// P(alive) 0.87  E[Y(52)] 1.85  CLV 47
	// P(alive) 0.93  E[Y(52)] 8.16  CLV 309
}
