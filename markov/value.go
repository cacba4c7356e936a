package markov

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

func (c *Chain) checkValueArgs(rewards []float64, discount float64) error {
	if len(rewards) != len(c.states) {
		return fmt.Errorf("%w: %d rewards for %d states", ErrInvalid, len(rewards), len(c.states))
	}
	for i, r := range rewards {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return fmt.Errorf("%w: reward of %q is %v", ErrInvalid, c.states[i], r)
		}
	}
	if math.IsNaN(discount) || math.IsInf(discount, 0) || discount < 0 {
		return fmt.Errorf("%w: discount rate %v must be a finite number ≥ 0", ErrInvalid, discount)
	}
	return nil
}

// Value returns the expected discounted value of starting in each state over
// a finite horizon of T+1 periods (t = 0..T):
//
//	V = Σ_{t=0..T} [(1+d)⁻¹ P]ᵗ R
//
// R[i] is the reward earned in a period spent in state i, collected at the
// start of the period (so t = 0 is undiscounted), and d the discount rate per
// period. T = 0 returns R.
func (c *Chain) Value(rewards []float64, discount float64, T int) ([]float64, error) {
	if err := c.checkValueArgs(rewards, discount); err != nil {
		return nil, err
	}
	if T < 0 {
		return nil, fmt.Errorf("%w: horizon %d is negative", ErrInvalid, T)
	}
	n := len(c.states)
	beta := 1 / (1 + discount)
	v := append([]float64(nil), rewards...)
	next := make([]float64, n)
	for k := 0; k < T; k++ {
		for i := 0; i < n; i++ {
			row := c.p[i*n : (i+1)*n]
			s := 0.0
			for j, pij := range row {
				s += pij * v[j]
			}
			next[i] = rewards[i] + beta*s
		}
		v, next = next, v
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: value of %q overflows", ErrInvalid, c.states[i])
		}
	}
	return v, nil
}

// ValueInfinite returns the expected discounted value over an infinite
// horizon, the limit of Value as T → ∞:
//
//	V = [I − (1+d)⁻¹ P]⁻¹ R
//
// With d = 0 the matrix I − P is singular (P 1 = 1), and the error wraps
// ErrSingular: undiscounted values are finite only over a finite horizon.
func (c *Chain) ValueInfinite(rewards []float64, discount float64) ([]float64, error) {
	if err := c.checkValueArgs(rewards, discount); err != nil {
		return nil, err
	}
	n := len(c.states)
	if discount == 0 {
		return nil, fmt.Errorf("infinite-horizon value: %w: I − P is singular with discount 0 (use a discount rate > 0 or a finite horizon)", ErrSingular)
	}
	beta := 1 / (1 + discount)
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := -beta * c.p[i*n+j]
			if i == j {
				v++
			}
			a.Set(i, j, v)
		}
	}
	x, err := solve(a, mat.NewVecDense(n, append([]float64(nil), rewards...)))
	if err != nil {
		return nil, fmt.Errorf("infinite-horizon value (discount %g): %w", discount, err)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = x.AtVec(i)
	}
	return out, nil
}
