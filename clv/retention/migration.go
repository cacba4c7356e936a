package retention

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/markov"
)

// MigrationOptions configures the recency-state migration model.
type MigrationOptions struct {
	// States is k, the number of recency states before a customer counts as
	// lapsed (at least 1).
	States int
	// Discount is the discount rate per period, > 0 for an infinite horizon.
	Discount float64
	// MarginRate turns spend into margin (1 = revenue).
	MarginRate float64
	// Horizon is the number of future periods valued; 0 means an infinite
	// horizon.
	Horizon int
	// Periods is the number of leading panel columns to use (the caller drops
	// an incomplete last period); 0 means all.
	Periods int
}

// Migration is a fitted recency-state migration model (Dwyer 1989; Berger &
// Nasr 1998, case 5). States[0..k−1] are "1".."k" (periods since the last
// purchase; 1 = bought in the period) and States[k] is "lapsed".
type Migration struct {
	States []string
	// Chain is the estimated chain: from recency state j a customer buys in
	// the next period with probability Probability[j] (→ state 1) or moves
	// to state j+1 (state k moves to lapsed, which is absorbing).
	Chain *markov.Chain
	// AtRisk[j] counts the customer-periods observed in state j that have a
	// next period; Purchases[j] how many of them bought in that next period.
	AtRisk, Purchases []int64
	// Probability[j] = Purchases[j]/AtRisk[j]; 0 for lapsed.
	Probability []float64
	// Comebacks counts lapsed customer-periods followed by a purchase; the
	// model treats lapsed as lost for good and leaves them out.
	Comebacks int64
	// Customers[j] counts the customers in state j at the last period.
	Customers []int64
	// FuturePurchases is the expected discounted number of future purchase
	// periods of a customer now in state j (the current period not counted).
	FuturePurchases []float64
	// MeanMargin is the margin per purchase period over all customers.
	MeanMargin float64
	// Value[j] = FuturePurchases[j] × MeanMargin.
	Value []float64
	// CustomerState is the state of every panel customer at the last period,
	// −1 for a customer without any purchase up to then.
	CustomerState []int
	// CustomerMargin is each customer's mean margin per purchase period.
	CustomerMargin []float64
	// CustomerValue = FuturePurchases[state] × CustomerMargin.
	CustomerValue []float64
}

// ErrNoTransitions reports a panel in which no customer was observed in two
// consecutive periods after a first purchase. FitMigration wraps it together
// with ErrNotIdentified, as it does ErrTooLittleData for a recency state
// never observed with a following period.
var ErrNoTransitions = errors.New("no recency transitions observed")

