// Package segment turns per-customer metrics into the views a CRM analyst acts
// on: lifecycle stages, value tiers, current × potential quadrants, key
// accounts and VIP levels, star ratings, risk scores, an early-warning list,
// a stage × value action matrix, and revenue concentration.
//
// The package is pure: plain Go values in, values or errors out.
//
// # Lifecycle stages
//
// Every customer is, at every period, in one of five stages: acquisition,
// growth, maturity, decline, churned (see StageRules.Classify; the Markov
// lifecycle model uses the same rules through StageRules.Path). With the
// default rules and monthly periods:
//
//	churned      churn date recorded, or 3+ whole periods since the last purchase
//	acquisition  tenure ≤ 3 periods (counting the period of activation)
//	decline      trend ≤ −0.05, or 1+ whole period without purchase,
//	             or P(alive) fell by ≥ 0.2 over the trend window (only for
//	             callers that track P(alive) over time; Build sees one date)
//	growth       trend ≥ +0.05
//	maturity     otherwise
//
// The spend trend is the ordinary least-squares slope of spend per period
// over the last TrendWindow periods (6), divided by the customer's mean
// spend over the same periods:
//
//	trend = Σ (i − ī)(yᵢ − ȳ) / Σ (i − ī)²  /  ȳ
//
// so +0.05 means spend grows by 5% of its mean every period. It is unitless
// and comparable between a 10-a-month and a 1000-a-month subscriber.
//
// # Value
//
// Current value is the mean spend per period over the customer's tenure in
// the observation window (revenue ÷ days of tenure in the window × mean period
// length; a month is 365.25/12 days). Future (potential) value is the
// residual CLV a model supplies (sBG for contractual subscribers, BG/NBD +
// Gamma-Gamma for non-contractual customers); the package takes it as an
// input. Without a model it is the run-rate value
//
//	clv = current × Σ_{t=1..H} (1+d)^−t = current × (1 − (1+d)^−H) / d
//
// over a horizon of H periods at discount rate d per period (no churn is
// modelled, so it is an upper bound for a customer who stays; a negative
// current value, from refunds, counts as 0); a churned customer's CLV is 0.
//
// Value tiers are quantiles of CLV among the customers who have not churned
// (default four: platinum, gold, silver, bronze, each a quarter of them
// ranked by CLV; equal values share a tier). A churned customer has no
// future value; it is placed in the tier its spending level would give it
// (with q the share of living customers whose current value exceeds its own,
// tier ⌊q·k⌋), so that win-back decisions can use the tier whatever model
// produced the CLV.
// Quadrants split current and potential value at their medians over the
// customers not churned (strictly above the median is "high"). Potential
// value is Input.Potential when the caller supplies it (the growth part of
// future value, see the analysis layer's Potential), else CLV. The
// potentials quadrant — low current, high potential — is the "improvement
// type" to develop; action-table rows with a quadrant column apply to one
// quadrant and take precedence over the stage × tier rows (the shipped
// table gives the potentials quadrant a development plan).
//
// # Value curve
//
// BuildCurve summarises spend observations (one per subscriber-period a
// subscriber was active) by tenure: subscribers, mean and type-7 quantiles
// per tenure, and two smooth curves:
//
//	fitted  the Whittaker–Henderson smoother (Eilers 2003) of log mean spend:
//	        minimise Σ_t w_t (y_t − z_t)² + λ Σ_k ω_k (Δ²_u z)_k², with
//	        y_t = log mean_t, w_t the subscribers (normalised to mean 1), and
//	        Δ²_u the second divided difference on u = log(1 + t), ω_k its share
//	        (h₁+h₂)/2 of the u axis — a penalised spline with one coefficient per
//	        tenure whose penalty approximates ∫ z''(u)² du. The log(1+t) axis lets
//	        the first periods ramp quickly while the long, sparsely observed
//	        tail stays smooth; a power curve A(1+t)^B costs nothing. λ is chosen
//	        over 10^−4 … 10^6 by cross-validation that leaves whole subscribers
//	        out (CurveOptions.Fold), else by generalised cross-validation.
//	within  spend_it ≈ α_i g(t) s(season): subscriber level, tenure curve and
//	        seasonal factors by alternating maximisation of the Poisson
//	        likelihood (bounded iterations), then log g smoothed as above
//	        and scaled to spend. Each subscriber is compared with itself, so
//	        the curve does not rise merely because long tenures hold the
//	        subscribers who churn least. A calendar trend that is not seasonal
//	        cannot be told apart from growth with tenure. The iterations run
//	        on aggregates, exactly: given g and s, α_i = Σ_t spend_it /
//	        Σ_t g(t) s(season) depends on subscriber i only through its total
//	        and its pattern (the multiset of its (tenure, season) cells), so
//	        every sum regroups into sums over cells and patterns — a few
//	        thousand terms per iteration however large the base. A
//	        CurveBuilder keeps only those sums and the spends per tenure (for
//	        the quantiles), so a curve takes 8 bytes per observation.
//
// Beyond its longest tenure a curve is held flat.
//
// # Key accounts
//
// Key accounts are the smallest set of customers whose revenue reaches a
// share of the total (default 30%): customers sorted by revenue descending
// (ties by id) until the cumulative share reaches the target; customers
// without revenue never qualify. VIP levels are thresholds on mean revenue
// per month, i.e. current value ÷ months per period (default 3000, 1000,
// 500 → VIP 1, 2, 3; the first threshold reached counts).
//
// # Star rating
//
// Four components, each in [0, 1]: spend (percentile rank of current value),
// loyalty (percentile rank of tenure), regularity (share of the customer's
// periods with a purchase) and activity (1 − periods since purchase /
// lapse periods, floored at 0; 0 for the churned and for customers who never
// bought). Percentile ranks are mid-ranks: (number below + half the number
// equal) / n. The score is their weighted mean (default weights 0.4, 0.2,
// 0.2, 0.2) and stars = min(5, 1 + ⌊5 × score⌋): five equal bands of the
// score.
//
// # Risk and early warning
//
// The risk score in [0, 1] is 1 − P(alive) when a model supplies P(alive);
// otherwise it is built from the lifecycle signals: the mean of recency risk
// (periods since purchase / lapse periods, capped at 1) and trend risk
// (−trend / (2 × |decline slope|), clipped to [0, 1]; a customer who never
// bought has recency risk 1); churned customers have risk 1. Value at risk = CLV × risk (the run-rate value for the churned).
// The early-warning list holds customers in decline or with risk ≥ a
// threshold (default 0.5), not yet churned, ranked by value at risk
// (descending; ties by id).
//
// # Campaign lists
//
// Result.Lists splits the customers into one list per action (every customer
// with an action is on exactly one) and the early-warning list, each ordered
// by value at risk descending (ties by id), without a do-not-contact list and
// cut to a cap; it counts what each list lost. Result.Reason says why a
// customer has its stage and action: every stage rule that holds for it, a
// risk at or above the threshold, its tier, and a quadrant row or min_value
// that chose the action.
//
// # Change since a previous run
//
// Compare counts the customers of a previous run (a Snapshot: id, stage,
// tier, clv, risk) and of this one by state then × state now, for the stage,
// the value tier and the early-warning state (listed, not listed, churned;
// the previous run's taken with this run's threshold), with their clv then
// and now. Customers only in this run are in the row "(new)", those only in
// the previous one in the column "(gone)": nobody is dropped.
//
// # Group customers
//
// Result.Groups rolls customers up by a group id: lines, lines in service,
// revenue, monthly revenue, clv, value at risk, members on the early-warning
// list, the members with the highest clv, and a grade: the first whose
// monthly-revenue and active-line thresholds both hold, else the last.
//
// # Concentration
//
// Customers sorted by revenue ascending (negative revenue counts as 0),
// Lorenz points (i/n, Lᵢ) with Lᵢ the cumulative revenue share; Gini = 1 − Σ (Lᵢ + Lᵢ₋₁)/n (the trapezoid rule,
// exact for the empirical distribution); top-k% share = revenue of the
// ceil(k% × n) largest customers over total revenue.
package segment
