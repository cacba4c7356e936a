package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	segFixture = []string{"-t", "testdata/segment/transactions.csv", "-s", "testdata/segment/subscribers.csv"}
	segTelecom = []string{"-t", "examples/telecom/transactions.csv", "-s", "examples/telecom/subscribers.csv"}
)

func TestSegmentGolden(t *testing.T) {
	cases := []struct {
		name   string
		golden string
		args   []string
	}{
		{"customers", "segment/customers.csv", append([]string{"segment", "--format", "csv"}, segFixture...)},
		{"quarterly three tiers", "segment/quarterly.csv", append([]string{"segment", "--format", "csv", "--period", "quarter", "--tiers", "high,mid,low", "--as-of", "2024-09-30"}, segFixture...)},
		{"summary markdown", "segment/summary.md", append([]string{"segment", "--views", "--format", "markdown"}, segTelecom...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, c.golden, r.stdout)
			again := runCLI(t, "", c.args...)
			if again.stdout != r.stdout {
				t.Error("second run differs: output is not deterministic")
			}
		})
	}
}

func TestSegmentColumns(t *testing.T) {
	r := runCLI(t, "", append([]string{"segment", "--format", "csv"}, segFixture...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	head := strings.SplitN(r.stdout, "\n", 2)[0]
	want := "customer_id,stage,value_tier,clv,current_value,tenure_periods,recency_days,spend_trend,risk_score,star_rating,key_account,action"
	if !strings.HasPrefix(head, want+",") {
		t.Errorf("header %q does not start with the documented columns %q", head, want)
	}
	if rows := strings.Count(r.stdout, "\n") - 1; rows != 40 {
		t.Errorf("%d rows, want one per subscriber (40)", rows)
	}
}

func TestSegmentSummaryJSON(t *testing.T) {
	r := runCLI(t, "", append([]string{"segment", "--views", "--format", "json", "--top", "5"}, segTelecom...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var stageRows []struct {
		Stage       string `json:"stage"`
		Subscribers int    `json:"subscribers"`
	}
	decodeTable(t, r.stdout, "stages", &stageRows)
	var matrix []struct {
		Stage       string `json:"stage"`
		Tier        string `json:"value_tier"`
		Subscribers int    `json:"subscribers"`
		Action      string `json:"action"`
	}
	decodeTable(t, r.stdout, "matrix", &matrix)
	var meta struct {
		Subscribers int `json:"subscribers"`
	}
	decodeMeta(t, r.stdout, &meta)
	// Every subscriber is in exactly one stage and one matrix cell.
	var stages, cells int
	for _, st := range stageRows {
		stages += st.Subscribers
	}
	for _, m := range matrix {
		cells += m.Subscribers
		if m.Action == "" {
			t.Errorf("cell %s/%s has no action", m.Stage, m.Tier)
		}
	}
	if meta.Subscribers != 3000 || stages != 3000 || cells != 3000 || len(matrix) != 20 {
		t.Errorf("subscribers %d stages %d cells %d matrix %d", meta.Subscribers, stages, cells, len(matrix))
	}
	var conc []struct {
		Metric string  `json:"indicator"`
		Value  float64 `json:"figure"`
	}
	decodeTable(t, r.stdout, "concentration", &conc)
	c := map[string]float64{}
	for _, m := range conc {
		c[m.Metric] = m.Value
	}
	if !(c["top_1pct_share"] <= c["top_5pct_share"] && c["top_5pct_share"] <= c["top_20pct_share"] && c["top_20pct_share"] <= 1 && c["gini"] > 0 && c["gini"] < 1) {
		t.Errorf("concentration %+v", c)
	}
	var warning []struct {
		Stage       string  `json:"stage"`
		ValueAtRisk float64 `json:"value_at_risk"`
	}
	decodeTable(t, r.stdout, "early_warning", &warning)
	if len(warning) != 5 {
		t.Fatalf("early warning has %d rows, want 5", len(warning))
	}
	for i := 1; i < len(warning); i++ {
		if warning[i].ValueAtRisk > warning[i-1].ValueAtRisk || warning[i].Stage == "churned" {
			t.Errorf("early warning not ranked by value at risk: %+v", warning)
		}
	}
	var profiles []struct {
		Attribute string `json:"attribute"`
	}
	decodeTable(t, r.stdout, "profiles", &profiles)
	by := map[string]int{}
	for _, p := range profiles {
		by[p.Attribute]++
	}
	if by["customer_type"] == 0 || by["plan"] == 0 {
		t.Errorf("profiles %v", by)
	}
}

func TestSegmentCustomActions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "actions.csv")
	if err := os.WriteFile(path, []byte("stage,tier,action\nacquisition,*,welcome\ngrowth,*,upsell\nmaturity,*,reward\ndecline,*,call\nchurned,*,none\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", append([]string{"segment", "--format", "csv", "--actions", path}, segFixture...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		f := strings.Split(line, ",")
		want := map[string]string{"acquisition": "welcome", "growth": "upsell", "maturity": "reward", "decline": "call", "churned": "none"}[f[1]]
		if f[11] != want {
			t.Errorf("%s: stage %s action %q, want %q", f[0], f[1], f[11], want)
		}
	}
}

func TestSegmentUsageErrors(t *testing.T) {
	dir := t.TempDir()
	partial := filepath.Join(dir, "partial.csv")
	if err := os.WriteFile(partial, []byte("stage,tier,action\nchurned,*,none\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"no transactions", []string{"segment"}, "missing --transactions"},
		{"zero tiers", append([]string{"segment", "--tiers", "0"}, segFixture...), "--tiers"},
		{"duplicate tier names", append([]string{"segment", "--tiers", "a,a"}, segFixture...), "tier names"},
		{"star weights", append([]string{"segment", "--star-weights", "1,2"}, segFixture...), "--star-weights"},
		{"key share", append([]string{"segment", "--key-share", "1.5"}, segFixture...), "key-account share"},
		{"vip order", append([]string{"segment", "--vip", "500,1000"}, segFixture...), "VIP"},
		{"slopes", append([]string{"segment", "--growth-slope", "-0.1"}, segFixture...), "decline slope"},
		{"value model", append([]string{"segment", "--value-model", "magic"}, segFixture...), "--value-model"},
		{"actions incomplete", append([]string{"segment", "--actions", partial}, segFixture...), "acquisition/platinum"},
		{"profile column", append([]string{"segment", "--views", "--by", "colour"}, segFixture...), "--by"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit 2 mentioning %q", r.code, r.stderr, c.msg)
			}
		})
	}
}

func TestSegmentValueModels(t *testing.T) {
	// auto = sBG with subscribers: the note names the model; every churned
	// subscriber has clv 0 and no clv is negative.
	r := runCLI(t, "", append([]string{"segment", "--format", "csv"}, segTelecom...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "sBG residual lifetime value") {
		t.Errorf("stderr does not name the sBG value model:\n%s", r.stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		f := strings.Split(line, ",")
		if f[1] == "churned" && f[3] != "0" {
			t.Errorf("%s: churned with clv %s", f[0], f[3])
		}
		if strings.HasPrefix(f[3], "-") {
			t.Errorf("%s: negative clv %s", f[0], f[3])
		}
	}
	// BG/NBD + Gamma-Gamma on CDNOW (weeks 1–39 as calibration). The fit
	// itself is checked against Fader, Hardie & Lee (2005) in clv/btyd;
	// here, in months: alpha = 4.414 weeks × 7 / 30.4375 = 1.015.
	r = runCLI(t, "", "segment", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1997-09-30", "--value-model", "bgnbd", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("bgnbd: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "alpha 1.015") || !strings.Contains(r.stderr, "r 0.2426") {
		t.Errorf("bgnbd note lacks the CDNOW estimates:\n%s", r.stderr)
	}
	// The telecom spend is too heavy-tailed for Gamma-Gamma (q <= 1): exit 3
	// with the reason.
	r = runCLI(t, "", append([]string{"segment", "--value-model", "bgnbd"}, segTelecom...)...)
	if r.code != exitNoConverge || !strings.Contains(r.stderr, "Gamma-Gamma") {
		t.Errorf("telecom bgnbd: exit %d, stderr %q; want exit 3 about Gamma-Gamma", r.code, r.stderr)
	}
	// sbg without subscribers is a usage error.
	r = runCLI(t, "", "segment", "-t", "examples/cdnow/cdnow_sample.csv", "--value-model", "sbg")
	if r.code != exitUsage {
		t.Errorf("sbg without subscribers: exit %d", r.code)
	}
}
