package rfm

import "math/bits"

// ntileBounds describes the SQL NTILE(k) groups of n ranked customers: the
// first n mod k groups hold ⌊n/k⌋+1 customers, the others ⌊n/k⌋; with
// fewer customers than groups the last k−n groups are empty.
type ntileBounds struct{ n, k, q, r, big int }

func newNtileBounds(n, k int) ntileBounds {
	q, r := n/k, n%k
	return ntileBounds{n: n, k: k, q: q, r: r, big: r * (q + 1)}
}

// bin returns the group (1..k) of rank position p (0-based).
func (b ntileBounds) bin(p int) uint8 {
	if p < b.big {
		return uint8(1 + p/(b.q+1))
	}
	return uint8(1 + b.r + (p-b.big)/b.q)
}

// start returns the first rank position of group g (1..k+1; group k+1
// starts at n).
func (b ntileBounds) start(g int) int {
	if g-1 <= b.r {
		return (g - 1) * (b.q + 1)
	}
	return b.big + (g-1-b.r)*b.q
}

// ntilePlan scores one dimension like ntile after a full sort by (key,
// id), without the sort. A group's place in rank order is fixed by n and k
// alone, so the keys at the groups' first and last positions (found by
// selection) decide every customer's group by comparison; only customers
// whose key is tied across a group boundary need their order by id, and
// only their ranks among themselves are selected by id.
type ntilePlan struct {
	nb ntileBounds
	m  int       // groups holding customers, min(n, k)
	rk []rankKey // first and last key of each group 1..m
	// Customer with key K lands in group 1 + #{g ≥ 2 : first key of g ≤ K},
	// the group of the last position its ties occupy; bound holds those
	// first keys, and code the group for a key equal to one, or
	// tieSlot|slot when the key's ties straddle a group boundary.
	bound []uint64
	code  []uint8
	// Straddling keys: their first rank position and number of customers.
	tieLo, tieN []int
	// table answers by the keys' leading bits, (K − lo) >> shift, for every
	// bucket that holds no bound (0: compare): for all keys when they are
	// few distinct values (days, counts).
	lo    uint64
	shift uint
	table []uint8
}

func (pl *ntilePlan) first(g int) rankKey { return pl.rk[2*(g-1)] }
func (pl *ntilePlan) last(g int) rankKey  { return pl.rk[2*(g-1)+1] }

// planNtile plans NTILE(k) groups of keys (at least one key; ascending =
// rank order, worst first).
func planNtile(keys []uint64, k int) *ntilePlan {
	n := len(keys)
	pl := &ntilePlan{nb: newNtileBounds(n, k), m: min(n, k)}
	nb, m := pl.nb, pl.m
	pos := make([]int, 0, 2*m)
	for g := 1; g <= m; g++ {
		pos = append(pos, nb.start(g), nb.start(g+1)-1)
	}
	pl.rk = selectRanks(keys, pos)
	pl.bound = make([]uint64, m-1)
	pl.code = make([]uint8, m-1)
	for g := 2; g <= m; g++ {
		f := pl.first(g)
		pl.bound[g-2], pl.code[g-2] = f.key, uint8(g)
		switch {
		case nb.bin(f.lo) == nb.bin(f.hi-1):
		case g > 2 && pl.bound[g-3] == f.key:
			pl.code[g-2] = pl.code[g-3]
		default:
			pl.code[g-2] = tieSlot | uint8(len(pl.tieLo))
			pl.tieLo = append(pl.tieLo, f.lo)
			pl.tieN = append(pl.tieN, f.hi-f.lo)
		}
	}
	lo, hi := pl.first(1).key, pl.last(m).key
	// The table has up to 2^selectBits entries, fewer for few keys.
	tableBits := min(selectBits, max(8, bits.Len(uint(n))))
	shift := uint(max(0, bits.Len64(hi-lo)-tableBits))
	pl.lo, pl.shift = lo, shift
	pl.table = make([]uint8, (hi-lo)>>shift+1)
	for t := range pl.table {
		from := lo + uint64(t)<<shift
		to := from + min(hi-from, 1<<shift-1)
		pl.table[t] = pl.group(from)
		if shift > 0 {
			for _, b := range pl.bound {
				if b >= from && b <= to {
					pl.table[t] = 0
				}
			}
		}
	}
	return pl
}

