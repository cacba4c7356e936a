package read

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"github.com/apache/arrow/go/v15/parquet/schema"

	"github.com/clvkit/clv/clv/dataset"
)

// The streaming read of a Parquet transaction file of the common shape — a
// string id, a DATE date and a DOUBLE amount, flat and without nulls —
// decodes row groups in parallel with the column chunk readers of the
// Parquet library, below its Arrow layer (which rebuilds the id
// dictionary for every batch), and adds the rows to the accumulators in
// file order:
//
//   - each worker decodes whole row groups (in pieces of at most
//     groupPieceRows rows) into a piece: the days, the amounts, and for
//     the ids a piece-local dictionary — each distinct id once, in order
//     of first appearance, with its hash — and one local index per row;
//   - the reading goroutine takes the pieces in file order, interns each
//     distinct id of a piece once (so customers are still numbered by
//     first appearance) and adds each row to its customer.
//
// A row group holding a null, an id that is empty once trimmed or a
// non-finite amount (or that the library cannot decode) is not added: the
// read goes on from that row group with the row-by-row path, which
// reports such rows exactly as Transactions does.

// groupPieceRows bounds the rows of a piece (a variable for tests), so
// that a file written with huge row groups still takes bounded memory:
// about 20 bytes a row, two pieces per worker in flight. A quarter of a
// DuckDB row group: clv summarize on 13.6 M rows (1 M-row row groups)
// peaked at 256-290 MB against 310-377 MB with whole row groups, in the
// same time (1.38-1.52 s against 1.41-1.51 s).
var groupPieceRows = 1 << 18

// groupSlotAhead is how many distinct ids ahead the reader prefetches the
// interning slot.
const groupSlotAhead = 16

// useRowGroups turns the row-group path on; tests turn it off to read a
// file through the Arrow layer alone, as the reference.
var useRowGroups = true

// groupRows counts the rows the row-group path added, for the tests that
// check it took the rows they expect.
var groupRows atomic.Int64

// pqGroupPlan is the leaf column of each of the id, date and amount.
type pqGroupPlan struct{ id, date, amount int }

// groupPlan returns the plan when the id, date and amount columns have
// the common shape.
func groupPlan(pf *file.Reader, fr *pqarrow.FileReader, cols []*pqColumn) (pqGroupPlan, bool) {
	if len(cols) != 3 {
		return pqGroupPlan{}, false
	}
	sc := pf.MetaData().Schema
	var leaves [3]int
	for i, c := range cols {
		if c == nil || c.field < 0 || c.field >= len(fr.Manifest.Fields) {
			return pqGroupPlan{}, false
		}
		f := &fr.Manifest.Fields[c.field]
		if !f.IsLeaf() || f.ColIndex < 0 || f.ColIndex >= sc.NumColumns() {
			return pqGroupPlan{}, false
		}
		col := sc.Column(f.ColIndex)
		if col.MaxRepetitionLevel() != 0 || col.MaxDefinitionLevel() > 1 {
			return pqGroupPlan{}, false
		}
		lt := col.LogicalType()
		ok := false
		switch i {
		case 0:
			switch lt.(type) {
			case schema.StringLogicalType, *schema.StringLogicalType, schema.NoLogicalType, *schema.NoLogicalType:
				ok = col.PhysicalType() == parquet.Types.ByteArray
			}
		case 1:
			switch lt.(type) {
			case schema.DateLogicalType, *schema.DateLogicalType:
				ok = col.PhysicalType() == parquet.Types.Int32
			}
		case 2:
			switch lt.(type) {
			case schema.NoLogicalType, *schema.NoLogicalType:
				ok = col.PhysicalType() == parquet.Types.Double
			}
		}
		if !ok {
			return pqGroupPlan{}, false
		}
		leaves[i] = f.ColIndex
	}
	return pqGroupPlan{id: leaves[0], date: leaves[1], amount: leaves[2]}, true
}

