package btyd

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Counter is a fitted transaction-count model: BGNBD, MBGNBD, ParetoNBD or BGBB.
// x, t_x and T are a customer's repeat transactions, recency and age in the
// model's time unit (opportunities for BGBB); t is a horizon in that unit.
type Counter interface {
	// LogLikelihood returns the log-likelihood of one customer.
	LogLikelihood(x, tx, T float64) float64
	// PAlive returns the probability that the customer is alive at T.
	PAlive(x, tx, T float64) float64
	// ConditionalExpected returns E[Y(t) | x, t_x, T], the expected
	// transactions in (T, T+t].
	ConditionalExpected(t, x, tx, T float64) (float64, error)
	// ExpectedIfAlive returns E[Y(t) | alive at T, x, T]: ConditionalExpected
	// divided by PAlive, which depends on t_x only through PAlive.
	ExpectedIfAlive(t, x, T float64) (float64, error)
	// Expected returns E[X(t)], the expected repeat transactions of a new customer in (0, t].
	Expected(t float64) (float64, error)
}

// Models lists the model names Fit accepts, in display order.
var Models = []string{"bgnbd", "pnbd", "mbgnbd", "bgbb", "gg"}

// ParamNames returns the parameter names of a model, or nil for an unknown model.
func ParamNames(model string) []string {
	switch model {
	case "bgnbd", "mbgnbd":
		return []string{"r", "alpha", "a", "b"}
	case "pnbd":
		return []string{"r", "alpha", "s", "beta"}
	case "bgbb":
		return []string{"alpha", "beta", "gamma", "delta"}
	case "gg":
		return []string{"p", "q", "gamma"}
	}
	return nil
}

// NewCounter builds a count model from its name and parameters (in ParamNames order).
func NewCounter(model string, p []float64) (Counter, error) {
	names := ParamNames(model)
	if names == nil || model == "gg" {
		return nil, fmt.Errorf("%w: %q is not a transaction-count model (want bgnbd, pnbd, mbgnbd or bgbb)", ErrInvalidData, model)
	}
	if len(p) != len(names) {
		return nil, fmt.Errorf("%w: %s needs %d parameters, got %d", ErrInvalidData, model, len(names), len(p))
	}
	for i, v := range p {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: %s parameter %s = %v must be positive and finite", ErrInvalidData, model, names[i], v)
		}
	}
	switch model {
	case "bgnbd":
		return BGNBD{p[0], p[1], p[2], p[3]}, nil
	case "mbgnbd":
		return MBGNBD{p[0], p[1], p[2], p[3]}, nil
	case "pnbd":
		return ParetoNBD{p[0], p[1], p[2], p[3]}, nil
	}
	return BGBB{p[0], p[1], p[2], p[3]}, nil
}

// Counter returns the fitted count model of r (an error for Gamma-Gamma).
func (r *Result) Counter() (Counter, error) { return NewCounter(r.Model, r.Params) }

// PredictOptions controls Predict.
type PredictOptions struct {
	// Horizon is the prediction horizon in the model's time unit (> 0).
	Horizon float64
	// Discount is the discount rate per time unit (0 for none). Transactions
	// expected in unit period k of the horizon (k = 1, 2, ...; the last
	// period may be partial) are weighted by (1+Discount)^-k.
	Discount float64
	// Spend, when set, gives each customer's expected transaction value.
	Spend *GammaGamma
}

// Prediction holds per-customer predictions, in input order.
type Prediction struct {
	PAlive []float64
	// Expected is E[Y(Horizon) | x, t_x, T], undiscounted.
	Expected []float64
	// Discounted is the discounted expected transactions over the horizon
	// (equal to Expected when Discount is 0).
	Discounted []float64
	// Spend is the expected value per transaction (nil without a spend model).
	Spend []float64
	// CLV is Discounted × Spend (nil without a spend model).
	CLV []float64
}

