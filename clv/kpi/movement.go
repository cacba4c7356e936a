package kpi

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// Options says how Movements builds the base-movement table.
type Options struct {
	// Period is the calendar reporting period: month, quarter or year.
	Period dataset.Period
	// AsOf is the last observed day, inclusive (required). Activations,
	// churns and transactions after it are not yet known and left out; the
	// period containing it is partial when AsOf is not its last day.
	AsOf dataset.Day
	// From is the observation start of a left-truncated export (see
	// dataset.ObservationStart), or NoDay. Periods that start before it are
	// left out: their churners were purged from the export.
	From dataset.Day
	// By names subscriber attribute columns; each distinct combination of
	// their values is a group with its own rows, after the whole base.
	By []string
}

// Movement is one row of the base-movement table: one period of the whole
// base (Group "") or of one group. See the package comment for definitions.
type Movement struct {
	Period      dataset.Day // first day of the calendar period
	Group       string
	OpeningBase int64
	GrossAdds   int64
	Churners    int64
	NetAdds     int64
	ClosingBase int64
	ChurnRate   float64
	Revenue     float64
	ARPU        float64
	ARPPU       float64
	PayingShare float64
	NewARPU     float64
	// Payers counts subscribers whose amounts dated in the period sum to
	// more than zero; NewRevenue is the revenue of the period's gross adds.
	Payers     int64
	NewRevenue float64
}

// Table is the base-movement table with what was left out of it.
type Table struct {
	Options Options
	// Rows are ordered by group ("" = whole base first, then the groups by
	// name) and period.
	Rows []Movement
	// Periods is the number of reported periods; First the first one's start.
	Periods int
	First   dataset.Day
	// Skipped counts the periods before From that are left out (from the
	// period of the earliest activation); SkippedFirst is the first one's
	// start (NoDay when none is skipped).
	Skipped      int
	SkippedFirst dataset.Day
	// Partial reports that the last period ends after AsOf.
	Partial bool
	// Groups are the group names (empty without Options.By).
	Groups []string
	Left   Rows
}

// Movements builds the base-movement table of subs (and the revenue of tx,
// which may be nil or empty) per calendar period. subOf maps every customer
// of tx to its subscriber row or -1 (see dataset.Join). Subscriber rows are
// read once; transactions in two linear passes (a counting sort by period,
// then the sums), so the cost is O(subscribers + rows + periods × groups).
func Movements(subs *dataset.Subscribers, tx *dataset.Transactions, subOf []int32, opt Options) (*Table, error) {
	if err := checkOptions(opt.Period, opt.AsOf, opt.From); err != nil {
		return nil, err
	}
	if subs == nil || subs.Len() == 0 {
		return nil, fmt.Errorf("%w: no subscribers", ErrInvalidInput)
	}
	if tx != nil && len(subOf) != len(tx.IDs) {
		return nil, fmt.Errorf("%w: %d customers but %d subscriber links", ErrInvalidInput, len(tx.IDs), len(subOf))
	}
	grp, err := groupBy(subs, opt.By)
	if err != nil {
		return nil, err
	}
	pr := opt.Period
	tab := &Table{Options: opt, SkippedFirst: dataset.NoDay}
	if grp != nil {
		tab.Groups = grp.names
	}

	// The reported periods: from the period of the earliest known event
	// (or the first one starting on or after From) to the period of AsOf.
	earliest := dataset.NoDay
	for i := range subs.Len() {
		switch status(subs, i, opt.AsOf) {
		case 1:
			tab.Left.Invalid++
			continue
		case 2:
			tab.Left.NotStarted++
			continue
		}
		if a := subs.Activation[i]; earliest == dataset.NoDay || a < earliest {
			earliest = a
		}
		if c := observedChurn(subs, i, opt.AsOf); opt.From != dataset.NoDay && c != dataset.NoDay && c < opt.From {
			tab.Left.ChurnedBeforeStart++
		}
	}
	if earliest == dataset.NoDay {
		return nil, fmt.Errorf("%w: no subscriber activated by %s", ErrInvalidInput, opt.AsOf)
	}
	first := pr.Index(earliest)
	if opt.From != dataset.NoDay {
		f := firstReported(pr, opt.From)
		if f > first {
			tab.Skipped, tab.SkippedFirst = f-first, pr.Start(first)
		}
		first = f
	}
	last := pr.Index(opt.AsOf)
	np := last - first + 1
	if np <= 0 {
		return nil, fmt.Errorf("%w: no whole %s between the observation start %s and the as-of date %s", ErrInvalidInput, pr, opt.From, opt.AsOf)
	}
	if np > maxPeriods {
		return nil, fmt.Errorf("%w: %d %ss from %s to %s (at most %d); use a longer period or an observation start", ErrInvalidInput, np, pr, pr.Start(first), opt.AsOf, maxPeriods)
	}
	tab.Periods, tab.First = np, pr.Start(first)
	tab.Partial = pr.End(last) > opt.AsOf
	start := pr.Start(first)

	ng := 1
	if grp != nil {
		ng += len(grp.names)
	}
	cells := ng * np
	opening := make([]int64, ng)
	adds := make([]int64, cells)
	churners := make([]int64, cells)
	revenue := make([]float64, cells)
	newRevenue := make([]float64, cells)
	payers := make([]int64, cells)
	slot := func(i int) int { // group slot of subscriber row i (0 = whole base only)
		if grp == nil {
			return 0
		}
		return int(grp.of[i]) + 1
	}
	// addPeriod is the reported period of each subscriber's activation
	// (-1: before the window), used to credit new revenue; noSubscriber
	// marks the rows left out (invalid, not started).
	addPeriod := make([]int32, subs.Len())
	for i := range subs.Len() {
		addPeriod[i] = -1
		if status(subs, i, opt.AsOf) != 0 {
			addPeriod[i] = noSubscriber
			continue
		}
		g := slot(i)
		a, c := subs.Activation[i], observedChurn(subs, i, opt.AsOf)
		if a < start {
			if c == dataset.NoDay || c >= start {
				opening[0]++
				if g > 0 {
					opening[g]++
				}
			}
		} else {
			p := pr.Index(a) - first
			addPeriod[i] = int32(p)
			adds[p]++
			if g > 0 {
				adds[g*np+p]++
			}
		}
		if c != dataset.NoDay && c >= start {
			p := pr.Index(c) - first
			churners[p]++
			if g > 0 {
				churners[g*np+p]++
			}
		}
	}

	if tx != nil && tx.Len() > 0 {
		tab.addRevenue(tx, subOf, slot, addPeriod, first, np, revenue, newRevenue, payers)
	}

	tab.Rows = make([]Movement, 0, cells)
	names := append([]string{""}, tab.Groups...)
	for g, name := range names {
		open := opening[g]
		for p := range np {
			k := g*np + p
			m := Movement{Period: pr.Start(first + p), Group: name, OpeningBase: open,
				GrossAdds: adds[k], Churners: churners[k], Revenue: revenue[k],
				Payers: payers[k], NewRevenue: newRevenue[k]}
			m.NetAdds = m.GrossAdds - m.Churners
			m.ClosingBase = m.OpeningBase + m.NetAdds
			avg := float64(m.OpeningBase+m.ClosingBase) / 2
			m.ChurnRate = ratio(float64(m.Churners), avg)
			m.ARPU = ratio(m.Revenue, avg)
			m.ARPPU = ratio(m.Revenue, float64(m.Payers))
			m.PayingShare = ratio(float64(m.Payers), avg)
			m.NewARPU = ratio(m.NewRevenue, float64(m.GrossAdds))
			tab.Rows = append(tab.Rows, m)
			open = m.ClosingBase
		}
	}
	return tab, nil
}

