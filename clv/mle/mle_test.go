package mle

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// twoExponentials is the negative log-likelihood of two independent
// exponential samples of sizes n_j and sums S_j with rates θ_0, θ_1:
// -Σ_j (n_j log θ_j - θ_j S_j). The MLE is θ_j = n_j/S_j and the observed
// information n_j/θ_j², so SE(θ_j) = θ_j/√n_j (independent closed forms).
func twoExponentials(n, sum [2]float64, analytic bool) Problem {
	return Problem{
		Names:    []string{"rate0", "rate1"},
		Analytic: analytic,
		Weight:   n[0] + n[1],
		Func: func(th, g []float64) float64 {
			v := 0.0
			for j := range 2 {
				v -= n[j]*math.Log(th[j]) - th[j]*sum[j]
				if g != nil {
					g[j] = -(n[j]/th[j] - sum[j])
				}
			}
			return v
		},
	}
}

func TestMinimizeClosedForm(t *testing.T) {
	n, sum := [2]float64{40, 250}, [2]float64{13.7, 2100}
	for _, analytic := range []bool{true, false} {
		res, err := Minimize(twoExponentials(n, sum, analytic), [][]float64{{1, 1}, {0.1, 0.5}}, Settings{})
		if err != nil {
			t.Fatalf("analytic=%v: %v", analytic, err)
		}
		for j := range 2 {
			want := n[j] / sum[j]
			if math.Abs(res.Theta[j]/want-1) > 1e-6 {
				t.Errorf("analytic=%v: theta[%d] = %v, want n/S = %v (rel 1e-6)", analytic, j, res.Theta[j], want)
			}
			wantSE := want / math.Sqrt(n[j])
			if !res.HasSE || math.Abs(res.SE[j]/wantSE-1) > 1e-4 {
				t.Errorf("analytic=%v: SE[%d] = %v (HasSE %v), want θ/√n = %v (rel 1e-4)", analytic, j, res.SE[j], res.HasSE, wantSE)
			}
		}
		// Independent samples: the covariance is diagonal, SE² on the diagonal.
		if res.Cov == nil || math.Abs(res.Cov[0][0]/(res.SE[0]*res.SE[0])-1) > 1e-12 || math.Abs(res.Cov[0][1]) > 1e-6*res.SE[0]*res.SE[1] {
			t.Errorf("analytic=%v: covariance %v with SE %v", analytic, res.Cov, res.SE)
		}
		if !res.Converged || res.Evaluations == 0 || res.Starts == 0 {
			t.Errorf("analytic=%v: %+v", analytic, res)
		}
	}
}

func TestMinimizeDeterministic(t *testing.T) {
	p := twoExponentials([2]float64{7, 9}, [2]float64{3, 40}, true)
	a, errA := Minimize(p, [][]float64{{1, 1}, {3, 0.01}}, Settings{})
	b, errB := Minimize(p, [][]float64{{1, 1}, {3, 0.01}}, Settings{})
	if errA != nil || errB != nil || a.Theta[0] != b.Theta[0] || a.Theta[1] != b.Theta[1] || a.SE[1] != b.SE[1] || a.Evaluations != b.Evaluations {
		t.Errorf("two runs differ: %+v %v / %+v %v", a, errA, b, errB)
	}
}

// A likelihood that keeps rising as θ grows (or shrinks) has no finite
// maximum: the fit names the parameter and wraps ErrNotIdentified.
func TestMinimizeBoundary(t *testing.T) {
	cases := []struct {
		name     string
		f        func(th []float64) float64
		param    string
		toInfity bool
	}{
		{"to infinity", func(th []float64) float64 { return math.Log1p(1/th[0]) + (th[1]-2)*(th[1]-2) }, "theta", true},
		{"to zero", func(th []float64) float64 { return math.Log1p(th[0]) + (th[1]-2)*(th[1]-2) }, "theta", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Problem{Names: []string{"theta", "other"}, Weight: 1, Func: func(th, _ []float64) float64 { return c.f(th) }}
			_, err := Minimize(p, [][]float64{{1, 1}}, Settings{})
			var be *BoundaryError
			if !errors.Is(err, ErrNotIdentified) || !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BoundaryError", err)
			}
			if len(be.Params) != 1 || be.Params[0].Name != c.param || be.Params[0].ToInfinity != c.toInfity {
				t.Errorf("boundary %+v, want %s (to infinity %v)", be.Params, c.param, c.toInfity)
			}
			if !strings.Contains(err.Error(), "parameter theta runs off") {
				t.Errorf("message %q does not name the parameter", err)
			}
		})
	}
}

// Two parameters that only matter through their ratio run off together.
func TestMinimizeRidge(t *testing.T) {
	p := Problem{Names: []string{"a", "b"}, Weight: 1, Func: func(th, _ []float64) float64 {
		ratio := th[0] / (th[0] + th[1])
		// Maximised as a, b → ∞ with a/(a+b) = 0.3: log(1 + 1/(a+b)) decreases to 0.
		return 50*(ratio-0.3)*(ratio-0.3) + math.Log1p(1/(th[0]+th[1]))
	}}
	_, err := Minimize(p, [][]float64{{1, 1}}, Settings{})
	var be *BoundaryError
	if !errors.As(err, &be) || len(be.Params) != 2 || !be.Params[0].ToInfinity || !be.Params[1].ToInfinity {
		t.Fatalf("err = %v, want a and b to run off to infinity", err)
	}
}

func TestMinimizeBudgets(t *testing.T) {
	p := twoExponentials([2]float64{40, 250}, [2]float64{13.7, 2100}, true)
	starts := [][]float64{{1, 1}}
	t.Run("evaluation cap", func(t *testing.T) {
		_, err := Minimize(p, starts, Settings{MaxEvaluations: 4})
		if !errors.Is(err, ErrNotConverged) || !strings.Contains(err.Error(), "evaluation cap") {
			t.Errorf("err = %v, want the evaluation cap", err)
		}
	})
	t.Run("time budget", func(t *testing.T) {
		slow := p
		slow.Func = func(th, g []float64) float64 {
			time.Sleep(time.Millisecond)
			return p.Func(th, g)
		}
		_, err := Minimize(slow, starts, Settings{Timeout: time.Nanosecond})
		if !errors.Is(err, ErrNotConverged) || !errors.Is(err, ErrTimeBudget) {
			t.Errorf("err = %v, want the time budget", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Minimize(p, starts, Settings{Context: ctx})
		if !errors.Is(err, ErrNotConverged) || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want a cancelled fit", err)
		}
	})
	t.Run("not finite anywhere", func(t *testing.T) {
		nan := Problem{Names: []string{"x"}, Func: func([]float64, []float64) float64 { return math.NaN() }}
		res, err := Minimize(nan, [][]float64{{1}}, Settings{})
		if res != nil || !errors.Is(err, ErrNotConverged) {
			t.Errorf("res %v, err = %v, want ErrNotConverged", res, err)
		}
	})
	t.Run("not finite beyond the start", func(t *testing.T) {
		// Finite only at the start point: every step is rejected, so the
		// optimiser cannot converge (the gradient there is not zero).
		hole := Problem{Names: []string{"x"}, Analytic: true, Func: func(th, g []float64) float64 {
			if g != nil {
				g[0] = 1
			}
			if th[0] != 1 {
				return math.Inf(1)
			}
			return 0
		}}
		_, err := Minimize(hole, [][]float64{{1}}, Settings{})
		if !errors.Is(err, ErrNotConverged) {
			t.Errorf("err = %v, want ErrNotConverged", err)
		}
	})
}
