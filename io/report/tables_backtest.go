package report

import (
	"fmt"

	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
)

// NamedEvaluation is one model's backtest evaluation (churn_model, heuristic, bgnbd).
type NamedEvaluation struct {
	Name       string
	Evaluation *hazard.Evaluation
}

// BacktestTables lays out a churn backtest (clv backtest and the report):
// metrics per model, churn rate and lift by score decile, the churn model's
// calibration by decile and its coefficients.
func BacktestTables(bt *hazard.BacktestResult, evals []NamedEvaluation) (metrics, deciles, calib, coefs *render.Table) {
	var name, model []string
	var subs, churned, decile, dsubs, dchurn []int64
	var rate, mean, auc, brier, r5, r10, r20 []float64
	var drate, lift, dmean, dmin, dmax []float64
	for _, ne := range evals {
		e := ne.Evaluation
		name = append(name, ne.Name)
		subs, churned = append(subs, int64(e.Subscribers)), append(churned, int64(e.Churned))
		rate, mean, auc, brier = append(rate, e.ChurnRate), append(mean, e.MeanScore), append(auc, e.AUC), append(brier, e.Brier)
		r5, r10, r20 = append(r5, e.Recall[0].Recall), append(r10, e.Recall[1].Recall), append(r20, e.Recall[2].Recall)
		for _, dc := range e.Deciles {
			model = append(model, ne.Name)
			decile, dsubs, dchurn = append(decile, int64(dc.Decile)), append(dsubs, int64(dc.Subscribers)), append(dchurn, int64(dc.Churned))
			drate, lift, dmean = append(drate, dc.ChurnRate), append(lift, dc.Lift), append(dmean, dc.MeanScore)
			dmin, dmax = append(dmin, dc.MinScore), append(dmax, dc.MaxScore)
		}
	}
	metrics = &render.Table{Title: "metrics", Columns: []render.Column{
		render.Strings("model", name), render.Ints("subscribers", subs), render.Ints("churned", churned),
		withDigits(render.Floats("churn_rate", rate), 4), withDigits(render.Floats("mean_score", mean), 4),
		withDigits(render.Floats("auc", auc), 4), withDigits(render.Floats("brier", brier), 4),
		withDigits(render.Floats("recall_top_5pct", r5), 4), withDigits(render.Floats("recall_top_10pct", r10), 4),
		withDigits(render.Floats("recall_top_20pct", r20), 4),
	}}
	deciles = &render.Table{Title: "deciles", Columns: []render.Column{
		render.Strings("model", model), render.Ints("decile", decile), render.Ints("subscribers", dsubs), render.Ints("churned", dchurn),
		withDigits(render.Floats("churn_rate", drate), 4), withDigits(render.Floats("lift", lift), 2),
		withDigits(render.Floats("mean_score", dmean), 4), withDigits(render.Floats("min_score", dmin), 4), withDigits(render.Floats("max_score", dmax), 4),
	}}
	e := bt.Evaluation
	n := len(e.Deciles)
	cd, cn := make([]int64, n), make([]int64, n)
	pred, obs, diff := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, dc := range e.Deciles {
		cd[k], cn[k] = int64(dc.Decile), int64(dc.Subscribers)
		pred[k], obs[k], diff[k] = dc.MeanScore, dc.ChurnRate, dc.ChurnRate-dc.MeanScore
	}
	calib = &render.Table{Title: "calibration", Columns: []render.Column{
		render.Ints("decile", cd), render.Ints("subscribers", cn), withDigits(render.Floats("mean_probability", pred), 4),
		withDigits(render.Floats("observed_rate", obs), 4), withDigits(render.Floats("observed_minus_predicted", diff), 4),
	}}
	var lag []int64
	var cname []string
	var coef, se []float64
	for k, g := range bt.Model.Lags {
		s := g.SE()
		for j, nm := range g.Names {
			lag, cname, coef = append(lag, int64(k+1)), append(cname, nm), append(coef, g.Coef[j])
			if s != nil {
				se = append(se, s[j])
			} else {
				se = append(se, 0)
			}
		}
	}
	coefs = &render.Table{Title: "coefficients", Columns: []render.Column{
		render.Ints("lag", lag), render.Strings("feature", cname), withDigits(render.Floats("coef", coef), 4), withDigits(render.Floats("se", se), 4),
	}}
	return metrics, deciles, calib, coefs
}

// BacktestChart is churn rate by score decile for every model.
func BacktestChart(evals []NamedEvaluation) *chart.BarChart {
	c := &chart.BarChart{Title: "Churn rate by score decile (1 = highest score)", XLabel: "decile", YLabel: "churn rate", YPercent: true}
	for k := 1; k <= 10; k++ {
		c.Labels = append(c.Labels, fmt.Sprint(k))
	}
	for _, ne := range evals {
		s := chart.Series{Name: ne.Name}
		for _, dc := range ne.Evaluation.Deciles {
			s.Y = append(s.Y, dc.ChurnRate)
		}
		c.Groups = append(c.Groups, s)
	}
	return c
}
