package report

import (
	"bytes"
	"fmt"
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
	sec := Section{Title: titleLifecycle}
	m, err := b.base.Lifecycle(lifecycle.Options{Scheme: lifecycle.Stages})
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: "The lifecycle chain could not be estimated: " + err.Error()})
		return sec, "not estimated"
	}
	p := b.panel.Period
	P := m.Fit.Chain.Matrix()
	churned := m.States[m.ChurnState]
	sec.Blocks = append(sec.Blocks, Paragraph(
		"Each subscriber is placed in a lifecycle stage in every complete %s (%d %ss, the same rules as the stage column of the segments), and the moves between consecutive %ss are counted. Row **from**, column **to**: the share of subscribers in a stage who are in each stage one %s later. The **%s** row is fixed as absorbing (lost for good, probability 1 of staying): the %s observed moves out of it (reactivations, or purchases after a lapse) are counted in n but not used for the probabilities.",
		p, m.Columns, p, p, p, churned, count(int(m.Returns))))
	var svg bytes.Buffer
	hm := &chart.Heatmap{Title: "Stage transitions per " + p.String() + " (" + churned + " absorbing)", Labels: m.States, Values: P, Counts: m.Fit.Counts}
	if err := hm.Write(&svg, "svg"); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: fmt.Sprintf("Transition probabilities between lifecycle stages (n = observed moves; the %s row is set absorbing, its %s observed returns are not used)", churned, count(int(m.Returns))), Alt: "heat map of stage transition probabilities", SVG: svg.Bytes()}})
	}
	ns := len(m.States)
	cols := make([]render.Column, 0, ns+2)
	cols = append(cols, render.Strings("from", m.States))
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
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: "Transition matrix", Columns: cols}})

	// State facts: current count, mean spend, expected periods to churn.
	ptc, sure, err := m.PeriodsToChurn()
	cur := make([]int64, ns)
	copy(cur, m.Current)
	toChurn := make([]string, ns)
	for i := range toChurn {
		switch {
		case err != nil:
			toChurn[i] = "n/a"
		case i == m.ChurnState:
			toChurn[i] = "—"
		case !sure[i] || math.IsInf(ptc[i], 0) || math.IsNaN(ptc[i]):
			toChurn[i] = "never certain"
		default:
			toChurn[i] = FormatFloat(ptc[i], 1)
		}
	}
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: "Stages", Columns: []render.Column{
		render.Strings("stage", m.States), render.Ints("subscribers_now", cur),
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
			lc := &chart.LineChart{Title: fmt.Sprintf("Stage mix of today's subscribers, next %d %ss", horizon, p),
				XLabel: p.String() + "s from now", YLabel: "share of subscribers", YPercent: true, YMin: 0, YMax: 1}
			t := make([]float64, horizon+1)
			for k := range t {
				t[k] = float64(k)
			}
			for i, name := range m.States {
				y := make([]float64, horizon+1)
				for k := range y {
					y[k] = fc[k][i]
				}
				lc.Series = append(lc.Series, chart.Series{Name: name, X: t, Y: y})
			}
			if svg, err := lc.SVG(); err == nil {
				sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: "Forecast stage mix if the transition probabilities stay as estimated", Alt: "line chart of the forecast share of subscribers per stage", SVG: svg}})
			}
			last := fc[horizon]
			sec.Blocks = append(sec.Blocks, Paragraph("If the estimated transition probabilities hold, %s of today's subscribers will be %s in %d %ss (%s now).",
				pct(last[m.ChurnState]), churned, horizon, p, pct(x0[m.ChurnState])))
			if x0[m.ChurnState] < 1 {
				markov := (last[m.ChurnState] - x0[m.ChurnState]) / (1 - x0[m.ChurnState])
				sec.Blocks = append(sec.Blocks, b.reconcile(markov, horizon))
			}
		}
	}
	note := fmt.Sprintf("%d stages estimated from %d complete %ss; transition probabilities are observed shares (maximum likelihood), except the %s row, fixed absorbing (%s observed returns not used)",
		ns, m.Columns, p, churned, count(int(m.Returns)))
	return sec, note
}

// reconcile sets the Markov share of today's not-churned subscribers who are
// churned after horizon periods beside the sBG figure for the same
// subscribers and horizon, and says why they differ.
func (b *builder) reconcile(markov float64, horizon int) Block {
	p := b.panel.Period
	ret, err := b.base.Retention()
	if err != nil || ret.Period != p {
		return Paragraph("Markov: %s of today's subscribers who are not churned will be churned within %d %ss.", pct(markov), horizon, p)
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
		return Paragraph("Markov: %s of today's subscribers who are not churned will be churned within %d %ss.", pct(markov), horizon, p)
	}
	return Paragraph("**Two views of churn.** Among today's active subscribers, the sBG retention model (%s) expects %s to churn in the next %s and %s within %d %ss; the Markov chain says %s of today's not-churned subscribers are churned within %d %ss. They measure different things: the chain's churned stage also holds subscribers who stopped buying for %d %ss without a churn date, and it gives every subscriber in a stage the same probabilities, while the sBG model follows recorded contract churn only and lets churn fall with tenure as the likely leavers go first. Read the sBG figure as contract churn and the Markov figure as lost activity.",
		"fitted "+groupWord(ret.By), pct(monthly/n), p, pct(lost/n), horizon, p, pct(markov), horizon, p, b.segs.Options.Rules.LapsePeriods, p)
}

func groupWord(by string) string {
	if by == "" {
		return "on the whole base"
	}
	return "per " + by
}
