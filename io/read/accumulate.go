package read

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/clvkit/clv/clv/dataset"
)

// Accumulated is a transaction export read into per-customer accumulators
// (see Accumulate).
type Accumulated struct {
	*dataset.Accumulated
	// Days is the histogram of the transaction days, for dataset.CheckAccumulated.
	Days dataset.DayCounts
	// Passes is the number of reads of the input: 1, or 2 when customers
	// whose rows went back in time needed their rows (a second pass).
	Passes int
	// Refitted counts those customers.
	Refitted int
}

// Accumulate reads a transaction export (as Transactions does) into one
// dataset.Acc per customer, leaving out the rows after asOf (NoDay keeps
// them all), without keeping the rows: memory grows with the customers,
// not the rows. Customers are numbered in order of first appearance, as
// by Transactions, and dataset.Accumulated.Summary then gives the same
// summary, value for value, as dataset.Summarize on what Transactions reads.
//
// Customers whose rows arrive in day order (every customer of a date- or
// customer-ordered export) are summarised on the fly. The rows of the
// others (a shuffled file) are gathered in a second read of the input, for
// those customers only, and then refitted. Standard input cannot be read
// twice, and Options.Dedupe needs every row: for either, the rows are read
// with Transactions and then accumulated (memory as for Transactions).
func Accumulate(name string, opt Options, asOf dataset.Day) (*Accumulated, Stats, error) {
	if name == "-" || opt.Dedupe {
		t, stats, err := Transactions(name, opt)
		if err != nil {
			return nil, stats, err
		}
		return &Accumulated{Accumulated: dataset.Accumulate(t, asOf), Days: dataset.CountDays(t.Day), Passes: 1}, stats, nil
	}
	stats := Stats{File: displayName(name)}
	agg := newAggregator(asOf)
	if err := agg.read(name, &opt, &stats); err != nil {
		return nil, stats, err
	}
	out := &Accumulated{Passes: 1}
	if n := agg.prepareCollect(); n > 0 {
		// Second pass: the rows of the unordered customers only. Bad rows
		// were reported (and counted) by the first pass.
		o := opt
		o.Notes, o.Rejects = nil, nil
		var st Stats
		if err := agg.read(name, &o, &st); err != nil {
			return nil, stats, err
		}
		if st.Accepted != stats.Accepted || slices.Contains(agg.changed[:], true) {
			return nil, stats, &Error{File: stats.File, Msg: fmt.Sprintf("the input changed between the two passes (%d rows, then %d)", stats.Accepted, st.Accepted)}
		}
		agg.refit()
		out.Passes, out.Refitted = 2, n
	}
	var err error
	if out.Accumulated, out.Days, err = agg.finish(); err != nil {
		return nil, stats, &Error{File: stats.File, Msg: err.Error()}
	}
	return out, stats, nil
}

// streamBlockSize is the text block size of a streaming read: a quarter of
// the materialising read's, so that the parsed blocks in flight (then the
// bulk of the memory in use besides the customers: streamBatchBlocks of
// them and a few more, 40 bytes per row) take about 60 MB on a telecom
// export (28 bytes per row) instead of four times as much.
const streamBlockSize = 1 << 20

// accChunk is the number of accumulators per chunk: partitions grow by
// chunks, so they are never copied to grow and waste at most one chunk.
const accChunk = 1 << 12

// aggregator receives the rows of a streaming read, partition by partition
// (see partitioned.intern): each partition has its own accumulators,
// indexed by the partition-local customer id, so the interning lanes never
// share one.
type aggregator struct {
	hs    *idHasher
	parts *partitioned
	asOf  dataset.Day

	acc      [partCount][][]dataset.Acc // chunks of accChunk, by local id
	excluded [partCount]int64
	latest   [partCount]dataset.Day
	days     [partCount]dataset.DayCounter
	// batchDays counts the days of the Parquet batch path (one goroutine;
	// one counter stays in cache where 256 would not).
	batchDays dataset.DayCounter

	// Second pass: slot[p][local] is -1 or the customer's slot k, whose rows
	// go to cDays/cAmts[start[k]:start[k+1]] (fill[k] is the next free).
	collect bool
	slot    [partCount][]int32
	start   []int64
	fill    []int64
	cDays   []dataset.Day
	cAmts   []float64
	changed [partCount]bool // the second pass met rows the first did not
}

func newAggregator(asOf dataset.Day) *aggregator {
	g := &aggregator{hs: newIDHasher(), parts: new(partitioned), asOf: asOf}
	for p := range g.latest {
		g.latest[p] = dataset.NoDay
	}
	return g
}

// read runs one pass over the input.
func (g *aggregator) read(name string, opt *Options, stats *Stats) error {
	if isParquet(name) {
		spec := transactionSpec()
		sink := newTxSink(spec, opt, stats)
		sink.agg, sink.hs, sink.parts = g, g.hs, g.parts
		err := readFlushed(name, spec, opt, stats, sink, sink.rej)
		if err == nil {
			err = sink.flush(true)
		}
		return err
	}
	o := *opt
	if blockSize > streamBlockSize {
		o.blockSize = streamBlockSize
	}
	_, err := readTransactionsText(name, &o, stats, g)
	return err
}

