package clv

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/segment"
)

// Segments is the segment analysis of the base: stage, value tier, key
// accounts, risk and action per customer, with what the future value is.
type Segments struct {
	*segment.Result
	// Summary is the monthly-unit summary the segments were built on; its rows
	// are the rows of Result.
	Summary *dataset.Summary
	// Attrs are the subscriber attributes per row (empty strings for
	// customers missing from the subscriber export).
	Attrs map[string][]string
	// AttrNames lists the attribute columns in export order.
	AttrNames []string
	// Churn is the churn day per row (nil without subscribers).
	Churn []dataset.Day
	// Model is the value model used: sbg, bgnbd or none (run-rate value).
	Model string
	// Description says what clv means, for notes and reports.
	Description string
	// Outside counts customers missing from the subscriber export (valued at
	// the run-rate value under the sbg model).
	Outside int
	// Options are the segment options used.
	Options segment.Options
	// Headroom is the up-sell headroom per row (Potential.Headroom; nil
	// when potential values are not available). Result.Potential holds the
	// potential values.
	Headroom []float64
	// BaseValue is the future value of the whole base: with the sbg model the
	// residual value of every subscriber without a churn date (also those the
	// stage rules call churned after a lapse, whose clv is 0) plus the
	// run-rate value of customers missing from the export; otherwise the sum
	// of clv.
	BaseValue float64
	// Hazard is the churn-hazard result behind the risk column (nil when
	// the heuristic was used); RiskDescription says what risk means.
	Hazard          *Risk
	RiskDescription string
}

// Segments builds the segments once per run.
func (b *Base) Segments() (*Segments, error) {
	if b.segs != nil || b.segsErr != nil {
		return b.segs, b.segsErr
	}
	b.segs, b.segsErr = b.buildSegments()
	return b.segs, b.segsErr
}

// Panel returns the customer × period spend panel of the window: from the
// first transaction's period to the as-of day.
func (b *Base) Panel() (*dataset.Panel, error) {
	if b.panel != nil || b.panelErr != nil {
		return b.panel, b.panelErr
	}
	first, _ := b.Tx.DayRange()
	if b.Tx.Len() == 0 || first > b.asOf {
		b.panelErr = fmt.Errorf("%w: no transaction on or before %s", dataset.ErrEmpty, b.asOf)
		return nil, b.panelErr
	}
	b.panel, b.panelErr = dataset.BuildPanel(b.Tx, dataset.PanelOptions{Period: b.opt.Period, AsOf: b.asOf, From: first, MaxBytes: b.opt.MemoryLimit})
	return b.panel, b.panelErr
}

