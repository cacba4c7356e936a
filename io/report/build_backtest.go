package report

import (
	"fmt"

	"github.com/clvkit/clv/clv"
)

// backtestSection proves the early-warning probability: the churn model
// fitted at as-of − horizon and checked against the churn that followed,
// beside the old heuristic and BG/NBD P(alive) (the tables of clv backtest).
func (b *builder) backtestSection() Section {
	sec := Section{Title: titleBacktest}
	h := b.base.Options().RiskHorizon
	if b.segs.Hazard == nil {
		sec.Blocks = append(sec.Blocks, Block{Note: "The early warning uses the " + b.segs.RiskDescription + "; the churn-hazard model was not used, so there is no backtest of it."})
		return sec
	}
	bt, err := b.base.Backtest(clv.RiskOptions{Horizon: h})
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: "The backtest could not be run: " + err.Error()})
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
	sec.Blocks = append(sec.Blocks, Paragraph("The churn model behind the early warning was fitted again with the data up to %s only and scored there; the churn of the next %d %ss, (%s, %s], is then counted. AUC is the chance that a subscriber who churned was scored above one who did not (0.5 = guessing); Brier is the mean squared error of the probabilities. The same run is `clv backtest --horizon %d`. Baselines: heuristic = the recency-and-trend risk score, bgnbd = 1 − P(alive) of BG/NBD.",
		bt.Cutoff, h, p, bt.Cutoff, bt.AsOf, h))
	figs := []Figure{
		{Label: "AUC of the churn model", Value: fmt.Sprintf("%.3f", e.AUC), Detail: baselineAUC(bt)},
		{Label: "mean predicted probability", Value: pct(e.MeanScore), Detail: fmt.Sprintf("observed churn %s of %s subscribers", pct(e.ChurnRate), count(e.Subscribers))},
		{Label: "recall in the top 10%", Value: pct(e.Recall[1].Recall), Detail: "share of the churners in the riskiest tenth"},
	}
	sec.Blocks = append(sec.Blocks, Block{Figures: figs})
	metrics, _, calib, _ := BacktestTables(bt.BacktestResult, evals)
	metrics.Title = "Backtest by model"
	calib.Title = "Calibration of the churn model by decile (1 = highest probability)"
	sec.Blocks = append(sec.Blocks, Block{Table: metrics}, Block{Table: calib})
	if svg, err := BacktestChart(evals).SVG(); err == nil {
		sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: "Churn rate by score decile: the steeper the fall from decile 1, the better the ranking", Alt: "bar chart of churn rate by score decile per model", SVG: svg}})
	}
	return sec
}

func baselineAUC(bt *clv.Backtest) string {
	s := ""
	for _, bl := range bt.Baselines {
		if bl.Err != nil {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%s %.3f", bl.Name, bl.Evaluation.AUC)
	}
	return s
}
