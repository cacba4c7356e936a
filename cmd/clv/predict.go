package main

import (
	"fmt"
	"io"
	"math"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
)

func init() { register(newPredictCmd) }

const predictLong = `Predict per customer with a repeat-purchase model (bgnbd, pnbd, mbgnbd or bgbb).

The model is fitted on the data (as 'clv fit' does) or loaded with --model FILE
(from 'clv fit --save'; its unit must match --unit). Expected spend per
transaction comes from a Gamma-Gamma model fitted on the customers with x > 0 and
positive monetary (the others are excluded from that fit and counted on stderr),
or loaded with --spend-model FILE; --no-spend leaves spend and CLV out.

Columns, in this order:
  customer_id               the customer
  x, t_x, T                 repeat purchase days, last purchase and age in --unit
                            (opportunities for bgbb)
  p_alive                   probability the customer is still active at --as-of
  expected_transactions     expected transactions in the next --horizon units
  expected_spend            expected value per transaction (Gamma-Gamma)
  clv                       discounted_transactions x expected_spend
  discounted_transactions   expected transactions in unit period k = 1..horizon,
                            each times (1+discount)^-k (the last period may be partial)

Time is in --unit (day, week, or month = 365.25/12 days; not 30-day months) and
--discount is the rate per one --unit; both are printed in the output title. The
default horizon is one year: 365, 52 or 12 units. The title also gives E[X(horizon)],
the expected repeat transactions of a newly acquired customer.

--holdout-end DATE evaluates the model on the transactions after --as-of up to DATE
(needs --transactions and --as-of): per customer the actual and predicted holdout
transactions, and the summaries a modeller checks: mean actual vs predicted by
calibration frequency 0..--censor (the last bin is "or more"), totals with MAE and
RMSE, and cumulative repeat transactions per --unit period from the first purchase
of the cohort to DATE. --chart FILE (.png or .svg) draws the frequency comparison and
the cumulative tracking.`

// predictFlags are the options of clv predict.
type predictFlags struct {
	horizon    float64
	modelFile  string
	spendFile  string
	noSpend    bool
	interval   float64
	holdoutEnd string
	chart      string
	censor     int
}

func newPredictCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var mf modelFlags
	var pf predictFlags
	cmd := &cobra.Command{
		Use:   "predict bgnbd|pnbd|mbgnbd|bgbb (-t TRANSACTIONS --as-of DATE | --summary FILE) [--horizon N] [--discount D]",
		Short: "Per-customer P(alive), expected transactions, expected spend and CLV; holdout validation",
		Long:  predictLong,
		Example: "  clv predict bgnbd -t examples/cdnow/cdnow_sample.csv --as-of 1997-09-30 --unit week --horizon 52 --discount 0.0019\n" +
			"  clv predict pnbd -t examples/cdnow/cdnow_sample.csv --as-of 1997-09-30 --holdout-end 1998-06-30 --chart holdout.png",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runPredict(cmd, args[0], &in, &tf, &mf, &pf)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSummary)
	addAsOf(cmd, &tf)
	addUnit(cmd, &tf, "week")
	addDiscount(cmd, &tf, "--unit")
	addModelFlags(cmd, &mf)
	addFitTimeout(cmd, a)
	fl := cmd.Flags()
	fl.Float64Var(&pf.horizon, "horizon", 0, "prediction horizon in --unit (default one year: 365 days, 52 weeks or 12 months)")
	fl.StringVar(&pf.modelFile, "model", "", "use the model saved by 'clv fit --save' in `FILE` instead of fitting")
	fl.StringVar(&pf.spendFile, "spend-model", "", "use the Gamma-Gamma model saved in `FILE` instead of fitting it")
	fl.BoolVar(&pf.noSpend, "no-spend", false, "leave out expected_spend and clv (no Gamma-Gamma model)")
	fl.Float64Var(&pf.interval, "interval", 0, "add _low and _high columns of p_alive, expected_transactions and clv at this level (e.g. 0.9), from 200 seeded draws of the fitted parameters (not with --model)")
	fl.StringVar(&pf.holdoutEnd, "holdout-end", "", "evaluate on the holdout after --as-of up to `DATE` (2006-01-02)")
	fl.StringVar(&pf.chart, "chart", "", "with --holdout-end: draw the holdout charts to `FILE` (.svg or .png)")
	fl.IntVar(&pf.censor, "censor", 7, "with --holdout-end: last calibration-frequency bin (x >= censor)")
	return cmd
}

