package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// directModel is the per-observation form of withinModel (the estimator as
// first written: every round loops over all observations). It is the
// independent computation the aggregated model is checked against.
type directModel struct {
	x           []float64
	t           []int32
	s           []int8
	sub         []int32
	nt, seasons int
	ns          int
	obs, total  []float64
}

func newDirectModel(tenure []int32, spend []float64, subject []int32, season []int8, seasons, maxTenure int) *directModel {
	nt := maxTenure + 1
	if season == nil {
		seasons = 1
	}
	m := &directModel{x: spend, t: make([]int32, len(spend)), s: make([]int8, len(spend)), sub: make([]int32, len(spend)),
		nt: nt, seasons: seasons, obs: make([]float64, nt)}
	index := map[int32]int32{}
	for i, id := range subject {
		k, ok := index[id]
		if !ok {
			k = int32(len(index))
			index[id] = k
		}
		m.sub[i] = k
		m.t[i] = int32(min(int(tenure[i]), maxTenure))
		m.obs[m.t[i]]++
		if season != nil {
			m.s[i] = season[i]
		}
	}
	m.ns = len(index)
	m.total = make([]float64, m.ns)
	for i, x := range spend {
		m.total[m.sub[i]] += x
	}
	return m
}

func (m *directModel) alphas(theta []float64) []float64 {
	g, sf := theta[:m.nt], theta[m.nt:]
	b := make([]float64, m.ns)
	for i := range m.x {
		b[m.sub[i]] += g[m.t[i]] * sf[m.s[i]]
	}
	alpha := make([]float64, m.ns)
	for k := range alpha {
		if b[k] > 0 {
			alpha[k] = math.Max(0, m.total[k]/b[k])
		}
	}
	return alpha
}

func (m *directModel) step(theta []float64) []float64 {
	out := make([]float64, len(theta))
	g, sf := out[:m.nt], out[m.nt:]
	copy(sf, theta[m.nt:])
	alpha := m.alphas(theta)
	num, den := make([]float64, m.nt), make([]float64, m.nt)
	for i, x := range m.x {
		num[m.t[i]] += x
		den[m.t[i]] += alpha[m.sub[i]] * sf[m.s[i]]
	}
	var gObs float64
	for t := range g {
		if den[t] > 0 {
			g[t] = math.Max(0, num[t]/den[t])
		}
		gObs += g[t] * m.obs[t]
	}
	if gObs > 0 {
		for t := range g {
			g[t] *= float64(len(m.x)) / gObs
		}
	}
	if m.seasons > 1 {
		sn, sd := make([]float64, m.seasons), make([]float64, m.seasons)
		for i, x := range m.x {
			sn[m.s[i]] += x
			sd[m.s[i]] += alpha[m.sub[i]] * g[m.t[i]]
		}
		var mean float64
		for k := range sf {
			sf[k] = 1
			if sd[k] > 0 && sn[k] > 0 {
				sf[k] = sn[k] / sd[k]
			}
			mean += sf[k] / float64(m.seasons)
		}
		for k := range sf {
			sf[k] /= mean
		}
	}
	return out
}

func (m *directModel) logLik(theta []float64) float64 {
	alpha := m.alphas(theta)
	g, sf := theta[:m.nt], theta[m.nt:]
	var ll float64
	for i, x := range m.x {
		mu := alpha[m.sub[i]] * g[m.t[i]] * sf[m.s[i]]
		if x != 0 {
			if mu <= 0 {
				return math.Inf(-1)
			}
			ll += x * math.Log(mu)
		}
		ll -= mu
	}
	return ll
}

// withinData simulates subscribers observed over a window: activation up to
// 40 periods before it, each observed from its activation (or the window
// start) for a random span, spend = level × ramp × season × noise, some
// periods without spend, and (negative) refunds when refunds is set.
func withinData(n, seasons int, refunds bool, seed uint64) (ten []int32, spend []float64, subj []int32, seas []int8) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range n {
		level := math.Exp(0.7 * rng.NormFloat64())
		act := -40 + rng.IntN(64)
		end := max(act, 0) + rng.IntN(25)
		for m := max(act, 0); m < min(end, 24); m++ {
			tt := m - act
			x := level * (1 - 0.5*math.Exp(-float64(tt)/3)) * (1 + 0.2*math.Sin(float64(m))) * math.Exp(0.2*rng.NormFloat64())
			if rng.Float64() < 0.1 {
				x = 0
			}
			if refunds && rng.Float64() < 0.02 {
				x = -0.3 * x
			}
			ten = append(ten, int32(tt))
			spend = append(spend, x)
			subj = append(subj, int32(3*i+1)) // sparse ids
			seas = append(seas, int8(((m%seasons)+seasons)%seasons))
		}
	}
	return
}

