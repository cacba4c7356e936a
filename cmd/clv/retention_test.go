package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// firstLines keeps the first n lines of s (goldens of long per-customer
// outputs keep their head; totals are checked separately).
func firstLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "")
}

func TestRetentionGolden(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		lines int // 0 = whole output
	}{
		{"telecom_month.csv", []string{"retention", "-s", telecomSubs, "--observed-from", "2023-01-01", "--project", "6", "--format", "csv"}, 0},
		{"telecom_by_plan_quarter.json", []string{"retention", "-s", telecomSubs, "--observed-from", "2023-01-01", "--period", "quarter", "--by", "plan", "--project", "4", "--format", "json"}, 0},
		{"telecom_by_region_year.md", []string{"retention", "-s", telecomSubs, "--as-of", "2024-06-30", "--period", "year", "--by", "region", "--format", "markdown"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			out := r.stdout
			if c.lines > 0 {
				out = firstLines(out, c.lines)
			}
			golden(t, filepath.Join("retention", c.name), out)
			if again := runCLI(t, "", c.args...); again.stdout != r.stdout {
				t.Error("second run differs: output is not deterministic")
			}
		})
	}
}

func TestValueGolden(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		lines int
	}{
		{"retention_finite.csv", []string{"value", "retention", "--margin", "100", "--retention", "0.8", "--discount", "0.1", "--periods", "3", "--format", "csv"}, 0},
		{"retention_infinite_end.json", []string{"value", "retention", "--margin", "30", "--retention", "0.9", "--discount", "0.12", "--timing", "end", "--acquisition-cost", "50", "--retention-cost", "2", "--format", "json"}, 0},
		{"retention_monthly_cycles.txt", []string{"value", "retention", "--margin", "20", "--retention", "0.95", "--discount", "0.12", "--cycles-per-year", "12", "--periods", "12", "--format", "table"}, 0},
		{"subscribers_by_plan.csv", []string{"value", "subscribers", "-s", telecomSubs, "-t", telecomTx, "--observed-from", "2023-01-01", "--by", "plan", "--margin-rate", "0.4", "--format", "csv"}, 40},
		{"subscribers_constant_margin.md", []string{"value", "subscribers", "-s", telecomSubs, "--margin", "25", "--observed-from", "2023-01-01", "--period", "quarter", "--discount", "0.03", "--format", "markdown"}, 30},
		{"migration_cdnow.csv", []string{"value", "migration", "-t", cdnowCSV, "--period", "month", "--recency-states", "4", "--margin-rate", "0.3", "--discount", "0.01", "--format", "csv"}, 30},
		{"migration_cdnow_quarter_horizon.md", []string{"value", "migration", "-t", cdnowCSV, "--period", "quarter", "--recency-states", "3", "--discount", "0.03", "--value-horizon", "8", "--format", "markdown"}, 25},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			out := r.stdout
			if c.lines > 0 {
				out = firstLines(out, c.lines)
			}
			golden(t, filepath.Join("value", c.name), out)
			if again := runCLI(t, "", c.args...); again.stdout != r.stdout {
				t.Error("second run differs: output is not deterministic")
			}
		})
	}
}

