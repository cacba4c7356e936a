package dataset

import (
	"errors"
	"fmt"
)

// SummaryOptions controls Summarize.
type SummaryOptions struct {
	// AsOf is the last day of the observation window, inclusive. NoDay means
	// the latest transaction day. Rows after AsOf are left out and counted in
	// Summary.Excluded.
	AsOf Day
	// Unit is the model time unit of Tx and T.
	Unit Unit
	// Subscribers, when set, makes tenure count from the activation day and
	// adds subscribers without transactions in the window (with zero counts).
	// The transactions must have been joined first (see Join), and SubOf is
	// the slice Join returned.
	Subscribers *Subscribers
	SubOf       []int32
}

// Summary is the per-customer summary, one row per customer, in columns.
// Rows follow the customer order of the transactions (their first appearance
// in the input), then subscribers without transactions.
type Summary struct {
	AsOf     Day
	Unit     Unit
	Excluded int64 // transaction rows after AsOf, left out

	Index        []int32 // customer index in Transactions.IDs (nil when read from a summary file)
	IDs          []string
	First, Last  []Day     // NoDay for a subscriber with no transaction in the window
	Activation   []Day     // nil unless subscribers were given
	Transactions []int64   // rows in the window
	Periods      []int32   // distinct transaction days
	Total        []float64 // sum of amounts
	Mean         []float64 // Total / Transactions (0 when no transaction)
	Recency      []int32   // days from Last (or activation, without transactions) to AsOf
	Tenure       []int32   // days from activation (or First) to AsOf
	X            []int32   // repeat transaction days: Periods − 1 (0 without transactions)
	Tx, T        []float64 // (Last − First) and (AsOf − First) in Unit
	Monetary     []float64 // mean amount of the repeat days; 0 when X = 0
}

// Len returns the number of customers.
func (s *Summary) Len() int { return len(s.IDs) }

// ErrEmpty is returned when there is nothing to summarise.
var ErrEmpty = errors.New("no transactions in the observation window")

// custState accumulates one customer in a single pass over rows that arrive
// in any order. While a customer's rows arrive in non-decreasing day order
// (true of date-ordered and customer-ordered exports) the distinct days and
// the repeat-day amount are tracked exactly on the fly; a customer whose rows
// go back in time is flagged and recomputed from its own rows afterwards.
type custState struct {
	first, last Day
	prev        Day
	n           int64
	days        int32
	unordered   bool
	total       float64
	repeat      float64 // amount on the days after the first
}

