package dataset

import (
	"errors"
	"fmt"
	"math/bits"
	"runtime"
	"sync"
)

// PanelOptions controls BuildPanel.
type PanelOptions struct {
	Period Period
	// AsOf is the last day of the window, inclusive (NoDay = latest transaction
	// day). The last column is the period containing AsOf, which may be partial.
	AsOf Day
	// From is the first day of the window (NoDay = earliest transaction day);
	// the first column is the period containing it.
	From Day
	// MaxBytes, when above 0, is the memory the panel may take (the caller
	// knows the machine; see PanelBytes). A larger panel is refused with
	// ErrTooLarge before it is allocated.
	MaxBytes int64
}

// ErrTooLarge reports a step whose memory estimate exceeds the memory
// available to it.
var ErrTooLarge = errors.New("not enough memory")

// MaxPanelPeriods bounds the columns of a panel (column numbers are uint16).
const MaxPanelPeriods = 1 << 16

// Panel is a customer × period matrix of spend and transaction counts. Row c
// is customer c of the transactions (index into Transactions.IDs); column p is
// calendar period First+p.
//
// It is stored sparse by active periods: a row keeps only the periods with at
// least one transaction row, in column order (cells Start[c] to Start[c+1]−1
// of Col, Spend and Count). A subscriber base active a third of the window on
// average takes a third of the dense matrix. Row and Counts expand one row.
type Panel struct {
	Period    Period
	First     int // period index (see Period.Index) of column 0
	Periods   int // number of columns
	Customers int // number of rows
	AsOf      Day
	Start     []int64   // len Customers+1
	Col       []uint16  // column of each stored cell
	Spend     []float64 // spend of each stored cell
	Count     []int32   // transaction rows of each stored cell
}

// PanelCellBytes is the memory of one stored cell (column, spend, count).
const PanelCellBytes = 2 + 8 + 4

// PanelBytes estimates the memory of a panel of customers rows and cells
// stored cells.
func PanelBytes(customers int, cells int64) int64 {
	return int64(customers+1)*8 + cells*PanelCellBytes
}

// Row writes the spend of customer c per period into buf (grown to Periods
// when shorter) and returns it.
func (p *Panel) Row(c int, buf []float64) []float64 { return panelRow(p, c, buf, p.Spend) }

// Counts writes the transaction counts of customer c per period into buf
// (grown to Periods when shorter) and returns it.
func (p *Panel) Counts(c int, buf []int32) []int32 { return panelRow(p, c, buf, p.Count) }

// panelRow spreads customer c's stored cells of vals (Spend or Count) over
// the periods, zero elsewhere, in buf.
func panelRow[T float64 | int32](p *Panel, c int, buf, vals []T) []T {
	if cap(buf) < p.Periods {
		buf = make([]T, p.Periods)
	}
	buf = buf[:p.Periods]
	clear(buf)
	for k := p.Start[c]; k < p.Start[c+1]; k++ {
		buf[p.Col[k]] = vals[k]
	}
	return buf
}

// Cells returns the stored cells of customer c: their columns (ascending),
// spend and counts. The slices alias the panel.
func (p *Panel) Cells(c int) (cols []uint16, spend []float64, count []int32) {
	a, b := p.Start[c], p.Start[c+1]
	return p.Col[a:b], p.Spend[a:b], p.Count[a:b]
}

