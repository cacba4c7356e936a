package markov

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Absorption holds the absorbing-chain analysis of a chain (Kemeny & Snell
// canonical form; Grinstead & Snell, Introduction to Probability, §11.2).
// Transient and Absorbing list state indices in ascending order; the rows and
// columns of N, Periods, Variance and Probabilities follow those orders.
type Absorption struct {
	Transient []int
	Absorbing []int
	// N is the fundamental matrix (I − Q)⁻¹: N[i][j] is the expected number
	// of periods spent in transient state Transient[j] starting from
	// Transient[i] (counting the starting period).
	N [][]float64
	// Periods[i] is the expected number of periods until absorption starting
	// from Transient[i] (t = N 1).
	Periods []float64
	// Variance[i] is the variance of that number ((2N − I) t − t∘t).
	Variance []float64
	// Probabilities[i][k] is the probability of being absorbed in
	// Absorbing[k] starting from Transient[i] (B = N R₀).
	Probabilities [][]float64
}

// Absorption analyses an absorbing chain: one with at least one absorbing
// state (P[i][i] = 1) in which every other state can reach an absorbing
// state. Otherwise the error wraps ErrNotAbsorbing. To study first passage
// into a set of states of any chain, call WithAbsorbing first.
func (c *Chain) Absorption() (*Absorption, error) {
	n := len(c.states)
	a := &Absorption{}
	for i := 0; i < n; i++ {
		if c.IsAbsorbing(i) {
			a.Absorbing = append(a.Absorbing, i)
		} else {
			a.Transient = append(a.Transient, i)
		}
	}
	if len(a.Absorbing) == 0 {
		return nil, fmt.Errorf("%w: no state has P[i][i] = 1", ErrNotAbsorbing)
	}
	reach := c.reachability()
	var stuck []int
	for _, i := range a.Transient {
		ok := false
		for _, k := range a.Absorbing {
			if reach[i*n+k] {
				ok = true
				break
			}
		}
		if !ok {
			stuck = append(stuck, i)
		}
	}
	if len(stuck) > 0 {
		return nil, fmt.Errorf("%w: states %s can never reach an absorbing state", ErrNotAbsorbing, c.names(stuck))
	}
	nt, na := len(a.Transient), len(a.Absorbing)
	if nt == 0 {
		return a, nil
	}
	iq := mat.NewDense(nt, nt, nil) // I − Q
	for r, i := range a.Transient {
		for s, j := range a.Transient {
			v := -c.At(i, j)
			if r == s {
				v++
			}
			iq.Set(r, s, v)
		}
	}
	var lu mat.LU
	lu.Factorize(iq)
	if cond := lu.Cond(); math.IsInf(cond, 0) || math.IsNaN(cond) || 1/cond < ConditionLimit {
		return nil, fmt.Errorf("fundamental matrix: %w: condition number %.3g", ErrSingular, cond)
	}
	var nm mat.Dense
	if err := lu.SolveTo(&nm, false, eye(nt)); err != nil {
		return nil, fmt.Errorf("fundamental matrix: %w: %v", ErrSingular, err)
	}
	a.N = make([][]float64, nt)
	a.Periods = make([]float64, nt)
	for r := range a.N {
		a.N[r] = make([]float64, nt)
		for s := range a.N[r] {
			a.N[r][s] = nm.At(r, s)
			a.Periods[r] += a.N[r][s]
		}
	}
	a.Variance = make([]float64, nt)
	for r := range a.Variance {
		v := 0.0
		for s := range a.N[r] {
			v += 2 * a.N[r][s] * a.Periods[s]
		}
		v -= a.Periods[r] + a.Periods[r]*a.Periods[r]
		if v < 0 { // rounding when the walk is deterministic
			v = 0
		}
		a.Variance[r] = v
	}
	a.Probabilities = make([][]float64, nt)
	for r := range a.Probabilities {
		a.Probabilities[r] = make([]float64, na)
		for s, j := range a.Transient {
			for k, ab := range a.Absorbing {
				a.Probabilities[r][k] += a.N[r][s] * c.At(j, ab)
			}
		}
	}
	for r, row := range a.N {
		for s, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("fundamental matrix: %w: entry (%d, %d) is not finite", ErrSingular, r, s)
			}
		}
	}
	return a, nil
}

// PeriodsByState returns the expected periods until absorption for every
// state of the chain in matrix order (0 for absorbing states).
func (a *Absorption) PeriodsByState(n int) []float64 {
	out := make([]float64, n)
	for r, i := range a.Transient {
		out[i] = a.Periods[r]
	}
	return out
}

func eye(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}
