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
