package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportTelecomGolden is the report of the shipped example, checked in
// as testdata/golden/report/telecom.{md,html}.
func TestReportTelecomGolden(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, file string }{{"markdown", "telecom.md"}, {"html", "telecom.html"}} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.file)
			r := runCLI(t, "", "report", "examples/telecom", "-o", out)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "report/"+c.file, string(got))
			// Progress: one line per stage on stderr.
			for _, stage := range []string{"[1/7] reading data", "[5/7] retention and Markov lifecycle", "[7/7] early warning"} {
				if !strings.Contains(r.stderr, stage) {
					t.Errorf("stderr lacks progress line %q:\n%s", stage, r.stderr)
				}
			}
			// Byte-identical on rerun.
			out2 := filepath.Join(dir, "again-"+c.file)
			if r := runCLI(t, "", "report", "examples/telecom", "-o", out2, "-q"); r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr with -q: %q", r.code, r.stderr)
			}
			again, _ := os.ReadFile(out2)
			if string(again) != string(got) {
				t.Error("report differs between two runs")
			}
		})
	}
}

func TestReportContent(t *testing.T) {
	r := runCLI(t, "", append([]string{"report", "--format", "html", "-q"}, segTelecom...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	html := r.stdout
	for _, want := range []string{
		"Data quality", "RFM segments", "Retention: life table and sBG model", "sBG alpha", "Lifecycle transitions", "Lorenz curve", "Early warning",
		"What to do", "<svg", "retention call", "Files read",
	} {
		if !strings.Contains(strings.ToLower(html), strings.ToLower(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Self-contained: no scripts, no external resources.
	for _, bad := range []string{"<script", "<link", "src=", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML report contains %q", bad)
		}
	}
	if strings.Contains(html, "NaN") || strings.Contains(html, "Inf") {
		t.Error("report shows NaN or Inf")
	}
	// --stamp adds the creation time; without it there is none.
	if strings.Contains(html, "Made with clv report on ") {
		t.Error("unstamped report carries a time")
	}
	s := runCLI(t, "", append([]string{"report", "--stamp", "-q"}, segFixture...)...)
	if s.code != 0 || !strings.Contains(s.stdout, "Made with clv report on ") {
		t.Errorf("--stamp: exit %d, footer missing", s.code)
	}
}

func TestReportWithoutSubscribers(t *testing.T) {
	// CDNOW has no subscriber export: the report runs, without a life table.
	r := runCLI(t, "", "report", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1997-09-30", "-q")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"No subscriber export (-s) was given", "RFM segments", "Early warning", "2,357 customers"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestReportUsageErrors(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"no input", []string{"report"}, "missing --transactions"},
		{"empty folder", []string{"report", empty}, "no transactions"},
		{"not a folder", []string{"report", "README.md"}, "not a folder"},
		{"folder and files", append([]string{"report", "examples/telecom"}, segFixture...), "not both"},
		{"bad format", append([]string{"report", "--format", "csv"}, segFixture...), "html or markdown"},
		{"rfm bins", append([]string{"report", "--rfm-bins", "12"}, segFixture...), "--rfm-bins"},
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
