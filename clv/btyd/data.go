package btyd

import (
	"fmt"
	"math"
	"slices"
)

// countData is a collapsed (x, t_x, T) data set: identical rows are merged
// into one row with a weight, and the distinct values of x and of the times
// are indexed so that per-evaluation work (log-gamma, log(α+t)) is done once
// per distinct value rather than once per customer.
type countData struct {
	x, tx, T, w []float64 // unique rows, sorted by (x, tx, T)
	xs, xw      []float64 // distinct x values and their total weight
	xi          []int32   // row -> index into xs
	tv          []float64 // distinct time values (tx and T pooled)
	txi, Ti     []int32   // row -> index into tv
	weight      float64   // total weight (customers)
	sumWX       float64   // total weight × x
	sumWT       float64   // total weight × T
	scale       float64   // times were divided by this
	n           int       // input rows with positive weight
}

type rowKey struct{ x, tx, T float64 }

// hash mixes the bit patterns of the key (multiply-xorshift).
func (k rowKey) hash() uint64 {
	h := math.Float64bits(k.x)*0x9e3779b97f4a7c15 ^ math.Float64bits(k.tx)*0xc2b2ae3d27d4eb4f ^ math.Float64bits(k.T)*0x165667b19e3779f9
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// rehash builds a table of the given power-of-two size holding keys.
func rehash(keys []rowKey, size int) []int32 {
	table := make([]int32, size)
	for i := range table {
		table[i] = -1
	}
	mask := uint64(size - 1)
	for j, k := range keys {
		h := k.hash() & mask
		for table[h] >= 0 {
			h = (h + 1) & mask
		}
		table[h] = int32(j)
	}
	return table
}

// newCountData validates and collapses the rows. w may be nil (all ones).
// When rescale is true, times are divided by the largest T.
func newCountData(x, tx, T, w []float64, rescale bool) (*countData, error) {
	if len(tx) != len(x) || len(T) != len(x) || (w != nil && len(w) != len(x)) {
		return nil, fmt.Errorf("%w: x, t_x, T (and weights) must have the same length", ErrInvalidData)
	}
	// Open-addressing hash table of row keys (indices into keys), grown by doubling.
	size := 1024
	for size < len(x)/4 {
		size <<= 1
	}
	table := make([]int32, size)
	for i := range table {
		table[i] = -1
	}
	keys := make([]rowKey, 0, size/2)
	wts := make([]float64, 0, size/2)
	n := 0
	for i := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if !(wi >= 0) || math.IsInf(wi, 0) {
			return nil, fmt.Errorf("%w: row %d: weight %v is not a finite non-negative number", ErrInvalidData, i+1, wi)
		}
		if wi == 0 {
			continue
		}
		xv, txv, Tv := x[i], tx[i], T[i]
		if !(xv >= 0) || math.IsInf(xv, 0) || xv != math.Floor(xv) {
			return nil, fmt.Errorf("%w: row %d: x = %v is not a non-negative whole number", ErrInvalidData, i+1, xv)
		}
		if !(Tv >= 0) || math.IsInf(Tv, 0) {
			return nil, fmt.Errorf("%w: row %d: T = %v is not a finite non-negative number", ErrInvalidData, i+1, Tv)
		}
		if !(txv >= 0) || txv > Tv*(1+1e-12) {
			return nil, fmt.Errorf("%w: row %d: t_x = %v is outside [0, T = %v]", ErrInvalidData, i+1, txv, Tv)
		}
		if txv > Tv {
			txv = Tv
		}
		if xv == 0 && txv != 0 {
			return nil, fmt.Errorf("%w: row %d: x = 0 but t_x = %v (t_x must be 0 without repeat purchases)", ErrInvalidData, i+1, txv)
		}
		k := rowKey{xv, txv, Tv}
		mask := uint64(len(table) - 1)
		h := k.hash() & mask
		var j int32
		for {
			j = table[h]
			if j < 0 {
				j = int32(len(keys))
				table[h] = j
				keys = append(keys, k)
				wts = append(wts, 0)
				break
			}
			if keys[j] == k {
				break
			}
			h = (h + 1) & mask
		}
		wts[j] += wi
		if 2*len(keys) > len(table) {
			table = rehash(keys, 2*len(table))
		}
		n++
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no customers", ErrInvalidData)
	}
	// Group the rows by x (ascending; first appearance within a group) with a
	// counting sort: x takes few distinct values.
	xpos := map[float64]int{}
	var xvals []float64
	for _, k := range keys {
		if _, ok := xpos[k.x]; !ok {
			xpos[k.x] = 0
			xvals = append(xvals, k.x)
		}
	}
	slices.Sort(xvals)
	for i, v := range xvals {
		xpos[v] = i
	}
	start := make([]int, len(xvals)+1)
	bucket := make([]int32, len(keys))
	for j, k := range keys {
		b := xpos[k.x]
		bucket[j] = int32(b)
		start[b+1]++
	}
	for b := 1; b <= len(xvals); b++ {
		start[b] += start[b-1]
	}
	order := make([]int, len(keys))
	for j := range keys {
		b := bucket[j]
		order[start[b]] = j
		start[b]++
	}
	d := &countData{n: n, scale: 1}
	m := len(keys)
	d.x = make([]float64, m)
	d.tx = make([]float64, m)
	d.T = make([]float64, m)
	d.w = make([]float64, m)
	maxT := 0.0
	for i, o := range order {
		k := keys[o]
		d.x[i], d.tx[i], d.T[i], d.w[i] = k.x, k.tx, k.T, wts[o]
		maxT = math.Max(maxT, k.T)
	}
	if rescale {
		if maxT <= 0 {
			return nil, fmt.Errorf("%w: every customer has T = 0 (observed for no time)", ErrNotIdentified)
		}
		d.scale = maxT
		for i := range d.T {
			d.tx[i] /= maxT
			d.T[i] /= maxT
		}
	}
	d.xi = make([]int32, m)
	for i := range d.x {
		if i == 0 || d.x[i] != d.x[i-1] {
			d.xs = append(d.xs, d.x[i])
			d.xw = append(d.xw, 0)
		}
		d.xi[i] = int32(len(d.xs) - 1)
		d.xw[len(d.xw)-1] += d.w[i]
		d.weight += d.w[i]
		d.sumWX += d.w[i] * d.x[i]
		d.sumWT += d.w[i] * d.T[i]
	}
	tvIndex := make(map[float64]int32)
	tvs := make([]float64, 0, 1024)
	for i := range d.x {
		for _, v := range [2]float64{d.tx[i], d.T[i]} {
			if _, ok := tvIndex[v]; !ok {
				tvIndex[v] = 0
				tvs = append(tvs, v)
			}
		}
	}
	slices.Sort(tvs)
	for i, v := range tvs {
		tvIndex[v] = int32(i)
	}
	d.tv = tvs
	d.txi = make([]int32, m)
	d.Ti = make([]int32, m)
	for i := range d.x {
		d.txi[i] = tvIndex[d.tx[i]]
		d.Ti[i] = tvIndex[d.T[i]]
	}
	return d, nil
}

// repeatRate is Σx / ΣT in the (rescaled) time unit, used for starting values.
func (d *countData) repeatRate() float64 {
	if d.sumWT <= 0 || d.sumWX <= 0 {
		return 1
	}
	return d.sumWX / d.sumWT
}

// checkRepeat returns an error when nobody made a repeat purchase: the purchase
// and dropout processes are then not separately identified.
func (d *countData) checkRepeat() error {
	if d.sumWX == 0 {
		return fmt.Errorf("%w: no customer made a repeat purchase (every x is 0)", ErrNotIdentified)
	}
	return nil
}
