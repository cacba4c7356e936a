package clv

import (
	"context"
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/segment"
)

// RiskOptions configure Base.Risk and Base.Backtest.
type RiskOptions struct {
	// Horizon is the number of periods (Options.Period) the churn
	// probability covers; at least 1.
	Horizon int
	// Attributes are the subscriber columns used as covariates (nil: every
	// column with 2 to 200 distinct values).
	Attributes []string
	// Ridge is the churn model's ridge penalty (0 means 1).
	Ridge float64
	// Interval is the central level of the _low/_high intervals, e.g. 0.9;
	// 0 means no intervals.
	Interval float64
	// Draws is the number of parameter draws of the intervals (0 means 500).
	Draws int
	// Seed seeds the draws.
	Seed uint64
	// Context, when set, stops the fits between steps.
	Context context.Context
}

// Risk is the churn risk of every subscriber in service at the as-of day.
// Slices are indexed like Rows (subscriber rows).
type Risk struct {
	Horizon int
	Model   *hazard.Model
	Rows    []int
	// Probability is P(churn within Horizon periods after the as-of day).
	Probability []float64
	// Value is the residual lifetime value (SubscriberValues), or the
	// run-rate value when no retention model could be fitted.
	Value []float64
	// ExpectedLoss is Probability × Value.
	ExpectedLoss []float64
	// Reasons are up to three features that raise the risk most.
	Reasons [][]hazard.Reason
	// Interval is the level of the _Low/_High bounds (0: none, and they are nil).
	Interval                          float64
	ProbabilityLow, ProbabilityHigh   []float64
	ValueLow, ValueHigh               []float64
	ExpectedLossLow, ExpectedLossHigh []float64
	// TotalValue is the sum of Value; TotalValueLow and TotalValueHigh its
	// interval (equal to it without intervals).
	TotalValue, TotalValueLow, TotalValueHigh float64
	// ValueDescription says how Value was computed.
	ValueDescription string
}

func (b *Base) hazardOptions(opt RiskOptions, asOf dataset.Day) hazard.Options {
	return hazard.Options{Period: b.opt.Period, AsOf: asOf, Horizon: opt.Horizon, Attributes: opt.Attributes,
		Fit: hazard.FitOptions{Ridge: opt.Ridge}, Context: opt.Context}
}

func (b *Base) hazardData() (hazard.Data, error) {
	if b.Subs == nil {
		return hazard.Data{}, fmt.Errorf("%w: the churn model needs activation and churn dates (-s)", ErrNoSubscribers)
	}
	if need := int64(b.Subs.Len()) * hazardBytesPerSubscriber; b.opt.MemoryLimit > 0 && need > b.opt.MemoryLimit {
		return hazard.Data{}, fmt.Errorf("churn-hazard model: %d subscribers need about %s (%d kB each), %s available (free memory, or --max-memory): %w; use --risk-model heuristic (clv segment, clv report), or fit on a sample of the subscribers",
			b.Subs.Len(), dataset.FormatBytes(need), hazardBytesPerSubscriber/1000, dataset.FormatBytes(b.opt.MemoryLimit), dataset.ErrTooLarge)
	}
	return hazard.Data{Tx: b.Tx, Subs: b.Subs, SubOf: b.SubOf}, nil
}

// hazardBytesPerSubscriber is the memory estimate of the churn-hazard fit
// per subscriber: measured 2.5 kB (100,000 generated subscribers: clv risk
// peaked at 494 MB, clv segment --risk-model heuristic on the same data at
// 240 MB), rounded up.
const hazardBytesPerSubscriber = 3000

