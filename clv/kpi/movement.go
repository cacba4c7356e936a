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
	// the analysis layer, clv.Base.Truncation), or NoDay. Periods that start before it are
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
		info := make([]customer, len(tx.IDs))
		for c, sr := range subOf {
			info[c] = customer{slot: -1, add: -1}
			if sr >= 0 && addPeriod[sr] != noSubscriber {
				info[c] = customer{slot: int32(slot(int(sr))), add: addPeriod[sr]}
			}
		}
		tab.addRevenue(tx, info, first, np, revenue, newRevenue, payers)
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

// noSubscriber marks, in addPeriod, a subscriber row left out of the table.
const noSubscriber = -2
