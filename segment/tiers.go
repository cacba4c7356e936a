package segment

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// tiers assigns value tiers: quantiles of CLV among the customers not
// churned. A churned customer has no future value; it goes to the tier its
// spending level would give it: with q the share of living customers whose
// current value exceeds its own, tier floor(q·k). This is scale-free, so it
// holds whatever model produced the CLV.
func tiers(r *Result, k int) []int32 {
	n := r.Len()
	var living []int
	for i := 0; i < n; i++ {
		if r.Stage[i] != Churned {
			living = append(living, i)
		}
	}
	if len(living) == 0 {
		return QuantileTiers(r.Current, r.IDs, k)
	}
	v := make([]float64, len(living))
	ids := make([]string, len(living))
	cur := make([]float64, len(living))
	for j, i := range living {
		v[j], ids[j], cur[j] = r.CLV[i], r.IDs[i], r.Current[i]
	}
	lt := QuantileTiers(v, ids, k)
	tier := make([]int32, n)
	for i := range tier {
		tier[i] = -1
	}
	for j, i := range living {
		tier[i] = lt[j]
	}
	slices.Sort(cur)
	m := len(cur)
	for i := 0; i < n; i++ {
		if tier[i] >= 0 {
			continue
		}
		// Living customers with a current value strictly above this one's.
		above := m - sort.SearchFloat64s(cur, math.Nextafter(r.Current[i], math.Inf(1)))
		tier[i] = int32(min(above*k/m, k-1))
	}
	return tier
}

// QuantileTiers assigns k tiers by quantile of value, highest first: the
// customers are ranked by value descending (ties by id) and the customer at
// rank q (0-based) of n goes to tier floor(q·k/n), except that equal values
// share the tier of the first of them. Tier 0 is the highest.
func QuantileTiers(value []float64, ids []string, k int) []int32 {
	n := len(value)
	order := descending(value, ids)
	tier := make([]int32, n)
	var cur int32
	for q, i := range order {
		if q == 0 || value[i] != value[order[q-1]] {
			cur = int32(q * k / n)
		}
		tier[i] = cur
	}
	return tier
}

// descending returns the indices of v sorted by value descending, ties by id.
func descending(v []float64, ids []string) []int {
	type pair struct {
		v float64
		i int32
	}
	ps := make([]pair, len(v))
	for i, x := range v {
		ps[i] = pair{x, int32(i)}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		switch {
		case a.v > b.v:
			return -1
		case a.v < b.v:
			return 1
		}
		return cmp.Compare(ids[a.i], ids[b.i])
	})
	order := make([]int, len(v))
	for k, p := range ps {
		order[k] = int(p.i)
	}
	return order
}

// KeyAccounts marks the smallest set of customers whose revenue reaches
// share of the total: customers by revenue descending (ties by id) until the
// cumulative revenue is at least share × total. It returns the flags and the
// share the set actually carries. Customers with no revenue are never key
// accounts.
func KeyAccounts(revenue []float64, ids []string, share float64) ([]bool, float64) {
	key := make([]bool, len(revenue))
	var total float64
	for _, v := range revenue {
		if v > 0 {
			total += v
		}
	}
	if total == 0 {
		return key, 0
	}
	target := share * total
	var cum float64
	for _, i := range descending(revenue, ids) {
		if cum >= target*(1-1e-12) || revenue[i] <= 0 {
			break
		}
		key[i] = true
		cum += revenue[i]
	}
	return key, cum / total
}

// percentRanks returns the mid-rank percentile of every value: (number of
// values below + half the number of equal values, itself included) / n.
func percentRanks(v []float64) []float64 {
	type pair struct {
		v float64
		i int32
	}
	n := len(v)
	ps := make([]pair, n)
	for i, x := range v {
		ps[i] = pair{x, int32(i)}
	}
	// Equal values form one group whatever their order, so the sort need
	// not be stable.
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.v, b.v) })
	out := make([]float64, n)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && ps[hi].v == ps[lo].v {
			hi++
		}
		pr := (float64(lo) + float64(hi-lo)/2) / float64(n)
		for _, p := range ps[lo:hi] {
			out[p.i] = pr
		}
		lo = hi
	}
	return out
}

// median returns the median of v (mean of the two middle values for even n).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
