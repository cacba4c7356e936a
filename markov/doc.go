// Package markov analyses finite, time-homogeneous, discrete-time Markov
// chains: validation, n-step forecasts, stationary distributions, absorbing
// chain analysis, discounted values with per-state rewards, and estimation of
// the transition matrix from observed transitions.
//
// The package knows nothing about customers. The customer-relationship
// reading (Pfeifer & Carraway 2000, "Modeling customer relationships as
// Markov chains", Journal of Interactive Marketing 14(2):43–55) is: each
// period a customer is in one of n states, moves to state j with probability
// P[i][j], and earns the firm a reward R[i] (net contribution, which may be
// negative, e.g. a mailing cost) while in state i.
//
// Model assumptions: the process is Markov (the next state depends on the
// current state only) and time-homogeneous (P does not change over time);
// rewards are collected at the start of each period; the discount rate d is
// per period.
//
// Formulas (states are rows; distributions are row vectors):
//
//	forecast        x(t+1) = x(t) P,           x(n) = x(0) Pⁿ
//	stationary      π = π P,  Σ π = 1           (unique when the chain has one closed class)
//	absorbing form  P = [Q R₀; 0 I]            (Q: transient → transient)
//	fundamental     N = (I − Q)⁻¹              N[i][j] = expected visits to j starting in i
//	to absorption   t = N 1                    expected periods until absorption
//	                var t = (2N − I) t − t∘t   variance of that number
//	absorption      B = N R₀                   B[i][k] = probability of ending in absorbing k
//	first passage   m_i = 1 + Σ_{j ∉ A} P[i][j] m_j   expected periods until the chain first
//	                enters the target set A, over the states from which that is certain
//	value, finite   V(T) = Σ_{t=0..T} [(1+d)⁻¹ P]ᵗ R   (T+1 periods, computed by the
//	                recursion V(0) = R, V(k) = R + (1+d)⁻¹ P V(k−1))
//	value, infinite V = [I − (1+d)⁻¹ P]⁻¹ R    (exists when the matrix is invertible; with
//	                d = 0 it is singular for every chain, since P 1 = 1)
//	estimate        P̂[i][j] = (n[i][j] + α) / (n[i] + n α)   (maximum likelihood when α = 0;
//	                additive (Laplace/Lidstone) smoothing α > 0), with
//	                standard error √(P̂(1 − P̂) / n[i]) when α = 0.
//
// Numerical notes: linear systems are solved with gonum's LU factorisation and
// a reciprocal-condition-number check; a system whose condition number exceeds
// 1/ConditionLimit is reported as ErrSingular rather than returning numbers
// that are mostly rounding error. No function returns NaN or Inf.
package markov
