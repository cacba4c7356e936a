package segment

import (
	"fmt"
	"math"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
)

// Snapshot is a previous run's per-subscriber segment output (what clv
// segment writes, one row per customer), the basis of Compare.
type Snapshot struct {
	// AsOf is the previous run's as-of day; NoDay when unknown.
	AsOf  dataset.Day
	IDs   []string
	Stage []Stage
	Tier  []string
	CLV   []float64
	Risk  []float64
}

// Len returns the number of customers of the snapshot.
func (s *Snapshot) Len() int { return len(s.IDs) }

// Validate checks the columns have one value per id, ids are unique and
// numbers finite.
func (s *Snapshot) Validate() error {
	n := len(s.IDs)
	if len(s.Stage) != n || len(s.Tier) != n || len(s.CLV) != n || len(s.Risk) != n {
		return fmt.Errorf("%w: previous run: columns of different lengths", ErrRules)
	}
	seen := make(map[string]int, n)
	for i, id := range s.IDs {
		if j, ok := seen[id]; ok {
			return fmt.Errorf("%w: previous run: customer %q on rows %d and %d", ErrRules, id, j+1, i+1)
		}
		seen[id] = i
		if math.IsNaN(s.CLV[i]) || math.IsInf(s.CLV[i], 0) || math.IsNaN(s.Risk[i]) || math.IsInf(s.Risk[i], 0) {
			return fmt.Errorf("%w: previous run: customer %q has a value or risk that is not finite", ErrRules, id)
		}
	}
	return nil
}

// Movement states outside the stages, tiers and list states.
const (
	// StateNew is the From of customers only in the current run.
	StateNew = "(new)"
	// StateGone is the To of customers only in the previous run.
	StateGone = "(gone)"
	// Early-warning states.
	StateListed    = "listed"
	StateNotListed = "not listed"
	StateChurned   = "churned"
)

// Change is one cell of a movement matrix: the customers that were in state
// From in the previous run and are in state To now, with their total CLV
// then and now (0 on the side where they are missing).
type Change struct {
	// Measure is "stage", "tier" or "early_warning".
	Measure                     string
	From, To                    string
	Customers                   int
	ValuePrevious, ValueCurrent float64
}

// Changes compares a run with a previous one.
type Changes struct {
	// Since is the previous run's as-of day (NoDay when unknown).
	Since dataset.Day
	// Rows are the movement matrices of stage, tier and early-warning state
	// (listed, not listed, churned), every cell including empty ones, From
	// in the order StateNew last, To in the order StateGone last.
	Rows []Change
	// Both counts customers in both runs, New those only in the current one,
	// Gone those only in the previous one.
	Both, New, Gone int
	// NewWarnings are customers on the early-warning list now who were not
	// (or were not there); Resolved those on the previous list and now
	// neither listed nor churned; WarnedChurned those on it and now churned;
	// ChurnedSince the customers not churned before and churned now.
	NewWarnings, Resolved, WarnedChurned, ChurnedSince int
	// ValuePrevious and ValueCurrent are the total CLV of each run.
	ValuePrevious, ValueCurrent float64
}

// warningState is the early-warning state of a customer: churned, listed
// (in decline or with risk ≥ threshold) or not listed, as EarlyWarning.
func warningState(st Stage, risk, threshold float64) string {
	switch {
	case st == Churned:
		return StateChurned
	case st == Decline || risk >= threshold:
		return StateListed
	}
	return StateNotListed
}

