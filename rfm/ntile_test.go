package rfm

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// refNtileScale is the reference for one dimension of Score with the ntile
// method, written straight from the definition: sort the active customers
// by (rank value, id, index) with a comparison sort, deal the NTILE groups
// by position (the first n mod k groups one larger), tally each group's
// size and metric range, and take each group's largest value as its cut
// (an empty group: the top value, or for recency one below it). rank is the
// value that orders customers worst first; shown is the metric value
// reported for a customer.
func refNtileScale(active []int, ids []string, rank func(i int) float64, shown func(i int) float64, descending bool, k int, out []uint8) Scale {
	order := slices.Clone(active)
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if c := strings.Compare(ids[a], ids[b]); c != 0 {
			return c
		}
		return a - b
	})
	n := len(order)
	bins := make([]Bin, k)
	p := 0
	for g := 1; g <= k; g++ {
		size := n / k
		if g <= n%k {
			size++
		}
		bins[g-1].Score = g
		for j := 0; j < size; j++ {
			i := order[p]
			p++
			out[i] = uint8(g)
			refAdd(&bins[g-1], shown(i))
		}
	}
	top := shown(order[n-1])
	cuts := make([]float64, k-1)
	for j := range cuts {
		b := bins[j]
		if descending {
			b = bins[k-1-j]
		}
		switch {
		case b.Customers > 0:
			cuts[j] = b.Max
		case descending:
			cuts[j] = top - 1
		default:
			cuts[j] = top
		}
	}
	return Scale{Descending: descending, Cuts: cuts, Bins: bins}
}

// refAdd counts a customer of value v in bin b (its range and count).
func refAdd(b *Bin, v float64) {
	if b.Customers == 0 || v < b.Min {
		b.Min = v
	}
	if b.Customers == 0 || v > b.Max {
		b.Max = v
	}
	b.Customers++
}

// refStart returns the scores of the reference methods before scoring
// (every score 1), the active customers, and the monetary value they rank
// on: the MoneyGrid (rounded to a millionth) unless a value is too large
// for the grid to be exact.
func refStart(m *Metrics, method Method, k int) (*Scores, []int, func(i int) float64) {
	n := m.Len()
	s := &Scores{Method: method, Bins: k, Weights: Weights{1, 1, 1},
		R: make([]uint8, n), F: make([]uint8, n), M: make([]uint8, n)}
	var active []int
	grid := true
	for i := range n {
		s.R[i], s.F[i], s.M[i] = 1, 1, 1
		if m.Frequency[i] > 0 {
			active = append(active, i)
			grid = grid && math.Abs(m.Monetary[i])*MoneyGrid < 1<<53
		}
	}
	s.Active = len(active)
	mon := func(i int) float64 {
		if grid {
			return math.Round(m.Monetary[i]*MoneyGrid) / MoneyGrid
		}
		return m.Monetary[i] + 0 // −0 shows as 0
	}
	return s, active, mon
}

// refNtile scores m like Score with the ntile method, dimension by
// dimension with refNtileScale. Money ranks on the MoneyGrid (rounded to a
// millionth) unless a value is too large for the grid to be exact.
func refNtile(m *Metrics, k int) *Scores {
	s, active, mon := refStart(m, Ntile, k)
	rec := func(i int) float64 { return float64(m.Recency[i]) }
	frq := func(i int) float64 { return float64(m.Frequency[i]) }
	s.Recency = refNtileScale(active, m.IDs, func(i int) float64 { return -rec(i) }, rec, true, k, s.R)
	s.Frequency = refNtileScale(active, m.IDs, frq, frq, false, k, s.F)
	s.Monetary = refNtileScale(active, m.IDs, mon, mon, false, k, s.M)
	return s
}

// refQuantile scores m like Score with the quantile method, from the
// definition: sort each dimension's metric values ascending, take the R
// type-7 sample quantiles p = i/k as cut points, (1−g)·x[j] + g·x[j+1]
// with h = (n−1)·p, j = ⌊h⌋, g = h − j, and score each customer 1 + the
// number of cuts below its value (k − that number for recency).
func refQuantile(m *Metrics, k int) *Scores {
	s, active, mon := refStart(m, Quantile, k)
	dim := func(val func(i int) float64, descending bool, out []uint8) Scale {
		x := make([]float64, 0, len(active))
		for _, i := range active {
			x = append(x, val(i))
		}
		slices.Sort(x)
		cuts := make([]float64, k-1)
		for c := range cuts {
			p := float64(c+1) / float64(k) // probs first, then the index, as R does
			h := float64(len(x)-1) * p
			j := int(math.Floor(h))
			g := h - float64(j)
			if j+1 >= len(x) || g == 0 || x[j] == x[j+1] {
				cuts[c] = x[j]
			} else {
				cuts[c] = (1-g)*x[j] + g*x[j+1]
			}
		}
		bins := make([]Bin, k)
		for b := range bins {
			bins[b].Score = b + 1
		}
		for _, i := range active {
			v, below := val(i), 0
			for _, c := range cuts {
				if c < v {
					below++
				}
			}
			sc := 1 + below
			if descending {
				sc = k - below
			}
			out[i] = uint8(sc)
			refAdd(&bins[sc-1], v)
		}
		return Scale{Descending: descending, Cuts: cuts, Bins: bins}
	}
	s.Recency = dim(func(i int) float64 { return float64(m.Recency[i]) }, true, s.R)
	s.Frequency = dim(func(i int) float64 { return float64(m.Frequency[i]) }, false, s.F)
	s.Monetary = dim(mon, false, s.M)
	return s
}

