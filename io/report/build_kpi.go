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
	sec := Section{Title: titleKPI}
	if !b.base.HasSubscribers() {
		sec.Blocks = append(sec.Blocks, Block{Note: "No subscriber export (-s): base movement and cohorts need activation and churn dates."})
		return sec
	}
	p := b.panel.Period
	t, err := b.base.KPI(p, nil)
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: "The base movement could not be computed: " + err.Error()})
		return sec
	}
	withRevenue := b.base.Tx.Len() > 0
	sec.Blocks = append(sec.Blocks, Paragraph("Per calendar %s: the base at its first day (activated before it, churn date empty or on/after it), gross adds (activated in it), churners (churn date — the first day without service — in it), the base at its end, churn rate = churners ÷ average base, ARPU = revenue ÷ average base. The same table is `clv kpi`.", p))
	if t.Skipped > 0 {
		sec.Blocks = append(sec.Blocks, Paragraph("The %s %ss from %s are left out: they are before the observation start %s of the subscriber export, whose subscribers who churned then are not in it.", count(t.Skipped), p, t.SkippedFirst, b.base.Truncation().From))
	}
	if c, err := t.Changes(""); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Figures: kpiFigures(c, p.String(), withRevenue)})
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
	tab.Title = fmt.Sprintf("Base movement, last %d %ss", len(rows), p)
	sec.Blocks = append(sec.Blocks, Block{Table: tab})
	if charts, err := chart.KPITrend(t, "", withRevenue); err == nil {
		for _, c := range charts {
			if svg, err := c.SVG(); err == nil {
				sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: c.Title, Alt: c.Title, SVG: svg}})
			}
		}
	}
	// Cohort retention heat map.
	coh, err := b.base.Cohorts(p, nil)
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: "The cohort table could not be computed: " + err.Error()})
		return sec
	}
	m, err := coh.Pivot(kpi.MetricRetention)
	if err != nil || len(m.Values) == 0 {
		return sec
	}
	var svg bytes.Buffer
	h := chart.Cohort(m, fmt.Sprintf("Share of each activation cohort still in service after k %ss", p))
	if err := h.Write(&svg, "svg"); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: fmt.Sprintf("Cohort retention (rows: activation %s; columns: whole %ss since activation; blank: not yet observed). The same cells are `clv cohort --format wide`", p, p), Alt: "heat map of cohort retention", SVG: svg.Bytes()}})
	}
	return sec
}

// kpiFigures are the latest period's churn rate and ARPU with their changes
// on the period and on the year.
func kpiFigures(c *kpi.Change, per string, withRevenue bool) []Figure {
	y, mo, _ := c.Period.Date()
	label := fmt.Sprintf("%d-%02d", y, mo)
	if c.Partial {
		label += " (partial)"
	}
	change := func(now, prev float64, ok bool, word string, asPoints bool) string {
		if !ok {
			return ""
		}
		if asPoints {
			return fmt.Sprintf("%+.2f points on the %s", 100*(now-prev), word)
		}
		if prev == 0 {
			return ""
		}
		return fmt.Sprintf("%+.1f%% on the %s", 100*(now/prev-1), word)
	}
	join := func(a, b string) string {
		switch {
		case a == "":
			return b
		case b == "":
			return a
		}
		return a + "; " + b
	}
	l := c.Latest
	figs := []Figure{
		{Label: "subscribers in network", Value: FormatInt(l.ClosingBase), Detail: fmt.Sprintf("end of %s; net adds %+d", label, l.NetAdds)},
		{Label: "churn rate per " + per, Value: FormatFloat(100*l.ChurnRate, 2) + "%",
			Detail: join(change(l.ChurnRate, c.Previous.ChurnRate, c.HasPrevious, per, true), change(l.ChurnRate, c.YearAgo.ChurnRate, c.HasYearAgo, "year", true))},
	}
	if withRevenue && !math.IsNaN(l.ARPU) {
		figs = append(figs, Figure{Label: "ARPU per " + per, Value: FormatFloat(l.ARPU, 2),
			Detail: join(change(l.ARPU, c.Previous.ARPU, c.HasPrevious, per, false), change(l.ARPU, c.YearAgo.ARPU, c.HasYearAgo, "year", false))})
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
	for _, f := range kpiFigures(c, b.panel.Period.String(), b.base.Tx.Len() > 0)[1:] {
		s := f.Label + " " + f.Value
		if f.Detail != "" {
			s += " (" + f.Detail + ")"
		}
		parts = append(parts, s)
	}
	y, m, _ := c.Period.Date()
	return fmt.Sprintf("- **Operating view, %d-%02d:** %s; %s subscribers in network (see %s).", y, m, strings.Join(parts, "; "), FormatInt(c.Latest.ClosingBase), b.ref(titleKPI))
}
