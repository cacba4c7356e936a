package read

import (
	"bytes"
	"runtime"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/clvkit/clv/clv/dataset"
)

// txBlock is a parsed block of transaction rows: the accepted rows in file
// order and grouped by partition, and the bad rows with their errors.
type txBlock struct {
	seq  int
	size int // bytes of text parsed
	rows []blockRow
	ids  []byte // the bytes of the keys longer than keyInline
	bad  []badRow
	// The accepted rows grouped by partition (a counting sort on the top
	// bits of the hash; rows of partition p are grouped[pStart[p]:pStart[p+1]],
	// in file order), so that interning a partition reads its rows
	// sequentially, one stream of rows per partition.
	grouped []blockRow
	pStart  [partCount + 1]int32
}

// blockRow is an accepted row of a block: its customer's key (a long key's
// offset is into the block's ids) and hash, its day and amount, and its
// row number in the block.
type blockRow struct {
	key  keyEntry
	hash uint64
	amt  float64
	day  dataset.Day
	row  uint32
}

// add appends a row with customer id (hashed by hs).
func (b *txBlock) add(hs *idHasher, id []byte, day dataset.Day, amt float64) {
	h, e := hs.entry(id, len(b.ids))
	if !e.short() {
		b.ids = append(b.ids, id...)
	}
	b.rows = append(b.rows, blockRow{key: e, hash: h, amt: amt, day: day, row: uint32(len(b.rows))})
}

// long returns the bytes of the key of r when it is long (nil otherwise).
func (b *txBlock) long(r *blockRow) []byte {
	if r.key.short() {
		return nil
	}
	off, n := r.key.longAt()
	return b.ids[off : off+n]
}

// reserve makes room for rows rows (the expected count) so that the rows
// do not grow by doubling on first use.
func (b *txBlock) reserve(rows int) {
	if cap(b.rows) < rows {
		b.rows = make([]blockRow, 0, rows)
	}
}

// group lays the rows out by partition with a counting sort.
func (b *txBlock) group() {
	n := len(b.rows)
	var count [partCount]int32
	for i := range b.rows {
		count[partOf(b.rows[i].hash)]++
	}
	var fill [partCount]int32
	b.pStart[0] = 0
	for p := 0; p < partCount; p++ {
		b.pStart[p+1] = b.pStart[p] + count[p]
		fill[p] = b.pStart[p]
	}
	b.grouped = slices.Grow(b.grouped[:0], n)[:n]
	for i := range b.rows {
		r := &b.rows[i]
		p := partOf(r.hash)
		b.grouped[fill[p]] = *r
		fill[p]++
	}
}

type badRow struct {
	err *Error
	raw []byte
}

func (b *txBlock) reset(seq int) {
	b.seq = seq
	b.rows, b.ids, b.bad = b.rows[:0], b.ids[:0], b.bad[:0]
}

// txParser parses blocks of transaction rows; one per worker.
type txParser struct {
	file       string
	width      int
	ci, di, ai int // field positions of customer, date, amount
	hs         *idHasher
	dates      dateParser
	conv       *converter // builds the error of a bad row
	cells      []cell
	utf8       bool
	tk         tokenizer
	rec        record
	lastDate   [16]byte // text of the last date parsed with the automatic formats (2024年12月31日 is 16 bytes)
	lastLen    int      // its length; 0 = none
	lastDay    dataset.Day
	maxLine    int     // Options.MaxLineBytes in effect
	lineBytes  float64 // bytes per record of the last block parsed (0: none yet)
	scratch    []blockRow
}

