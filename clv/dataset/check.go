package dataset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// ErrNoOverlap is wrapped by Sanity.Err when no subscriber id matches a
// transaction customer id: a wrong id column, or ids written differently in
// the two exports (lost leading zeros, a prefix).
var ErrNoOverlap = errors.New("no subscriber id matches a transaction customer id")

// CheckOptions controls Check.
type CheckOptions struct {
	// Examples is the number of example ids or dates kept per finding
	// (0 = 3).
	Examples int
}

// Sanity counts what looks doubtful in loaded data. Nothing here stops an
// analysis by itself except Err (no id overlap at all); the rest are
// warnings, counted so that a report's data-quality section can show them.
type Sanity struct {
	// Customers with transactions, and subscriber rows (0 without subscribers).
	Customers, Subscribers int
	// Matched subscribers have transactions; SubscribersOnly have none;
	// CustomersOnly are customers with transactions but no subscriber row.
	// All 0 without subscribers.
	Matched, SubscribersOnly, CustomersOnly int
	// BeforeActivation and AfterChurn count transaction rows dated before
	// their subscriber's activation or after the churn day.
	BeforeActivation, AfterChurn int64
	// FarDates counts transaction rows dated far outside the bulk of the
	// transaction dates (see Check); FarSubscriberDates the activation or
	// churn days far outside the bulk of the activation days.
	FarDates, FarSubscriberDates int64
	// DateBulk is the span the dates were compared with: the 1st to 99th
	// percentile of the transaction days (NoDay, NoDay without transactions).
	DateBulk [2]Day
	// ControlIDs counts ids (customers and subscribers) holding a control
	// character (NUL, tab, line break, ...), a Unicode replacement
	// character or invalid UTF-8.
	ControlIDs int

	// Examples of each finding (at most CheckOptions.Examples each).
	ExampleSubscribersOnly, ExampleCustomersOnly []string
	ExampleBeforeActivation, ExampleAfterChurn   []string // customer ids
	ExampleFarDates                              []Day
	ExampleControlIDs                            []string
}

// Finding is one counted warning of a Sanity.
type Finding struct {
	Kind    string // stable key: "partial_overlap", "before_activation", ...
	Count   int64
	Message string // one line, with examples
}

// Err returns the error of data that cannot be analysed together: both
// tables non-empty and no subscriber id among the customer ids. The message
// shows examples of both id forms.
func (s Sanity) Err() error {
	if s.Subscribers == 0 || s.Customers == 0 || s.Matched > 0 {
		return nil
	}
	return fmt.Errorf("%w: %d subscribers (e.g. %s), %d customers with transactions (e.g. %s); check --customer-col and how the ids are written (leading zeros, prefixes)",
		ErrNoOverlap, s.Subscribers, quoteList(s.ExampleSubscribersOnly), s.Customers, quoteList(s.ExampleCustomersOnly))
}

// Findings returns the warnings, in a fixed order, each with its count.
func (s Sanity) Findings() []Finding {
	var out []Finding
	add := func(kind string, n int64, format string, args ...any) {
		if n > 0 {
			out = append(out, Finding{Kind: kind, Count: n, Message: fmt.Sprintf(format, args...)})
		}
	}
	if s.Err() == nil {
		add("subscribers_without_transactions", int64(s.SubscribersOnly),
			"%d of %d subscribers have no transaction (e.g. %s)", s.SubscribersOnly, s.Subscribers, quoteList(s.ExampleSubscribersOnly))
		add("customers_without_subscriber", int64(s.CustomersOnly),
			"%d of %d customers with transactions have no subscriber row (e.g. %s)", s.CustomersOnly, s.Customers, quoteList(s.ExampleCustomersOnly))
	}
	add("before_activation", s.BeforeActivation,
		"%d transaction rows are dated before their subscriber's activation (e.g. customer %s)", s.BeforeActivation, quoteList(s.ExampleBeforeActivation))
	add("after_churn", s.AfterChurn,
		"%d transaction rows are dated after their subscriber's churn date (e.g. customer %s)", s.AfterChurn, quoteList(s.ExampleAfterChurn))
	add("far_dates", s.FarDates,
		"%d transaction rows are dated far outside the bulk of the data (%s to %s), e.g. %s", s.FarDates, s.DateBulk[0], s.DateBulk[1], dayList(s.ExampleFarDates))
	add("far_subscriber_dates", s.FarSubscriberDates,
		"%d subscriber activation or churn dates lie far outside the bulk of the activation dates", s.FarSubscriberDates)
	add("control_characters", int64(s.ControlIDs),
		"%d ids hold control characters, NUL or invalid text (e.g. %s)", s.ControlIDs, quoteList(s.ExampleControlIDs))
	return out
}

