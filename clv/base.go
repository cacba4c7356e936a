package clv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
	"github.com/clvkit/clv/segment"
)

// Errors of the analysis layer.
var (
	// ErrFutureAsOf reports an as-of day more than one period after the
	// latest date in the inputs (see Options.AllowFutureAsOf).
	ErrFutureAsOf = errors.New("as-of date after the data")
	// ErrNoSubscribers reports an analysis that needs the subscriber export.
	ErrNoSubscribers = errors.New("no subscriber export")
	// ErrBadOption reports an option value that cannot be used.
	ErrBadOption = errors.New("bad option")
)

// ObservedMode says how the observation start of the subscriber export is set.
type ObservedMode int

// Observation-start modes.
const (
	// ObservedAuto detects a left-truncated export (see the package comment).
	ObservedAuto ObservedMode = iota
	// ObservedNone treats the export as complete: every subscriber ever activated.
	ObservedNone
	// ObservedDay takes ObservedFrom.Day as the observation start.
	ObservedDay
)

// ObservedFrom is the observation start of the subscriber export.
type ObservedFrom struct {
	Mode ObservedMode
	Day  dataset.Day // with ObservedDay
}

// ParseObservedFrom parses "auto", "none", "" (auto) or a date 2006-01-02.
func ParseObservedFrom(s string) (ObservedFrom, error) {
	switch s {
	case "", "auto":
		return ObservedFrom{Mode: ObservedAuto, Day: dataset.NoDay}, nil
	case "none":
		return ObservedFrom{Mode: ObservedNone, Day: dataset.NoDay}, nil
	}
	tm, err := time.Parse("2006-01-02", s)
	if err != nil {
		return ObservedFrom{}, fmt.Errorf("%w: observed-from %q: want auto, none or a date as 2006-01-02", ErrBadOption, s)
	}
	return ObservedFrom{Mode: ObservedDay, Day: dataset.DayOf(tm)}, nil
}

// Options are the settings of a run. Start from DefaultOptions.
type Options struct {
	// AsOf is the last observed day, inclusive; NoDay = the latest date in the inputs.
	AsOf dataset.Day
	// AllowFutureAsOf accepts an as-of day more than one Period after the
	// latest date in the inputs.
	AllowFutureAsOf bool
	// Period is the calendar period of panels and the tenure period of life
	// tables, sBG fits and residual values.
	Period dataset.Period
	// ObservedFrom is the observation start of the subscriber export.
	ObservedFrom ObservedFrom
	// RetentionBy is the subscriber column whose values get one sBG fit each
	// for future value: "" = plan when the export has it, else none; "none" =
	// one pooled fit; "cohort" = activation year unless a column has that name.
	RetentionBy string
	// MinGroup is the smallest retention group fitted on its own; smaller
	// groups (and groups whose fit fails) use the pooled fit.
	MinGroup int
	// Discount is the discount rate per Period of future values.
	Discount float64
	// MarginWindow is the number of recent periods whose mean revenue is a
	// subscriber's margin per period in residual values.
	MarginWindow int
	// MarginRate turns revenue into margin (1 = revenue).
	MarginRate float64
	// Margin, when set (>= 0 and MarginSet), is one margin per period for
	// every subscriber instead of MarginWindow × MarginRate.
	Margin    float64
	MarginSet bool
	// ValueModel is the future-value model of Segments: auto, sbg, bgnbd or none.
	ValueModel string
	// RiskModel is the early-warning risk of Segments: hazard (the churn
	// probability of Risk within RiskHorizon periods), heuristic (recency and
	// spend trend, or 1 − P(alive) with the bgnbd value model), or auto
	// (hazard when there is a subscriber export and the model fits).
	RiskModel string
	// RiskHorizon is the early-warning horizon in periods (default 3).
	RiskHorizon int
	// Segment holds the segment rules, tiers, thresholds and action table.
	Segment segment.Options
	// Note receives notes for the user (what was assumed, left out,
	// detected); nil discards them.
	Note func(string)
	// FitTimeout is the wall-clock budget of each model fit (sBG, BG/NBD,
	// Gamma-Gamma, ...); 0 = the model packages' default (mle.DefaultTimeout).
	FitTimeout time.Duration
	// Context, when set, cancels model fits.
	Context context.Context
	// MemoryLimit, when above 0, is the memory in bytes the large steps (the
	// panel) may take; a step whose estimate is larger fails with
	// dataset.ErrTooLarge, saying what it needs and how to get around it.
	MemoryLimit int64
}

// Defaults shared by every command: one default per setting.
const (
	// DefaultDiscount is the discount rate per period of future values (1 %).
	DefaultDiscount = 0.01
	// DefaultMarginWindow is the number of recent periods of a subscriber's margin.
	DefaultMarginWindow = 6
	// DefaultMinGroup is the smallest retention group fitted on its own.
	DefaultMinGroup = 30
)

// DefaultOptions returns the options every command starts from.
func DefaultOptions() Options {
	return Options{
		AsOf:         dataset.NoDay,
		Period:       dataset.PeriodMonth,
		ObservedFrom: ObservedFrom{Mode: ObservedAuto, Day: dataset.NoDay},
		MinGroup:     DefaultMinGroup,
		Discount:     DefaultDiscount,
		MarginWindow: DefaultMarginWindow,
		MarginRate:   1,
		ValueModel:   "auto",
		RiskModel:    "auto",
		RiskHorizon:  3,
		Segment:      segment.DefaultOptions(),
	}
}

