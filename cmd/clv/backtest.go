package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/io/report"
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

Tables (--format json holds them all with the metadata, table and markdown print
them in turn, csv and parquet hold one: metrics, or the one --table names):

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
	var chartFile string
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
			evals := []report.NamedEvaluation{{Name: "churn_model", Evaluation: e}}
			for _, b := range bt.Baselines {
				if b.Err != nil {
					a.notef("baseline %s left out: %v", b.Name, b.Err)
					continue
				}
				evals = append(evals, report.NamedEvaluation{Name: b.Name, Evaluation: b.Evaluation})
			}
			if chartFile != "" {
				if err := a.drawBacktestChart(chartFile, evals); err != nil {
					return err
				}
			}
			return a.writeResult(backtestResult(bt.BacktestResult, evals))
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addRiskFlags(cmd, &rf, false)
	addBaseFlags(cmd, &bf, withObserved)
	cmd.Flags().StringVar(&chartFile, "chart", "", "write churn rate by score decile of every model to `FILE` (.svg)")
	return cmd
}

// backtestResult lays out the backtest: metrics (main), deciles,
// calibration and coefficients (every lag's regression, long).
func backtestResult(bt *hazard.BacktestResult, evals []report.NamedEvaluation) *render.Result {
	o := bt.Model.Options
	metrics, deciles, calib, coefs := report.BacktestTables(bt, evals)
	named := func(t *render.Table, name, title string) *render.Table {
		t.Name, t.Title = name, title
		return t
	}
	r := &render.Result{Name: "backtest", Main: "metrics",
		Title: fmt.Sprintf("Churn backtest: fitted at %s, churn in (%s, %s], %d %s(s)", bt.Cutoff, bt.Cutoff, bt.AsOf, o.Horizon, o.Period),
		Tables: []*render.Table{
			named(metrics, "metrics", "Metrics"),
			named(deciles, "deciles", "Churn rate and lift by score decile"),
			named(calib, "calibration", "Calibration of the churn model by decile"),
			named(coefs, "coefficients", "Churn model coefficients (standardised columns)"),
		}}
	r.Add("cutoff", bt.Cutoff).Add("as_of", bt.AsOf).AddUnit("horizon", o.Horizon, o.Period.String()).Add("calendar_period", o.Period.String()).
		Add("scores", "heuristic = segment risk_score; bgnbd = 1 - P(alive); churn_model = P(churn within the horizon)")
	return r
}

// drawBacktestChart writes churn rate by score decile for every model as SVG.
func (a *app) drawBacktestChart(name string, evals []report.NamedEvaluation) error {
	return a.writeSVG(name, report.BacktestChart(evals).SVG)
}