// FitMigration estimates the migration model from a customer × period panel
// and values every recency state and customer.
//
// A period is a purchase period when the customer's spend in it is positive.
// Customer c is in recency state j at period p when its last purchase period
// up to p is p − j + 1 (j ≤ k), lapsed beyond that, and not in the model
// before its first purchase. Every pair of consecutive periods (p, p+1) with c
// in state j at p is one observation; a purchase at p+1 is a success:
//
//	p_j = purchases_j / at_risk_j
//
// The chain arithmetic is the markov package's: with reward 1 in state 1
// (a purchase period) and discount d, V = Σ_t [(1+d)⁻¹ P]ᵗ R (markov.Value /
// ValueInfinite), and the expected discounted future purchase periods of a
// customer in state j are V_j − R_j, since the current period's purchase is
// already made. Value multiplies them by the margin per purchase period.
func FitMigration(p *dataset.Panel, opt MigrationOptions) (*Migration, error) {
	k := opt.States
	if k < 1 {
		return nil, fmt.Errorf("%w: %d recency states (want >= 1)", ErrInvalidInput, k)
	}
	if math.IsNaN(opt.MarginRate) || math.IsInf(opt.MarginRate, 0) {
		return nil, fmt.Errorf("%w: margin rate %g", ErrInvalidInput, opt.MarginRate)
	}
	if !(opt.Discount >= 0) || math.IsInf(opt.Discount, 0) || (opt.Horizon == 0 && opt.Discount == 0) {
		return nil, fmt.Errorf("%w: discount %g (an infinite horizon needs a discount > 0)", ErrInvalidInput, opt.Discount)
	}
	if opt.Horizon < 0 {
		return nil, fmt.Errorf("%w: horizon %d", ErrInvalidInput, opt.Horizon)
	}
	cols := p.Periods
	if opt.Periods > 0 && opt.Periods < cols {
		cols = opt.Periods
	}
	lapsed := k
	names := make([]string, k+1)
	for j := 0; j < k; j++ {
		names[j] = strconv.Itoa(j + 1)
	}
	names[k] = "lapsed"
	m := &Migration{
		States:         names,
		AtRisk:         make([]int64, k+1),
		Purchases:      make([]int64, k+1),
		Probability:    make([]float64, k+1),
		Customers:      make([]int64, k+1),
		CustomerState:  make([]int, p.Customers),
		CustomerMargin: make([]float64, p.Customers),
		CustomerValue:  make([]float64, p.Customers),
	}
	var spendSum float64
	var buyPeriods int64
	var buf []float64
	for c := 0; c < p.Customers; c++ {
		buf = p.Row(c, buf)
		row := buf[:cols]
		state := -1 // before the first purchase
		var own float64
		var ownN int64
		for _, s := range row {
			buy := s > 0
			if state >= 0 {
				m.AtRisk[state]++
				if buy {
					m.Purchases[state]++
				}
			}
			switch {
			case buy:
				state = 0
				own += s
				ownN++
			case state >= 0 && state < lapsed:
				state++
			}
		}
		m.CustomerState[c] = state
		if state >= 0 {
			m.Customers[state]++
		}
		if ownN > 0 {
			m.CustomerMargin[c] = own / float64(ownN) * opt.MarginRate
		}
		spendSum += own
		buyPeriods += ownN
	}
	m.Comebacks = m.Purchases[lapsed]
	trans, err := markov.NewTransitions(names)
	if err != nil {
		return nil, err
	}
	observed := false
	for j := 0; j < k; j++ {
		if m.AtRisk[j] == 0 {
			continue
		}
		observed = true
		next := min(j+1, lapsed)
		trans.AddCount(j, 0, m.Purchases[j])
		trans.AddCount(j, next, m.AtRisk[j]-m.Purchases[j])
		m.Probability[j] = float64(m.Purchases[j]) / float64(m.AtRisk[j])
	}
	if !observed {
		return nil, fmt.Errorf("%w: %w: need customers observed over at least two periods after their first purchase", ErrNoTransitions, ErrNotIdentified)
	}
	for j := 0; j < k; j++ {
		if m.AtRisk[j] == 0 {
			return nil, notIdentified("recency state %s was never observed with a following period; use fewer --states or a longer window", names[j])
		}
	}
	fit, err := markov.Estimate(trans, markov.EstimateOptions{Absorbing: []int{lapsed}})
	if err != nil {
		return nil, err
	}
	m.Chain = fit.Chain
	rewards := make([]float64, k+1)
	rewards[0] = 1
	var v []float64
	if opt.Horizon > 0 {
		// Horizon future periods after the current one: T = Horizon.
		v, err = m.Chain.Value(rewards, opt.Discount, opt.Horizon)
	} else {
		v, err = m.Chain.ValueInfinite(rewards, opt.Discount)
	}
	if err != nil {
		return nil, fmt.Errorf("migration value: %w", err)
	}
	m.FuturePurchases = make([]float64, k+1)
	for j := range v {
		m.FuturePurchases[j] = v[j] - rewards[j]
	}
	if buyPeriods > 0 {
		m.MeanMargin = spendSum / float64(buyPeriods) * opt.MarginRate
	}
	m.Value = make([]float64, k+1)
	for j := range m.Value {
		m.Value[j] = m.FuturePurchases[j] * m.MeanMargin
	}
	for c, s := range m.CustomerState {
		if s >= 0 {
			m.CustomerValue[c] = m.FuturePurchases[s] * m.CustomerMargin[c]
		}
	}
	return m, nil
}