// Data is the customer base as read: transactions (may be empty), the
// subscriber export (may be nil) and the join of the two.
type Data struct {
	Tx    *dataset.Transactions
	Subs  *dataset.Subscribers
	SubOf []int32 // per customer of Tx: subscriber row or -1 (nil without Subs)
	// Summary, when set, is a per-customer summary read from a file, or
	// built while streaming the transactions (read.Accumulate), instead of
	// transactions (commands that need only the summary).
	Summary *dataset.Summary
}

// Base is a customer base with the options of a run; see the package comment.
type Base struct {
	Data
	opt    Options
	asOf   dataset.Day
	latest dataset.Day
	trunc  Truncation

	summaries map[dataset.Unit]*dataset.Summary
	panel     *dataset.Panel
	panelErr  error
	ret       *Retention
	retErr    error
	values    *Values
	valuesErr error
	repeat    map[repeatKey]*repeatEntry
	segs      *Segments
	segsErr   error
	kpis      map[kpiKey]*kpi.Table
	cohorts   map[kpiKey]*kpi.Cohorts
	curves    map[string]curveEntry
	potential *Potential
	potErr    error
}

// New places the data on the observation window of opt: resolves the as-of
// day and the observation start and checks them against the data.
func New(d Data, opt Options) (*Base, error) {
	if d.Tx == nil {
		d.Tx = &dataset.Transactions{}
	}
	if d.Subs != nil && d.SubOf == nil {
		subOf, err := dataset.Join(d.Tx, d.Subs)
		if err != nil {
			return nil, err
		}
		d.SubOf = subOf
	}
	if opt.MinGroup < 1 {
		return nil, fmt.Errorf("%w: minimum retention group %d (want >= 1)", ErrBadOption, opt.MinGroup)
	}
	if opt.MarginWindow < 1 {
		return nil, fmt.Errorf("%w: margin window %d (want >= 1 periods)", ErrBadOption, opt.MarginWindow)
	}
	b := &Base{Data: d, opt: opt, summaries: map[dataset.Unit]*dataset.Summary{}, repeat: map[repeatKey]*repeatEntry{}}
	b.latest = latestDay(d)
	b.asOf = opt.AsOf
	if b.asOf == dataset.NoDay {
		b.asOf = b.latest
		if d.Subs != nil && b.asOf != dataset.NoDay {
			b.notef("as-of date %s (the latest date in the input; set --as-of to choose)", b.asOf)
		}
	} else if limit := addPeriods(b.latest, opt.Period, 1); b.latest != dataset.NoDay && b.asOf > limit && !opt.AllowFutureAsOf {
		return nil, fmt.Errorf("%w: --as-of %s is more than one %s after the latest date in the inputs (%s): the time in between was not observed, and would be taken as survival; give an earlier --as-of or --allow-future-as-of",
			ErrFutureAsOf, b.asOf, opt.Period, b.latest)
	}
	t, err := observationStart(d, b.asOf, opt.ObservedFrom)
	if err != nil {
		return nil, err
	}
	b.trunc = t
	if t.Note != "" {
		b.notef("%s", t.Note)
	}
	return b, nil
}

// Options returns the options of the run.
func (b *Base) Options() Options { return b.opt }

// AsOf returns the last observed day, inclusive.
func (b *Base) AsOf() dataset.Day { return b.asOf }

// Latest returns the latest date in any input (activation, churn, transaction).
func (b *Base) Latest() dataset.Day { return b.latest }

// Period returns the calendar period of the run.
func (b *Base) Period() dataset.Period { return b.opt.Period }

// Truncation returns the observation start of the subscriber export and how
// it was found.
func (b *Base) Truncation() Truncation { return b.trunc }

// HasSubscribers reports whether the base has a subscriber export.
func (b *Base) HasSubscribers() bool { return b.Subs != nil }

func (b *Base) notef(format string, args ...any) {
	if b.opt.Note != nil {
		b.opt.Note(fmt.Sprintf(format, args...))
	}
}

// latestDay returns the latest activation, churn or transaction day.
func latestDay(d Data) dataset.Day {
	last := dataset.NoDay
	if d.Subs != nil {
		for i := range d.Subs.Len() {
			last = max(last, d.Subs.Activation[i], d.Subs.Churn[i])
		}
	}
	if d.Tx.Len() > 0 {
		_, t := d.Tx.DayRange()
		last = max(last, t)
	}
	if s := d.Summary; s != nil {
		if s.Index != nil {
			// Built from transactions (a streaming read): their latest day,
			// rows after the as-of day included, as for d.Tx.
			return max(last, s.Latest)
		}
		last = max(last, s.AsOf)
		for _, l := range s.Last {
			last = max(last, l)
		}
	}
	return last
}

// addPeriods moves d by k calendar periods (day of month clamped).
func addPeriods(d dataset.Day, p dataset.Period, k int) dataset.Day {
	y, m, dd := d.Date()
	months := (y*12 + m - 1) + k*p.Months()
	ny, nm := months/12, months%12+1
	if n := dataset.DaysIn(ny, nm); dd > n {
		dd = n
	}
	return dataset.Civil(ny, nm, dd)
}
