package clv

import (
	"fmt"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/segment"
)

// ListOptions configure Base.Lists.
type ListOptions struct {
	// Exclude are customer ids not to contact.
	Exclude []string
	// MaxRows caps each list (0: no cap).
	MaxRows int
}

// Lists are the campaign lists of the segments: one per action and the
// early-warning list (segment.Result.Lists), with the reason of each row.
type Lists struct {
	*segment.Lists
	// Segments are the segments the lists were cut from (row numbers of the
	// lists index them).
	Segments *Segments
	reasons  map[int][]string
}

// Lists cuts the segments into campaign lists: one per action (every
// customer with an action is on exactly one) and the early-warning list,
// ordered by value at risk (clv × risk; for the churned, the run-rate value
// they would bring back), ties by id, without the excluded ids and cut to
// o.MaxRows.
func (b *Base) Lists(o ListOptions) (*Lists, error) {
	s, err := b.Segments()
	if err != nil {
		return nil, err
	}
	l, err := s.Result.Lists(segment.ListOptions{Actions: s.Options.Actions, Exclude: o.Exclude, MaxRows: o.MaxRows, RiskThreshold: s.Options.RiskThreshold})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadOption, err)
	}
	out := &Lists{Lists: l, Segments: s}
	if h := s.Hazard; h != nil {
		// Churn-model drivers per segment row.
		byRow := make(map[int]int, len(h.Rows))
		for j, r := range h.Rows {
			byRow[r] = j
		}
		out.reasons = map[int][]string{}
		for i, c := range s.Summary.Index {
			if r := b.subRow(c); r >= 0 {
				if j, ok := byRow[int(r)]; ok && len(h.Reasons[j]) > 0 {
					texts := make([]string, len(h.Reasons[j]))
					for k, x := range h.Reasons[j] {
						texts[k] = x.Text
					}
					out.reasons[i] = texts
				}
			}
		}
	}
	return out, nil
}

// Reason says why segment row i has its stage and action (segment.Result.Reason)
// and, when the churn-hazard model scored it, what raises its churn risk most.
func (l *Lists) Reason(i int) string {
	s := l.Segments
	why := s.Result.Reason(i, s.Options)
	if d := l.reasons[i]; len(d) > 0 && s.Stage[i] != segment.Churned {
		why += "; risk drivers: " + strings.Join(d, ", ")
	}
	return why
}

// Changes compares the segments with a previous run's per-subscriber output
// (segment.Compare, with this run's early-warning threshold).
func (b *Base) Changes(prev *segment.Snapshot) (*segment.Changes, error) {
	s, err := b.Segments()
	if err != nil {
		return nil, err
	}
	c, err := segment.Compare(prev, s.Result, s.Options.RiskThreshold)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadOption, err)
	}
	return c, nil
}

// GroupOptions configure Base.Groups.
type GroupOptions struct {
	// Column is the subscriber column holding the group id; "" looks for
	// group_id, then group (集团编号 and 集团 are read as group).
	Column string
	// Months is the window of the monthly revenue: the last Months months
	// of complete periods up to the as-of day (default 3; at least one
	// period).
	Months int
	segment.GroupOptions
}

// Groups is the roll-up of the segments by group customer.
type Groups struct {
	// Column is the group column used.
	Column string
	Rows   []segment.GroupRow
	// From and To bound the window of the monthly revenue; Months is its
	// length in months.
	From, To dataset.Day
	Months   int
	// Ungrouped counts customers without a group id.
	Ungrouped int
	Segments  *Segments
}

// GroupColumns are the columns Groups looks for without GroupOptions.Column.
var GroupColumns = []string{"group_id", "group"}

// Groups rolls the segments up by group customer: members (lines), lines in
// service at the as-of day, revenue in the window, monthly revenue over the
// last complete periods, CLV, value at risk, members on the early-warning
// list, the grade and the key members. It returns nil, nil when o.Column is
// empty and no group column is found.
func (b *Base) Groups(o GroupOptions) (*Groups, error) {
	s, err := b.Segments()
	if err != nil {
		return nil, err
	}
	col := o.Column
	if col == "" {
		for _, c := range GroupColumns {
			if _, ok := s.Attrs[c]; ok {
				col = c
				break
			}
		}
		if col == "" {
			return nil, nil
		}
	} else if _, ok := s.Attrs[col]; !ok {
		have := s.AttrNames
		if have == nil {
			have = []string{"none: no subscriber export"}
		}
		return nil, fmt.Errorf("%w: group column %q: the subscriber export has no such column (have %v)", ErrBadOption, col, have)
	}
	if o.Months == 0 {
		o.Months = 3
	}
	if o.Months < 1 || o.Months > 120 {
		return nil, fmt.Errorf("%w: group revenue window %d months (want 1 to 120)", ErrBadOption, o.Months)
	}
	// The window: the last k complete periods up to the as-of day, not
	// before the period of the first transaction.
	p := b.opt.Period
	last := p.Index(b.asOf)
	if p.End(last) != b.asOf {
		last-- // the as-of period is partial
	}
	k := max(1, o.Months/p.Months())
	first := last - k + 1
	if b.Tx.Len() > 0 {
		d0, _ := b.Tx.DayRange()
		first = max(first, p.Index(d0))
	}
	g := &Groups{Column: col, Segments: s}
	in := segment.GroupInput{Group: s.Attrs[col], Active: make([]bool, s.Len()), Monthly: make([]float64, s.Len())}
	if last >= first {
		g.From, g.To = p.Start(first), p.End(last)
		g.Months = (last - first + 1) * p.Months()
		spend := make([]float64, len(b.Tx.IDs))
		for t, c := range b.Tx.Customer {
			if d := b.Tx.Day[t]; d >= g.From && d <= g.To {
				spend[c] += b.Tx.Amount[t]
			}
		}
		for i, c := range s.Summary.Index {
			in.Monthly[i] = spend[c] / float64(g.Months)
		}
	}
	for i := range in.Active {
		in.Active[i] = s.Churn == nil || s.Churn[i] == dataset.NoDay || s.Churn[i] > b.asOf
		if in.Group[i] == "" {
			g.Ungrouped++
		}
	}
	g.Rows, err = s.Result.Groups(in, o.GroupOptions, s.Options.RiskThreshold)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadOption, err)
	}
	return g, nil
}
