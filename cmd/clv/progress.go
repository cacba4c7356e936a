package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressBar returns the callbacks of a read (read.Options.Progress and
// RowProgress) drawing one bar on stderr: bytes read of the total, and the
// rows per second so far in the description. Both are nil when stderr is
// not a terminal or with --quiet, so piped stderr stays clean. A second
// pass over the input (bytes or rows going back to 0) restarts the bar.
func (a *app) progressBar(desc string) (bytes func(done, total int64), rows func(n int64)) {
	if a.global.quiet || !a.errTTY {
		return nil, nil
	}
	p := &readBar{a: a, desc: desc}
	return p.bytes, p.rows
}

// readBar is the state of one progressBar; the callbacks come from the
// reader's goroutines.
type readBar struct {
	a        *app
	desc     string
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	total    int64
	lastDone int64
	lastRows int64
	pass     int
	start    time.Time
	shown    time.Time
}

func (p *readBar) newBar(total int64) {
	p.pass++
	desc := p.desc
	if p.pass > 1 {
		desc = fmt.Sprintf("%s (pass %d)", p.desc, p.pass)
	}
	p.total, p.start, p.lastDone, p.lastRows = total, time.Now(), 0, 0
	p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(p.a.errOut),
		progressbar.OptionSetDescription(desc), progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30))
}

func (p *readBar) bytes(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || done < p.lastDone {
		if p.bar != nil {
			p.bar.Finish() //nolint:errcheck // drawing only
		}
		p.newBar(total)
	}
	p.lastDone = done
	p.bar.Set64(done) //nolint:errcheck // drawing only
	if total > 0 && done >= total {
		p.bar.Finish() //nolint:errcheck // drawing only
	}
}

func (p *readBar) rows(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		return
	}
	if n < p.lastRows {
		p.lastRows = 0
	}
	p.lastRows = n
	now := time.Now()
	if now.Sub(p.shown) < 200*time.Millisecond {
		return
	}
	p.shown = now
	desc := p.desc
	if p.pass > 1 {
		desc = fmt.Sprintf("%s (pass %d)", p.desc, p.pass)
	}
	if s := now.Sub(p.start).Seconds(); s > 0 {
		p.bar.Describe(fmt.Sprintf("%s: %s rows, %s rows/s", desc, countText(n), countText(int64(float64(n)/s))))
	}
}

// countText writes n as 950, 12.3k, 4.56M.
func countText(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2fM", float64(n)/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}
