package mle

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/optimize"
)

// Sentinel errors shared by every maximum-likelihood fit of the toolkit.
var (
	// ErrNotConverged reports a fit whose optimiser stopped without meeting
	// the convergence criteria: a failed line search, an iteration or
	// evaluation cap, an exhausted time budget, a cancelled context, a step or
	// likelihood that is not finite.
	ErrNotConverged = errors.New("model fit did not converge")
	// ErrNotIdentified reports data that cannot identify the model: a
	// parameter runs off to zero or infinity, or too little variation in the
	// data to separate the parameters.
	ErrNotIdentified = errors.New("data cannot identify the model")
)

// Defaults of Settings.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMaxEvaluations = 20000
	DefaultMaxIterations  = 1000
	DefaultBound          = 18
	DefaultProbeFrom      = 9
	DefaultProbeTolerance = 0.01
)

// Strategy says how many starting points Minimize runs.
type Strategy int

const (
	// UntilAgree runs the starts best first and stops when two converged
	// runs agree on the objective (relative 1e-7).
	UntilAgree Strategy = iota
	// FirstConverged stops at the first converged run (for objectives that
	// are expensive to evaluate; the other starts are fallbacks).
	FirstConverged
	// AllStarts runs every start and keeps the best.
	AllStarts
)

// Problem is a negative log-likelihood over positive parameters.
type Problem struct {
	// Names are the parameter names, used in messages.
	Names []string
	// Func returns the objective at θ. When Analytic is true and grad is not
	// nil it also stores ∂f/∂θ in grad. It may return NaN or ±Inf where the
	// likelihood cannot be evaluated; such points are rejected.
	Func func(theta, grad []float64) float64
	// Analytic reports that Func fills grad.
	Analytic bool
	// Weight is the total weight of the data; the objective is divided by it
	// during optimisation. Values <= 0 mean 1.
	Weight float64
	// Scale, when set, converts θ to the units used in messages (for example
	// the time rescaling of a repeat-purchase model); nil means 1.
	Scale []float64
}

// Settings bound and tune Minimize. The zero value uses the defaults.
type Settings struct {
	// MaxIterations bounds the BFGS iterations per start (default 1000).
	MaxIterations int
	// MaxEvaluations bounds the objective and gradient requests over all
	// starts, including screening (default 20,000).
	MaxEvaluations int
	// Timeout is the wall-clock budget of the whole fit (default 30 s).
	Timeout time.Duration
	// Context, when set, cancels the fit (as ErrNotConverged wrapping the
	// context's error).
	Context context.Context
	// GradientThreshold stops BFGS when the gradient norm of the normalised
	// objective in φ falls below it (default 1e-8).
	GradientThreshold float64
	// FunctionTolerance and FunctionIterations stop BFGS when the normalised
	// objective improves by less than FunctionTolerance (absolute and
	// relative) over FunctionIterations iterations (defaults 1e-13 and 25).
	FunctionTolerance  float64
	FunctionIterations int
	// Converger, when set, replaces that function-change test (for example
	// gonum's default, &optimize.FunctionConverge{Absolute: 1e-10, Iterations: 100}).
	Converger optimize.Converger
	// Tolerance is the convergence test at the estimate: the largest
	// |∂f/∂φ_i| of the normalised objective (default 1e-5).
	Tolerance float64
	// MoreThuente selects the More-Thuente line search instead of gonum's
	// default for BFGS.
	MoreThuente bool
	// Strategy chooses how many starts run (default UntilAgree).
	Strategy Strategy
	// Bound: |log θ| beyond it is a boundary estimate (default 18).
	Bound float64
	// ProbeFrom and ProbeTolerance control the flatness probe of estimates
	// with |log θ| beyond ProbeFrom (defaults 9 and 0.01 log-likelihood units).
	ProbeFrom, ProbeTolerance float64
}

