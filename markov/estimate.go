package markov

import (
	"fmt"
	"math"
)

// Transitions accumulates observed one-period transitions between named
// states. The zero value is not usable; call NewTransitions. A Transitions is
// not safe for concurrent use: give each goroutine its own and Merge them.
type Transitions struct {
	states []string
	counts []int64 // row-major n×n
}

// NewTransitions returns an empty transition count table over the states.
func NewTransitions(states []string) (*Transitions, error) {
	if err := checkStates(states); err != nil {
		return nil, err
	}
	n := len(states)
	return &Transitions{states: append([]string(nil), states...), counts: make([]int64, n*n)}, nil
}

// States returns a copy of the state names.
func (t *Transitions) States() []string { return append([]string(nil), t.states...) }

// Add records one transition from state index from to state index to. It
// panics when an index is out of range (a programming error).
func (t *Transitions) Add(from, to int) { t.counts[from*len(t.states)+to]++ }

// AddCount records n transitions from from to to (n ≥ 0).
func (t *Transitions) AddCount(from, to int, n int64) {
	if n < 0 {
		panic("markov: negative transition count")
	}
	t.counts[from*len(t.states)+to] += n
}

// AddSequence records the transitions between consecutive entries of one
// subject's state sequence. A negative entry marks a period without a state
// (not yet observed, or missing); pairs that touch it are skipped.
func (t *Transitions) AddSequence(seq []int) {
	n := len(t.states)
	for k := 1; k < len(seq); k++ {
		a, b := seq[k-1], seq[k]
		if a >= 0 && b >= 0 {
			t.counts[a*n+b]++
		}
	}
}

// Merge adds the counts of o, which must have the same states in the same order.
func (t *Transitions) Merge(o *Transitions) error {
	if len(o.states) != len(t.states) {
		return fmt.Errorf("%w: merging %d-state counts into %d-state counts", ErrInvalid, len(o.states), len(t.states))
	}
	for i := range t.states {
		if t.states[i] != o.states[i] {
			return fmt.Errorf("%w: state %d is %q here but %q in the merged counts", ErrInvalid, i+1, t.states[i], o.states[i])
		}
	}
	for k, v := range o.counts {
		t.counts[k] += v
	}
	return nil
}

// Count returns the number of transitions recorded from i to j.
func (t *Transitions) Count(i, j int) int64 { return t.counts[i*len(t.states)+j] }

// Counts returns a copy of the count matrix.
func (t *Transitions) Counts() [][]int64 {
	n := len(t.states)
	out := make([][]int64, n)
	for i := range out {
		out[i] = append([]int64(nil), t.counts[i*n:(i+1)*n]...)
	}
	return out
}

// RowTotal returns the number of transitions recorded out of state i.
func (t *Transitions) RowTotal(i int) int64 {
	n := len(t.states)
	var s int64
	for _, v := range t.counts[i*n : (i+1)*n] {
		s += v
	}
	return s
}

// Total returns the number of transitions recorded.
func (t *Transitions) Total() int64 {
	var s int64
	for _, v := range t.counts {
		s += v
	}
	return s
}

// EstimateOptions controls Estimate.
type EstimateOptions struct {
	// Smoothing is the pseudo-count α ≥ 0 added to every cell of an observed
	// row before normalising (additive / Lidstone smoothing; α = 1 is
	// Laplace's rule). 0 gives the maximum-likelihood estimate.
	Smoothing float64
	// Absorbing lists states that are absorbing by definition (for example
	// "churned"): their rows are set to a self-loop whatever was observed.
	// Their counts are still reported.
	Absorbing []int
}

// Fit is an estimated chain together with the data behind it.
type Fit struct {
	Chain *Chain
	// Counts[i][j] is the number of observed transitions from i to j.
	Counts [][]int64
	// Totals[i] is the number of observed transitions out of i (the number
	// of observations behind row i of the transition matrix).
	Totals    []int64
	Smoothing float64
	// Fixed[i] reports that row i was set by EstimateOptions.Absorbing
	// rather than estimated.
	Fixed []bool
}

// Estimate estimates the transition matrix from the counts:
//
//	P̂[i][j] = (n[i][j] + α) / (n[i] + n α)
//
// It fails with ErrNoData when no transition was observed, and with
// ErrUnobserved when a state (other than a fixed absorbing one) was never the
// origin of a transition: its row would be pure guesswork, with or without
// smoothing.
func Estimate(t *Transitions, opt EstimateOptions) (*Fit, error) {
	n := len(t.states)
	a := opt.Smoothing
	if math.IsNaN(a) || math.IsInf(a, 0) || a < 0 {
		return nil, fmt.Errorf("%w: smoothing %v must be a finite number ≥ 0", ErrInvalid, a)
	}
	fixed := make([]bool, n)
	for _, s := range opt.Absorbing {
		if s < 0 || s >= n {
			return nil, fmt.Errorf("%w: absorbing state index %d out of range [0, %d)", ErrInvalid, s, n)
		}
		fixed[s] = true
	}
	if t.Total() == 0 {
		return nil, fmt.Errorf("%w: no transitions observed", ErrNoData)
	}
	f := &Fit{Counts: t.Counts(), Totals: make([]int64, n), Smoothing: a, Fixed: fixed}
	var missing []int
	for i := 0; i < n; i++ {
		f.Totals[i] = t.RowTotal(i)
		if f.Totals[i] == 0 && !fixed[i] {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for k, i := range missing {
			names[k] = fmt.Sprintf("%q", t.states[i])
		}
		return nil, fmt.Errorf("%w: no transitions out of %v", ErrUnobserved, names)
	}
	p := make([][]float64, n)
	for i := range p {
		p[i] = make([]float64, n)
		if fixed[i] {
			p[i][i] = 1
			continue
		}
		den := float64(f.Totals[i]) + float64(n)*a
		for j := range p[i] {
			p[i][j] = (float64(f.Counts[i][j]) + a) / den
		}
	}
	c, err := New(t.states, p)
	if err != nil {
		return nil, err
	}
	f.Chain = c
	return f, nil
}

// StdErr returns the binomial standard error √(P̂(1 − P̂) / n[i]) of every
// estimated transition probability (0 for fixed rows). It describes the
// sampling error of the maximum-likelihood estimate; with smoothing it is an
// approximation.
func (f *Fit) StdErr() [][]float64 {
	n := f.Chain.Len()
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		if f.Fixed[i] || f.Totals[i] == 0 {
			continue
		}
		for j := range out[i] {
			p := f.Chain.At(i, j)
			out[i][j] = math.Sqrt(p * (1 - p) / float64(f.Totals[i]))
		}
	}
	return out
}
