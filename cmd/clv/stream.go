package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/read"
)

// streamable reports whether the summary of f can be built while the
// transactions are read (read.Accumulate), without holding their rows: a
// transaction file and nothing that needs the rows themselves (subscribers,
// whose checks and join work on rows; a panel file).
func streamable(f *inputFlags) bool {
	return f.transactions != "" && f.summary == "" && f.subscribers == "" && f.panel == ""
}

// loadStreamed reads the transactions of f into per-customer accumulators
// and returns them as a loaded summary (in unit, at asOf; NoDay = the latest
// transaction day), with the same data checks and notes as load.
func (a *app) loadStreamed(f *inputFlags, unit dataset.Unit, asOf dataset.Day) (*loaded, error) {
	opt, finish, err := a.readOptions(f)
	if err != nil {
		return nil, err
	}
	l := &loaded{tx: &dataset.Transactions{}}
	if os.Getenv("GOGC") == "" {
		// This path exists to bound memory: for the rest of the run,
		// collect at 50% heap growth instead of 100% (the heap then peaks
		// at about 1.5x the live data instead of 2x; measured on 7.5 M
		// customers, 1.1-1.56 GB peak at 100%).
		debug.SetGCPercent(50)
	}
	err = func() error {
		opt.Progress, opt.RowProgress = a.progressBar("transactions")
		acc, st, err := read.Accumulate(f.transactions, opt, asOf)
		if err != nil {
			return err
		}
		if len(acc.IDs) >= freeReadCustomers {
			freeReadMemory()
		}
		a.notef("%s: %s", f.transactions, st)
		if acc.Passes > 1 {
			a.notef("%s: %d customers' rows were not in date order: read their rows again in a second pass", f.transactions, acc.Refitted)
		}
		l.stats = append(l.stats, st)
		l.sanity = dataset.CheckAccumulated(acc.Accumulated, acc.Days, dataset.CheckOptions{})
		if err := a.warnFindings(f, l); err != nil {
			return err
		}
		s, err := acc.Summary(dataset.SummaryOptions{AsOf: asOf, Unit: unit})
		if err != nil {
			return err
		}
		l.summary = s
		return a.ctx.Err()
	}()
	if ferr := finish(err == nil); err == nil && ferr != nil {
		return nil, ferr
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// freeReadMemory collects the garbage of a streaming read (the interning
// tables and accumulators, about half the read's memory) at once, so that
// the summary's columns are allocated in that memory. Left to the
// collector's pacing, they were allocated beside memory still held by the
// garbage (1.49-1.55 GB peak for clv summarize on 7.5 M customers).
// The memory is kept, not returned to the operating system
// (debug.FreeOSMemory did, at first): the summary and the scores reuse it
// without faulting fresh pages in again (on 7.5 M customers, 390-500
// thousand page faults instead of 610-670 thousand, 0.2-1 s less, and no
// higher peak: 1.27-1.30 GB for clv summarize and clv rfm).
func freeReadMemory() { runtime.GC() }

// freeReadCustomers is the number of customers from which freeReadMemory
// is worth its full collection (about 45 ms on 1 M customers, 0.15 s on
// 7.5 M): below it the read's garbage is a few hundred MB at most.
const freeReadCustomers = 2_000_000
