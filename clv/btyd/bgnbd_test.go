package btyd

import (
	"math"
	"testing"
)

// Published CDNOW estimates, Fader, Hardie & Lee (2005), "Counting Your
// Customers the Easy Way", Marketing Science 24(2), section 4: r = 0.243,
// alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4. The parameters are printed
// to three decimals, so the tolerance is half a unit in the last digit.
func TestFitBGNBDCDNOW(t *testing.T) {
	s := loadCDNOW(t)
	if len(s.x) != 2357 {
		t.Fatalf("CDNOW customers = %d, want 2357", len(s.x))
	}
	res, err := FitBGNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.243, 4.414, 0.793, 2.426}
	for i, w := range want {
		t.Run(res.Names[i], func(t *testing.T) {
			if math.Abs(res.Params[i]-w) > 0.0005+1e-3*w {
				t.Errorf("%s = %.5f, want %.3f (FHL 2005)", res.Names[i], res.Params[i], w)
			}
		})
	}
	if math.Abs(res.LogLikelihood-(-9582.4)) > 0.05 {
		t.Errorf("LL = %.3f, want -9582.4 (FHL 2005)", res.LogLikelihood)
	}
	if !res.Converged || !res.HasSE {
		t.Errorf("converged=%v hasSE=%v", res.Converged, res.HasSE)
	}
	if res.Customers != 2357 || res.Unique >= 2357 {
		t.Errorf("customers=%v unique=%d", res.Customers, res.Unique)
	}
	t.Logf("%+v", res)
}

// Individual-level and aggregate numbers from Hardie's BG/NBD Excel sheet for
// the CDNOW data, as quoted in lifetimes' test suite
// (tests/test_estimation.py, "same value as Hardie excel sheet"):
// E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 and E[X(t)] at
// t = 0.1429, 1, 3, 31.8571, 32, 78 weeks = 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576.
// The sheet uses the full-precision estimates, so the fit is used here.
func TestBGNBDExpectationsHardie(t *testing.T) {
	s := loadCDNOW(t)
	res, err := FitBGNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := BGNBD{R: res.Params[0], Alpha: res.Params[1], A: res.Params[2], B: res.Params[3]}
	got, err := m.ConditionalExpected(39, 2, 30.43, 38.86)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-1.226) > 0.001 {
		t.Errorf("E[Y(39)|2,30.43,38.86] = %.4f, want 1.226", got)
	}
	cases := []struct{ t, want float64 }{
		{0.1429, 0.0078}, {1, 0.0532}, {3, 0.1506}, {31.8571, 1.0405}, {32, 1.0437}, {78, 1.8576},
	}
	for _, c := range cases {
		got, err := m.Expected(c.t)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-c.want) > 0.0006 {
			t.Errorf("E[X(%g)] = %.5f, want %.4f", c.t, got, c.want)
		}
	}
}
