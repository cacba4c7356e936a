package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
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

Tables (--format json holds them all, table and markdown print them in turn,
csv and parquet print one: metrics, or the one --table names):

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
	var bf baseFlags
	var rf riskFlags
	var chartFile, table string
	cmd := &cobra.Command{
		Use:   "backtest -t TRANSACTIONS -s SUBSCRIBERS [--as-of D] --horizon H",
		Short: "Fit the churn model at D - H and check it against churn in (D - H, D], with baselines",
		Long:  backtestLong,
		Example: "  clv backtest -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --as-of 2024-12-31 --horizon 3\n" +
			"  clv backtest -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --horizon 3 --format markdown --chart lift.svg",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if chartFile != "" {
				if f, err := chartFormat(chartFile); err != nil {
					return err
				} else if f != "svg" {
					return usagef("--chart %q: the backtest chart is written as SVG (name it .svg)", chartFile)
				}
			}
			switch table {
			case "", "metrics", "deciles", "calibration", "coefficients":
			default:
				return usagef("--table %q: want metrics, deciles, calibration or coefficients", table)
			}
			opt, err := rf.options()
			if err != nil {
				return err
			}
			base, err := a.riskBase(&in, &tf, &bf)
			if err != nil {
				return err
			}
			opt.Context = a.ctx
			bt, err := base.Backtest(opt)
			if err != nil {
				return layerError(err)
			}
			e := bt.Evaluation
			a.notef("backtest: fitted and scored at %s, churn observed in (%s, %s]: %d of %d subscribers", bt.Cutoff, bt.Cutoff, bt.AsOf, e.Churned, e.Subscribers)
			evals := []namedEval{{"churn_model", e}}
			for _, b := range bt.Baselines {
				if b.Err != nil {
					a.notef("baseline %s left out: %v", b.Name, b.Err)
					continue
				}
				evals = append(evals, namedEval{b.Name, b.Evaluation})
			}
			if chartFile != "" {
				if err := a.drawBacktestChart(chartFile, evals); err != nil {
					return err
				}
			}
			doc, js := backtestDoc(bt.BacktestResult, evals)
			f, err := a.outputFormat()
			if err != nil {
				return err
			}
			// CSV and Parquet hold one plain table; --table picks it.
			if table != "" || f == render.FormatCSV || f == render.FormatParquet {
				name := table
				if name == "" {
					name = "metrics"
				}
				for _, sec := range doc.Sections {
					if sec.Table.Title == name {
						return a.writeTable(sec.Table)
					}
				}
			}
			return a.writeDoc(doc, js)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addRiskFlags(cmd, &rf, false)
	addBaseFlags(cmd, &bf, withObserved)
	cmd.Flags().StringVar(&table, "table", "", "print only this table: metrics, deciles, calibration or coefficients (csv and parquet print metrics unless told)")
	cmd.Flags().StringVar(&chartFile, "chart", "", "write churn rate by score decile of every model to `FILE` (.svg)")
	return cmd
}

type namedEval struct {
	name string
	e    *hazard.Evaluation
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
	c := &chart.BarChart{Title: "Churn rate by score decile (1 = highest score)", XLabel: "decile", YLabel: "churn rate", YPercent: true}
	for k := 1; k <= 10; k++ {
		c.Labels = append(c.Labels, fmt.Sprint(k))
	}
	for _, ne := range evals {
		s := chart.Series{Name: ne.name}
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
