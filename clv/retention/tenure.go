package retention

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
)

// Status is a subscriber's state at the as-of date.
type Status int8

// Subscriber states.
const (
	// Active subscribers are in service at the as-of date (censored).
	Active Status = iota
	// Churned subscribers left on or before the as-of date.
	Churned
	// NotStarted subscribers were activated after the as-of date (or have
	// no activation date); they are left out of every analysis.
	NotStarted
	// Invalid subscribers have a churn date before their activation date;
	// they are left out and counted.
	Invalid
	// Truncated subscribers churned before the start of the observation
	// window (TenureOptions.From), which a left-truncated export should not
	// hold; they are left out and counted.
	Truncated
)

// String returns "active", "churned", "not-started" or "invalid".
func (s Status) String() string {
	switch s {
	case Churned:
		return "churned"
	case NotStarted:
		return "not-started"
	case Invalid:
		return "invalid"
	case Truncated:
		return "truncated"
	}
	return "active"
}

// TenureOptions says how tenure is measured.
type TenureOptions struct {
	// Period is the length of a tenure period: a month, a quarter or a year,
	// counted from each subscriber's activation day (see the package comment).
	Period dataset.Period
	// AsOf is the last observed day (inclusive).
	AsOf dataset.Day
	// From, when set, is the first day of the observation window of a
	// left-truncated export: one that holds only the subscribers still active
	// on that day, so that those activated earlier are survivors. Each such
	// subscriber enters the analysis at the tenure period containing From,
	// conditionally on having survived until then. NoDay means the export
	// holds every subscriber ever activated.
	From dataset.Day
}

// Tenures holds, for every subscriber of a dataset.Subscribers, the tenure
// period reached at the as-of date. Period[i] is the tenure period t in which
// subscriber i churned (T = t) or, when active, the period it is in at the
// as-of date, having been observed for Fraction[i] in (0, 1] of it. Both are 0
// for NotStarted, Invalid and Truncated subscribers. With left truncation,
// Entry[i] is the tenure period containing TenureOptions.From (1 when the
// subscriber was activated on or after it) and EntryFraction[i] the share of
// that period already elapsed at From (0 when activated on or after it).
type Tenures struct {
	Period        []int32
	Fraction      []float64
	Status        []Status
	Entry         []int32
	EntryFraction []float64
	Options       TenureOptions
}

// Len returns the number of subscribers.
func (t *Tenures) Len() int { return len(t.Status) }

// Completed returns the number of whole tenure periods subscriber i has
// completed at the as-of date (renewals made): Period − 1 for an active
// subscriber, Period for a churned one, 0 otherwise.
func (t *Tenures) Completed(i int) int {
	switch t.Status[i] {
	case Active:
		return int(t.Period[i]) - 1
	case Churned:
		return int(t.Period[i])
	}
	return 0
}

// Count returns the number of subscribers in each state; invalid includes
// the Truncated ones.
func (t *Tenures) Count() (active, churned, notStarted, invalid int) {
	for _, s := range t.Status {
		switch s {
		case Active:
			active++
		case Churned:
			churned++
		case NotStarted:
			notStarted++
		case Invalid, Truncated:
			invalid++
		}
	}
	return
}

// Truncated returns the number of subscribers left out because they churned
// before TenureOptions.From.
func (t *Tenures) Truncated() int {
	n := 0
	for _, s := range t.Status {
		if s == Truncated {
			n++
		}
	}
	return n
}

// AddMonths returns day d moved by k calendar months, keeping the day of the
// month and clamping it to the length of the target month (31 January + 1
// month = 28 or 29 February).
func AddMonths(d dataset.Day, k int) dataset.Day {
	return civilOf(d).addMonths(k)
}

// civil is a calendar date split into year, month and day.
type civil struct{ y, m, d int }

func civilOf(d dataset.Day) civil {
	y, m, dd := d.Date()
	return civil{y, m, dd}
}

// addMonths is AddMonths on a split date (one Civil conversion).
func (c civil) addMonths(k int) dataset.Day {
	months := c.y*12 + (c.m - 1) + k
	ny := months / 12
	nm := months%12 + 1
	if months < 0 && months%12 != 0 {
		ny--
		nm = months%12 + 13
	}
	return dataset.Civil(ny, nm, min(c.d, dataset.DaysIn(ny, nm)))
}

// periodsStarted returns the number of tenure periods of a subscriber
// activated on day a that start before day e: #{j ≥ 0 : a + j·k months < e}.
func periodsStarted(a, e dataset.Day, k int) int {
	if e <= a {
		return 0
	}
	return periodsStartedCivil(civilOf(a), civilOf(e), e, k)
}

// periodsStartedCivil is periodsStarted with both dates already split.
func periodsStartedCivil(a, ec civil, e dataset.Day, k int) int {
	j := ((ec.y-a.y)*12 + (ec.m - a.m)) / k
	for a.addMonths((j+1)*k) < e {
		j++
	}
	for j >= 0 && a.addMonths(j*k) >= e {
		j--
	}
	return j + 1
}

