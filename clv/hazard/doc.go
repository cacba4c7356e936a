// Package hazard predicts churn as a calibrated probability: a discrete-time
// survival (churn-hazard) model fitted on subscriber-period rows, the
// covariate-driven dynamic retention rate of the survival literature, and
// the backtest metrics that show whether it works.
//
// # Rows and outcome
//
// Time is cut into calendar periods (Options.Period) of the transaction
// panel (dataset.BuildPanel). A training cutoff is the last day of a period q
// (from the panel's third period on, so that three periods of spend precede
// it). Each subscriber in service at the end of a cutoff (activated on or
// before it, no churn date on or before it) gives one row whose features are
// computed from what was known on that day. For lag k = 1..K the outcome of
// the row is
//
//	y_k = 1 when the churn date falls in period q + k,
//
// and the row is used for lag k only when period q + k ends on or before the
// as-of day and the subscriber was still in service at its start. Nothing
// dated after the as-of day is read: later transactions are dropped, later
// activations are not in the base, a churn date after it is unknown.
//
// # Model
//
// Each lag has its own ridge-penalised logistic regression,
//
//	h_k(x) = P(churn in period q+k | in service at its start, x at q) = 1 / (1 + exp(−η_k)),
//	η_k    = β_k0 + Σ_j β_kj (x_j − m_j) / s_j,
//
// with m_j, s_j the mean and standard deviation of column j over the training
// rows. The coefficients maximise
//
//	Σ_rows [y η − log(1 + e^η)] − λ/2 Σ_{j≥1} β_j²      (λ = FitOptions.Ridge, default 1),
//
// by L-BFGS (gonum/optimize) with the analytic gradient, bounded in
// iterations and time; a fit that stops with a gradient above 1e-5 is an
// error wrapping ErrNotConverged. The probability of churn within H periods
// after the scoring day follows from the per-period hazards:
//
//	P(churn within H) = 1 − Π_{k=1..H} (1 − h_min(k,K)(x)),
//
// K = Options.MaxLag (default min(H, 6)). Fitting each lag directly, rather
// than stepping one one-period model forward, keeps the H-period probability
// calibrated although the features (spend, recency) are only known at the
// cutoff.
//
// Standard errors come from the inverse of the penalised observed
// information Σ p(1−p) z zᵀ + λ I at the estimate (z the standardised row).
//
// # Features
//
// At a cutoff day c, with the subscriber's observed periods those from its
// activation (or the panel start) to the period containing c:
//
//	tenure        months since activation, as indicators of the bands
//	              [1,2) [2,3) [3,6) [6,12) [12,24) [24,36) [36,48) [48,72) [72,∞)
//	              (below one month is the reference): a piecewise-constant baseline
//	recency       log(1 + days since the last purchase / period length); without a
//	              purchase, since activation or the panel start
//	no_purchase   1 when there was no purchase in the observed periods
//	spend_level   log(1 + mean spend of the last 3 observed periods)
//	spend_trend   log(1 + spend of the last period) − log(1 + mean of the 3 before it)
//	spend_change  log(1 + spend of the last period) − log(1 + spend of the one before)
//	active_share  share of the last (up to 12) observed periods with spend
//	spend_slope   least-squares slope of spend over the last (up to 6) periods
//	              divided by their mean, clamped to [−1, 1], and its negative part
//	              as a piecewise-linear spline: min(c, max(0, −slope)) for
//	              c = 0.05, 0.10, 0.20, 0.50
//	attributes    one indicator per level of every categorical subscriber attribute
//	              (Options.Attributes; default every column with 2 to 200 distinct
//	              values), the most common level the reference, at most 20 levels
//
// Negative amounts (credit notes) count as 0 spend in a period.
//
// Attributes are taken as known at every cutoff (static columns of the
// export such as plan or region). A column that is filled in when a
// subscriber leaves (a churn reason, a port-out operator) would leak the
// outcome: leave it out with Options.Attributes.
//
// # Reasons
//
// A subscriber's reasons are the feature groups (tenure, each behaviour
// feature, the slope with its spline, each attribute) with the largest
// positive contribution Σ_{j in group} β_j (x_j − m_j) / s_j on the log-odds
// scale, averaged over the lag models: the features that raise the risk most
// relative to an average row.
//
// # Intervals
//
// Model.Interval draws every lag's coefficients from N(β̂_k, Cov_k) (a
// seeded parametric bootstrap, β̂_k + L_k z with one standard-normal z for all
// lags, since the lag models are fitted on the same churn events and their
// errors move together) and returns percentile intervals of each churn
// probability. By simulation (100 bases with known constant hazards,
// TestIntervalCoverage with CLV_COVERAGE=1) the 90 % interval of the
// 3-period probability covers the truth in 90.0 % of cases; Interval.Product pairs those draws with draws of another
// quantity (the residual value of clv/retention.ResidualInterval) for the
// interval of the expected value lost.
//
// # Backtest
//
// Backtest fits and scores at Cutoff(D, Period, H) — H periods before the
// as-of day D — and compares the probabilities with the churn observed in
// (cutoff, D] among the subscribers in service at the cutoff. Evaluate
// reports:
//
//	AUC        Mann–Whitney: share of (churner, stayer) pairs the score orders
//	           correctly, ties ½
//	Brier      mean of (score − outcome)²
//	deciles    subscribers ranked by score (ties by row), cut in ten: churn rate,
//	           lift (rate / overall rate), mean score — the calibration table
//	recall     share of churners among the top 5, 10, 20 % of scores
//
// The package is pure: plain values in, values or errors out; no printing, no
// files, randomness only from the seed given.
package hazard
