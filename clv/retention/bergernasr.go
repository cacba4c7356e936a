package retention

import (
	"fmt"
	"math"
)

// Timing says when in a period the margin of a retained customer is received.
type Timing int

const (
	// TimingStart receives the margin at the start of every period, the
	// first one at acquisition (time 0, undiscounted). This is Berger &
	// Nasr (1998), case 1.
	TimingStart Timing = iota
	// TimingEnd receives the margin at the end of every period the customer
	// survives into: the first one at time 1, only if the customer was
	// retained. This is the convention behind the Gupta & Lehmann (2003)
	// margin multiple r/(1+d−r).
	TimingEnd
)

// String returns "start" or "end".
func (t Timing) String() string {
	if t == TimingEnd {
		return "end"
	}
	return "start"
}

// ParseTiming parses "start" or "end".
func ParseTiming(s string) (Timing, error) {
	switch s {
	case "start", "begin", "beginning":
		return TimingStart, nil
	case "end":
		return TimingEnd, nil
	}
	return 0, fmt.Errorf("%w: timing %q (want start or end)", ErrInvalidInput, s)
}

// Scenario describes one customer under the constant-margin, constant-retention
// assumptions of Berger & Nasr (1998).
type Scenario struct {
	// Margin is the gross contribution m of a retained customer per period.
	Margin float64
	// Retention is the probability r in [0, 1] that a customer active in one
	// period is active in the next.
	Retention float64
	// Discount is the discount rate per period (per year when CyclesPerYear
	// is set), at least 0.
	Discount float64
	// Periods is the horizon n in periods (cycles); 0 means an infinite
	// horizon, valued in closed form.
	Periods int
	// AcquisitionCost A is spent once at time 0 and subtracted.
	AcquisitionCost float64
	// RetentionCost C is the retention (promotion) spending per customer per
	// period, spent in the middle of each period on the customers active at
	// its start, as in Berger & Nasr's case 1.
	RetentionCost float64
	// Timing is when margins are received.
	Timing Timing
	// CyclesPerYear, when positive, makes Discount an annual rate for
	// purchase cycles of 1/CyclesPerYear of a year (Berger & Nasr's case 2):
	// the rate per cycle is (1+Discount)^(1/CyclesPerYear) − 1. Retention,
	// Margin, RetentionCost and Periods are per cycle.
	CyclesPerYear float64
	// MarginGrowth g (> −1) makes the margin change over the relationship
	// (Berger & Nasr's case 3): the k-th margin received is m(1+g)^(k−1),
	// so m(1+g)^t at time t with start timing and m(1+g)^(t−1) with end
	// timing. 0 is the constant margin of cases 1 and 2.
	MarginGrowth float64
}

// CashFlow is one period of a valuation. Survival, Margin and Cost are
// expected values per acquired customer, before discounting.
type CashFlow struct {
	// Period is the period index: 0 is acquisition (time 0).
	Period int
	// Survival is the probability that the customer is still active at the
	// time the period's margin is received (r^i).
	Survival float64
	// Margin is the expected margin received in the period (m · Survival,
	// times (1+g)^(k−1) for the k-th margin with MarginGrowth g).
	Margin float64
	// Cost is the expected spending of the period: the acquisition cost in
	// period 0, C · r^(i−1) spent at time i − 1/2 in period i ≥ 1.
	Cost float64
	// Discount is the discount factor applied to the margin, 1/(1+d)^i.
	// The retention cost of period i ≥ 1 is discounted by 1/(1+d)^(i−1/2).
	Discount float64
	// Value is the discounted net value of the period.
	Value float64
	// Cumulative is the sum of Value over periods 0..Period.
	Cumulative float64
}

// Valuation is the result of valuing a Scenario.
type Valuation struct {
	// CLV is the customer lifetime value from the closed form.
	CLV float64
	// Rate is the discount rate per period (cycle) that was applied.
	Rate float64
	// Flows lists the per-period cash flows. For an infinite horizon the list
	// stops once the remaining discounted margin is below 0.1% of the total
	// (at most MaxListedPeriods periods); Tail holds the rest.
	Flows []CashFlow
	// Tail is CLV minus the last Cumulative: the value of the periods not
	// listed (0 for a finite horizon, up to rounding).
	Tail float64
}

// MaxListedPeriods caps the number of cash-flow rows listed for an infinite horizon.
const MaxListedPeriods = 1200

