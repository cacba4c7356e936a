package main

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPanelInput: clv markov and clv value migration read the customer x
// period aggregate (--panel, as clv panel and examples/sql/panel*.sql write
// it) and print what they print from the transactions: the same states and
// counts, and values equal up to the order of float sums (1e-9 relative).
// A panel coarser than --period is refused.
func TestPanelInput(t *testing.T) {
	dir := t.TempDir()
	month, quarter := filepath.Join(dir, "panel.csv"), filepath.Join(dir, "panel_q.csv")
	mustRun(t, "panel", "-t", telecomTx, "-o", month)
	mustRun(t, "panel", "-t", telecomTx, "--period", "quarter", "-o", quarter)
	for _, c := range []struct {
		args  []string
		panel string
	}{
		{[]string{"markov", "-s", telecomSubs, "--states", "lifecycle"}, month},
		{[]string{"markov", "-s", telecomSubs, "--period", "quarter"}, month},
		{[]string{"markov", "-s", telecomSubs, "--period", "quarter"}, quarter},
		{[]string{"value", "migration"}, month},
		{[]string{"value", "migration", "--period", "quarter"}, quarter},
	} {
		fromTx := mustRun(t, append(append([]string{}, c.args...), "-t", telecomTx, "--format", "csv")...)
		fromPanel := mustRun(t, append(append([]string{}, c.args...), "--panel", c.panel, "--format", "csv")...)
		if !sameNumbers(fromTx, fromPanel) {
			t.Errorf("%v with %s differs from the transactions:\n%.400s\n---\n%.400s", c.args, filepath.Base(c.panel), fromPanel, fromTx)
		}
	}
	r := runCLI(t, "", "value", "migration", "--panel", quarter, "--period", "month")
	if r.code != exitUsage || !strings.Contains(r.stderr, "holds quarterly periods") {
		t.Errorf("quarterly panel per month: exit %d, %s", r.code, r.stderr)
	}
}

// sameNumbers compares two CSV texts cell by cell, numbers to 1e-9 relative.
func sameNumbers(a, b string) bool {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		fa, fb := strings.Split(la[i], ","), strings.Split(lb[i], ",")
		if len(fa) != len(fb) {
			return false
		}
		for k := range fa {
			if fa[k] == fb[k] {
				continue
			}
			x, e1 := strconv.ParseFloat(fa[k], 64)
			y, e2 := strconv.ParseFloat(fb[k], 64)
			if e1 != nil || e2 != nil || math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
				return false
			}
		}
	}
	return true
}
