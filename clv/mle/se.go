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
// method, SE(θ_i) = θ_i SE(φ_i) and Cov(θ_i, θ_j) = θ_i θ_j Cov(φ_i, φ_j). ok
// is false (se zero, cov nil) when the Hessian is not positive definite or a
// variance is not finite.
func (r *run) standardErrors(phi, theta []float64) (se []float64, cov [][]float64, ok bool) {
	n := len(phi)
	se = make([]float64, n)
	var chol mat.Cholesky
	if !chol.Factorize(r.hessian(phi)) {
		return se, nil, false
	}
	var c mat.SymDense
	if err := chol.InverseTo(&c); err != nil {
		return se, nil, false
	}
	cov = make([][]float64, n)
	for i := range n {
		v := c.At(i, i)
		s := theta[i] * math.Sqrt(v)
		if !(v >= 0) || math.IsInf(s, 0) || math.IsNaN(s) {
			clear(se)
			return se, nil, false
		}
		se[i] = s
		cov[i] = make([]float64, n)
		for j := range n {
			cov[i][j] = theta[i] * theta[j] * c.At(i, j)
		}
	}
	return se, cov, true
}
