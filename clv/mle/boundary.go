package mle

import (
	"fmt"
	"math"
	"strings"
)

// Boundary is one parameter whose estimate runs off to zero or infinity.
type Boundary struct {
	// Name is the parameter's name; Index its position.
	Name  string
	Index int
	// Estimate is where the optimiser stopped, in the problem's message units.
	Estimate float64
	// ToInfinity is true when the parameter grows without bound, false when it goes to zero.
	ToInfinity bool
}

// BoundaryError reports parameters that run off to zero or infinity. It
// wraps ErrNotIdentified.
type BoundaryError struct {
	Params []Boundary
	// Flat is true when the estimate was inside the hard bound but the
	// likelihood is flat towards the boundary.
	Flat bool
}

// Error says which parameters run off and where.
func (e *BoundaryError) Error() string {
	var names, parts []string
	for _, b := range e.Params {
		dir := "zero"
		if b.ToInfinity {
			dir = "infinity"
		}
		names = append(names, b.Name)
		parts = append(parts, fmt.Sprintf("%s to %s (estimate %.3g)", b.Name, dir, b.Estimate))
	}
	var msg string
	if len(parts) == 1 {
		msg = fmt.Sprintf("%v: parameter %s runs off %s", ErrNotIdentified, names[0], strings.TrimPrefix(parts[0], names[0]+" "))
	} else {
		msg = fmt.Sprintf("%v: parameters %s run off together: %s", ErrNotIdentified, strings.Join(names, ", "), strings.Join(parts, ", "))
	}
	if e.Flat {
		msg += "; the likelihood is flat towards the boundary"
	}
	return msg
}

// Unwrap returns ErrNotIdentified.
func (e *BoundaryError) Unwrap() error { return ErrNotIdentified }

// boundary returns a *BoundaryError when the estimate φ (normalised objective
// f0) lies at or runs towards the edge of the parameter space.
func (r *run) boundary(phi []float64, f0 float64) error {
	mk := func(idx []int, flat bool) error {
		e := &BoundaryError{Flat: flat}
		for _, i := range idx {
			est := math.Exp(phi[i])
			if r.p.Scale != nil {
				est *= r.p.Scale[i]
			}
			e.Params = append(e.Params, Boundary{Name: r.p.Names[i], Index: i, Estimate: est, ToInfinity: phi[i] > 0})
		}
		return e
	}
	var hard, far []int
	for i, v := range phi {
		if math.Abs(v) > r.s.Bound {
			hard = append(hard, i)
		}
		if math.Abs(v) > r.s.ProbeFrom {
			far = append(far, i)
		}
	}
	if len(hard) > 0 {
		// The far-out parameters usually run off with them (a ridge such as
		// α, β → ∞ with α/(α+β) fixed): name them all.
		return mk(far, false)
	}
	if len(far) == 0 {
		return nil
	}
	// Probe: move each far-out parameter, then all of them together, a
	// factor e^5 further out. A log-likelihood that does not drop by
	// ProbeTolerance means the data carry no information against the boundary.
	tol := r.s.ProbeTolerance / r.w
	flatAt := func(idx []int) bool {
		xx := append([]float64(nil), phi...)
		for _, i := range idx {
			xx[i] += math.Copysign(5, phi[i])
		}
		v := r.value(xx, nil)
		return !math.IsInf(v, 1) && v-f0 < tol
	}
	var flat []int
	for _, i := range far {
		if flatAt([]int{i}) {
			flat = append(flat, i)
		}
	}
	if len(flat) == 0 && len(far) > 1 && flatAt(far) {
		flat = far
	}
	if len(flat) > 0 {
		return mk(flat, true)
	}
	return nil
}
