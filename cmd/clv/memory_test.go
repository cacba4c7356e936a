package main

import (
	"strings"
	"testing"
)

// TestMaxMemory: a panel over --max-memory stops the report with exit code 1
// and an error that says what the panel needs, what is available and the
// ways around it (a longer period, the SQL aggregates with --panel or
// --summary); a bad size is a usage error; a large enough limit runs.
func TestMaxMemory(t *testing.T) {
	r := runCLI(t, "", "segment", "-t", "examples/telecom/transactions.csv", "-s", "examples/telecom/subscribers.csv", "--max-memory", "20kB", "-q")
	if r.code != 1 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"panel: ", "months", "needs ", "20 kB available", "not enough memory", "--period", "examples/sql/panel", "--panel FILE", "--summary FILE"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %s", want, r.stderr)
		}
	}
	if r := runCLI(t, "", "segment", "-t", "examples/telecom/transactions.csv", "--max-memory", "lots", "-q"); r.code != 2 || !strings.Contains(r.stderr, "--max-memory") {
		t.Errorf("bad size: exit %d, %s", r.code, r.stderr)
	}
	if r := runCLI(t, "", "segment", "-t", "examples/telecom/transactions.csv", "-s", "examples/telecom/subscribers.csv", "--max-memory", "1GB", "-q"); r.code != 0 {
		t.Errorf("1GB: exit %d, %s", r.code, r.stderr)
	}
}

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"8GB", 8e9, true}, {"512MB", 512e6, true}, {"1.5G", 15e8, true}, {"2000", 2000, true},
		{"1GiB", 1 << 30, true}, {"20 kB", 20e3, true}, {"lots", 0, false}, {"-1GB", 0, false}, {"5XB", 0, false}, {"", 0, false},
	} {
		got, ok := parseBytes(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseBytes(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
