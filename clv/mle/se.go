package mle

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// hessianStep is the central-difference step in log-parameters.
const hessianStep = 1e-4

// Hessian returns the symmetric Hessian of the total (not normalised)
// objective in φ = log θ at phi: a central-difference Jacobian of the
// analytic gradient, or fd.Hessian of the objective without one.
func (r *run) hessian(phi []float64) *mat.SymDense {
	n := len(phi)
	h := mat.NewSymDense(n, nil)
	if r.p.Analytic {
		j := mat.NewDense(n, n, nil)
		fd.Jacobian(j, func(y, x []float64) { r.value(x, y) }, phi,
			&fd.JacobianSettings{Formula: fd.Central, Step: hessianStep})
		for i := range n {
			for k := i; k < n; k++ {
				h.SetSym(i, k, (j.At(i, k)+j.At(k, i))/2*r.w)
			}
		}
		return h
	}
	fd.Hessian(h, func(x []float64) float64 { return r.value(x, nil) }, phi,
		&fd.Settings{Formula: fd.Central, Step: 10 * hessianStep})
	h.ScaleSym(r.w, h)
	return h
}

// standardErrors inverts the Hessian in φ and maps back with the delta
// method, SE(θ_i) = θ_i SE(φ_i). ok is false (and se zero) when the Hessian
// is not positive definite or a variance is not finite.
func (r *run) standardErrors(phi, theta []float64) (se []float64, ok bool) {
	se = make([]float64, len(phi))
	var chol mat.Cholesky
	if !chol.Factorize(r.hessian(phi)) {
		return se, false
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return se, false
	}
	for i := range phi {
		v := cov.At(i, i)
		s := theta[i] * math.Sqrt(v)
		if !(v >= 0) || math.IsInf(s, 0) || math.IsNaN(s) {
			clear(se)
			return se, false
		}
		se[i] = s
	}
	return se, true
}
