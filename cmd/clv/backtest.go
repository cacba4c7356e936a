package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/io/report"
	"github.com/clvkit/clv/segment"
)

func init() {
	register(newBacktestCmd)
}

const backtestLong = `Check the churn model against what happened.

With --as-of D and --horizon H, the churn model of 'clv risk' is fitted and
scored with the data up to D - H periods only (transactions, activations and
churn dates after it are not read), and its probabilities are compared with the
churn observed in (D - H, D] among the subscribers in service at D - H. Two
baselines are scored on the same subscribers at the same cutoff:

  heuristic   risk_score of 'clv segment' (mean of recency and trend risk)
  bgnbd       1 - P(alive) of a BG/NBD model fitted at the cutoff

Tables (--format json holds them all; csv and markdown print them in turn):

  metrics      per model: subscribers, churned, churn_rate, mean_score, auc,
               brier, recall_top_5pct, recall_top_10pct, recall_top_20pct
  deciles      per model and score decile (1 = highest): subscribers, churned,
               churn_rate, lift, mean_score, min_score, max_score
  calibration  churn model by decile: mean predicted probability vs observed rate
  coefficients churn model, per lag: coefficient and standard error on
               standardised columns

AUC is the probability that a churner scores above a stayer; Brier is the mean
squared error of the score as a probability; recall at the top x% is the share of
churners among the x% highest scores. --chart FILE.svg draws churn rate by decile.`

func newBacktestCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var rf riskFlags
	var chart string
	cmd := &cobra.Command{
		Use:   "backtest -t TRANSACTIONS -s SUBSCRIBERS [--as-of D] --horizon H",
		Short: "Fit the churn model at D - H and check it against churn in (D - H, D], with baselines",
		Long:  backtestLong,
		Example: "  clv backtest -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --as-of 2024-12-31 --horizon 3\n" +
			"  clv backtest -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --horizon 3 --format markdown --chart lift.svg",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if chart != "" {
				if f, err := chartFormat(chart); err != nil {
					return err
				} else if f != "svg" {
					return usagef("--chart %q: the backtest chart is written as SVG (name it .svg)", chart)
				}
			}
			l, asOf, period, err := a.riskInputs(&in, &tf)
			if err != nil {
				return err
			}
			opt, err := rf.options(period, asOf)
			if err != nil {
				return err
			}
			opt.Context = a.ctx
			d := hazard.Data{Tx: l.tx, Subs: l.subs, SubOf: l.subOf}
			bt, err := hazard.Backtest(d, opt)
			if err != nil {
				return err
			}
			a.notef("backtest: fitted and scored at %s, churn observed in (%s, %s]: %d of %d subscribers", bt.Cutoff, bt.Cutoff, bt.AsOf, bt.Evaluation.Churned, bt.Evaluation.Subscribers)
			evals := []namedEval{{"churn_model", bt.Evaluation}}
			for _, b := range a.baselines(l, bt, period) {
				evals = append(evals, b)
			}
			if chart != "" {
				if err := a.drawBacktestChart(chart, evals); err != nil {
					return err
				}
			}
			return a.writeDoc(backtestDoc(bt, evals))
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addRiskFlags(cmd, &rf, false)
	cmd.Flags().StringVar(&chart, "chart", "", "write churn rate by score decile of every model to `FILE` (.svg)")
	return cmd
}

type namedEval struct {
	name string
	e    *hazard.Evaluation
}