// Check counts doubtful data in transactions t and, when s is not nil,
// subscribers s joined to them (subOf as returned by Join: per customer of
// t its subscriber row or -1). It reads the data only.
//
// A date is far from the bulk when it lies outside [q01 − 2w, q99 + 2w]
// where q01 and q99 are the 1st and 99th percentiles of the dates and
// w = max(q99 − q01, 365 days): a two-year export flags dates more than four
// years outside it (0001-01-01, a 1900 placeholder), not a long-tenured
// subscriber. The transaction dates' percentiles are exact (from a
// histogram of the days, DayCounts); those of the subscriber dates come
// from an evenly spaced sample of at most 100,000 dates.
func Check(t *Transactions, s *Subscribers, subOf []int32, opt CheckOptions) Sanity {
	ex := opt.Examples
	if ex <= 0 {
		ex = 3
	}
	var r Sanity
	hasTx := make([]bool, len(t.IDs))
	for _, c := range t.Customer {
		hasTx[c] = true
	}
	for _, h := range hasTx {
		if h {
			r.Customers++
		}
	}
	for _, id := range t.IDs {
		if badID(id) {
			r.ControlIDs++
			if len(r.ExampleControlIDs) < ex {
				r.ExampleControlIDs = append(r.ExampleControlIDs, id)
			}
		}
	}
	// Dates far from the bulk.
	r.DateBulk, r.FarDates, r.ExampleFarDates = CountDays(t.Day).farDates(ex)
	if s == nil {
		return r
	}
	r.Subscribers = s.Len()
	for _, id := range s.ID {
		if badID(id) {
			r.ControlIDs++
			if len(r.ExampleControlIDs) < ex {
				r.ExampleControlIDs = append(r.ExampleControlIDs, id)
			}
		}
	}
	for c, sr := range subOf {
		switch {
		case sr >= 0 && hasTx[c]:
			r.Matched++
		case sr >= 0:
			r.SubscribersOnly++
			if len(r.ExampleSubscribersOnly) < ex {
				r.ExampleSubscribersOnly = append(r.ExampleSubscribersOnly, t.IDs[c])
			}
		case hasTx[c]:
			r.CustomersOnly++
			if len(r.ExampleCustomersOnly) < ex {
				r.ExampleCustomersOnly = append(r.ExampleCustomersOnly, t.IDs[c])
			}
		}
	}
	for k, c := range t.Customer {
		sr := subOf[c]
		if sr < 0 {
			continue
		}
		d := t.Day[k]
		if a := s.Activation[sr]; a != NoDay && d < a {
			r.BeforeActivation++
			if len(r.ExampleBeforeActivation) < ex && !slices.Contains(r.ExampleBeforeActivation, t.IDs[c]) {
				r.ExampleBeforeActivation = append(r.ExampleBeforeActivation, t.IDs[c])
			}
		}
		if ch := s.Churn[sr]; ch != NoDay && d > ch {
			r.AfterChurn++
			if len(r.ExampleAfterChurn) < ex && !slices.Contains(r.ExampleAfterChurn, t.IDs[c]) {
				r.ExampleAfterChurn = append(r.ExampleAfterChurn, t.IDs[c])
			}
		}
	}
	subDays := append(slices.Clip(s.Activation), s.Churn...)
	if lo, hi, ok := fences(subDays); ok {
		for _, d := range subDays {
			if d != NoDay && (d < lo || d > hi) {
				r.FarSubscriberDates++
			}
		}
	}
	return r
}

