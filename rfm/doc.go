// Package rfm scores customers on recency, frequency and monetary value
// (Stone 1995) and sorts them into named, rule-based segments.
//
// # Metrics
//
// Each customer has three metrics measured at an as-of day (the last day of
// the observation window, inclusive):
//
//	recency   = as_of − day of the last transaction, in days (fewer is better)
//	frequency = number of transactions, or of distinct transaction days
//	monetary  = total spend, or mean spend per transaction
//
// A customer with frequency 0 (a subscriber with no transaction in the
// window) is inactive: it takes no part in ranking or in cut points and gets
// score 1 on all three dimensions (no purchase is the worst recency, the
// lowest frequency and the lowest spend). Every bin is therefore filled with
// active customers only, which is what a SQL NTILE over the transaction table
// computes too.
//
// # Scores
//
// Every dimension is scored on 1..k (k = Options.Bins, 2..9), k being best.
// Recency is reversed: the fewest days score k.
//
//   - Ntile: customers are ordered by the metric (recency descending,
//     frequency and monetary ascending), ties broken by customer id in byte
//     order, and the ordered list is cut into k groups whose sizes differ by
//     at most one, larger groups first. With n customers, q = n div k and
//     r = n mod k, the customer at 0-based position p gets
//     1 + p div (q+1) when p < r(q+1), else 1 + r + (p − r(q+1)) div q.
//     This is exactly SQL's NTILE(k) OVER (ORDER BY metric, customer_id).
//     With fewer customers than bins, the scores run 1..n. Ties may be split
//     across bins; every bin is equally full.
//   - Quantile: the cut points are the sample quantiles at i/k, i = 1..k−1,
//     by linear interpolation between order statistics (Hyndman and Fan 1996,
//     definition 7, the default of R's quantile): with sorted values
//     x[1..n] and h = (n−1)p + 1, Q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
//     A frequency or monetary value scores 1 + the number of cut points it
//     strictly exceeds; a recency value scores k − that number. Equal values
//     always share a score; bins can be uneven (Scale.Uneven).
//   - Thresholds: the same rule with cut points given by the user, strictly
//     increasing, k − 1 per dimension.
//
// Whatever the method, each dimension's Scale records the cut points used and,
// per score, the number of customers and the metric range they span. For
// ntile the cut points are the bin boundaries: for frequency and monetary,
// cut i is the largest value in bin i; for recency, cut j is the largest
// recency in bin k+1−j. Scoring by these cut points reproduces the ntile
// scores except where a run of tied values straddles a boundary.
//
// Monetary values are sums of floating-point amounts, and the same amounts
// added in a different order can differ in the last bit (407.19 against
// 407.19000000000005). So that such totals tie, as they do in exact
// arithmetic, every method ranks and compares monetary values rounded to the
// nearest millionth of a currency unit (MoneyGrid), unless a value is too
// large (above about 9·10⁹) for that grid to be exact in a float64.
//
// Neither method sorts the customers. A bin's place in the NTILE order
// depends on n and k alone, so the metric values at each bin's first and
// last position are found by selection (a histogram of the values' leading
// bits, refined only in the buckets holding a wanted position), and each
// customer is placed by comparing its value with them. Only customers whose
// value is tied across a bin boundary need the id order, and of those only
// the ones at the positions where a bin starts are selected by id. The
// quantile cut points need two order statistics each, selected the same
// way. BenchmarkScore measures it on up to 7 M customers.
//
// The weighted RFM score is (wR·R + wF·F + wM·M) / (wR + wF + wM); with the
// default weights 1, 1, 1 it is the mean of the three scores. The RFM cell is
// the three scores as digits, R first ("545").
//
// # Segments
//
// A segment rule is a name and an inclusive score range on each dimension.
// Rules are tried first to last and the first match wins; a customer no rule
// matches is in segment "Others". The default rules cut the R×F grid on the
// 1..5 scale into ten named segments (monetary is left free):
//
//	Champions           R 5     F 4–5
//	Loyal Customers     R 3–4   F 4–5
//	Potential Loyalist  R 4–5   F 2–3
//	New Customers       R 5     F 1
//	Promising           R 4     F 1
//	Need Attention      R 3     F 3
//	About To Sleep      R 3     F 1–2
//	At Risk             R 1–2   F 3–4
//	Can't Lose Them     R 1–2   F 5
//	Lost                R 1–2   F 1–2
//
// The ten ranges partition the 25 cells, so with the defaults nobody is in
// Others. For k other than 5 a score s is placed on the 1..5 scale as
// 1 + round(4(s−1)/(k−1)) before the default rules apply (DefaultRules does
// this by rewriting the ranges).
//
// Rules can be read from CSV (ParseRules) with the header
// name,r_min,r_max,f_min,f_max,m_min,m_max; a missing column or an empty
// field leaves that side of the range open.
//
// # Report
//
// Summarize aggregates scored customers per segment (customers, shares of
// customers and revenue, mean recency, frequency and monetary over the
// segment's active customers) and over the R×F grid (customers and mean
// monetary per cell, the classic RFM heat map).
package rfm
