// Package special holds the special functions the models share: the Gauss
// hypergeometric function 2F1, in log space, used by the BG/NBD-family
// likelihoods and predictions (clv/btyd) and by the sBG discounted expected
// (residual) lifetimes DEL and DERL (clv/retention).
//
// Hyp2F1(a, b, c, z) for 0 <= z < 1 sums the Gauss series
// Σ_n (a)_n (b)_n / ((c)_n n!) z^n with a running rescaling (so the value may
// exceed the float64 range: only its logarithm is returned), after Euler's
// transformation 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a,c−b;c;z) when that
// shortens it. For a = 1 and 0 < b < c it evaluates Gauss's continued fraction
// for 2F1(1, b; c; z) by the modified Lentz method, which converges in at most
// about a thousand steps for z within 1e−5 of 1 and b up to 1e6, where the
// series would need millions of terms. Every loop has a term budget; a value
// that is not reached within it is an error (ErrNotConverged), never NaN.
package special
