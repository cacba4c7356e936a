package markov

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Sentinel errors. Functions wrap them with context; test with errors.Is.
var (
	// ErrInvalid reports a malformed chain or argument: a size mismatch, a
	// negative or non-finite probability, a row that does not sum to 1.
	ErrInvalid = errors.New("markov: invalid input")
	// ErrSingular reports a linear system that has no unique solution, e.g.
	// the infinite-horizon value with d = 0, or a transient state that can
	// never be absorbed.
	ErrSingular = errors.New("markov: singular system")
	// ErrNoStationary reports a chain whose stationary distribution is not
	// unique (more than one closed communicating class).
	ErrNoStationary = errors.New("markov: no unique stationary distribution")
	// ErrNotAbsorbing reports a chain without absorbing states, or with a
	// state from which no absorbing state can be reached.
	ErrNotAbsorbing = errors.New("markov: chain is not absorbing")
	// ErrNoData reports too few observed transitions to estimate a chain.
	ErrNoData = errors.New("markov: not enough data")
	// ErrUnobserved reports a state that was never observed as the origin of
	// a transition, so its row of the transition matrix cannot be estimated.
	ErrUnobserved = errors.New("markov: state never observed")
)

// Tolerance is how far a row of a transition matrix may be from summing to 1.
const Tolerance = 1e-6

// ConditionLimit is the smallest reciprocal condition number (1-norm) of a
// linear system that is still solved; below it the system is ErrSingular.
const ConditionLimit = 1e-12

// Chain is a finite, time-homogeneous Markov chain with named states and a
// row-stochastic transition matrix. A Chain is immutable once built.
type Chain struct {
	states []string
	p      []float64 // row-major n×n
}

// New returns the chain with the given state names and transition matrix
// P (P[i][j] = probability of moving from state i to state j in one period).
// It checks that names are non-empty and distinct, P is square with one row
// per state, every entry is finite and in [0, 1], and every row sums to 1
// within Tolerance. Rows are rescaled to sum to exactly 1.
func New(states []string, P [][]float64) (*Chain, error) {
	if err := checkStates(states); err != nil {
		return nil, err
	}
	n := len(states)
	if len(P) != n {
		return nil, fmt.Errorf("%w: %d states but transition matrix has %d rows", ErrInvalid, n, len(P))
	}
	c := &Chain{states: append([]string(nil), states...), p: make([]float64, n*n)}
	for i, row := range P {
		if len(row) != n {
			return nil, fmt.Errorf("%w: row %q has %d entries, want %d", ErrInvalid, states[i], len(row), n)
		}
		sum := 0.0
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: P[%q][%q] is %v", ErrInvalid, states[i], states[j], v)
			}
			if v < 0 {
				return nil, fmt.Errorf("%w: P[%q][%q] = %g is negative", ErrInvalid, states[i], states[j], v)
			}
			if v > 1+Tolerance {
				return nil, fmt.Errorf("%w: P[%q][%q] = %g exceeds 1", ErrInvalid, states[i], states[j], v)
			}
			sum += v
		}
		if math.Abs(sum-1) > Tolerance {
			return nil, fmt.Errorf("%w: row %q sums to %.9g, want 1 (tolerance %g)", ErrInvalid, states[i], sum, Tolerance)
		}
		for j, v := range row {
			c.p[i*n+j] = v / sum
		}
	}
	return c, nil
}

// checkStates reports an error wrapping ErrInvalid unless there is at least
// one state and the names are non-empty and distinct.
func checkStates(states []string) error {
	if len(states) == 0 {
		return fmt.Errorf("%w: chain has no states", ErrInvalid)
	}
	seen := make(map[string]int, len(states))
	for i, s := range states {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%w: state %d has an empty name", ErrInvalid, i+1)
		}
		if j, ok := seen[s]; ok {
			return fmt.Errorf("%w: states %d and %d are both named %q", ErrInvalid, j+1, i+1, s)
		}
		seen[s] = i
	}
	return nil
}