// MarginMultiple returns the Gupta & Lehmann (2003) margin multiple
// r/(1 + d − r): the lifetime value of a customer per unit of constant margin
// received at the end of every period survived, over an infinite horizon
// (Gupta, S. and Lehmann, D. R., "Customers as assets", Journal of Interactive
// Marketing 17(1), 2003). CLV = m · r/(1+d−r).
func MarginMultiple(retention, discount float64) (float64, error) {
	if err := checkRates(retention, discount); err != nil {
		return 0, err
	}
	den := 1 + discount - retention
	if den <= 0 {
		return 0, fmt.Errorf("%w: retention %g with discount %g (need retention < 1 + discount)", ErrInfiniteValue, retention, discount)
	}
	return retention / den, nil
}

func checkRates(retention, discount float64) error {
	if !(retention >= 0 && retention <= 1) {
		return fmt.Errorf("%w: retention %g outside [0, 1]", ErrInvalidInput, retention)
	}
	if !(discount >= 0) || math.IsInf(discount, 0) {
		return fmt.Errorf("%w: discount %g (want a finite rate >= 0)", ErrInvalidInput, discount)
	}
	return nil
}

// Value values s with the Berger & Nasr (1998) closed forms ("Customer
// lifetime value: marketing models and applications", Journal of Interactive
// Marketing 12(1), 17–30). With q = r/(1+d) and n = s.Periods:
//
// Start timing (their case 1; margins at times 0..n, retention spending C at
// the middle of periods 1..n on the r^(i−1) customers active at their start):
//
//	CLV = −A + m · Σ_{i=0..n} q^i − C · (1+d)^(−1/2) · Σ_{i=1..n} q^(i−1)
//	    = −A + m (1 − q^(n+1))/(1 − q) − C (1+d)^(−1/2) (1 − q^n)/(1 − q)
//
// End timing (margins at times 1..n to the r^i survivors):
//
//	CLV = −A + m q (1 − q^n)/(1 − q) − C (1+d)^(−1/2) (1 − q^n)/(1 − q)
//
// Infinite horizon (n → ∞, q < 1):
//
//	start: CLV = −A + m (1+d)/(1+d−r) − C √(1+d)/(1+d−r)
//	end:   CLV = −A + m r/(1+d−r)     − C √(1+d)/(1+d−r)   (Gupta & Lehmann's m·r/(1+d−r))
//
// With CyclesPerYear = p > 0, d is replaced by the rate per cycle
// (1+d)^(1/p) − 1 (Berger & Nasr's case 2, purchase cycles other than a year).
// Margin growth g (Berger & Nasr's case 3, the margin of the k-th period
// m(1+g)^(k−1)) replaces q by q_g = r(1+g)/(1+d) in the margin sums:
//
//	start: m (1 − q_g^(n+1))/(1 − q_g),  infinite: m (1+d)/(1+d−r(1+g))
//	end:   m q (1 − q_g^n)/(1 − q_g),    infinite: m r/(1+d−r(1+g))
//
// (the end form over an infinite horizon is Gupta & Lehmann's margin multiple
// with growth). The infinite horizon converges only for r(1+g) < 1+d; a
// finite horizon is summed in any case. An infinite horizon that diverges
// returns an error wrapping ErrInfiniteValue.
func Value(s Scenario) (*Valuation, error) {
	if err := checkRates(s.Retention, s.Discount); err != nil {
		return nil, err
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"margin", s.Margin}, {"acquisition cost", s.AcquisitionCost}, {"retention cost", s.RetentionCost}, {"margin growth", s.MarginGrowth}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return nil, fmt.Errorf("%w: %s %g", ErrInvalidInput, v.name, v.x)
		}
	}
	if s.MarginGrowth <= -1 {
		return nil, fmt.Errorf("%w: margin growth %g (want > -1)", ErrInvalidInput, s.MarginGrowth)
	}
	if s.Periods < 0 {
		return nil, fmt.Errorf("%w: periods %d < 0", ErrInvalidInput, s.Periods)
	}
	if s.Timing != TimingStart && s.Timing != TimingEnd {
		return nil, fmt.Errorf("%w: timing %d", ErrInvalidInput, s.Timing)
	}
	if math.IsNaN(s.CyclesPerYear) || s.CyclesPerYear < 0 || math.IsInf(s.CyclesPerYear, 0) {
		return nil, fmt.Errorf("%w: cycles per year %g", ErrInvalidInput, s.CyclesPerYear)
	}
	d := s.Discount
	if s.CyclesPerYear > 0 {
		d = math.Expm1(math.Log1p(s.Discount) / s.CyclesPerYear)
	}
	r, m, c, a := s.Retention, s.Margin, s.RetentionCost, s.AcquisitionCost
	q := r / (1 + d)
	oneMinusQ := (1 + d - r) / (1 + d)
	halfV := 1 / math.Sqrt(1+d) // (1+d)^(−1/2)
	// The margin sums run over q_g = r(1+g)/(1+d); q_g = q without growth.
	g := s.MarginGrowth
	qg := r * (1 + g) / (1 + d)
	oneMinusQg := (1 + d - r - r*g) / (1 + d)

	var clv float64
	if s.Periods == 0 {
		if oneMinusQ <= 0 {
			return nil, fmt.Errorf("%w: retention %g with discount %g over an infinite horizon (need retention < 1 + discount)", ErrInfiniteValue, r, d)
		}
		if oneMinusQg <= 0 && m != 0 {
			return nil, fmt.Errorf("%w: retention %g with margin growth %g and discount %g over an infinite horizon (need retention × (1 + growth) < 1 + discount); give a finite horizon", ErrInfiniteValue, r, g, d)
		}
		gross := 0.0
		if m != 0 {
			gross = m / oneMinusQg // Σ_{i≥0} q_g^i
			if s.Timing == TimingEnd {
				gross = m * q / oneMinusQg
			}
		}
		clv = -a + gross - c*halfV/oneMinusQ
	} else {
		n := s.Periods
		gross := m * geometric(qg, oneMinusQg, n+1)
		if s.Timing == TimingEnd {
			gross = m * q * geometric(qg, oneMinusQg, n)
		}
		clv = -a + gross - c*halfV*geometric(q, oneMinusQ, n)
	}
	v := &Valuation{CLV: clv, Rate: d}
	v.Flows = flows(s, d, math.Max(q, qg))
	if len(v.Flows) > 0 {
		v.Tail = clv - v.Flows[len(v.Flows)-1].Cumulative
		if s.Periods > 0 {
			v.Tail = 0
		}
	}
	if math.IsNaN(clv) || math.IsInf(clv, 0) {
		return nil, fmt.Errorf("%w: CLV evaluates to %g", ErrInfiniteValue, clv)
	}
	return v, nil
}

