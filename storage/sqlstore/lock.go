package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// Every write transaction of a tenant runs after the previous one ended, as
// if the tenant had one writer: a write reads what it changes (a fact's old
// content, whether a key is stored, the units and the org's version) and
// must see everything committed before it. Reads are snapshots and never wait.

// lockSQLite makes the transaction a writer from its first statement: a
// deferred SQLite transaction that reads and then writes can fail at once
// with SQLITE_BUSY when another connection wrote in between (no busy handler
// helps then). Writing a row of the lock table first takes the write lock,
// waiting up to BusyTimeout for other writers, so concurrent writers queue
// instead of failing.
func (s *Store) lockSQLite(ctx context.Context, c *sql.Tx) error {
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", s.cfg.BusyTimeout.Milliseconds())); err != nil {
		return fmt.Errorf("sqlstore: begin: set busy timeout: %w", err)
	}
	if _, err := c.ExecContext(ctx, "UPDATE "+s.t.lock+" SET n = n + 1 WHERE id = 1"); err != nil {
		return fmt.Errorf("sqlstore: begin: take the write lock (waited up to %s; is another process holding a long write transaction?): %w",
			s.cfg.BusyTimeout, err)
	}
	return nil
}

// lockPostgres takes the tenant's transaction-level advisory lock, waiting
// for the write transaction holding it to end; the lock is released at
// commit or rollback. Its key is hashtextextended of the schema, the table
// prefix and the tenant, computed by the server, so every process agrees
// and installations in other schemas of the database do not wait for each
// other (two tenants whose keys collide only wait for each other). The
// transaction runs at READ COMMITTED, where each statement sees what was
// committed before it started, so every statement after the lock sees the
// previous writer's commit. Waiting is bounded by ctx (and by the host's
// lock_timeout, if it sets one).
func (s *Store) lockPostgres(ctx context.Context, c *sql.Tx) error {
	name := "/" + s.cfg.TablePrefix + "/" + s.cfg.Tenant
	if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || $1, 0))", name); err != nil {
		return fmt.Errorf("sqlstore: begin: take the tenant's write lock (an advisory lock on %q in the current schema): %w", name, err)
	}
	return nil
}