// ComputeTenures places every subscriber of s on the tenure axis at opt.AsOf.
// A subscriber whose churn date is after the as-of date is active at it.
func ComputeTenures(s *dataset.Subscribers, opt TenureOptions) (*Tenures, error) {
	if opt.AsOf == dataset.NoDay {
		return nil, fmt.Errorf("%w: tenures need an as-of date", ErrInvalidInput)
	}
	if opt.Period != dataset.PeriodMonth && opt.Period != dataset.PeriodQuarter && opt.Period != dataset.PeriodYear {
		return nil, fmt.Errorf("%w: period %d", ErrInvalidInput, opt.Period)
	}
	if opt.From != dataset.NoDay && opt.From > opt.AsOf {
		return nil, fmt.Errorf("%w: observation window starts %s, after the as-of date %s", ErrInvalidInput, opt.From, opt.AsOf)
	}
	n := s.Len()
	t := &Tenures{
		Period:        make([]int32, n),
		Fraction:      make([]float64, n),
		Status:        make([]Status, n),
		Entry:         make([]int32, n),
		EntryFraction: make([]float64, n),
		Options:       opt,
	}
	k := opt.Period.Months()
	end := opt.AsOf + 1 // observation window is [activation, end)
	endC := civilOf(end)
	for i := 0; i < n; i++ {
		a, c := s.Activation[i], s.Churn[i]
		switch {
		case a == dataset.NoDay || a > opt.AsOf:
			t.Status[i] = NotStarted
		case c != dataset.NoDay && c < a:
			t.Status[i] = Invalid
		case opt.From != dataset.NoDay && c != dataset.NoDay && c <= opt.From:
			t.Status[i] = Truncated
		case c != dataset.NoDay && c <= opt.AsOf:
			t.Status[i] = Churned
			t.Period[i] = int32(max(1, periodsStarted(a, c, k)))
			t.Fraction[i] = 1
		default:
			ac := civilOf(a)
			p := periodsStartedCivil(ac, endC, end, k)
			start := ac.addMonths((p - 1) * k)
			next := ac.addMonths(p * k)
			t.Status[i] = Active
			t.Period[i] = int32(p)
			t.Fraction[i] = float64(end-start) / float64(next-start)
		}
		if t.Status[i] == Active || t.Status[i] == Churned {
			t.Entry[i] = 1
			if opt.From != dataset.NoDay && a < opt.From {
				// In service on From: entered at the period containing
				// From, a share g of it elapsed.
				e := periodsStarted(a, opt.From+1, k)
				start := AddMonths(a, (e-1)*k)
				next := AddMonths(a, e*k)
				t.Entry[i] = int32(e)
				t.EntryFraction[i] = float64(opt.From-start) / float64(next-start)
			}
		}
	}
	return t, nil
}

// Censored is a group of subscribers still active at the as-of date while in
// tenure period Period, observed for fraction Fraction in [0, 1] of it.
type Censored struct {
	Period   int
	Fraction float64
	Weight   float64
}

// Durations is the collapsed, weighted form of a subscriber base that the life
// table and the sBG fit read: Churned[t−1] is the number (weight) of
// subscribers lost in tenure period t, and Censored lists the subscribers still
// active, grouped by period and observed fraction. A cohort observed until
// after its n-th renewal has its survivors in Censored{Period: n+1,
// Fraction: 0} (equivalently {Period: n, Fraction: 1}).
//
// Entries lists the subscribers of a left-truncated base that entered the
// observation late: in tenure period Period with share Fraction of it already
// elapsed, known to have survived until then. Their likelihood is conditioned
// on that survival; subscribers observed from activation are not listed.
type Durations struct {
	Churned  []float64
	Censored []Censored
	Entries  []Censored
}

// Durations collapses the subscribers listed in rows (all when rows is nil)
// into Durations. Identical (period, fraction) pairs are merged; the result
// is sorted and does not depend on the order of rows.
func (t *Tenures) Durations(rows []int) Durations {
	var d Durations
	cens := map[censKey]float64{}
	entries := map[censKey]float64{}
	add := func(i int) {
		if (t.Status[i] == Churned || t.Status[i] == Active) && (t.Entry[i] > 1 || t.EntryFraction[i] > 0) {
			entries[censKey{int(t.Entry[i]), t.EntryFraction[i]}]++
		}
		switch t.Status[i] {
		case Churned:
			p := int(t.Period[i])
			for len(d.Churned) < p {
				d.Churned = append(d.Churned, 0)
			}
			d.Churned[p-1]++
		case Active:
			cens[censKey{int(t.Period[i]), t.Fraction[i]}]++
		}
	}
	if rows == nil {
		for i := range t.Status {
			add(i)
		}
	} else {
		for _, i := range rows {
			add(i)
		}
	}
	d.Censored, d.Entries = collapse(cens), collapse(entries)
	return d
}

// censKey identifies a group of censored (or entering) subscribers.
type censKey struct {
	p int
	f float64
}

