// Package mle is the maximum-likelihood plumbing shared by the model
// packages (clv/btyd, clv/retention): bounded minimisation of a negative
// log-likelihood over positive parameters, standard errors from a numerical
// Hessian, and one family of sentinel errors for fits that fail.
//
// # Method
//
// A problem is a negative log-likelihood f(θ) over positive parameters θ,
// optionally with its analytic gradient ∂f/∂θ. Minimize works in
// φ = log θ, so every point is inside the domain, and divides f by the total
// weight of the data so tolerances do not depend on its size. With an analytic
// gradient the chain rule gives ∂f/∂φ = θ ∂f/∂θ; without one, central
// differences are used. BFGS (gonum/optimize) runs from several
// deterministic starting points: they are screened by their objective and
// tried best first; by default the search stops when two converged runs agree
// (Strategy UntilAgree), or at the first converged run (FirstConverged), or
// after all of them (AllStarts).
//
// # Bounds
//
// Every fit is bounded: an evaluation cap over all starts (MaxEvaluations),
// a wall-clock budget (Timeout) and an optional context. A point whose
// log-parameters are not finite (a NaN or infinite step) ends the start as a
// failure; an objective that is not finite at a trial point is +Inf, which
// the line search backs away from; log-parameters beyond 3·Bound are outside
// the domain (+Inf). A run that exhausts the time budget or is cancelled
// fails with ErrNotConverged even when an earlier start converged, so a
// result never depends on the speed of the machine; the evaluation cap is
// deterministic, and a converged start found before it stands.
//
// A parameter whose estimate lies beyond e^±Bound (Bound = 18 by default,
// in the units the problem is optimised in), or beyond e^±ProbeFrom (9) with a
// log-likelihood that changes by less than ProbeTolerance (0.01) when the
// parameter (alone, or together with the other far-out ones) is moved a
// further factor e^5 towards its boundary, runs off to zero or infinity:
// the data cannot identify it. Such fits return a *BoundaryError, which wraps
// ErrNotIdentified and names the parameters (with a parameter beyond Bound,
// every parameter beyond ProbeFrom, which usually runs off with it).
//
// # Standard errors
//
// The Hessian of the total objective in φ is a central-difference Jacobian
// of the gradient (gonum/diff/fd), symmetrised; without an analytic gradient
// it is fd.Hessian of the objective. Its inverse is the asymptotic covariance
// of φ̂, and the delta method gives SE(θ̂_i) = θ̂_i SE(φ̂_i) (exact at a
// stationary point, where the Hessian in θ is diag(1/θ) H_φ diag(1/θ)). When
// the Hessian is not positive definite no standard errors are reported.
package mle
