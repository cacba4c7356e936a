package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/btyd"
)

const cdnowFile = "examples/cdnow/cdnow_sample.csv"

// cdnow300 is the first 300 customers of the CDNOW sample (all their rows), a
// small fixture for per-customer golden files.
const cdnow300 = "testdata/golden/predict/cdnow300.csv"

func TestFitGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"bgnbd.table", []string{"fit", "bgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--format", "table"}},
		{"pnbd.table", []string{"fit", "pnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--format", "table"}},
		{"mbgnbd.markdown", []string{"fit", "mbgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--format", "markdown"}},
		{"bgbb_month.table", []string{"fit", "bgbb", "-t", cdnowFile, "--as-of", "1997-09-30", "--unit", "month", "--format", "table"}},
		{"gg.table", []string{"fit", "gg", "-t", cdnowFile, "--as-of", "1997-09-30", "--format", "table"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, filepath.Join("fit", c.name), r.stdout)
		})
	}
}

// The JSON of clv fit has the documented shape and reproduces the published
// CDNOW BG/NBD estimates (Fader, Hardie & Lee 2005: r 0.243, alpha 4.414,
// a 0.793, b 2.426, LL -9582.4).
func TestFitJSON(t *testing.T) {
	r := runCLI(t, "", "fit", "bgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	res := parseResult(t, r.stdout)
	var params []struct {
		Parameter string   `json:"parameter"`
		Estimate  float64  `json:"estimate"`
		SE        *float64 `json:"se"`
	}
	decodeTable(t, r.stdout, "parameters", &params)
	var fit []struct {
		LogLikelihood float64 `json:"log_likelihood"`
		Customers     int     `json:"customers"`
		Converged     bool    `json:"converged"`
	}
	decodeTable(t, r.stdout, "fit", &fit)
	want := map[string]float64{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
	order := []string{"r", "alpha", "a", "b"}
	if len(params) != 4 {
		t.Fatalf("parameters %+v", params)
	}
	for i, p := range params {
		if p.Parameter != order[i] {
			t.Errorf("parameter %d is %s, want %s (model order)", i, p.Parameter, order[i])
		}
		w := want[p.Parameter]
		if d := p.Estimate - w; d > 0.0005+1e-3*w || -d > 0.0005+1e-3*w {
			t.Errorf("%s = %v, want %v", p.Parameter, p.Estimate, w)
		}
		if p.SE == nil || !(*p.SE > 0) {
			t.Errorf("se %s = %v", p.Parameter, p.SE)
		}
	}
	if len(fit) != 1 {
		t.Fatalf("fit table %+v", fit)
	}
	v := fit[0]
	if res.str(t, "model") != "bgnbd" || v.Customers != 2357 || !v.Converged || v.LogLikelihood > -9582.35 || v.LogLikelihood < -9582.45 {
		t.Errorf("got %+v, metadata %v", v, res.Metadata)
	}
}

func TestPredictGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"bgnbd_discount.markdown", []string{"predict", "bgnbd", "-t", cdnow300, "--as-of", "1997-09-30", "--discount", "0.002", "--format", "markdown"}},
		{"pnbd_holdout.table", []string{"predict", "pnbd", "-t", cdnow300, "--as-of", "1997-09-30", "--holdout-end", "1998-06-30", "--format", "table"}},
		{"bgbb_month.markdown", []string{"predict", "bgbb", "-t", cdnow300, "--as-of", "1997-09-30", "--unit", "month", "--no-spend", "--format", "markdown"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, filepath.Join("predict", c.name), r.stdout)
			again := runCLI(t, "", c.args...)
			if again.stdout != r.stdout {
				t.Error("second run differs: output is not deterministic")
			}
		})
	}
}

// A saved model gives the same predictions as fitting in place.
func TestPredictSavedModel(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "pnbd.json")
	spend := filepath.Join(dir, "gg.json")
	base := []string{"-t", cdnow300, "--as-of", "1997-09-30", "-q"}
	if r := runCLI(t, "", append([]string{"fit", "pnbd", "--save", model}, base...)...); r.code != 0 {
		t.Fatalf("fit: %s", r.stderr)
	}
	if r := runCLI(t, "", append([]string{"fit", "gg", "--save", spend}, base...)...); r.code != 0 {
		t.Fatalf("fit gg: %s", r.stderr)
	}
	direct := runCLI(t, "", append([]string{"predict", "pnbd", "--format", "csv"}, base...)...)
	loaded := runCLI(t, "", append([]string{"predict", "pnbd", "--format", "csv", "--model", model, "--spend-model", spend}, base...)...)
	if direct.code != 0 || loaded.code != 0 {
		t.Fatalf("exit %d/%d: %s %s", direct.code, loaded.code, direct.stderr, loaded.stderr)
	}
	if direct.stdout != loaded.stdout {
		t.Errorf("predictions from the saved model differ:\n%s", firstDiff(direct.stdout, loaded.stdout))
	}
	r := runCLI(t, "", append([]string{"predict", "pnbd", "--model", model, "--unit", "day"}, base...)...)
	if r.code != 2 {
		t.Errorf("unit mismatch: exit %d, want 2 (%s)", r.code, r.stderr)
	}
}

func TestPredictChart(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{".png", ".svg"} {
		name := filepath.Join(dir, "holdout"+ext)
		r := runCLI(t, "", "predict", "bgnbd", "-t", cdnow300, "--as-of", "1997-09-30", "--holdout-end", "1998-06-30", "--chart", name, "-q", "--format", "csv")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		fi, err := os.Stat(name)
		if err != nil || fi.Size() < 1000 {
			t.Errorf("%s: %v, size %v", name, err, fi)
		}
	}
}