// collapse lists the groups of m sorted by period, then fraction (nil when m
// is empty).
func collapse(m map[censKey]float64) []Censored {
	var cs []Censored
	for k, w := range m {
		cs = append(cs, Censored{Period: k.p, Fraction: k.f, Weight: w})
	}
	slices.SortFunc(cs, func(a, b Censored) int {
		return cmp.Or(cmp.Compare(a.Period, b.Period), cmp.Compare(a.Fraction, b.Fraction))
	})
	return cs
}

// Cohort returns the Durations of one cohort that started with survivors[0]
// customers and had survivors[t] left after its t-th renewal, observed up to
// the last entry (the survivors then are censored). This is the data layout of
// Fader & Hardie (2007), Table 1.
func Cohort(survivors []float64) (Durations, error) {
	var d Durations
	if len(survivors) < 2 {
		return d, fmt.Errorf("%w: a cohort needs its initial size and at least one renewal count", ErrTooLittleData)
	}
	for t := 1; t < len(survivors); t++ {
		lost := survivors[t-1] - survivors[t]
		if !(lost >= 0) || math.IsInf(survivors[t], 0) {
			return d, fmt.Errorf("%w: survivors increase or are not finite at renewal %d (%g after %g)", ErrInvalidInput, t, survivors[t], survivors[t-1])
		}
		d.Churned = append(d.Churned, lost)
	}
	if last := survivors[len(survivors)-1]; last > 0 {
		d.Censored = []Censored{{Period: len(survivors) - 1, Fraction: 1, Weight: last}}
	}
	return d, nil
}

// Merge returns the union of several Durations (for example several cohorts).
func Merge(ds ...Durations) Durations {
	var out Durations
	cens := map[censKey]float64{}
	entries := map[censKey]float64{}
	for _, d := range ds {
		for t, w := range d.Churned {
			for len(out.Churned) <= t {
				out.Churned = append(out.Churned, 0)
			}
			out.Churned[t] += w
		}
		for _, c := range d.Censored {
			cens[censKey{c.Period, c.Fraction}] += c.Weight
		}
		for _, c := range d.Entries {
			entries[censKey{c.Period, c.Fraction}] += c.Weight
		}
	}
	out.Censored, out.Entries = collapse(cens), collapse(entries)
	return out
}

// Total returns the number (weight) of subscribers in d.
func (d Durations) Total() float64 {
	s := 0.0
	for _, w := range d.Churned {
		s += w
	}
	for _, c := range d.Censored {
		s += c.Weight
	}
	return s
}

// horizon returns the last tenure period that holds any observation.
func (d Durations) horizon() int {
	h := len(d.Churned)
	for _, c := range d.Censored {
		h = max(h, c.Period)
	}
	for _, c := range d.Entries {
		h = max(h, c.Period)
	}
	return h
}

// LifeRow is one tenure period of a life table.
type LifeRow struct {
	// Period is the tenure period t (1 = the first period after activation).
	Period int
	// AtRisk counts subscribers who entered period t.
	AtRisk float64
	// Churned counts subscribers lost during period t.
	Churned float64
	// Censored counts subscribers still active at the as-of date while in period t.
	Censored float64
	// Exposure is AtRisk − Σ(1 − f) over the censored: the actuarial number at risk.
	Exposure float64
	// Retention is r_t = 1 − Churned/Exposure.
	Retention float64
	// Survival is S_t = Π_{k≤t} r_k.
	Survival float64
}

// LifeTable computes the actuarial life table of d (see the package comment).
// Rows run from period 1 to the last period with positive exposure.
func LifeTable(d Durations) []LifeRow {
	h := d.horizon()
	churned := make([]float64, h+2)
	censored := make([]float64, h+2)
	unexposed := make([]float64, h+2) // Σ (1 − f) over the censored, Σ g over the entries
	exits := make([]float64, h+2)     // weight leaving (churned or censored) in period t
	entering := make([]float64, h+2)  // weight entering late in period t
	copy(churned[1:], d.Churned)
	for t := 1; t <= h; t++ {
		exits[t] += churned[t]
	}
	for _, c := range d.Censored {
		censored[c.Period] += c.Weight
		exits[c.Period] += c.Weight
		unexposed[c.Period] += c.Weight * (1 - c.Fraction)
	}
	lateTotal := 0.0
	for _, e := range d.Entries {
		entering[e.Period] += e.Weight
		unexposed[e.Period] += e.Weight * e.Fraction
		lateTotal += e.Weight
	}
	// Subscribers observed from period 1: all minus the late entries, who
	// join the risk set in their entry period.
	atRisk := d.Total() - lateTotal
	var rows []LifeRow
	surv := 1.0
	for t := 1; t <= h; t++ {
		atRisk += entering[t]
		exp := atRisk - unexposed[t]
		if exp <= 1e-9*math.Max(1, atRisk) {
			break
		}
		r := 1 - churned[t]/exp
		r = math.Max(0, math.Min(1, r))
		surv *= r
		rows = append(rows, LifeRow{Period: t, AtRisk: atRisk, Churned: churned[t], Censored: censored[t],
			Exposure: exp, Retention: r, Survival: surv})
		atRisk -= exits[t]
	}
	return rows
}