func (b *Base) buildSegments() (*Segments, error) {
	opt := b.opt.Segment
	opt.Discount = b.opt.Discount
	sum, err := b.Summary(dataset.UnitMonth)
	if err != nil {
		return nil, err
	}
	panel, err := b.Panel()
	if err != nil {
		return nil, err
	}
	s := &Segments{Summary: sum, Attrs: map[string][]string{}, Options: opt}
	input := segment.Input{Summary: sum, Panel: panel}
	if b.Subs != nil {
		s.AttrNames = b.Subs.AttrNames
		input.Churn = make([]dataset.Day, sum.Len())
		for k, name := range b.Subs.AttrNames {
			col := make([]string, sum.Len())
			for i, c := range sum.Index {
				if r := b.subRow(c); r >= 0 {
					col[i] = b.Subs.Attrs[k][r]
				}
			}
			s.Attrs[name] = col
		}
		for i, c := range sum.Index {
			input.Churn[i] = dataset.NoDay
			if r := b.subRow(c); r >= 0 {
				input.Churn[i] = b.Subs.Churn[r]
			}
		}
	}
	p := b.opt.Period
	s.Description = fmt.Sprintf("run-rate value: current value per %s × %.4g (%g %ss at %g%% discount per %s); no churn model",
		p, segment.Annuity(opt.Horizon, opt.Discount), opt.Horizon, p, 100*opt.Discount, p)
	model := b.opt.ValueModel
	if model == "" || model == "auto" {
		model = "none"
		if b.Subs != nil {
			model = "sbg"
		}
	}
	switch model {
	case "sbg":
		if b.Subs == nil {
			return nil, fmt.Errorf("%w: value model sbg needs the subscriber export (activation and churn dates)", ErrNoSubscribers)
		}
		input.CLV, err = b.sbgValues(sum, opt, s)
		if err != nil {
			if b.opt.ValueModel == "sbg" {
				return nil, err
			}
			b.notef("value model: sBG not usable (%v); using the run-rate value", err)
			input.CLV = nil
		} else if pot, err := b.Potential(); err != nil {
			b.notef("potential value not available (%v); quadrants split current value × clv", err)
		} else {
			// Quadrants on current × potential value: customers outside the
			// subscriber export, and subscribers not valued, have potential 0.
			input.Potential = make([]float64, sum.Len())
			for i, c := range sum.Index {
				if r := b.subRow(c); r >= 0 {
					input.Potential[i] = pot.Value[r]
				}
			}
			s.Headroom = make([]float64, sum.Len())
			for i, c := range sum.Index {
				if r := b.subRow(c); r >= 0 {
					s.Headroom[i] = pot.Headroom[r]
				}
			}
		}
	case "bgnbd":
		input.CLV, input.PAlive, s.Description, err = b.repeatValues(sum, opt)
		if err != nil {
			return nil, err
		}
	case "none":
	default:
		return nil, fmt.Errorf("%w: value model %q: want auto, sbg, bgnbd or none", ErrBadOption, model)
	}
	if err := b.segmentRisk(&input, s); err != nil {
		return nil, err
	}
	opt.RiskThreshold = s.Options.RiskThreshold
	s.Churn = input.Churn
	s.Model = model
	if input.CLV == nil {
		s.Model = "none"
	}
	res, err := segment.Build(input, opt)
	if err != nil {
		return nil, err
	}
	s.Result = res
	for i := range s.Headroom {
		if res.Stage[i] == segment.Churned {
			s.Headroom[i] = 0 // as clv and potential value: no future for the churned
		}
	}
	if s.Model != "sbg" {
		s.BaseValue = 0
		for _, v := range res.CLV {
			s.BaseValue += v
		}
	}
	return s, nil
}

// subRow returns the subscriber row of customer c, or -1.
func (b *Base) subRow(c int32) int32 {
	if int(c) >= len(b.SubOf) {
		return -1
	}
	return b.SubOf[c]
}

// sbgValues maps the subscribers' residual values onto the summary rows;
// customers missing from the subscriber export get the run-rate value.
func (b *Base) sbgValues(sum *dataset.Summary, opt segment.Options, s *Segments) ([]float64, error) {
	v, err := b.SubscriberValues()
	if err != nil {
		return nil, err
	}
	if r, _ := b.Retention(); r != nil && r.Pool.Model == nil {
		// Nothing to value with: every group lacks a model.
		allMissing := true
		for i := range r.Groups {
			if r.Groups[i].Model != nil {
				allMissing = false
			}
		}
		if allMissing {
			return nil, fmt.Errorf("sBG fit: %w", r.Pool.Err)
		}
	}
	annuity := segment.Annuity(opt.Horizon, opt.Discount)
	per := b.opt.Period.Days()
	out := make([]float64, sum.Len())
	s.BaseValue = v.Total
	for i, c := range sum.Index {
		if r := b.subRow(c); r >= 0 {
			out[i] = v.Value[r]
			continue
		}
		s.Outside++
		if sum.Transactions[i] > 0 && len(sum.Tenure) > i {
			days := math.Max(1, float64(sum.Tenure[i])+1)
			out[i] = math.Max(0, sum.Total[i]/(days/per)) * annuity
			s.BaseValue += out[i]
		}
	}
	s.Description = v.Description
	if s.Outside > 0 {
		s.Description += fmt.Sprintf("; %d customers missing from the subscriber export get the run-rate value", s.Outside)
	}
	return out, nil
}

