package retention

import "errors"

// Sentinel errors. Callers test them with errors.Is; the messages of the
// wrapping errors say which quantity failed and why.
var (
	// ErrNotConverged reports a model fit that did not reach a finite
	// maximum of the likelihood (parameters running off to zero or
	// infinity, a non-finite likelihood, or the optimiser giving up).
	ErrNotConverged = errors.New("model fit did not converge")
	// ErrTooLittleData reports a fit attempted on too few subscribers or
	// tenure periods to identify the parameters.
	ErrTooLittleData = errors.New("too little data to fit the model")
	// ErrInfiniteValue reports a value (lifetime, CLV) that is infinite for
	// the given parameters, for example an undiscounted lifetime of an sBG
	// population with alpha <= 1, or retention >= 1 + discount.
	ErrInfiniteValue = errors.New("value is infinite")
	// ErrInvalidInput reports an argument outside its domain (a negative
	// discount rate, a retention rate outside [0, 1], ...).
	ErrInvalidInput = errors.New("invalid input")
)