func (a *app) runPredict(cmd *cobra.Command, model string, in *inputFlags, tf *timeFlags, mf *modelFlags, pf *predictFlags) error {
	if btyd.ParamNames(model) == nil || model == "gg" {
		return usagef("unknown model %q: want bgnbd, pnbd, mbgnbd or bgbb", model)
	}
	if _, err := a.outputFormat(); err != nil {
		return err
	}
	unit, err := tf.unitValue()
	if err != nil {
		return err
	}
	if pf.horizon == 0 {
		pf.horizon = map[dataset.Unit]float64{dataset.UnitDay: 365, dataset.UnitWeek: 52, dataset.UnitMonth: 12}[unit]
	}
	if !(pf.horizon > 0) || math.IsInf(pf.horizon, 0) {
		return usagef("--horizon must be positive, got %v", pf.horizon)
	}
	tf.resolveDiscount(unit.Days() / dataset.UnitMonth.Days())
	if err := checkDiscount(tf.discount); err != nil {
		return err
	}
	if mf.penalizer < 0 || math.IsNaN(mf.penalizer) {
		return usagef("--penalizer must be 0 or more, got %v", mf.penalizer)
	}
	if !(pf.interval >= 0 && pf.interval < 1) {
		return usagef("--interval %v: want a level in [0, 1), e.g. 0.9", pf.interval)
	}
	if pf.interval > 0 && (pf.modelFile != "" || pf.spendFile != "") {
		return usagef("--interval needs the parameters' covariance of a fit made in this run: leave out --model and --spend-model")
	}
	if pf.censor < 1 {
		return usagef("--censor must be 1 or more, got %d", pf.censor)
	}
	var holdoutEnd dataset.Day = dataset.NoDay
	if pf.holdoutEnd != "" {
		if in.transactions == "" || tf.asOf == "" {
			return usagef("--holdout-end needs --transactions and --as-of (the holdout is read from the transactions after --as-of)")
		}
		if holdoutEnd, err = parseFlagDate("--holdout-end", pf.holdoutEnd); err != nil {
			return err
		}
		asOf, _ := tf.asOfDay()
		if holdoutEnd <= asOf {
			return usagef("--holdout-end %s must be after --as-of %s", pf.holdoutEnd, tf.asOf)
		}
	}
	if pf.chart != "" {
		if holdoutEnd == dataset.NoDay {
			return usagef("--chart draws the holdout comparison: give --holdout-end too")
		}
		if _, err := chartFormat(pf.chart); err != nil {
			return err
		}
	}
	var saved, savedSpend *btyd.Saved
	if pf.modelFile != "" {
		if saved, err = readModelFile(pf.modelFile); err != nil {
			return err
		}
		if saved.Model != model {
			return usagef("--model %s holds a %s model, not %s", pf.modelFile, saved.Model, model)
		}
		if saved.Unit != unit.String() {
			return usagef("--model %s was fitted in %ss; run with --unit %s", pf.modelFile, saved.Unit, saved.Unit)
		}
	}
	if pf.spendFile != "" {
		if savedSpend, err = readModelFile(pf.spendFile); err != nil {
			return err
		}
		if savedSpend.Model != "gg" {
			return usagef("--spend-model %s holds a %s model, not gg", pf.spendFile, savedSpend.Model)
		}
	}

	mi, err := a.modelInput(model, in, tf)
	if err != nil {
		return err
	}
	// The count model.
	var pvals []float64
	var countFit, spendFit *btyd.Result
	if saved != nil {
		if pvals, err = saved.Values(); err != nil {
			return err
		}
	} else {
		res, err := fitModel(model, mi, a.btydOptions(mf.penalizer))
		if err != nil {
			return err
		}
		pvals, countFit = res.Params, res
		a.notef("%s: fitted on %d customers, log-likelihood %.4f", model, int64(res.Customers), res.LogLikelihood)
	}
	m, err := btyd.NewCounter(model, pvals)
	if err != nil {
		return err
	}
	// The spend model.
	var gg *btyd.GammaGamma
	var ggParams *btyd.Params
	spendExcluded := 0
	if !pf.noSpend {
		var gv []float64
		if savedSpend != nil {
			if gv, err = savedSpend.Values(); err != nil {
				return err
			}
		} else {
			res, err := mi.base.Repeat("gg", mi.unit, a.btydOptions(mf.penalizer))
			if err != nil {
				return fmt.Errorf("%w (use --no-spend to predict transactions only)", err)
			}
			gv, spendFit = res.Params, res
			spendExcluded = res.Excluded
			a.notef("gg: fitted on %d customers with repeat purchases and positive spend; %d excluded (no repeat purchase or spend <= 0)", int64(res.Customers), res.Excluded)
		}
		gg = &btyd.GammaGamma{P: gv[0], Q: gv[1], Gamma: gv[2]}
		ggParams = &btyd.Params{Names: btyd.ParamNames("gg"), Values: gv}
	}
	monetary := mi.m
	if gg == nil {
		monetary = nil
	}
	xSpend := mi.x
	if gg != nil && model == "bgbb" {
		// Spend is conditioned on repeat purchase days, not on opportunities.
		xSpend = make([]float64, len(mi.rows))
		for j, i := range mi.rows {
			xSpend[j] = float64(mi.sum.X[i])
		}
	}
	// Spend is applied below (for bgbb it is conditioned on purchase days, not opportunities).
	pred, err := btyd.Predict(m, mi.x, mi.tx, mi.T, nil, btyd.PredictOptions{Horizon: pf.horizon, Discount: tf.discount})
	if err != nil {
		return err
	}
	if gg != nil {
		pred.Spend = make([]float64, len(mi.x))
		pred.CLV = make([]float64, len(mi.x))
		if math.IsNaN(gg.MeanSpend()) {
			return fmt.Errorf("gg: %w: q = %.4g <= 1, the mean spend does not exist (use --no-spend)", btyd.ErrNotIdentified, gg.Q)
		}
		for j := range mi.x {
			pred.Spend[j] = gg.ConditionalExpectedSpend(xSpend[j], monetary[j])
			pred.CLV[j] = pred.Discounted[j] * pred.Spend[j]
		}
	}
	popExp, err := m.Expected(pf.horizon)
	if err != nil {
		return err
	}

	ids := make([]string, len(mi.rows))
	for j, i := range mi.rows {
		ids[j] = mi.sum.IDs[i]
	}
	unitWord := unit.String()
	if model == "bgbb" {
		unitWord = "opportunity (" + unit.String() + ")"
	}
	cols := []render.Column{
		render.Strings("customer_id", ids),
		render.Floats("x", mi.x), render.Floats("t_x", mi.tx).WithUnit(unitWord), render.Floats("T", mi.T).WithUnit(unitWord),
		render.Floats("p_alive", pred.PAlive),
		render.Floats("expected_transactions", pred.Expected),
	}
	if gg != nil {
		cols = append(cols, render.Floats("expected_spend", pred.Spend), render.Floats("clv", pred.CLV))
	}
	cols = append(cols, render.Floats("discounted_transactions", pred.Discounted))
	if pf.interval > 0 {
		rp := clv.RepeatPrediction{Horizon: pf.horizon, Discount: tf.discount}
		if gg != nil {
			rp.Spend = spendFit
		}
		rb, err := mi.base.RepeatBands(mi.in, countFit, rp, pf.interval, 200, 1)
		if err != nil {
			return err
		}
		cols = append(cols, render.Floats("p_alive_low", rb.PAliveLow), render.Floats("p_alive_high", rb.PAliveHigh),
			render.Floats("expected_transactions_low", rb.ExpectedLow), render.Floats("expected_transactions_high", rb.ExpectedHigh))
		if rb.CLVLow != nil {
			cols = append(cols, render.Floats("clv_low", rb.CLVLow), render.Floats("clv_high", rb.CLVHigh))
		}
		a.notef("%g%% intervals from %d draws of the fitted parameters", 100*pf.interval, rb.Draws)
	}
	title := fmt.Sprintf("%s predictions as of %s: time unit %s, horizon %g, discount %g per %s; E[X(%g)] for a new customer = %.4f",
		modelTitles[model], mi.asOf, unitWord, pf.horizon, tf.discount, unit.String(), pf.horizon, popExp)
	res := &render.Result{Name: "predict", Title: title, Main: "customers"}
	res.Add("model", model).Add("as_of", mi.asOf).Add("unit", unit.String()).AddUnit("horizon", pf.horizon, unit.String()).
		AddUnit("discount", tf.discount, "per "+unit.String()).AddUnit("population_expected_transactions", popExp, "per customer")
	for k, name := range btyd.ParamNames(model) {
		res.Add("param_"+name, pvals[k])
	}
	if ggParams != nil {
		for k, name := range ggParams.Names {
			res.Add("spend_param_"+name, ggParams.Values[k])
		}
		res.Add("spend_excluded", spendExcluded)
	}
	var extra []*render.Table
	if holdoutEnd != dataset.NoDay {
		h, err := a.holdout(model, m, mi, holdoutEnd, pf)
		if err != nil {
			return err
		}
		cols = append(cols, render.Floats("holdout_actual", h.actual), render.Floats("holdout_predicted", h.predicted))
		extra = h.tables
		res.Meta = append(res.Meta, h.meta...)
	}
	res.AddTable(&render.Table{Name: "customers", Title: fmt.Sprintf("Customers (time unit %s, horizon %g, discount %g per %s)",
		unitWord, pf.horizon, tf.discount, unit.String()), Columns: cols})
	res.Tables = append(res.Tables, extra...)
	return a.writeResult(res)
}

