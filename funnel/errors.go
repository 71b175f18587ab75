package funnel

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns matches one of them with
// errors.Is; errors that come from package goal (a calendar or a plan) are
// wrapped with %w and keep matching goal's own sentinels.
var (
	// ErrInvalid reports input that can never be accepted as given: a funnel
	// without stages, a deal whose transitions go back in time, a rate
	// outside [0, 1]. The concrete error is a *ValidationError.
	ErrInvalid = errors.New("funnel: invalid input")
	// ErrNotFound reports a reference to a stage, outcome or unit that the
	// funnel or org does not have.
	ErrNotFound = errors.New("funnel: not found")
	// ErrInfeasible reports a reverse funnel that cannot be computed: a
	// positive target behind a conversion rate of zero or an average won value
	// of zero needs infinitely many deals.
	ErrInfeasible = errors.New("funnel: target cannot be reached")
	// ErrCurrencyMismatch reports amounts of different currencies that would
	// have had to be added or compared. goalkit never converts currencies.
	ErrCurrencyMismatch = errors.New("funnel: currencies differ")
)

// ValidationError says which input was wrong, what its value was and why.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	Field  string // what was being validated, e.g. "stage key" or "deal"
	Value  string // the offending value as the caller gave it
	Reason string // what is wrong and, where possible, what to do instead
}

// Error says what was invalid, its value and why.
func (e *ValidationError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("funnel: invalid %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("funnel: invalid %s %q: %s", e.Field, e.Value, e.Reason)
}

// Unwrap makes a ValidationError match ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, value, reason string, args ...any) error {
	return &ValidationError{Field: field, Value: value, Reason: fmt.Sprintf(reason, args...)}
}