func TestValueSubscribersTotals(t *testing.T) {
	r := runCLI(t, "", "value", "subscribers", "-s", telecomSubs, "-t", telecomTx, "--observed-from", "2023-01-01", "--by", "plan", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var meta struct {
		TotalResidualCLV float64 `json:"total_residual_clv"`
	}
	decodeMeta(t, r.stdout, &meta)
	var v struct {
		Groups []struct {
			Group            string   `json:"group"`
			Active           float64  `json:"active"`
			DEL              *float64 `json:"del"`
			TotalResidualCLV float64  `json:"total_residual_clv"`
		}
		TotalResidualCLV float64 `json:"total_residual_clv"`
		Subscribers      []struct {
			Group         string  `json:"group"`
			Status        string  `json:"status"`
			TenurePeriods int     `json:"tenure_periods"`
			RetentionNext float64 `json:"retention_next"`
			DERL          float64 `json:"derl"`
			Margin        float64 `json:"margin"`
			ResidualCLV   float64 `json:"residual_clv"`
		}
	}
	decodeTable(t, r.stdout, "groups", &v.Groups)
	decodeTable(t, r.stdout, "subscribers", &v.Subscribers)
	v.TotalResidualCLV = meta.TotalResidualCLV
	if len(v.Subscribers) != 3000 || len(v.Groups) != 4 {
		t.Fatalf("%d subscribers, %d groups", len(v.Subscribers), len(v.Groups))
	}
	byGroup := map[string]float64{}
	total := 0.0
	for _, s := range v.Subscribers {
		if s.Status == "churned" && (s.ResidualCLV != 0 || s.DERL != 0) {
			t.Errorf("churned subscriber with value %+v", s)
		}
		if s.Status == "active" {
			if !(s.RetentionNext > 0 && s.RetentionNext < 1) || !(s.DERL > s.RetentionNext) {
				t.Errorf("active subscriber %+v", s)
			}
			if math.Abs(s.ResidualCLV-s.Margin*s.DERL) > 1e-9*math.Max(1, math.Abs(s.ResidualCLV)) {
				t.Errorf("residual %g != margin %g × derl %g", s.ResidualCLV, s.Margin, s.DERL)
			}
		}
		byGroup[s.Group] += s.ResidualCLV
		total += s.ResidualCLV
	}
	for _, g := range v.Groups {
		if math.Abs(byGroup[g.Group]-g.TotalResidualCLV) > 1e-6*math.Max(1, g.TotalResidualCLV) {
			t.Errorf("group %s: rows sum to %g, total says %g", g.Group, byGroup[g.Group], g.TotalResidualCLV)
		}
		if g.DEL == nil || !(*g.DEL > 1) {
			t.Errorf("group %s: DEL %v", g.Group, g.DEL)
		}
	}
	if math.Abs(total-v.TotalResidualCLV) > 1e-6*total {
		t.Errorf("rows sum to %g, total %g", total, v.TotalResidualCLV)
	}
}

func TestRetentionRecoversGeneratorParameters(t *testing.T) {
	// examples/telecom was generated (clv/synth) with plan-specific sBG churn:
	// prepaid alpha = 0.9, beta = 14.4; postpaid 1.0, 40.7. Declaring the
	// export's truncation date, the fit recovers them within 3 standard errors.
	r := runCLI(t, "", "retention", "-s", telecomSubs, "--observed-from", "2023-01-01", "--by", "plan", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var groups []struct {
		Group   string   `json:"group"`
		Alpha   *float64 `json:"alpha"`
		Beta    *float64 `json:"beta"`
		AlphaSE *float64 `json:"alpha_se"`
		BetaSE  *float64 `json:"beta_se"`
		Note    string   `json:"note"`
	}
	decodeTable(t, r.stdout, "fit", &groups)
	truth := map[string][2]float64{"prepaid": {0.9, 14.4}, "postpaid": {1.0, 40.7}}
	for _, g := range groups {
		w, ok := truth[g.Group]
		if !ok {
			continue
		}
		s := g
		if s.Alpha == nil {
			t.Fatalf("%s not fitted: %s", g.Group, s.Note)
		}
		if math.Abs(*s.Alpha-w[0]) > 3**s.AlphaSE || math.Abs(*s.Beta-w[1]) > 3**s.BetaSE {
			t.Errorf("%s: alpha %.3f±%.3f beta %.2f±%.2f, generator %v", g.Group, *s.Alpha, *s.AlphaSE, *s.Beta, *s.BetaSE, w)
		}
	}
}

func TestRetentionErrors(t *testing.T) {
	dir := t.TempDir()
	tiny := filepath.Join(dir, "tiny.csv")
	os.WriteFile(tiny, []byte("subscriber_id,activation_date,churn_date,plan\nA,2024-01-01,2024-03-05,x\nB,2024-01-10,,x\nC,2024-02-01,,y\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no subscribers", []string{"retention"}, 2, "missing --subscribers"},
		{"bad period", []string{"retention", "-s", telecomSubs, "--period", "week"}, 2, "--period"},
		{"unknown by column", []string{"retention", "-s", telecomSubs, "--by", "colour"}, 2, "no such column"},
		{"observed-from after as-of", []string{"retention", "-s", telecomSubs, "--as-of", "2024-01-01", "--observed-from", "2024-06-01"}, 2, "after the as-of"},
		{"too small to fit", []string{"retention", "-s", tiny, "--format", "csv"}, 1, "too little data"},
		{"value needs a subcommand", []string{"value"}, 2, "subcommand"},
		{"retention above 1", []string{"value", "retention", "--margin", "1", "--retention", "1.5", "--discount", "0.1"}, 2, "--retention"},
		{"missing margin", []string{"value", "retention", "--retention", "0.5", "--discount", "0.1"}, 2, "missing --margin"},
		{"infinite value", []string{"value", "retention", "--margin", "1", "--retention", "1", "--discount", "0"}, 2, "infinite"},
		{"subscribers without margin source", []string{"value", "subscribers", "-s", telecomSubs}, 2, "--transactions"},
		{"migration without discount", []string{"value", "migration", "-t", cdnowCSV, "--discount", "0"}, 2, "--discount"},
		{"migration too many states", []string{"value", "migration", "-t", cdnowCSV, "--period", "year", "--recency-states", "5"}, 3, "data cannot identify the model"}, // one complete year: no transitions to count (exit 3 like every model, issue 11)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, c.code, c.msg)
			}
			if r.code != 0 && r.stdout != "" {
				t.Errorf("failed run wrote to stdout: %q", firstLines(r.stdout, 3))
			}
		})
	}
	// A group too small to fit is reported in its row; the others are fitted.
	r := runCLI(t, "", "retention", "-s", telecomSubs, "--observed-from", "2023-01-01", "--by", "customer_type", "--format", "csv", "--table", "fit")
	if r.code != 0 || !strings.Contains(r.stdout, "not fitted: too little data") {
		t.Errorf("exit %d; small group not reported:\n%s", r.code, firstLines(r.stdout, 8))
	}
}

