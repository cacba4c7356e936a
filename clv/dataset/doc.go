// Package dataset holds the in-memory, columnar form of the data every analysis
// reads, and the builders that derive per-customer views from it.
//
// Transactions are stored as parallel slices (customer, day, amount) with
// customers interned to dense int32 ids; subscribers (contract records) as
// parallel slices of id, activation day, churn day and string attributes.
// Days are counted from 1970-01-01 (Day), so date arithmetic is integer
// arithmetic and no time.Time is kept per row.
//
// Two derived views are built here:
//
//   - Summarize: one row per customer with RFM metrics and the (x, t_x, T, m)
//     summary of the Fader–Hardie / BTYD convention. Transactions on the same
//     day are merged (amounts summed); x = distinct transaction days − 1;
//     t_x = (last − first) and T = (asOf − first) in the chosen Unit (day = 1,
//     week = 7, month = 365.25/12 days); monetary = mean amount of the repeat
//     days (first day excluded), 0 when x = 0. recency_days = asOf − last
//     (the RFM notion of recency, in days, not the model's t_x).
//     Summarize is Accumulate followed by Accumulated.Summary: each customer
//     has an Acc fed its rows in input order (distinct days and the
//     repeat-day amount counted on the fly while the days do not go back;
//     otherwise refitted from the customer's rows, sorted by day), so a
//     streaming reader that feeds the same Acc gives the same summary
//     without holding the rows.
//   - BuildPanel: a customer × period matrix of spend and transaction counts
//     for calendar periods (month, quarter, year), used by life tables, the
//     Markov lifecycle model and the segment report. It is stored sparse by
//     active periods (14 bytes per customer-period with a transaction row, 8
//     per customer), built in two passes over the transactions (mark the
//     active periods in one bit each, then add the amounts), and refused
//     before allocation when it would exceed PanelOptions.MaxBytes
//     (ErrTooLarge, with what it needs and the ways around it).
//
// Check counts what looks doubtful in loaded data (a Sanity): subscriber ids
// that match no transaction (an error when none matches at all: a wrong key,
// lost leading zeros), customers with transactions but no subscriber row,
// transaction rows before their subscriber's activation or after the churn
// day, dates far outside the bulk of the data (outside [q01 − 2w, q99 + 2w],
// w = max(q99 − q01, 365 days); exact percentiles of the transaction days
// from a DayCounts histogram, of an even sample for subscriber dates), and ids
// holding control characters, NUL or invalid text. Summary.TenureUnit infers
// the unit of a summary file's t_x and T from tenure_days / T.
// CheckAccumulated is Check for a streaming read (customer ids and the day
// histogram, no rows).
package dataset
