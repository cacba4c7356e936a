package dataset

import "fmt"

// Acc accumulates the transaction rows of one customer, in arrival order,
// into what the per-customer summary needs: first and last day, rows,
// distinct days, total amount and the amount of the days after the first.
// Rows may arrive in any order. While they arrive in non-decreasing day
// order (true of date-ordered and customer-ordered exports) the distinct
// days and the repeat-day amount are exact on the fly; a customer whose
// rows go back in time is flagged (Unordered), its Days and repeat amount
// are then unknown until Refit is given the customer's own rows. Summarize
// and the streaming readers use Acc alike, so both give the same numbers.
type Acc struct {
	// First and Last are NoDay before the first row. While the rows are in
	// order, Last is also the day of the previous row.
	First, Last Day
	Days        int32 // distinct days; exact unless Unordered
	unordered   bool
	N           int64
	Total       float64
	repeat      float64 // amount on the days after the first
}

// NewAcc returns an empty accumulator.
func NewAcc() Acc { return Acc{First: NoDay, Last: NoDay} }

// Add adds a row of day d and amount a. It reports whether this row made
// the customer unordered (the first row dated before an earlier row's day).
func (s *Acc) Add(d Day, a float64) bool {
	if s.N == 0 {
		s.First, s.Last = d, d
		s.N, s.Days, s.Total = 1, 1, a
		return false
	}
	s.N++
	s.Total += a
	if s.unordered {
		if d < s.First {
			s.First = d
		}
		if d > s.Last {
			s.Last = d
		}
		return false
	}
	switch {
	case d == s.Last:
		if d != s.First {
			s.repeat += a
		}
	case d > s.Last:
		s.Days++
		s.Last = d
		s.repeat += a
	default:
		s.unordered = true
		if d < s.First {
			s.First = d
		}
		return true
	}
	return false
}

// Unordered reports whether the rows went back in time, so that Days and
// the repeat amount need Refit.
func (s *Acc) Unordered() bool { return s.unordered }

// Refit recomputes the distinct days and the repeat-day amount from the
// customer's rows (the same rows that were added, in arrival order; days
// and amounts are sorted in place by day, stably). Sums run in day order,
// rows of one day in arrival order.
func (s *Acc) Refit(days []Day, amts []float64) {
	sortDayAmount(days, amts)
	s.Days, s.repeat = 0, 0
	for i := range days {
		if i == 0 || days[i] != days[i-1] {
			s.Days++
		}
		if days[i] != days[0] {
			s.repeat += amts[i]
		}
	}
	s.unordered = false
}

// Accumulated is a transaction table reduced to one Acc per customer: what
// a summary needs, in memory proportional to customers, not rows.
type Accumulated struct {
	// IDs are the customers in order of first appearance (also those whose
	// every row was after AsOf).
	IDs []string
	// Acc[i] accumulates customer IDs[i]'s rows up to AsOf.
	Acc []Acc
	// AsOf is the day after which rows were left out (NoDay: none were).
	AsOf Day
	// Excluded counts the rows left out; Latest is the latest day of any
	// row, left out or not (NoDay without rows).
	Excluded int64
	Latest   Day
}

// Accumulate reduces t to per-customer accumulators, leaving out rows
// after asOf (NoDay keeps every row). Unordered customers are refitted
// from their rows, so the result is complete.
func Accumulate(t *Transactions, asOf Day) *Accumulated {
	n := len(t.IDs)
	a := &Accumulated{IDs: t.IDs, Acc: make([]Acc, n), AsOf: asOf, Latest: NoDay}
	for i := range a.Acc {
		a.Acc[i] = NewAcc()
	}
	unordered := 0
	for i, c := range t.Customer {
		d := t.Day[i]
		a.Latest = max(a.Latest, d)
		if asOf != NoDay && d > asOf {
			a.Excluded++
			continue
		}
		if a.Acc[c].Add(d, t.Amount[i]) {
			unordered++
		}
	}
	if unordered > 0 {
		refitUnordered(t, a.Acc, asOf)
	}
	return a
}

// Unordered returns the indices of the customers that need Refit.
func (a *Accumulated) Unordered() []int32 {
	var out []int32
	for i := range a.Acc {
		if a.Acc[i].unordered {
			out = append(out, int32(i))
		}
	}
	return out
}

// Summary finishes the per-customer summary. opt.AsOf must be a.AsOf, or
// NoDay when no row was left out (the latest day is then the as-of day);
// no accumulator may still be unordered.
func (a *Accumulated) Summary(opt SummaryOptions) (*Summary, error) {
	asOf := opt.AsOf
	if asOf != a.AsOf && a.AsOf != NoDay {
		return nil, fmt.Errorf("summarize: as-of %s, but the rows were accumulated at %s", asOf, a.AsOf)
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
	for i := range a.Acc {
		if a.Acc[i].unordered {
			return nil, fmt.Errorf("summarize: customer %q was not refitted after its rows arrived out of day order", a.IDs[i])
		}
	}
	s, err := finishSummary(a.IDs, a.Acc, asOf, opt)
	if err != nil {
		return nil, err
	}
	s.Excluded = a.Excluded
	s.Latest = a.Latest
	return s, nil
}

// refitUnordered refits the unordered customers of st from their own rows
// of t (up to asOf), gathered by a counting sort by customer.
func refitUnordered(t *Transactions, st []Acc, asOf Day) {
	slot := make([]int32, len(st))
	var start []int64
	var total int64
	for c := range st {
		slot[c] = -1
		if st[c].unordered {
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
