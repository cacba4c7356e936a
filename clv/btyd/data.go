package btyd

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
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

// newCountData validates and collapses the rows. w may be nil (all ones).
// When rescale is true, times are divided by the largest T.
//
// The distinct times (t_x and T pooled) are indexed first; a row is then
// the triple (x, index of t_x, index of T). When those fit in 63 bits (always,
// for day-resolution data) the triples are packed into integers and collapsed
// with a radix sort, which leaves the rows in canonical (x, t_x, T) order
// whatever the input order; otherwise a hash table collapses them.
func newCountData(x, tx, T, w []float64, rescale bool) (*countData, error) {
	if len(tx) != len(x) || len(T) != len(x) || (w != nil && len(w) != len(x)) {
		return nil, fmt.Errorf("%w: x, t_x, T (and weights) must have the same length", ErrInvalidData)
	}
	// Pass 1: validate, index the distinct times in order of appearance.
	tvs := newFloatIndex()
	rows := make([]int32, 0, len(x))
	txp := make([]int32, 0, len(x))
	Tp := make([]int32, 0, len(x))
	maxX := 0.0
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
		maxX = math.Max(maxX, xv)
		rows = append(rows, int32(i))
		txp = append(txp, tvs.index(txv))
		Tp = append(Tp, tvs.index(Tv))
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: no customers", ErrInvalidData)
	}
	// Sort the distinct times and renumber.
	tv := slices.Clone(tvs.values)
	order := make([]int32, len(tv))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(tv[a], tv[b]) })
	rank := make([]int32, len(tv))
	sorted := make([]float64, len(tv))
	for r, o := range order {
		rank[o] = int32(r)
		sorted[r] = tv[o]
	}
	for i := range txp {
		txp[i], Tp[i] = rank[txp[i]], rank[Tp[i]]
	}
	tbits := bits.Len(uint(len(sorted)))
	var d *countData
	if xb := bits.Len64(uint64(maxX)); xb+2*tbits <= 63 {
		d = collapsePacked(x, w, rows, txp, Tp, sorted, tbits)
	} else {
		d = collapseHashed(x, w, rows, txp, Tp, sorted)
	}
	d.n = len(rows)
	d.scale = 1
	m := len(d.x)
	maxT := sorted[len(sorted)-1]
	if rescale {
		if maxT <= 0 {
			return nil, fmt.Errorf("%w: every customer has T = 0 (observed for no time)", ErrNotIdentified)
		}
		d.scale = maxT
		for j := range sorted {
			sorted[j] /= maxT
		}
	}
	d.tv = sorted
	d.tx = make([]float64, m)
	d.T = make([]float64, m)
	d.xi = make([]int32, m)
	for i := range d.x {
		d.tx[i], d.T[i] = sorted[d.txi[i]], sorted[d.Ti[i]]
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
	return d, nil
}

// collapsePacked collapses rows packed as x<<2b | t_x index<<b | T index with
// an LSD radix sort (16-bit digits) that carries the weights along.
func collapsePacked(x, w []float64, rows, txp, Tp []int32, tv []float64, b int) *countData {
	n := len(rows)
	keys := make([]uint64, n)
	wts := make([]float64, n)
	var maxKey uint64
	for j, i := range rows {
		k := uint64(x[i])<<(2*b) | uint64(txp[j])<<b | uint64(Tp[j])
		keys[j] = k
		maxKey = max(maxKey, k)
		wts[j] = 1
		if w != nil {
			wts[j] = w[i]
		}
	}
	k2 := make([]uint64, n)
	w2 := make([]float64, n)
	var count [1 << 16]int
	for shift := 0; shift < bits.Len64(maxKey); shift += 16 {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&0xffff]++
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for j, k := range keys {
			dgt := (k >> shift) & 0xffff
			k2[count[dgt]] = k
			w2[count[dgt]] = wts[j]
			count[dgt]++
		}
		keys, k2 = k2, keys
		wts, w2 = w2, wts
	}
	d := &countData{}
	mask := uint64(1)<<b - 1
	for j, k := range keys {
		if j > 0 && k == keys[j-1] {
			d.w[len(d.w)-1] += wts[j]
			continue
		}
		d.x = append(d.x, float64(k>>(2*b)))
		d.txi = append(d.txi, int32(k>>b&mask))
		d.Ti = append(d.Ti, int32(k&mask))
		d.w = append(d.w, wts[j])
	}
	return d
}

// collapseHashed collapses rows with a hash table and sorts the distinct rows.
func collapseHashed(x, w []float64, rows, txp, Tp []int32, tv []float64) *countData {
	type key struct {
		x       float64
		txi, Ti int32
	}
	index := make(map[key]int, 1024)
	var keys []key
	var wts []float64
	for j, i := range rows {
		k := key{x[i], txp[j], Tp[j]}
		q, ok := index[k]
		if !ok {
			q = len(keys)
			index[k] = q
			keys = append(keys, k)
			wts = append(wts, 0)
		}
		if w != nil {
			wts[q] += w[i]
		} else {
			wts[q]++
		}
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		ka, kb := keys[a], keys[b]
		if c := cmp.Compare(ka.x, kb.x); c != 0 {
			return c
		}
		if c := cmp.Compare(ka.txi, kb.txi); c != 0 {
			return c
		}
		return cmp.Compare(ka.Ti, kb.Ti)
	})
	d := &countData{}
	for _, o := range order {
		d.x = append(d.x, keys[o].x)
		d.txi = append(d.txi, keys[o].txi)
		d.Ti = append(d.Ti, keys[o].Ti)
		d.w = append(d.w, wts[o])
	}
	return d
}

// floatIndex numbers distinct float64 values in order of first appearance
// (an open-addressing table on the bit patterns).
type floatIndex struct {
	table  []int32
	shift  uint // 64 - log2(len(table)): the hash uses the top bits of the product
	values []float64
}

func newFloatIndex() *floatIndex {
	f := &floatIndex{table: make([]int32, 1024), shift: 64 - 10}
	for i := range f.table {
		f.table[i] = -1
	}
	return f
}

func (f *floatIndex) index(v float64) int32 {
	if v == 0 {
		v = 0 // fold -0 into +0
	}
	bitsV := math.Float64bits(v)
	mask := uint64(len(f.table) - 1)
	h := (bitsV * 0x9e3779b97f4a7c15) >> f.shift
	for {
		j := f.table[h]
		if j < 0 {
			j = int32(len(f.values))
			f.table[h] = j
			f.values = append(f.values, v)
			if 2*len(f.values) > len(f.table) {
				f.grow()
			}
			return j
		}
		if math.Float64bits(f.values[j]) == bitsV {
			return j
		}
		h = (h + 1) & mask
	}
}

func (f *floatIndex) grow() {
	f.table = make([]int32, 2*len(f.table))
	f.shift--
	for i := range f.table {
		f.table[i] = -1
	}
	mask := uint64(len(f.table) - 1)
	for j, v := range f.values {
		h := (math.Float64bits(v) * 0x9e3779b97f4a7c15) >> f.shift
		for f.table[h] >= 0 {
			h = (h + 1) & mask
		}
		f.table[h] = int32(j)
	}
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
