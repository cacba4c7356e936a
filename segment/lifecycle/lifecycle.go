package lifecycle

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/markov"
	"github.com/clvkit/clv/segment"
)

// Scheme is a way of assigning customers to states.
type Scheme int

// State schemes.
const (
	Recency Scheme = iota // periods since the last purchase, then lapsed
	Stages                // acquisition, growth, maturity, decline, churned
	Value                 // spend tiers, inactive, churned
)

// String returns "recency", "lifecycle" or "value".
func (s Scheme) String() string {
	switch s {
	case Stages:
		return "lifecycle"
	case Value:
		return "value"
	}
	return "recency"
}

// ParseScheme parses "recency", "lifecycle" or "value".
func ParseScheme(s string) (Scheme, error) {
	switch s {
	case "recency":
		return Recency, nil
	case "lifecycle", "stages", "stage":
		return Stages, nil
	case "value":
		return Value, nil
	}
	return 0, fmt.Errorf("%w: unknown state scheme %q (want recency, lifecycle or value)", ErrOptions, s)
}

// ErrOptions is wrapped by errors about invalid options.
var ErrOptions = errors.New("invalid Markov state options")

// Options controls Build.
type Options struct {
	Scheme Scheme
	// RecencyStates is k, the number of recency states before "lapsed"
	// (Recency). 0 means 4.
	RecencyStates int
	// Rules are the lifecycle stage rules (Stages) and, through
	// LapsePeriods, the lapse rule of Value. The zero value means
	// segment.DefaultStageRules().
	Rules segment.StageRules
	// ValueTiers is the number of spend tiers (Value). 0 means 3. Tiers
	// whose quantile cut points coincide (many equal spends) are merged.
	ValueTiers int
	// Smoothing is the additive pseudo-count of the estimate (see markov.Estimate).
	Smoothing float64
	// Start[c] is the panel column in which customer c's relationship began
	// (activation; negative when before the panel), or NoStart to start at
	// the first purchase in the panel. nil: all NoStart.
	Start []int32
	// Churn[c] is the panel column of customer c's recorded churn, or -1.
	// nil: no recorded churn.
	Churn []int32
	// KeepPartial keeps the last panel column even when the as-of date is
	// before the end of its period.
	KeepPartial bool
}

// Model is a fitted customer Markov chain.
type Model struct {
	Scheme Scheme
	// States are the state names in matrix order.
	States []string
	// Fit is the estimated chain with its transition counts.
	Fit *markov.Fit
	// ChurnState is the state that stands for a lost customer ("lapsed" or
	// "churned"), the target of PeriodsToChurn.
	ChurnState int
	// Columns is the number of panel columns used (the first Columns).
	Columns int
	// Current[i] is the number of customers in state i in the last column used.
	Current []int64
	// Observations[i] is the number of customer-periods spent in state i.
	Observations []int64
	// MeanSpend[i] is the mean spend per customer-period in state i.
	MeanSpend []float64
	// State[c] is customer c's state in the last column used, -1 when the
	// customer has no state then (relationship not begun).
	State []int8
	// Cuts are the spend tier cut points (Value).
	Cuts []float64
}

// NoStart marks a customer without a known activation (Options.Start).
const NoStart = math.MinInt32

// StartChurn returns the Start and Churn columns of Options for a panel
// whose customers were joined with a subscriber export (subOf from
// dataset.Join; -1 for customers without a subscriber row). Activation
// before the panel gives a negative column (the tenure counts from it), a
// churn before the panel column 0, a churn after the panel -1; a subscriber
// activated after the panel gets a start beyond the last column (no state).
func StartChurn(p *dataset.Panel, s *dataset.Subscribers, subOf []int32) (start, churn []int32) {
	start = make([]int32, p.Customers)
	churn = make([]int32, p.Customers)
	for c := range start {
		start[c], churn[c] = NoStart, -1
		if c >= len(subOf) || subOf[c] < 0 {
			continue
		}
		r := subOf[c]
		if d := s.Activation[r]; d != dataset.NoDay {
			j := p.Period.Index(d) - p.First
			start[c] = int32(max(-1<<20, min(j, p.Periods)))
		}
		if d := s.Churn[r]; d != dataset.NoDay {
			j := p.Period.Index(d) - p.First
			if j < p.Periods {
				churn[c] = int32(max(0, j))
			}
		}
	}
	return start, churn
}

// chunk is the number of customers per unit of parallel work. Fixed, so that
// floating-point sums do not depend on the number of CPUs.
const chunk = 1 << 14

type partial struct {
	trans *markov.Transitions
	obs   []int64
	spend []float64
}