// Len returns the number of states.
func (c *Chain) Len() int { return len(c.states) }

// States returns a copy of the state names in matrix order.
func (c *Chain) States() []string { return append([]string(nil), c.states...) }

// State returns the name of state i.
func (c *Chain) State(i int) string { return c.states[i] }

// Index returns the position of the state named name, or -1.
func (c *Chain) Index(name string) int {
	for i, s := range c.states {
		if s == name {
			return i
		}
	}
	return -1
}

// At returns P[i][j].
func (c *Chain) At(i, j int) float64 { return c.p[i*len(c.states)+j] }

// Matrix returns a copy of the transition matrix as rows.
func (c *Chain) Matrix() [][]float64 {
	n := len(c.states)
	out := make([][]float64, n)
	for i := range out {
		out[i] = append([]float64(nil), c.p[i*n:(i+1)*n]...)
	}
	return out
}

// dense returns P as a gonum matrix (a copy).
func (c *Chain) dense() *mat.Dense {
	n := len(c.states)
	return mat.NewDense(n, n, append([]float64(nil), c.p...))
}

// IsAbsorbing reports whether state i is absorbing (P[i][i] = 1).
func (c *Chain) IsAbsorbing(i int) bool { return c.At(i, i) >= 1-Tolerance }

// WithAbsorbing returns a copy of the chain in which the given states are
// made absorbing (their rows replaced by a self-loop). Analysing the result
// with Absorption gives first-passage quantities of the original chain: the
// expected number of periods until it first enters one of those states.
func (c *Chain) WithAbsorbing(states ...int) (*Chain, error) {
	n := len(c.states)
	out := &Chain{states: c.States(), p: append([]float64(nil), c.p...)}
	for _, s := range states {
		if s < 0 || s >= n {
			return nil, fmt.Errorf("%w: state index %d out of range [0, %d)", ErrInvalid, s, n)
		}
		row := out.p[s*n : (s+1)*n]
		for j := range row {
			row[j] = 0
		}
		row[s] = 1
	}
	return out, nil
}

// Step returns x P for a row vector x of length Len (a distribution, or
// counts: the map is linear, so counts stay counts).
func (c *Chain) Step(x []float64) ([]float64, error) {
	n := len(c.states)
	if len(x) != n {
		return nil, fmt.Errorf("%w: vector has %d entries, chain has %d states", ErrInvalid, len(x), n)
	}
	out := make([]float64, n)
	c.step(out, x)
	return out, nil
}

func (c *Chain) step(dst, x []float64) {
	n := len(c.states)
	for j := range dst {
		dst[j] = 0
	}
	for i, xi := range x {
		if xi == 0 {
			continue
		}
		row := c.p[i*n : (i+1)*n]
		for j, pij := range row {
			dst[j] += xi * pij
		}
	}
}

// Forecast propagates the row vector x0 (a state distribution or state
// counts; entries must be finite and non-negative) for n periods and returns
// n+1 rows: x0, x0 P, ..., x0 Pⁿ.
func (c *Chain) Forecast(x0 []float64, n int) ([][]float64, error) {
	if len(x0) != len(c.states) {
		return nil, fmt.Errorf("%w: start vector has %d entries, chain has %d states", ErrInvalid, len(x0), len(c.states))
	}
	if n < 0 {
		return nil, fmt.Errorf("%w: forecast horizon %d is negative", ErrInvalid, n)
	}
	for i, v := range x0 {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("%w: start value for %q is %v", ErrInvalid, c.states[i], v)
		}
	}
	out := make([][]float64, n+1)
	out[0] = append([]float64(nil), x0...)
	for t := 1; t <= n; t++ {
		out[t] = make([]float64, len(x0))
		c.step(out[t], out[t-1])
	}
	return out, nil
}

// Class is a communicating class: a maximal set of states that can all
// reach each other. A closed class cannot be left; its states are recurrent.
// States outside closed classes are transient.
type Class struct {
	States []int // ascending state indices
	Closed bool
}

