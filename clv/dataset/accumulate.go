package dataset

import (
	"fmt"
	"sync"
)

// Acc accumulates the transaction rows of one customer, in arrival order,
// into what the per-customer summary needs: first and last day, rows,
// distinct days, total amount and the amount of the days after the first.
// Rows may arrive in any order. The distinct days and the repeat-day amount
// are exact on the fly while every row is dated at most Window-1 days before
// the latest day seen so far: a bit set of the last Window days records
// which of them had a row, so rows shuffled within a bill month (bills and
// top-ups of one month in any order, as billing exports often are) or a
// date-ordered or customer-ordered export need no second look. A customer
// with a row further back in time is flagged (Unordered); its Days and
// repeat amount are then unknown until Refit is given the customer's own
// rows. Summarize and the streaming readers use Acc alike, so both give the
// same numbers.
type Acc struct {
	// First and Last are NoDay before the first row; Last is the latest
	// day so far.
	First, Last Day
	// Days is the number of distinct days; exact unless Unordered (then -1).
	Days int32
	// seen has bit k set when a row fell on day Last-k (k < Window).
	seen   uint32
	N      int64
	Total  float64
	first  float64 // amount on the day First
	repeat float64 // amount on the days after the first
}

// Window is how many days (counting the latest) a row may go back in time
// and still be accumulated exactly without the customer's other rows.
const Window = 32

// NewAcc returns an empty accumulator.
func NewAcc() Acc { return Acc{First: NoDay, Last: NoDay} }

// Add adds a row of day d and amount a. It reports whether this row made
// the customer unordered (the first row dated Window days or more before
// the latest day so far). Amounts are added in arrival order: the repeat
// amount of a customer whose rows are in day order is the plain sum of its
// later days' amounts in file order; when an earlier first day arrives, the
// former first day's amount is added to the repeat amount at that moment.
func (s *Acc) Add(d Day, a float64) bool {
	if s.N == 0 {
		s.First, s.Last = d, d
		s.N, s.Days, s.Total, s.first, s.seen = 1, 1, a, a, 1
		return false
	}
	s.N++
	s.Total += a
	if s.Days < 0 {
		s.First, s.Last = min(s.First, d), max(s.Last, d)
		return false
	}
	switch {
	case d > s.Last:
		if k := d - s.Last; k < Window {
			s.seen = s.seen<<k | 1
		} else {
			s.seen = 1
		}
		s.Last = d
		s.Days++
		s.repeat += a
	case d > s.Last-Window:
		bit := uint32(1) << (s.Last - d)
		switch {
		case d == s.First:
			s.first += a
		case d < s.First:
			// A new first day: the former first day becomes a repeat day.
			s.repeat += s.first
			s.First, s.first = d, a
			s.Days++
			s.seen |= bit
		default:
			if s.seen&bit == 0 {
				s.Days++
				s.seen |= bit
			}
			s.repeat += a
		}
	default:
		s.Days = -1
		s.First = min(s.First, d)
		return true
	}
	return false
}

// Unordered reports whether a row went back Window days or more, so that
// Days and the repeat amount need Refit.
func (s *Acc) Unordered() bool { return s.Days < 0 }

// Refit recomputes the distinct days and the repeat-day amount from the
// customer's rows (the same rows that were added, in arrival order; days
// and amounts are sorted in place by day, stably). Sums run in day order,
// rows of one day in arrival order.
func (s *Acc) Refit(days []Day, amts []float64) {
	sortDayAmount(days, amts)
	s.Days, s.repeat, s.first = 0, 0, 0
	for i := range days {
		if i == 0 || days[i] != days[i-1] {
			s.Days++
		}
		if days[i] != days[0] {
			s.repeat += amts[i]
		} else {
			s.first += amts[i]
		}
	}
}

