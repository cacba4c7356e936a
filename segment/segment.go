package segment

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/dataset"
)

// Input is what Build needs: the per-customer summary at the as-of day, the
// customer × period panel over the observation window, and optional model
// outputs. Summary rows are the customers; Summary.Index maps them to panel
// rows.
type Input struct {
	Summary *dataset.Summary
	Panel   *dataset.Panel
	// Churn is the churn day per summary row (dataset.NoDay = active); nil
	// when there is no subscriber export.
	Churn []dataset.Day
	// CLV is the future (residual) value per summary row from a model; nil
	// when no model was fitted, in which case the value basis is current
	// value × Options.Horizon.
	CLV []float64
	// PAlive is the model probability that each customer is still alive;
	// nil when unknown. With it, risk = 1 − P(alive).
	PAlive []float64
	// ChurnProbability is a calibrated probability of churn within the
	// early-warning horizon (a churn-hazard model), NaN for customers it does
	// not score; nil when unknown. Where it is known it is the risk (so value
	// at risk is the expected value lost), a not-churned customer at or above
	// Options.RiskThreshold is in decline, and the star rating's activity
	// component is 1 − probability.
	ChurnProbability []float64
	// Potential is the potential (growth) value per summary row; nil when
	// unknown. With it, the quadrants split current × potential value
	// instead of current value × CLV.
	Potential []float64
}

// Weights are the star-rating weights of the four components.
type Weights struct {
	Spend, Loyalty, Regularity, Activity float64
}

// Options controls Build. Start from DefaultOptions.
type Options struct {
	Rules StageRules
	// Tiers names the value tiers from the highest CLV down; their number is
	// the number of quantile groups.
	Tiers []string
	// KeyShare is the share of revenue the key accounts carry (0 < KeyShare ≤ 1).
	KeyShare float64
	// VIP holds the thresholds on mean revenue per month of VIP levels 1, 2,
	// ... in decreasing order.
	VIP []float64
	// Stars are the star-rating weights (non-negative, not all zero).
	Stars Weights
	// RiskThreshold puts a not-churned customer with at least this risk on
	// the early-warning list even when not in decline.
	RiskThreshold float64
	// Horizon is the number of future periods of current value used as the
	// value basis when no CLV is given (a run-rate value, no churn model).
	Horizon float64
	// Discount is the discount rate per period applied to that run-rate value.
	Discount float64
	// Actions is the stage × tier action table (nil: no actions assigned).
	Actions *ActionTable
}

// DefaultTierNames returns the default names for k value tiers, highest
// first: platinum/gold/silver/bronze for 4, gold/silver/bronze for 3,
// diamond/platinum/gold/silver/bronze for 5, high/low for 2, else tier1..tierk.
func DefaultTierNames(k int) []string {
	switch k {
	case 2:
		return []string{"high", "low"}
	case 3:
		return []string{"gold", "silver", "bronze"}
	case 4:
		return []string{"platinum", "gold", "silver", "bronze"}
	case 5:
		return []string{"diamond", "platinum", "gold", "silver", "bronze"}
	}
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprintf("tier%d", i+1)
	}
	return names
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		Rules:         DefaultStageRules(),
		Tiers:         DefaultTierNames(4),
		KeyShare:      0.3,
		VIP:           []float64{3000, 1000, 500},
		Stars:         Weights{Spend: 0.4, Loyalty: 0.2, Regularity: 0.2, Activity: 0.2},
		RiskThreshold: 0.5,
		Horizon:       12,
	}
}

// Validate reports an error wrapping ErrRules when the options are inconsistent.
func (o Options) Validate() error {
	if err := o.Rules.Validate(); err != nil {
		return err
	}
	if len(o.Tiers) < 1 {
		return fmt.Errorf("%w: no value tiers", ErrRules)
	}
	seen := map[string]bool{}
	for _, n := range o.Tiers {
		if n == "" || n == "*" || seen[n] {
			return fmt.Errorf("%w: tier names must be distinct, non-empty and not %q (got %q)", ErrRules, "*", o.Tiers)
		}
		seen[n] = true
	}
	if !(o.KeyShare > 0 && o.KeyShare <= 1) {
		return fmt.Errorf("%w: key-account share %g is outside (0, 1]", ErrRules, o.KeyShare)
	}
	for i, v := range o.VIP {
		if !(v > 0) || math.IsInf(v, 0) || (i > 0 && v >= o.VIP[i-1]) {
			return fmt.Errorf("%w: VIP thresholds must be positive and decreasing (got %v)", ErrRules, o.VIP)
		}
	}
	w := o.Stars
	for _, v := range []float64{w.Spend, w.Loyalty, w.Regularity, w.Activity} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: star weights must be non-negative (got %+v)", ErrRules, w)
		}
	}
	if w.Spend+w.Loyalty+w.Regularity+w.Activity == 0 {
		return fmt.Errorf("%w: star weights are all zero", ErrRules)
	}
	if !(o.RiskThreshold >= 0 && o.RiskThreshold <= 1) {
		return fmt.Errorf("%w: risk threshold %g is outside [0, 1]", ErrRules, o.RiskThreshold)
	}
	if !(o.Horizon > 0) || math.IsInf(o.Horizon, 0) {
		return fmt.Errorf("%w: horizon %g is not positive", ErrRules, o.Horizon)
	}
	if !(o.Discount >= 0 && o.Discount < 10) {
		return fmt.Errorf("%w: discount rate %g is outside [0, 10)", ErrRules, o.Discount)
	}
	if o.Actions != nil {
		if err := o.Actions.Covers(o.Tiers); err != nil {
			return err
		}
	}
	return nil
}