// repeatValues values every summary row with BG/NBD expected purchases ×
// Gamma-Gamma spend (model time in months), fitted on RepeatInput.
func (b *Base) repeatValues(sum *dataset.Summary, opt segment.Options) (clvs, palive []float64, desc string, err error) {
	months := float64(b.opt.Period.Months())
	horizon := opt.Horizon * months
	monthly := math.Pow(1+opt.Discount, 1/months) - 1
	fit, err := b.Repeat("bgnbd", dataset.UnitMonth, btyd.Options{})
	if err != nil {
		return nil, nil, "", fmt.Errorf("value model bgnbd: BG/NBD fit: %w", err)
	}
	gg, err := b.Repeat("gg", dataset.UnitMonth, btyd.Options{})
	if err != nil {
		return nil, nil, "", fmt.Errorf("value model bgnbd: Gamma-Gamma fit: %w", err)
	}
	counter, err := fit.Counter()
	if err != nil {
		return nil, nil, "", err
	}
	spend := &btyd.GammaGamma{P: gg.Params[0], Q: gg.Params[1], Gamma: gg.Params[2]}
	if m := spend.MeanSpend(); math.IsNaN(m) || math.IsInf(m, 0) {
		return nil, nil, "", fmt.Errorf("value model bgnbd: %w: Gamma-Gamma q = %.4g <= 1, the mean spend does not exist", btyd.ErrNotIdentified, spend.Q)
	}
	// Every summary row is scored (a subscriber without a purchase has x = 0,
	// t_x = 0), with the parameters fitted on the customers with a purchase.
	x := make([]float64, sum.Len())
	for i, v := range sum.X {
		x[i] = float64(v)
	}
	pred, err := btyd.Predict(counter, x, sum.Tx, sum.T, sum.Monetary, btyd.PredictOptions{Horizon: horizon, Discount: monthly, Spend: spend})
	if err != nil {
		return nil, nil, "", fmt.Errorf("value model bgnbd: %w", err)
	}
	desc = fmt.Sprintf("BG/NBD (r %.4g, alpha %.4g, a %.4g, b %.4g; months) × Gamma-Gamma spend (p %.4g, q %.4g, gamma %.4g), expected discounted spend over %g months at %g%% per %s",
		fit.Params[0], fit.Params[1], fit.Params[2], fit.Params[3], gg.Params[0], gg.Params[1], gg.Params[2], horizon, 100*opt.Discount, b.opt.Period)
	return pred.CLV, pred.PAlive, desc, nil
}

// ProfileColumns returns the attributes to profile: by when given (an error
// names a missing column), else plan, region and customer_type where present.
func (s *Segments) ProfileColumns(by []string) ([]string, error) {
	if len(by) > 0 {
		for _, name := range by {
			if _, ok := s.Attrs[name]; !ok {
				have := s.AttrNames
				if have == nil {
					have = []string{"none: no subscriber export"}
				}
				return nil, fmt.Errorf("%w: --by %q: the subscriber export has no such column (have %v)", ErrBadOption, name, have)
			}
		}
		return by, nil
	}
	var out []string
	for _, name := range []string{"plan", "region", "customer_type"} {
		if _, ok := s.Attrs[name]; ok {
			out = append(out, name)
		}
	}
	return out, nil
}

// AutoHazardLimit is the largest subscriber export for which RiskModel
// auto fits the churn-hazard model; above it auto means the heuristic.
const AutoHazardLimit = 50000