// TestNtileMatchesReference compares Score's ntile and quantile methods
// (selection, no full sort) with refNtile and refQuantile on random data
// with heavy ties: every score and every Scale field must be equal.
func TestNtileMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	idGens := map[string]func(i int) string{
		"telecom":       func(i int) string { return fmt.Sprintf("S%09d", r.IntN(1e9)) },
		"long prefix":   func(i int) string { return "customer-2024-11-30-" + fmt.Sprint(r.IntN(1e6)) },
		"lengths":       func(i int) string { return strings.Repeat("7", r.IntN(4)) + fmt.Sprint(r.IntN(300)) },
		"long tails":    func(i int) string { return "x" + fmt.Sprint(r.Uint64()) + "-" + fmt.Sprint(r.IntN(3)) },
		"zero bytes":    func(i int) string { return strings.Repeat("\x00", r.IntN(3)) + string(rune('a'+r.IntN(26))) },
		"duplicates":    func(i int) string { return fmt.Sprint(r.IntN(7)) },
		"bytes and gbk": func(i int) string { return string([]byte{byte(r.IntN(256)), byte(r.IntN(256)), 0xd5, 0xc5}) },
	}
	spend := map[string]func() float64{
		"cents":  func() float64 { return float64(r.IntN(4000)) / 100 },
		"ties":   func() float64 { return float64(r.IntN(3)) * 12.5 },
		"signed": func() float64 { return float64(r.IntN(2001)-1000) / 7 },
		"equal":  func() float64 { return 99.99 },
		"huge": func() float64 {
			return []float64{-1e300, -3e15, math.Copysign(0, -1), 0, 1e-9, 2.5, 1e12, 1e300}[r.IntN(8)] * float64(1+r.IntN(2))
		},
		"wide": func() float64 { // one dense value among a wide spread: selection refines
			if r.IntN(2) == 0 {
				return 5
			}
			return (r.Float64() - 0.5) * 1e9
		},
	}
	sizes := []int{1, 2, 3, 4, 5, 6, 9, 10, 11, 17, 64, 1000, 1025, 4099, 30011, 200_003}
	for _, n := range sizes {
		for gname, gen := range idGens {
			for sname, money := range spend {
				switch {
				case n > 100_000 && (gname != "telecom" && gname != "long tails" || sname != "cents"):
					continue // id keys made in parallel parts, exact and not
				case n > 100_000:
				case n > 1025 && r.IntN(3) != 0:
					continue // the large sizes on a random third of the combinations
				}
				k := 2 + r.IntN(MaxBins-1)
				t.Run(fmt.Sprintf("n%d/%s/%s/k%d", n, gname, sname, k), func(t *testing.T) {
					m := &Metrics{IDs: make([]string, n), Recency: make([]int32, n), Frequency: make([]int64, n), Monetary: make([]float64, n)}
					recRange := 1 + r.IntN(40)
					frqRange := 1 + r.IntN(12)
					for i := range n {
						m.IDs[i] = gen(i)
						m.Recency[i] = int32(r.IntN(recRange))
						m.Frequency[i] = int64(r.IntN(frqRange))
						if frqRange > 1 && r.IntN(4) == 0 {
							m.Frequency[i] = int64(r.IntN(1 << 40)) // wide counts
						}
						m.Monetary[i] = money()
					}
					m.Frequency[r.IntN(n)] = 1 + int64(r.IntN(3)) // at least one active customer
					for method, ref := range map[Method]func(*Metrics, int) *Scores{Ntile: refNtile, Quantile: refQuantile} {
						got, err := Score(m, Options{Method: method, Bins: k})
						if err != nil {
							t.Fatal(err)
						}
						want := ref(m, k)
						for _, c := range []struct {
							dim       string
							got, want []uint8
							gs, ws    Scale
						}{
							{"R", got.R, want.R, got.Recency, want.Recency},
							{"F", got.F, want.F, got.Frequency, want.Frequency},
							{"M", got.M, want.M, got.Monetary, want.Monetary},
						} {
							if !slices.Equal(c.got, c.want) {
								t.Errorf("%s: %s scores differ from the reference", method, c.dim)
							}
							if !reflect.DeepEqual(c.gs, c.ws) {
								t.Errorf("%s: %s scale\n got %+v\nwant %+v", method, c.dim, c.gs, c.ws)
							}
						}
						if got.Active != want.Active {
							t.Errorf("%s: active %d, want %d", method, got.Active, want.Active)
						}
					}
				})
			}
		}
	}
}