// holdoutResult is the holdout evaluation of clv predict.
type holdoutResult struct {
	actual, predicted []float64
	tables            []*render.Table
	meta              []render.Meta
}

// holdout compares predicted and actual transactions after the as-of date
// (computed by the analysis layer) and lays the comparison out.
func (a *app) holdout(model string, m btyd.Counter, mi *modelInput, end dataset.Day, pf *predictFlags) (*holdoutResult, error) {
	ho, err := mi.base.Holdout(mi.in, m, end, pf.censor)
	if err != nil {
		return nil, layerError(err)
	}
	h := &holdoutResult{actual: ho.Actual, predicted: ho.Predicted}
	labels := make([]string, len(ho.Bins))
	cust := make([]int64, len(ho.Bins))
	act := make([]float64, len(ho.Bins))
	prd := make([]float64, len(ho.Bins))
	for k, b := range ho.Bins {
		labels[k] = fmt.Sprint(b.Frequency)
		if b.Censored {
			labels[k] += "+"
		}
		cust[k], act[k], prd[k] = int64(b.Customers), b.Actual, b.Predicted
	}
	freqTable := &render.Table{Name: "holdout_by_frequency", Title: fmt.Sprintf("Holdout %s .. %s (%.4g %ss): mean transactions per customer by calibration frequency",
		(mi.asOf + 1).String(), end.String(), ho.Length, mi.unit), Columns: []render.Column{
		render.Strings("calibration_frequency", labels), render.Ints("customers", cust),
		render.Floats("actual", act), render.Floats("predicted", prd),
	}}
	n := len(ho.Actual)
	totals := &render.Table{Name: "holdout_totals", Title: "Holdout totals", Columns: []render.Column{
		render.Ints("customers", []int64{int64(n)}), render.Floats("actual_total", []float64{ho.ActualTotal}),
		render.Floats("predicted_total", []float64{ho.PredictedTotal}), render.Floats("mae", []float64{ho.MAE}), render.Floats("rmse", []float64{ho.RMSE}),
	}}
	tr := &ho.Tracking
	pi := make([]int64, len(tr.Period))
	for k := range pi {
		pi[k] = int64(k + 1)
	}
	trackTable := &render.Table{Name: "holdout_tracking", Title: "Cumulative repeat transactions per " + mi.unit.String(), Columns: []render.Column{
		render.Ints("unit_period", pi), render.Dates("period_end", tr.PeriodEnd),
		render.Floats("actual_cumulative", tr.Actual), render.Floats("expected_cumulative", tr.Expected),
	}}
	h.tables = []*render.Table{freqTable, totals, trackTable}
	h.meta = []render.Meta{{Key: "holdout_end", Value: end}, {Key: "holdout_length", Value: ho.Length, Unit: mi.unit.String()}}
	if pf.chart != "" {
		format, err := chartFormat(pf.chart)
		if err != nil {
			return nil, err
		}
		if err := a.writeAtomic(pf.chart, func(w io.Writer) error {
			return chart.Holdout(w, format, modelTitles[model], mi.unit.String(), ho.Bins, tr)
		}); err != nil {
			return nil, err
		}
		a.notef("wrote %s", pf.chart)
	}
	return h, nil
}
