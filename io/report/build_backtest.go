package report

import (
	"fmt"

	"github.com/clvkit/clv/clv"
)

// backtestSection proves the early-warning probability: the churn model
// fitted at as-of − horizon and checked against the churn that followed,
// beside the old heuristic and BG/NBD P(alive) (the tables of clv backtest).
func (b *builder) backtestSection() Section {
	sec := b.section(titleBacktest)
	h := b.base.Options().RiskHorizon
	if b.segs.Hazard == nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("backtest.none", b.riskDescription())})
		return sec
	}
	bt, err := b.base.Backtest(clv.RiskOptions{Horizon: h})
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("backtest.error", err.Error())})
		return sec
	}
	evals := []NamedEvaluation{{Name: "churn_model", Evaluation: bt.Evaluation}}
	for _, bl := range bt.Baselines {
		if bl.Err == nil {
			evals = append(evals, NamedEvaluation{Name: bl.Name, Evaluation: bl.Evaluation})
		}
	}
	e := bt.Evaluation
	p := b.panel.Period
	sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("backtest.intro", bt.Cutoff, h, b.units(p.String()), bt.AsOf)})
	figs := []Figure{
		{Label: b.l.T("backtest.fig.auc"), Value: fmt.Sprintf("%.3f", e.AUC), Detail: b.baselineAUC(bt)},
		{Label: b.l.T("backtest.fig.mean"), Value: pct(e.MeanScore), Detail: b.l.T("backtest.fig.mean.detail", pct(e.ChurnRate), b.count(e.Subscribers))},
		{Label: b.l.T("backtest.fig.recall"), Value: pct(e.Recall[1].Recall), Detail: b.l.T("backtest.fig.recall.detail")},
	}
	sec.Blocks = append(sec.Blocks, Block{Figures: figs})
	metrics, _, calib, _ := BacktestTables(bt.BacktestResult, evals)
	metrics = localize(metrics, b.l)
	metrics.Title = b.l.T("backtest.metrics")
	calib.Title = b.l.T("backtest.calib")
	sec.Blocks = append(sec.Blocks, Block{Table: metrics}, Block{Table: calib})
	bc := BacktestChart(evals)
	if b.l.Chinese() {
		bc.Title, bc.XLabel, bc.YLabel = b.l.T("backtest.chart"), b.l.T("backtest.chart.x"), b.l.T("backtest.chart.y")
		for i := range bc.Groups {
			bc.Groups[i].Name = b.l.Label("model", bc.Groups[i].Name)
		}
	}
	if svg, err := bc.SVG(); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: b.l.T("backtest.chart.caption"), Alt: b.l.T("backtest.chart.alt"), SVG: svg}})
	}
	return sec
}

func (b *builder) baselineAUC(bt *clv.Backtest) string {
	s := ""
	for _, bl := range bt.Baselines {
		if bl.Err != nil {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%s %.3f", b.l.Label("model", bl.Name), bl.Evaluation.AUC)
	}
	return s
}
