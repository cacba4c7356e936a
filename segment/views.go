package segment

import (
	"cmp"
	"slices"
)

// Cell aggregates the customers of one stage × tier cell (or one group).
type Cell struct {
	Customers int
	Revenue   float64
	TotalCLV  float64
	MeanCLV   float64
}

func (c *Cell) add(revenue, clv float64) {
	c.Customers++
	c.Revenue += revenue
	c.TotalCLV += clv
}

func (c *Cell) finish() {
	if c.Customers > 0 {
		c.MeanCLV = c.TotalCLV / float64(c.Customers)
	}
}

// Matrix returns the stage × tier matrix: Matrix()[stage][tier].
func (r *Result) Matrix() [NumStages][]Cell {
	var m [NumStages][]Cell
	for s := range m {
		m[s] = make([]Cell, len(r.Tiers))
	}
	for i := range r.IDs {
		m[r.Stage[i]][r.Tier[i]].add(r.Revenue[i], r.CLV[i])
	}
	for s := range m {
		for t := range m[s] {
			m[s][t].finish()
		}
	}
	return m
}

// StageCounts returns the number of customers per stage.
func (r *Result) StageCounts() [NumStages]int {
	var c [NumStages]int
	for _, s := range r.Stage {
		c[s]++
	}
	return c
}

// Group is one row of a profile by an attribute.
type Group struct {
	Value string
	Cell
	RevenueShare float64
	MeanCurrent  float64
	KeyAccounts  int
	// AtRisk counts customers in decline; Churned those churned.
	AtRisk, Churned int
}

// Profile groups the customers by attr (one value per customer, in the
// result's order; "" shown as "(missing)"), ordered by revenue descending,
// ties by value.
func (r *Result) Profile(attr []string) []Group {
	idx := map[string]int{}
	var gs []Group
	var total float64
	for i := range r.IDs {
		v := attr[i]
		if v == "" {
			v = "(missing)"
		}
		k, ok := idx[v]
		if !ok {
			k = len(gs)
			idx[v] = k
			gs = append(gs, Group{Value: v})
		}
		g := &gs[k]
		g.add(r.Revenue[i], r.CLV[i])
		g.MeanCurrent += r.Current[i]
		total += r.Revenue[i]
		if r.Key[i] {
			g.KeyAccounts++
		}
		switch r.Stage[i] {
		case Decline:
			g.AtRisk++
		case Churned:
			g.Churned++
		}
	}
	for k := range gs {
		g := &gs[k]
		g.finish()
		g.MeanCurrent /= float64(g.Customers)
		if total > 0 {
			g.RevenueShare = g.Revenue / total
		}
	}
	slices.SortFunc(gs, func(a, b Group) int {
		if c := cmp.Compare(b.Revenue, a.Revenue); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return gs
}

// EarlyWarning returns the customers a retention team should call first:
// not churned, and in decline or with risk ≥ threshold, ranked by value at
// risk descending (ties by id). At most top rows are returned (all when
// top ≤ 0).
func (r *Result) EarlyWarning(threshold float64, top int) []int {
	var list []int
	for i := range r.IDs {
		if r.Stage[i] == Churned {
			continue
		}
		if r.Stage[i] == Decline || r.Risk[i] >= threshold {
			list = append(list, i)
		}
	}
	slices.SortFunc(list, func(a, b int) int {
		if c := cmp.Compare(r.ValueAtRisk[b], r.ValueAtRisk[a]); c != 0 {
			return c
		}
		return cmp.Compare(r.IDs[a], r.IDs[b])
	})
	if top > 0 && len(list) > top {
		list = list[:top]
	}
	return list
}
