package markov

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// FirstPassage returns, for every state, the expected number of periods
// until the chain first enters one of the target states (0 for a target
// itself). Sure[i] reports whether that entry is certain from state i; when
// it is not (the chain can get trapped in a closed class without a target),
// the expectation is infinite and Periods[i] is 0 — check Sure before using
// it. The expectations solve
//
//	m_i = 1 + Σ_{j ∉ targets} P[i][j] m_j   over the states with Sure[i].
func (c *Chain) FirstPassage(targets ...int) (periods []float64, sure []bool, err error) {
	n := len(c.states)
	if len(targets) == 0 {
		return nil, nil, fmt.Errorf("%w: first passage needs at least one target state", ErrInvalid)
	}
	ab, err := c.WithAbsorbing(targets...)
	if err != nil {
		return nil, nil, err
	}
	isTarget := make([]bool, n)
	for _, s := range targets {
		isTarget[s] = true
	}
	// A closed class of the modified chain without a target is a trap.
	trap := make([]bool, n)
	for _, cl := range ab.Classes() {
		if !cl.Closed {
			continue
		}
		hasTarget := false
		for _, s := range cl.States {
			hasTarget = hasTarget || isTarget[s]
		}
		if !hasTarget {
			for _, s := range cl.States {
				trap[s] = true
			}
		}
	}
	reach := ab.reachability()
	sure = make([]bool, n)
	var idx []int // non-target states with certain passage
	for i := 0; i < n; i++ {
		ok := true
		for j := 0; j < n && ok; j++ {
			if trap[j] && reach[i*n+j] {
				ok = false
			}
		}
		sure[i] = ok
		if ok && !isTarget[i] {
			idx = append(idx, i)
		}
	}
	periods = make([]float64, n)
	if len(idx) == 0 {
		return periods, sure, nil
	}
	m := len(idx)
	a := mat.NewDense(m, m, nil)
	b := mat.NewVecDense(m, nil)
	for r, i := range idx {
		b.SetVec(r, 1)
		for s, j := range idx {
			v := -c.At(i, j)
			if r == s {
				v++
			}
			a.Set(r, s, v)
		}
	}
	x, err := solve(a, b)
	if err != nil {
		return nil, nil, fmt.Errorf("first passage: %w", err)
	}
	for r, i := range idx {
		periods[i] = x.AtVec(r)
	}
	return periods, sure, nil
}
