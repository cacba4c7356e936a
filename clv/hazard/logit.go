package hazard

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Regression is a fitted ridge-penalised logistic regression on standardised
// columns: P(y = 1 | x) = 1 / (1 + exp(−η)), η = β₀ + Σ_j β_j (x_j − m_j) / s_j.
type Regression struct {
	// Names are the column names; column 0 is the intercept.
	Names []string
	// Coef are the coefficients β on the standardised columns.
	Coef []float64
	// Mean and Scale are m_j and s_j (0 and 1 for the intercept; a column
	// that does not vary has Scale 0 and no effect).
	Mean, Scale []float64
	// Cov is the covariance of Coef: the inverse of the penalised observed
	// information Σ p(1−p) z zᵀ + λ I (no penalty on the intercept).
	Cov *mat.SymDense
	// Rows and Events are the number of rows fitted and of those with y = 1.
	Rows, Events int
	// Iterations is the number of optimiser iterations.
	Iterations int
	// LogLik is the unpenalised log-likelihood at the estimate.
	LogLik float64
}

// Eta returns the linear predictor of the raw feature row x.
func (g *Regression) Eta(x []float64) float64 { return g.etaWith(g.Coef, x) }

func (g *Regression) etaWith(beta, x []float64) float64 {
	eta := beta[0]
	for j := 1; j < len(beta); j++ {
		if g.Scale[j] > 0 {
			eta += beta[j] * (x[j] - g.Mean[j]) / g.Scale[j]
		}
	}
	return eta
}

// Prob returns P(y = 1 | x).
func (g *Regression) Prob(x []float64) float64 { return sigmoid(g.Eta(x)) }

func sigmoid(eta float64) float64 {
	if eta >= 0 {
		return 1 / (1 + math.Exp(-eta))
	}
	e := math.Exp(eta)
	return e / (1 + e)
}

// softplus returns log(1 + e^η) without overflow.
func softplus(eta float64) float64 {
	return math.Max(eta, 0) + math.Log1p(math.Exp(-math.Abs(eta)))
}

// FitOptions bounds a logistic fit.
type FitOptions struct {
	// Ridge is the penalty λ on the squared standardised coefficients
	// (the intercept is not penalised). 0 means 1; negative is an error.
	Ridge float64
	// MaxIterations caps the optimiser iterations (0 means 500).
	MaxIterations int
	// MaxTime caps the optimiser run time (0 means 2 minutes).
	MaxTime time.Duration
}

func (o FitOptions) withDefaults() (FitOptions, error) {
	if o.Ridge == 0 {
		o.Ridge = 1
	}
	if !(o.Ridge > 0) || math.IsInf(o.Ridge, 0) {
		return o, fmt.Errorf("%w: ridge penalty %g (want > 0)", ErrInvalidInput, o.Ridge)
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 500
	}
	if o.MaxIterations < 0 {
		return o, fmt.Errorf("%w: max iterations %d", ErrInvalidInput, o.MaxIterations)
	}
	if o.MaxTime == 0 {
		o.MaxTime = 2 * time.Minute
	}
	return o, nil
}

// FitLogit fits a ridge-penalised logistic regression to the rows of x
// (row-major, width columns, column 0 the intercept, which must be 1) and
// the outcomes y, by L-BFGS (gonum/optimize) with an analytic gradient.
func FitLogit(x []float64, width int, y []bool, names []string, opt FitOptions) (*Regression, error) {
	if width < 1 || len(x) != width*len(y) {
		return nil, fmt.Errorf("%w: %d values for %d rows of %d columns", ErrInvalidInput, len(x), len(y), width)
	}
	return fitLogit(x, width, nil, y, names, opt)
}

