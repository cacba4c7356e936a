package segment

import (
	"fmt"
	"math"
	"slices"
)

// CurveBuilder builds a value curve from observations added one at a time,
// keeping per tenure only the spends (for the quantiles) and otherwise sums:
// per fold and tenure for the smoothing penalty, per (tenure, season) cell
// and per observation pattern for the within-subscriber curve. BuildCurve
// is a CurveBuilder fed from slices; a caller that produces observations
// (from a panel, say) avoids holding them as columns.
//
// With subjects, the observations of one subject must be added together
// (adjacent, as a panel lists them); Add fails otherwise.
type CurveBuilder struct {
	quantiles []float64
	maxTenure int
	lambda    float64
	folds     bool
	seasons   int // 0 without subjects; 1 without seasons
	by        [][]float64
	foldSum   []float64
	foldCnt   []float64
	foldUsed  [maxFolds]bool
	total     float64
	within    *withinAcc
}

// CurveBuilderOptions controls NewCurveBuilder; see CurveOptions for the
// meaning of each.
type CurveBuilderOptions struct {
	Quantiles []float64
	MaxTenure int
	Lambda    float64
	// Folds: the observations carry a cross-validation fold.
	Folds bool
	// Subjects: the observations carry a subject (the within-subscriber
	// curve is estimated), with Seasons seasons (0 or 1 = none).
	Subjects bool
	Seasons  int
}

// NewCurveBuilder checks the options and returns an empty builder.
func NewCurveBuilder(opt CurveBuilderOptions) (*CurveBuilder, error) {
	if opt.MaxTenure <= 0 {
		opt.MaxTenure = DefaultMaxTenure
	}
	if opt.MaxTenure > 10000 {
		return nil, fmt.Errorf("%w: value curve: max tenure %d (want at most 10000)", ErrRules, opt.MaxTenure)
	}
	if opt.Quantiles == nil {
		opt.Quantiles = DefaultCurveQuantiles
	}
	for _, q := range opt.Quantiles {
		if !(q > 0 && q < 1) {
			return nil, fmt.Errorf("%w: value curve quantile %g outside (0, 1)", ErrRules, q)
		}
	}
	if opt.Lambda < 0 || math.IsNaN(opt.Lambda) || math.IsInf(opt.Lambda, 0) {
		return nil, fmt.Errorf("%w: value curve penalty %g", ErrRules, opt.Lambda)
	}
	if opt.Seasons < 0 || opt.Seasons > 120 {
		return nil, fmt.Errorf("value curve: %d seasons", opt.Seasons)
	}
	b := &CurveBuilder{quantiles: slices.Clone(opt.Quantiles), maxTenure: opt.MaxTenure, lambda: opt.Lambda,
		folds: opt.Folds, by: make([][]float64, opt.MaxTenure+1)}
	if opt.Folds {
		nt := opt.MaxTenure + 1
		b.foldSum, b.foldCnt = make([]float64, maxFolds*nt), make([]float64, maxFolds*nt)
	}
	if opt.Subjects {
		b.seasons = max(1, opt.Seasons)
		b.within = newWithinAcc(b.seasons, opt.MaxTenure)
	}
	return b, nil
}

// Reserve sets aside room for n more observations at tenure t (an optional
// hint that saves the growth of the per-tenure spends).
func (b *CurveBuilder) Reserve(t, n int) {
	k := min(max(t, 0), b.maxTenure)
	b.by[k] = slices.Grow(b.by[k], n)
}

// Add adds one observation: spend at tenure of subject in fold and season
// (fold, subject and season are ignored when the builder has none).
func (b *CurveBuilder) Add(tenure int32, spend float64, fold int8, subject int32, season int8) error {
	if tenure < 0 || math.IsNaN(spend) || math.IsInf(spend, 0) {
		return fmt.Errorf("value curve: observation %d: tenure %d, spend %g", b.observations(), tenure, spend)
	}
	k := min(int(tenure), b.maxTenure)
	if b.folds {
		if fold < 0 || fold >= maxFolds {
			return fmt.Errorf("%w: value curve fold %d (want 0 to %d)", ErrRules, fold, maxFolds-1)
		}
		j := int(fold)*(b.maxTenure+1) + k
		b.foldSum[j] += spend
		b.foldCnt[j]++
		b.foldUsed[fold] = true
	}
	if b.within != nil {
		s := 0
		if b.seasons > 1 {
			if season < 0 || int(season) >= b.seasons {
				return fmt.Errorf("%w: value curve season %d (want 0 to %d)", ErrRules, season, b.seasons-1)
			}
			s = int(season)
		}
		if err := b.within.add(subject, k, s, spend); err != nil {
			return err
		}
	}
	b.by[k] = append(b.by[k], spend)
	b.total += spend
	return nil
}

func (b *CurveBuilder) observations() int {
	n := 0
	for _, v := range b.by {
		n += len(v)
	}
	return n
}

