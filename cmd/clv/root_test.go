package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpListsExitCodes(t *testing.T) {
	r := runCLI(t, "", "--help")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Exit codes", "130", "summarize", "version", "completion"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"summarize", "--frob"}, "unknown flag"},
		{"missing input", []string{"summarize"}, "missing --transactions"},
		{"bad unit", []string{"summarize", "-t", "x.csv", "--unit", "fortnight"}, "--unit"},
		{"bad as-of", []string{"summarize", "-t", "x.csv", "--as-of", "31/12/2024"}, "--as-of"},
		{"bad format", []string{"summarize", "-t", "x.csv", "--format", "xml"}, "--format"},
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

func TestVersion(t *testing.T) {
	r := runCLI(t, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "clv ") {
		t.Fatalf("exit %d stdout %q", r.code, r.stdout)
	}
}

func TestSummarizeCDNOWGolden(t *testing.T) {
	r := runCLI(t, "", "summarize", "-t", "examples/cdnow/cdnow_sample.csv", "--as-of", "1997-09-30", "--unit", "week", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "summarize/cdnow.csv", r.stdout)
	// The well-known CDNOW calibration facts (BTYD's cdnowSummary, Fader, Hardie & Lee 2005):
	// 2,357 customers, 1,411 of them with no repeat purchase in the 39 weeks.
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines)-1 != 2357 {
		t.Fatalf("%d customers, want 2357", len(lines)-1)
	}
	zero := 0
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if f[9] == "0" {
			zero++
		}
	}
	if zero != 1411 {
		t.Errorf("%d customers with x = 0, want 1411", zero)
	}
	if !strings.Contains(r.stderr, "left out") {
		t.Errorf("stderr does not report the rows after --as-of: %q", r.stderr)
	}
}

func TestSummarizeFormats(t *testing.T) {
	for _, f := range []string{"csv", "json", "markdown", "table"} {
		t.Run(f, func(t *testing.T) {
			r := runCLI(t, "", "summarize", "-t", "testdata/small/transactions.csv", "-s", "testdata/small/subscribers.csv",
				"--as-of", "2024-03-31", "--unit", "month", "--format", f)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, "summarize/small."+f, r.stdout)
		})
	}
}

func TestOutputFileAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.json")
	abs, _ := filepath.Abs(out)
	r := runCLI(t, "", "summarize", "-t", "testdata/small/transactions.csv", "-o", abs)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "{\n\"metadata\": {") {
		t.Fatalf("-o with .json extension did not write JSON: %v %q", err, b)
	}
	// A failing run leaves no file behind.
	bad := filepath.Join(dir, "bad.csv")
	r = runCLI(t, "", "summarize", "-t", "testdata/small/does-not-exist.csv", "-o", bad)
	if r.code != exitData {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("failed run left files: %v", ents)
	}
}
