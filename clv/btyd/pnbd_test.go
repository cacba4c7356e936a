package btyd

import (
	"math"
	"testing"
)

// Published CDNOW estimates for the Pareto/NBD: Fader, Hardie & Lee (2005),
// Marketing Science 24(2), section 4, and Fader & Hardie (2005), "A Note on
// Implementing the Pareto/NBD Model in MATLAB": r = 0.553, alpha = 10.578,
// s = 0.606, beta = 11.669, LL = -9595.0.
func TestFitParetoNBDCDNOW(t *testing.T) {
	s := loadCDNOW(t)
	res, err := FitParetoNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.553, 10.578, 0.606, 11.669}
	for i, w := range want {
		t.Run(res.Names[i], func(t *testing.T) {
			if math.Abs(res.Params[i]-w) > 0.0005+1e-3*w {
				t.Errorf("%s = %.5f, want %.3f", res.Names[i], res.Params[i], w)
			}
		})
	}
	if math.Abs(res.LogLikelihood-(-9595.0)) > 0.05 {
		t.Errorf("LL = %.3f, want -9595.0", res.LogLikelihood)
	}
	t.Logf("%+v", res)
}

// P(alive) of a CDNOW customer without repeat purchases observed for 39
// weeks: 0.2941633 in the documented example of BTYD's pnbd.PAlive
// (R package BTYD 2.4, man/pnbd.PAlive.Rd, parameters estimated on
// cdnowSummary); and 1 for a customer whose last purchase is at T.
func TestParetoNBDPAliveBTYD(t *testing.T) {
	s := loadCDNOW(t)
	res, err := FitParetoNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := ParetoNBD{res.Params[0], res.Params[1], res.Params[2], res.Params[3]}
	if p := m.PAlive(0, 0, 39); math.Abs(p-0.2941633) > 2e-4 {
		t.Errorf("P(alive | 0, 0, 39) = %.7f, want 0.2941633", p)
	} else {
		t.Logf("P(alive | 0, 0, 39) = %.7f (BTYD 0.2941633)", p)
	}
	if p := m.PAlive(23, 39, 39); math.Abs(p-1) > 1e-12 {
		t.Errorf("P(alive | 23, 39, 39) = %v, want 1", p)
	}
}
