package special

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// Closed forms of the Gaussian hypergeometric function (Abramowitz & Stegun
// 15.1.3 and 15.1.8): 2F1(1,1;2;z) = -log(1-z)/z and 2F1(a,b;b;z) = (1-z)^-a.
func TestHyp2F1ClosedForms(t *testing.T) {
	cases := []struct {
		name       string
		a, b, c, z float64
		want       float64 // log of the value
	}{
		{"log z=0.5", 1, 1, 2, 0.5, math.Log(-math.Log(0.5) / 0.5)},
		{"log z=0.99", 1, 1, 2, 0.99, math.Log(-math.Log(0.01) / 0.99)},
		{"log z=0.9999", 1, 1, 2, 0.9999, math.Log(-math.Log(1e-4) / 0.9999)},
		{"power a=3.5", 3.5, 2.25, 2.25, 0.7, -3.5 * math.Log(0.3)},
		{"power a=800", 800, 1.5, 1.5, 0.9, -800 * math.Log(0.1)}, // 10^800: beyond float64, finite in log
		{"power a=0.3", 0.3, 40, 40, 0.999, -0.3 * math.Log(0.001)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, s, err := Hyp2F1(c.a, c.b, c.c, c.z)
			if err != nil || s != 1 {
				t.Fatalf("err %v sign %v", err, s)
			}
			if math.Abs(l-c.want) > 1e-11*math.Max(1, math.Abs(c.want)) {
				t.Errorf("log 2F1 = %.15g, want %.15g", l, c.want)
			}
		})
	}
}

// Cross-check with gonum's mathext.Hypergeo (a port of Cephes hyp2f1) where
// the value is moderate and Hypergeo is reliable.
func TestHyp2F1Hypergeo(t *testing.T) {
	cases := [][4]float64{
		{0.243, 2.426, 2.219, 0.3}, {2.5, 3.2, 4.4, 0.6}, {0.55, 1.6, 2.15, 0.85},
		{1.2, -0.4, 3.1, 0.5}, {5, 1.606, 6.2, 0.2}, {-0.7, 0.79, 2.6, 0.9},
	}
	for _, c := range cases {
		want := mathext.Hypergeo(c[0], c[1], c[2], c[3])
		l, s, err := Hyp2F1(c[0], c[1], c[2], c[3])
		if err != nil {
			t.Fatal(err)
		}
		got := s * math.Exp(l)
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("2F1%v = %.16g, Hypergeo %.16g", c, got, want)
		}
	}
}

func TestHyp2F1Domain(t *testing.T) {
	for _, z := range []float64{-0.1, 1, math.NaN()} {
		if _, _, err := Hyp2F1(1, 1, 2, z); err == nil {
			t.Errorf("z = %v: want an error", z)
		}
	}
	if _, _, err := Hyp2F1(1, 1, -2, 0.5); err == nil {
		t.Error("c = -2: want an error")
	}
}

// Where gonum's mathext.Hypergeo is not adequate: values beyond the float64
// range (a Pareto/NBD term for a customer with x in the hundreds) overflow to
// +Inf, while Hyp2F1 returns the finite logarithm. Reference: the closed form
// 2F1(a,b;b;z) = (1-z)^-a (Abramowitz & Stegun 15.1.8).
func TestHyp2F1WhereHypergeoOverflows(t *testing.T) {
	a, b, z := 800.0, 1.5, 0.9
	if h := mathext.Hypergeo(a, b, b, z); !math.IsInf(h, 1) && !math.IsNaN(h) {
		t.Logf("mathext.Hypergeo = %v (finite in this gonum version)", h)
	}
	l, s, err := Hyp2F1(a, b, b, z)
	if err != nil || s != 1 || math.Abs(l-(-a*math.Log1p(-z))) > 1e-10*math.Abs(l) {
		t.Errorf("log 2F1 = %v (sign %v, err %v), want %v", l, s, err, -a*math.Log1p(-z))
	}
}

func TestHyp2f1AgainstSeriesAndGonum(t *testing.T) {
	for _, a := range []float64{0.05, 0.704, 1, 3.8, 50} {
		for _, b := range []float64{0.01, 1.182, 15.19, 1e4, 1e6} {
			for _, n := range []float64{0, 7, 300} {
				for _, d := range []float64{1, 0.1, 0.01, 1e-3} {
					z := 1 / (1 + d)
					bb, cc := b+n+1, a+b+n+1
					got, ok := fraction1(bb, cc, z)
					if !ok {
						t.Errorf("a=%g b=%g n=%g d=%g: continued fraction did not converge", a, b, n, d)
						continue
					}
					want, ok := series1(bb, cc, z)
					if !ok {
						t.Fatalf("series did not converge")
					}
					if math.Abs(got-want) > 1e-11*want {
						t.Errorf("a=%g b=%g n=%g d=%g: fraction %.15g, series %.15g", a, b, n, d, got, want)
					}
					// gonum's Hypergeo agrees where it is finite and the
					// parameters are moderate.
					if bb < 50 {
						if h := mathext.Hypergeo(1, bb, cc, z); !math.IsNaN(h) && math.Abs(h-want) > 1e-8*want {
							t.Errorf("a=%g b=%g n=%g d=%g: Hypergeo %.15g, series %.15g", a, b, n, d, h, want)
						}
					}
				}
			}
		}
	}
}

func BenchmarkHyp2F1(b *testing.B) {
	for _, c := range []struct {
		name       string
		a, b, c, z float64
	}{{"moderate", 2.3, 1.7, 4.1, 0.5}, {"x=500", 501.2, 503.4, 503.9, 0.6}, {"z=0.99", 0.5, 1.6, 2.2, 0.99}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Hyp2F1(c.a, c.b, c.c, c.z)
			}
		})
	}
}
