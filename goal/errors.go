package goal

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns matches one of them with
// errors.Is, so a host can branch on the kind of failure without parsing text.
var (
	// ErrInvalid reports input that can never be accepted as given: a bad
	// label, a negative weight, an unknown parent, a cycle in the org tree.
	ErrInvalid = errors.New("goal: invalid input")
	// ErrNotFound reports a reference to a unit, goal or period that does not
	// exist.
	ErrNotFound = errors.New("goal: not found")
	// ErrInfeasible reports constraints that cannot all hold at once, such as
	// locked shares that exceed the total or minimum bounds that sum past it.
	ErrInfeasible = errors.New("goal: constraints cannot be met")
)

// ValidationError says which input was wrong, what its value was and why.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	Field  string // what was being validated, e.g. "period label" or "unit"
	Value  string // the offending value as the caller gave it
	Reason string // what is wrong and, where possible, what to do instead
}

// Error says what was wrong and what to do.
func (e *ValidationError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("goal: invalid %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("goal: invalid %s %q: %s", e.Field, Excerpt(e.Value), e.Reason)
}

// Unwrap makes a ValidationError match ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, value, reason string, args ...any) error {
	return &ValidationError{Field: field, Value: value, Reason: fmt.Sprintf(reason, args...)}
}
