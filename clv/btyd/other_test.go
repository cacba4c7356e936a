package btyd

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// MBG/NBD on CDNOW: BTYDplus (M. Platzer) estimates r = 0.525, alpha = 6.183,
// a = 0.891, b = 1.614, as quoted by lifetimes' test suite
// (tests/test_estimation.py, TestModifiedBetaGammaFitter, "See BTYDplus").
func TestFitMBGNBDCDNOW(t *testing.T) {
	s := loadCDNOW(t)
	res, err := FitMBGNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.525, 6.183, 0.891, 1.614}
	for i, w := range want {
		if math.Abs(res.Params[i]-w) > 0.0005+1e-3*w {
			t.Errorf("%s = %.5f, want %.3f", res.Names[i], res.Params[i], w)
		}
	}
	m := MBGNBD{res.Params[0], res.Params[1], res.Params[2], res.Params[3]}
	if p := m.PAlive(0, 0, 1); !(p < 1 && p > 0) {
		t.Errorf("MBG/NBD P(alive | x=0) = %v, want in (0,1)", p)
	}
	t.Logf("%+v", res)
}

// Gamma-Gamma on the CDNOW repeat buyers (946 customers with x > 0 in the
// calibration period, m = mean repeat-purchase spend): Fader & Hardie (2013),
// "The Gamma-Gamma Model of Monetary Value", p = 6.25, q = 3.74, gamma = 15.44.
func TestFitGammaGammaCDNOW(t *testing.T) {
	s := loadCDNOW(t)
	res, err := FitGammaGamma(s.x, s.m, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Customers != 946 || res.Excluded != 2357-946 {
		t.Errorf("customers = %v, excluded = %d; want 946 and %d", res.Customers, res.Excluded, 2357-946)
	}
	want := []float64{6.25, 3.74, 15.44}
	for i, w := range want {
		if math.Abs(res.Params[i]-w) > 0.005+1e-3*w {
			t.Errorf("%s = %.4f, want %.2f", res.Names[i], res.Params[i], w)
		}
	}
	t.Logf("%+v", res)
}

// BG/BB on the donations data of Fader, Hardie & Shang (2010), "Customer-Base
// Analysis in a Discrete-Time Noncontractual Setting", Marketing Science 29(6):
// 11,104 first-time donors of 1995 and their repeat donations in 1996-2001
// (n = 6 opportunities), the recency/frequency table of the paper, in
// testdata/donations.csv. Published estimates: alpha = 1.204, beta = 0.750,
// gamma = 0.657, delta = 2.783, LL = -33,225.6.
func TestFitBGBBDonations(t *testing.T) {
	f, err := os.Open("testdata/donations.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var x, tx, n, w []float64
	for _, r := range recs[1:] {
		v := make([]float64, 4)
		for j := range v {
			if v[j], err = strconv.ParseFloat(r[j], 64); err != nil {
				t.Fatal(err)
			}
		}
		x, tx, n, w = append(x, v[0]), append(tx, v[1]), append(n, v[2]), append(w, v[3])
	}
	res, err := FitBGBB(x, tx, n, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Customers != 11104 {
		t.Errorf("donors = %v, want 11104", res.Customers)
	}
	want := []float64{1.204, 0.750, 0.657, 2.783}
	for i, wv := range want {
		if math.Abs(res.Params[i]-wv) > 0.0005+1e-3*wv {
			t.Errorf("%s = %.5f, want %.3f", res.Names[i], res.Params[i], wv)
		}
	}
	if math.Abs(res.LogLikelihood-(-33225.6)) > 0.05 {
		t.Errorf("LL = %.3f, want -33225.6", res.LogLikelihood)
	}
	t.Logf("%+v", res)
}
