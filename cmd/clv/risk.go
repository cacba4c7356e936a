package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
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
                       (mean revenue of the last 6 periods) x discounted expected
                       residual lifetime at its tenure (as clv segment computes it)
  expected_value_lost  churn_probability x value
  reason_1..reason_3   the features that raise the risk most (largest positive
                       coefficient x (value - mean value) on the log-odds scale)

--interval 0.9 adds churn_probability_low/_high, value_low/_high and
expected_value_lost_low/_high: central 90% intervals from a seeded parametric
bootstrap of the fitted parameters (hazard coefficients and sBG alpha, beta).
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
	fl.StringVar(&f.attributes, "attributes", "", "subscriber attributes used as covariates, comma-separated (default: every attribute with 2 to 200 distinct values)")
	fl.Float64Var(&f.ridge, "ridge", 1, "ridge penalty on the standardised coefficients of the churn model")
	if withInterval {
		fl.Float64Var(&f.interval, "interval", 0, "add _low/_high columns with this central interval, e.g. 0.9 (0: none)")
		fl.IntVar(&f.draws, "draws", 500, "parameter draws for --interval")
		fl.Uint64Var(&f.seed, "seed", 1, "random seed for --interval")
	}
}

// options turns the flags into hazard options (usage errors for bad values).
func (f *riskFlags) options(period dataset.Period, asOf dataset.Day) (hazard.Options, error) {
	if f.horizon < 1 || f.horizon > 120 {
		return hazard.Options{}, usagef("--horizon %d: want 1 to 120 periods", f.horizon)
	}
	if !(f.ridge > 0) || math.IsInf(f.ridge, 0) {
		return hazard.Options{}, usagef("--ridge %v: want a finite penalty > 0", f.ridge)
	}
	if f.interval != 0 && !(f.interval > 0 && f.interval < 1) {
		return hazard.Options{}, usagef("--interval %v: want a level between 0 and 1, e.g. 0.9", f.interval)
	}
	if f.interval != 0 && (f.draws < 20 || f.draws > 100000) {
		return hazard.Options{}, usagef("--draws %d: want 20 to 100000", f.draws)
	}
	o := hazard.Options{Period: period, AsOf: asOf, Horizon: f.horizon, Fit: hazard.FitOptions{Ridge: f.ridge}}
	if strings.TrimSpace(f.attributes) != "" {
		for _, n := range strings.Split(f.attributes, ",") {
			o.Attributes = append(o.Attributes, strings.TrimSpace(n))
		}
	}
	return o, nil
}

// riskInputs loads both exports and resolves --as-of (default: the latest
// transaction day) and --period.
func (a *app) riskInputs(in *inputFlags, tf *timeFlags) (*loaded, dataset.Day, dataset.Period, error) {
	period, err := tf.periodValue()
	if err != nil {
		return nil, 0, 0, err
	}
	asOf, err := tf.asOfDay()
	if err != nil {
		return nil, 0, 0, err
	}
	if err := checkDiscount(tf.discount); err != nil {
		return nil, 0, 0, err
	}
	l, err := a.load(in, true, true)
	if err != nil {
		return nil, 0, 0, err
	}
	if asOf == dataset.NoDay {
		_, asOf = l.tx.DayRange()
		if asOf == dataset.NoDay {
			return nil, 0, 0, dataset.ErrEmpty
		}
	}
	return l, asOf, period, nil
}

func newRiskCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var rf riskFlags
	cmd := &cobra.Command{
		Use:   "risk -t TRANSACTIONS -s SUBSCRIBERS [--as-of DATE] [--horizon H]",
		Short: "Churn probability, value and expected value lost per subscriber, with reasons",
		Long:  riskLong,
		Example: "  clv risk -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --as-of 2024-12-31 --horizon 3\n" +
			"  clv risk -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --interval 0.9",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
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
			m, err := hazard.Fit(d, opt)
			if err != nil {
				return err
			}
			s, err := m.Score(d)
			if err != nil {
				return err
			}
			a.notef("churn model: %d lag regression(s) on %d cutoffs %s to %s; probability of churn within %d %ss after %s",
				len(m.Lags), m.Cutoffs, m.FirstCutoff, m.LastCutoff, opt.Horizon, period, asOf)
			v, err := subscriberValue(l, asOf, period, tf.discount, s.Rows, rf.interval, rf.draws, rf.seed)
			if err != nil {
				return err
			}
			a.notef("value: %s", v.desc)
			var iv *hazard.Interval
			if rf.interval > 0 {
				if iv, err = m.Interval(s, rf.interval, rf.draws, rf.seed); err != nil {
					return err
				}
			}
			return a.writeTable(riskTable(l.subs, s, v, iv))
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, 0.01, "--period, on future value")
	addRiskFlags(cmd, &rf, true)
	return cmd
}

