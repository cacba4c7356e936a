package read

import (
	"bytes"
	"hash/maphash"
	"runtime"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/clvkit/clv/clv/dataset"
)

// txBlock is a parsed block of transaction rows: the accepted rows as
// columns (ids copied into one arena, with their hashes) and the bad rows
// with their errors, both in file order.
type txBlock struct {
	seq   int
	size  int // bytes of text parsed
	hash  []uint64
	idEnd []uint32
	ids   []byte
	day   []dataset.Day
	amt   []float64
	bad   []badRow
	// The accepted rows' ids grouped by partition (rows of partition p are
	// pStart[p]:pStart[p+1], in file order): hash, block row, and key bytes
	// (pIDs[pEnd[j-1]:pEnd[j]]), laid out so that interning a partition
	// reads them sequentially.
	pHash  []uint64
	pRow   []uint32
	pEnd   []uint32
	pIDs   []byte
	pStart [partCount + 1]int32
	// With values set (a streaming read), group also lays the rows' days
	// and amounts out by partition, so that aggregating a partition reads
	// them sequentially instead of one cache line per row.
	values bool
	pDay   []dataset.Day
	pAmt   []float64
}

// reserve makes room for up to rows rows (the line count of the block, an
// upper bound) so the columns do not grow by doubling on first use.
func (b *txBlock) reserve(rows, size int) {
	if cap(b.day) >= rows {
		return
	}
	b.hash = make([]uint64, 0, rows)
	b.idEnd = make([]uint32, 0, rows)
	b.day = make([]dataset.Day, 0, rows)
	b.amt = make([]float64, 0, rows)
	b.ids = make([]byte, 0, size/3)
}

// group lays the ids out by partition with a counting sort.
func (b *txBlock) group() {
	n := len(b.hash)
	var count [partCount]int32
	var bytesIn [partCount]uint32
	start := uint32(0)
	for i, h := range b.hash {
		p := partOf(h)
		count[p]++
		bytesIn[p] += b.idEnd[i] - start
		start = b.idEnd[i]
	}
	var fill [partCount]int32
	var bfill [partCount]uint32
	b.pStart[0] = 0
	off := uint32(0)
	for p := 0; p < partCount; p++ {
		b.pStart[p+1] = b.pStart[p] + count[p]
		fill[p] = b.pStart[p]
		bfill[p] = off
		off += bytesIn[p]
	}
	b.pHash = slices.Grow(b.pHash[:0], n)[:n]
	b.pRow = slices.Grow(b.pRow[:0], n)[:n]
	b.pEnd = slices.Grow(b.pEnd[:0], n)[:n]
	b.pIDs = slices.Grow(b.pIDs[:0], len(b.ids))[:len(b.ids)]
	if b.values {
		b.pDay = slices.Grow(b.pDay[:0], n)[:n]
		b.pAmt = slices.Grow(b.pAmt[:0], n)[:n]
	}
	start = 0
	for i, h := range b.hash {
		p := partOf(h)
		j := fill[p]
		fill[p]++
		key := b.ids[start:b.idEnd[i]]
		start = b.idEnd[i]
		b.pHash[j] = h
		b.pRow[j] = uint32(i)
		if b.values {
			b.pDay[j], b.pAmt[j] = b.day[i], b.amt[i]
		}
		bfill[p] += uint32(copy(b.pIDs[bfill[p]:], key))
		b.pEnd[j] = bfill[p]
	}
}

type badRow struct {
	err *Error
	raw []byte
}

func (b *txBlock) reset(seq int) {
	b.seq = seq
	b.hash, b.idEnd, b.ids = b.hash[:0], b.idEnd[:0], b.ids[:0]
	b.day, b.amt, b.bad = b.day[:0], b.amt[:0], b.bad[:0]
}

// txParser parses blocks of transaction rows; one per worker.
type txParser struct {
	file       string
	width      int
	ci, di, ai int // field positions of customer, date, amount
	seed       maphash.Seed
	dates      dateParser
	conv       *converter // builds the error of a bad row
	cells      []cell
	utf8       bool
	tk         tokenizer
	rec        record
	lastDate   [16]byte // text of the last date parsed with the automatic formats (2024年12月31日 is 16 bytes)
	lastLen    int      // its length; 0 = none
	lastDay    dataset.Day
	maxLine    int // Options.MaxLineBytes in effect
}

// parse fills out from bl.
func (p *txParser) parse(bl *block, out *txBlock) {
	out.reset(bl.seq)
	out.size = len(bl.buf)
	out.reserve(bytes.Count(bl.buf, []byte{'\n'})+1, len(bl.buf))
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
		out.hash = append(out.hash, maphash.Bytes(p.seed, id))
		out.ids = append(out.ids, id...)
		out.idEnd = append(out.idEnd, uint32(len(out.ids)))
		out.day = append(out.day, day)
		out.amt = append(out.amt, amt)
	}
	out.group()
}

// batchBlocks is the number of blocks interned together.
const batchBlocks = 8

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
	seed := maphash.MakeSeed()
	parts := new(partitioned)
	if agg != nil {
		seed, parts = agg.seed, agg.parts
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	newParser := func() *txParser {
		conv := newConverter(spec, opt)
		conv.begin(t.file, cols)
		return &txParser{file: t.file, width: len(t.header), ci: cols.index[0], di: cols.index[1], ai: cols.index[2],
			seed: seed, dates: dateParser{layout: opt.DateFormat}, conv: conv, cells: make([]cell, 3),
			utf8: t.in.utf8, tk: tokenizer{delim: t.delim}, maxLine: opt.maxLine()}
	}

	done := make(chan struct{})
	work := make(chan *block, workers)
	results := make(chan *txBlock, workers)
	free := make(chan *txBlock, 2*workers+2+batchBlocks)
	for i := 0; i < cap(free); i++ {
		free <- &txBlock{values: agg != nil}
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
		n := len(b.day)
		stats.Rows += int64(n)
		stats.Accepted += int64(n)
		if opt.RowProgress != nil {
			opt.RowProgress(stats.Rows)
		}
		if agg != nil {
			batch = append(batch, b)
			batchBase = append(batchBase, rows)
			rows += n
			if len(batch) == batchBlocks {
				return internBatch()
			}
			return nil
		}
		if cust == nil && t.in.size > 0 && len(b.ids) > 0 {
			// Size the columns from the first block's density.
			est := int(float64(t.in.size)/float64(max(b.size, 1))*float64(n)*1.05) + 1024
			cust = make([]int32, 0, est)
			days = make([]dataset.Day, 0, est)
			amts = make([]float64, 0, est)
		}
		base := len(cust)
		cust = slices.Grow(cust, n)[:base+n]
		days = append(days, b.day...)
		amts = append(amts, b.amt...)
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
