package alert

import (
	"errors"
	"fmt"
)

// ErrInvalid is the sentinel every validation failure of this package matches with errors.Is:
// a parameter or an observation the package cannot work with. The concrete error is a
// *ValidationError naming the field.
var ErrInvalid = errors.New("alert: invalid input")

// ValidationError reports one invalid field of a design, baseline, observation or option.
// It matches ErrInvalid with errors.Is; use errors.As to read Field and Reason.
type ValidationError struct {
	// Field names what was wrong, as a Go selector from the value passed in, e.g.
	// "Baseline.P0" or "Observation.Successes".
	Field string
	// Reason says what the value must be and, where it can, what to do about it.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("alert: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid so that errors.Is(err, ErrInvalid) holds.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// invalid builds a *ValidationError with a formatted reason.
func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