// Risk fits the churn-hazard model on the history up to the as-of day and
// scores every subscriber in service on it: churn probability, value,
// expected value lost, reasons and, with opt.Interval, their intervals.
func (b *Base) Risk(opt RiskOptions) (*Risk, error) {
	d, err := b.hazardData()
	if err != nil {
		return nil, err
	}
	if opt.Draws == 0 {
		opt.Draws = 500
	}
	m, err := hazard.Fit(d, b.hazardOptions(opt, b.asOf))
	if err != nil {
		return nil, err
	}
	s, err := m.Score(d)
	if err != nil {
		return nil, err
	}
	n := len(s.Rows)
	r := &Risk{Horizon: opt.Horizon, Model: m, Rows: s.Rows, Probability: s.Probability, Reasons: s.Reasons,
		Value: make([]float64, n), ExpectedLoss: make([]float64, n), Interval: opt.Interval}
	value, draw, _, err := b.riskValues(r, opt)
	if err != nil {
		return nil, err
	}
	for j, i := range s.Rows {
		r.Value[j] = value[i]
		r.ExpectedLoss[j] = r.Probability[j] * value[i]
		r.TotalValue += value[i]
	}
	r.TotalValueLow, r.TotalValueHigh = r.TotalValue, r.TotalValue
	if opt.Interval == 0 {
		return r, nil
	}
	iv, err := m.Interval(s, opt.Interval, opt.Draws, opt.Seed)
	if err != nil {
		return nil, fmt.Errorf("churn probability interval: %w", err)
	}
	r.ProbabilityLow, r.ProbabilityHigh = iv.Low, iv.High
	r.ValueLow, r.ValueHigh = make([]float64, n), make([]float64, n)
	totals := make([]float64, opt.Draws)
	col := make([]float64, opt.Draws)
	for j, i := range s.Rows {
		for k := range col {
			col[k] = draw(k, i)
			totals[k] += col[k]
		}
		r.ValueLow[j], r.ValueHigh[j] = hazard.Percentiles(col, opt.Interval)
	}
	r.TotalValueLow, r.TotalValueHigh = hazard.Percentiles(totals, opt.Interval)
	r.ExpectedLossLow, r.ExpectedLossHigh = iv.Product(func(k, j int) float64 { return draw(k, s.Rows[j]) })
	return r, nil
}

// riskValues returns the value of every subscriber row and, when intervals
// are asked for, its value under parameter draw k of the retention fits
// (draw(k, row)), and the total of draw(k, row) over all rows (total(k),
// in a pass over the distinct tenures of each fit instead of the rows).
// Each sBG fit gets its own seeded draws; a group valued with the pooled
// fit shares the pool's draws. Constant-retention groups and the run-rate
// fallback have no parameter draws (their value is fixed).
func (b *Base) riskValues(r *Risk, opt RiskOptions) (value []float64, draw func(k, row int) float64, total func(k int) float64, err error) {
	v, err := b.SubscriberValues()
	if err == nil {
		if ret, _ := b.Retention(); ret != nil && !hasModel(ret) {
			err = fmt.Errorf("sBG fit: %w", ret.Pool.Err)
		}
	}
	if err != nil {
		margins, merr := b.Margins()
		if merr != nil {
			return nil, nil, nil, merr
		}
		h := b.opt.Segment.Horizon
		ann := segment.Annuity(h, b.opt.Discount)
		out := make([]float64, len(margins))
		for i, m := range margins {
			out[i] = m * ann
		}
		r.ValueDescription = fmt.Sprintf("no retention model (%v): run-rate value, margin per %s × %.4g (%g %ss at %g%%)", err, b.opt.Period, ann, h, b.opt.Period, 100*b.opt.Discount)
		var sum float64
		for _, x := range out {
			sum += x
		}
		return out, func(_, row int) float64 { return out[row] }, func(int) float64 { return sum }, nil
	}
	r.ValueDescription = v.Description
	fixed := func(_, row int) float64 { return v.Value[row] }
	if opt.Interval == 0 {
		var sum float64
		for _, x := range v.Value {
			sum += x
		}
		return v.Value, fixed, func(int) float64 { return sum }, nil
	}
	ret, err := b.Retention()
	if err != nil {
		return nil, nil, nil, err
	}
	type place struct {
		band *retention.ResidualBand
		j    int
	}
	at := make([]place, len(v.Value))
	for gi := range ret.Groups {
		g := &ret.Groups[gi]
		fit, seed := g.Fit, opt.Seed+1+uint64(gi)
		if g.Pooled || ret.By == "" {
			fit, seed = ret.Pool.Fit, opt.Seed
		}
		if fit == nil || g.Model == nil {
			continue // constant retention or no model: value without parameter draws
		}
		band, err := retention.ResidualInterval(ret.Tenures, g.Rows, fit, v.Margin, b.opt.Discount,
			retention.IntervalOptions{Level: opt.Interval, Draws: opt.Draws, Seed: seed})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: value interval: %w", ret.Label(g), err)
		}
		for j, i := range g.Rows {
			at[i] = place{band, j}
		}
	}
	// Rows without parameter draws add their fixed value to every total.
	var fixedSum float64
	var bands []*retention.ResidualBand
	seen := map[*retention.ResidualBand]bool{}
	for row, p := range at {
		if p.band == nil {
			fixedSum += v.Value[row]
		} else if !seen[p.band] {
			seen[p.band] = true
			bands = append(bands, p.band)
		}
	}
	return v.Value, func(k, row int) float64 {
			p := at[row]
			if p.band == nil {
				return v.Value[row]
			}
			return math.Max(0, p.band.Value(k%len(p.band.Tables), p.j))
		}, func(k int) float64 {
			sum := fixedSum
			for _, band := range bands {
				sum += band.PositiveTotal(k % len(band.Tables))
			}
			return sum
		}, nil
}