// Quadrant is a cell of the current value × potential value matrix, split at
// the medians of current value and of potential value (Input.Potential, else
// CLV).
type Quadrant int8

// Quadrants of current × potential value.
const (
	Stars      Quadrant = iota // high current, high potential: keep and grow
	Potentials                 // low current, high potential: develop (the "improvement type")
	CashCows                   // high current, low potential: harvest, defend margin
	LowValue                   // low current, low potential: serve at low cost
)

var quadrantNames = [...]string{"stars", "potentials", "cash cows", "low value"}

// String returns the quadrant name.
func (q Quadrant) String() string { return quadrantNames[q] }

// ParseQuadrant parses a quadrant name; "improvement" is the potentials
// quadrant (low current, high potential value).
func ParseQuadrant(name string) (Quadrant, error) {
	for q, n := range quadrantNames {
		if n == name {
			return Quadrant(q), nil
		}
	}
	if name == "improvement" {
		return Potentials, nil
	}
	return 0, fmt.Errorf("unknown quadrant %q (want stars, potentials, cash cows or low value)", name)
}

// Result holds one row per customer (the summary's order) and the
// aggregated views.
type Result struct {
	Period dataset.Period
	AsOf   dataset.Day
	Tiers  []string
	// HasModel is true when CLV came from a model (Input.CLV).
	HasModel bool
	// HasPAlive is true when risk is 1 − P(alive) from a model (Input.PAlive).
	HasPAlive bool
	// HasProbability is true when risk is the churn probability of a
	// churn-hazard model (Input.ChurnProbability).
	HasProbability bool

	IDs           []string
	Stage         []Stage
	Tier          []int32 // index into Tiers
	CLV           []float64
	Current       []float64 // mean spend per period over the tenure in the window
	Revenue       []float64 // spend in the window
	TenurePeriods []int32
	RecencyDays   []int32 // days since the last purchase (since activation when none)
	SincePurchase []int32 // whole periods since the last purchase; −1: never bought
	Trend         []float64
	Regularity    []float64 // share of tenure periods with a purchase
	Risk          []float64
	Score         []float64 // star score in [0, 1]
	Stars         []int8
	Key           []bool
	VIP           []int8 // 0: none; 1 = highest level
	Quadrant      []Quadrant
	Action        []string // "" without an action table
	ValueAtRisk   []float64

	// Annuity is the factor that turns current value into the run-rate value
	// basis: Σ_{t=1..Horizon} (1+Discount)^−t.
	Annuity float64
	// KeyRevenueShare is the share of revenue the key accounts actually carry.
	KeyRevenueShare float64
	// Medians of current value and CLV over the customers not churned,
	// used for the quadrants.
	MedianCurrent, MedianCLV float64
	// Potential is Input.Potential (0 for churned customers), nil without
	// it; MedianPotential its median over the customers not churned, the
	// quadrants' split when Potential is set.
	Potential       []float64
	MedianPotential float64
}

// Len returns the number of customers.
func (r *Result) Len() int { return len(r.IDs) }

