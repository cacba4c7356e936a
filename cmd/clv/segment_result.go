package main

import (
	"fmt"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/io/report"
	"github.com/clvkit/clv/segment"
)

// segmentMeta is the metadata every clv segment result carries.
func segmentMeta(r *render.Result, s *clv.Segments) {
	r.Add("as_of", s.Result.AsOf).Add("calendar_period", s.Result.Period.String()).Add("subscribers", s.Result.Len()).
		Add("value_description", s.Description).Add("future_value", s.BaseValue)
}

// segmentResult is the per-subscriber result of clv segment.
func segmentResult(s *clv.Segments, t *render.Table) *render.Result {
	r := &render.Result{Name: "segment", Title: fmt.Sprintf("Segments as of %s", s.Result.AsOf), Main: "subscribers",
		Tables: []*render.Table{t}}
	segmentMeta(r, s)
	return r
}

// segmentSummaryResult is clv segment --summary: the stage × tier matrix
// (main), stage counts, concentration, Lorenz curve, profiles (one long
// table: attribute, value, ...) and the early-warning list.
func segmentSummaryResult(s *clv.Segments, v *clv.Views, top int) *render.Result {
	res := s.Result
	_, withType := s.Attrs["customer_type"]
	r := &render.Result{Name: "segment", Main: "matrix",
		Title: fmt.Sprintf("Segments as of %s (%d subscribers, per %s)", res.AsOf, res.Len(), res.Period)}
	segmentMeta(r, s)
	r.Add("revenue", v.Revenue).Add("key_accounts", v.Key.Accounts).Add("key_account_share", v.Key.RevenueShare).
		Add("early_warning_total", v.WarningTotal)
	named := func(t *render.Table, name, title string) *render.Table {
		t.Name, t.Title = name, title
		return t
	}
	r.AddTable(named(report.MatrixTable(v), "matrix", "Stage x value tier"))
	stages := make([]string, len(segment.Stages))
	counts := make([]int64, len(segment.Stages))
	for i, st := range segment.Stages {
		stages[i], counts[i] = st.String(), int64(v.Stages[st])
	}
	r.AddTable(&render.Table{Name: "stages", Title: "Subscribers per lifecycle stage", Columns: []render.Column{
		render.Strings("stage", stages), render.Ints("subscribers", counts)}})
	vipNames := make([]string, 0, len(v.Key.VIP))
	for lvl := 1; lvl <= 9; lvl++ {
		if _, ok := v.Key.VIP[fmt.Sprintf("vip%d", lvl)]; ok {
			vipNames = append(vipNames, fmt.Sprintf("vip%d", lvl))
		}
	}
	vipCounts := make([]int64, len(vipNames))
	for i, n := range vipNames {
		vipCounts[i] = int64(v.Key.VIP[n])
	}
	r.AddTable(&render.Table{Name: "vip_levels", Title: "Key accounts per VIP level", Columns: []render.Column{
		render.Strings("vip_level", vipNames), render.Ints("subscribers", vipCounts)}})
	conc := named(report.ConcentrationTable(v), "concentration", "Concentration")
	conc.Columns[0].Name, conc.Columns[1].Name = "indicator", "figure"
	r.AddTable(conc)
	r.AddTable(named(report.LorenzTable(v, 1), "lorenz", "Lorenz curve"))
	r.AddTable(profilesTable(v))
	r.AddTable(named(report.WarningTable(v, withType), "early_warning", fmt.Sprintf("Early warning (top %d by value at risk)", top)))
	return r
}

// profilesTable lays the profiles by every --by attribute out long.
func profilesTable(v *clv.Views) *render.Table {
	var attr, val []string
	var subs, key, dec, ch []int64
	var rev, share, cur, mclv []float64
	for _, name := range v.ProfileBy {
		for _, g := range v.Profiles[name] {
			attr, val = append(attr, name), append(val, g.Value)
			subs, key = append(subs, int64(g.Customers)), append(key, int64(g.KeyAccounts))
			dec, ch = append(dec, int64(g.AtRisk)), append(ch, int64(g.Churned))
			rev, share = append(rev, g.Revenue), append(share, g.RevenueShare)
			cur, mclv = append(cur, g.MeanCurrent), append(mclv, g.MeanCLV)
		}
	}
	return &render.Table{Name: "profiles", Title: "Profiles by attribute", Columns: []render.Column{
		render.Strings("attribute", attr), render.Strings("attribute_value", val), render.Ints("subscribers", subs),
		render.Floats("revenue", rev).WithDigits(2), render.Floats("revenue_share", share).WithDigits(4),
		render.Floats("mean_current_value", cur).WithDigits(2), render.Floats("mean_clv", mclv).WithDigits(2),
		render.Ints("key_accounts", key), render.Ints("decline", dec), render.Ints("churned", ch),
	}}
}

// withTables appends extra tables (the campaign tables of clv segment:
// changes with --previous, groups with a group column) to r; a table
// without a machine name is named by its title.
func withTables(r *render.Result, extra []*render.Table) *render.Result {
	for _, t := range extra {
		if t.Name == "" {
			t.Name = t.Title
		}
		r.AddTable(t)
	}
	return r
}
