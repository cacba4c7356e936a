package main

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/read"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/markov"
	"github.com/clvkit/clv/segment"
	"github.com/clvkit/clv/segment/lifecycle"
)

func init() { register(newMarkovCmd) }

const markovLong = `Fit a Markov-chain model of customer states (Pfeifer & Carraway 2000) to the data.

Every customer gets a state in every --period of the window (from the first
transaction to --as-of; a period that is incomplete at --as-of is left out):

  --states recency    periods since the last purchase: 0 (bought in the period),
                      1, ..., k-1, and lapsed (k or more; --recency-states k, default 4).
                      Lapsed customers may come back; nothing is absorbing.
  --states lifecycle  acquisition, growth, maturity, decline, churned, by the same
                      rules as the segment report, first match wins:
                        churned      churn date recorded (-s), or --lapse-periods or more
                                     periods since the last purchase
                        acquisition  tenure <= --acquisition-periods (periods since
                                     activation or first purchase, counting the current)
                        decline      spend trend <= --decline-slope, or --decline-recency
                                     or more periods since the last purchase
                        growth       spend trend >= --growth-slope
                        maturity     otherwise
                      The trend is the least-squares slope of spend over the last
                      --trend-window periods divided by the mean spend (0.05 = +5% of
                      the mean per period). Churned is absorbing.
  --states value      spend tiers by quantiles of spend per customer-period
                      (--value-tiers, default 3: low, medium, high), inactive (no spend
                      in the period) and churned (lapsed or churn date; absorbing).

The transition matrix is estimated from all consecutive period pairs (counts are
shown next to the probabilities; --smoothing adds a pseudo-count). The report has:
the states with current customers, mean spend per customer-period, reward, value
and expected periods until churn (first passage into lapsed/churned; empty when a
state may never get there), plus the long-run share of each state when no state is
absorbing (the stationary distribution); the transition probabilities and counts; and the
forecast of the current customers' state mix for --forecast periods.

Reward per period in state i = --margin-rate x mean spend in state i - cost, where
--cost-per-period is one value for every state except the churn state, or one
value per state. Value = sum over t=0..T of [(1+d)^-1 P]^t R, with d = --discount
per period and T = --value-horizon (omit it for the infinite horizon,
V = [I - (1+d)^-1 P]^-1 R). Rewards are earned at the start of each period, so
the current period is not discounted.

--customers prints customer_id, state and value of every customer with a state in
the last period instead of the report. --chart FILE.svg|.png draws the transition
matrix as a heat map.

'clv markov value' evaluates a chain you supply (see its --help).`

// markovOptions are the flags of `clv markov`.
type markovOptions struct {
	lang           langFlag
	in             inputFlags
	tf             timeFlags
	states         string
	recencyStates  int
	rules          segment.StageRules
	valueTiers     int
	smoothing      float64
	horizon        int
	valueHorizon   int
	marginRate     float64
	costPerPeriod  string
	customers      bool
	chartFile      string
	keepPartial    bool
	valueHorizonOn bool
}