// Build classifies every customer of in. It fails when the input is
// inconsistent or the options are invalid (errors wrap ErrRules).
func Build(in Input, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	s, p := in.Summary, in.Panel
	if s == nil || p == nil {
		return nil, fmt.Errorf("segment: summary and panel are required")
	}
	n := s.Len()
	if n == 0 {
		return nil, dataset.ErrEmpty
	}
	if len(s.Index) != n {
		return nil, fmt.Errorf("segment: the summary has no panel index (built from a summary file?); segment needs transactions")
	}
	for _, c := range s.Index {
		if int(c) >= p.Customers {
			return nil, fmt.Errorf("segment: summary customer %d is not in the panel of %d customers (build the panel after dataset.Join)", c, p.Customers)
		}
	}
	for name, l := range map[string]int{"churn": len(in.Churn), "clv": len(in.CLV), "p_alive": len(in.PAlive), "churn_probability": len(in.ChurnProbability), "potential": len(in.Potential)} {
		if l != 0 && l != n {
			return nil, fmt.Errorf("segment: %s has %d rows, the summary %d", name, l, n)
		}
	}
	for i, v := range in.CLV {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("segment: CLV of %q is not finite", s.IDs[i])
		}
	}
	for i, v := range in.Potential {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("segment: potential value of %q is not finite", s.IDs[i])
		}
	}
	asOf := s.AsOf
	pr := p.Period
	periodDays := pr.Days() // mean period length in days
	asOfCol := p.Column(asOf)
	if asOfCol < 0 {
		return nil, fmt.Errorf("segment: as-of %s is outside the panel", asOf)
	}
	// The last complete column: the as-of period is partial unless as-of is its last day.
	lastFull := asOfCol
	if pr.End(p.First+asOfCol) != asOf {
		lastFull--
	}
	r := &Result{
		Period: pr, AsOf: asOf, Tiers: opt.Tiers, HasModel: in.CLV != nil, HasPAlive: in.PAlive != nil, HasProbability: in.ChurnProbability != nil,
		IDs: s.IDs, Stage: make([]Stage, n), Tier: make([]int32, n), CLV: make([]float64, n),
		Current: make([]float64, n), Revenue: make([]float64, n), TenurePeriods: make([]int32, n),
		RecencyDays: make([]int32, n), SincePurchase: make([]int32, n), Trend: make([]float64, n),
		Regularity: make([]float64, n), Risk: make([]float64, n), Score: make([]float64, n),
		Stars: make([]int8, n), Key: make([]bool, n), VIP: make([]int8, n), Quadrant: make([]Quadrant, n),
		Action: make([]string, n), ValueAtRisk: make([]float64, n),
	}
	rules := opt.Rules
	windowStart := pr.Start(p.First)
	var row []float64
	for i := 0; i < n; i++ {
		row = p.Row(int(s.Index[i]), row)
		start := s.First[i]
		if s.Activation != nil && s.Activation[i] != dataset.NoDay && (start == dataset.NoDay || s.Activation[i] < start) {
			start = s.Activation[i]
		}
		end := asOf
		churned := false
		if in.Churn != nil && in.Churn[i] != dataset.NoDay && in.Churn[i] <= asOf {
			churned = true
			end = in.Churn[i]
		}
		never := s.Transactions[i] == 0
		r.TenurePeriods[i] = int32(pr.Index(asOf) - pr.Index(start) + 1)
		r.RecencyDays[i] = s.Recency[i]
		if never {
			r.SincePurchase[i] = -1
		} else {
			r.SincePurchase[i] = int32(math.Floor(float64(s.Recency[i]) / periodDays))
		}
		r.Revenue[i] = s.Total[i]
		// Current value: revenue over the days of tenure inside the window,
		// expressed in periods of mean length.
		from := max(start, windowStart)
		days := float64(end-from) + 1
		if days < 1 {
			days = 1
		}
		r.Current[i] = s.Total[i] / (days / periodDays)
		// Trend and regularity over complete periods from the start column to
		// the churn column (or the last complete column).
		c0 := max(p.Column(from), 0)
		c1 := lastFull
		if churned {
			c1 = min(c1, p.Column(end))
		}
		var seg []float64
		if c1 >= c0 {
			seg = row[c0 : c1+1]
		} else if asOfCol >= c0 {
			// Only the partial period: count it for regularity.
			seg = row[c0 : asOfCol+1]
		}
		r.Trend[i] = Trend(rules.window(seg))
		if len(seg) > 0 {
			var k int
			for _, v := range seg {
				if v > 0 {
					k++
				}
			}
			r.Regularity[i] = float64(k) / float64(len(seg))
		}
		in1 := StageInput{
			Spend:         seg,
			Tenure:        int(r.TenurePeriods[i]),
			SincePurchase: int(r.SincePurchase[i]),
			Churned:       churned,
		}
		r.Stage[i] = rules.Classify(in1)
	}

	// Value basis and CLV.
	annuity := Annuity(opt.Horizon, opt.Discount)
	r.Annuity = annuity
	for i := 0; i < n; i++ {
		if r.Stage[i] == Churned {
			continue // a churned customer has no future value
		}
		if in.CLV != nil {
			r.CLV[i] = in.CLV[i]
		} else {
			// Refunds can make current value negative; a run-rate value is
			// not (the customer can always stop buying).
			r.CLV[i] = math.Max(0, r.Current[i]) * annuity
		}
	}
	r.Tier = tiers(r, len(opt.Tiers))
	// Medians over the living: churned customers (CLV 0) would drag the
	// potential-value split down.
	var livCur, livCLV, livPot []float64
	if in.Potential != nil {
		r.Potential = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		if r.Stage[i] != Churned {
			livCur = append(livCur, r.Current[i])
			livCLV = append(livCLV, r.CLV[i])
			if in.Potential != nil {
				r.Potential[i] = in.Potential[i]
				livPot = append(livPot, in.Potential[i])
			}
		}
	}
	r.MedianCurrent = median(livCur)
	r.MedianCLV = median(livCLV)
	r.MedianPotential = median(livPot)
	for i := 0; i < n; i++ {
		hiC, hiP := r.Current[i] > r.MedianCurrent, r.CLV[i] > r.MedianCLV
		if r.Potential != nil {
			hiP = r.Stage[i] != Churned && r.Potential[i] > r.MedianPotential
		}
		switch {
		case hiC && hiP:
			r.Quadrant[i] = Stars
		case hiP:
			r.Quadrant[i] = Potentials
		case hiC:
			r.Quadrant[i] = CashCows
		default:
			r.Quadrant[i] = LowValue
		}
	}

	// Key accounts and VIP levels.
	r.Key, r.KeyRevenueShare = KeyAccounts(r.Revenue, r.IDs, opt.KeyShare)
	months := float64(pr.Months())
	for i := 0; i < n; i++ {
		monthly := r.Current[i] / months
		for k, th := range opt.VIP {
			if monthly >= th {
				r.VIP[i] = int8(k + 1)
				break
			}
		}
	}

	// A calibrated churn probability at or above the threshold means decline.
	prob := func(i int) (float64, bool) {
		if in.ChurnProbability == nil || math.IsNaN(in.ChurnProbability[i]) {
			return 0, false
		}
		return clamp01(in.ChurnProbability[i]), true
	}
	for i := 0; i < n; i++ {
		if p, ok := prob(i); ok && r.Stage[i] != Churned && p >= opt.RiskThreshold {
			r.Stage[i] = Decline
		}
	}

	// Star rating.
	spendRank := percentRanks(r.Current)
	tenure := make([]float64, n)
	for i, v := range r.TenurePeriods {
		tenure[i] = float64(v)
	}
	loyaltyRank := percentRanks(tenure)
	w := opt.Stars
	wsum := w.Spend + w.Loyalty + w.Regularity + w.Activity
	lapse := float64(rules.LapsePeriods)
	for i := 0; i < n; i++ {
		activity := 0.0
		if r.SincePurchase[i] >= 0 {
			activity = math.Max(0, 1-float64(r.SincePurchase[i])/lapse)
		}
		if p, ok := prob(i); ok {
			activity = 1 - p
		}
		if r.Stage[i] == Churned {
			// A churned subscriber gets no star rating.
			r.Score[i], r.Stars[i] = 0, 0
			continue
		}
		score := (w.Spend*spendRank[i] + w.Loyalty*loyaltyRank[i] + w.Regularity*r.Regularity[i] + w.Activity*activity) / wsum
		r.Score[i] = score
		r.Stars[i] = int8(min(5, 1+int(math.Floor(5*score))))
	}

	// basis is the value at stake for customer i (Result.Basis).
	basis := r.Basis

	// Risk, value at risk.
	declineScale := math.Max(math.Abs(rules.DeclineSlope), 1e-9) * 2
	for i := 0; i < n; i++ {
		var risk float64
		switch {
		case r.Stage[i] == Churned:
			risk = 1
		case in.ChurnProbability != nil && !math.IsNaN(in.ChurnProbability[i]):
			risk = clamp01(in.ChurnProbability[i])
		case in.PAlive != nil:
			risk = clamp01(1 - in.PAlive[i])
		default:
			rec := 1.0
			if r.SincePurchase[i] >= 0 {
				rec = math.Min(1, float64(r.SincePurchase[i])/lapse)
			}
			tr := clamp01(-r.Trend[i] / declineScale)
			risk = (rec + tr) / 2
		}
		r.Risk[i] = risk
		r.ValueAtRisk[i] = basis(i) * risk
	}

	// Actions.
	if opt.Actions != nil {
		for i := 0; i < n; i++ {
			r.Action[i] = opt.Actions.LookupQuadrant(r.Stage[i], opt.Tiers[r.Tier[i]], r.Quadrant[i], basis(i))
		}
	}
	return r, nil
}

// Annuity returns Σ_{t=1..h} (1+d)^−t = (1 − (1+d)^−h) / d, or h when d = 0
// (a smooth extension for a fractional h).
func Annuity(h, d float64) float64 {
	if d == 0 {
		return h
	}
	return -math.Expm1(-h*math.Log1p(d)) / d
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }
