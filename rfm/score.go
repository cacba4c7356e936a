package rfm

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// MaxBins is the largest number of bins: scores stay single digits so the
// RFM cell is three characters.
const MaxBins = 9

// MoneyGrid is the resolution at which monetary values are ranked and
// compared with cut points: values are rounded to the nearest 1/MoneyGrid of
// a currency unit first (see Score).
const MoneyGrid = 1e6

// ErrEmpty is returned when there is no customer to score.
var ErrEmpty = errors.New("rfm: no customers to score")

// Method is a scoring method.
type Method int

// Scoring methods.
const (
	Ntile      Method = iota // equal-count bins, SQL NTILE(k) order with id tie-break
	Quantile                 // cut points at R type-7 sample quantiles i/k
	Thresholds               // cut points given by the user
)

// String returns "ntile", "quantile" or "thresholds".
func (m Method) String() string {
	switch m {
	case Quantile:
		return "quantile"
	case Thresholds:
		return "thresholds"
	}
	return "ntile"
}

// ParseMethod parses "ntile", "quantile" or "thresholds".
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ntile":
		return Ntile, nil
	case "quantile", "quantiles":
		return Quantile, nil
	case "thresholds", "threshold":
		return Thresholds, nil
	}
	return 0, fmt.Errorf("unknown scoring method %q (want ntile, quantile or thresholds)", s)
}

// Metrics holds the per-customer RFM metrics in columns; all slices have the
// same length, one entry per customer.
type Metrics struct {
	IDs []string
	// Recency is the number of days from the last transaction to the as-of
	// day (≥ 0). For an inactive customer it is carried through unchanged
	// (for example days since activation) and not used for scoring.
	Recency []int32
	// Frequency counts transactions (or distinct days); 0 marks an inactive
	// customer.
	Frequency []int64
	// Monetary is the spend measure that is scored (total or mean).
	Monetary []float64
	// Revenue is each customer's total spend, summed by the report. When nil,
	// Monetary is used.
	Revenue []float64
}

// Len returns the number of customers.
func (m *Metrics) Len() int { return len(m.IDs) }

// Validate checks lengths and values: recency of active customers ≥ 0,
// frequency ≥ 0, monetary and revenue finite.
func (m *Metrics) Validate() error {
	n := len(m.IDs)
	if len(m.Recency) != n || len(m.Frequency) != n || len(m.Monetary) != n || (m.Revenue != nil && len(m.Revenue) != n) {
		return fmt.Errorf("rfm: metric columns differ in length (ids %d, recency %d, frequency %d, monetary %d)",
			n, len(m.Recency), len(m.Frequency), len(m.Monetary))
	}
	// Check in parallel parts; report the first bad customer.
	parts := chunks(n)
	errs := make([]error, parts)
	parallel(parts, n, func(c, a, b int) { errs[c] = m.validate(a, b) })
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// validate checks customers a..b−1 and returns the first problem.
func (m *Metrics) validate(a, b int) error {
	for i := a; i < b; i++ {
		if m.Frequency[i] < 0 {
			return fmt.Errorf("rfm: customer %q: frequency %d is negative", m.IDs[i], m.Frequency[i])
		}
		if m.Frequency[i] > 0 && m.Recency[i] < 0 {
			return fmt.Errorf("rfm: customer %q: recency %d days is negative (last transaction after the as-of day)", m.IDs[i], m.Recency[i])
		}
		if v := m.Monetary[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("rfm: customer %q: monetary value %v is not finite", m.IDs[i], v)
		}
		if m.Revenue != nil {
			if v := m.Revenue[i]; math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("rfm: customer %q: revenue %v is not finite", m.IDs[i], v)
			}
		}
	}
	return nil
}

// Weights weighs the three scores in the combined RFM score.
type Weights struct{ R, F, M float64 }

// Options controls Score.
type Options struct {
	Method Method
	// Bins is the number of score levels k (2..9). With Thresholds it may be
	// 0, meaning one more than the number of cut points.
	Bins int
	// RecencyCuts, FrequencyCuts and MonetaryCuts are the Thresholds cut
	// points, strictly increasing, Bins−1 each, in metric units (days,
	// count, money).
	RecencyCuts, FrequencyCuts, MonetaryCuts []float64
	// Weights of the combined score; the zero value means 1, 1, 1.
	Weights Weights
}

// Bin describes the customers holding one score on one dimension.
type Bin struct {
	Score     int
	Customers int
	// Min and Max are the smallest and largest metric value in the bin
	// (0 for an empty bin).
	Min, Max float64
}

// Scale describes how one dimension was scored: the cut points used and the
// resulting bins.
type Scale struct {
	// Descending is true for recency: smaller values score higher.
	Descending bool
	// Cuts are the k−1 cut points in increasing order, in metric units.
	Cuts []float64
	// Bins has one entry per score 1..k.
	Bins []Bin
}

// Uneven reports whether bin sizes differ by more than one customer.
func (s *Scale) Uneven() bool {
	if len(s.Bins) == 0 {
		return false
	}
	lo, hi := s.Bins[0].Customers, s.Bins[0].Customers
	for _, b := range s.Bins[1:] {
		lo = min(lo, b.Customers)
		hi = max(hi, b.Customers)
	}
	return hi-lo > 1
}

// Scores is the result of Score: per-customer scores in columns plus the
// scales that produced them.
type Scores struct {
	Method  Method
	Bins    int
	Weights Weights
	// R, F and M are the scores 1..Bins per customer, in Metrics order.
	R, F, M []uint8
	// Active is the number of customers with frequency > 0.
	Active int
	// Recency, Frequency and Monetary describe the three scales.
	Recency, Frequency, Monetary Scale
}

// Len returns the number of customers.
func (s *Scores) Len() int { return len(s.R) }

// Cell returns customer i's RFM cell as a number: 100·R + 10·F + M (545).
func (s *Scores) Cell(i int) int { return 100*int(s.R[i]) + 10*int(s.F[i]) + int(s.M[i]) }

// CellString returns customer i's RFM cell as three digits ("545").
func (s *Scores) CellString(i int) string {
	return string([]byte{'0' + s.R[i], '0' + s.F[i], '0' + s.M[i]})
}

// Weighted returns customer i's weighted RFM score,
// (wR·R + wF·F + wM·M) / (wR + wF + wM).
func (s *Scores) Weighted(i int) float64 {
	w := s.Weights
	return (w.R*float64(s.R[i]) + w.F*float64(s.F[i]) + w.M*float64(s.M[i])) / (w.R + w.F + w.M)
}

// Score scores every customer of m on recency, frequency and monetary value.
// It returns ErrEmpty (wrapped) when m has no active customer and an error
// describing the problem when the options or the metrics are invalid.
func Score(m *Metrics, opt Options) (*Scores, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	k, err := checkOptions(&opt)
	if err != nil {
		return nil, err
	}
	n := m.Len()
	s := &Scores{
		Method: opt.Method, Bins: k, Weights: opt.Weights,
		R: make([]uint8, n), F: make([]uint8, n), M: make([]uint8, n),
	}
	// Active customers are scored below; the others score 1.
	active := make([]int32, 0, n)
	maxAbs := 0.0
	for i := 0; i < n; i++ {
		if m.Frequency[i] > 0 {
			active = append(active, int32(i))
			maxAbs = max(maxAbs, math.Abs(m.Monetary[i]))
		} else {
			s.R[i], s.F[i], s.M[i] = 1, 1, 1
		}
	}
	if len(active) == 0 {
		if n == 0 {
			return nil, ErrEmpty
		}
		return nil, fmt.Errorf("%w: none of the %d customers has a transaction in the window", ErrEmpty, n)
	}
	s.Active = len(active)
	// Each dimension as an order key (ascending = rank order, worst first)
	// and the metric value a key stands for.
	dims := []struct {
		dst        *Scale
		out        []uint8
		cuts       []float64
		descending bool
		keys       func(dst []uint64) // the key of each active customer
		value      func(k uint64) float64
	}{
		{&s.Recency, s.R, opt.RecencyCuts, true,
			func(dst []uint64) {
				for p, i := range active {
					dst[p] = uint64(math.MaxInt32 - int64(m.Recency[i]))
				}
			},
			func(k uint64) float64 { return float64(math.MaxInt32 - int64(k)) }},
		{&s.Frequency, s.F, opt.FrequencyCuts, false,
			func(dst []uint64) {
				for p, i := range active {
					dst[p] = uint64(m.Frequency[i])
				}
			},
			func(k uint64) float64 { return float64(k) }},
		{&s.Monetary, s.M, opt.MonetaryCuts, false,
			func(dst []uint64) {
				for p, i := range active {
					dst[p] = floatKey(m.Monetary[i])
				}
			},
			floatValue},
	}
	// Money is compared on a grid of a millionth of a currency unit, so that
	// equal totals summed in a different order (407.19 and 407.19000000000005)
	// tie exactly, as they do in exact arithmetic. Only when some value is too
	// large for the grid to be exact in a float64 are the raw values compared.
	if maxAbs*MoneyGrid < 1<<53 {
		dims[2].keys = func(dst []uint64) {
			for p, i := range active {
				dst[p] = uint64(int64(math.Round(m.Monetary[i]*MoneyGrid))) ^ 1<<63
			}
		}
		dims[2].value = func(k uint64) float64 { return float64(int64(k^1<<63)) / MoneyGrid }
	}
	// The three dimensions are independent: score them in parallel. Ntile
	// plans each dimension first (selection), then scores it.
	var wg sync.WaitGroup
	keys := make([][]uint64, len(dims))
	plans := make([]*ntilePlan, len(dims))
	for j, d := range dims {
		wg.Go(func() {
			kk := make([]uint64, len(active))
			d.keys(kk)
			switch opt.Method {
			case Ntile:
				keys[j], plans[j] = kk, planNtile(kk, k)
			case Quantile:
				*d.dst = quantileKeys(active, kk, d.value, d.descending, k, d.out)
			default:
				*d.dst = byCuts(active, values(kk, d.value), d.cuts, d.descending, k, d.out)
			}
		})
	}
	wg.Wait()
	if opt.Method != Ntile {
		return s, nil
	}
	// Customers tied across group boundaries are split by id. When they are
	// many (heavy ties, such as a frequency of one), making the id keys of
	// all customers once costs less than making them per tied set.
	var idk []uint64
	ib, ties := 0, 0
	for _, pl := range plans {
		ties += pl.ties()
	}
	if ties > len(active)/4 {
		if kk, b, ok := idKeys(active, m.IDs); ok {
			idk, ib = kk, b
		}
	}
	for j, d := range dims {
		wg.Go(func() {
			plans[j].score(active, keys[j], m.IDs, idk, ib, d.out)
			*d.dst = plans[j].scale(d.value, d.descending)
		})
	}
	wg.Wait()
	return s, nil
}

// checkOptions validates opt, fills defaults and returns the number of bins.
func checkOptions(opt *Options) (int, error) {
	w := opt.Weights
	if w == (Weights{}) {
		opt.Weights = Weights{1, 1, 1}
		w = opt.Weights
	}
	for _, v := range []float64{w.R, w.F, w.M} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("rfm: weights must be finite and non-negative, got %g,%g,%g", w.R, w.F, w.M)
		}
	}
	if w.R+w.F+w.M <= 0 {
		return 0, fmt.Errorf("rfm: weights sum to zero")
	}
	k := opt.Bins
	switch opt.Method {
	case Ntile, Quantile:
		if opt.RecencyCuts != nil || opt.FrequencyCuts != nil || opt.MonetaryCuts != nil {
			return 0, fmt.Errorf("rfm: cut points are only used by the thresholds method, not %s", opt.Method)
		}
	case Thresholds:
		lists := []struct {
			name string
			cuts []float64
		}{{"recency", opt.RecencyCuts}, {"frequency", opt.FrequencyCuts}, {"monetary", opt.MonetaryCuts}}
		for _, l := range lists {
			if len(l.cuts) == 0 {
				return 0, fmt.Errorf("rfm: the thresholds method needs %s cut points", l.name)
			}
			if k == 0 {
				k = len(l.cuts) + 1
			}
			if len(l.cuts) != k-1 {
				return 0, fmt.Errorf("rfm: %d %s cut points for %d bins, want %d", len(l.cuts), l.name, k, k-1)
			}
			for j, c := range l.cuts {
				if math.IsNaN(c) || math.IsInf(c, 0) {
					return 0, fmt.Errorf("rfm: %s cut point %v is not finite", l.name, c)
				}
				if j > 0 && c <= l.cuts[j-1] {
					return 0, fmt.Errorf("rfm: %s cut points must increase strictly, got %g after %g", l.name, c, l.cuts[j-1])
				}
			}
		}
	default:
		return 0, fmt.Errorf("rfm: unknown method %d", opt.Method)
	}
	if k < 2 || k > MaxBins {
		return 0, fmt.Errorf("rfm: bins must be between 2 and %d, got %d", MaxBins, k)
	}
	return k, nil
}

