package main

import (
	"github.com/clvkit/clv/io/read"

	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	cdnowCSV     = "examples/cdnow/cdnow_sample.csv"
	telecomTx    = "examples/telecom/transactions.csv"
	telecomSubs  = "examples/telecom/subscribers.csv"
	pcMatrixFile = "testdata/markov/pfeifer_carraway.csv"
)

func TestMarkovGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"cdnow_recency.csv", []string{"markov", "-t", cdnowCSV, "--period", "quarter", "--discount", "0.03", "--format", "csv"}},
		{"cdnow_recency_costs.md", []string{"markov", "-t", cdnowCSV, "--states", "recency", "--recency-states", "3", "--margin-rate", "0.3", "--cost-per-period", "2", "--value-horizon", "8", "--discount", "0.05", "--format", "markdown"}},
		{"telecom_lifecycle.json", []string{"markov", "-t", telecomTx, "-s", telecomSubs, "--states", "lifecycle", "--forecast", "6", "--format", "json"}},
		{"telecom_value.txt", []string{"markov", "-t", telecomTx, "-s", telecomSubs, "--states", "value", "--value-tiers", "4", "--forecast", "3", "--margin-rate", "0.4", "--format", "table"}},
		{"telecom_customers.csv", []string{"markov", "-t", telecomTx, "-s", telecomSubs, "--states", "lifecycle", "--customers", "--format", "csv"}},
		{"value_pc.csv", []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0.2", "--format", "csv"}},
		{"value_pc_horizon.json", []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0.2", "--value-horizon", "3", "--format", "json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, "markov/"+c.name, r.stdout)
			again := runCLI(t, "", c.args...)
			if again.stdout != r.stdout {
				t.Error("output differs between two runs")
			}
		})
	}
}

// TestMarkovValuePfeiferCarraway checks the CLI against the example's value
// equations solved by hand (back-substitution, see markov's tests): V5 = 0,
// V_k = r_k + β(p_k V1 + (1−p_k) V_{k+1}), β = 1/1.2.
func TestMarkovValuePfeiferCarraway(t *testing.T) {
	r := runCLI(t, "", "markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0.2", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rows []struct {
		State    string   `json:"state"`
		Value    float64  `json:"value"`
		Expected *float64 `json:"expected_periods_to_absorption"`
	}
	decodeTable(t, r.stdout, "states", &rows)
	var got struct {
		States   []string
		Value    []float64
		Expected []*float64
	}
	for _, row := range rows {
		got.States, got.Value, got.Expected = append(got.States, row.State), append(got.Value, row.Value), append(got.Expected, row.Expected)
	}
	beta := 1 / 1.2
	p := []float64{.30, .20, .15, .05}
	rw := []float64{36, -4, -4, -4}
	a, b := make([]float64, 5), make([]float64, 5)
	for k := 3; k >= 1; k-- {
		a[k] = rw[k] + beta*(1-p[k])*a[k+1]
		b[k] = beta*p[k] + beta*(1-p[k])*b[k+1]
	}
	v1 := (rw[0] + beta*(1-p[0])*a[1]) / (1 - beta*p[0] - beta*(1-p[0])*b[1])
	want := []float64{v1, a[1] + b[1]*v1, a[2] + b[2]*v1, a[3] + b[3]*v1, 0}
	if len(got.Value) != 5 {
		t.Fatalf("values %v", got.Value)
	}
	for i := range want {
		if math.Abs(got.Value[i]-want[i]) > 1e-9 {
			t.Errorf("V%d = %.10g, want %.10g", i+1, got.Value[i], want[i])
		}
	}
	// Expected periods until a customer becomes a former customer (state 5),
	// solved by hand the same way: m5 = 0, m_k = 1 + p_k m1 + (1−p_k) m_{k+1}.
	ma, mb := make([]float64, 5), make([]float64, 5)
	for k := 3; k >= 1; k-- {
		ma[k] = 1 + (1-p[k])*ma[k+1]
		mb[k] = p[k] + (1-p[k])*mb[k+1]
	}
	m1 := (1 + (1-p[0])*ma[1]) / (1 - p[0] - (1-p[0])*mb[1])
	if got.Expected[0] == nil || math.Abs(*got.Expected[0]-m1) > 1e-9 || got.Expected[4] == nil || *got.Expected[4] != 0 {
		t.Errorf("expected periods to absorption %v, want m1 = %g", got.Expected, m1)
	}
}

func TestMarkovChart(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"p.svg", "p.png"} {
		path := filepath.Join(dir, name)
		r := runCLI(t, "", "markov", "-t", cdnowCSV, "--period", "quarter", "--chart", path, "--format", "csv")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if name == "p.svg" && !strings.Contains(string(b), "<svg") || name == "p.png" && !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("%s is not a chart (%d bytes)", name, len(b))
		}
	}
	r := runCLI(t, "", "markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--chart", filepath.Join(dir, "v.svg"), "--discount", "0.2")
	if r.code != 0 {
		t.Fatalf("value --chart: exit %d: %s", r.code, r.stderr)
	}
}

