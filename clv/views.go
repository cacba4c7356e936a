package clv

import (
	"fmt"

	"github.com/clvkit/clv/segment"
)

// MatrixCell is one stage × value-tier cell of the action matrix.
type MatrixCell struct {
	Stage       string  `json:"stage"`
	Tier        string  `json:"value_tier"`
	Subscribers int     `json:"subscribers"`
	Revenue     float64 `json:"revenue"`
	MeanCLV     float64 `json:"mean_clv"`
	TotalCLV    float64 `json:"total_clv"`
	Action      string  `json:"action"`
}

// KeyAccounts counts the key accounts and VIP levels.
type KeyAccounts struct {
	Accounts     int            `json:"accounts"`
	RevenueShare float64        `json:"revenue_share"`
	VIP          map[string]int `json:"vip_levels"`
}

// Warning is one row of the early-warning list.
type Warning struct {
	Rank         int     `json:"rank"`
	Row          int     `json:"-"`
	ID           string  `json:"customer_id"`
	Stage        string  `json:"stage"`
	Tier         string  `json:"value_tier"`
	CLV          float64 `json:"clv"`
	Risk         float64 `json:"risk_score"`
	ValueAtRisk  float64 `json:"value_at_risk"`
	RecencyDays  int32   `json:"recency_days"`
	Trend        float64 `json:"spend_trend"`
	CustomerType string  `json:"customer_type,omitempty"`
	Action       string  `json:"action"`
}

// Views are the aggregated views of the segments that segment --summary and
// the report show: one computation for both.
type Views struct {
	Matrix []MatrixCell
	// Revenue is the total spend in the window (refunds included).
	Revenue       float64
	Concentration segment.Concentration
	Key           KeyAccounts
	Profiles      map[string][]segment.Group
	ProfileBy     []string
	// Warning is the top of the early-warning list; WarningTotal the length
	// of the whole list.
	Warning      []Warning
	WarningTotal int
	Stages       [segment.NumStages]int
}

// ActionText is the action of a cell in words ("retain if value ≥ 100, else ...").
func ActionText(a *segment.Action) string {
	if a == nil {
		return ""
	}
	if a.MinValue > 0 {
		return fmt.Sprintf("%s if value ≥ %g, else %s", a.Name, a.MinValue, a.Otherwise)
	}
	return a.Name
}

// Views computes the aggregated views: the action matrix, concentration
// (Lorenz points at 1 % steps), key accounts and VIP levels, profiles by the
// columns profileBy, and the top early-warning rows.
func (s *Segments) Views(profileBy []string, top int) *Views {
	r := s.Result
	v := &Views{Profiles: map[string][]segment.Group{}, ProfileBy: profileBy}
	m := r.Matrix()
	for _, st := range segment.Stages {
		for t, name := range r.Tiers {
			c := m[st][t]
			action := ""
			if s.Options.Actions != nil {
				action = ActionText(s.Options.Actions.Cell(st, name))
			}
			v.Matrix = append(v.Matrix, MatrixCell{Stage: st.String(), Tier: name, Subscribers: c.Customers,
				Revenue: c.Revenue, MeanCLV: c.MeanCLV, TotalCLV: c.TotalCLV, Action: action})
		}
	}
	for _, x := range r.Revenue {
		v.Revenue += x
	}
	v.Concentration = segment.Concentrate(r.Revenue, 100)
	v.Key = KeyAccounts{RevenueShare: r.KeyRevenueShare, VIP: map[string]int{}}
	for i := range r.IDs {
		if r.Key[i] {
			v.Key.Accounts++
		}
		if r.VIP[i] > 0 {
			v.Key.VIP[fmt.Sprintf("vip%d", r.VIP[i])]++
		}
	}
	for _, name := range profileBy {
		v.Profiles[name] = r.Profile(s.Attrs[name])
	}
	ct := s.Attrs["customer_type"]
	all := r.EarlyWarning(s.Options.RiskThreshold, -1)
	v.WarningTotal = len(all)
	if top > 0 && len(all) > top {
		all = all[:top]
	}
	for k, i := range all {
		w := Warning{Rank: k + 1, Row: i, ID: r.IDs[i], Stage: r.Stage[i].String(), Tier: r.Tiers[r.Tier[i]],
			CLV: r.CLV[i], Risk: r.Risk[i], ValueAtRisk: r.ValueAtRisk[i], RecencyDays: r.RecencyDays[i],
			Trend: r.Trend[i], Action: r.Action[i]}
		if ct != nil {
			w.CustomerType = ct[i]
		}
		v.Warning = append(v.Warning, w)
	}
	v.Stages = r.StageCounts()
	return v
}
