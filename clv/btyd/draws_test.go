package btyd

import (
	"math"
	"testing"
)

// TestParamDraws: the draws of the CDNOW BG/NBD fit reproduce the
// delta-method covariance of the log-parameters (4,000 draws: each sample
// variance within 10 % of Cov_ii/θ_i², the sampling error of a variance being
// about sqrt(2/4000) = 2.2 %), are positive, and are the same for the same seed.
func TestParamDraws(t *testing.T) {
	s := loadCDNOW(t)
	res, err := FitBGNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 4000
	d, err := ParamDraws(res, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ParamDraws(res, n, 7)
	for k := range res.Params {
		var mean, sq float64
		for i := range d {
			if d[i][k] <= 0 {
				t.Fatalf("draw %d: parameter %s = %v", i, res.Names[k], d[i][k])
			}
			if d[i][k] != again[i][k] {
				t.Fatal("draws differ for the same seed")
			}
			l := math.Log(d[i][k] / res.Params[k])
			mean += l
			sq += l * l
		}
		mean /= n
		v := sq/n - mean*mean
		want := res.Cov[k][k] / (res.Params[k] * res.Params[k])
		if math.Abs(v/want-1) > 0.10 || math.Abs(mean) > 4*math.Sqrt(want/n) {
			t.Errorf("%s: log-draw mean %.3g variance %.4g, want 0 and %.4g", res.Names[k], mean, v, want)
		}
		if math.Abs(res.SE[k]*res.SE[k]-res.Cov[k][k]) > 1e-9*res.Cov[k][k] {
			t.Errorf("%s: SE² %g, Cov %g", res.Names[k], res.SE[k]*res.SE[k], res.Cov[k][k])
		}
	}
	if _, err := ParamDraws(&Result{Model: "bgnbd"}, 10, 1); err == nil {
		t.Error("a fit without covariance gave draws")
	}
}
