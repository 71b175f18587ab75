package sqlstore

import (
	"context"
	"database/sql"
)

// WithoutWriteLock returns a copy of s whose write transactions skip the
// tenant's write lock, so a benchmark can measure what the lock costs. Its
// concurrent writes are not serialised: for measurement only.
func WithoutWriteLock(s *Store) *Store {
	c := *s
	c.lock = func(context.Context, *sql.Tx) error { return nil }
	c.auto.Write = c.write
	return &c
}