func TestBTYDExitCodes(t *testing.T) {
	dir := t.TempDir()
	once := filepath.Join(dir, "once.csv")
	if err := os.WriteFile(once, []byte("customer_id,date,amount\na,2024-01-01,5\nb,2024-01-03,7\nc,2024-02-01,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown model", []string{"fit", "bgnbdx", "-t", cdnowFile}, 2, "unknown model"},
		{"no input", []string{"fit", "bgnbd"}, 2, "missing input"},
		{"negative penalizer", []string{"fit", "pnbd", "-t", cdnowFile, "--penalizer", "-1"}, 2, "--penalizer"},
		{"gg is not a count model", []string{"predict", "gg", "-t", cdnowFile}, 2, "unknown model"},
		{"holdout without as-of", []string{"predict", "bgnbd", "-t", cdnowFile, "--holdout-end", "1998-06-30"}, 2, "--as-of"},
		{"chart without holdout", []string{"predict", "bgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--chart", "x.png"}, 2, "--holdout-end"},
		{"chart extension", []string{"predict", "bgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--holdout-end", "1998-06-30", "--chart", "x.gif"}, 2, ".svg or .png"},
		{"no repeat purchases", []string{"fit", "bgnbd", "-t", once, "--as-of", "2024-03-01"}, 3, "cannot identify"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
				t.Errorf("exit %d, want %d; stderr %q should mention %q", r.code, c.code, r.stderr, c.msg)
			}
		})
	}
}

// FuzzModelFile: any bytes given to --model are either rejected with an error
// or yield a model whose parameters can be read back; never a panic.
func FuzzModelFile(f *testing.F) {
	f.Add([]byte(`{"model":"bgnbd","params":{"r":0.24,"alpha":4.4,"a":0.79,"b":2.4},"unit":"week"}`))
	f.Add([]byte(`{"model":"gg","params":{"p":6,"q":3,"gamma":15}}`))
	f.Add([]byte(`{"model":"pnbd","params":{"r":-1}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		name := filepath.Join(t.TempDir(), "m.json")
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := readModelFile(name)
		if err != nil {
			return
		}
		if v, err := r.Values(); err == nil && r.Model != "gg" {
			btyd.NewCounter(r.Model, v)
		}
	})
}

// TestSavedModelLoadsInTheLibrary: a model written by clv fit --save is read
// by btyd.ReadSaved and gives the fit's own predictions; clv predict --model
// with it prints what a fresh fit prints.
func TestSavedModelLoadsInTheLibrary(t *testing.T) {
	dir := t.TempDir()
	save := filepath.Join(dir, "bgnbd.json")
	args := []string{"-t", cdnowFile, "--as-of", "1997-09-30", "--unit", "week"}
	if r := runCLI(t, "", append([]string{"fit", "bgnbd", "--save", save, "-q"}, args...)...); r.code != 0 {
		t.Fatalf("fit: %s", r.stderr)
	}
	f, err := os.Open(save)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved, err := btyd.ReadSaved(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := saved.Counter()
	if err != nil {
		t.Fatal(err)
	}
	// Fader, Hardie & Lee (2005), CDNOW: r 0.243, alpha 4.414, a 0.793, b 2.426.
	v, _ := saved.Values()
	for i, want := range []float64{0.243, 4.414, 0.793, 2.426} {
		if math.Abs(v[i]-want) > 0.001 {
			t.Errorf("parameter %d = %.4f, paper %.3f", i, v[i], want)
		}
	}
	// Fader, Hardie & Lee (2005): E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226.
	if e, err := m.ConditionalExpected(39, 2, 30.43, 38.86); err != nil || math.Abs(e-1.226) > 0.001 {
		t.Errorf("E[Y(39) | 2, 30.43, 38.86] = %v (%v), paper 1.226", e, err)
	}
	fresh := runCLI(t, "", append([]string{"predict", "bgnbd", "--no-spend", "-q"}, args...)...)
	loaded := runCLI(t, "", append([]string{"predict", "bgnbd", "--no-spend", "-q", "--model", save}, args...)...)
	if fresh.code != 0 || loaded.code != 0 || fresh.stdout != loaded.stdout {
		t.Errorf("predict with the saved model differs from a fresh fit (exit %d, %d)", fresh.code, loaded.code)
	}
}

// TestPredictInterval: --interval adds ordered _low/_high columns that hold
// the point prediction for nearly every customer (the point is the mode of
// a skewed draw distribution, so a few may sit just outside).
func TestPredictInterval(t *testing.T) {
	r := runCLI(t, "", "predict", "bgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--unit", "week", "--interval", "0.9", "--format", "json", "-q")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Customers []map[string]any
	}
	rep.Customers = parseResult(t, r.stdout).rows(t, "customers")
	if len(rep.Customers) != 2357 {
		t.Fatalf("%d customers, want 2357", len(rep.Customers))
	}
	inside := 0
	for _, c := range rep.Customers {
		for _, col := range []string{"p_alive", "expected_transactions", "clv"} {
			lo, hi, v := c[col+"_low"].(float64), c[col+"_high"].(float64), c[col].(float64)
			if !(lo <= hi) {
				t.Fatalf("%v: %s interval [%v, %v]", c["customer_id"], col, lo, hi)
			}
			if lo <= v && v <= hi {
				inside++
			}
		}
	}
	if share := float64(inside) / float64(3*len(rep.Customers)); share < 0.9 {
		t.Errorf("only %.1f%% of point predictions inside their interval", 100*share)
	}
	if r := runCLI(t, "", "predict", "bgnbd", "-t", cdnowFile, "--as-of", "1997-09-30", "--interval", "1.5"); r.code != exitUsage {
		t.Errorf("--interval 1.5: exit %d", r.code)
	}
}