// TestWithinAggregatedEqualsDirect: the aggregated model (cells and
// patterns) computes the same fixed-point map and likelihood as the
// per-observation model at random parameters, to 1e-11 relative (floating
// point reassociation only), and the fitted curve agrees to 1e-8 relative.
func TestWithinAggregatedEqualsDirect(t *testing.T) {
	for _, tc := range []struct {
		name      string
		seasons   int
		maxTenure int
		refunds   bool
		shuffle   bool
	}{
		{"monthly seasons", 12, 120, false, false},
		{"no seasons", 1, 120, false, false},
		{"quarters, capped tenure", 4, 20, false, false},
		{"refunds", 12, 120, true, false},
		{"observations in random order", 12, 120, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ten, spend, subj, seas := withinData(3000, tc.seasons, tc.refunds, 11)
			if tc.shuffle {
				rand.New(rand.NewPCG(1, 1)).Shuffle(len(ten), func(i, j int) {
					ten[i], ten[j] = ten[j], ten[i]
					spend[i], spend[j] = spend[j], spend[i]
					subj[i], subj[j] = subj[j], subj[i]
					seas[i], seas[j] = seas[j], seas[i]
				})
			}
			var season []int8
			if tc.seasons > 1 {
				season = seas
			}
			agg := newWithinModel(ten, spend, subj, season, tc.seasons, tc.maxTenure)
			dir := newDirectModel(ten, spend, subj, season, tc.seasons, tc.maxTenure)
			if len(agg.tPos) >= 3000/2 {
				t.Fatalf("%d patterns for 3000 subjects: the aggregation saves nothing", len(agg.tPos))
			}
			rng := rand.New(rand.NewPCG(5, 6))
			n := agg.nt + agg.seasons
			for trial := range 5 {
				theta := make([]float64, n)
				for k := range theta {
					theta[k] = 0.5 + rng.Float64()
				}
				a, d := agg.step(theta), dir.step(theta)
				for k := range a {
					if !close(a[k], d[k], 1e-11) {
						t.Fatalf("trial %d: step[%d] = %.15g, direct %.15g", trial, k, a[k], d[k])
					}
				}
				la, ld := agg.logLik(theta), dir.logLik(theta)
				if tc.refunds {
					// A subscriber whose refunds cancel its spend has α = 0
					// and a non-zero spend: both forms say −∞.
					if !math.IsInf(la, -1) || !math.IsInf(ld, -1) {
						t.Fatalf("trial %d: logLik %g, direct %g: want −Inf for both", trial, la, ld)
					}
					continue
				}
				if !close(la, ld, 1e-11) {
					t.Fatalf("trial %d: logLik %.15g, direct %.15g", trial, la, ld)
				}
			}
			fa, fd := fitWithin(agg, n), fitWithin(dir, n)
			for k := range fa {
				if !close(fa[k], fd[k], 1e-8) {
					t.Errorf("fit θ[%d] = %.12g, direct %.12g", k, fa[k], fd[k])
				}
			}
		})
	}
}

func close(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// BenchmarkWithin: the within-subscriber estimation alone (aggregation and
// fit) at several base sizes; the direct form is run for comparison at the
// two smaller sizes.
func BenchmarkWithin(b *testing.B) {
	for _, n := range []int{3_000, 30_000, 300_000} {
		ten, spend, subj, seas := withinData(n, 12, false, 3)
		b.Run(fmt.Sprintf("aggregated/%d", n), func(b *testing.B) {
			for b.Loop() {
				m := newWithinModel(ten, spend, subj, seas, 12, 120)
				fitWithin(m, m.nt+m.seasons)
			}
		})
		if n > 30_000 {
			continue
		}
		b.Run(fmt.Sprintf("direct/%d", n), func(b *testing.B) {
			for b.Loop() {
				m := newDirectModel(ten, spend, subj, seas, 12, 120)
				fitWithin(m, m.nt+m.seasons)
			}
		})
	}
}