func (s Settings) withDefaults() Settings {
	def := func(v *float64, d float64) {
		if !(*v > 0) {
			*v = d
		}
	}
	if s.MaxIterations <= 0 {
		s.MaxIterations = DefaultMaxIterations
	}
	if s.MaxEvaluations <= 0 {
		s.MaxEvaluations = DefaultMaxEvaluations
	}
	if s.Timeout <= 0 {
		s.Timeout = DefaultTimeout
	}
	if s.Context == nil {
		s.Context = context.Background()
	}
	def(&s.GradientThreshold, 1e-8)
	def(&s.FunctionTolerance, 1e-13)
	if s.FunctionIterations <= 0 {
		s.FunctionIterations = 25
	}
	def(&s.Tolerance, 1e-5)
	def(&s.Bound, DefaultBound)
	def(&s.ProbeFrom, DefaultProbeFrom)
	def(&s.ProbeTolerance, DefaultProbeTolerance)
	return s
}

// Result is the outcome of Minimize.
type Result struct {
	// Theta is the estimate; SE the asymptotic standard errors (zero unless HasSE).
	Theta, SE []float64
	// HasSE is false when the Hessian is not positive definite at the estimate.
	HasSE bool
	// Cov is the asymptotic covariance matrix of Theta (delta method:
	// Cov_ij = θ_i θ_j Cov(φ_i, φ_j)); nil unless HasSE. Its diagonal is SE².
	Cov [][]float64
	// F is the objective (not normalised) at Theta.
	F float64
	// Iterations (BFGS iterations) and Evaluations (objective and gradient
	// requests) are totals over all starts; Starts counts the starts run.
	Iterations, Evaluations, Starts int
	// Converged reports that the best start met the convergence criteria.
	Converged bool
	// Status is the optimiser's final status for the best start.
	Status string
	// Elapsed is the wall-clock time of the fit.
	Elapsed time.Duration
}

// errStop ends a start from inside the objective; stopErr says why.
var errStop = errors.New("stopped")

// run is the state of one Minimize call shared by its starts.
type run struct {
	p        Problem
	s        Settings
	np       int
	w        float64
	deadline time.Time
	start    time.Time
	evals    int
	stop     error // why the fit must end (evaluation cap, time budget, context)
	stepErr  error // why the current start failed (a step that is not finite)
	theta    []float64
	gtheta   []float64
	// cache of the last analytic evaluation: value and φ-gradient at lastPhi.
	lastPhi, lastG []float64
	lastF          float64
	haveLast       bool
}

// check is called before every evaluation; it records why the fit must stop.
func (r *run) check(phi []float64) bool {
	if r.stop != nil || r.stepErr != nil {
		return false
	}
	for i, v := range phi {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			r.stepErr = fmt.Errorf("the optimiser's step for %s is not finite", r.p.Names[i])
			return false
		}
	}
	r.evals++
	switch {
	case r.evals > r.s.MaxEvaluations:
		r.stop = fmt.Errorf("%w (%d objective evaluations)", errEvalCap, r.s.MaxEvaluations)
	case r.s.Context.Err() != nil:
		r.stop = fmt.Errorf("fit cancelled: %w", r.s.Context.Err())
	case time.Now().After(r.deadline):
		r.stop = fmt.Errorf("%w of %v exhausted after %d evaluations", ErrTimeBudget, r.s.Timeout, r.evals)
	}
	return r.stop == nil
}

// ErrTimeBudget is wrapped (with ErrNotConverged) by a fit that ran out of
// its wall-clock budget, Settings.Timeout.
var ErrTimeBudget = errors.New("time budget")

var errEvalCap = errors.New("evaluation cap reached")

// value returns the normalised objective at φ (+Inf outside the domain or
// where it is not finite); grad, when not nil, receives ∂f/∂φ.
func (r *run) value(phi, grad []float64) float64 {
	for i := range phi {
		if math.Abs(phi[i]) > 3*r.s.Bound {
			if grad != nil {
				clear(grad)
			}
			return math.Inf(1)
		}
		r.theta[i] = math.Exp(phi[i])
	}
	var gt []float64
	if grad != nil && r.p.Analytic {
		gt = r.gtheta
	}
	v := r.p.Func(r.theta, gt) / r.w
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = math.Inf(1)
	}
	if gt != nil {
		for i := range grad {
			grad[i] = r.theta[i] * gt[i] / r.w
			if math.IsNaN(grad[i]) || math.IsInf(grad[i], 0) {
				grad[i] = 0
			}
		}
	}
	return v
}