// valued is the future value of the scored subscribers.
type valued struct {
	value []float64
	band  *retention.ResidualBand // nil without --interval or when the sBG fit failed
	desc  string
}

// subscriberValue is the sBG residual value of the subscriber rows, computed
// as clv segment does (fitRetention, retention.Margins, retention.ResidualValues);
// when the sBG fit fails it is the run-rate value over segment's default
// horizon. level > 0 adds its parametric-bootstrap interval.
func subscriberValue(l *loaded, asOf dataset.Day, period dataset.Period, discount float64, rows []int, level float64, draws int, seed uint64) (*valued, error) {
	margin, err := retention.Margins(l.tx, l.subOf, l.subs, retention.MarginOptions{Period: period, AsOf: asOf, Window: marginWindow, Rate: 1})
	if err != nil {
		return nil, err
	}
	out := &valued{value: make([]float64, len(rows))}
	ret := fitRetention(l, asOf, period)
	if ret.err != nil {
		h := segment.DefaultOptions().Horizon
		ann := segment.Annuity(h, discount)
		for j, r := range rows {
			out.value[j] = math.Max(0, margin[r]) * ann
		}
		out.desc = fmt.Sprintf("sBG not usable (%v): run-rate value, margin per %s × %.4g (%g %ss at %g%%)", ret.err, period, ann, h, period, 100*discount)
		return out, nil
	}
	res, err := retention.ResidualValues(ret.tenures, rows, ret.fit.SBG, margin, discount)
	if err != nil {
		return nil, fmt.Errorf("sBG residual value: %w", err)
	}
	for j := range rows {
		out.value[j] = math.Max(0, res.Value[j])
	}
	f := ret.fit
	out.desc = fmt.Sprintf("sBG residual lifetime value: margin per %s (mean revenue of the last %d %ss) × discounted expected residual lifetime at %g%% per %s; alpha %.4g (± %.2g), beta %.4g (± %.2g)",
		period, marginWindow, period, 100*discount, period, f.Alpha, f.AlphaSE, f.Beta, f.BetaSE)
	if level > 0 {
		out.band, err = retention.ResidualInterval(ret.tenures, rows, f, margin, discount, retention.IntervalOptions{Level: level, Draws: draws, Seed: seed})
		if err != nil {
			return nil, fmt.Errorf("value interval: %w", err)
		}
		out.desc += fmt.Sprintf("; total %.2f, %g%% interval %.2f to %.2f", res.Total, 100*level, out.band.TotalLow, out.band.TotalHigh)
	}
	return out, nil
}

// riskTable is the per-subscriber output of clv risk, ranked by expected
// value lost (then id).
func riskTable(subs *dataset.Subscribers, s *hazard.Scores, v *valued, iv *hazard.Interval) *render.Table {
	n := len(s.Rows)
	evl := make([]float64, n)
	for i := range evl {
		evl[i] = s.Probability[i] * v.value[i]
	}
	var lossLow, lossHigh []float64
	if iv != nil {
		value := func(d, i int) float64 { return v.value[i] }
		if v.band != nil {
			value = func(d, i int) float64 { return math.Max(0, v.band.Value(d%len(v.band.Tables), i)) }
		}
		lossLow, lossHigh = iv.Product(value)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := cmp.Compare(evl[y], evl[x]); c != 0 {
			return c
		}
		return cmp.Compare(subs.ID[s.Rows[x]], subs.ID[s.Rows[y]])
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
		ids[k] = subs.ID[s.Rows[i]]
		for j, r := range s.Reasons[i] {
			reasons[j][k] = r.Text
		}
	}
	cols := []render.Column{render.Strings("customer_id", ids), withDigits(render.Floats("churn_probability", pick(s.Probability)), 4)}
	if iv != nil {
		cols = append(cols, withDigits(render.Floats("churn_probability_low", pick(iv.Low)), 4), withDigits(render.Floats("churn_probability_high", pick(iv.High)), 4))
	}
	cols = append(cols, withDigits(render.Floats("value", pick(v.value)), 2))
	if iv != nil {
		lo, hi := v.value, v.value
		if v.band != nil {
			lo, hi = clampZero(v.band.Low), clampZero(v.band.High)
		}
		cols = append(cols, withDigits(render.Floats("value_low", pick(lo)), 2), withDigits(render.Floats("value_high", pick(hi)), 2))
	}
	cols = append(cols, withDigits(render.Floats("expected_value_lost", pick(evl)), 2))
	if iv != nil {
		cols = append(cols, withDigits(render.Floats("expected_value_lost_low", pick(lossLow)), 2), withDigits(render.Floats("expected_value_lost_high", pick(lossHigh)), 2))
	}
	cols = append(cols, render.Strings("reason_1", reasons[0]), render.Strings("reason_2", reasons[1]), render.Strings("reason_3", reasons[2]))
	return &render.Table{Columns: cols}
}

func clampZero(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Max(0, x)
	}
	return out
}