// group returns the group code of key kk by comparison.
func (pl *ntilePlan) group(kk uint64) uint8 {
	g := 0
	for _, b := range pl.bound {
		if b <= kk {
			g++
		}
	}
	if g > 0 && pl.bound[g-1] == kk {
		return pl.code[g-1]
	}
	return uint8(1 + g)
}

// ties returns the number of customers tied across group boundaries.
func (pl *ntilePlan) ties() int {
	t := 0
	for _, c := range pl.tieN {
		t += c
	}
	return t
}

// score writes the group of every customer active[p] (with key keys[p])
// to out. idk, when not nil, holds idKeys(active, ids) with ib index bits;
// otherwise the tied customers' id keys are made from ids.
func (pl *ntilePlan) score(active []int32, keys []uint64, ids []string, idk []uint64, ib int, out []uint8) {
	tiedK := make([][]uint64, len(pl.tieN))
	tiedI := make([][]int32, len(pl.tieN))
	for s, c := range pl.tieN {
		if idk != nil {
			tiedK[s] = make([]uint64, 0, c)
		} else {
			tiedI[s] = make([]int32, 0, c)
		}
	}
	table, lo, shift := pl.table, pl.lo, pl.shift
	for p, i := range active {
		kk := keys[p]
		c := table[(kk-lo)>>shift]
		if c == 0 {
			c = pl.group(kk)
		}
		out[i] = c
		if c&tieSlot != 0 {
			if s := c &^ tieSlot; idk != nil {
				tiedK[s] = append(tiedK[s], idk[p])
			} else {
				tiedI[s] = append(tiedI[s], i)
			}
		}
	}
	// Straddling ties take their rank positions in id order.
	for s := range pl.tieN {
		kk, b := tiedK[s], ib
		if idk == nil {
			var ok bool
			if kk, b, ok = idKeys(tiedI[s], ids); !ok {
				for j, i := range sortByID(tiedI[s], ids) {
					out[i] = pl.nb.bin(pl.tieLo[s] + j)
				}
				continue
			}
		}
		splitTies(kk, b, pl.nb, pl.tieLo[s], out)
	}
}

// scale returns the Scale of the groups; value maps a key to its metric
// value, descending marks recency (its value falls as the key rises).
func (pl *ntilePlan) scale(value func(uint64) float64, descending bool) Scale {
	k := pl.nb.k
	b := make([]Bin, k)
	for g := range b {
		b[g].Score = g + 1
	}
	for g := 1; g <= pl.m; g++ {
		lo, hi := value(pl.first(g).key), value(pl.last(g).key)
		b[g-1].Customers = pl.nb.start(g+1) - pl.nb.start(g)
		b[g-1].Min, b[g-1].Max = min(lo, hi), max(lo, hi)
	}
	return Scale{Descending: descending, Cuts: ntileCuts(b, value(pl.last(pl.m).key), descending, k), Bins: b}
}

// tieSlot marks a straddling key's slot in ntileKeys' group codes.
const tieSlot = 0x80

// splitTies scores customers tied on one key at rank positions lo.. by
// their id keys kk (idKeys: the order of (id, index), the index in the low
// ib bits): only the keys at the ranks where a group starts are selected.
func splitTies(kk []uint64, ib int, nb ntileBounds, lo int, out []uint8) {
	g0 := int(nb.bin(lo))
	var pos []int
	for g := g0 + 1; g <= int(nb.bin(lo+len(kk)-1)); g++ {
		pos = append(pos, nb.start(g)-lo)
	}
	starts := selectRanks(kk, pos)
	mask := uint64(1)<<ib - 1
	for _, v := range kk {
		g := g0
		for _, r := range starts {
			if r.key <= v {
				g++
			}
		}
		out[v&mask] = uint8(g)
	}
}

// ntileCuts returns the k−1 cut points of NTILE groups b: each group's
// largest metric value, from the worst group up; top is the metric value
// of the best-ranked customer. With fewer customers than groups an empty
// group gets a cut beyond every value (below them for recency).
func ntileCuts(b []Bin, top float64, descending bool, k int) []float64 {
	cuts := make([]float64, k-1)
	if descending {
		// Cut j (1-based) is the largest recency in bin k+1−j.
		for j := 1; j < k; j++ {
			if bb := b[k-j]; bb.Customers == 0 {
				cuts[j-1] = top - 1
			} else {
				cuts[j-1] = bb.Max
			}
		}
		return cuts
	}
	for i := 0; i < k-1; i++ {
		if b[i].Customers == 0 {
			cuts[i] = top
		} else {
			cuts[i] = b[i].Max
		}
	}
	return cuts
}