// baselines scores the backtest's subscribers at its cutoff with the segment
// heuristic and with BG/NBD 1 − P(alive). A baseline that cannot be computed
// is left out with a note.
func (a *app) baselines(l *loaded, bt *hazard.BacktestResult, period dataset.Period) []namedEval {
	cut := bt.Cutoff
	sum, err := dataset.Summarize(l.tx, dataset.SummaryOptions{AsOf: cut, Unit: dataset.UnitMonth, Subscribers: l.subs, SubOf: l.subOf})
	if err != nil {
		a.notef("baselines left out: %v", err)
		return nil
	}
	// Summary row of each subscriber row.
	rowOf := make([]int, l.subs.Len())
	for i := range rowOf {
		rowOf[i] = -1
	}
	for i, c := range sum.Index {
		if r := l.subOf[c]; r >= 0 {
			rowOf[r] = i
		}
	}
	var out []namedEval
	score := func(name string, v []float64) {
		s := make([]float64, len(bt.Scores.Rows))
		for j, r := range bt.Scores.Rows {
			i := rowOf[r]
			if i < 0 {
				a.notef("baseline %s left out: subscriber %s has no summary row at %s", name, l.subs.ID[r], cut)
				return
			}
			s[j] = v[i]
		}
		e, err := hazard.Evaluate(s, bt.Churned)
		if err != nil {
			a.notef("baseline %s left out: %v", name, err)
			return
		}
		out = append(out, namedEval{name, e})
	}
	first, _ := l.tx.DayRange()
	panel, err := dataset.BuildPanel(l.tx, dataset.PanelOptions{Period: period, AsOf: cut, From: first})
	if err == nil {
		churn := make([]dataset.Day, sum.Len())
		for i, c := range sum.Index {
			churn[i] = dataset.NoDay
			if r := l.subOf[c]; r >= 0 && l.subs.Churn[r] != dataset.NoDay && l.subs.Churn[r] <= cut {
				churn[i] = l.subs.Churn[r]
			}
		}
		var res *segment.Result
		if res, err = segment.Build(segment.Input{Summary: sum, Panel: panel, Churn: churn}, segment.DefaultOptions()); err == nil {
			score("heuristic", res.Risk)
		}
	}
	if err != nil {
		a.notef("baseline heuristic left out: %v", err)
	}
	x := make([]float64, sum.Len())
	for i, v := range sum.X {
		x[i] = float64(v)
	}
	fit, err := btyd.FitBGNBD(x, sum.Tx, sum.T, nil, btyd.Options{})
	var pred *btyd.Prediction
	if err == nil {
		var counter btyd.Counter
		if counter, err = fit.Counter(); err == nil {
			pred, err = btyd.Predict(counter, x, sum.Tx, sum.T, nil, btyd.PredictOptions{Horizon: float64(bt.Model.Options.Horizon * period.Months())})
		}
	}
	if err != nil {
		a.notef("baseline bgnbd left out: %v", err)
		return out
	}
	risk := make([]float64, len(pred.PAlive))
	for i, p := range pred.PAlive {
		risk[i] = 1 - p
	}
	score("bgnbd", risk)
	return out
}

// backtestJSON is the JSON form of clv backtest.
type backtestJSON struct {
	Cutoff  string                        `json:"cutoff"`
	AsOf    string                        `json:"as_of"`
	Horizon int                           `json:"horizon"`
	Period  string                        `json:"period"`
	Models  map[string]*hazard.Evaluation `json:"models"`
	Lags    []lagJSON                     `json:"coefficients"`
}

type lagJSON struct {
	Lag    int       `json:"lag"`
	Rows   int       `json:"rows"`
	Events int       `json:"events"`
	Names  []string  `json:"names"`
	Coef   []float64 `json:"coef"`
	SE     []float64 `json:"se"`
}