// geometric returns Σ_{i=0..k−1} q^i = (1 − q^k)/(1 − q), computed as
// −expm1(k log q)/(1 − q) so that q close to 1 keeps its precision; oneMinusQ
// is 1 − q computed by the caller without cancellation.
func geometric(q, oneMinusQ float64, k int) float64 {
	switch {
	case k <= 0:
		return 0
	case q == 0:
		return 1
	case oneMinusQ == 0:
		return float64(k)
	}
	return -math.Expm1(float64(k)*math.Log(q)) / oneMinusQ
}

// flows lists the cash flows period by period (direct summation). q is the
// larger of r/(1+d) and r(1+g)/(1+d), the slower decay of the two sums.
func flows(s Scenario, d, q float64) []CashFlow {
	n := s.Periods
	if n == 0 {
		// List until q^(i+1) < 0.001: the margins not listed are then less
		// than 0.1% of the total discounted margin.
		n = MaxListedPeriods
		if q < 1 {
			if q == 0 {
				n = 1
			} else if k := int(math.Ceil(math.Log(1e-3)/math.Log(q))) - 1; k < n {
				n = max(k, 1)
			}
		}
	}
	out := make([]CashFlow, 0, n+1)
	cum := 0.0
	surv, prev := 1.0, 1.0 // r^i, r^(i−1)
	for i := 0; i <= n; i++ {
		f := CashFlow{Period: i, Survival: surv, Discount: math.Pow(1+d, -float64(i))}
		if i == 0 {
			f.Cost = s.AcquisitionCost
			if s.Timing == TimingStart {
				f.Margin = s.Margin
			}
			f.Value = f.Margin - f.Cost
		} else {
			// The k-th margin is m(1+g)^(k−1): at time i it is the (i+1)-th
			// with start timing and the i-th with end timing.
			k := i
			if s.Timing == TimingEnd {
				k = i - 1
			}
			f.Margin = s.Margin * math.Pow(1+s.MarginGrowth, float64(k)) * surv
			f.Cost = s.RetentionCost * prev
			f.Value = f.Margin*f.Discount - f.Cost*math.Pow(1+d, -(float64(i)-0.5))
		}
		cum += f.Value
		f.Cumulative = cum
		out = append(out, f)
		prev = surv
		surv *= s.Retention
	}
	return out
}