// Accumulated is a transaction table reduced to per-customer accumulators,
// in columns: what a summary needs, in memory proportional to customers,
// not rows. Summary takes the columns over (they become columns of the
// summary), so it can be called once.
type Accumulated struct {
	// IDs are the customers in order of first appearance (also those whose
	// every row was after AsOf).
	IDs []string
	// First, Last, N, Days, Total and Repeat are the finished accumulators
	// (Acc) of the customers, up to AsOf: Repeat is the amount of the days
	// after the first.
	First, Last []Day
	N           []int64
	Days        []int32
	Total       []float64
	Repeat      []float64
	// AsOf is the day after which rows were left out (NoDay: none were).
	AsOf Day
	// Excluded counts the rows left out; Latest is the latest day of any
	// row, left out or not (NoDay without rows).
	Excluded int64
	Latest   Day
}

// NewAccumulated returns the columns for the customers ids (empty
// accumulators), to be filled with Set.
func NewAccumulated(ids []string, asOf Day) *Accumulated {
	n := len(ids)
	a := &Accumulated{IDs: ids, First: make([]Day, n), Last: make([]Day, n), N: make([]int64, n),
		Days: make([]int32, n), Total: make([]float64, n), Repeat: make([]float64, n), AsOf: asOf, Latest: NoDay}
	for i := range a.First {
		a.First[i], a.Last[i] = NoDay, NoDay
	}
	return a
}

// Set stores customer i's accumulator, which must not be unordered (Refit
// it first).
func (a *Accumulated) Set(i int, s *Acc) error {
	if s.Unordered() {
		return fmt.Errorf("summarize: customer %q was not refitted after its rows arrived out of day order", a.IDs[i])
	}
	a.First[i], a.Last[i], a.N[i], a.Days[i], a.Total[i], a.Repeat[i] = s.First, s.Last, s.N, s.Days, s.Total, s.repeat
	return nil
}

// Accumulate reduces t to per-customer accumulators, leaving out rows
// after asOf (NoDay keeps every row). Unordered customers are refitted
// from their rows, so the result is complete.
func Accumulate(t *Transactions, asOf Day) *Accumulated {
	st := make([]Acc, len(t.IDs))
	for i := range st {
		st[i] = NewAcc()
	}
	latest := NoDay
	var excluded int64
	unordered := 0
	for i, c := range t.Customer {
		d := t.Day[i]
		latest = max(latest, d)
		if asOf != NoDay && d > asOf {
			excluded++
			continue
		}
		if st[c].Add(d, t.Amount[i]) {
			unordered++
		}
	}
	if unordered > 0 {
		refitUnordered(t, st, asOf)
	}
	a := NewAccumulated(t.IDs, asOf)
	for i := range st {
		a.Set(i, &st[i]) //nolint:errcheck // every customer was refitted
	}
	a.Excluded, a.Latest = excluded, latest
	return a
}

// Summary finishes the per-customer summary at opt.AsOf, which must be
// a.AsOf, or, when no row was left out, NoDay (the latest day) or a day on
// or after the latest. The summary takes over the columns of a (and its
// IDs when every customer is kept).
func (a *Accumulated) Summary(opt SummaryOptions) (*Summary, error) {
	asOf := opt.AsOf
	if asOf == NoDay {
		asOf = a.AsOf
	}
	if a.AsOf == NoDay && asOf != NoDay && a.Latest != NoDay && asOf < a.Latest {
		return nil, fmt.Errorf("summarize: as-of %s, but rows up to %s were accumulated", asOf, a.Latest)
	}
	if a.AsOf != NoDay && asOf != a.AsOf {
		return nil, fmt.Errorf("summarize: as-of %s, but the rows were accumulated up to %s", asOf, a.AsOf)
	}
	if asOf == NoDay {
		asOf = a.Latest
		if asOf == NoDay && opt.Subscribers == nil {
			return nil, ErrEmpty
		}
	}
	if opt.Subscribers != nil && len(opt.SubOf) != len(a.IDs) {
		return nil, fmt.Errorf("summarize: subscribers given without joining them to the transactions")
	}
	if a.First == nil && len(a.IDs) > 0 {
		return nil, fmt.Errorf("summarize: the accumulated columns were already taken by an earlier summary")
	}
	s, err := a.finish(asOf, opt)
	if err != nil {
		return nil, err
	}
	s.Excluded = a.Excluded
	s.Latest = a.Latest
	return s, nil
}