// lane takes the rows of partition p of the blocks of a batch (the first
// row of block k is row number base[k]): interns each id and adds the row
// to its customer.
func (g *aggregator) lane(p int, tab *partTable, batch []*txBlock, base []int) error {
	if g.collect {
		for k, b := range batch {
			if err := g.collectLane(p, tab, b, int64(base[k])); err != nil {
				return err
			}
		}
		return nil
	}
	chunks := g.acc[p]
	n := len(chunks) * accChunk
	if len(chunks) > 0 {
		n -= accChunk - len(chunks[len(chunks)-1])
	}
	hist := &g.days[p]
	latest := g.latest[p]
	asOf := g.asOf
	cut := asOf != dataset.NoDay
	ahead := newLaneAhead(batch, p)
	ahead.start(tab, chunks)
	for k, b := range batch {
		rows := b.grouped[b.pStart[p]:b.pStart[p+1]]
		row0 := int64(base[k])
		for j := range rows {
			ahead.step(tab, chunks)
			r := &rows[j]
			row := row0 + int64(r.row)
			local, err := tab.id(r.hash, r.key, b.long(r), row)
			if err != nil {
				return err
			}
			d, a := r.day, r.amt
			if int(local) == n {
				if n%accChunk == 0 {
					chunks = append(chunks, make([]dataset.Acc, 0, accChunk))
				}
				last := &chunks[len(chunks)-1]
				*last = append(*last, dataset.NewAcc())
				n++
			}
			hist.Add(d, row)
			latest = max(latest, d)
			if cut && d > asOf {
				g.excluded[p]++
				continue
			}
			chunks[local/accChunk][local%accChunk].Add(d, a)
		}
	}
	g.acc[p] = chunks
	g.latest[p] = latest
	return nil
}

// collectLane is lane in the second pass: it keeps the rows (up to asOf)
// of the customers given a slot by prepareCollect.
func (g *aggregator) collectLane(p int, tab *partTable, b *txBlock, row0 int64) error {
	slots := g.slot[p]
	cut := g.asOf != dataset.NoDay
	rows := b.grouped[b.pStart[p]:b.pStart[p+1]]
	for j := range rows {
		r := &rows[j]
		local, err := tab.id(r.hash, r.key, b.long(r), row0+int64(r.row))
		if err != nil {
			return err
		}
		d := r.day
		if cut && d > g.asOf {
			continue
		}
		if int(local) >= len(slots) {
			g.changed[p] = true // a customer the first pass did not see
			continue
		}
		if k := slots[local]; k >= 0 {
			if g.fill[k] >= g.start[k+1] {
				g.changed[p] = true
				continue
			}
			g.cDays[g.fill[k]], g.cAmts[g.fill[k]] = d, r.amt
			g.fill[k]++
		}
	}
	return nil
}

// prepareCollect sets up the second pass for the unordered customers and
// returns how many there are.
func (g *aggregator) prepareCollect() int {
	var total int64
	n := 0
	g.start = g.start[:0]
	for p := range g.acc {
		g.slot[p] = make([]int32, g.customers(p))
		for id := range g.slot[p] {
			g.slot[p][id] = -1
			if a := g.at(p, id); a.Unordered() {
				g.slot[p][id] = int32(n)
				g.start = append(g.start, total)
				total += a.N
				n++
			}
		}
	}
	if n == 0 {
		return 0
	}
	g.start = append(g.start, total)
	g.fill = slices.Clone(g.start[:n])
	g.cDays = make([]dataset.Day, total)
	g.cAmts = make([]float64, total)
	g.collect = true
	return n
}

// refit refits the unordered customers from the rows of the second pass.
func (g *aggregator) refit() {
	for p := range g.acc {
		for id, k := range g.slot[p] {
			if k >= 0 {
				g.at(p, id).Refit(g.cDays[g.start[k]:g.start[k+1]], g.cAmts[g.start[k]:g.start[k+1]])
			}
		}
	}
	g.cDays, g.cAmts, g.start, g.fill = nil, nil, nil, nil
}

// customers returns the number of customers of partition p.
func (g *aggregator) customers(p int) int {
	n := 0
	for _, c := range g.acc[p] {
		n += len(c)
	}
	return n
}

// at returns the accumulator of local id of partition p.
func (g *aggregator) at(p, id int) *dataset.Acc {
	return &g.acc[p][id/accChunk][id%accChunk]
}

// finish renumbers the customers by first appearance and returns the
// accumulators in that order, with the histogram of the days. The
// partitions' tables and accumulators are dropped as they are copied out.
func (g *aggregator) finish() (*dataset.Accumulated, dataset.DayCounts, error) {
	g.parts.dropIndex()
	ids, order := g.parts.order()
	g.parts = nil
	out := dataset.NewAccumulated(ids, g.asOf)
	// where[p] lists the global positions of partition p's customers.
	where := make([][]int32, partCount)
	for p := range where {
		where[p] = make([]int32, g.customers(p))
	}
	for gi, code := range order {
		where[code>>localBits][code&localMax] = int32(gi)
	}
	order = nil
	// The partitions are copied out by two goroutines (customers of
	// different partitions have different global positions).
	const copiers = 2
	errs := make([]error, copiers)
	var wg sync.WaitGroup
	for w := range copiers {
		wg.Go(func() {
			for p := w; p < partCount; p += copiers {
				for id, gi := range where[p] {
					if err := out.Set(int(gi), g.at(p, id)); err != nil {
						errs[w] = err
						return
					}
				}
				where[p], g.acc[p], g.slot[p] = nil, nil, nil
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, dataset.DayCounts{}, err
	}
	hs := make([]dataset.DayCounts, 0, partCount+1)
	for p := range g.acc {
		out.Excluded += g.excluded[p]
		out.Latest = max(out.Latest, g.latest[p])
		hs = append(hs, g.days[p].Counts())
	}
	hs = append(hs, g.batchDays.Counts())
	return out, dataset.MergeDayCounts(hs...), nil
}
