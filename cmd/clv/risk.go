package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
)

func init() {
	register(newRiskCmd)
}

const riskLong = `Churn probability, future value and expected value lost per subscriber.

A discrete-time churn-hazard model (ridge logistic regression on subscriber-period
rows: tenure, recency, spend level and trend, share of periods with spend, and the
subscriber attributes) is fitted on the history up to --as-of and scores every
subscriber in service on that day. Nothing dated after --as-of is read, churn dates
included. See 'go doc github.com/clvkit/clv/clv/hazard' for the model.

One row per subscriber in service at --as-of, ranked by expected value lost:

  customer_id          the subscriber id
  churn_probability    P(churn within --horizon periods after --as-of)
  value                future value: sBG residual lifetime value, margin per period
                       (mean revenue of the last --margin-window periods) x discounted
                       expected residual lifetime at its tenure, one sBG fit per
                       --retention-by group (the clv of clv segment, which however
                       sets 0 for subscribers its lapse rule calls churned)
  expected_value_lost  churn_probability x value
  reason_1..reason_3   the features that raise the risk most (largest positive
                       coefficient x (value - mean value) on the log-odds scale)

--interval 0.9 adds churn_probability_low/_high, value_low/_high and
expected_value_lost_low/_high: central 90% intervals from a seeded parametric
bootstrap of the fitted parameters (hazard coefficients and sBG alpha, beta;
margins are taken as known). The note on stderr gives the total value and its interval.
Check the model with 'clv backtest' before acting on it.`

// riskFlags are the options of clv risk and clv backtest.
type riskFlags struct {
	horizon    int
	attributes string
	interval   float64
	draws      int
	seed       uint64
	ridge      float64
}

func addRiskFlags(cmd *cobra.Command, f *riskFlags, withInterval bool) {
	fl := cmd.Flags()
	fl.IntVar(&f.horizon, "horizon", 3, "periods ahead the churn probability covers (in --period units)")
	fl.StringVar(&f.attributes, "attributes", "", "subscriber attributes used as covariates, comma-separated (default: every attribute with 2 to 200 distinct values; leave out columns filled in at churn, such as a churn reason)")
	fl.Float64Var(&f.ridge, "ridge", 1, "ridge penalty on the standardised coefficients of the churn model")
	if withInterval {
		fl.Float64Var(&f.interval, "interval", 0, "add _low/_high columns with this central interval, e.g. 0.9 (0: none)")
		fl.IntVar(&f.draws, "draws", 500, "parameter draws for --interval")
		fl.Uint64Var(&f.seed, "seed", 1, "random seed for --interval")
	}
}

// options turns the flags into risk options (usage errors for bad values).
func (f *riskFlags) options() (clv.RiskOptions, error) {
	if f.horizon < 1 || f.horizon > 120 {
		return clv.RiskOptions{}, usagef("--horizon %d: want 1 to 120 periods", f.horizon)
	}
	if !(f.ridge > 0) || math.IsInf(f.ridge, 0) {
		return clv.RiskOptions{}, usagef("--ridge %v: want a finite penalty > 0", f.ridge)
	}
	if f.interval != 0 && !(f.interval > 0 && f.interval < 1) {
		return clv.RiskOptions{}, usagef("--interval %v: want a level between 0 and 1, e.g. 0.9", f.interval)
	}
	if f.interval != 0 && (f.draws < 20 || f.draws > 100000) {
		return clv.RiskOptions{}, usagef("--draws %d: want 20 to 100000", f.draws)
	}
	o := clv.RiskOptions{Horizon: f.horizon, Ridge: f.ridge, Interval: f.interval, Draws: f.draws, Seed: f.seed}
	if strings.TrimSpace(f.attributes) != "" {
		for _, n := range strings.Split(f.attributes, ",") {
			o.Attributes = append(o.Attributes, strings.TrimSpace(n))
		}
	}
	return o, nil
}

// riskBase loads both exports and places them on the observation window.
func (a *app) riskBase(in *inputFlags, tf *timeFlags, bf *baseFlags) (*clv.Base, error) {
	o, err := a.baseOptions(tf, bf)
	if err != nil {
		return nil, err
	}
	l, err := a.load(in, true, true)
	if err != nil {
		return nil, err
	}
	return a.newBase(l, o)
}

func newRiskCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var bf baseFlags
	var rf riskFlags
	cmd := &cobra.Command{
		Use:   "risk -t TRANSACTIONS -s SUBSCRIBERS [--as-of DATE] [--horizon H]",
		Short: "Churn probability, value and expected value lost per subscriber, with reasons",
		Long:  riskLong,
		Example: "  clv risk -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --as-of 2024-12-31 --horizon 3\n" +
			"  clv risk -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --interval 0.9",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options()
			if err != nil {
				return err
			}
			base, err := a.riskBase(&in, &tf, &bf)
			if err != nil {
				return err
			}
			opt.Context = a.ctx
			r, err := base.Risk(opt)
			if err != nil {
				return layerError(err)
			}
			m := r.Model
			a.notef("churn model: %d lag regression(s) on %d cutoffs %s to %s; probability of churn within %d %ss after %s",
				len(m.Lags), m.Cutoffs, m.FirstCutoff, m.LastCutoff, r.Horizon, base.Period(), base.AsOf())
			a.notef("value: %s", r.ValueDescription)
			if r.Interval > 0 {
				a.notef("value of the %d subscribers in service: %.2f, %g%% interval %.2f to %.2f", len(r.Rows), r.TotalValue, 100*r.Interval, r.TotalValueLow, r.TotalValueHigh)
			}
			res := single("risk", fmt.Sprintf("Churn risk within %d %ss after %s", r.Horizon, base.Period(), base.AsOf()), riskTable(base.Subs, r))
			res.Add("as_of", base.AsOf()).Add("calendar_period", base.Period().String()).AddUnit("horizon", r.Horizon, base.Period().String()).
				AddUnit("discount", tf.discount, "per "+base.Period().String()).Add("value_description", r.ValueDescription).
				Add("churn_model_lags", len(m.Lags)).Add("churn_model_cutoffs", m.Cutoffs).Add("first_cutoff", m.FirstCutoff).Add("last_cutoff", m.LastCutoff).
				Add("subscribers", len(r.Rows)).Add("total_value", r.TotalValue)
			if r.Interval > 0 {
				res.Add("interval", r.Interval).Add("total_value_low", r.TotalValueLow).Add("total_value_high", r.TotalValueHigh)
			}
			return a.writeResult(res)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, "--period, on future value")
	addRiskFlags(cmd, &rf, true)
	addBaseFlags(cmd, &bf, withObserved|withGroups|withMargin)
	return cmd
}

// riskTable is the per-subscriber output of clv risk, ranked by expected
// value lost (then id).
func riskTable(subs *dataset.Subscribers, r *clv.Risk) *render.Table {
	n := len(r.Rows)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := cmp.Compare(r.ExpectedLoss[y], r.ExpectedLoss[x]); c != 0 {
			return c
		}
		return cmp.Compare(subs.ID[r.Rows[x]], subs.ID[r.Rows[y]])
	})
	pick := func(src []float64) []float64 {
		out := make([]float64, n)
		for k, i := range order {
			out[k] = src[i]
		}
		return out
	}
	ids := make([]string, n)
	reasons := [3][]string{make([]string, n), make([]string, n), make([]string, n)}
	for k, i := range order {
		ids[k] = subs.ID[r.Rows[i]]
		for j, rs := range r.Reasons[i] {
			reasons[j][k] = rs.Text
		}
	}
	with := r.Interval > 0
	cols := []render.Column{render.Strings("customer_id", ids), withDigits(render.Floats("churn_probability", pick(r.Probability)), 4)}
	if with {
		cols = append(cols, withDigits(render.Floats("churn_probability_low", pick(r.ProbabilityLow)), 4), withDigits(render.Floats("churn_probability_high", pick(r.ProbabilityHigh)), 4))
	}
	cols = append(cols, withDigits(render.Floats("value", pick(r.Value)), 2))
	if with {
		cols = append(cols, withDigits(render.Floats("value_low", pick(r.ValueLow)), 2), withDigits(render.Floats("value_high", pick(r.ValueHigh)), 2))
	}
	cols = append(cols, withDigits(render.Floats("expected_value_lost", pick(r.ExpectedLoss)), 2))
	if with {
		cols = append(cols, withDigits(render.Floats("expected_value_lost_low", pick(r.ExpectedLossLow)), 2), withDigits(render.Floats("expected_value_lost_high", pick(r.ExpectedLossHigh)), 2))
	}
	cols = append(cols, render.Strings("reason_1", reasons[0]), render.Strings("reason_2", reasons[1]), render.Strings("reason_3", reasons[2]))
	return &render.Table{Name: "subscribers", Columns: cols}
}
