package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Fits that used to run forever or "converge" to nonsense (issue 11) end
// with exit code 3 and a message naming what failed. The fixtures are subsets
// of examples/cdnow/cdnow_sample.csv (all rows of the chosen customers): the
// first 10 customers (BG/NBD ran at 100 % CPU for ever), customer 00004 alone
// (BG/NBD "converged" to r = 4.2e7 with exit 0), random draws of 11, 19 and 40
// customers (MBG/NBD and Gamma-Gamma ran for ever; Pareto/NBD took minutes),
// and 200 telecom subscribers of whom none churned (sBG: exit 1 before).
func TestFitBoundsCLI(t *testing.T) {
	asOf := []string{"--as-of", "1997-09-30", "-q"}
	cases := []struct {
		name string
		args []string
		code int
		// every string must appear in stderr
		want []string
		// at least one of these must appear (nil: no condition)
		anyOf []string
	}{
		{"bgnbd first 10", []string{"fit", "bgnbd", "-t", "testdata/fit/cdnow_first10.csv"}, 3,
			[]string{"bgnbd: data cannot identify the model: parameters a, b run off together: a to zero"}, nil},
		{"bgnbd one customer", []string{"fit", "bgnbd", "-t", "testdata/fit/cdnow_one.csv"}, 3,
			[]string{"bgnbd: data cannot identify the model: parameters r, alpha run off together: r to infinity"}, nil},
		{"mbgnbd 11", []string{"fit", "mbgnbd", "-t", "testdata/fit/cdnow_random11.csv"}, 3,
			[]string{"mbgnbd: data cannot identify the model", "run off"}, nil},
		{"mbgnbd 40", []string{"fit", "mbgnbd", "-t", "testdata/fit/cdnow_random40.csv"}, 3,
			[]string{"mbgnbd: data cannot identify the model: parameters a, b run off together"}, nil},
		{"gg 11", []string{"fit", "gg", "-t", "testdata/fit/cdnow_random11.csv"}, 3,
			[]string{"gg: data cannot identify the model: parameters p, gamma run off together: p to infinity"}, nil},
		{"predict bgnbd first 10", []string{"predict", "bgnbd", "-t", "testdata/fit/cdnow_first10.csv"}, 3,
			[]string{"data cannot identify the model"}, nil},
		// Whether the fit reaches the boundary or the budget first depends on
		// the machine; both end the run with code 3 and say which.
		{"pnbd 19 with a short budget", []string{"fit", "pnbd", "-t", "testdata/fit/cdnow_random19.csv", "--fit-timeout", "200ms"}, 3,
			[]string{"pnbd: "}, []string{"time budget of 200ms exhausted", "cannot identify the model"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", append(c.args, asOf...)...)
			checkFailure(t, r, c.code, c.want, c.anyOf)
		})
	}
	t.Run("sbg without churn", func(t *testing.T) {
		r := runCLI(t, "", "retention", "-s", "testdata/fit/subscribers_no_churn.csv", "-q")
		checkFailure(t, r, 3, []string{"data cannot identify the model: no subscriber churned"}, nil)
	})
	t.Run("time budget hint", func(t *testing.T) {
		r := runCLI(t, "", "fit", "pnbd", "-t", "testdata/fit/cdnow_random19.csv", "--as-of", "1997-09-30", "-q", "--fit-timeout", "1ns")
		checkFailure(t, r, 3, []string{"pnbd: model fit did not converge: time budget of 1ns exhausted", "--fit-timeout, now 1ns"}, nil)
	})
	t.Run("bad timeout", func(t *testing.T) {
		r := runCLI(t, "", "fit", "bgnbd", "-t", "testdata/fit/cdnow_first10.csv", "--fit-timeout", "0s")
		checkFailure(t, r, 2, []string{"--fit-timeout must be a positive duration"}, nil)
	})
}

func checkFailure(t *testing.T, r cliResult, code int, want, anyOf []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.code, code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty:\n%s", r.stdout)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	if anyOf != nil {
		found := false
		for _, w := range anyOf {
			found = found || strings.Contains(r.stderr, w)
		}
		if !found {
			t.Errorf("stderr has none of %q:\n%s", anyOf, r.stderr)
		}
	}
}

// P(alive) far below 1e-16 prints with its digits (it printed 0 when computed
// as 1 - sigmoid): BG/NBD with the published CDNOW parameters (Fader, Hardie
// & Lee 2005) for x = 27, t_x = 1, T = 78 weeks. The reference
// 2.1880902301629768e-31 is 1/(1 + a/(b+x-1) ((α+T)/(α+t_x))^(r+x)) evaluated
// with mpmath 1.3.0 at 50 digits; tolerance 1e-12 relative.
func TestPAliveTinyCLI(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "bgnbd.json")
	summary := filepath.Join(dir, "summary.csv")
	if err := os.WriteFile(model, []byte(`{"model":"bgnbd","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426},"unit":"week"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(summary, []byte("customer_id,x,t_x,T,monetary\nC1,27,1,78,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "predict", "bgnbd", "--summary", summary, "--model", model, "--no-spend", "--format", "csv", "-q")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var row []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "C1,") {
			row = strings.Split(line, ",")
		}
	}
	if len(row) < 5 {
		t.Fatalf("no row for C1 in\n%s", r.stdout)
	}
	got, err := strconv.ParseFloat(row[4], 64)
	if err != nil || math.Abs(got/2.1880902301629768e-31-1) > 1e-12 {
		t.Errorf("p_alive %q, want 2.1880902301629768e-31 (err %v)", row[4], err)
	}
}
