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
	// Latest is the latest transaction day of the input, rows after AsOf
	// included, when the summary was built from transactions (Index is not
	// nil); a summary read from a file does not know it.
	Latest Day

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

// Summarize builds the per-customer summary of t at opt.AsOf in one pass
// (Accumulate, then Accumulated.Summary).
func Summarize(t *Transactions, opt SummaryOptions) (*Summary, error) {
	if opt.Subscribers != nil && len(opt.SubOf) != len(t.IDs) {
		return nil, fmt.Errorf("summarize: subscribers given without joining them to the transactions")
	}
	return Accumulate(t, opt.AsOf).Summary(opt)
}

// finishSummary lays out the summary of the accumulated customers at asOf
// (resolved): the customers with a row in the window, and with
// opt.Subscribers those subscribed by asOf.
func finishSummary(ids []string, st []Acc, asOf Day, opt SummaryOptions) (*Summary, error) {
	n := len(st)
	keep := make([]int32, 0, n)
	for c := range st {
		if st[c].N > 0 {
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
		AsOf: asOf, Unit: opt.Unit,
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
		s.IDs[j] = ids[c]
		s.First[j], s.Last[j] = cs.First, cs.Last
		start := cs.First
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
		if cs.N == 0 {
			s.Recency[j] = int32(asOf - start)
			s.T[j] = float64(asOf-start) / ud
			continue
		}
		s.Transactions[j] = cs.N
		s.Periods[j] = cs.Days
		s.Total[j] = cs.Total
		s.Mean[j] = cs.Total / float64(cs.N)
		s.Recency[j] = int32(asOf - cs.Last)
		s.X[j] = cs.Days - 1
		s.Tx[j] = float64(cs.Last-cs.First) / ud
		s.T[j] = float64(asOf-cs.First) / ud
		if cs.Days > 1 {
			s.Monetary[j] = cs.repeat / float64(cs.Days-1)
		}
	}
	return s, nil
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
