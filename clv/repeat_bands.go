package clv

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/hazard"
)

// RepeatBands are level intervals of repeat-purchase predictions per
// modelled customer (RepeatInput order), from the parameter uncertainty of
// the fits.
type RepeatBands struct {
	Level                     float64
	PAliveLow, PAliveHigh     []float64
	ExpectedLow, ExpectedHigh []float64
	// CLVLow and CLVHigh are nil without a spend model.
	CLVLow, CLVHigh []float64
	Draws           int
}

// RepeatPrediction says what to predict: horizon and discount in the
// input's unit, and the spend model's fit (nil: transactions only).
type RepeatPrediction struct {
	Horizon, Discount float64
	Spend             *btyd.Result
}

// RepeatBands draws the count model's parameters (and the spend model's,
// independently) draws times from the normal approximation of their
// log-parameters (btyd.ParamDraws, seeded) and returns the level interval of
// P(alive), expected transactions and, with a spend model, discounted CLV
// for every customer of in.
func (b *Base) RepeatBands(in *RepeatInput, count *btyd.Result, p RepeatPrediction, level float64, draws int, seed uint64) (*RepeatBands, error) {
	if !(level > 0 && level < 1) {
		return nil, fmt.Errorf("%w: interval level %v (want 0 < level < 1)", ErrBadOption, level)
	}
	if draws < 10 {
		draws = 200
	}
	cd, err := btyd.ParamDraws(count, draws, seed)
	if err != nil {
		return nil, fmt.Errorf("%s interval: %w", in.Model, err)
	}
	var sd [][]float64
	if p.Spend != nil {
		if sd, err = btyd.ParamDraws(p.Spend, draws, seed+1); err != nil {
			return nil, fmt.Errorf("gg interval: %w", err)
		}
	}
	xSpend := in.X
	if in.Model == "bgbb" {
		xSpend = in.RepeatDays()
	}
	n := len(in.Rows)
	palive, expected, clvs := make([][]float64, n), make([][]float64, n), make([][]float64, n)
	for j := range n {
		palive[j], expected[j] = make([]float64, 0, draws), make([]float64, 0, draws)
		if sd != nil {
			clvs[j] = make([]float64, 0, draws)
		}
	}
	used := 0
	for d := range draws {
		m, err := btyd.NewCounter(in.Model, cd[d])
		if err != nil {
			continue
		}
		pred, err := btyd.Predict(m, in.X, in.Tx, in.T, nil, btyd.PredictOptions{Horizon: p.Horizon, Discount: p.Discount})
		if err != nil {
			continue
		}
		var gg *btyd.GammaGamma
		if sd != nil {
			gg = &btyd.GammaGamma{P: sd[d][0], Q: sd[d][1], Gamma: sd[d][2]}
			if ms := gg.MeanSpend(); math.IsNaN(ms) || math.IsInf(ms, 0) {
				continue // q <= 1 in this draw: the mean spend does not exist
			}
		}
		used++
		for j := range n {
			palive[j] = append(palive[j], pred.PAlive[j])
			expected[j] = append(expected[j], pred.Expected[j])
			if gg != nil {
				clvs[j] = append(clvs[j], pred.Discounted[j]*gg.ConditionalExpectedSpend(xSpend[j], in.M[j]))
			}
		}
	}
	if used < draws/2 {
		return nil, fmt.Errorf("%w: only %d of %d parameter draws give finite predictions; the fit is too uncertain for an interval", btyd.ErrNotIdentified, used, draws)
	}
	rb := &RepeatBands{Level: level, Draws: used,
		PAliveLow: make([]float64, n), PAliveHigh: make([]float64, n), ExpectedLow: make([]float64, n), ExpectedHigh: make([]float64, n)}
	if sd != nil {
		rb.CLVLow, rb.CLVHigh = make([]float64, n), make([]float64, n)
	}
	for j := range n {
		rb.PAliveLow[j], rb.PAliveHigh[j] = hazard.Percentiles(palive[j], level)
		rb.ExpectedLow[j], rb.ExpectedHigh[j] = hazard.Percentiles(expected[j], level)
		if sd != nil {
			rb.CLVLow[j], rb.CLVHigh[j] = hazard.Percentiles(clvs[j], level)
		}
	}
	return rb, nil
}
