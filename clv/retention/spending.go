package retention

import (
	"fmt"
	"math"
)

// Response is the retention response to retention spending of Berger & Nasr
// (1998), case 4 (after Blattberg & Deighton 1996): a customer who receives
// retention spending C per period stays with probability
//
//	r(C) = Ceiling · (1 − e^(−K·C))
//
// Ceiling is the highest retention any spending can buy; K how fast spending
// approaches it.
type Response struct {
	Ceiling float64 // R in (0, 1]
	K       float64 // k > 0, per unit of spending
}

// Retention returns r(C).
func (p Response) Retention(c float64) float64 { return p.Ceiling * -math.Expm1(-p.K*c) }

func (p Response) check() error {
	if !(p.Ceiling > 0 && p.Ceiling <= 1) {
		return fmt.Errorf("%w: retention ceiling %g outside (0, 1]", ErrInvalidInput, p.Ceiling)
	}
	if !(p.K > 0) || math.IsInf(p.K, 0) {
		return fmt.Errorf("%w: response %g (want a finite number > 0)", ErrInvalidInput, p.K)
	}
	return nil
}

// SpendPoint is the value of one level of retention spending.
type SpendPoint struct {
	Spend     float64 // C per customer per period
	Retention float64 // r(C)
	CLV       float64
}

// Spending is the result of OptimalSpending: the CLV over a grid of
// spending levels and the level that maximises it.
type Spending struct {
	Grid []SpendPoint
	// Best is the spending that maximises CLV on [0, Max], refined by
	// golden-section search around the best grid point.
	Best SpendPoint
	// Max is the upper end of the search: where r(C) is within 1e-9 of the
	// ceiling, so more spending cannot buy retention.
	Max float64
	// Evaluations counts the valuations of the search (bounded).
	Evaluations int
}

// maxSpendEvaluations bounds the valuations of OptimalSpending's search.
const maxSpendEvaluations = 1000

// SpendValue values s with retention r(C) and retention spending C per
// period: Berger & Nasr's case 4. s.Retention and s.RetentionCost are
// replaced; every other field (margin, growth, horizon, timing, discount,
// acquisition cost) is used as given.
func SpendValue(s Scenario, p Response, c float64) (float64, error) {
	if err := p.check(); err != nil {
		return 0, err
	}
	if !(c >= 0) || math.IsInf(c, 0) {
		return 0, fmt.Errorf("%w: retention spending %g (want a finite number >= 0)", ErrInvalidInput, c)
	}
	s.Retention, s.RetentionCost = p.Retention(c), c
	v, err := Value(s)
	if err != nil {
		return 0, err
	}
	return v.CLV, nil
}

// OptimalSpending values s over steps+1 spending levels evenly spaced on
// [0, show] (show <= 0: up to the spending where r(C) reaches 99.9 % of the
// ceiling, ln(1000)/k) and finds the spending C* that maximises CLV on
// [0, Max]: a scan of 200 evenly spaced levels, then golden-section search on
// the bracket around the best one, to a relative width of 1e-10 (bounded by
// maxSpendEvaluations valuations in all). CLV(C) is smooth, so the scan finds
// the global maximum's bracket unless two maxima lie within one scan step.
func OptimalSpending(s Scenario, p Response, show float64, steps int) (*Spending, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if steps < 1 || steps > 10000 {
		return nil, fmt.Errorf("%w: %d spending steps (want 1 to 10000)", ErrInvalidInput, steps)
	}
	if math.IsNaN(show) || math.IsInf(show, 0) {
		return nil, fmt.Errorf("%w: spending range %g", ErrInvalidInput, show)
	}
	out := &Spending{Max: -math.Log(1e-9) / p.K}
	eval := func(c float64) (float64, error) {
		out.Evaluations++
		return SpendValue(s, p, c)
	}
	if show <= 0 {
		show = math.Log(1000) / p.K
	}
	for i := 0; i <= steps; i++ {
		c := show * float64(i) / float64(steps)
		v, err := eval(c)
		if err != nil {
			return nil, fmt.Errorf("retention spending %g: %w", c, err)
		}
		out.Grid = append(out.Grid, SpendPoint{Spend: c, Retention: p.Retention(c), CLV: v})
	}
	const scan = 200
	h := out.Max / scan
	best, bestV := 0, math.Inf(-1)
	for i := 0; i <= scan; i++ {
		v, err := eval(float64(i) * h)
		if err != nil {
			return nil, fmt.Errorf("retention spending %g: %w", float64(i)*h, err)
		}
		if v > bestV {
			best, bestV = i, v
		}
	}
	lo, hi := math.Max(0, float64(best-1)*h), math.Min(out.Max, float64(best+1)*h)
	// Golden-section search for the maximum on [lo, hi].
	const invPhi = 0.6180339887498949
	x1, x2 := hi-invPhi*(hi-lo), lo+invPhi*(hi-lo)
	f1, err := eval(x1)
	if err != nil {
		return nil, err
	}
	f2, err := eval(x2)
	if err != nil {
		return nil, err
	}
	for hi-lo > 1e-10*math.Max(1, out.Max) && out.Evaluations < maxSpendEvaluations {
		if f1 >= f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - invPhi*(hi-lo)
			if f1, err = eval(x1); err != nil {
				return nil, err
			}
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + invPhi*(hi-lo)
			if f2, err = eval(x2); err != nil {
				return nil, err
			}
		}
	}
	c, v := x1, f1
	if f2 > f1 {
		c, v = x2, f2
	}
	if bestV > v { // the grid end point itself (C = 0 or Max) is the maximum
		c, v = float64(best)*h, bestV
	}
	out.Best = SpendPoint{Spend: c, Retention: p.Retention(c), CLV: v}
	return out, nil
}
