package segment

import (
	"errors"
	"fmt"
	"math"
)

// Stage is a lifecycle stage of a customer relationship.
type Stage int8

// Lifecycle stages, in the order a relationship usually passes through them.
// NoStage marks periods before the relationship began.
const (
	NoStage     Stage = -1
	Acquisition Stage = iota - 1
	Growth
	Maturity
	Decline
	Churned
)

// NumStages is the number of lifecycle stages (NoStage excluded).
const NumStages = 5

// Stages lists the lifecycle stages in order.
var Stages = [NumStages]Stage{Acquisition, Growth, Maturity, Decline, Churned}

var stageNames = [NumStages]string{"acquisition", "growth", "maturity", "decline", "churned"}

// String returns the lower-case stage name ("acquisition", ..., "churned"),
// or "none" for NoStage.
func (s Stage) String() string {
	if s < 0 || int(s) >= NumStages {
		return "none"
	}
	return stageNames[s]
}

// ParseStage parses a stage name as returned by String.
func ParseStage(name string) (Stage, error) {
	for i, n := range stageNames {
		if n == name {
			return Stage(i), nil
		}
	}
	return NoStage, fmt.Errorf("unknown lifecycle stage %q (want acquisition, growth, maturity, decline or churned)", name)
}

// StageRules are the thresholds of the lifecycle classification. All period
// counts are in panel periods (months by default). The zero value is not
// useful; start from DefaultStageRules.
type StageRules struct {
	// AcquisitionPeriods: a customer whose tenure (periods since activation,
	// counting the current one) is at most this is in acquisition. Default 3.
	AcquisitionPeriods int
	// TrendWindow is the number of most recent periods (the current one
	// included) over which the spend trend is measured. Default 6.
	TrendWindow int
	// GrowthSlope: a relative trend at or above it means growth. Default 0.05
	// (spend rising by 5% of its mean per period).
	GrowthSlope float64
	// DeclineSlope: a relative trend at or below it means decline. Default
	// -0.05. Must be below GrowthSlope.
	DeclineSlope float64
	// DeclineRecency: this many or more whole periods since the last purchase
	// means decline (recency rising). Default 1. 0 disables the rule.
	DeclineRecency int
	// LapsePeriods: this many or more whole periods since the last purchase
	// (or since activation, for a customer who never bought) means churned,
	// even without a churn date. Default 3.
	LapsePeriods int
	// AliveDrop: a fall of P(alive) by at least this much over the trend
	// window means decline. Default 0.2. 0 disables the rule.
	AliveDrop float64
}

// DefaultStageRules returns the documented default thresholds.
func DefaultStageRules() StageRules {
	return StageRules{
		AcquisitionPeriods: 3,
		TrendWindow:        6,
		GrowthSlope:        0.05,
		DeclineSlope:       -0.05,
		DeclineRecency:     1,
		LapsePeriods:       3,
		AliveDrop:          0.2,
	}
}

// ErrRules is wrapped by every error about invalid rules or options.
var ErrRules = errors.New("invalid segment rules")

// Validate reports an error wrapping ErrRules when the rules are inconsistent.
func (r StageRules) Validate() error {
	switch {
	case r.AcquisitionPeriods < 0:
		return fmt.Errorf("%w: acquisition periods %d is negative", ErrRules, r.AcquisitionPeriods)
	case r.TrendWindow < 2:
		return fmt.Errorf("%w: trend window %d is shorter than 2 periods", ErrRules, r.TrendWindow)
	case math.IsNaN(r.GrowthSlope) || math.IsNaN(r.DeclineSlope) || math.IsInf(r.GrowthSlope, 0) || math.IsInf(r.DeclineSlope, 0):
		return fmt.Errorf("%w: trend thresholds must be finite", ErrRules)
	case r.DeclineSlope >= r.GrowthSlope:
		return fmt.Errorf("%w: decline slope %g is not below growth slope %g", ErrRules, r.DeclineSlope, r.GrowthSlope)
	case r.DeclineRecency < 0:
		return fmt.Errorf("%w: decline recency %d is negative", ErrRules, r.DeclineRecency)
	case r.LapsePeriods < 1:
		return fmt.Errorf("%w: lapse periods %d is below 1", ErrRules, r.LapsePeriods)
	case r.DeclineRecency > 0 && r.DeclineRecency >= r.LapsePeriods:
		return fmt.Errorf("%w: decline recency %d is not below lapse periods %d", ErrRules, r.DeclineRecency, r.LapsePeriods)
	case !(r.AliveDrop >= 0 && r.AliveDrop <= 1):
		return fmt.Errorf("%w: alive drop %g is outside [0, 1]", ErrRules, r.AliveDrop)
	}
	return nil
}