// Cell returns the storage index of customer c's cell in column j, or −1
// when the customer has no transaction row in that period.
func (p *Panel) Cell(c, j int) int64 {
	lo, hi := p.Start[c], p.Start[c+1]
	for lo < hi {
		m := lo + (hi-lo)/2
		switch {
		case int(p.Col[m]) == j:
			return m
		case int(p.Col[m]) < j:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

// Stored returns the number of stored cells.
func (p *Panel) Stored() int64 { return int64(len(p.Col)) }

// Label returns the label of column j ("2024-03", "2024-Q1", "2024").
func (p *Panel) Label(j int) string { return p.Period.Label(p.First + j) }

// Column returns the column of day d, or -1 when d is outside the panel.
func (p *Panel) Column(d Day) int {
	j := p.Period.Index(d) - p.First
	if j < 0 || j >= p.Periods {
		return -1
	}
	return j
}

// DensePanel builds a panel from a dense matrix: spend[c*periods+j] and
// count[c*periods+j] (count nil = 1 per non-zero spend); a cell is stored
// when its count or spend is not zero.
func DensePanel(pr Period, first, periods, customers int, asOf Day, spend []float64, count []int32) *Panel {
	p := &Panel{Period: pr, First: first, Periods: periods, Customers: customers, AsOf: asOf, Start: make([]int64, customers+1)}
	for c := range customers {
		for j := range periods {
			k := c*periods + j
			n := int32(0)
			if count != nil {
				n = count[k]
			} else if spend[k] != 0 {
				n = 1
			}
			if n == 0 && spend[k] == 0 {
				continue
			}
			p.Col = append(p.Col, uint16(j))
			p.Spend = append(p.Spend, spend[k])
			p.Count = append(p.Count, n)
		}
		p.Start[c+1] = int64(len(p.Col))
	}
	return p
}

// BuildPanel aggregates t into a customer × period panel: a pass over the
// transactions marks each customer's active periods (one bit per period),
// the exact size is then known and checked against opt.MaxBytes, and a
// second pass adds the amounts into the cells.
func BuildPanel(t *Transactions, opt PanelOptions) (*Panel, error) {
	from, to := t.DayRange()
	if opt.AsOf != NoDay {
		to = opt.AsOf
	}
	if opt.From != NoDay {
		from = opt.From
	}
	if from == NoDay || to == NoDay {
		return nil, ErrEmpty
	}
	if from > to {
		return nil, fmt.Errorf("panel: window starts %s after it ends %s", from, to)
	}
	pr := opt.Period
	first, last := pr.Index(from), pr.Index(to)
	np := last - first + 1
	nc := len(t.IDs)
	if np > MaxPanelPeriods {
		return nil, fmt.Errorf("panel: %d %ss from %s to %s: at most %d columns; use a longer --period or a shorter window", np, pr, from, to, MaxPanelPeriods)
	}
	words := (np + 63) / 64
	maskBytes := int64(nc) * int64(words) * 8
	if opt.MaxBytes > 0 && maskBytes > opt.MaxBytes {
		return nil, panelTooLarge(nc, np, pr, maskBytes, -1, opt.MaxBytes)
	}
	// Period index of each day, cached over the window (dates repeat a lot).
	idx := make([]int32, int(to-from)+1)
	for d := from; d <= to; d++ {
		idx[d-from] = int32(pr.Index(d) - first)
	}
	mask := make([]uint64, nc*words)
	// Both passes run on panelWorkers goroutines, each owning a range of
	// customers (it reads every row and skips the others' customers): no
	// two goroutines write the same word or cell, and each cell's amounts
	// are added in row order, as by one goroutine.
	parallel(nc, func(lo, hi int32) {
		for i, c := range t.Customer {
			d := t.Day[i]
			if c < lo || c >= hi || d < from || d > to {
				continue
			}
			j := idx[d-from]
			mask[int(c)*words+int(j>>6)] |= 1 << (j & 63)
		}
	})
	p := &Panel{Period: pr, First: first, Periods: np, Customers: nc, AsOf: to, Start: make([]int64, nc+1)}
	var cells int64
	for c := range nc {
		for _, w := range mask[c*words : (c+1)*words] {
			cells += int64(bits.OnesCount64(w))
		}
		p.Start[c+1] = cells
	}
	if need := PanelBytes(nc, cells) + maskBytes; opt.MaxBytes > 0 && need > opt.MaxBytes {
		return nil, panelTooLarge(nc, np, pr, need, cells, opt.MaxBytes)
	}
	p.Col = make([]uint16, cells)
	p.Spend = make([]float64, cells)
	p.Count = make([]int32, cells)
	for c := range nc {
		k := p.Start[c]
		for wi, w := range mask[c*words : (c+1)*words] {
			for w != 0 {
				b := bits.TrailingZeros64(w)
				p.Col[k] = uint16(wi*64 + b)
				k++
				w &= w - 1
			}
		}
	}
	// The cell of (c, j) is Start[c] + the active periods of c before j.
	parallel(nc, func(lo, hi int32) {
		for i, c := range t.Customer {
			d := t.Day[i]
			if c < lo || c >= hi || d < from || d > to {
				continue
			}
			j := int(idx[d-from])
			var k int64
			if words == 1 {
				k = p.Start[c] + int64(bits.OnesCount64(mask[c]&(1<<j-1)))
			} else {
				row := mask[int(c)*words : int(c)*words+words]
				k = p.Start[c] + int64(bits.OnesCount64(row[j>>6]&(1<<(j&63)-1)))
				for _, w := range row[:j>>6] {
					k += int64(bits.OnesCount64(w))
				}
			}
			p.Spend[k] += t.Amount[i]
			p.Count[k]++
		}
	})
	return p, nil
}

// panelWorkers bounds the goroutines of BuildPanel; each gets at least
// panelMinCustomers customers (a variable for the tests).
const panelWorkers = 8

var panelMinCustomers = 100000

// parallel calls f on up to min(GOMAXPROCS, panelWorkers) disjoint
// customer ranges [lo, hi) covering 0 … n−1, concurrently, and waits.
func parallel(n int, f func(lo, hi int32)) {
	w := max(1, min(runtime.GOMAXPROCS(0), panelWorkers, n/panelMinCustomers))
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := int32(k*n/w), int32((k+1)*n/w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// panelTooLarge is the error of a panel over the memory limit: what it
// needs and how to get around it.
func panelTooLarge(nc, np int, pr Period, need, cells, limit int64) error {
	what := fmt.Sprintf("%d customers × %d %ss", nc, np, pr)
	if cells >= 0 {
		what += fmt.Sprintf(" (%d active customer-periods)", cells)
	}
	return fmt.Errorf("panel: %s needs %s, %s available (free memory, or --max-memory): %w; use a longer --period (quarter or year), a shorter window (--as-of, or fewer months in the input), or aggregate in the database first (examples/sql/panel*.sql writes the customer × period spend that clv markov and clv value migration read with --panel FILE; examples/sql/summary*.sql the per-customer summary that clv fit, predict and rfm read with --summary FILE)",
		what, FormatBytes(need), FormatBytes(limit), ErrTooLarge)
}

// FormatBytes writes a byte count as "1.4 GB", "350 MB" or "12 kB" (powers of 1000).
func FormatBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.0f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.0f kB", float64(n)/1e3)
	}
}

// Join makes every subscriber a customer of t: subscriber ids that have no
// transaction are appended to t.IDs (existing indices do not change). It
// returns, for every customer index of t, its subscriber row, or -1 for a
// customer who is not in the subscriber export. It fails on a subscriber id
// that appears twice.
func Join(t *Transactions, s *Subscribers) ([]int32, error) {
	index := make(map[string]int32, len(t.IDs)+s.Len())
	for i, id := range t.IDs {
		index[id] = int32(i)
	}
	subOf := make([]int32, len(t.IDs), len(t.IDs)+s.Len())
	for i := range subOf {
		subOf[i] = -1
	}
	for r, id := range s.ID {
		c, ok := index[id]
		if !ok {
			c = int32(len(t.IDs))
			t.IDs = append(t.IDs, id)
			index[id] = c
			subOf = append(subOf, int32(r))
			continue
		}
		if subOf[c] >= 0 {
			return nil, fmt.Errorf("subscriber %q appears twice in the subscriber export (rows %d and %d)", id, subOf[c]+1, r+1)
		}
		subOf[c] = int32(r)
	}
	return subOf, nil
}