func TestMarkovErrors(t *testing.T) {
	cases := []struct {
		name string
		code int
		msg  string
		args []string
	}{
		{"bad scheme", exitUsage, "--states", []string{"markov", "-t", cdnowCSV, "--states", "rfm"}},
		{"no input", exitUsage, "missing --transactions", []string{"markov"}},
		{"undiscounted infinite", exitUsage, "singular", []string{"markov", "-t", cdnowCSV, "--discount", "0"}},
		{"negative discount", exitUsage, "--discount", []string{"markov", "-t", cdnowCSV, "--discount", "-0.1"}},
		{"chart extension", exitUsage, ".svg or .png", []string{"markov", "-t", cdnowCSV, "--chart", "p.gif"}},
		{"bad cost", exitUsage, "--cost-per-period", []string{"markov", "-t", cdnowCSV, "--cost-per-period", "1,x"}},
		{"cost count", exitUsage, "costs per period", []string{"markov", "-t", cdnowCSV, "--cost-per-period", "1,2"}},
		{"bad rules", exitUsage, "decline slope", []string{"markov", "-t", cdnowCSV, "--states", "lifecycle", "--decline-slope", "0.1"}},
		{"states never observed", exitData, "never observed", []string{"markov", "-t", cdnowCSV, "--period", "quarter", "--recency-states", "8"}},
		{"too few periods", exitData, "not enough data", []string{"markov", "-t", cdnowCSV, "--period", "year", "--as-of", "1997-12-31"}},
		{"value no matrix", exitUsage, "missing --matrix", []string{"markov", "value", "--rewards", "1"}},
		{"value rewards count", exitUsage, "--rewards has 3 values", []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "1,2,3"}},
		{"value rewards parse", exitUsage, "not a number", []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "1,2,three,4,5"}},
		{"value row sum", exitData, "sums to 0.9", []string{"markov", "value", "--matrix", "testdata/markov/bad_rowsum.csv", "--rewards", "1,2"}},
		{"value undiscounted", exitUsage, "singular", []string{"markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0"}},
		{"value missing file", exitData, "no such file", []string{"markov", "value", "--matrix", "testdata/markov/nope.csv", "--rewards", "1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, c.code, c.msg)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty on error: %q", r.stdout)
			}
		})
	}
}

func TestMarkovTinyData(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	tiny := filepath.Join(dir, "tiny.csv")
	os.WriteFile(empty, []byte("customer_id,date,amount\n"), 0o644)
	os.WriteFile(tiny, []byte("customer_id,date,amount\nA,2024-01-05,10\nA,2024-02-05,10\nB,2024-01-09,5\n"), 0o644)
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"empty", []string{"markov", "-t", empty}, "no transactions"},
		{"one complete month", []string{"markov", "-t", tiny}, "not enough data"},
		{"state never left", []string{"markov", "-t", tiny, "--keep-partial", "--recency-states", "2"}, "never observed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != exitData || !strings.Contains(r.stderr, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit 1 mentioning %q", r.code, r.stderr, c.msg)
			}
		})
	}
	r := runCLI(t, "", "markov", "-t", tiny)
	if !strings.Contains(r.stderr, "left out 2024-02") {
		t.Errorf("no note about the incomplete month: %q", r.stderr)
	}
}

func TestMarkovValueUndiscountedFiniteHorizon(t *testing.T) {
	// d = 0 is fine over a finite horizon: T = 1 from recency 1 is
	// 36 + (.3·36 + .7·(−4)) = 44.
	r := runCLI(t, "", "markov", "value", "--matrix", pcMatrixFile, "--rewards", "36,-4,-4,-4,0", "--discount", "0", "--value-horizon", "1", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "1,36,44,") {
		t.Errorf("output %q, want state 1 with reward 36 and value 44 in the first row", r.stdout)
	}
}

func TestMatrixParsing(t *testing.T) {
	cases := []struct {
		name, text string
		ok         bool
	}{
		{"labelled", "from,a,b\na,0.5,0.5\nb,0,1\n", true},
		{"labels without corner", "a,b\na,0.5,0.5\nb,0,1\n", true},
		{"unlabelled", "a,b\n0.5,0.5\n0,1\n", true},
		{"comments and spaces", "# P\n from , a , b \n a, 0.5, 0.5\n\n b, 0, 1\n", true},
		{"wrong order", "from,a,b\nb,0,1\na,0.5,0.5\n", false},
		{"short row", "from,a,b\na,0.5\nb,0,1\n", false},
		{"not a number", "from,a,b\na,0.5,x\nb,0,1\n", false},
		{"header only", "a,b\n", false},
		{"negative", "a,b\n1.5,-0.5\n0,1\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, err := read.Matrix(strings.NewReader(c.text), "P.csv")
			if c.ok && (err != nil || ch.Len() != 2 || ch.State(1) != "b") {
				t.Fatalf("err %v", err)
			}
			if !c.ok && err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func FuzzMatrixParsing(f *testing.F) {
	f.Add("from,a,b\na,0.5,0.5\nb,0,1\n")
	f.Add("a,b\n0.5,0.5\n0,1\n")
	f.Add("x\n1\n")
	f.Fuzz(func(t *testing.T, s string) {
		ch, err := read.Matrix(strings.NewReader(s), "P.csv")
		if err != nil {
			return
		}
		for i := 0; i < ch.Len(); i++ {
			sum := 0.0
			for j := 0; j < ch.Len(); j++ {
				v := ch.At(i, j)
				if v < 0 || math.IsNaN(v) {
					t.Fatalf("accepted P[%d][%d] = %v", i, j, v)
				}
				sum += v
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("accepted row %d summing to %v", i, sum)
			}
		}
	})
}