// CheckAccumulated is Check for transactions read into per-customer
// accumulators (a streaming read, without subscribers): the same findings
// from the customer ids and the histogram of the transaction days.
func CheckAccumulated(a *Accumulated, days DayCounts, opt CheckOptions) Sanity {
	ex := opt.Examples
	if ex <= 0 {
		ex = 3
	}
	r := Sanity{Customers: len(a.IDs)}
	for _, id := range a.IDs {
		if badID(id) {
			r.ControlIDs++
			if len(r.ExampleControlIDs) < ex {
				r.ExampleControlIDs = append(r.ExampleControlIDs, id)
			}
		}
	}
	r.DateBulk, r.FarDates, r.ExampleFarDates = days.farDates(ex)
	return r
}

// bulkSample is the largest number of dates sorted to find the bulk.
const bulkSample = 100_000

// bulk returns the 1st and 99th percentiles (nearest rank) of the days that
// are not NoDay, from an evenly spaced sample; NoDay, NoDay when none.
func bulk(days []Day) (q01, q99 Day) {
	step := max(1, len(days)/bulkSample)
	sample := make([]Day, 0, min(len(days), bulkSample+1))
	for i := 0; i < len(days); i += step {
		if days[i] != NoDay {
			sample = append(sample, days[i])
		}
	}
	if len(sample) == 0 {
		return NoDay, NoDay
	}
	slices.Sort(sample)
	at := func(q float64) Day { // nearest rank: the ceil(q·n)-th smallest
		return sample[max(0, int(math.Ceil(q*float64(len(sample))))-1)]
	}
	return at(0.01), at(0.99)
}

// fences returns the bounds outside which a day is far from the bulk.
func fences(days []Day) (lo, hi Day, ok bool) {
	q01, q99 := bulk(days)
	if q01 == NoDay {
		return 0, 0, false
	}
	w := max(q99-q01, 365)
	return q01 - 2*w, q99 + 2*w, true
}

// badID reports whether an id holds a control character (C0, DEL, C1), a
// Unicode replacement character or invalid UTF-8.
func badID(id string) bool {
	ascii := true
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < 0x20 || c == 0x7f {
			return true
		} else if c >= 0x80 {
			ascii = false
		}
	}
	if ascii {
		return false
	}
	if !utf8.ValidString(id) {
		return true
	}
	for _, r := range id {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

func quoteList(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ", "
		}
		if len(id) > 64 {
			id = id[:64] + "…"
		}
		out += fmt.Sprintf("%q", id)
	}
	return out
}

func dayList(days []Day) string {
	out := ""
	for i, d := range days {
		if i > 0 {
			out += ", "
		}
		out += d.String()
	}
	return out
}

// TenureUnit infers the time unit of T from the tenure_days column of a
// summary read from a file: T = tenure_days / Unit.Days() for customers
// whose tenure counts from their first transaction (all of them when the
// summary was built without subscribers). It returns the unit that more
// than half of the customers with T > 0 agree with to 1%, and false when
// there is no Tenure column or no such majority.
func (s *Summary) TenureUnit() (Unit, bool) {
	if s.Tenure == nil || len(s.Tenure) != len(s.T) {
		return 0, false
	}
	units := []Unit{UnitDay, UnitWeek, UnitMonth}
	votes := make([]int, len(units))
	n := 0
	for i, T := range s.T {
		if !(T > 0) || math.IsInf(T, 0) {
			continue
		}
		n++
		ratio := float64(s.Tenure[i]) / T
		for k, u := range units {
			if math.Abs(ratio/u.Days()-1) < 0.01 {
				votes[k]++
				break
			}
		}
	}
	for k, v := range votes {
		if 2*v > n {
			return units[k], true
		}
	}
	return 0, false
}