func newMarkovCmd(a *app) *cobra.Command {
	o := &markovOptions{rules: segment.DefaultStageRules()}
	cmd := &cobra.Command{
		Use:   "markov -t TRANSACTIONS [-s SUBSCRIBERS] [--states recency|lifecycle|value]",
		Short: "Markov-chain lifecycle model: states, transition matrix, churn timing, forecast and value per state",
		Long:  markovLong,
		Example: "  clv markov -t examples/cdnow/cdnow_sample.csv --states recency --period quarter --discount 0.03\n" +
			"  clv markov -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --states lifecycle --chart P.svg\n" +
			"  clv markov value --matrix P.csv --rewards 36,-4,-4,-4,0 --discount 0.2",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.valueHorizonOn = cmd.Flags().Changed("value-horizon")
			return a.runMarkov(o)
		},
	}
	addInputFlags(cmd, &o.in, withTransactions|withSubscribers|withPanel)
	addAsOf(cmd, &o.tf)
	addPeriod(cmd, &o.tf)
	addDiscount(cmd, &o.tf, "--period")
	fl := cmd.Flags()
	fl.StringVar(&o.states, "states", "recency", "state scheme: recency, lifecycle or value")
	fl.IntVar(&o.recencyStates, "recency-states", 4, "recency: number of states before lapsed (0, 1, ..., k-1)")
	fl.IntVar(&o.rules.AcquisitionPeriods, "acquisition-periods", o.rules.AcquisitionPeriods, "lifecycle: tenure in periods up to which a customer is in acquisition")
	fl.IntVar(&o.rules.TrendWindow, "trend-window", o.rules.TrendWindow, "lifecycle: periods over which the spend trend is measured")
	fl.Float64Var(&o.rules.GrowthSlope, "growth-slope", o.rules.GrowthSlope, "lifecycle: spend trend at or above which a customer is growing (slope per period as a share of mean spend: 0.05 = +5% a period)")
	fl.Float64Var(&o.rules.DeclineSlope, "decline-slope", o.rules.DeclineSlope, "lifecycle: spend trend at or below which a customer is declining (slope per period as a share of mean spend: -0.05 = -5% a period)")
	fl.IntVar(&o.rules.DeclineRecency, "decline-recency", o.rules.DeclineRecency, "lifecycle: periods without purchase that mean decline (0 = off)")
	fl.IntVar(&o.rules.LapsePeriods, "lapse-periods", o.rules.LapsePeriods, "lifecycle, value: periods without purchase after which a customer counts as churned")
	fl.IntVar(&o.valueTiers, "value-tiers", 3, "value: number of spend tiers")
	fl.Float64Var(&o.smoothing, "smoothing", 0, "pseudo-count added to every transition count of an observed state (1 = Laplace)")
	fl.IntVar(&o.horizon, "forecast", 12, "--period periods of the state-mix forecast")
	aliasFlag(fl, "forecast", "horizon")
	fl.IntVar(&o.valueHorizon, "value-horizon", 0, "value over periods t = 0..`T` (default: infinite horizon)")
	fl.Float64Var(&o.marginRate, "margin-rate", 1, "margin as a share of spend, 1 = 100% (reward = margin rate x mean spend - cost)")
	fl.StringVar(&o.costPerPeriod, "cost-per-period", "0", "cost per customer per period: one value (all states but lapsed/churned) or one per state, comma-separated")
	fl.BoolVar(&o.customers, "customers", false, "print customer_id, state, value per customer instead of the report")
	fl.StringVar(&o.chartFile, "chart", "", "write a heat map of the transition matrix to `FILE` (.svg or .png)")
	fl.BoolVar(&o.keepPartial, "keep-partial", false, "keep the last period even when --as-of falls before its end")
	addLangFlag(cmd, &o.lang, "the state names and headings of table and Markdown output")
	cmd.AddCommand(newMarkovValueCmd(a))
	return cmd
}

// markovCheckDiscount is checkDiscount, and refuses d = 0 over an infinite horizon.
func markovCheckDiscount(d float64, infinite bool) error {
	if err := checkDiscount(d); err != nil {
		return err
	}
	if infinite && d == 0 {
		return usagef("--discount 0 with an infinite horizon gives an infinite value (I - P is singular); use a discount rate > 0 or a finite horizon")
	}
	return nil
}