// parse fills out from bl. The rows in file order are written to the
// parser's scratch (lent to out while it parses) and only the grouped rows
// stay with out: the blocks waiting to be interned hold one copy of their
// rows, not two.
func (p *txParser) parse(bl *block, out *txBlock) {
	out.reset(bl.seq)
	out.rows = p.scratch[:0]
	defer func() { p.scratch, out.rows = out.rows[:0], nil }()
	out.size = len(bl.buf)
	if p.lineBytes == 0 {
		p.lineBytes = float64(len(bl.buf)) / float64(bytes.Count(bl.buf, []byte{'\n'})+1)
	}
	// Room for the rows expected at the last block's bytes per row (the
	// rows grow as needed beyond).
	out.reserve(int(float64(len(bl.buf))/p.lineBytes*1.05) + 16)
	p.tk.reset(bl.buf, bl.line)
	valid := !p.utf8 || utf8.Valid(bl.buf)
	r := &p.rec
	auto := p.dates.layout == ""
	for p.tk.next(r) {
		if r.err != nil || len(r.fields) != p.width || !valid || len(r.raw) > p.maxLine {
			if e := checkRecord(p.file, r, p.width, valid, p.maxLine); e != nil {
				out.bad = append(out.bad, badRow{err: e, raw: append([]byte(nil), r.raw...)})
				continue
			}
		}
		id := trimSpace(r.fields[p.ci])
		var day dataset.Day
		var st dateStatus
		if auto {
			// Exports repeat dates row after row (billing runs, date-ordered
			// files): reuse the previous row's parse when the text is equal.
			db := trimSpace(r.fields[p.di])
			if p.lastLen > 0 && len(db) == p.lastLen && string(db) == string(p.lastDate[:p.lastLen]) {
				day, st = p.lastDay, dateOK
			} else {
				day, st = parseAutoDate(db)
				if st == dateOK && len(db) <= len(p.lastDate) {
					p.lastLen = copy(p.lastDate[:], db)
					p.lastDay = day
				}
			}
		} else {
			day, st = p.dates.parse(r.fields[p.di])
		}
		amt, ok := parseAmount(r.fields[p.ai])
		if len(id) == 0 || st != dateOK || !ok {
			p.cells[0] = cell{text: r.fields[p.ci]}
			p.cells[1] = cell{text: r.fields[p.di]}
			p.cells[2] = cell{text: r.fields[p.ai]}
			if e := p.conv.convert(r.line, p.cells); e != nil {
				out.bad = append(out.bad, badRow{err: e, raw: append([]byte(nil), r.raw...)})
				continue
			}
			// convert accepted what the fast path did not (cannot happen,
			// but the converter is the reference).
			id, day, amt = trimSpace(r.fields[p.ci]), p.conv.days[1], p.conv.nums[2]
		}
		if len(id) <= keyInline {
			// The hot path of txBlock.add, inline.
			e := shortEntry(id)
			out.rows = append(out.rows, blockRow{key: e, hash: p.hs.words(e), amt: amt, day: day, row: uint32(len(out.rows))})
		} else {
			out.add(p.hs, id, day, amt)
		}
	}
	if n := len(out.rows) + len(out.bad); n > 0 {
		p.lineBytes = float64(len(bl.buf)) / float64(n)
	}
	out.group()
}

// batchBlocks is the number of blocks interned together.
const batchBlocks = 8

// streamBatchBlocks is batchBlocks for a streaming read (blocks of a
// quarter of the size). A lane takes a partition's rows of the whole batch
// at once: the more rows, the more of them fall on table and accumulator
// pages already in the TLB and lines already in cache. On 4 M customers
// (BenchmarkAggregatorLane) a lane takes 85-105 ns per row with 32 blocks
// of 2^15 rows against 115-130 ns with 8, for about 70 MB more of parsed
// blocks in flight.
const streamBatchBlocks = 32