// Summarize builds the per-customer summary of t at opt.AsOf in one pass.
func Summarize(t *Transactions, opt SummaryOptions) (*Summary, error) {
	asOf := opt.AsOf
	if asOf == NoDay {
		_, asOf = t.DayRange()
		if asOf == NoDay && opt.Subscribers == nil {
			return nil, ErrEmpty
		}
	}
	if opt.Subscribers != nil && len(opt.SubOf) != len(t.IDs) {
		return nil, fmt.Errorf("summarize: subscribers given without joining them to the transactions")
	}
	n := len(t.IDs)
	st := make([]custState, n)
	for i := range st {
		st[i].first, st[i].last, st[i].prev = NoDay, NoDay, NoDay
	}
	var excluded int64
	var unordered int
	for i, c := range t.Customer {
		d := t.Day[i]
		if d > asOf {
			excluded++
			continue
		}
		a := t.Amount[i]
		s := &st[c]
		if s.n == 0 {
			s.first, s.last, s.prev = d, d, d
			s.n, s.days, s.total = 1, 1, a
			continue
		}
		s.n++
		s.total += a
		if s.unordered {
			if d < s.first {
				s.first = d
			}
			if d > s.last {
				s.last = d
			}
			continue
		}
		switch {
		case d == s.prev:
			if d != s.first {
				s.repeat += a
			}
		case d > s.prev:
			s.days++
			s.prev, s.last = d, d
			s.repeat += a
		default:
			s.unordered = true
			unordered++
			if d < s.first {
				s.first = d
			}
		}
	}
	if unordered > 0 {
		fixUnordered(t, st, asOf)
	}

	// Which customers have a row: transacted in the window, or subscribed by AsOf.
	keep := make([]int32, 0, n)
	for c := range st {
		if st[c].n > 0 {
			keep = append(keep, int32(c))
			continue
		}
		if opt.Subscribers != nil {
			if r := opt.SubOf[c]; r >= 0 && opt.Subscribers.Activation[r] <= asOf {
				keep = append(keep, int32(c))
			}
		}
	}
	if len(keep) == 0 {
		return nil, ErrEmpty
	}
	m := len(keep)
	s := &Summary{
		AsOf: asOf, Unit: opt.Unit, Excluded: excluded,
		Index: keep, IDs: make([]string, m), First: make([]Day, m), Last: make([]Day, m),
		Transactions: make([]int64, m), Periods: make([]int32, m), Total: make([]float64, m),
		Mean: make([]float64, m), Recency: make([]int32, m), Tenure: make([]int32, m),
		X: make([]int32, m), Tx: make([]float64, m), T: make([]float64, m), Monetary: make([]float64, m),
	}
	if opt.Subscribers != nil {
		s.Activation = make([]Day, m)
	}
	ud := opt.Unit.Days()
	for j, c := range keep {
		cs := &st[c]
		s.IDs[j] = t.IDs[c]
		s.First[j], s.Last[j] = cs.first, cs.last
		start := cs.first
		if opt.Subscribers != nil {
			act := NoDay
			if r := opt.SubOf[c]; r >= 0 {
				act = opt.Subscribers.Activation[r]
			}
			s.Activation[j] = act
			if act != NoDay && (start == NoDay || act < start) {
				start = act
			}
		}
		s.Tenure[j] = int32(asOf - start)
		if cs.n == 0 {
			s.Recency[j] = int32(asOf - start)
			s.T[j] = float64(asOf-start) / ud
			continue
		}
		s.Transactions[j] = cs.n
		s.Periods[j] = cs.days
		s.Total[j] = cs.total
		s.Mean[j] = cs.total / float64(cs.n)
		s.Recency[j] = int32(asOf - cs.last)
		s.X[j] = cs.days - 1
		s.Tx[j] = float64(cs.last-cs.first) / ud
		s.T[j] = float64(asOf-cs.first) / ud
		if cs.days > 1 {
			s.Monetary[j] = cs.repeat / float64(cs.days-1)
		}
	}
	return s, nil
}

// fixUnordered recomputes distinct days and the repeat-day amount of the
// customers whose rows were not in day order, from their own rows.
func fixUnordered(t *Transactions, st []custState, asOf Day) {
	// Gather the rows of flagged customers (counting sort by customer).
	slot := make([]int32, len(st))
	var start []int64
	var total int64
	for c := range st {
		slot[c] = -1
		if st[c].unordered {
			slot[c] = int32(len(start))
			start = append(start, total)
			total += st[c].n
		}
	}
	start = append(start, total)
	days := make([]Day, total)
	amts := make([]float64, total)
	fill := append([]int64(nil), start[:len(start)-1]...)
	for i, c := range t.Customer {
		k := slot[c]
		if k < 0 || t.Day[i] > asOf {
			continue
		}
		days[fill[k]], amts[fill[k]] = t.Day[i], t.Amount[i]
		fill[k]++
	}
	for c := range st {
		k := slot[c]
		if k < 0 {
			continue
		}
		d, a := days[start[k]:start[k+1]], amts[start[k]:start[k+1]]
		sortDayAmount(d, a)
		cs := &st[c]
		cs.days, cs.repeat = 1, 0
		for i := range d {
			if i > 0 && d[i] != d[i-1] {
				cs.days++
			}
			if d[i] != d[0] {
				cs.repeat += a[i]
			}
		}
	}
}

// sortDayAmount sorts d ascending, carrying a along (insertion sort for the
// short per-customer runs, stable so equal days keep input order).
func sortDayAmount(d []Day, a []float64) {
	if len(d) > 32 {
		idx := make([]int, len(d))
		for i := range idx {
			idx[i] = i
		}
		stableByDay(idx, d)
		d2 := make([]Day, len(d))
		a2 := make([]float64, len(a))
		for i, j := range idx {
			d2[i], a2[i] = d[j], a[j]
		}
		copy(d, d2)
		copy(a, a2)
		return
	}
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j] < d[j-1]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