// scoreOf returns the score of value v against increasing cut points: 1 + the
// number of cuts v exceeds, reversed (k − that number) when descending.
func scoreOf(v float64, cuts []float64, descending bool, k int) uint8 {
	// Binary search for the number of cuts strictly below v.
	lo, hi := 0, len(cuts)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cuts[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if descending {
		return uint8(k - lo)
	}
	return uint8(1 + lo)
}

// byCuts scores customers order (with metric values x) by fixed cut points.
func byCuts(order []int32, x []float64, cuts []float64, descending bool, k int, out []uint8) Scale {
	for p, i := range order {
		out[i] = scoreOf(x[p], cuts, descending, k)
	}
	return Scale{Descending: descending, Cuts: append([]float64(nil), cuts...), Bins: bins(order, x, out, k)}
}

// bins tallies customers order (with metric values x) per score with their
// metric range.
func bins(order []int32, x []float64, score []uint8, k int) []Bin {
	b := make([]Bin, k)
	for s := range b {
		b[s].Score = s + 1
	}
	for p, i := range order {
		v := x[p]
		bb := &b[score[i]-1]
		if bb.Customers == 0 || v < bb.Min {
			bb.Min = v
		}
		if bb.Customers == 0 || v > bb.Max {
			bb.Max = v
		}
		bb.Customers++
	}
	return b
}

// quantileKeys scores customers active (keys[p] is the order key of
// customer active[p], ascending = rank order) by R type-7 quantile cut
// points. Type7 needs two order statistics per cut; they are selected
// (selectRanks), not sorted for. value maps a key to its metric value;
// descending marks recency, whose value falls as the key rises.
func quantileKeys(active []int32, keys []uint64, value func(uint64) float64, descending bool, k int, out []uint8) Scale {
	n := len(keys)
	// Rank position of the j-th smallest metric value.
	rank := func(j int) int {
		if descending {
			return n - 1 - j
		}
		return j
	}
	var pos []int
	for j := 1; j < k; j++ {
		type7At(n, float64(j)/float64(k), func(i int) float64 {
			pos = append(pos, rank(i))
			return 0
		})
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	rk := selectRanks(keys, pos)
	at := func(i int) float64 {
		p, _ := slices.BinarySearch(pos, rank(i))
		return value(rk[p].key)
	}
	cuts := make([]float64, k-1)
	for j := 1; j < k; j++ {
		cuts[j-1] = type7At(n, float64(j)/float64(k), at)
	}
	return byCuts(active, values(keys, value), cuts, descending, k, out)
}

// Type7 returns the p-quantile of the sorted sample x by linear interpolation
// between order statistics, definition 7 of Hyndman and Fan (1996), the
// default of R's quantile and NumPy's percentile: with h = (n−1)p and
// g = h − ⌊h⌋, Q = (1−g)·x[⌊h⌋] + g·x[⌊h⌋+1] (0-based). x must be sorted
// ascending and non-empty; p is clamped to [0, 1].
func Type7(x []float64, p float64) float64 {
	if len(x) == 0 {
		panic("rfm: Type7 of an empty sample")
	}
	return type7At(len(x), p, func(j int) float64 { return x[j] })
}

// type7At is Type7 of a sorted sample of n values given by x(j).
func type7At(n int, p float64, x func(j int) float64) float64 {
	p = max(0, min(1, p))
	h := float64(n-1) * p
	j := int(math.Floor(h))
	if j >= n-1 {
		return x(n - 1)
	}
	g := h - float64(j)
	lo := x(j)
	if g == 0 {
		return lo
	}
	hi := x(j + 1)
	if hi == lo {
		return lo
	}
	// (1−g)·x[j] + g·x[j+1], the form R evaluates, so cut points match R's to the last bit.
	return (1-g)*lo + g*hi
}

// values maps keys to their metric values.
func values(keys []uint64, value func(uint64) float64) []float64 {
	x := make([]float64, len(keys))
	for p, k := range keys {
		x[p] = value(k)
	}
	return x
}

// floatValue inverts floatKey.
func floatValue(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// floatKey maps a finite float64 to a uint64 with the same order
// (−0 and +0 map to the same key).
func floatKey(v float64) uint64 {
	if v == 0 {
		v = 0
	}
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}
