package report

import (
	"bytes"
	"math"

	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment/lifecycle"
)

// lifecycleSection shows the Markov chain of lifecycle stages (the chain of
// clv markov --states lifecycle), the stage-mix forecast, and how its churn
// compares with the sBG retention model. A chain that cannot be estimated
// leaves a note instead of failing the report.
func (b *builder) lifecycleSection(horizon int) (Section, string) {
	sec := b.section(titleLifecycle)
	m, err := b.base.Lifecycle(lifecycle.Options{Scheme: lifecycle.Stages})
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("life.error", err.Error())})
		return sec, b.l.T("life.notestimated")
	}
	p := b.panel.Period
	u, us := b.unit(p.String()), b.units(p.String())
	P := m.Fit.Chain.Matrix()
	states := labels(b.l, "stage", m.States)
	churned := states[m.ChurnState]
	sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("life.intro", u, m.Columns, us, churned, b.count(int(m.Returns)))})
	var svg bytes.Buffer
	hm := &chart.Heatmap{Title: b.l.T("life.heatmap", u, churned), Labels: states, Values: P, Counts: m.Fit.Counts,
		XLabel: b.l.T("life.heatmap.to"), YLabel: b.l.T("life.heatmap.from")}
	if err := hm.Write(&svg, "svg"); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: b.l.T("life.heatmap.caption", churned, b.count(int(m.Returns))), Alt: b.l.T("life.heatmap.alt"), SVG: svg.Bytes()}})
	}
	ns := len(m.States)
	cols := make([]render.Column, 0, ns+2)
	cols = append(cols, render.Strings("from", states))
	for j, to := range m.States {
		c := make([]float64, ns)
		for i := range c {
			c[i] = P[i][j]
		}
		col := render.Floats(to, c)
		col.Digits = 3
		cols = append(cols, col)
	}
	cols = append(cols, render.Ints("observed_moves", m.Fit.Totals))
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: b.l.T("life.matrix"), Columns: cols}})

	// State facts: current count, mean spend, expected periods to churn.
	ptc, sure, err := m.PeriodsToChurn()
	cur := make([]int64, ns)
	copy(cur, m.Current)
	toChurn := make([]string, ns)
	for i := range toChurn {
		switch {
		case err != nil:
			toChurn[i] = b.l.T("life.na")
		case i == m.ChurnState:
			toChurn[i] = "—"
		case !sure[i] || math.IsInf(ptc[i], 0) || math.IsNaN(ptc[i]):
			toChurn[i] = b.l.T("life.never")
		default:
			toChurn[i] = FormatFloat(ptc[i], 1)
		}
	}
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: b.l.T("life.stages"), Columns: []render.Column{
		render.Strings("stage", states), render.Ints("subscribers_now", cur),
		digits(render.Floats("mean_spend_per_period", m.MeanSpend), 2),
		render.Strings("expected_periods_to_churn", toChurn),
	}}})

	// Stage-mix forecast from today's distribution.
	x0 := make([]float64, ns)
	var total float64
	for i, c := range m.Current {
		x0[i] = float64(c)
		total += float64(c)
	}
	if total > 0 {
		for i := range x0 {
			x0[i] /= total
		}
		if fc, err := m.Fit.Chain.Forecast(x0, horizon); err == nil {
			lc := &chart.LineChart{Title: b.l.T("life.forecast", horizon, us),
				XLabel: b.l.T("life.forecast.x", us, u), YLabel: b.l.T("life.forecast.y"), YPercent: true, YMin: 0, YMax: 1}
			t := make([]float64, horizon+1)
			for k := range t {
				t[k] = float64(k)
			}
			for i, name := range states {
				y := make([]float64, horizon+1)
				for k := range y {
					y[k] = fc[k][i]
				}
				lc.Series = append(lc.Series, chart.Series{Name: name, X: t, Y: y})
			}
			if svg, err := lc.SVG(); err == nil {
				sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: b.l.T("life.forecast.caption"), Alt: b.l.T("life.forecast.alt"), SVG: svg}})
			}
			last := fc[horizon]
			sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("life.forecast.text",
				pct(last[m.ChurnState]), churned, horizon, us, pct(x0[m.ChurnState]))})
			if x0[m.ChurnState] < 1 {
				markov := (last[m.ChurnState] - x0[m.ChurnState]) / (1 - x0[m.ChurnState])
				sec.Blocks = append(sec.Blocks, b.reconcile(markov, horizon))
			}
		}
	}
	note := b.l.T("life.note", ns, m.Columns, us, churned, b.count(int(m.Returns)))
	return sec, note
}

// reconcile sets the Markov share of today's not-churned subscribers who are
// churned after horizon periods beside the sBG figure for the same
// subscribers and horizon, and says why they differ.
func (b *builder) reconcile(markov float64, horizon int) Block {
	p := b.panel.Period
	u, us := b.unit(p.String()), b.units(p.String())
	ret, err := b.base.Retention()
	if err != nil || ret.Period != p {
		return Block{Text: b.l.T("life.markov", pct(markov), horizon, us)}
	}
	// sBG: 1 − S(n + h)/S(n) per active subscriber under its group's model.
	var lost, n float64
	var monthly float64
	for gi := range ret.Groups {
		g := &ret.Groups[gi]
		if g.Model == nil {
			continue
		}
		for _, i := range g.Rows {
			if ret.Tenures.Status[i] != retention.Active {
				continue
			}
			c := ret.Tenures.Completed(i)
			s := 1.0
			for t := 1; t <= horizon; t++ {
				s *= g.Model.Retention(c + t)
			}
			lost += 1 - s
			monthly += 1 - g.Model.Retention(c+1)
			n++
		}
	}
	if n == 0 {
		return Block{Text: b.l.T("life.markov", pct(markov), horizon, us)}
	}
	fitted := b.l.T("life.fitted.pool")
	if ret.By != "" {
		fitted = b.l.T("life.fitted.by", b.attr(ret.By))
	}
	return Block{Text: b.l.T("life.twoviews", fitted, pct(monthly/n), u, pct(lost/n), horizon, us, pct(markov), b.segs.Options.Rules.LapsePeriods)}
}