// Build assigns every customer of the panel a state in every period, counts
// transitions between consecutive periods and estimates the chain.
func Build(p *dataset.Panel, opt Options) (*Model, error) {
	if opt.RecencyStates == 0 {
		opt.RecencyStates = 4
	}
	if opt.ValueTiers == 0 {
		opt.ValueTiers = 3
	}
	if opt.Rules == (segment.StageRules{}) {
		opt.Rules = segment.DefaultStageRules()
	}
	switch {
	case opt.RecencyStates < 1 || opt.RecencyStates > 60:
		return nil, fmt.Errorf("%w: recency states %d outside 1..60", ErrOptions, opt.RecencyStates)
	case opt.ValueTiers < 1 || opt.ValueTiers > 20:
		return nil, fmt.Errorf("%w: value tiers %d outside 1..20", ErrOptions, opt.ValueTiers)
	case opt.Start != nil && len(opt.Start) != p.Customers, opt.Churn != nil && len(opt.Churn) != p.Customers:
		return nil, fmt.Errorf("%w: start/churn columns do not match the %d panel customers", ErrOptions, p.Customers)
	}
	if err := opt.Rules.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOptions, err)
	}
	cols := p.Periods
	if !opt.KeepPartial && cols > 0 && p.AsOf != dataset.NoDay && p.AsOf < p.Period.End(p.First+cols-1) {
		cols--
	}
	if cols < 2 {
		return nil, fmt.Errorf("%w: %d complete %s(s) in the window; transitions need at least 2", markov.ErrNoData, cols, p.Period)
	}
	m := &Model{Scheme: opt.Scheme, Columns: cols}
	switch opt.Scheme {
	case Recency:
		for i := 0; i < opt.RecencyStates; i++ {
			m.States = append(m.States, strconv.Itoa(i))
		}
		m.States = append(m.States, "lapsed")
	case Stages:
		for _, s := range segment.Stages {
			m.States = append(m.States, s.String())
		}
	case Value:
		m.Cuts = valueCuts(p, cols, opt.ValueTiers)
		m.States = append(tierNames(len(m.Cuts)+1), "inactive", "churned")
	default:
		return nil, fmt.Errorf("%w: unknown scheme %d", ErrOptions, opt.Scheme)
	}
	n := len(m.States)
	m.ChurnState = n - 1
	m.State = make([]int8, p.Customers)

	nchunks := (p.Customers + chunk - 1) / chunk
	parts := make([]partial, nchunks)
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq := make([]int, cols)
			var stages []segment.Stage
			var buf []float64
			for k := range work {
				tr, _ := markov.NewTransitions(m.States)
				pt := partial{trans: tr, obs: make([]int64, n), spend: make([]float64, n)}
				for c := k * chunk; c < min((k+1)*chunk, p.Customers); c++ {
					buf = p.Row(c, buf)
					spend := buf[:cols]
					start, churn := NoStart, -1
					if opt.Start != nil {
						start = int(opt.Start[c])
					}
					if opt.Churn != nil {
						churn = int(opt.Churn[c])
					}
					m.assign(seq, &stages, spend, start, churn, &opt)
					tr.AddSequence(seq)
					for j, s := range seq {
						if s >= 0 {
							pt.obs[s]++
							pt.spend[s] += spend[j]
						}
					}
					m.State[c] = int8(seq[cols-1])
				}
				parts[k] = pt
			}
		}()
	}
	for k := 0; k < nchunks; k++ {
		work <- k
	}
	close(work)
	wg.Wait()

	total, _ := markov.NewTransitions(m.States)
	m.Observations = make([]int64, n)
	m.MeanSpend = make([]float64, n)
	for _, pt := range parts {
		if err := total.Merge(pt.trans); err != nil {
			return nil, err
		}
		for i := range pt.obs {
			m.Observations[i] += pt.obs[i]
			m.MeanSpend[i] += pt.spend[i]
		}
	}
	for i := range m.MeanSpend {
		if m.Observations[i] > 0 {
			m.MeanSpend[i] /= float64(m.Observations[i])
		}
	}
	m.Current = make([]int64, n)
	for _, s := range m.State {
		if s >= 0 {
			m.Current[s]++
		}
	}
	eo := markov.EstimateOptions{Smoothing: opt.Smoothing}
	if opt.Scheme != Recency {
		eo.Absorbing = []int{m.ChurnState}
	}
	fit, err := markov.Estimate(total, eo)
	if err != nil {
		if errors.Is(err, markov.ErrUnobserved) {
			return nil, fmt.Errorf("%w (too few customers or periods for this state scheme: use fewer states or a longer window)", err)
		}
		return nil, err
	}
	m.Fit = fit
	return m, nil
}