func hasModel(r *Retention) bool {
	for i := range r.Groups {
		if r.Groups[i].Model != nil {
			return true
		}
	}
	return false
}

// Baseline is an older churn score evaluated by Backtest.
type Baseline struct {
	// Name is "heuristic" (segment risk_score) or "bgnbd" (1 − P(alive)).
	Name       string
	Evaluation *hazard.Evaluation
	// Err says why the baseline could not be scored (Evaluation nil).
	Err error
}

// Backtest is the churn model checked against the churn that followed.
type Backtest struct {
	*hazard.BacktestResult
	Baselines []Baseline
}

// Backtest fits and scores the churn model Horizon periods before the as-of
// day (hazard.Cutoff), using nothing dated after that cutoff, and evaluates it
// and two baselines scored at the same cutoff on the same subscribers
// against the churn observed in (cutoff, as-of]: the segment heuristic
// risk_score and 1 − P(alive) of BG/NBD (segment value model bgnbd).
func (b *Base) Backtest(opt RiskOptions) (*Backtest, error) {
	d, err := b.hazardData()
	if err != nil {
		return nil, err
	}
	bt, err := hazard.Backtest(d, b.hazardOptions(opt, b.asOf))
	if err != nil {
		return nil, err
	}
	out := &Backtest{BacktestResult: bt}
	o := b.opt
	o.AsOf, o.ValueModel, o.RiskModel, o.Note = bt.Cutoff, "none", "heuristic", nil
	cb, err := New(b.Data, o)
	if err != nil {
		return nil, err
	}
	e, err := cb.heuristicBaseline(bt)
	out.Baselines = append(out.Baselines, Baseline{Name: "heuristic", Evaluation: e, Err: err})
	e, err = cb.aliveBaseline(bt)
	out.Baselines = append(out.Baselines, Baseline{Name: "bgnbd", Evaluation: e, Err: err})
	return out, nil
}

// heuristicBaseline evaluates the segment risk_score of cb (a base cut at
// bt.Cutoff) on bt's subscribers.
func (cb *Base) heuristicBaseline(bt *hazard.BacktestResult) (*hazard.Evaluation, error) {
	seg, err := cb.Segments()
	if err != nil {
		return nil, err
	}
	return cb.evaluateRows(bt, seg.Summary, seg.Risk)
}

// aliveBaseline evaluates 1 − P(alive) of the BG/NBD model of cb (fitted on
// its repeat-purchase input, months) on bt's subscribers; a subscriber without
// a purchase is scored with x = 0, t_x = 0, as the segment value model does.
func (cb *Base) aliveBaseline(bt *hazard.BacktestResult) (*hazard.Evaluation, error) {
	sum, err := cb.Summary(dataset.UnitMonth)
	if err != nil {
		return nil, err
	}
	fit, err := cb.Repeat("bgnbd", dataset.UnitMonth, btyd.Options{})
	if err != nil {
		return nil, fmt.Errorf("BG/NBD fit: %w", err)
	}
	counter, err := fit.Counter()
	if err != nil {
		return nil, err
	}
	x := make([]float64, sum.Len())
	for i, v := range sum.X {
		x[i] = float64(v)
	}
	horizon := float64(bt.Model.Options.Horizon * cb.opt.Period.Months())
	pred, err := btyd.Predict(counter, x, sum.Tx, sum.T, nil, btyd.PredictOptions{Horizon: horizon})
	if err != nil {
		return nil, err
	}
	risk := make([]float64, len(pred.PAlive))
	for i, p := range pred.PAlive {
		risk[i] = 1 - p
	}
	return cb.evaluateRows(bt, sum, risk)
}