func (a *app) runMarkov(o *markovOptions) error {
	cat, err := o.lang.catalog()
	if err != nil {
		return err
	}
	scheme, err := lifecycle.ParseScheme(o.states)
	if err != nil {
		return usagef("--states: %v", err)
	}
	period, err := o.tf.periodValue()
	if err != nil {
		return err
	}
	asOf, err := o.tf.asOfDay()
	if err != nil {
		return err
	}
	o.tf.resolveDiscount(float64(period.Months()))
	if err := markovCheckDiscount(o.tf.discount, !o.valueHorizonOn); err != nil {
		return err
	}
	switch {
	case o.recencyStates < 1:
		return usagef("--recency-states must be at least 1, got %d", o.recencyStates)
	case o.valueTiers < 1:
		return usagef("--value-tiers must be at least 1, got %d", o.valueTiers)
	case o.horizon < 0:
		return usagef("--forecast must be 0 or more, got %d", o.horizon)
	case o.valueHorizonOn && o.valueHorizon < 0:
		return usagef("--value-horizon must be 0 or more, got %d", o.valueHorizon)
	case math.IsNaN(o.smoothing) || o.smoothing < 0:
		return usagef("--smoothing must be 0 or more, got %v", o.smoothing)
	case math.IsNaN(o.marginRate) || o.marginRate < 0:
		return usagef("--margin-rate must be 0 or more, got %v", o.marginRate)
	}
	if err := o.rules.Validate(); err != nil {
		return usagef("%v", err)
	}
	cost, err := parseFloatList("--cost-per-period", o.costPerPeriod)
	if err != nil {
		return err
	}
	chartFmt, err := chartFormat(o.chartFile)
	if err != nil {
		return err
	}

	l, err := a.load(&o.in, o.in.panel == "", false)
	if err != nil {
		return err
	}
	panelEnd, err := checkPanelPeriods(&o.in, l, period)
	if err != nil {
		return err
	}
	if asOf == dataset.NoDay {
		asOf = panelEnd
	}
	bo := clv.DefaultOptions()
	bo.Note = func(s string) { a.notef("%s", s) }
	bo.AsOf, bo.Period, bo.Segment.Rules = asOf, period, o.rules
	base, err := a.newBase(l, bo)
	if err != nil {
		return err
	}
	panel, err := base.Panel()
	if err != nil {
		return err
	}
	if last := panel.First + panel.Periods - 1; !o.keepPartial && panel.AsOf < panel.Period.End(last) {
		a.notef("markov: left out %s, which is not complete at the as-of date %s (--keep-partial keeps it)", panel.Label(panel.Periods-1), panel.AsOf)
	}
	lc, err := base.Lifecycle(lifecycle.Options{
		Scheme: scheme, RecencyStates: o.recencyStates, Rules: o.rules, ValueTiers: o.valueTiers,
		Smoothing: o.smoothing, KeepPartial: o.keepPartial,
	})
	if err != nil {
		return err
	}
	m := lc.Model
	if err := a.ctx.Err(); err != nil {
		return err
	}
	a.notef("markov: %s states over %d %ss %s to %s (%d customers with a state in %s)",
		scheme, m.Columns, period, panel.Label(0), panel.Label(m.Columns-1), markovSum(m.Current), panel.Label(m.Columns-1))
	if lc.Returns > 0 {
		a.notef("markov: %d observed moves out of %q are kept in the counts but not in P, where churned is absorbing", lc.Returns, m.States[m.ChurnState])
	}

	rewards, err := m.Rewards(o.marginRate, cost)
	if err != nil {
		return usagef("--cost-per-period: %v", err)
	}
	chain := m.Fit.Chain
	var value []float64
	if o.valueHorizonOn {
		value, err = chain.Value(rewards, o.tf.discount, o.valueHorizon)
	} else {
		value, err = chain.ValueInfinite(rewards, o.tf.discount)
	}
	if err != nil {
		return err
	}
	toChurn, sure, err := m.PeriodsToChurn()
	if err != nil {
		return err
	}
	x0 := make([]float64, len(m.States))
	total := float64(markovSum(m.Current))
	for i, c := range m.Current {
		if total > 0 {
			x0[i] = float64(c) / total
		}
	}
	forecast, err := chain.Forecast(x0, o.horizon)
	if err != nil {
		return err
	}
	horizonText := "infinite horizon"
	if o.valueHorizonOn {
		horizonText = fmt.Sprintf("horizon t = 0..%d", o.valueHorizon)
	}
	a.notef("markov: value at discount %g per %s, %s, reward = %g x mean spend - cost", o.tf.discount, period, horizonText, o.marginRate)

	if o.chartFile != "" {
		if err := a.markovHeatmap(o.chartFile, chartFmt, m.States, chain.Matrix(), m.Fit.Counts,
			fmt.Sprintf("Transition probabilities per %s (%s states)", period, scheme)); err != nil {
			return err
		}
	}

	if o.customers {
		var ids, states []string
		var vals []float64
		for c, s := range m.State {
			if s < 0 {
				continue
			}
			ids = append(ids, l.tx.IDs[c])
			states = append(states, m.States[s])
			vals = append(vals, value[s])
		}
		r := single("markov", fmt.Sprintf("Value per customer (%s states per %s)", scheme, period), &render.Table{Name: "customers", Columns: []render.Column{
			render.Strings("customer_id", ids), render.Strings("state", states), render.Floats("value", vals),
		}})
		r.Add("scheme", scheme.String()).Add("calendar_period", period.String()).Add("last_period", panel.Label(m.Columns-1))
		markovValueMeta(r, o.tf.discount, period.String(), o.valueHorizonOn, o.valueHorizon)
		return a.writeResultIn(r, cat, nil)
	}

	var labels []string
	for t := 0; t <= o.horizon; t++ {
		labels = append(labels, panel.Period.Label(panel.First+m.Columns-1+t))
	}
	stationary := markovLongRun(chain)
	r := markovResult(m.States, m.Current, m.Observations, m.MeanSpend, rewards, value, toChurn, sure,
		stationary, chain.Matrix(), m.Fit.Counts, m.Fit.Totals, labels, forecast)
	r.Title = fmt.Sprintf("Markov chain of %s states per %s, %s to %s", scheme, period, panel.Label(0), panel.Label(m.Columns-1))
	r.Add("scheme", scheme.String()).Add("calendar_period", period.String()).Add("first_period", panel.Label(0)).Add("last_period", panel.Label(m.Columns-1))
	markovValueMeta(r, o.tf.discount, period.String(), o.valueHorizonOn, o.valueHorizon)
	var zhTitles map[string]string
	if cat.Chinese() {
		zhTitles = map[string]string{"": cat.T("markovdoc.title", cat.Label("scheme", scheme.String()), cat.Unit(period.String()), panel.Label(0), panel.Label(m.Columns-1))}
	}
	return a.writeResultIn(r, cat, zhTitles)
}