// addRevenue sums the transactions of the window per group and period:
// revenue, the revenue of each period's gross adds, and the payers (customers
// whose amounts in the period sum to more than zero). Rows are bucketed by
// period with a stable counting sort so that each customer's period total is
// complete before it is tested, whatever the row order of the file.
func (tab *Table) addRevenue(tx *dataset.Transactions, subOf []int32, slot func(int) int, addPeriod []int32,
	first, np int, revenue, newRevenue []float64, payers []int64) {
	pr := tab.Options.Period
	start, end := pr.Start(first), tab.Options.AsOf
	// Period of every day of the window (dates repeat a lot).
	span := int(end-start) + 1
	dayPeriod := make([]int32, span)
	for d := range span {
		dayPeriod[d] = int32(pr.Index(start+dataset.Day(d)) - first)
	}
	count := make([]int, np+1)
	for i, d := range tx.Day {
		switch {
		case d > end:
			tab.Left.LateTransactions++
		case d < start:
		case subOf[tx.Customer[i]] < 0 || addPeriod[subOf[tx.Customer[i]]] == noSubscriber:
			tab.Left.UnmatchedTransactions++
			tab.Left.UnmatchedRevenue += tx.Amount[i]
		default:
			count[dayPeriod[d-start]+1]++
		}
	}
	for p := 1; p <= np; p++ {
		count[p] += count[p-1]
	}
	order := make([]int32, count[np])
	next := count[:np]
	for i, d := range tx.Day {
		if d < start || d > end || subOf[tx.Customer[i]] < 0 || addPeriod[subOf[tx.Customer[i]]] == noSubscriber {
			continue
		}
		p := dayPeriod[d-start]
		order[next[p]] = int32(i)
		next[p]++
	}
	// next[p] is now the end of bucket p; bucket p starts at next[p-1].
	sum := make([]float64, len(tx.IDs))
	seen := make([]int32, len(tx.IDs)) // period+1 in which sum[c] was last touched
	var touched []int32
	lo := 0
	for p := range np {
		touched = touched[:0]
		for _, r := range order[lo:next[p]] {
			c := tx.Customer[r]
			s := int(subOf[c])
			amt := tx.Amount[r]
			g := slot(s)
			revenue[p] += amt
			if g > 0 {
				revenue[g*np+p] += amt
			}
			if addPeriod[s] == int32(p) {
				newRevenue[p] += amt
				if g > 0 {
					newRevenue[g*np+p] += amt
				}
			}
			if seen[c] != int32(p+1) {
				seen[c] = int32(p + 1)
				sum[c] = 0
				touched = append(touched, c)
			}
			sum[c] += amt
		}
		for _, c := range touched {
			if sum[c] > 0 {
				payers[p]++
				if g := slot(int(subOf[c])); g > 0 {
					payers[g*np+p]++
				}
			}
		}
		lo = next[p]
	}
}

// noSubscriber marks, in addPeriod, a subscriber row left out of the table.
const noSubscriber = -2