// StageInput describes one customer at one period.
type StageInput struct {
	// Spend is the spend per period from the start of the relationship up to
	// and including the current period; only the last TrendWindow entries are
	// used. It may be shorter than the window (a young customer).
	Spend []float64
	// Tenure is the number of periods since activation, counting the current
	// one (1 in the period of activation).
	Tenure int
	// SincePurchase is the number of whole periods since the last purchase:
	// 0 when the customer bought in the current period (or less than one
	// period ago), -1 when the customer never bought.
	SincePurchase int
	// Churned is true when the subscriber export records a churn date on or
	// before the current period.
	Churned bool
	// AliveDrop is how much the model probability of being alive fell over
	// the trend window (P(alive) then − now); 0 when unknown.
	AliveDrop float64
}

// thresholdTol makes ties at the trend thresholds robust to rounding: a trend
// within this distance of a threshold counts as reaching it.
const thresholdTol = 1e-12

// Trend returns the relative spend trend of a series: the ordinary
// least-squares slope of spend against period number, divided by the mean
// spend of the series. A value of 0.05 means spend rises by 5% of its mean
// per period. It is 0 for fewer than two periods or a zero mean.
func Trend(spend []float64) float64 {
	n := len(spend)
	if n < 2 {
		return 0
	}
	var sum float64
	for _, v := range spend {
		sum += v
	}
	mean := sum / float64(n)
	if mean == 0 {
		return 0
	}
	// x centred at (n−1)/2: slope = Σ (x−x̄) y / Σ (x−x̄)².
	xbar := float64(n-1) / 2
	var sxy, sxx float64
	for i, v := range spend {
		dx := float64(i) - xbar
		sxy += dx * (v - mean)
		sxx += dx * dx
	}
	return sxy / sxx / mean
}

// window returns the trend window of spend.
func (r StageRules) window(spend []float64) []float64 {
	if len(spend) > r.TrendWindow {
		return spend[len(spend)-r.TrendWindow:]
	}
	return spend
}

// Classify returns the lifecycle stage of one customer at one period. The
// rules are applied in this order, first match wins:
//
//  1. churned: a recorded churn, or SincePurchase ≥ LapsePeriods, or no
//     purchase ever and Tenure > LapsePeriods (lapsed);
//  2. acquisition: Tenure ≤ AcquisitionPeriods;
//  3. decline: Trend ≤ DeclineSlope, or SincePurchase ≥ DeclineRecency
//     (when DeclineRecency > 0; a customer who never bought counts), or
//     AliveDrop ≥ the rules' AliveDrop (when that is > 0);
//  4. growth: Trend ≥ GrowthSlope;
//  5. maturity otherwise.
//
// Trend is Trend() of the last TrendWindow periods of Spend (fewer for a
// younger customer). Ties at a threshold belong to the stage the threshold
// leads to.
func (r StageRules) Classify(in StageInput) Stage {
	never := in.SincePurchase < 0
	if in.Churned || in.SincePurchase >= r.LapsePeriods || (never && in.Tenure > r.LapsePeriods) {
		return Churned
	}
	if in.Tenure <= r.AcquisitionPeriods {
		return Acquisition
	}
	trend := Trend(r.window(in.Spend))
	switch {
	case trend <= r.DeclineSlope+thresholdTol,
		r.DeclineRecency > 0 && (never || in.SincePurchase >= r.DeclineRecency),
		r.AliveDrop > 0 && in.AliveDrop >= r.AliveDrop-thresholdTol:
		return Decline
	case trend >= r.GrowthSlope-thresholdTol:
		return Growth
	}
	return Maturity
}

// Path classifies one customer at every period of a spend row (one entry per
// period, as in a customer × period panel). start is the column in which the
// relationship began (activation, or the first purchase without a subscriber
// record); churn is the column of the recorded churn, or -1. Columns before
// start get NoStage. A negative start is an activation before the row's
// first column: tenure counts from it, but the purchase history before the
// row is unknown, so until the first purchase in the row the periods since
// purchase are counted from column 0. A recorded churn is final; a customer
// who lapsed is reclassified when a later purchase restarts the count of
// periods since purchase (a win-back). Purchases are periods with positive
// spend. The result is written to dst when it has room, else to a new slice.
func (r StageRules) Path(spend []float64, start, churn int, dst []Stage) []Stage {
	n := len(spend)
	if cap(dst) >= n {
		dst = dst[:n]
	} else {
		dst = make([]Stage, n)
	}
	s0 := max(start, 0)
	last := -1 // column of the last purchase so far
	for j := 0; j < n; j++ {
		if j < start {
			dst[j] = NoStage
			if spend[j] > 0 {
				last = j
			}
			continue
		}
		if spend[j] > 0 {
			last = j
		}
		since := -1 // never bought
		switch {
		case last >= 0:
			since = j - last
		case start < 0:
			since = j
		}
		in := StageInput{
			Spend:         spend[s0 : j+1],
			Tenure:        j - start + 1,
			SincePurchase: since,
			Churned:       churn >= 0 && j >= churn,
		}
		dst[j] = r.Classify(in)
	}
	return dst
}
