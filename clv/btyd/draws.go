package btyd

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// ParamDraws draws n parameter vectors of a fitted model from the normal
// approximation of its log-parameters (the estimates are positive, so the
// draws are too): log θ ~ N(log θ̂, Σ) with Σ_ij = Cov_ij / (θ̂_i θ̂_j), the
// delta-method covariance of the log-parameters. The draws are seeded: the
// same fit, n and seed give the same draws. It fails when the fit has no
// covariance (HasSE false) or it is not positive definite.
func ParamDraws(res *Result, n int, seed uint64) ([][]float64, error) {
	if res == nil || !res.HasSE || res.Cov == nil {
		return nil, fmt.Errorf("%w: the fit has no covariance matrix (the Hessian was not positive definite), so no parameter draws", ErrNotIdentified)
	}
	k := len(res.Params)
	sym := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			sym.SetSym(i, j, res.Cov[i][j]/(res.Params[i]*res.Params[j]))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, fmt.Errorf("%w: the covariance of the %s parameters is not positive definite", ErrNotIdentified, res.Model)
	}
	var l mat.TriDense
	ch.LTo(&l)
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	out := make([][]float64, n)
	z := make([]float64, k)
	for d := range out {
		for i := range z {
			z[i] = r.NormFloat64()
		}
		theta := make([]float64, k)
		for i := 0; i < k; i++ {
			var s float64
			for j := 0; j <= i; j++ {
				s += l.At(i, j) * z[j]
			}
			theta[i] = res.Params[i] * math.Exp(s)
		}
		out[d] = theta
	}
	return out, nil
}