// readTransactionsText reads a text transaction table with parallel parsing
// and in-order interning. With agg set, rows go to its per-customer
// accumulators instead of columns (the result is then nil).
func readTransactionsText(name string, opt *Options, stats *Stats, agg *aggregator) (*dataset.Transactions, error) {
	t, err := openTable(name, opt)
	if err != nil {
		return nil, err
	}
	spec := transactionSpec()
	cols, err := resolveColumns(t.file, t.header, spec, opt, stats)
	if err != nil {
		t.in.Close()
		return nil, err
	}
	rej := newRejecter(opt, stats)
	hs := newIDHasher()
	parts := new(partitioned)
	if agg != nil {
		hs, parts = agg.hs, agg.parts
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	newParser := func() *txParser {
		conv := newConverter(spec, opt)
		conv.begin(t.file, cols)
		return &txParser{file: t.file, width: len(t.header), ci: cols.index[0], di: cols.index[1], ai: cols.index[2],
			hs: hs, dates: dateParser{layout: opt.DateFormat}, conv: conv, cells: make([]cell, 3),
			utf8: t.in.utf8, tk: tokenizer{delim: t.delim}, maxLine: opt.maxLine()}
	}

	done := make(chan struct{})
	work := make(chan *block, workers)
	results := make(chan *txBlock, workers)
	perBatch := batchBlocks
	if agg != nil {
		perBatch = streamBatchBlocks
	}
	free := make(chan *txBlock, 2*workers+2+perBatch)
	for i := 0; i < cap(free); i++ {
		free <- &txBlock{}
	}
	var readErr error
	var wg sync.WaitGroup
	// Reader: cut the stream into blocks.
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(work)
		for {
			bl, err := t.blocks.next()
			if err != nil {
				readErr = readError(t.file, err)
				return
			}
			if bl == nil {
				return
			}
			select {
			case work <- bl:
			case <-done:
				return
			}
		}
	}()
	// Workers: parse blocks.
	var pwg sync.WaitGroup
	for w := 0; w < workers; w++ {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			p := newParser()
			for {
				// Take an output buffer before a block, so the worker with
				// the oldest block always has one (no deadlock on the pool).
				var out *txBlock
				select {
				case out = <-free:
				case <-done:
					return
				}
				var bl *block
				select {
				case b, ok := <-work:
					if !ok {
						return
					}
					bl = b
				case <-done:
					return
				}
				p.parse(bl, out)
				t.blocks.release(bl)
				select {
				case results <- out:
				case <-done:
					return
				}
			}
		}()
	}
	go func() {
		pwg.Wait()
		close(results)
	}()

	// Consumer: intern in file order.
	var cust []int32
	var days []dataset.Day
	var amts []float64
	pending := map[int]*txBlock{}
	nextSeq := 0
	var fail error
	// Interning runs over batches of blocks, a partition at a time, so that
	// each partition's table is loaded into cache once per batch.
	var batch []*txBlock
	var batchBase []int
	var rows int // rows consumed (the row number of the next block's first row)
	internBatch := func() error {
		if err := parts.intern(batch, batchBase, cust, workers, agg); err != nil {
			return &Error{File: t.file, Msg: err.Error()}
		}
		for _, b := range batch {
			free <- b
		}
		batch, batchBase = batch[:0], batchBase[:0]
		return nil
	}
	consume := func(b *txBlock) error {
		for i := range b.bad {
			if err := rej.bad(b.bad[i].err, b.bad[i].raw); err != nil {
				return err
			}
		}
		n := len(b.grouped)
		stats.Rows += int64(n)
		stats.Accepted += int64(n)
		if opt.RowProgress != nil {
			opt.RowProgress(stats.Rows)
		}
		if agg != nil {
			batch = append(batch, b)
			batchBase = append(batchBase, rows)
			rows += n
			if len(batch) == perBatch {
				return internBatch()
			}
			return nil
		}
		if cust == nil && t.in.size > 0 && n > 0 {
			// Size the columns from the first block's density.
			est := int(float64(t.in.size)/float64(max(b.size, 1))*float64(n)*1.05) + 1024
			cust = make([]int32, 0, est)
			days = make([]dataset.Day, 0, est)
			amts = make([]float64, 0, est)
		}
		base := len(cust)
		cust = slices.Grow(cust, n)[:base+n]
		days = slices.Grow(days, n)[:base+n]
		amts = slices.Grow(amts, n)[:base+n]
		for i := range b.grouped {
			r := &b.grouped[i]
			days[base+int(r.row)], amts[base+int(r.row)] = r.day, r.amt
		}
		batch = append(batch, b)
		batchBase = append(batchBase, base)
		if len(batch) == batchBlocks {
			return internBatch()
		}
		return nil
	}
	for b := range results {
		if fail != nil {
			continue
		}
		pending[b.seq] = b
		for {
			nb, ok := pending[nextSeq]
			if !ok {
				break
			}
			delete(pending, nextSeq)
			nextSeq++
			if err := consume(nb); err != nil {
				fail = err
				close(done)
				break
			}
		}
	}
	if fail == nil && len(batch) > 0 {
		fail = internBatch()
	}
	if fail != nil {
		// The reader may be blocked on a slow input (a pipe): do not wait
		// for it; it stops at its next block and then closes the input.
		go func() {
			wg.Wait()
			t.in.Close()
		}()
		rej.flush() //nolint:errcheck // the read error is the one to report
		return nil, fail
	}
	wg.Wait()
	t.in.Close()
	fail = readErr
	if ferr := rej.flush(); fail == nil {
		fail = ferr
	}
	if fail != nil {
		return nil, fail
	}
	if agg != nil {
		return nil, nil
	}
	ids := parts.finish(cust)
	return &dataset.Transactions{IDs: ids, Customer: cust, Day: days, Amount: amts}, nil
}