// finish lays out the summary at asOf (resolved): the customers with a row
// in the window, and with opt.Subscribers those subscribed by asOf. The
// kept customers' accumulator columns are compacted in place (keep is
// increasing) and become summary columns; Repeat becomes Monetary.
func (a *Accumulated) finish(asOf Day, opt SummaryOptions) (*Summary, error) {
	n := len(a.IDs)
	keep := make([]int32, 0, n)
	for c := range n {
		if a.N[c] > 0 {
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
	ids := a.IDs[:m:m] // every customer kept: the columns stay as they are
	if m < n {
		ids = make([]string, m)
		for j, c := range keep {
			ids[j] = a.IDs[c]
			a.First[j], a.Last[j], a.N[j], a.Days[j], a.Total[j], a.Repeat[j] = a.First[c], a.Last[c], a.N[c], a.Days[c], a.Total[c], a.Repeat[c]
		}
	}
	s := &Summary{
		AsOf: asOf, Unit: opt.Unit,
		Index: keep, IDs: ids, First: a.First[:m:m], Last: a.Last[:m:m],
		Transactions: a.N[:m:m], Periods: a.Days[:m:m], Total: a.Total[:m:m], Monetary: a.Repeat[:m:m],
		Mean: make([]float64, m), Recency: make([]int32, m), Tenure: make([]int32, m),
		X: make([]int32, m), Tx: make([]float64, m), T: make([]float64, m),
	}
	a.First, a.Last, a.N, a.Days, a.Total, a.Repeat = nil, nil, nil, nil, nil, nil
	if opt.Subscribers != nil {
		s.Activation = make([]Day, m)
	}
	// The customers are independent: two goroutines take half each.
	half := m / 2
	var wg sync.WaitGroup
	wg.Go(func() { s.finishRange(asOf, opt, keep, half, m) })
	s.finishRange(asOf, opt, keep, 0, half)
	wg.Wait()
	return s, nil
}

// finishRange fills the derived columns of customers lo..hi-1 of s (keep
// as in finish).
func (s *Summary) finishRange(asOf Day, opt SummaryOptions, keep []int32, lo, hi int) {
	ud := opt.Unit.Days()
	for j := lo; j < hi; j++ {
		c := keep[j]
		start := s.First[j]
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
		n := s.Transactions[j]
		if n == 0 {
			s.Recency[j] = int32(asOf - start)
			s.T[j] = float64(asOf-start) / ud
			s.Periods[j], s.Total[j], s.Monetary[j] = 0, 0, 0
			continue
		}
		days := s.Periods[j]
		s.Mean[j] = s.Total[j] / float64(n)
		s.Recency[j] = int32(asOf - s.Last[j])
		s.X[j] = days - 1
		s.Tx[j] = float64(s.Last[j]-s.First[j]) / ud
		s.T[j] = float64(asOf-s.First[j]) / ud
		if days > 1 {
			s.Monetary[j] = s.Monetary[j] / float64(days-1)
		} else {
			s.Monetary[j] = 0
		}
	}
}

// refitUnordered refits the unordered customers of st from their own rows
// of t (up to asOf), gathered by a counting sort by customer.
func refitUnordered(t *Transactions, st []Acc, asOf Day) {
	slot := make([]int32, len(st))
	var start []int64
	var total int64
	for c := range st {
		slot[c] = -1
		if st[c].Unordered() {
			slot[c] = int32(len(start))
			start = append(start, total)
			total += st[c].N
		}
	}
	start = append(start, total)
	days := make([]Day, total)
	amts := make([]float64, total)
	fill := append([]int64(nil), start[:len(start)-1]...)
	for i, c := range t.Customer {
		k := slot[c]
		if k < 0 || (asOf != NoDay && t.Day[i] > asOf) {
			continue
		}
		days[fill[k]], amts[fill[k]] = t.Day[i], t.Amount[i]
		fill[k]++
	}
	for c := range st {
		if k := slot[c]; k >= 0 {
			st[c].Refit(days[start[k]:start[k+1]], amts[start[k]:start[k+1]])
		}
	}
}