func markovSum(v []int64) int64 {
	var s int64
	for _, x := range v {
		s += x
	}
	return s
}

func (a *app) markovHeatmap(path, format string, states []string, P [][]float64, counts [][]int64, title string) error {
	h := &chart.Heatmap{Title: title, Labels: states, Values: P, Counts: counts}
	return a.writeAtomic(path, func(w io.Writer) error { return h.Write(w, format) })
}

// markovValueOptions are the flags of `clv markov value`.
type markovValueOptions struct {
	matrix    string
	rewards   string
	discount  float64
	horizon   int
	horizonOn bool
	chartFile string
}

const markovValueLong = `Evaluate a Markov chain you supply: the expected discounted value of a customer in
each state, V = sum over t=0..T of [(1+d)^-1 P]^t R (--value-horizon T), or the
infinite-horizon V = [I - (1+d)^-1 P]^-1 R when --value-horizon is omitted.

--matrix is a CSV file: a header row with the state names, then one row per state
(in the header's order) with the transition probabilities; each row may start with
the state's name, in which case the header starts with an extra cell (e.g. "from").
Rows must sum to 1 (within 1e-6). Lines starting with # are comments.

--rewards gives the reward (net contribution) per period in each state, in order.
Rewards are earned at the start of each period; d is --discount per period.

The output lists state, reward, value and, when the chain has absorbing states, the
expected periods until absorption (empty for a state that may never be absorbed).

Example (Pfeifer & Carraway 2000, recency cells 1..5, purchase probabilities .30, .20,
.15, .05, net contribution 40, mailing cost 4, d = 0.2):

  from,1,2,3,4,5
  1,0.30,0.70,0,0,0
  2,0.20,0,0.80,0,0
  3,0.15,0,0,0.85,0
  4,0.05,0,0,0,0.95
  5,0,0,0,0,1

  clv markov value --matrix P.csv --rewards 36,-4,-4,-4,0 --discount 0.2

To try a policy (e.g. stop mailing state 4), edit its row and reward and compare.`