// backtestDoc lays out the backtest tables.
func backtestDoc(bt *hazard.BacktestResult, evals []namedEval) (*render.Doc, backtestJSON) {
	o := bt.Model.Options
	js := backtestJSON{Cutoff: bt.Cutoff.String(), AsOf: bt.AsOf.String(), Horizon: o.Horizon, Period: o.Period.String(), Models: map[string]*hazard.Evaluation{}}
	var name, model []string
	var subs, churned, decile, dsubs, dchurn []int64
	var rate, mean, auc, brier, r5, r10, r20 []float64
	var drate, lift, dmean, dmin, dmax []float64
	for _, ne := range evals {
		e := ne.e
		js.Models[ne.name] = e
		name = append(name, ne.name)
		subs, churned = append(subs, int64(e.Subscribers)), append(churned, int64(e.Churned))
		rate, mean, auc, brier = append(rate, e.ChurnRate), append(mean, e.MeanScore), append(auc, e.AUC), append(brier, e.Brier)
		r5, r10, r20 = append(r5, e.Recall[0].Recall), append(r10, e.Recall[1].Recall), append(r20, e.Recall[2].Recall)
		for _, dc := range e.Deciles {
			model = append(model, ne.name)
			decile, dsubs, dchurn = append(decile, int64(dc.Decile)), append(dsubs, int64(dc.Subscribers)), append(dchurn, int64(dc.Churned))
			drate, lift, dmean = append(drate, dc.ChurnRate), append(lift, dc.Lift), append(dmean, dc.MeanScore)
			dmin, dmax = append(dmin, dc.MinScore), append(dmax, dc.MaxScore)
		}
	}
	metrics := &render.Table{Title: "metrics", Columns: []render.Column{
		render.Strings("model", name), render.Ints("subscribers", subs), render.Ints("churned", churned),
		withDigits(render.Floats("churn_rate", rate), 4), withDigits(render.Floats("mean_score", mean), 4),
		withDigits(render.Floats("auc", auc), 4), withDigits(render.Floats("brier", brier), 4),
		withDigits(render.Floats("recall_top_5pct", r5), 4), withDigits(render.Floats("recall_top_10pct", r10), 4),
		withDigits(render.Floats("recall_top_20pct", r20), 4),
	}}
	deciles := &render.Table{Title: "deciles", Columns: []render.Column{
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
	calib := &render.Table{Title: "calibration", Columns: []render.Column{
		render.Ints("decile", cd), render.Ints("subscribers", cn), withDigits(render.Floats("mean_probability", pred), 4),
		withDigits(render.Floats("observed_rate", obs), 4), withDigits(render.Floats("observed_minus_predicted", diff), 4),
	}}
	var lag []int64
	var cname []string
	var coef, se []float64
	for k, g := range bt.Model.Lags {
		s := g.SE()
		js.Lags = append(js.Lags, lagJSON{Lag: k + 1, Rows: g.Rows, Events: g.Events, Names: g.Names, Coef: g.Coef, SE: s})
		for j, nm := range g.Names {
			lag, cname, coef = append(lag, int64(k+1)), append(cname, nm), append(coef, g.Coef[j])
			if s != nil {
				se = append(se, s[j])
			} else {
				se = append(se, 0)
			}
		}
	}
	coefs := &render.Table{Title: "coefficients", Columns: []render.Column{
		render.Ints("lag", lag), render.Strings("feature", cname), withDigits(render.Floats("coef", coef), 4), withDigits(render.Floats("se", se), 4),
	}}
	doc := &render.Doc{Title: fmt.Sprintf("Churn backtest: fitted at %s, churn in (%s, %s], %d %s(s)", bt.Cutoff, bt.Cutoff, bt.AsOf, o.Horizon, o.Period)}
	doc.Sections = []render.Section{
		{Title: "Metrics", Text: "heuristic = segment risk_score; bgnbd = 1 - P(alive); churn_model = P(churn within the horizon)", Table: metrics},
		{Title: "Churn rate and lift by score decile", Table: deciles},
		{Title: "Calibration of the churn model by decile", Table: calib},
		{Title: "Churn model coefficients (standardised columns)", Table: coefs},
	}
	return doc, js
}

// drawBacktestChart writes churn rate by score decile for every model as SVG.
func (a *app) drawBacktestChart(name string, evals []namedEval) error {
	c := &report.BarChart{Title: "Churn rate by score decile (1 = highest score)", XLabel: "decile", YLabel: "churn rate", YPercent: true}
	for k := 1; k <= 10; k++ {
		c.Labels = append(c.Labels, fmt.Sprint(k))
	}
	for _, ne := range evals {
		s := report.Series{Name: ne.name}
		for _, dc := range ne.e.Deciles {
			s.Y = append(s.Y, dc.ChurnRate)
		}
		c.Groups = append(c.Groups, s)
	}
	svg, err := c.SVG()
	if err != nil {
		return fmt.Errorf("chart %s: %w", name, err)
	}
	return a.writeAtomic(name, func(w io.Writer) error {
		_, err := w.Write(svg)
		return err
	})
}