// segmentRisk sets the churn probability of the churn-hazard model as the
// segments' risk (Options.RiskModel).
func (b *Base) segmentRisk(in *segment.Input, s *Segments) error {
	mode := b.opt.RiskModel
	lapse := s.Options.Rules.LapsePeriods
	s.RiskDescription = fmt.Sprintf("risk score = mean of recency risk (whole %ss since the last purchase ÷ %d, at most 1) and trend risk (−spend trend ÷ %.2f, clipped to 0..1): a heuristic, not a probability",
		b.opt.Period, lapse, 2*math.Abs(s.Options.Rules.DeclineSlope))
	if in.PAlive != nil {
		s.RiskDescription = "risk score = 1 − P(alive) from the BG/NBD value model"
	}
	switch mode {
	case "heuristic":
		return nil
	case "", "auto", "hazard":
	default:
		return fmt.Errorf("%w: risk model %q: want auto, hazard or heuristic", ErrBadOption, mode)
	}
	if mode != "hazard" && b.Subs != nil && b.Subs.Len() > AutoHazardLimit {
		b.notef("risk: %d subscribers is over the %d up to which --risk-model auto fits the churn-hazard model (at 100,000 a fit took about a minute and 4 kB per subscriber on two cores); using the recency and trend heuristic — --risk-model hazard fits it anyway", b.Subs.Len(), AutoHazardLimit)
		return nil
	}
	if b.Subs == nil || in.PAlive != nil {
		if mode == "hazard" {
			return fmt.Errorf("%w: the hazard risk model needs the subscriber export and the sbg or none value model", ErrBadOption)
		}
		return nil
	}
	h := b.opt.RiskHorizon
	if h < 1 {
		h = 3
	}
	r, err := b.Risk(RiskOptions{Horizon: h})
	if err != nil {
		if mode == "hazard" {
			return fmt.Errorf("churn-hazard model: %w", err)
		}
		b.notef("risk: the churn-hazard model could not be fitted (%v); using the recency and trend heuristic", err)
		return nil
	}
	byRow := make(map[int]float64, len(r.Rows))
	for j, i := range r.Rows {
		byRow[i] = r.Probability[j]
	}
	p := make([]float64, in.Summary.Len())
	for i, c := range in.Summary.Index {
		p[i] = math.NaN()
		if row := b.subRow(c); row >= 0 {
			if v, ok := byRow[int(row)]; ok {
				p[i] = v
			}
		}
	}
	in.ChurnProbability = p
	s.Hazard = r
	// High risk is relative to the base: twice its mean probability, unless
	// the set threshold is lower.
	var mean float64
	for _, v := range r.Probability {
		mean += v
	}
	if len(r.Probability) > 0 {
		mean /= float64(len(r.Probability))
	}
	if 2*mean > 0 && 2*mean < s.Options.RiskThreshold {
		s.Options.RiskThreshold = 2 * mean
	}
	s.RiskDescription = fmt.Sprintf("risk score = probability of churn within %d %ss from the churn-hazard model (calibrated: see clv backtest); high risk = at least %.3g (twice the mean of %.3g over the subscribers in service, or --risk-threshold if lower); value at risk = clv × probability, the expected value lost",
		h, b.opt.Period, s.Options.RiskThreshold, mean)
	return nil
}

// CLVBands maps the subscribers' value intervals onto the segment rows: a
// row valued with the sbg model gets its subscriber's interval, a churned
// row 0, and any other row (run-rate or another value model) its clv on both
// sides.
func (b *Base) CLVBands(s *Segments, vb *ValueBands) (low, high []float64) {
	n := s.Len()
	low, high = make([]float64, n), make([]float64, n)
	for i, c := range s.Summary.Index {
		low[i], high[i] = s.CLV[i], s.CLV[i]
		if s.Model != "sbg" || s.Stage[i] == segment.Churned {
			continue
		}
		if r := b.subRow(c); r >= 0 {
			low[i], high[i] = vb.Low[r], vb.High[r]
		}
	}
	return low, high
}
