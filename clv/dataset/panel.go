package dataset

import "fmt"

// PanelOptions controls BuildPanel.
type PanelOptions struct {
	Period Period
	// AsOf is the last day of the window, inclusive (NoDay = latest transaction
	// day). The last column is the period containing AsOf, which may be partial.
	AsOf Day
	// From is the first day of the window (NoDay = earliest transaction day);
	// the first column is the period containing it.
	From Day
}

// Panel is a customer × period matrix of spend and transaction counts. Row c
// is customer c of the transactions (index into Transactions.IDs); column p is
// calendar period First+p.
type Panel struct {
	Period    Period
	First     int // period index (see Period.Index) of column 0
	Periods   int // number of columns
	Customers int // number of rows
	AsOf      Day
	Spend     []float64 // Spend[c*Periods+p]
	Count     []int32   // Count[c*Periods+p]: transaction rows
}

// Row returns the spend of customer c per period.
func (p *Panel) Row(c int) []float64 { return p.Spend[c*p.Periods : (c+1)*p.Periods] }

// Counts returns the transaction counts of customer c per period.
func (p *Panel) Counts(c int) []int32 { return p.Count[c*p.Periods : (c+1)*p.Periods] }

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

// maxPanelCells bounds the panel size (about 1.5 GB of spend and counts).
const maxPanelCells = 128 << 20

// BuildPanel aggregates t into a customer × period panel in one pass.
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
	if int64(np)*int64(nc) > maxPanelCells {
		return nil, fmt.Errorf("panel: %d customers × %d %ss is too large; use a longer --period or a shorter window", nc, np, pr)
	}
	p := &Panel{Period: pr, First: first, Periods: np, Customers: nc, AsOf: to,
		Spend: make([]float64, nc*np), Count: make([]int32, nc*np)}
	// Period index of each day, cached over the window (dates repeat a lot).
	idx := make([]int32, int(to-from)+1)
	for d := from; d <= to; d++ {
		idx[d-from] = int32(pr.Index(d) - first)
	}
	for i, c := range t.Customer {
		d := t.Day[i]
		if d < from || d > to {
			continue
		}
		k := int(c)*np + int(idx[d-from])
		p.Spend[k] += t.Amount[i]
		p.Count[k]++
	}
	return p, nil
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