// Compare compares the current result with a previous snapshot: stage,
// value tier and early-warning movement of every customer (the early-warning
// state of the previous run is taken with the current threshold), customers
// new or gone counted in their own row and column.
func Compare(prev *Snapshot, cur *Result, threshold float64) (*Changes, error) {
	if err := prev.Validate(); err != nil {
		return nil, err
	}
	c := &Changes{Since: prev.AsOf}
	stages := make([]string, NumStages)
	for k, st := range Stages {
		stages[k] = st.String()
	}
	tiers := slices.Clone(cur.Tiers)
	for _, t := range prev.Tier {
		if !slices.Contains(tiers, t) {
			tiers = append(tiers, t)
		}
	}
	warn := []string{StateListed, StateNotListed, StateChurned}
	type grid struct {
		measure string
		states  []string
		index   map[string]int
		cells   []Change
	}
	mk := func(measure string, states []string) *grid {
		g := &grid{measure: measure, states: states, index: map[string]int{}}
		for k, s := range states {
			g.index[s] = k
		}
		from := append(slices.Clone(states), StateNew)
		to := append(slices.Clone(states), StateGone)
		for _, f := range from {
			for _, t := range to {
				if f == StateNew && t == StateGone {
					continue
				}
				g.cells = append(g.cells, Change{Measure: measure, From: f, To: t})
			}
		}
		return g
	}
	grids := []*grid{mk("stage", stages), mk("tier", tiers), mk("early_warning", warn)}
	add := func(g *grid, from, to string, vp, vc float64) {
		n := len(g.states)
		fi, ti := n, n // StateNew / StateGone
		if from != StateNew {
			fi = g.index[from]
		}
		if to != StateGone {
			ti = g.index[to]
		}
		k := fi*(n+1) + ti
		cell := &g.cells[k]
		cell.Customers++
		cell.ValuePrevious += vp
		cell.ValueCurrent += vc
	}
	curRow := make(map[string]int, cur.Len())
	for i, id := range cur.IDs {
		curRow[id] = i
	}
	inPrev := make([]bool, cur.Len())
	for j, id := range prev.IDs {
		st, tier, wp := prev.Stage[j].String(), prev.Tier[j], warningState(prev.Stage[j], prev.Risk[j], threshold)
		vp := prev.CLV[j]
		c.ValuePrevious += vp
		i, ok := curRow[id]
		if !ok {
			c.Gone++
			add(grids[0], st, StateGone, vp, 0)
			add(grids[1], tier, StateGone, vp, 0)
			add(grids[2], wp, StateGone, vp, 0)
			continue
		}
		inPrev[i] = true
		c.Both++
		vc := cur.CLV[i]
		wc := warningState(cur.Stage[i], cur.Risk[i], threshold)
		add(grids[0], st, cur.Stage[i].String(), vp, vc)
		add(grids[1], tier, cur.Tiers[cur.Tier[i]], vp, vc)
		add(grids[2], wp, wc, vp, vc)
		switch {
		case wc == StateListed && wp != StateListed:
			c.NewWarnings++
		case wp == StateListed && wc == StateNotListed:
			c.Resolved++
		case wp == StateListed && wc == StateChurned:
			c.WarnedChurned++
		}
		if prev.Stage[j] != Churned && cur.Stage[i] == Churned {
			c.ChurnedSince++
		}
	}
	for i := range cur.IDs {
		vc := cur.CLV[i]
		c.ValueCurrent += vc
		if inPrev[i] {
			continue
		}
		c.New++
		wc := warningState(cur.Stage[i], cur.Risk[i], threshold)
		if wc == StateListed {
			c.NewWarnings++
		}
		add(grids[0], StateNew, cur.Stage[i].String(), 0, vc)
		add(grids[1], StateNew, cur.Tiers[cur.Tier[i]], 0, vc)
		add(grids[2], StateNew, wc, 0, vc)
	}
	for _, g := range grids {
		c.Rows = append(c.Rows, g.cells...)
	}
	return c, nil
}

// Matrix returns the movement matrix of one measure: the From states (rows),
// the To states (columns) and counts[from][to].
func (c *Changes) Matrix(measure string) (from, to []string, counts [][]int) {
	fi, ti := map[string]int{}, map[string]int{}
	for _, r := range c.Rows {
		if r.Measure != measure {
			continue
		}
		if _, ok := fi[r.From]; !ok {
			fi[r.From] = len(from)
			from = append(from, r.From)
		}
		if _, ok := ti[r.To]; !ok {
			ti[r.To] = len(to)
			to = append(to, r.To)
		}
	}
	counts = make([][]int, len(from))
	for k := range counts {
		counts[k] = make([]int, len(to))
	}
	for _, r := range c.Rows {
		if r.Measure == measure {
			counts[fi[r.From]][ti[r.To]] += r.Customers
		}
	}
	return from, to, counts
}

// ByFrom sums the cells of one measure by From state: the customers of each
// previous segment (StateNew last) and their value then and now.
func (c *Changes) ByFrom(measure string) []Change {
	var out []Change
	idx := map[string]int{}
	for _, r := range c.Rows {
		if r.Measure != measure {
			continue
		}
		k, ok := idx[r.From]
		if !ok {
			k = len(out)
			idx[r.From] = k
			out = append(out, Change{Measure: measure, From: r.From})
		}
		out[k].Customers += r.Customers
		out[k].ValuePrevious += r.ValuePrevious
		out[k].ValueCurrent += r.ValueCurrent
	}
	return out
}
