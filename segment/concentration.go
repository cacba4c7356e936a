package segment

import (
	"math"
	"slices"
)

// Concentration describes how revenue is spread over customers.
type Concentration struct {
	Customers int
	Total     float64
	// TopShare[k] is the revenue share of the top TopPercent[k] percent of
	// customers (the ceil(p/100 × n) largest).
	TopPercent []float64
	TopShare   []float64
	// Gini is the Gini coefficient of revenue over customers, in [0, 1).
	Gini float64
	// Lorenz holds points (x, y): x the share of customers (smallest revenue
	// first), y the share of revenue they hold, from (0, 0) to (1, 1).
	Lorenz [][2]float64
}

// Concentrate computes concentration figures of revenue (negative values
// count as 0) with Lorenz points at every 1/points of the customers (the
// customers themselves when there are fewer). Top shares are computed for
// 1%, 5% and 20%.
func Concentrate(revenue []float64, points int) Concentration {
	n := len(revenue)
	c := Concentration{Customers: n, TopPercent: []float64{1, 5, 20}}
	c.TopShare = make([]float64, len(c.TopPercent))
	if n == 0 {
		c.Lorenz = [][2]float64{{0, 0}, {1, 1}}
		return c
	}
	v := make([]float64, n)
	for i, x := range revenue {
		v[i] = math.Max(x, 0)
	}
	slices.Sort(v)
	cum := make([]float64, n+1)
	for i, x := range v {
		cum[i+1] = cum[i] + x
	}
	total := cum[n]
	c.Total = total
	if total == 0 {
		c.Lorenz = [][2]float64{{0, 0}, {1, 1}}
		return c
	}
	// Gini = 1 − Σ (L_i + L_{i−1}) / n with L_i = cum_i / total.
	var area float64
	for i := 1; i <= n; i++ {
		area += (cum[i] + cum[i-1]) / total
	}
	c.Gini = math.Max(0, 1-area/float64(n))
	for k, p := range c.TopPercent {
		m := int(math.Ceil(p / 100 * float64(n)))
		m = min(max(m, 1), n)
		c.TopShare[k] = (total - cum[n-m]) / total
	}
	if points <= 0 || points > n {
		points = n
	}
	c.Lorenz = make([][2]float64, 0, points+1)
	for j := 0; j <= points; j++ {
		i := int(math.Round(float64(j) * float64(n) / float64(points)))
		c.Lorenz = append(c.Lorenz, [2]float64{float64(i) / float64(n), cum[i] / total})
	}
	return c
}