// Predict computes P(alive), expected and discounted expected transactions
// and, with a spend model, expected spend and CLV for each customer. The
// transaction curve is computed once per distinct (x, T) and scaled by each
// customer's P(alive). monetary may be nil when opt.Spend is nil.
func Predict(m Counter, x, tx, T, monetary []float64, opt PredictOptions) (*Prediction, error) {
	n := len(x)
	if len(tx) != n || len(T) != n || (opt.Spend != nil && len(monetary) != n) {
		return nil, fmt.Errorf("%w: x, t_x, T (and monetary) must have the same length", ErrInvalidData)
	}
	if !(opt.Horizon > 0) || math.IsInf(opt.Horizon, 0) {
		return nil, fmt.Errorf("%w: horizon %v must be positive", ErrInvalidData, opt.Horizon)
	}
	if !(opt.Discount >= 0) || math.IsInf(opt.Discount, 0) {
		return nil, fmt.Errorf("%w: discount rate %v must be 0 or more", ErrInvalidData, opt.Discount)
	}
	if opt.Spend != nil && math.IsNaN(opt.Spend.MeanSpend()) {
		return nil, fmt.Errorf("%w: Gamma-Gamma q = %.4g <= 1: the mean spend does not exist", ErrNotIdentified, opt.Spend.Q)
	}
	p := &Prediction{PAlive: make([]float64, n), Expected: make([]float64, n), Discounted: make([]float64, n)}
	type key struct{ x, T float64 }
	type curve struct{ exp, disc float64 }
	// Horizon steps: ends of unit periods, the last one possibly partial.
	var steps []float64
	for k := 1.0; k < opt.Horizon; k++ {
		steps = append(steps, k)
	}
	steps = append(steps, opt.Horizon)
	keys := make([]key, n)
	for i := range x {
		if x[i] < 0 || tx[i] < 0 || tx[i] > T[i] || math.IsNaN(x[i]+tx[i]+T[i]) || math.IsInf(T[i], 0) {
			return nil, fmt.Errorf("%w: customer %d: x = %v, t_x = %v, T = %v", ErrInvalidData, i+1, x[i], tx[i], T[i])
		}
		keys[i] = key{x[i], T[i]}
	}
	uniq := slices.Clone(keys)
	slices.SortFunc(uniq, func(a, b key) int {
		if c := cmp.Compare(a.x, b.x); c != 0 {
			return c
		}
		return cmp.Compare(a.T, b.T)
	})
	uniq = slices.Compact(uniq)
	curves := make([]curve, len(uniq))
	var errs [1]float64
	blockSum(len(uniq), 1, errs[:], func(lo, hi int, acc []float64) {
		for j := lo; j < hi; j++ {
			k := uniq[j]
			prev, disc := 0.0, 0.0
			var e float64
			for si, t := range steps {
				v, err := m.ExpectedIfAlive(t, k.x, k.T)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					acc[0]++
					break
				}
				if opt.Discount > 0 {
					disc += (v - prev) * math.Pow(1+opt.Discount, -float64(si+1))
				}
				prev, e = v, v
			}
			if opt.Discount == 0 {
				disc = e
			}
			curves[j] = curve{e, disc}
		}
	})
	if errs[0] > 0 {
		return nil, fmt.Errorf("%w: expected transactions could not be evaluated for %.0f distinct (x, T) pairs", ErrNotConverged, errs[0])
	}
	for i := range x {
		j, _ := slices.BinarySearchFunc(uniq, keys[i], func(a, b key) int {
			if c := cmp.Compare(a.x, b.x); c != 0 {
				return c
			}
			return cmp.Compare(a.T, b.T)
		})
		pa := m.PAlive(x[i], tx[i], T[i])
		if math.IsNaN(pa) {
			return nil, fmt.Errorf("%w: P(alive) is not finite for customer %d (x = %v, t_x = %v, T = %v)", ErrNotConverged, i+1, x[i], tx[i], T[i])
		}
		p.PAlive[i] = pa
		p.Expected[i] = pa * curves[j].exp
		p.Discounted[i] = pa * curves[j].disc
	}
	if opt.Spend != nil {
		p.Spend = make([]float64, n)
		p.CLV = make([]float64, n)
		for i := range x {
			p.Spend[i] = opt.Spend.ConditionalExpectedSpend(x[i], monetary[i])
			p.CLV[i] = p.Discounted[i] * p.Spend[i]
		}
	}
	return p, nil
}

// FrequencyBin compares actual and predicted holdout transactions of the
// customers with one calibration frequency.
type FrequencyBin struct {
	// Frequency is the calibration x; the last bin holds every x >= it.
	Frequency int
	// Censored is true for the last, open-ended bin.
	Censored  bool
	Customers float64
	// Actual and Predicted are mean holdout transactions per customer.
	Actual, Predicted float64
}

// CompareByFrequency groups customers by calibration frequency x (0 .. censor,
// with censor meaning "censor or more") and averages actual and predicted
// holdout transactions in each group. Empty groups are kept with zero customers.
func CompareByFrequency(x, actual, predicted []float64, censor int) []FrequencyBin {
	if censor < 1 {
		censor = 1
	}
	bins := make([]FrequencyBin, censor+1)
	for k := range bins {
		bins[k].Frequency = k
	}
	bins[censor].Censored = true
	for i := range x {
		k := min(int(x[i]), censor)
		bins[k].Customers++
		bins[k].Actual += actual[i]
		bins[k].Predicted += predicted[i]
	}
	for k := range bins {
		if bins[k].Customers > 0 {
			bins[k].Actual /= bins[k].Customers
			bins[k].Predicted /= bins[k].Customers
		}
	}
	return bins
}

// Errors returns the mean absolute and root mean squared differences of predicted and actual.
func Errors(actual, predicted []float64) (mae, rmse float64) {
	if len(actual) == 0 {
		return 0, 0
	}
	for i := range actual {
		d := predicted[i] - actual[i]
		mae += math.Abs(d)
		rmse += d * d
	}
	n := float64(len(actual))
	return mae / n, math.Sqrt(rmse / n)
}

// CumulativeExpected returns, at each time in times, the expected cumulative
// repeat transactions of a population whose customers were born (made their
// first purchase) at the given times: Σ_i E[X(t - birth_i)] over births before
// t. Births and times share one origin and the model's time unit; customers
// with the same birth time are evaluated once.
func CumulativeExpected(m Counter, births, times []float64) ([]float64, error) {
	b := slices.Clone(births)
	slices.Sort(b)
	type group struct{ at, n float64 }
	var groups []group
	for i, v := range b {
		if i > 0 && v == b[i-1] {
			groups[len(groups)-1].n++
			continue
		}
		groups = append(groups, group{v, 1})
	}
	out := make([]float64, len(times))
	for k, t := range times {
		s := 0.0
		for _, g := range groups {
			if g.at >= t {
				break
			}
			v, err := m.Expected(t - g.at)
			if err != nil {
				return nil, err
			}
			s += g.n * v
		}
		out[k] = s
	}
	return out, nil
}