// Classes returns the communicating classes of the chain, ordered by their
// smallest state index.
func (c *Chain) Classes() []Class {
	n := len(c.states)
	reach := c.reachability()
	class := make([]int, n)
	for i := range class {
		class[i] = -1
	}
	var out []Class
	for i := 0; i < n; i++ {
		if class[i] >= 0 {
			continue
		}
		k := len(out)
		cl := Class{Closed: true}
		for j := i; j < n; j++ {
			if class[j] < 0 && reach[i*n+j] && reach[j*n+i] {
				class[j] = k
				cl.States = append(cl.States, j)
			}
		}
		out = append(out, cl)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if c.p[i*n+j] > 0 && class[i] != class[j] {
				out[class[i]].Closed = false
			}
		}
	}
	return out
}

// reachability returns r with r[i*n+j] true when j can be reached from i in
// zero or more steps.
func (c *Chain) reachability() []bool {
	n := len(c.states)
	r := make([]bool, n*n)
	stack := make([]int, 0, n)
	for i := 0; i < n; i++ {
		r[i*n+i] = true
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for v := 0; v < n; v++ {
				if c.p[u*n+v] > 0 && !r[i*n+v] {
					r[i*n+v] = true
					stack = append(stack, v)
				}
			}
		}
	}
	return r
}

// Stationary returns the stationary distribution π (π = π P, Σ π = 1). It
// exists and is unique when the chain has exactly one closed communicating
// class (transient states get probability 0); otherwise the error wraps
// ErrNoStationary. For a periodic chain π is the long-run share of time in
// each state, not a limit of Pⁿ.
func (c *Chain) Stationary() ([]float64, error) {
	n := len(c.states)
	var closed []Class
	for _, cl := range c.Classes() {
		if cl.Closed {
			closed = append(closed, cl)
		}
	}
	if len(closed) != 1 {
		names := make([]string, len(closed))
		for k, cl := range closed {
			names[k] = c.names(cl.States)
		}
		return nil, fmt.Errorf("%w: %d closed classes %s", ErrNoStationary, len(closed), strings.Join(names, ", "))
	}
	// Solve (Pᵀ − I) π = 0 with the last equation replaced by Σ π = 1.
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := c.p[j*n+i]
			if i == j {
				v--
			}
			a.Set(i, j, v)
		}
	}
	b := mat.NewVecDense(n, nil)
	for j := 0; j < n; j++ {
		a.Set(n-1, j, 1)
	}
	b.SetVec(n-1, 1)
	x, err := solve(a, b)
	if err != nil {
		return nil, fmt.Errorf("stationary distribution: %w", err)
	}
	pi := make([]float64, n)
	sum := 0.0
	for i := range pi {
		v := x.AtVec(i)
		if v < 0 { // rounding noise on transient states
			v = 0
		}
		pi[i] = v
		sum += v
	}
	for i := range pi {
		pi[i] /= sum
	}
	return pi, nil
}

func (c *Chain) names(idx []int) string {
	s := make([]string, len(idx))
	for k, i := range idx {
		s[k] = c.states[i]
	}
	return "{" + strings.Join(s, ", ") + "}"
}

// solve solves a x = b by LU, returning ErrSingular when a is (numerically)
// singular or the solution is not finite.
func solve(a *mat.Dense, b *mat.VecDense) (*mat.VecDense, error) {
	var lu mat.LU
	lu.Factorize(a)
	if c := lu.Cond(); math.IsInf(c, 0) || math.IsNaN(c) || 1/c < ConditionLimit {
		return nil, fmt.Errorf("%w: condition number %.3g", ErrSingular, c)
	}
	var x mat.VecDense
	if err := lu.SolveVecTo(&x, false, b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	for i := 0; i < x.Len(); i++ {
		if v := x.AtVec(i); math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: solution is not finite", ErrSingular)
		}
	}
	return &x, nil
}
