package main

import (
	imagepng "image/png"
	"os"
	"os/exec"
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
			for _, stage := range []string{"[1/8] reading data", "[6/8] retention, BG/NBD and Markov lifecycle", "[8/8] early warning"} {
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
		"Data quality", "RFM segments", "Retention: life table and sBG model", "sBG alpha", "P(alive) by lifecycle stage", "Lifecycle transitions", "Lorenz curve", "Early warning",
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

// TestReportScreenshot renders the HTML report of examples/telecom in
// headless Chromium (Debian package chromium), when it is installed, and
// checks that the page is drawn: a tall image with ink on it. The PNG is
// left in the test's temporary folder; to look at it yourself run
//
//	clv report examples/telecom -o /tmp/report.html
//	chromium --headless --no-sandbox --disable-gpu --no-first-run \
//	  --disable-background-networking --disable-component-update --disable-sync \
//	  --user-data-dir=$(mktemp -d) --screenshot=/tmp/report.png \
//	  --window-size=1280,11000 file:///tmp/report.html
func TestReportScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	if r := runCLI(t, "", "report", "examples/telecom", "-o", html, "-q"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	png := filepath.Join(dir, "report.png")
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+png, "--window-size=1280,3000",
		"file://"+html)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("chromium failed (%v): %s", err, out)
	}
	f, err := os.Open(png)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := imagepng.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 3000 {
		t.Fatalf("screenshot is %v", b)
	}
	// Count non-white pixels on a grid: text, tables and charts are ink.
	var ink, all int
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			all++
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				ink++
			}
		}
	}
	if share := float64(ink) / float64(all); share < 0.02 {
		t.Errorf("the rendered page is almost blank (%.1f%% ink)", 100*share)
	}
}