// TestRetentionRecoversGeneratorChurn: on a 20,000-subscriber generated base
// (left-truncated like an operator export), clv retention --by plan with no
// truncation flag recovers each plan's mean monthly churn a/(a+b) within 15 %.
// Truth: the generator's beta churn parameters in clv/synth (prepaid a 0.9,
// b 14.4; postpaid 1.0, 40.7; family 1.2, 73.8; business 1.5, 105.6 — its
// rare key accounts, 1.0 and 249, are ignored).
func TestRetentionRecoversGeneratorChurn(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 20,000 subscribers")
	}
	dir := t.TempDir()
	if r := runCLI(t, "", "generate", "--subscribers", "20000", "--seed", "5", "--out", dir); r.code != 0 {
		t.Fatalf("generate: %s", r.stderr)
	}
	r := runCLI(t, "", "retention", "-s", filepath.Join(dir, "subscribers.csv"), "--by", "plan", "--format", "json")
	if r.code != 0 {
		t.Fatalf("retention: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "observation start 2023-01-01 detected") {
		t.Errorf("the truncation was not detected; stderr:\n%s", r.stderr)
	}
	truth := map[string]float64{"prepaid": 0.9 / (0.9 + 14.4), "postpaid": 1.0 / (1.0 + 40.7), "family": 1.2 / (1.2 + 73.8), "business": 1.5 / (1.5 + 105.6)}
	var groups []struct {
		Group string   `json:"group"`
		Alpha *float64 `json:"alpha"`
		Beta  *float64 `json:"beta"`
	}
	decodeTable(t, r.stdout, "fit", &groups)
	if len(groups) != len(truth) {
		t.Fatalf("%d groups, want %d", len(groups), len(truth))
	}
	for _, g := range groups {
		if g.Alpha == nil {
			t.Errorf("%s: no sBG fit", g.Group)
			continue
		}
		got := *g.Alpha / (*g.Alpha + *g.Beta)
		want := truth[g.Group]
		t.Logf("%s: mean monthly churn %.4f, generator %.4f (%+.1f%%)", g.Group, got, want, 100*(got/want-1))
		if math.Abs(got/want-1) > 0.15 {
			t.Errorf("%s: mean monthly churn %.4f, generator %.4f: off by more than 15%%", g.Group, got, want)
		}
	}
}
