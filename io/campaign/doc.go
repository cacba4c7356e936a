// Package campaign is the boundary of the campaign outputs of the segments:
// the folder of lists (--lists DIR), the do-not-contact list (--exclude), a
// previous run's per-subscriber output (--previous) and the tables of what
// changed since it and of the group customers.
//
// # Lists
//
// WriteLists writes one CSV per action (action_<name>.csv: the customers of
// the stage × tier cells, and quadrant rows, that share an action; every
// customer with an action is on exactly one), early_warning.csv (not churned,
// in decline or with risk at or above the threshold) and manifest.csv, into a
// folder written as one (render.CreateDir: a temporary folder renamed into
// place, nothing left behind on an error or an interrupt).
//
// A list row holds customer_id, every attribute column of the subscriber
// export under its header as read (a Chinese header such as 套餐 stays 套餐),
// stage, value_tier, clv (the value: future value; 0 for the churned),
// risk_score, value_at_risk, action and reason. Rows are ordered by value at
// risk descending, ties by customer id:
//
//	value_at_risk = clv × risk_score
//
// where for a churned customer (risk 1, clv 0) the value is what it would
// bring back if won: its run-rate value (current value per period × the
// annuity factor of the value horizon), as in clv segment.
//
// manifest.csv has one row per list: file, action, rows (written), total_clv
// (the sum of clv over the rows written), value_at_risk, excluded (customers
// of the list on the do-not-contact list), truncated (cut by the cap),
// eligible (= rows + excluded + truncated) and cells (the stage/tier cells its
// customers come from).
//
// # Do-not-contact list
//
// ReadIDs reads one id per line, or a CSV with a header naming an id column
// (customer_id, subscriber_id, id, msisdn, 用户ID, 客户编号, ... compared
// without case, spaces, underscores or hyphens). Blank lines are skipped and
// spaces around ids removed.
//
// # Previous run
//
// ReadPrevious reads what clv segment writes per subscriber (CSV, .csv.gz or
// Parquet): customer_id, stage, value_tier, clv and risk_score; an as_of
// column, when present, gives the previous as-of day.
package campaign
