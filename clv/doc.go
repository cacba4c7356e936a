// Package clv is the analysis layer of the toolkit: it holds a customer base
// as loaded (transactions, subscribers, the observation window, time units and
// periods, and the options of a run) and derives every analysis from it once,
// lazily, so that a command pays only for what it uses and every output that
// shows a figure shows the same figure.
//
// A Base is made by New from data already read (package io/read does the
// reading) and Options. Its methods return the derived analyses, each
// computed on first use and cached:
//
//	Summary(unit)      the per-customer summary (x, t_x, T, monetary, ...) in a model time unit
//	Panel()            the customer × period spend panel
//	Tenures()          every subscriber placed on the tenure axis at the as-of day
//	Retention()        life tables and sBG fits, per retention group, with the pooled fallback
//	SubscriberValues() residual lifetime value per subscriber (margin × DERL of its group)
//	RepeatInput(m, u)  the customer selection and model data of a repeat-purchase model
//	Repeat(m, u)       the maximum-likelihood fit of that model on that input
//	ValueCurves(by)    spend per subscriber by tenure period per group, smoothed (segment.Curve)
//	Potential()        current, run-rate future and potential (growth) value, and headroom
//	Segments()         lifecycle stage, value tier, key accounts, early warning, quadrants on
//	                   current × potential value, ...
//	Lifecycle()        the Markov chain of lifecycle stages
//	KPI(p, by)         base movement per calendar period: opening base, adds, churners, ARPU, ...
//	Cohorts(p, by)     activation cohort × tenure: retention, censored members, revenue
//	Risk(o)            churn probability within o.Horizon periods (clv/hazard), value,
//	                   expected value lost, reasons and, with o.Interval, their intervals
//	Backtest(o)        the churn model fitted o.Horizon periods back, checked against
//	                   the churn that followed, with the segment heuristic and BG/NBD
//
// and, computed on each call (they take their own arguments):
//
//	Holdout(in, m, end, c)      a repeat-purchase model against the purchases after the as-of day
//	Migration(o)                the recency-state migration model on the panel's complete periods
//	ValueBands(l, n, seed)      intervals of the subscribers' residual values (seeded sBG draws)
//	ValueInterval(l, n, seed)   the interval of their total (the report's headline)
//	RepeatBands(in, fit, p, …)  intervals of P(alive), expected transactions and CLV (BTYD draws)
//	CLVBands(s, vb)             ValueBands mapped onto the segment rows
//	Lists(o)                    campaign lists of the segments: one per action, early warning, with reasons
//	Changes(prev)               movement since a previous run's per-subscriber output
//	Groups(o)                   roll-up by group customer: lines, revenue, grade, key members
//
// Rules every analysis shares, decided once here:
//
//   - The as-of day (last observed day, inclusive) defaults to the latest date
//     in any input. An as-of day more than one period after that date is
//     refused (ErrFutureAsOf) unless Options.AllowFutureAsOf: unobserved time
//     is not survival.
//   - Observation start (left truncation). A subscriber export that holds only
//     the subscribers still active on some day (those who churned earlier were
//     purged) must be analysed conditionally on survival until that day. With
//     Options.ObservedFrom in auto mode the start is detected: when subscribers
//     were activated before the first transaction day and none churned before
//     it, that day is the observation start (without transactions: the start of
//     the period holding the earliest churn, when over a fifth of the subscribers
//     were activated more than a year before it). Truncation says what was found.
//   - Retention groups. Future value fits one shifted-beta-geometric model per
//     value of Options.RetentionBy (default: plan, when the subscriber export has
//     that column); a group smaller than Options.MinGroup, or whose fit fails,
//     uses the pooled fit of the whole base, and says so. The value of the base is
//     the sum over its subscribers.
//   - Repeat-purchase models (BG/NBD family, Gamma-Gamma) are fitted on the
//     customers with a first purchase in the window (the models start at the
//     first purchase), whichever command asks.
//   - Potential value is the growth part of future value: the residual value
//     when spend follows the within-subscriber value curve of the subscriber's
//     retention group from its current tenure, at its own level shrunk by
//     Bühlmann–Straub credibility, under the group's retention model, minus
//     the residual value at today's run rate (see Base.Potential).
//
// The package is pure: no printing, no files. Notes meant for the user are
// returned (Notes) for the caller to print.
package clv
