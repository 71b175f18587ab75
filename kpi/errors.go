package kpi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/goal"
)

// Sentinel errors. Every error this package returns matches one of them with
// errors.Is, so a host can branch on the kind of failure without parsing text.
var (
	// ErrInvalid reports input that can never be accepted as given: an
	// unknown unit or metric, a value with more decimal places than the
	// metric allows, a date outside the ledger's span, a currency that is not
	// the metric's, split shares that do not sum to 1.
	ErrInvalid = errors.New("kpi: invalid input")
	// ErrConflict reports a fact whose key was seen before with different
	// content. goalkit never overwrites silently: use Ledger.Replace to
	// correct a fact, or give the new fact its own key.
	ErrConflict = errors.New("kpi: conflicting fact")
	// ErrNotFound reports a correction (retract or replace) for a key the
	// ledger has never seen, or a query for a unit or metric it does not know.
	ErrNotFound = errors.New("kpi: not found")
	// ErrOverflow reports a fact that would push a metric's total past what
	// the ledger can hold exactly (9,223,372,036,854,775,807 minor units of
	// the absolute values of its live facts). The fact is not applied.
	ErrOverflow = errors.New("kpi: total out of range")
)

// FactError says which fact was rejected, which of its fields was wrong and
// why. It matches one of the sentinels (ErrInvalid, ErrConflict, ErrNotFound,
// ErrOverflow) with errors.Is.
type FactError struct {
	Key    string // the fact's idempotency key, as given
	Field  string // "Key", "Metric", "Unit", "Date", "Value", "Currency", "Credits", "Dims", "End", "WorkingDays" or "Converted"
	Reason string // what is wrong and, where possible, what to do instead
	Err    error  // the sentinel it matches
}

// Error says what was wrong and what to do.
func (e *FactError) Error() string {
	return fmt.Sprintf("kpi: fact %q: %s: %s", goal.Excerpt(e.Key), e.Field, e.Reason)
}

// Unwrap returns the sentinel the error matches.
func (e *FactError) Unwrap() error { return e.Err }

func factErr(sentinel error, key, field, reason string, args ...any) *FactError {
	return &FactError{Key: key, Field: field, Reason: fmt.Sprintf(reason, args...), Err: sentinel}
}

// Rejection is one fact of a batch that was not applied, with the reason.
type Rejection struct {
	Index int   // position of the fact in the batch
	Err   error // a *FactError
}

// BatchError reports an all-or-nothing batch that was rejected whole because
// some of its facts were bad. Nothing of the batch was applied. It matches
// the sentinels of the rejections it holds with errors.Is (errors.Is(err,
// ErrConflict) is true when at least one fact conflicted).
type BatchError struct {
	Size     int         // number of facts in the batch
	Rejected []Rejection // the bad facts, in batch order
}

// Error says what was wrong and what to do.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kpi: batch of %d facts rejected, nothing applied: %d bad", e.Size, len(e.Rejected))
	for i, r := range e.Rejected {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rejected)-3)
			break
		}
		fmt.Fprintf(&b, "; #%d: %v", r.Index, r.Err)
	}
	b.WriteString(" (fix them, or ingest with KeepGood to apply the good facts and get the bad ones back)")
	return b.String()
}

// Unwrap returns the errors of the rejected facts.
func (e *BatchError) Unwrap() []error {
	out := make([]error, len(e.Rejected))
	for i, r := range e.Rejected {
		out[i] = r.Err
	}
	return out
}

// queryErr is the error of a query or configuration, wrapping a sentinel.
func queryErr(sentinel error, format string, args ...any) error {
	return fmt.Errorf("kpi: "+format+": %w", append(args, sentinel)...)
}
