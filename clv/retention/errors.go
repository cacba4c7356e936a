package retention

import (
	"errors"
	"fmt"

	"github.com/clvkit/clv/clv/mle"
)

// Sentinel errors. Callers test them with errors.Is; the messages of the
// wrapping errors say which quantity failed and why.
var (
	// ErrNotConverged reports a model fit whose optimiser stopped without
	// converging (a non-finite likelihood, an evaluation cap or time budget,
	// the optimiser giving up). It is mle.ErrNotConverged, shared with the
	// repeat-purchase models.
	ErrNotConverged = mle.ErrNotConverged
	// ErrNotIdentified reports data that cannot identify a model: nobody
	// churned, one tenure period only, a parameter running off to zero or
	// infinity, no recency transitions. It is mle.ErrNotIdentified.
	ErrNotIdentified = mle.ErrNotIdentified
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

// identError is a failure to identify a model for lack of data: it reads
// "data cannot identify the model: ..." and matches both ErrNotIdentified and
// ErrTooLittleData.
type identError struct{ msg string }

func (e identError) Error() string   { return ErrNotIdentified.Error() + ": " + e.msg }
func (e identError) Unwrap() []error { return []error{ErrNotIdentified, ErrTooLittleData} }

// notIdentified returns an identError with a formatted message.
func notIdentified(format string, args ...any) error {
	return identError{fmt.Sprintf(format, args...)}
}