// TestSelectRanks checks selection against a sorted copy on keys with wide
// ranges and long runs of ties (several refinement levels).
func TestSelectRanks(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{1, 2, 100, 1024, 1025, 5000, 100_000} {
		for trial := 0; trial < 4; trial++ {
			keys := make([]uint64, n)
			for i := range keys {
				switch r.IntN(4) {
				case 0:
					keys[i] = r.Uint64()
				case 1:
					keys[i] = 1<<40 + uint64(r.IntN(3))
				case 2:
					keys[i] = 1<<40 + uint64(r.IntN(1<<20))<<10
				default:
					keys[i] = math.MaxUint64 - uint64(r.IntN(2))
				}
			}
			var pos []int
			for p := 0; p < n; p += 1 + r.IntN(n/7+1) {
				pos = append(pos, p)
			}
			pos = append(pos, n-1)
			pos = slices.Compact(pos)
			got := selectRanks(keys, pos)
			s := slices.Clone(keys)
			slices.Sort(s)
			for j, p := range pos {
				v := s[p]
				lo, _ := slices.BinarySearch(s, v)
				hi, _ := slices.BinarySearch(s, v+1)
				if v == math.MaxUint64 {
					hi = n
				}
				if want := (rankKey{v, lo, hi}); got[j] != want {
					t.Fatalf("n=%d position %d: got %+v, want %+v", n, p, got[j], want)
				}
			}
		}
	}
}

// TestIDKeysOrder checks that idKeys, when it accepts the ids, orders
// customers exactly as a comparison sort by (id, index) does, and that it
// refuses ids it cannot represent.
func TestIDKeysOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	halves := 0
	for name, c := range map[string]struct {
		gen  func() string
		fits bool
	}{
		"telecom": {func() string { return fmt.Sprintf("S%09d", r.IntN(1e6)) }, true},
		"lengths": {func() string { return fmt.Sprint(r.IntN(1e5)) }, true},
		"bytes":   {func() string { return string([]byte{1 + byte(r.IntN(255)), 1 + byte(r.IntN(255))}) }, true},
		"halves": {func() string { // each parallel part has a longer common prefix than the whole
			halves++
			return fmt.Sprintf("%c%06d", 'a'+byte(halves*2/300_001), r.IntN(1e6))
		}, true},
		"zero byte":  {func() string { return string([]byte{'a', byte(r.IntN(2))}) }, false},
		"nine bytes": {func() string { return fmt.Sprintf("%09d", r.IntN(1e9)) }, false},
		"64 bits used": {func() string {
			b := make([]byte, 8)
			for j := range b {
				b[j] = 1 + byte(r.IntN(255))
			}
			return string(b)
		}, false},
	} {
		t.Run(name, func(t *testing.T) {
			n := 3000
			if name == "telecom" || name == "nine bytes" || name == "halves" {
				n = 300_000 // id keys made in parallel parts
			}
			ids := make([]string, n)
			idx := make([]int32, 0, n)
			for i := range ids {
				ids[i] = c.gen()
				if r.IntN(3) > 0 || name == "halves" { // halves: the parts split at n/2
					idx = append(idx, int32(i))
				}
			}
			keys, ib, ok := idKeys(idx, ids)
			if ok != c.fits {
				t.Fatalf("idKeys fits = %v, want %v", ok, c.fits)
			}
			if !ok {
				return
			}
			for p, i := range idx {
				if keys[p]&(1<<ib-1) != uint64(i) {
					t.Fatalf("key %d does not end in index %d", p, i)
				}
			}
			byKey := make([]int, len(idx))
			for p := range byKey {
				byKey[p] = p
			}
			slices.SortFunc(byKey, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
			want := slices.Clone(idx)
			slices.SortStableFunc(want, func(a, b int32) int { return strings.Compare(ids[a], ids[b]) })
			for p, q := range byKey {
				if idx[q] != want[p] {
					t.Fatalf("position %d: key order gives customer %d (%q), id order %d (%q)", p, idx[q], ids[idx[q]], want[p], ids[want[p]])
				}
			}
		})
	}
}

// TestValidateReportsFirstProblem checks that Validate, which checks large
// inputs in parallel parts, names the first bad customer.
func TestValidateReportsFirstProblem(t *testing.T) {
	n := 300_000
	m := &Metrics{IDs: make([]string, n), Recency: make([]int32, n), Frequency: make([]int64, n), Monetary: make([]float64, n)}
	for i := range n {
		m.IDs[i] = fmt.Sprint("c", i)
		m.Frequency[i] = 1
	}
	m.Monetary[n-5] = math.NaN()
	m.Frequency[n/2+10] = -1
	m.Recency[n/2-10] = -3
	err := m.Validate()
	want := fmt.Sprintf(`rfm: customer "c%d": recency -3 days is negative`, n/2-10)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Validate = %v, want %s…", err, want)
	}
}
