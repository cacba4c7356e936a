package report

import (
	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

// The tables of the segment views, shared by clv segment --summary and the
// report (one table builder per view).

// withDigits sets the decimals a terminal table or the report shows for c.
func withDigits(c render.Column, d int) render.Column {
	c.Digits = d
	return c
}

// MatrixTable is the stage × value-tier matrix, one row per cell.
func MatrixTable(v *clv.Views) *render.Table {
	n := len(v.Matrix)
	st, tier, act := make([]string, n), make([]string, n), make([]string, n)
	subs := make([]int64, n)
	rev, mean, total := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, m := range v.Matrix {
		st[i], tier[i], act[i], subs[i] = m.Stage, m.Tier, m.Action, int64(m.Subscribers)
		rev[i], mean[i], total[i] = m.Revenue, m.MeanCLV, m.TotalCLV
	}
	return &render.Table{Title: "stage x value tier", Columns: []render.Column{
		render.Strings("stage", st), render.Strings("value_tier", tier), render.Ints("subscribers", subs),
		withDigits(render.Floats("revenue", rev), 2), withDigits(render.Floats("mean_clv", mean), 2),
		withDigits(render.Floats("total_clv", total), 2), render.Strings("action", act),
	}}
}

// ConcentrationTable lists the concentration figures and key accounts.
// revenue is the total in the window; revenue_in_shares the total of the
// customers' positive revenue, which the shares and the Gini are of.
func ConcentrationTable(v *clv.Views) *render.Table {
	c := v.Concentration
	names := []string{"subscribers", "revenue", "top_1pct_share", "top_5pct_share", "top_20pct_share", "gini", "key_accounts", "key_account_share", "revenue_in_shares"}
	vals := []float64{float64(c.Customers), v.Revenue, c.TopShare[0], c.TopShare[1], c.TopShare[2], c.Gini, float64(v.Key.Accounts), v.Key.RevenueShare, c.Total}
	return &render.Table{Title: "concentration", Columns: []render.Column{
		render.Strings("metric", names), render.Floats("value", vals)}}
}

// LorenzTable lists every step-th Lorenz point.
func LorenzTable(v *clv.Views, step int) *render.Table {
	var x, y []float64
	for j, p := range v.Concentration.Lorenz {
		if j%step == 0 || j == len(v.Concentration.Lorenz)-1 {
			x = append(x, p[0])
			y = append(y, p[1])
		}
	}
	return &render.Table{Title: "lorenz", Columns: []render.Column{
		withDigits(render.Floats("subscriber_share", x), 2), withDigits(render.Floats("revenue_share", y), 4)}}
}

// ProfileTable is the profile of the segments by one attribute.
func ProfileTable(name string, gs []segment.Group) *render.Table {
	n := len(gs)
	val := make([]string, n)
	subs, key, dec, ch := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	rev, share, cur, clv := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, g := range gs {
		val[i] = g.Value
		subs[i], key[i], dec[i], ch[i] = int64(g.Customers), int64(g.KeyAccounts), int64(g.AtRisk), int64(g.Churned)
		rev[i], share[i], cur[i], clv[i] = g.Revenue, g.RevenueShare, g.MeanCurrent, g.MeanCLV
	}
	return &render.Table{Title: "profile by " + name, Columns: []render.Column{
		render.Strings(name, val), render.Ints("subscribers", subs), withDigits(render.Floats("revenue", rev), 2),
		withDigits(render.Floats("revenue_share", share), 4), withDigits(render.Floats("mean_current_value", cur), 2),
		withDigits(render.Floats("mean_clv", clv), 2), render.Ints("key_accounts", key),
		render.Ints("decline", dec), render.Ints("churned", ch),
	}}
}

// WarningTable is the early-warning list.
func WarningTable(v *clv.Views, withType bool) *render.Table {
	n := len(v.Warning)
	rank := make([]int64, n)
	id, st, tier, act, ct := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	clv, risk, var_, trend := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	rec := make([]int32, n)
	for i, w := range v.Warning {
		rank[i], id[i], st[i], tier[i], act[i], ct[i] = int64(w.Rank), w.ID, w.Stage, w.Tier, w.Action, w.CustomerType
		clv[i], risk[i], var_[i], trend[i], rec[i] = w.CLV, w.Risk, w.ValueAtRisk, w.Trend, w.RecencyDays
	}
	cols := []render.Column{
		render.Ints("rank", rank), render.Strings("customer_id", id), render.Strings("stage", st),
		render.Strings("value_tier", tier), withDigits(render.Floats("clv", clv), 2), withDigits(render.Floats("risk_score", risk), 3),
		withDigits(render.Floats("value_at_risk", var_), 2), render.Int32s("recency_days", rec),
		withDigits(render.Floats("spend_trend", trend), 3),
	}
	if withType {
		cols = append(cols, render.Strings("customer_type", ct))
	}
	cols = append(cols, render.Strings("action", act))
	return &render.Table{Title: "early warning", Columns: cols}
}
