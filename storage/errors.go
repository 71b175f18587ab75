package storage

import (
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
)

// Sentinel errors. Every error a store returns for a storage-level outcome
// matches one of them with errors.Is; native driver errors never come back as
// the only signal. Implementations wrap them with the operation, e.g.
// "sqlstore: get plan \"fy26\": storage: not found".
var (
	// ErrNotFound reports a read, update, retraction or delivery of a
	// record that does not exist for the store's tenant.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict reports a write that would overwrite something it must
	// not: a stale expected version (a concurrent edit was detected) or a
	// fact whose key is already stored with different content.
	ErrConflict = errors.New("storage: conflict")
	// ErrDuplicate reports the creation of a record whose identity already
	// exists: a plan ID taken, a notification key reused with other content.
	ErrDuplicate = errors.New("storage: duplicate")
	// ErrInvalid reports input a store cannot represent: an empty ID, a
	// date outside years 0001..9999, a value with more than MaxPlaces
	// decimal places, credits whose shares do not sum to one. Stores check
	// storage rules only; domain rules are the engine's.
	ErrInvalid = errors.New("storage: invalid input")
	// ErrOverflow reports a write that would take a stored total out of
	// the range the store keeps exactly; nothing of the write is stored.
	// Only the SQLite store has such a range: one bucket (a metric's total
	// for one unit, or its subtree, on one day) must stay below about
	// 9.2×10^21 in absolute value. Sums over many buckets are exact
	// whatever their size, on every store.
	ErrOverflow = errors.New("storage: total out of the exact range")
)

// ConflictError says which record conflicted and why. It matches ErrConflict
// with errors.Is, and errors.As gives a caller the key to report or retry.
type ConflictError struct {
	Kind   string // "fact", "plan", "alert" or "org"
	Key    string // the fact key, plan ID, alert fingerprint or edited unit
	Reason string // what differs, e.g. "stored version is 4, expected 3"
}

// Error says which record conflicted and why.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("storage: conflict on %s %q: %s", e.Kind, e.Key, e.Reason)
}

// Unwrap makes a ConflictError match ErrConflict.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Invalid returns an error matching ErrInvalid that names the offending
// field and value (its first bytes when it is long: goal.Excerpt).
// Implementations use it for storage-rule violations.
func Invalid(field, value, reason string) error {
	return fmt.Errorf("%w: %s %q: %s", ErrInvalid, field, goal.Excerpt(value), reason)
}
