package kpi

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// Cell is one row of the cohort table: tenure period Tenure of the members of
// one activation cohort (of the whole base, Group "", or of one group). See
// the package comment for definitions.
type Cell struct {
	Cohort      dataset.Day // first day of the activation period
	Group       string
	Tenure      int
	Subscribers int64
	Active      int64
	Retention   float64
	Censored    int64
	// Revenue is the members' revenue dated in tenure period Tenure;
	// RevenuePerSubscriber the cumulative revenue of periods 1..Tenure per
	// original member; ARPU the period's revenue per member in service at its
	// start. All three are 0 without transactions.
	Revenue              float64
	RevenuePerSubscriber float64
	ARPU                 float64
}

// Cohorts is the cohort table with what was left out of it.
type Cohorts struct {
	Options Options
	// Cells are ordered by group ("" first), cohort and tenure. A cohort has
	// rows for tenures 1..K, K being the most anniversaries any member has
	// reached by the as-of date; a cohort none of whose members has reached
	// its first anniversary has no rows.
	Cells []Cell
	// Revenue reports that transactions were given (the revenue columns
	// mean something).
	Revenue bool
	// MaxTenure is the largest tenure of any cell.
	MaxTenure int
	// Skipped counts the activation periods before Options.From that are
	// left out (their members are survivors of a truncated export);
	// SkippedFirst is the first one's start, SkippedMembers their members.
	Skipped        int
	SkippedFirst   dataset.Day
	SkippedMembers int
	// BeforeActivation counts transaction rows dated before their
	// subscriber's activation (left out).
	BeforeActivation int
	Groups           []string
	Left             Rows
}

// maxCohortCells bounds groups × cohorts × tenures.
const maxCohortCells = 1 << 24

