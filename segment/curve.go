package segment

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// CurveOptions controls BuildCurve. The zero value uses the defaults.
type CurveOptions struct {
	// Quantiles are the spend quantiles listed per tenure period
	// (default 0.25, 0.5, 0.75, 0.9), each in (0, 1).
	Quantiles []float64
	// MaxTenure pools the observations of longer tenures into tenure
	// MaxTenure (default 120 periods).
	MaxTenure int
	// Lambda is the smoothing penalty; 0 chooses it over 10^−4 … 10^6 by
	// cross-validation: by Fold when given, else generalised cross-validation.
	Lambda float64
	// Fold, when set, holds a cross-validation fold (0 … 9) per observation;
	// all observations of one subscriber must share a fold. Neighbouring
	// tenures are mostly the same subscribers a period apart, so their means
	// have correlated errors, and generalised cross-validation, which assumes
	// independent errors, undersmooths; leaving whole subscribers out does
	// not.
	Fold []int8
	// Subject, when set, identifies the subscriber of each observation; the
	// curve then also holds the within-subscriber shape (TenurePoint.Within).
	Subject []int32
	// Season, with Subject, holds a season index per observation (0 …
	// Seasons−1, e.g. the calendar month for monthly periods): the
	// within-subscriber curve then also has seasonal factors.
	Season  []int8
	Seasons int
}

// DefaultCurveQuantiles are the spend quantiles of a value curve.
var DefaultCurveQuantiles = []float64{0.25, 0.5, 0.75, 0.9}

// DefaultMaxTenure is the longest tenure a value curve lists on its own.
const DefaultMaxTenure = 120

// TenurePoint is the spend of the subscribers active in one tenure period.
type TenurePoint struct {
	// Tenure counts periods since the activation period (0 = that period).
	Tenure int
	// Subscribers is the number of subscriber-periods observed.
	Subscribers int
	// Mean is the mean spend per subscriber; Quantiles the spend quantiles
	// of CurveOptions.Quantiles (type 7, as R's quantile).
	Mean      float64
	Quantiles []float64
	// Fitted is the smoothed mean (see Curve).
	Fitted float64
	// Within is the smoothed within-subscriber curve scaled to spend (see
	// Curve); 0 without CurveOptions.Subject.
	Within float64
}

// Curve is the value curve of a group of subscribers: spend per subscriber
// by tenure period and its smoothed shape.
//
// The smooth is a Whittaker–Henderson smoother (a penalised spline with one
// coefficient per tenure period and a second-difference penalty, Eilers
// 2003) on the log of the mean spend, weighted by the subscribers observed
// per period, with the penalty chosen by generalised cross-validation. It
// follows a fast ramp-up in the first periods and an inverted U where the
// data have one, without forcing either shape (a log-quadratic cannot bend
// at a few periods and flatten after); long, sparsely observed tenures are
// pulled to a straight line in log spend. Beyond the longest observed tenure
// the curve is held flat: no extrapolation.
type Curve struct {
	Points    []TenurePoint
	Quantiles []float64
	// Lambda is the smoothing penalty used; Smoothed is false when fewer than
	// three periods had positive mean spend (Fitted is then the overall
	// mean).
	Lambda   float64
	Smoothed bool
	// Peak is the tenure of the highest fitted value, PeakValue that value.
	Peak      int
	PeakValue float64
	// HasWithin is true when Within was estimated (CurveOptions.Subject);
	// WithinPeak is the tenure of its highest value.
	HasWithin  bool
	WithinPeak int
}

// ErrNoCurve reports a value curve without observations.
var ErrNoCurve = errors.New("no subscriber-period to build a value curve")

// BuildCurve summarises the spend observations (tenure[i], spend[i]), one per
// subscriber-period a subscriber was active, into a value curve (see
// CurveBuilder for the same from observations added one by one).
func BuildCurve(tenure []int32, spend []float64, opt CurveOptions) (*Curve, error) {
	if len(tenure) != len(spend) {
		return nil, fmt.Errorf("value curve: %d tenures for %d spends", len(tenure), len(spend))
	}
	if opt.Subject != nil && len(opt.Subject) != len(tenure) {
		return nil, fmt.Errorf("value curve: %d subjects for %d observations", len(opt.Subject), len(tenure))
	}
	if opt.Season != nil && (len(opt.Season) != len(tenure) || opt.Seasons < 1 || opt.Seasons > 120) {
		return nil, fmt.Errorf("value curve: %d seasons (of %d) for %d observations", len(opt.Season), opt.Seasons, len(tenure))
	}
	if opt.Fold != nil && len(opt.Fold) != len(tenure) {
		return nil, fmt.Errorf("value curve: %d folds for %d observations", len(opt.Fold), len(tenure))
	}
	seasons := 1
	if opt.Season != nil {
		seasons = opt.Seasons
	}
	b, err := NewCurveBuilder(CurveBuilderOptions{Quantiles: opt.Quantiles, MaxTenure: opt.MaxTenure, Lambda: opt.Lambda,
		Folds: opt.Fold != nil, Subjects: opt.Subject != nil, Seasons: seasons})
	if err != nil {
		return nil, err
	}
	add := func(i int) error {
		var fold, season int8
		var subject int32
		if opt.Fold != nil {
			fold = opt.Fold[i]
		}
		if opt.Subject != nil {
			subject = opt.Subject[i]
		}
		if opt.Season != nil {
			season = opt.Season[i]
		}
		if err := b.Add(tenure[i], spend[i], fold, subject, season); err != nil {
			return fmt.Errorf("observation %d: %w", i, err)
		}
		return nil
	}
	// The builder takes a subject's observations together: reorder when
	// they are not adjacent.
	var order []int32
	if opt.Subject != nil {
		order = subjectOrder(opt.Subject)
	}
	if order == nil {
		for i := range tenure {
			if err := add(i); err != nil {
				return nil, err
			}
		}
	} else {
		for _, i := range order {
			if err := add(int(i)); err != nil {
				return nil, err
			}
		}
	}
	return b.Curve()
}

// quantile7 is the type-7 sample quantile of sorted v.
func quantile7(v []float64, q float64) float64 {
	h := q * float64(len(v)-1)
	lo := int(math.Floor(h))
	if lo >= len(v)-1 {
		return v[len(v)-1]
	}
	return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
}

// At returns the curve a subscriber's spend follows at tenure t: Within when
// estimated, else Fitted; between listed tenures linear, below the first
// tenure the first point's value, beyond the last one the last point's.
func (c *Curve) At(t int) float64 {
	v := func(p TenurePoint) float64 {
		if c.HasWithin {
			return p.Within
		}
		return p.Fitted
	}
	i := c.find(t)
	p := c.Points[i]
	if p.Tenure >= t || i == len(c.Points)-1 {
		return v(p)
	}
	q := c.Points[i+1]
	f := float64(t-p.Tenure) / float64(q.Tenure-p.Tenure)
	return v(p) + f*(v(q)-v(p))
}

// QuantileAt returns quantile k (index into Quantiles) of the listed tenure
// nearest to t at or below it (the first tenure below it, the last beyond).
func (c *Curve) QuantileAt(t, k int) float64 { return c.Points[c.find(t)].Quantiles[k] }

// find returns the index of the last point with Tenure <= t, or 0.
func (c *Curve) find(t int) int {
	i, found := slices.BinarySearchFunc(c.Points, t, func(p TenurePoint, t int) int { return p.Tenure - t })
	if found || i == 0 {
		return i
	}
	return i - 1
}