// Curve finishes the curve (ErrNoCurve without observations). The builder
// is spent.
func (b *CurveBuilder) Curve() (*Curve, error) {
	c := &Curve{Quantiles: b.quantiles}
	for t, v := range b.by {
		if len(v) == 0 {
			continue
		}
		slices.Sort(v)
		p := TenurePoint{Tenure: t, Subscribers: len(v), Quantiles: make([]float64, len(b.quantiles))}
		for _, x := range v {
			p.Mean += x
		}
		p.Mean /= float64(len(v))
		for k, q := range b.quantiles {
			p.Quantiles[k] = quantile7(v, q)
		}
		c.Points = append(c.Points, p)
		b.by[t] = nil
	}
	if len(c.Points) == 0 {
		return nil, ErrNoCurve
	}
	lambda := b.lambda
	if lambda == 0 && b.folds {
		lambda = foldLambda(b.foldSum, b.foldCnt, b.foldUsed, b.maxTenure)
	}
	c.smooth(lambda)
	c.Peak, c.PeakValue = c.Points[0].Tenure, c.Points[0].Fitted
	for _, p := range c.Points {
		if p.Fitted > c.PeakValue {
			c.Peak, c.PeakValue = p.Tenure, p.Fitted
		}
	}
	if b.within != nil {
		c.within(b.within.model(), b.total)
	}
	return c, nil
}

// withinAcc accumulates the aggregates of withinModel subject by subject.
type withinAcc struct {
	m        *withinModel
	patterns map[string]int32
	key      []byte
	seen     []uint64       // subjects ≥ 0 already closed
	seenNeg  map[int32]bool // subjects < 0 already closed
	cur      int32          // the open subject
	open     bool
	own      []int32 // its cells
	sum      float64 // its spend
	nonzero  bool
}

func newWithinAcc(seasons, maxTenure int) *withinAcc {
	nt := maxTenure + 1
	nc := nt * seasons
	return &withinAcc{m: &withinModel{nt: nt, seasons: seasons, obs: make([]float64, nt),
		cellObs: make([]float64, nc), cellX: make([]float64, nc), cellNZ: make([]bool, nc),
		tenureX: make([]float64, nt), seasonX: make([]float64, seasons), start: []int32{0}},
		patterns: map[string]int32{}}
}

func (a *withinAcc) add(subject int32, t, s int, x float64) error {
	if !a.open || subject != a.cur {
		a.close()
		if a.closed(subject) {
			return fmt.Errorf("value curve: the observations of subject %d are not adjacent", subject)
		}
		a.cur, a.open = subject, true
	}
	m := a.m
	k := int32(t*m.seasons + s)
	m.nObs++
	m.obs[t]++
	m.cellObs[k]++
	m.cellX[k] += x
	m.tenureX[t] += x
	m.seasonX[s] += x
	if x != 0 {
		m.cellNZ[k] = true
		a.nonzero = true
	}
	a.own = append(a.own, k)
	a.sum += x
	return nil
}

func (a *withinAcc) closed(subject int32) bool {
	if subject < 0 {
		return a.seenNeg[subject]
	}
	w := int(subject >> 6)
	return w < len(a.seen) && a.seen[w]&(1<<(subject&63)) != 0
}

// close files the open subject under its pattern.
func (a *withinAcc) close() {
	if !a.open {
		return
	}
	if a.cur < 0 {
		if a.seenNeg == nil {
			a.seenNeg = map[int32]bool{}
		}
		a.seenNeg[a.cur] = true
	} else {
		w := int(a.cur >> 6)
		if w >= len(a.seen) {
			a.seen = slices.Grow(a.seen, w+1-len(a.seen))[:w+1]
		}
		a.seen[w] |= 1 << (a.cur & 63)
	}
	m := a.m
	total := a.sum
	if a.nonzero && total <= 0 {
		m.alwaysNA = true
	}
	if total > 0 {
		m.entropy += total * math.Log(total)
	}
	own := a.own
	slices.Sort(own)
	a.key = a.key[:0]
	for _, c := range own {
		a.key = appendUint32(a.key, uint32(c))
	}
	p, ok := a.patterns[string(a.key)]
	if !ok {
		p = int32(len(m.tPos))
		a.patterns[string(a.key)] = p
		m.tPos = append(m.tPos, 0)
		for j, c := range own {
			if j > 0 && c == own[j-1] {
				m.mult[len(m.mult)-1]++
				continue
			}
			m.cells = append(m.cells, c)
			m.mult = append(m.mult, 1)
		}
		m.start = append(m.start, int32(len(m.cells)))
	}
	m.tPos[p] += max(0, total)
	a.open, a.own, a.sum, a.nonzero = false, own[:0], 0, false
}

// model closes the last subject and returns the model.
func (a *withinAcc) model() *withinModel {
	a.close()
	return a.m
}

func appendUint32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}