// fitLogit fits the rows sel of x (all rows when sel is nil; y is indexed
// like sel), so that the lag models share one feature matrix.
func fitLogit(x []float64, width int, sel []int32, y []bool, names []string, opt FitOptions) (*Regression, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if width < 1 || len(names) != width || (sel != nil && len(sel) != len(y)) {
		return nil, fmt.Errorf("%w: %d columns, %d names, %d rows selected for %d outcomes", ErrInvalidInput, width, len(names), len(sel), len(y))
	}
	rowOf := func(i int) []float64 {
		k := i
		if sel != nil {
			k = int(sel[i])
		}
		return x[k*width : (k+1)*width]
	}
	n := len(y)
	events := 0
	for _, v := range y {
		if v {
			events++
		}
	}
	if n == 0 || events == 0 || events == n {
		return nil, fmt.Errorf("%w: %d rows with %d events: the outcome does not vary", ErrTooLittleData, n, events)
	}
	g := &Regression{Names: names, Coef: make([]float64, width), Mean: make([]float64, width), Scale: make([]float64, width), Rows: n, Events: events}
	for i := 0; i < n; i++ {
		row := rowOf(i)
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: row %d column %s is %g", ErrInvalidInput, i, names[j], v)
			}
			g.Mean[j] += v
		}
	}
	for j := range g.Mean {
		g.Mean[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		row := rowOf(i)
		for j, v := range row {
			d := v - g.Mean[j]
			g.Scale[j] += d * d
		}
	}
	for j := range g.Scale {
		g.Scale[j] = math.Sqrt(g.Scale[j] / float64(n))
		if g.Scale[j] < 1e-9 {
			g.Scale[j] = 0
		}
	}
	g.Mean[0], g.Scale[0] = 0, 1
	lambda := opt.Ridge
	inv := 1 / float64(n)

	// eval returns the penalised negative log-likelihood per row and its
	// gradient in the standardised coefficients. The rows are cut into a
	// fixed number of chunks summed in goroutines and then in chunk order, so
	// the result does not depend on the number of CPUs.
	raw := make([]float64, width)
	parts := make([]logitPart, min(logitChunks, n))
	for k := range parts {
		parts[k].sumRX = make([]float64, width)
	}
	eval := func(beta, grad []float64) float64 {
		// Raw-scale coefficients: η = c + Σ raw_j x_j.
		c := beta[0]
		for j := 1; j < width; j++ {
			raw[j] = 0
			if g.Scale[j] > 0 {
				raw[j] = beta[j] / g.Scale[j]
				c -= raw[j] * g.Mean[j]
			}
		}
		var wg sync.WaitGroup
		for k := range parts {
			wg.Add(1)
			go func(p *logitPart, lo, hi int) {
				defer wg.Done()
				p.run(rowOf, y, raw, c, lo, hi, grad != nil)
			}(&parts[k], k*n/len(parts), (k+1)*n/len(parts))
		}
		wg.Wait()
		var loss, sumR float64
		for k := range parts {
			loss += parts[k].loss
			sumR += parts[k].sumR
		}
		var pen float64
		for j := 1; j < width; j++ {
			pen += beta[j] * beta[j]
		}
		if grad != nil {
			grad[0] = sumR * inv
			for j := 1; j < width; j++ {
				var sx float64
				for k := range parts {
					sx += parts[k].sumRX[j]
				}
				grad[j] = lambda * beta[j] * inv
				if g.Scale[j] > 0 {
					grad[j] += (sx - g.Mean[j]*sumR) / g.Scale[j] * inv
				}
			}
		}
		return (loss + lambda/2*pen) * inv
	}
	// Cache: L-BFGS asks for the value and the gradient at the same points.
	var cx, cg []float64
	var cf float64
	get := func(beta []float64) {
		if cx != nil && slices.Equal(cx, beta) {
			return
		}
		if cg == nil {
			cg = make([]float64, width)
		}
		cf = eval(beta, cg)
		cx = append(cx[:0], beta...)
	}
	problem := optimize.Problem{
		Func: func(beta []float64) float64 { get(beta); return cf },
		Grad: func(grad, beta []float64) { get(beta); copy(grad, cg) },
	}
	x0 := make([]float64, width)
	rate := float64(events) / float64(n)
	x0[0] = math.Log(rate / (1 - rate))
	settings := &optimize.Settings{
		GradientThreshold: 1e-9,
		MajorIterations:   opt.MaxIterations,
		FuncEvaluations:   4 * opt.MaxIterations,
		Runtime:           opt.MaxTime,
	}
	res, err := optimize.Minimize(problem, x0, settings, &optimize.LBFGS{})
	if res == nil {
		return nil, fmt.Errorf("%w: logistic fit: %v", ErrNotConverged, err)
	}
	grad := make([]float64, width)
	f := eval(res.X, grad)
	var gnorm float64
	for _, v := range grad {
		gnorm = math.Max(gnorm, math.Abs(v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%w: logistic fit: non-finite objective after %d iterations (%v)", ErrNotConverged, res.Stats.MajorIterations, res.Status)
	}
	if gnorm > 1e-5 {
		return nil, fmt.Errorf("%w: logistic fit stopped (%v) after %d iterations and %v with gradient %.2g (want < 1e-5)", ErrNotConverged, res.Status, res.Stats.MajorIterations, res.Stats.Runtime.Round(time.Millisecond), gnorm)
	}
	copy(g.Coef, res.X)
	g.Iterations = res.Stats.MajorIterations
	for j := range g.Coef {
		if g.Scale[j] == 0 {
			g.Coef[j] = 0
		}
	}
	g.LogLik, g.Cov = g.information(rowOf, y, lambda)
	return g, nil
}

// information returns the log-likelihood and the inverse of the penalised
// information matrix at the estimate (nil when it is not positive definite).
func (g *Regression) information(rowOf func(int) []float64, y []bool, lambda float64) (float64, *mat.SymDense) {
	w := len(g.Coef)
	info := make([]float64, w*w)
	z := make([]float64, w)
	var ll float64
	for i := range y {
		row := rowOf(i)
		z[0] = 1
		for j := 1; j < w; j++ {
			z[j] = 0
			if g.Scale[j] > 0 {
				z[j] = (row[j] - g.Mean[j]) / g.Scale[j]
			}
		}
		eta := g.etaWith(g.Coef, row)
		ll -= softplus(eta)
		if y[i] {
			ll += eta
		}
		p := sigmoid(eta)
		v := p * (1 - p)
		for a := 0; a < w; a++ {
			if z[a] == 0 {
				continue
			}
			va := v * z[a]
			for b := a; b < w; b++ {
				info[a*w+b] += va * z[b]
			}
		}
	}
	for a := 0; a < w; a++ {
		if a > 0 {
			info[a*w+a] += lambda
		}
		for b := 0; b < a; b++ {
			info[a*w+b] = info[b*w+a]
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(mat.NewSymDense(w, info)) {
		return ll, nil
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return ll, nil
	}
	return ll, &cov
}

// SE returns the standard errors of the standardised coefficients (nil
// without a covariance).
func (g *Regression) SE() []float64 {
	if g.Cov == nil {
		return nil
	}
	out := make([]float64, len(g.Coef))
	for j := range out {
		out[j] = math.Sqrt(math.Max(0, g.Cov.At(j, j)))
	}
	return out
}

// logitChunks is the number of row chunks a logistic evaluation is split
// into (fixed, for results that do not depend on the machine).
const logitChunks = 4

// logitPart accumulates the loss and gradient sums of one chunk of rows.
type logitPart struct {
	loss, sumR float64
	sumRX      []float64
}

// run sums rows [lo, hi): the loss log(1 + e^η) − yη, and with grad the
// residuals r = p − y and r·x.
func (p *logitPart) run(rowOf func(int) []float64, y []bool, raw []float64, c float64, lo, hi int, grad bool) {
	clear(p.sumRX)
	p.loss, p.sumR = 0, 0
	width := len(raw)
	for i := lo; i < hi; i++ {
		row := rowOf(i)
		eta := c
		for j := 1; j < width; j++ {
			eta += raw[j] * row[j]
		}
		// One exponential for both the loss and the residual.
		e := math.Exp(-math.Abs(eta))
		p.loss += math.Max(eta, 0) + math.Log1p(e)
		r := e / (1 + e)
		if eta >= 0 {
			r = 1 / (1 + e)
		}
		if y[i] {
			p.loss -= eta
			r--
		}
		if grad {
			p.sumR += r
			for j := 1; j < width; j++ {
				p.sumRX[j] += r * row[j]
			}
		}
	}
}
