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