// evaluateRows maps per-summary-row scores onto bt's subscribers and
// evaluates them against bt's outcomes.
func (cb *Base) evaluateRows(bt *hazard.BacktestResult, sum *dataset.Summary, score []float64) (*hazard.Evaluation, error) {
	rowOf := make([]int, cb.Subs.Len())
	for i := range rowOf {
		rowOf[i] = -1
	}
	for i, c := range sum.Index {
		if r := cb.subRow(c); r >= 0 {
			rowOf[r] = i
		}
	}
	out := make([]float64, len(bt.Scores.Rows))
	for j, r := range bt.Scores.Rows {
		i := rowOf[r]
		if i < 0 {
			return nil, fmt.Errorf("subscriber %s has no summary row at %s", cb.Subs.ID[r], bt.Cutoff)
		}
		out[j] = score[i]
	}
	return hazard.Evaluate(out, bt.Churned)
}

// ValueBands are the level intervals of the subscribers' residual values
// (SubscriberValues) from seeded parameter draws of the retention fits.
type ValueBands struct {
	Level float64
	// Low and High per subscriber row.
	Low, High []float64
	// TotalLow and TotalHigh bound the total of the values.
	TotalLow, TotalHigh float64
}

// ValueBands draws the retention fits' parameters (draws times, seeded) and
// returns the level interval of every subscriber's value and of their
// total. Constant-retention groups add their value without variation.
func (b *Base) ValueBands(level float64, draws int, seed uint64) (*ValueBands, error) {
	return b.valueBands(level, draws, seed, true)
}

// valueBands computes ValueBands; without perSubscriber only the total's
// interval, from totals summed per distinct tenure instead of per row (the
// per-subscriber percentiles and the draws × rows sums are the costly part).
func (b *Base) valueBands(level float64, draws int, seed uint64, perSubscriber bool) (*ValueBands, error) {
	if !(level > 0 && level < 1) {
		return nil, fmt.Errorf("%w: interval level %v (want 0 < level < 1)", ErrBadOption, level)
	}
	if draws < 10 {
		draws = 500
	}
	if b.Subs == nil {
		return nil, fmt.Errorf("%w: value intervals need the retention model (-s)", ErrNoSubscribers)
	}
	_, draw, total, err := b.riskValues(&Risk{}, RiskOptions{Interval: level, Draws: draws, Seed: seed})
	if err != nil {
		return nil, err
	}
	n := b.Subs.Len()
	vb := &ValueBands{Level: level}
	if !perSubscriber {
		totals := make([]float64, draws)
		for k := range totals {
			totals[k] = total(k)
		}
		vb.TotalLow, vb.TotalHigh = hazard.Percentiles(totals, level)
		return vb, nil
	}
	vb.Low, vb.High = make([]float64, n), make([]float64, n)
	totals := make([]float64, draws)
	col := make([]float64, draws)
	for i := range n {
		for k := range col {
			col[k] = draw(k, i)
			totals[k] += col[k]
		}
		vb.Low[i], vb.High[i] = hazard.Percentiles(col, level)
	}
	vb.TotalLow, vb.TotalHigh = hazard.Percentiles(totals, level)
	return vb, nil
}

// ValueInterval returns the level interval of the total future value of the
// subscribers (see ValueBands).
func (b *Base) ValueInterval(level float64, draws int, seed uint64) (low, high float64, err error) {
	vb, err := b.valueBands(level, draws, seed, false)
	if err != nil {
		return 0, 0, err
	}
	return vb.TotalLow, vb.TotalHigh, nil
}
