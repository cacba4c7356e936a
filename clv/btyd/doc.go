// Package btyd fits and applies the probabilistic repeat-purchase ("buy till
// you die") models used for non-contractual customers: BG/NBD, Pareto/NBD,
// MBG/NBD, BG/BB and the Gamma-Gamma spend model.
//
// # Data
//
// Continuous-time models take one row per customer: x, the number of repeat
// transactions (distinct purchase days after the first); t_x, the time of the
// last one; and T, the time observed, both measured from the first purchase
// in one time unit (day, week or month). Identical rows are collapsed into one
// weighted row before fitting; weights may also be passed explicitly.
// BG/BB takes (x, t_x, n) in whole opportunities (periods after the first).
// Gamma-Gamma takes x and the mean value m of the repeat transactions.
//
// # Models
//
//	BG/NBD (Fader, Hardie & Lee 2005): purchases Poisson(λ), λ ~ Gamma(r, α);
//	after each purchase drop out with probability p ~ Beta(a, b).
//	  L = B(a,b+x)/B(a,b) Γ(r+x)α^r / (Γ(r)(α+T)^(r+x))
//	    + [x>0] B(a+1,b+x-1)/B(a,b) Γ(r+x)α^r / (Γ(r)(α+t_x)^(r+x))
//	MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but dropout is
//	also possible right after the first purchase: b+x becomes b+x+1 in the first
//	term, the second term is present for every x with B(a+1, b+x).
//	Pareto/NBD (Schmittlein, Morrison & Colombo 1987): lifetime Exponential(μ),
//	μ ~ Gamma(s, β).
//	  L = Γ(r+x)α^r β^s / Γ(r) [ 1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) A0 ]
//	  with A0 a difference of two Gaussian hypergeometric terms (see pnbdLogA0).
//	BG/BB (Fader, Hardie & Shang 2010): transact at each opportunity with
//	probability p ~ Beta(α, β); die before each opportunity with θ ~ Beta(γ, δ).
//	Gamma-Gamma (Fader, Hardie & Lee 2005; Colombo & Jiang 1999): transaction
//	values Gamma(p, ν), ν ~ Gamma(q, γ); E[M | x, m] = (γ + m x) p / (p x + q - 1).
//	It assumes spend is independent of the purchase process.
//
// Predictions per customer are P(alive), the conditional expected number of
// transactions in the next t time units E[Y(t) | x, t_x, T], and the
// population curve E[X(t)]. Discounted expected transactions over a horizon of
// H unit periods sum the expected transactions of period k (k = 1..H) times
// (1+d)^-k, where d is the discount rate per unit period; CLV multiplies them
// by the Gamma-Gamma expected spend.
//
// # Numerics
//
// Likelihoods are evaluated in log space (log-sum-exp, log1p, expm1);
// parameters are optimised on the log scale with BFGS (gonum/optimize) and
// analytic gradients (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma; central
// differences for BG/BB). Several deterministic starting points are screened
// by their likelihood and tried best first: small data sets run them all and
// stop when two converged runs agree, large ones (over 50,000 distinct rows)
// stop at the first converged run. Identical rows are collapsed by indexing
// the distinct times and radix-sorting packed (x, t_x, T) keys (a hash table
// when x and the two time ranks do not fit in 63 bits), and the
// per-evaluation work that depends only on x or only on a time (log-gamma,
// digamma, log(α+t), the Pareto/NBD series per distinct (x, t)) is done once
// per distinct value. Time is
// divided by the largest T during optimisation and parameters are scaled
// back. The Gaussian hypergeometric function is summed in scaled arithmetic
// after Euler's transformation where that shortens the series, so the
// Pareto/NBD likelihood and P(alive) stay finite for customers with x in the
// thousands. The optimiser loop, the standard errors (inverse numerical
// Hessian in log-parameter space, delta method) and the bounds are those of
// clv/mle: an evaluation cap and a wall-clock budget per fit
// (Options.MaxEvaluations, Options.Timeout, default 20,000 and 30 s), a NaN
// step ends a start. A fit that does not converge, whose likelihood is not
// finite, or that runs out of its budget returns an error wrapping
// ErrNotConverged; one whose parameters run off to zero or infinity (beyond
// e^±18 in rescaled units, or beyond e^±9 with a likelihood flat towards the
// boundary) returns a *mle.BoundaryError wrapping ErrNotIdentified that names
// them. P(alive) is computed as a logistic function of the negative log-odds,
// so values far below 1e-16 keep their digits.
package btyd