func newMarkovValueCmd(a *app) *cobra.Command {
	o := &markovValueOptions{}
	cmd := &cobra.Command{
		Use:   "value --matrix P.csv --rewards R1,R2,... [--discount d] [--value-horizon T]",
		Short: "Value per state of a user-supplied Markov chain (textbook cases, what-if policies)",
		Long:  markovValueLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.horizonOn = cmd.Flags().Changed("value-horizon")
			return a.runMarkovValue(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.matrix, "matrix", "", "transition matrix `FILE` (CSV; - for stdin)")
	fl.StringVar(&o.rewards, "rewards", "", "reward per period in each state, comma-separated, in the matrix's state order")
	fl.Float64Var(&o.discount, "discount", 0.01, "discount rate per period of the matrix (e.g. 0.01 = 1%)")
	fl.IntVar(&o.horizon, "value-horizon", 0, "value over periods t = 0..`T` (default: infinite horizon)")
	aliasFlag(fl, "value-horizon", "horizon")
	fl.StringVar(&o.chartFile, "chart", "", "write a heat map of the matrix to `FILE` (.svg or .png)")
	return cmd
}

func (a *app) runMarkovValue(o *markovValueOptions) error {
	if o.matrix == "" {
		return usagef("missing --matrix FILE")
	}
	if o.rewards == "" {
		return usagef("missing --rewards (one value per state, comma-separated)")
	}
	if o.horizonOn && o.horizon < 0 {
		return usagef("--value-horizon must be 0 or more, got %d", o.horizon)
	}
	if err := markovCheckDiscount(o.discount, !o.horizonOn); err != nil {
		return err
	}
	rewards, err := parseFloatList("--rewards", o.rewards)
	if err != nil {
		return err
	}
	chartFmt, err := chartFormat(o.chartFile)
	if err != nil {
		return err
	}
	var r io.Reader = a.in
	name := "stdin"
	if o.matrix != "-" {
		f, err := os.Open(o.matrix)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, o.matrix
	}
	chain, err := read.Matrix(r, name)
	if err != nil {
		return err
	}
	if len(rewards) != chain.Len() {
		return usagef("--rewards has %d values for the %d states %v", len(rewards), chain.Len(), chain.States())
	}
	var value []float64
	if o.horizonOn {
		value, err = chain.Value(rewards, o.discount, o.horizon)
	} else {
		value, err = chain.ValueInfinite(rewards, o.discount)
	}
	if err != nil {
		return err
	}
	var absorbing []int
	for i := 0; i < chain.Len(); i++ {
		if chain.IsAbsorbing(i) {
			absorbing = append(absorbing, i)
		}
	}
	var toAbs []float64
	var sure []bool
	if len(absorbing) > 0 {
		if toAbs, sure, err = chain.FirstPassage(absorbing...); err != nil {
			return err
		}
	}
	if o.chartFile != "" {
		if err := a.markovHeatmap(o.chartFile, chartFmt, chain.States(), chain.Matrix(), nil, "Transition probabilities"); err != nil {
			return err
		}
	}
	stationary := markovLongRun(chain)
	res := markovResult(chain.States(), nil, nil, nil, rewards, value, toAbs, sure, stationary, chain.Matrix(), nil, nil, nil, nil)
	res.Title = fmt.Sprintf("Value per state of the chain in %s", name)
	markovValueMeta(res, o.discount, "period", o.horizonOn, o.horizon)
	horizonText := "infinite horizon"
	if o.horizonOn {
		horizonText = fmt.Sprintf("horizon t = 0..%d", o.horizon)
	}
	a.notef("markov value: %d states, discount %g per period, %s", chain.Len(), o.discount, horizonText)
	return a.writeResult(res)
}

// markovLongRun returns the stationary distribution of a chain without
// absorbing states when it is unique, else nil (for an absorbing chain it
// only says that everyone ends up absorbed).
func markovLongRun(c *markov.Chain) []float64 {
	for i := 0; i < c.Len(); i++ {
		if c.IsAbsorbing(i) {
			return nil
		}
	}
	pi, err := c.Stationary()
	if err != nil {
		return nil
	}
	return pi
}