// f is the objective the optimiser sees.
func (r *run) f(phi []float64) float64 {
	if !r.check(phi) {
		return math.Inf(1)
	}
	if r.p.Analytic {
		r.eval(phi)
		return r.lastF
	}
	return r.value(phi, nil)
}

// grad is the gradient the optimiser sees.
func (r *run) grad(g, phi []float64) {
	if !r.check(phi) {
		clear(g)
		return
	}
	if r.p.Analytic {
		r.eval(phi)
		copy(g, r.lastG)
		return
	}
	r.numericGradient(g, phi)
}

// eval fills the analytic cache at φ. The optimiser asks for the value and
// the gradient at the same point in separate calls; both come from one pass.
func (r *run) eval(phi []float64) {
	if r.haveLast && slices.Equal(phi, r.lastPhi) {
		return
	}
	r.lastF = r.value(phi, r.lastG)
	copy(r.lastPhi, phi)
	r.haveLast = true
}

// numericGradient fills g with central differences of the objective at φ.
func (r *run) numericGradient(g, phi []float64) {
	xx := append([]float64(nil), phi...)
	for i := range phi {
		h := 1e-5 * math.Max(1, math.Abs(phi[i]))
		xx[i] = phi[i] + h
		fp := r.value(xx, nil)
		xx[i] = phi[i] - h
		fm := r.value(xx, nil)
		xx[i] = phi[i]
		g[i] = (fp - fm) / (2 * h)
		if math.IsNaN(g[i]) || math.IsInf(g[i], 0) {
			g[i] = 0
		}
	}
}

// Minimize minimises the problem's objective over log-parameters from the
// given starting points (in θ; starts with a non-positive or non-finite value
// or the wrong length are skipped). It returns the best estimate found with an
// error wrapping ErrNotConverged or ErrNotIdentified when the fit failed; the
// result is nil only when no start could be evaluated or the fit was stopped
// before any start finished.
func Minimize(p Problem, starts [][]float64, s Settings) (*Result, error) {
	s = s.withDefaults()
	np := len(p.Names)
	if p.Func == nil || np == 0 {
		panic("mle: Problem needs Func and Names")
	}
	r := &run{p: p, s: s, np: np, w: p.Weight, start: time.Now(),
		theta: make([]float64, np), gtheta: make([]float64, np),
		lastPhi: make([]float64, np), lastG: make([]float64, np)}
	if !(r.w > 0) {
		r.w = 1
	}
	r.deadline = r.start.Add(s.Timeout)

	type start struct {
		phi []float64
		f   float64
	}
	var screened []start
	for _, s0 := range starts {
		if len(s0) != np {
			continue
		}
		phi0 := make([]float64, np)
		ok := true
		for i, v := range s0 {
			if !(v > 0) || math.IsInf(v, 0) {
				ok = false
			}
			phi0[i] = math.Log(v)
		}
		if !ok {
			continue
		}
		if fv := r.f(phi0); !math.IsInf(fv, 1) {
			screened = append(screened, start{phi0, fv})
		}
	}
	if s.Strategy != AllStarts {
		slices.SortStableFunc(screened, func(a, b start) int { return cmp.Compare(a.f, b.f) })
	}

	var best *Result
	var bestPhi []float64
	total := &Result{}
	for si, st := range screened {
		if r.stop != nil {
			break
		}
		problem := optimize.Problem{
			Func: r.f, Grad: r.grad,
			Status: func() (optimize.Status, error) {
				if r.stop != nil || r.stepErr != nil {
					return optimize.Failure, errStop
				}
				return optimize.NotTerminated, nil
			},
		}
		settings := &optimize.Settings{
			GradientThreshold: s.GradientThreshold,
			MajorIterations:   s.MaxIterations,
			Converger:         s.Converger,
		}
		if settings.Converger == nil {
			settings.Converger = &optimize.FunctionConverge{Absolute: s.FunctionTolerance, Relative: s.FunctionTolerance, Iterations: s.FunctionIterations}
		}
		method := &optimize.BFGS{}
		if s.MoreThuente {
			method.Linesearcher = &optimize.MoreThuente{}
		}
		r.stepErr = nil
		r.haveLast = false
		res, err := optimize.Minimize(problem, st.phi, settings, method)
		total.Starts++
		if res == nil {
			continue
		}
		total.Iterations += res.Stats.MajorIterations
		fx := res.Location.F
		if math.IsInf(fx, 0) || math.IsNaN(fx) {
			continue
		}
		cand, phi := r.judge(res, err)
		if best == nil || better(cand, best, s.Strategy) {
			best = cand
			bestPhi = phi
		}
		if !best.Converged {
			continue
		}
		switch s.Strategy {
		case FirstConverged:
		case UntilAgree:
			if si == 0 || !agree(best, cand) {
				continue
			}
		default:
			continue
		}
		break
	}
	elapsed := time.Since(r.start)
	if best == nil {
		if r.stop != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotConverged, r.stop)
		}
		return nil, fmt.Errorf("%w: the likelihood is not finite at any starting point", ErrNotConverged)
	}
	best.Iterations, best.Starts, best.Elapsed = total.Iterations, total.Starts, elapsed
	best.Theta = make([]float64, np)
	best.SE = make([]float64, np)
	for i, v := range bestPhi {
		best.Theta[i] = math.Exp(v)
	}
	// A budget or a cancellation fails the fit whatever was found before it,
	// so that no result depends on the speed of the machine.
	if r.stop != nil && !errors.Is(r.stop, errEvalCap) {
		best.Converged = false
		best.Evaluations = r.evals
		return best, fmt.Errorf("%w: %w", ErrNotConverged, r.stop)
	}
	if berr := r.boundary(bestPhi, best.F/r.w); berr != nil {
		best.Converged = false
		best.Evaluations = r.evals
		return best, berr
	}
	if !best.Converged {
		best.Evaluations = r.evals
		return best, fmt.Errorf("%w: %s after %d iterations from %d starting points", ErrNotConverged, best.Status, best.Iterations, best.Starts)
	}
	best.SE, best.Cov, best.HasSE = r.standardErrors(bestPhi, best.Theta)
	best.Evaluations = r.evals
	return best, nil
}

