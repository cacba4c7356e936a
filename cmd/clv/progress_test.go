package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressBar: on a terminal the read bar shows bytes and rows/s and
// restarts for a second pass; off a terminal (and with --quiet) there are
// no callbacks at all, so stderr stays clean.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	a := &app{errOut: &buf, errTTY: true}
	by, rows := a.progressBar("transactions")
	if by == nil || rows == nil {
		t.Fatal("no callbacks on a terminal")
	}
	by(0, 1000)
	time.Sleep(250 * time.Millisecond)
	by(500, 1000)
	rows(2_500_000)
	time.Sleep(150 * time.Millisecond)
	by(600, 1000)
	by(1000, 1000)
	by(10, 1000) // second pass
	out := buf.String()
	for _, want := range []string{"transactions", "rows/s", "2.50M rows", "(pass 2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar output lacks %q:\n%q", want, out)
		}
	}
	for _, b := range []*app{{errOut: &buf}, {errOut: &buf, errTTY: true, global: globalFlags{quiet: true}}} {
		if by, rows := b.progressBar("x"); by != nil || rows != nil {
			t.Error("callbacks off a terminal or with --quiet")
		}
	}
}
