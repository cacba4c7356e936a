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

// Early-warning state indices (the order of the early-warning matrix).
const (
	warnListed = iota
	warnNotListed
	warnChurned
)

// warningIndex is the early-warning state of a customer: churned, listed
// (in decline or with risk ≥ threshold) or not listed, as EarlyWarning.
func warningIndex(st Stage, risk, threshold float64) int {
	switch {
	case st == Churned:
		return warnChurned
	case st == Decline || risk >= threshold:
		return warnListed
	}
	return warnNotListed
}

// grid is one movement matrix under construction: states then (and
// StateNew) × states now (and StateGone), cell (f, t) at f·(n+1) + t.
type grid struct {
	n     int
	cells []Change
}

func newGrid(measure string, states []string) *grid {
	g := &grid{n: len(states)}
	from := append(slices.Clone(states), StateNew)
	to := append(slices.Clone(states), StateGone)
	for _, f := range from {
		for _, t := range to {
			g.cells = append(g.cells, Change{Measure: measure, From: f, To: t})
		}
	}
	return g
}

// add counts a customer from state index f to t (n = new / gone).
func (g *grid) add(f, t int, vp, vc float64) {
	c := &g.cells[f*(g.n+1)+t]
	c.Customers++
	c.ValuePrevious += vp
	c.ValueCurrent += vc
}

// rows returns the cells without the impossible (new) → (gone).
func (g *grid) rows() []Change { return g.cells[:len(g.cells)-1] }

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
	tierIndex := make(map[string]int, len(tiers))
	for k, t := range tiers {
		tierIndex[t] = k
	}
	prevTier := make([]int, prev.Len())
	for j, t := range prev.Tier {
		k, ok := tierIndex[t]
		if !ok {
			k = len(tiers)
			tierIndex[t] = k
			tiers = append(tiers, t)
		}
		prevTier[j] = k
	}
	sg, tg := newGrid("stage", stages), newGrid("tier", tiers)
	wg := newGrid("early_warning", []string{StateListed, StateNotListed, StateChurned})
	curRow := make(map[string]int, cur.Len())
	for i, id := range cur.IDs {
		curRow[id] = i
	}
	inPrev := make([]bool, cur.Len())
	for j, id := range prev.IDs {
		st, wp, vp := int(prev.Stage[j]), warningIndex(prev.Stage[j], prev.Risk[j], threshold), prev.CLV[j]
		c.ValuePrevious += vp
		i, ok := curRow[id]
		if !ok {
			c.Gone++
			sg.add(st, sg.n, vp, 0)
			tg.add(prevTier[j], tg.n, vp, 0)
			wg.add(wp, wg.n, vp, 0)
			continue
		}
		inPrev[i] = true
		c.Both++
		vc := cur.CLV[i]
		wc := warningIndex(cur.Stage[i], cur.Risk[i], threshold)
		sg.add(st, int(cur.Stage[i]), vp, vc)
		tg.add(prevTier[j], int(cur.Tier[i]), vp, vc)
		wg.add(wp, wc, vp, vc)
		switch {
		case wc == warnListed && wp != warnListed:
			c.NewWarnings++
		case wp == warnListed && wc == warnNotListed:
			c.Resolved++
		case wp == warnListed && wc == warnChurned:
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
		wc := warningIndex(cur.Stage[i], cur.Risk[i], threshold)
		if wc == warnListed {
			c.NewWarnings++
		}
		sg.add(sg.n, int(cur.Stage[i]), 0, vc)
		tg.add(tg.n, int(cur.Tier[i]), 0, vc)
		wg.add(wg.n, wc, 0, vc)
	}
	c.Rows = append(append(append(c.Rows, sg.rows()...), tg.rows()...), wg.rows()...)
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