// judge turns one start's optimiser result into a candidate.
func (r *run) judge(res *optimize.Result, err error) (*Result, []float64) {
	phi := append([]float64(nil), res.Location.X...)
	g := make([]float64, r.np)
	if r.p.Analytic {
		r.value(phi, g)
	} else {
		r.numericGradient(g, phi)
	}
	gmax := 0.0
	for _, v := range g {
		gmax = math.Max(gmax, math.Abs(v))
	}
	// A line search that cannot improve any further at a vanishing gradient
	// is convergence at double precision; an iteration limit, a stop from
	// inside the objective or a large gradient is not.
	stopped := errors.Is(err, errStop)
	conv := gmax < r.s.Tolerance && res.Status != optimize.IterationLimit && !stopped
	status := res.Status.String()
	switch {
	case conv:
		status = "converged"
	case stopped && r.stepErr != nil:
		status = r.stepErr.Error()
	case stopped:
		status = r.stop.Error()
	case err != nil:
		status = fmt.Sprintf("%s (%v)", status, err)
	case gmax >= r.s.Tolerance:
		status = fmt.Sprintf("%s (gradient norm %.3g)", status, gmax)
	}
	return &Result{F: res.Location.F * r.w, Converged: conv, Status: status}, phi
}

// better reports whether the candidate replaces the best start so far.
func better(cand, best *Result, strategy Strategy) bool {
	if strategy == AllStarts {
		// Every start runs: the lowest converged objective wins outright.
		return (cand.Converged && (!best.Converged || cand.F < best.F)) || (!best.Converged && cand.F < best.F)
	}
	// Otherwise a clearly lower objective, or a converged run that matches a
	// non-converged best.
	tol := 1e-9 * math.Abs(best.F)
	return cand.F < best.F-tol || (!best.Converged && cand.Converged && cand.F <= best.F+tol)
}

func agree(a, b *Result) bool {
	return a == b || math.Abs(a.F-b.F) <= 1e-7*math.Max(1, math.Abs(a.F))
}
