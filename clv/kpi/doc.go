// Package kpi computes the operating view of a subscriber base: base movement
// per calendar period (the monthly figures an operator manages by) and the
// cohort table (activation period × tenure). It is pure: subscribers and
// transactions in (clv/dataset values), tables out.
//
// # Conventions
//
// Service of a subscriber covers [activation, churn): the churn date is the
// first day without service. Rows whose churn date precedes the activation
// date are left out of every count and counted (Rows.Invalid); so are
// subscribers activated after the as-of date. A churn date after the as-of
// date is not yet known: the subscriber is active. Transactions after the
// as-of date are left out, as are those of customers who are not (usable)
// subscribers (Rows.UnmatchedTransactions). A ratio whose denominator is 0
// is reported as 0. Groups (Options.By) are the distinct combinations of the
// named subscriber columns over all subscriber rows, joined with "/"; the
// whole base has group "", subscribers whose values are all empty the group
// "(blank)".
//
// # Observation start
//
// A left-truncated export (only the subscribers in service on day W, see
// clv.Base.Truncation in the analysis layer) has lost everyone who churned
// before W. Periods (and activation cohorts) that start before W would be
// reported as if complete while missing those churners, so they are left out
// and counted
// (Table.Skipped, Cohorts.Skipped). A subscriber activated before W still
// counts in the opening base of the first reported period.
//
// # Base movement (Movements), one row per period and group
//
// With s and e the first and last day of the period (e is the as-of date in
// a partial last period):
//
//	period        ISO date of s
//	opening_base  activated before s, churn date empty or on/after s
//	gross_adds    activation date in [s, e]
//	churners      churn date in [s, e]
//	net_adds      gross_adds − churners
//	closing_base  opening_base + net_adds = activated by e, churn date empty or after e
//	              (the next period's opening_base)
//	churn_rate    churners ÷ ((opening_base + closing_base) / 2)
//	revenue       sum of the amounts dated in [s, e]
//	arpu          revenue ÷ ((opening_base + closing_base) / 2)
//	arppu         revenue ÷ paying_subscribers
//	paying_share  paying_subscribers ÷ ((opening_base + closing_base) / 2), so that
//	              arpu = paying_share × arppu
//	new_arpu      revenue of the period's gross adds ÷ gross_adds
//	paying_subscribers  subscribers whose amounts dated in [s, e] sum to more than 0
//
// Revenue counts every amount of a subscriber dated in the period, also a
// final bill dated after the churn date.
//
// # Cohort table (BuildCohorts), long format
//
// A cohort is the calendar period containing the activation date; tenure is
// counted in whole periods of the same length from each subscriber's own
// activation day, with the anniversary rule of the life table (package
// clv/retention): the k-th anniversary of activation day a is a + k periods,
// keeping a's day of month clamped to the month's length (31 January + 1
// month = 28/29 February). For tenure k = 1, 2, …:
//
//	cohort                  ISO date of the cohort period's first day
//	tenure                  k
//	subscribers             cohort size
//	active                  members whose churn date is empty or after the k-th anniversary
//	retention               active ÷ subscribers
//	censored                members whose k-th anniversary is after the as-of date: their
//	                        cell is only partly observed (they count as active unless
//	                        they churned by the as-of date)
//	revenue                 members' amounts dated in tenure period k, [anniversary k−1, anniversary k)
//	revenue_per_subscriber  revenue of tenure periods 1..k ÷ subscribers (cumulative, per original member)
//	arpu                    revenue ÷ members in service at the start of period k (active at k−1)
//
// A cohort has rows for k = 1 up to the most anniversaries any member reached
// by the as-of date. Transactions dated before their subscriber's activation
// are left out and counted.
//
// # Derived views
//
// Table.Changes compares a group's latest period with the one before and the
// same period a year earlier (month-over-month and year-over-year changes of
// churn rate and ARPU). Cohorts.Pivot turns the cohort table wide for one
// metric (retention, cumulative revenue per subscriber, or ARPU), the matrix
// behind the cohort heat map.
//
// # Cost
//
// Movements reads the subscribers once and the transactions in two linear
// passes (a stable counting sort of the window's rows by period, then the
// sums), with memory for one int32 per row and a float64 and an int32 per
// customer. BuildCohorts reads the subscribers twice and the transactions
// once. Both are O(subscribers + rows + groups × periods), bounded in
// periods, groups and cells.
package kpi