// assign writes the state of one customer in every column to seq (-1 before
// the relationship began).
//
// A customer activated before the panel (start < 0) has an unknown purchase
// history before it; until the first purchase in the panel the periods since
// purchase are counted from the panel's first column.
//
// The Stages scheme is segment.StageRules.Path; stages is its reusable
// buffer.
func (m *Model) assign(seq []int, stages *[]segment.Stage, spend []float64, start, churn int, opt *Options) {
	cols := len(spend)
	if start == NoStart {
		start = cols
		for j, v := range spend {
			if v > 0 {
				start = j
				break
			}
		}
	}
	if start >= cols {
		for j := range seq {
			seq[j] = -1
		}
		return
	}
	if opt.Scheme == Stages {
		*stages = opt.Rules.Path(spend, start, churn, *stages)
		for j, st := range *stages {
			seq[j] = int(st) // NoStage is -1
		}
		return
	}
	s0 := max(start, 0)
	lapsed := len(m.States) - 1
	last := -1
	for j := 0; j < cols; j++ {
		if spend[j] > 0 {
			last = j
		}
		if j < start {
			seq[j] = -1
			continue
		}
		if churn >= 0 && j >= churn {
			seq[j] = lapsed // "lapsed" (Recency) and "churned" (Value) are both last
			continue
		}
		ref := last
		if ref < 0 {
			ref = s0
		}
		since := j - ref
		if opt.Scheme == Recency {
			seq[j] = min(since, opt.RecencyStates)
			continue
		}
		// Value
		switch {
		case spend[j] > 0:
			t := 0
			for _, c := range m.Cuts {
				if c < spend[j] {
					t++
				}
			}
			seq[j] = t
		case since >= opt.Rules.LapsePeriods:
			seq[j] = lapsed
		default:
			seq[j] = lapsed - 1 // inactive
		}
	}
}

// valueCuts returns the distinct lower i/k quantiles (i = 1..k−1) of all
// positive spends in the first cols columns.
func valueCuts(p *dataset.Panel, cols, k int) []float64 {
	// Counted first: the spends are held at their exact size.
	n := 0
	for c := 0; c < p.Customers; c++ {
		cs, spend, _ := p.Cells(c)
		for k, v := range spend {
			if int(cs[k]) < cols && v > 0 {
				n++
			}
		}
	}
	s := make([]float64, 0, n)
	for c := 0; c < p.Customers; c++ {
		cs, spend, _ := p.Cells(c)
		for k, v := range spend {
			if int(cs[k]) < cols && v > 0 {
				s = append(s, v)
			}
		}
	}
	if len(s) == 0 || k < 2 {
		return nil
	}
	slices.Sort(s)
	var cuts []float64
	for i := 1; i < k; i++ {
		r := int(math.Ceil(float64(i)*float64(len(s))/float64(k))) - 1
		r = max(0, min(r, len(s)-1))
		v := s[r]
		if v == s[len(s)-1] { // nothing above it: the tier would be empty
			break
		}
		if len(cuts) == 0 || v > cuts[len(cuts)-1] {
			cuts = append(cuts, v)
		}
	}
	return cuts
}

func tierNames(k int) []string {
	switch k {
	case 1:
		return []string{"active"}
	case 2:
		return []string{"low", "high"}
	case 3:
		return []string{"low", "medium", "high"}
	}
	out := make([]string, k)
	for i := range out {
		out[i] = "tier" + strconv.Itoa(i+1)
	}
	return out
}

// Rewards returns the per-state reward
//
//	R[i] = marginRate × MeanSpend[i] − cost[i]
//
// except for the absorbing churned state of Stages and Value, whose reward
// is −cost only: the chain never leaves it, so spend observed there (final
// bills, win-backs the chain does not model) would otherwise be earned
// forever.
// cost is either one value per state, or a single value applied to every
// state except the churn state (a firm does not spend on customers it has
// lost), or empty (no cost).
func (m *Model) Rewards(marginRate float64, cost []float64) ([]float64, error) {
	n := len(m.States)
	if math.IsNaN(marginRate) || math.IsInf(marginRate, 0) || marginRate < 0 {
		return nil, fmt.Errorf("%w: margin rate %v must be a finite number ≥ 0", ErrOptions, marginRate)
	}
	per := make([]float64, n)
	switch len(cost) {
	case 0:
	case 1:
		for i := range per {
			if i != m.ChurnState {
				per[i] = cost[0]
			}
		}
	case n:
		copy(per, cost)
	default:
		return nil, fmt.Errorf("%w: %d costs per period for %d states (give one value, or one per state in the order %v)", ErrOptions, len(cost), n, m.States)
	}
	r := make([]float64, n)
	for i := range r {
		if math.IsNaN(per[i]) || math.IsInf(per[i], 0) {
			return nil, fmt.Errorf("%w: cost of %q is %v", ErrOptions, m.States[i], per[i])
		}
		r[i] = marginRate*m.MeanSpend[i] - per[i]
		if i == m.ChurnState && m.Scheme != Recency {
			r[i] = 0 - per[i] // not -per[i]: no negative zero in the output
		}
	}
	return r, nil
}

// PeriodsToChurn returns the expected number of periods until a customer in
// each state first reaches the churn state (0 for the churn state itself),
// and whether that is certain (see markov.Chain.FirstPassage).
func (m *Model) PeriodsToChurn() (periods []float64, sure []bool, err error) {
	return m.Fit.Chain.FirstPassage(m.ChurnState)
}
