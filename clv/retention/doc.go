// Package retention values customers with retention and migration models: the
// Berger & Nasr closed forms for constant retention, dynamic (tenure-dependent)
// retention from a subscriber base through a censored life table and the
// shifted-beta-geometric (sBG) model, and the recency-state migration model.
// Transaction-level models (BG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma) live in
// the subpackage clv/btyd.
//
// The package is pure: plain Go values in, values or errors out. Failed fits
// return errors wrapping ErrNotConverged (the optimiser stopped: evaluation
// cap, time budget, non-finite likelihood) or ErrNotIdentified (no churn, one
// tenure period, no recency transitions, a parameter running off to zero or
// infinity), the sentinels of clv/mle shared with clv/btyd, or
// ErrTooLittleData (below the minimum size; identification failures wrap it
// too); values that are
// infinite for the given parameters wrap ErrInfiniteValue. No function returns
// NaN or Inf as a result.
//
// # Constant retention (Berger & Nasr 1998, Gupta & Lehmann 2003)
//
// A customer yields margin m per period, stays from one period to the next with
// probability r, and cash is discounted at rate d per period; q = r/(1+d).
// Margins at the start of each period (B&N case 1, first margin at
// acquisition), retention spending C in the middle of each period on the
// customers active at its start, acquisition cost A:
//
//	CLV(n) = −A + m (1 − q^(n+1))/(1 − q) − C (1+d)^(−1/2) (1 − q^n)/(1 − q)
//	CLV(∞) = −A + m (1+d)/(1+d−r)        − C (1+d)^(1/2)/(1+d−r)
//
// Margins at the end of each period survived: m q (1 − q^n)/(1 − q), and
// m r/(1+d−r) over an infinite horizon — the Gupta–Lehmann margin multiple.
// Purchase cycles other than a year (B&N case 2) use the per-cycle rate
// (1+d)^(1/p) − 1 for p cycles a year.
//
// Margin that changes over the relationship (B&N case 3): the k-th margin is
// m(1+g)^(k−1); the margin sums run over q_g = r(1+g)/(1+d), e.g.
// m(1+d)/(1+d−r(1+g)) (start) and m r/(1+d−r(1+g)) (end) over an infinite
// horizon, which converges only for r(1+g) < 1+d (a finite horizon is always
// summed).
//
// Retention bought with retention spending (B&N case 4, after Blattberg &
// Deighton 1996): r(C) = R(1 − e^(−kC)) for spending C per customer per period
// and a ceiling R. CLV(C) is the case-1 value with r = r(C) and retention cost
// C; OptimalSpending finds the C that maximises it (a 200-point scan of
// [0, ln(10⁹)/k], then golden-section search; bounded evaluations).
//
// # Tenure periods and the life table
//
// Tenure is counted in whole anniversary periods from each subscriber's own
// activation day, not in calendar periods: with a period of k months (1, 3 or
// 12), tenure period t of a subscriber activated on day a is the half-open
// interval [a + (t−1)k months, a + tk months), where adding months keeps the
// day of month and clamps it to the month's length (activation on 31 January
// gives anniversaries on 28/29 February, 31 March, ...). A churn date is the
// first day without service, so service covers [activation, churn); a
// subscriber churned on day c was lost in the period containing day c − 1
// (T = t). A subscriber still active at the as-of date (inclusive) has been
// observed through [a, asOf + 1) and is censored in the period t containing
// asOf, having been exposed to fraction f in (0, 1] of it.
//
// For each tenure period t the life table counts at_risk (subscribers who
// entered period t), churned (lost in period t) and censored (active at the
// as-of date while in period t). Retention uses the actuarial adjustment for
// censoring with each censored subscriber's observed share of the period:
//
//	exposure_t = at_risk_t − Σ_{censored in t} (1 − f)
//	r_t        = 1 − churned_t / exposure_t,      S_t = Π_{k≤t} r_k
//
// (the classical Cutler–Ederer rule replaces every f by 1/2). Rows stop at the
// first period without exposure.
//
// # Left truncation
//
// Many exports hold only the subscribers still active on some day W (those who
// churned earlier were purged), so the long-tenured subscribers in them are
// survivors. With TenureOptions.From = W, a subscriber activated before W
// enters the analysis in the tenure period e containing W, with share g of it
// already elapsed: it joins the life table's risk set in period e (its
// exposure there reduced by g) and its likelihood is divided by the
// probability of surviving until W, S(e−1)(1 − g(1 − r_e)). Ignoring the
// truncation makes retention look flatter than it is (too little
// heterogeneity).
//
// # Shifted-beta-geometric model (Fader & Hardie 2007)
//
// Each subscriber renews at the end of every period with a constant
// probability 1 − θ; θ is beta(α, β) distributed across subscribers. Then
//
//	r_t     = (β + t − 1)/(α + β + t − 1)
//	S(t)    = B(α, β + t)/B(α, β) = Π_{k≤t} r_k
//	P(T=t)  = B(α + 1, β + t − 1)/B(α, β) = S(t−1) (1 − r_t)
//
// The log-likelihood of a (possibly multi-cohort, right-censored) base is
//
//	LL = Σ_churned log P(T = t) + Σ_censored log[S(t−1) (1 − f (1 − r_t))]
//
// where the censored term interpolates survival within the current period
// (uniform churn within the period); it is log S(t−1) for f = 0 and log S(t)
// for f = 1, the form of Fader & Hardie's equation (B3). Left-truncated
// subscribers subtract log[S(e−1)(1 − g(1 − r_e))] (see above). Survival is
// accumulated as Σ log r_k (log1p form), which stays accurate for large β and
// tenures in the hundreds. The fit maximises LL over (log α, log β) with BFGS
// and an analytic gradient through clv/mle (an evaluation cap and a time
// budget, FitOptions); standard errors come from the inverse of the observed
// information in (log α, log β), mapped back by the delta method.
//
// # Discounted expected (residual) lifetime (Fader & Hardie 2010)
//
// With cash flows at renewals and discount rate d per period:
//
//	DEL(d)      = Σ_{t≥0} S(t)/(1+d)^t = 2F1(1, β; α+β; 1/(1+d))
//	DERL(d | n) = Σ_{t≥n+1} [S(t)/S(n)] /(1+d)^(t−n−1)
//	            = (β+n)/(α+β+n) · 2F1(1, β+n+1; α+β+n+1; 1/(1+d))
//
// for a subscriber who has made n renewals (completed n periods), evaluated
// just before the next renewal decision (Fader, P. S. and Hardie, B. G. S.,
// "Customer-base valuation in a contractual setting: the perils of ignoring
// heterogeneity", Marketing Science 29(1), 2010). DEL = 1 + DERL(d | 0)/(1+d).
// 2F1(1, b; c; z) is evaluated with Gauss's continued fraction (modified
// Lentz), which converges in at most about a thousand steps for tenures in the
// thousands, β up to 1e9 and d down to 1e−9; the direct power series (positive
// terms, tail bounded by t·z/(1−z)) is the fallback. gonum's mathext.Hypergeo
// is not used: it returns NaN once b and c reach the hundreds with z near 1.
// At d = 0 the lifetime is finite only for α > 1:
// DERL(0 | n) = (β+n)/(α−1).
//
// # Parameter uncertainty of residual values
//
// FitSBG returns the covariance of (α, β) (Fit.Cov), the inverse of the
// observed information. ResidualInterval carries it to the residual values
// by a seeded parametric bootstrap: (log α, log β) ~ N((log α̂, log β̂), J Cov J)
// with J = diag(1/α̂, 1/β̂) (the delta method), DERL recomputed under each
// draw, and the (1−level)/2 and (1+level)/2 percentiles of each subscriber's
// margin × DERL and of their total taken as the interval; margins are taken
// as known. By simulation (200 bases of 1,500 subscribers from α = 0.9,
// β = 3.5, observed 1 to 24 periods; TestResidualIntervalCoverage with
// CLV_COVERAGE=1) the 90 % interval of the base value covers the true
// expected residual value in 90.5 % of the bases.
//
// # Migration model (Dwyer 1989; Berger & Nasr 1998, case 5)
//
// For "always-a-share" customers: in every period a customer is in recency
// state j = 1..k (the last purchase was j periods ago, 1 = in this period) or
// lapsed (more than k periods without a purchase; lost for good, absorbing).
// From state j the customer buys next period with probability p_j (back to
// state 1) or moves to j+1 (state k moves to lapsed). p_j is estimated from a
// customer × period panel as purchases_j / at_risk_j over all pairs of
// consecutive periods. With reward 1 for a purchase period and β = 1/(1+d),
// the expected discounted number of future purchase periods E_j solves
//
//	E_j = β [p_j (1 + E_1) + (1 − p_j) E_{j+1}],   E_lapsed = 0,
//
// computed by the markov package as V − R with V = Σ_t [βP]^t R; value =
// E_j × margin per purchase period.
package retention