// pqPiece is up to groupPieceRows decoded rows of one row group.
type pqPiece struct {
	n     int
	local []uint32 // per row: index into the piece's distinct ids
	data  []byte   // the distinct ids (trimmed), end to end
	ends  []uint32 // end of each distinct id in data
	hash  []uint64 // maphash of each distinct id
	first []int32  // row (in the piece) where each distinct id first appears
	days  []int32
	amts  []float64
	bad   bool           // the row group needs the row-by-row path
	accs  []*dataset.Acc // the accumulator of each distinct id (set by the reader)
}

func (p *pqPiece) key(j int) []byte {
	start := uint32(0)
	if j > 0 {
		start = p.ends[j-1]
	}
	return p.data[start:p.ends[j]]
}

// pqGroupTask is one row group; its pieces arrive on out, in order, which
// is closed after the last (or a bad) piece.
type pqGroupTask struct {
	k   int
	out chan *pqPiece
}

// groupDecoder is one worker's reusable state.
type groupDecoder struct {
	pf    *file.Reader
	plan  pqGroupPlan
	hs    *idHasher
	remap []int32 // dictionary entry -> piece-local id, -1 before its first row
	index map[string]uint32
	free  *piecePool
}

// piecePool recycles the pieces the reader is done with.
type piecePool struct{ free chan *pqPiece }

func (f *piecePool) put(p *pqPiece) {
	select {
	case f.free <- p:
	default:
	}
}

// get returns an empty piece for m rows.
func (f *piecePool) get(m int) *pqPiece {
	var p *pqPiece
	select {
	case p = <-f.free:
	default:
		p = &pqPiece{}
	}
	*p = pqPiece{local: grow(p.local, m), days: grow(p.days, m), amts: grow(p.amts, m),
		data: p.data[:0], ends: p.ends[:0], hash: p.hash[:0], first: p.first[:0], accs: p.accs[:0], n: m}
	return p
}

// grow returns s resized to n, reusing its array when large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// readGroups adds the row groups of pf from the first, in order, until one
// needs the row-by-row path or the file ends: to the accumulators of a
// streaming read (s.agg), or to the columns of a materialising one. It returns the row groups
// added whole, the rows added in all, and of those the rows of the next
// row group (added before a later piece of it turned out to need the
// row-by-row path, which must then skip them).
func (s *txSink) readGroups(pf *file.Reader, plan pqGroupPlan, name string, progress func(rows int64)) (groups int, rows, partial int64, err error) {
	if err := s.flush(true); err != nil {
		return 0, 0, 0, err
	}
	total := pf.NumRowGroups()
	if total == 0 {
		return 0, 0, 0, nil
	}
	workers := min(max(runtime.GOMAXPROCS(0), 1), 4, total)
	tasks := make(chan pqGroupTask, workers)
	order := make(chan pqGroupTask, workers)
	free := &piecePool{free: make(chan *pqPiece, 2*workers+4)}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := &groupDecoder{pf: pf, plan: plan, hs: s.hs, free: free}
			for t := range tasks {
				d.decode(t, stop)
			}
		}()
	}
	// A task goes to the workers before it goes to the reader, so that
	// every task the reader waits on has a worker that closes its out.
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		defer close(tasks)
		for k := range total {
			t := pqGroupTask{k: k, out: make(chan *pqPiece, 1)}
			select {
			case tasks <- t:
			case <-stop:
				return
			}
			select {
			case order <- t:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for t := range order {
			for range t.out { //nolint:revive // drain: the workers stop at their next send
			}
		}
		wg.Wait()
	}()
	g := s.agg
	var codes []uint32
	// The rows of a piece go to their accumulators in a second goroutine
	// while this one interns the next piece's ids: the adder only touches
	// the accumulators (by pointer: they never move), the day histogram and
	// the partition-0 totals, this one only the id tables and new
	// accumulators.
	jobs := make(chan addJob, 1)
	added := make(chan struct{})
	if g != nil {
		go func() {
			defer close(added)
			for j := range jobs {
				g.addPiece(j.p, j.row0)
				free.put(j.p)
			}
		}()
		defer func() {
			close(jobs)
			<-added
		}()
	}
	for t := range order {
		partial = 0
		complete := false
		for p := range t.out {
			if p.bad {
				return groups, rows, partial, nil
			}
			if p.n == 0 {
				complete = true
				continue
			}
			// Each distinct id of the piece: interned (in order of first
			// appearance) and given its accumulator.
			p.accs, codes = p.accs[:0], codes[:0]
			row0 := int64(s.rows)
			if g == nil {
				row0 = int64(len(s.cust))
			}
			for j := range p.ends {
				if k := j + groupSlotAhead; k < len(p.hash) {
					// The home slot of a later id, so that its lookup does
					// not wait on memory (the tables outgrow the caches).
					if t := &s.parts.parts[partOf(p.hash[k])]; t.slots != nil {
						prefetch(unsafe.Pointer(&t.slots[p.hash[k]&t.mask]))
					}
				}
				h := p.hash[j]
				part := partOf(h)
				local, err := s.parts.parts[part].idOf(h, p.key(j), row0+int64(p.first[j]))
				if err != nil {
					return groups, rows, partial, &Error{File: name, Msg: err.Error()}
				}
				if g == nil || g.collect {
					codes = append(codes, uint32(part)<<localBits|local)
				} else {
					p.accs = append(p.accs, g.accOf(part, int(local)))
				}
			}
			n := p.n
			switch {
			case g == nil:
				// A materialising read (Transactions): the columns, with
				// partition codes that finish renumbers.
				for _, l := range p.local[:n] {
					s.cust = append(s.cust, int32(codes[l]))
				}
				for _, d := range p.days[:n] {
					s.day = append(s.day, dataset.Day(d))
				}
				s.amt = append(s.amt, p.amts[:n]...)
				free.put(p)
			case g.collect:
				// The second pass gathers the rows of the customers to refit.
				for r, l := range p.local[:n] {
					c := codes[l]
					g.add(int(c>>localBits), int(c&localMax), dataset.Day(p.days[r]), p.amts[r], row0+int64(r))
				}
				free.put(p)
			default:
				jobs <- addJob{p, row0} // p belongs to the adder now
			}
			s.rows += n
			s.stats.Rows += int64(n)
			s.stats.Accepted += int64(n)
			rows += int64(n)
			partial += int64(n)
			groupRows.Add(int64(n))
			if s.conv.progress != nil {
				s.conv.progress(s.stats.Rows)
			}
		}
		if !complete {
			// The worker stopped before the end of the row group.
			return groups, rows, partial, nil
		}
		groups++
		partial = 0
		if progress != nil {
			progress(rows)
		}
	}
	return groups, rows, 0, nil
}

// addJob is a piece whose ids have their accumulators (accs), to be added
// from row number row0 on.
type addJob struct {
	p    *pqPiece
	row0 int64
}

// addPiece adds the rows of piece p (first row number row0) to their
// accumulators, counting their days, the latest day, and the rows after
// asOf (left out).
func (g *aggregator) addPiece(p *pqPiece, row0 int64) {
	hist := &g.batchDays
	asOf, cut := g.asOf, g.asOf != dataset.NoDay
	latest := g.latest[0]
	excluded := int64(0)
	accs := p.accs
	for r, l := range p.local[:p.n] {
		d := dataset.Day(p.days[r])
		hist.Add(d, row0+int64(r))
		latest = max(latest, d)
		if cut && d > asOf {
			excluded++
			continue
		}
		accs[l].Add(d, p.amts[r])
	}
	g.latest[0] = latest
	g.excluded[0] += excluded
}