// BuildCohorts builds the cohort table of subs by activation period
// (opt.Period, which is also the tenure period) and, when tx is given, the
// members' revenue by tenure period. subOf maps every customer of tx to its
// subscriber row or -1 (see dataset.Join). Subscribers are read twice and
// transactions once.
func BuildCohorts(subs *dataset.Subscribers, tx *dataset.Transactions, subOf []int32, opt Options) (*Cohorts, error) {
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
	k := pr.Months()
	out := &Cohorts{Options: opt, SkippedFirst: dataset.NoDay, Revenue: tx != nil && tx.Len() > 0}
	if grp != nil {
		out.Groups = grp.names
	}

	// Pass 1: the cohorts and the largest number of observed anniversaries.
	earliest := dataset.NoDay
	for i := range subs.Len() {
		switch status(subs, i, opt.AsOf) {
		case 1:
			out.Left.Invalid++
		case 2:
			out.Left.NotStarted++
		default:
			if a := subs.Activation[i]; earliest == dataset.NoDay || a < earliest {
				earliest = a
			}
		}
	}
	if earliest == dataset.NoDay {
		return nil, fmt.Errorf("%w: no subscriber activated by %s", ErrInvalidInput, opt.AsOf)
	}
	first := pr.Index(earliest)
	if opt.From != dataset.NoDay {
		if f := firstReported(pr, opt.From); f > first {
			out.Skipped, out.SkippedFirst = f-first, pr.Start(first)
			first = f
		}
	}
	start := pr.Start(first)
	nco := pr.Index(opt.AsOf) - first + 1
	if nco <= 0 {
		return nil, fmt.Errorf("%w: no whole %s between the observation start %s and the as-of date %s", ErrInvalidInput, pr, opt.From, opt.AsOf)
	}
	// A member activated in the first cohort reaches at most this many.
	kmax := anniversaries(start, opt.AsOf, k)
	ng := 1
	if grp != nil {
		ng += len(grp.names)
	}
	if int64(ng)*int64(nco)*int64(kmax+1) > maxCohortCells {
		return nil, fmt.Errorf("%w: %d groups × %d cohorts × %d tenures is too large; use a longer period", ErrInvalidInput, ng, nco, kmax+1)
	}
	w := kmax + 1
	size := make([]int64, ng*nco)
	observed := make([]int, ng*nco)       // most anniversaries reached by a member
	activeHist := make([]int64, ng*nco*w) // members active through exactly m tenures (m capped at kmax)
	censHist := make([]int64, ng*nco*w)   // members with exactly M observed anniversaries
	revenue := make([]float64, ng*nco*w)  // index k-1 holds tenure period k
	member := make([]int32, subs.Len())   // cohort of each member, -1 when not a member
	slot := func(i int) int {
		if grp == nil {
			return 0
		}
		return int(grp.of[i]) + 1
	}

	// Pass 2: members.
	for i := range subs.Len() {
		member[i] = -1
		if status(subs, i, opt.AsOf) != 0 {
			continue
		}
		a := subs.Activation[i]
		if a < start {
			out.SkippedMembers++
			continue
		}
		co := pr.Index(a) - first
		member[i] = int32(co)
		m := kmax
		if c := observedChurn(subs, i, opt.AsOf); c != dataset.NoDay {
			m = min(kmax, anniversaries(a, c-1, k)) // anniversaries before the churn date
		}
		obs := min(kmax, anniversaries(a, opt.AsOf, k))
		slots := [2]int{0, slot(i)}
		n := 1
		if grp != nil {
			n = 2
		}
		for _, g := range slots[:n] {
			j := g*nco + co
			size[j]++
			observed[j] = max(observed[j], obs)
			activeHist[j*w+m]++
			censHist[j*w+obs]++
		}
	}

	// Transactions: revenue by tenure period.
	if out.Revenue {
		span := int(opt.AsOf-start) + 1
		days := make([]ymd, span)
		for d := range span {
			days[d] = split(start + dataset.Day(d))
		}
		// One compact record per customer of tx, so that a row costs one
		// random access: cohort (-1: a cohort left out, -2: not a usable
		// subscriber), group slot and split activation date.
		type buyer struct {
			cohort, slot int32
			act          dataset.Day
			y            int16
			m, d         int8
		}
		buyers := make([]buyer, len(tx.IDs))
		for c, sr := range subOf {
			b := buyer{cohort: -2}
			if sr >= 0 && status(subs, int(sr), opt.AsOf) == 0 {
				a := subs.Activation[sr]
				ay, am, ad := a.Date()
				b = buyer{cohort: member[sr], slot: int32(slot(int(sr))), act: a, y: int16(ay), m: int8(am), d: int8(ad)}
			}
			buyers[c] = b
		}
		for r, d := range tx.Day {
			b := &buyers[tx.Customer[r]]
			switch {
			case d > opt.AsOf:
				out.Left.LateTransactions++
				continue
			case b.cohort == -2:
				out.Left.UnmatchedTransactions++
				out.Left.UnmatchedRevenue += tx.Amount[r]
				continue
			case b.cohort < 0:
				continue // a member of a cohort left out
			case d < b.act:
				out.BeforeActivation++
				continue
			}
			t := monthsDone(ymd{int(b.y), int(b.m), int(b.d)}, days[d-start]) / k // tenure period t+1
			if t >= kmax {
				continue
			}
			co := int(b.cohort)
			revenue[co*w+t] += tx.Amount[r]
			if g := int(b.slot); g > 0 {
				revenue[(g*nco+co)*w+t] += tx.Amount[r]
			}
		}
	}

	names := append([]string{""}, out.Groups...)
	for g, name := range names {
		for co := range nco {
			j := g*nco + co
			if size[j] == 0 || observed[j] == 0 {
				continue
			}
			// active_t = members active through ≥ t tenures; censored_t =
			// members with fewer than t observed anniversaries.
			active := size[j]
			var censored int64
			cum := 0.0
			for t := 1; t <= observed[j]; t++ {
				inService := active // in service at the start of period t
				active -= activeHist[j*w+t-1]
				censored += censHist[j*w+t-1]
				rev := revenue[j*w+t-1]
				cum += rev
				c := Cell{Cohort: pr.Start(first + co), Group: name, Tenure: t, Subscribers: size[j],
					Active: active, Censored: censored, Retention: ratio(float64(active), float64(size[j]))}
				if out.Revenue {
					c.Revenue = rev
					c.RevenuePerSubscriber = cum / float64(size[j])
					c.ARPU = ratio(rev, float64(inService))
				}
				out.Cells = append(out.Cells, c)
				out.MaxTenure = max(out.MaxTenure, t)
			}
		}
	}
	return out, nil
}
