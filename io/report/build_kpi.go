package report

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/clvkit/clv/clv/kpi"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
)

// kpiSection shows the operating view: monthly base movement and ARPU (the
// table of clv kpi), its trend charts, and the cohort retention heat map (clv
// cohort --metric retention).
func (b *builder) kpiSection() Section {
	sec := b.section(titleKPI)
	if !b.base.HasSubscribers() {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("kpi.nosubs")})
		return sec
	}
	p := b.panel.Period
	t, err := b.base.KPI(p, nil)
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("kpi.error", err.Error())})
		return sec
	}
	withRevenue := b.base.Tx.Len() > 0
	u, us := b.unit(p.String()), b.units(p.String())
	sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("kpi.intro", u)})
	if t.Skipped > 0 {
		sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("kpi.skipped", b.count(t.Skipped), us, t.SkippedFirst, b.base.Truncation().From)})
	}
	if c, err := t.Changes(""); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Figures: b.kpiFigures(c, p.String(), withRevenue)})
	}
	// The last 12 periods as a table.
	rows := t.Rows
	if n := len(rows); n > 12 {
		rows = rows[n-12:]
	}
	last := &kpi.Table{Options: t.Options, Rows: rows, Periods: len(rows)}
	tab := render.MovementTable(last, withRevenue)
	// The report keeps the columns a reader scans; clv kpi has them all.
	keep := map[string]bool{"period": true, "opening_base": true, "gross_adds": true, "churners": true, "net_adds": true,
		"closing_base": true, "churn_rate": true, "revenue": true, "arpu": true}
	cols := tab.Columns[:0]
	for _, c := range tab.Columns {
		if keep[c.Name] {
			cols = append(cols, c)
		}
	}
	tab.Columns = cols
	tab.Title = b.l.T("kpi.table", len(rows), us)
	sec.Blocks = append(sec.Blocks, Block{Table: tab})
	if charts, err := chart.KPITrendIn(t, "", withRevenue, b.l); err == nil {
		for _, c := range charts {
			if svg, err := c.SVG(); err == nil {
				sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: c.Title, Alt: c.Title, SVG: svg}})
			}
		}
	}
	// Cohort retention heat map.
	coh, err := b.base.Cohorts(p, nil)
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("kpi.cohort.error", err.Error())})
		return sec
	}
	m, err := coh.Pivot(kpi.MetricRetention)
	if err != nil || len(m.Values) == 0 {
		return sec
	}
	var svg bytes.Buffer
	h := chart.CohortIn(m, b.l.T("kpi.cohort.title", us), b.l)
	if err := h.Write(&svg, "svg"); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: b.l.T("kpi.cohort.caption", u, us), Alt: b.l.T("kpi.cohort.alt"), SVG: svg.Bytes()}})
	}
	return sec
}

// kpiFigures are the latest period's churn rate and ARPU with their changes
// on the period and on the year.
func (b *builder) kpiFigures(c *kpi.Change, per string, withRevenue bool) []Figure {
	l := b.l
	y, mo, _ := c.Period.Date()
	label := fmt.Sprintf("%d-%02d", y, mo)
	if c.Partial {
		label += l.T("kpi.partial")
	}
	change := func(now, prev float64, ok bool, word string, asPoints bool) string {
		if !ok {
			return ""
		}
		if asPoints {
			return l.T("kpi.change.points", 100*(now-prev), word)
		}
		if prev == 0 {
			return ""
		}
		return l.T("kpi.change.pct", 100*(now/prev-1), word)
	}
	join := func(a, b string) string {
		switch {
		case a == "":
			return b
		case b == "":
			return a
		}
		return a + l.T("kpi.join") + b
	}
	last := c.Latest
	u, year := b.unit(per), b.unit("year")
	figs := []Figure{
		{Label: l.T("kpi.fig.base"), Value: b.count64(last.ClosingBase), Detail: l.T("kpi.fig.base.detail", label, last.NetAdds)},
		{Label: l.T("kpi.fig.churn", u), Value: FormatFloat(100*last.ChurnRate, 2) + "%",
			Detail: join(change(last.ChurnRate, c.Previous.ChurnRate, c.HasPrevious, u, true), change(last.ChurnRate, c.YearAgo.ChurnRate, c.HasYearAgo, year, true))},
	}
	if withRevenue && !math.IsNaN(last.ARPU) {
		figs = append(figs, Figure{Label: l.T("kpi.fig.arpu", u), Value: FormatFloat(last.ARPU, 2),
			Detail: join(change(last.ARPU, c.Previous.ARPU, c.HasPrevious, u, false), change(last.ARPU, c.YearAgo.ARPU, c.HasYearAgo, year, false))})
	}
	return figs
}

// kpiLine is the summary's sentence on the latest period: churn rate and
// ARPU with their changes on the period and on the year.
func (b *builder) kpiLine() string {
	if !b.base.HasSubscribers() {
		return ""
	}
	t, err := b.base.KPI(b.panel.Period, nil)
	if err != nil {
		return ""
	}
	c, err := t.Changes("")
	if err != nil {
		return ""
	}
	var parts []string
	for _, f := range b.kpiFigures(c, b.panel.Period.String(), b.base.Tx.Len() > 0)[1:] {
		s := b.l.T("kpi.line.part", f.Label, f.Value)
		if f.Detail != "" {
			s += b.l.T("kpi.line.detail", f.Detail)
		}
		parts = append(parts, s)
	}
	y, m, _ := c.Period.Date()
	return b.l.T("kpi.line", y, m, strings.Join(parts, b.l.T("kpi.join")), b.count64(c.Latest.ClosingBase), b.ref(titleKPI))
}