// decode decodes row group t.k into pieces sent on t.out (closed at the
// end), the last one empty (n = 0) to say the row group is complete; a row
// group that cannot take the fast path ends with a bad piece instead.
func (d *groupDecoder) decode(t pqGroupTask, stop <-chan struct{}) {
	defer close(t.out)
	send := func(p *pqPiece) bool {
		select {
		case t.out <- p:
			return true
		case <-stop:
			return false
		}
	}
	select {
	case <-stop:
		return
	default:
	}
	var cols [3]*pageColumn
	var n int64
	err := guard(func() error {
		rg := d.pf.RowGroup(t.k)
		n = rg.NumRows()
		sc := d.pf.MetaData().Schema
		for i, leaf := range [3]int{d.plan.id, d.plan.date, d.plan.amount} {
			pr, err := rg.GetColumnPageReader(leaf)
			if err != nil {
				return err
			}
			cols[i] = newPageColumn(pr, [3]pageKind{pageBytes, pageInt32, pageFloat64}[i], sc.Column(leaf).MaxDefinitionLevel())
		}
		return nil
	})
	if err != nil || n < 0 {
		send(&pqPiece{bad: true})
		return
	}
	for done := int64(0); done < n; {
		m := int(min(n-done, int64(groupPieceRows)))
		p := d.free.get(m)
		if err := guard(func() error { return d.piece(p, cols) }); err != nil {
			p.bad = true
		}
		bad := p.bad // p belongs to the reader once sent
		if !send(p) || bad {
			return
		}
		done += int64(m)
	}
	// Values beyond the rows the footer declares: the row-by-row path
	// reports the corrupt file.
	end := true
	if err := guard(func() error {
		for _, c := range cols {
			ok, err := c.end()
			if err != nil {
				return err
			}
			end = end && ok
		}
		return nil
	}); err != nil || !end {
		send(&pqPiece{bad: true})
		return
	}
	send(&pqPiece{})
}

// piece decodes the next p.n rows of the row group's columns (id, date,
// amount) into p, setting p.bad when a row needs the row-by-row path.
func (d *groupDecoder) piece(p *pqPiece, cols [3]*pageColumn) error {
	if err := cols[1].int32s(p.days); err != nil {
		return err
	}
	if err := cols[2].float64s(p.amts); err != nil {
		return err
	}
	for _, a := range p.amts {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			p.bad = true
			return nil
		}
	}
	ids := cols[0]
	resetRemap := func() {
		d.remap = slices.Grow(d.remap[:0], len(ids.dictEnds))[:len(ids.dictEnds)]
		for k := range d.remap {
			d.remap[k] = -1
		}
	}
	resetRemap()
	if d.index == nil {
		d.index = make(map[string]uint32)
	}
	clear(d.index)
	// add gives the id v of row r a new piece-local id. Equal ids under two
	// local ids (a dictionary holding " A" and "A") are harmless: both are
	// interned to the same customer.
	add := func(r int, v []byte) (uint32, error) {
		key := trimSpace(v)
		if len(key) == 0 || len(p.data)+len(key) > math.MaxInt32 {
			return 0, errSlowPath
		}
		l := uint32(len(p.ends))
		p.data = append(p.data, key...)
		p.ends = append(p.ends, uint32(len(p.data)))
		p.hash = append(p.hash, d.hs.sum(key))
		p.first = append(p.first, int32(r))
		return l, nil
	}
	// plain returns the piece-local id of a PLAIN-encoded id (a writer's
	// fallback when the dictionary grows too large), found by its bytes.
	plain := func(r int, v []byte) (uint32, error) {
		if l, ok := d.index[string(trimSpace(v))]; ok {
			return l, nil
		}
		l, err := add(r, v)
		if err == nil {
			d.index[string(p.key(int(l)))] = l
		}
		return l, err
	}
	return ids.byteArrays(p.local, resetRemap, func(start int, idx []uint32) error {
		remap := d.remap
		for j, k := range idx {
			l := remap[k]
			if l < 0 {
				v, err := add(start+j, ids.dictKey(k))
				if err != nil {
					return err
				}
				l = int32(v)
				remap[k] = l
			}
			idx[j] = uint32(l)
		}
		return nil
	}, plain)
}
