package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// Copier is the optional bulk path of a PostgreSQL store: with one in
// Config.Copier, AppendFacts COPYs a batch's facts and its aggregated
// bucket deltas into temporary staging tables of the transaction's
// connection and applies them with one INSERT … SELECT (facts, ON CONFLICT
// DO NOTHING) and one upsert (buckets) each, in the same transaction,
// under the same lock, in key order: every guarantee of the array path
// holds. The store still imports no driver: the package pgxcopy
// implements Copier for github.com/jackc/pgx/v5/stdlib.
type Copier interface {
	// CopyFrom writes rows into the temporary table on driverConn, the
	// driver's connection (database/sql's (*sql.Conn).Raw) that runs the
	// store's transaction, so the rows are part of it. Every value is a
	// string or nil (NULL); every column is text. It returns an error
	// unless all rows were written.
	CopyFrom(ctx context.Context, driverConn any, table string, columns []string, rows [][]any) error
}

// A staging table lives on its connection (TEMP), is created on first
// use, and is emptied before each use and at commit.
const (
	stageFacts   = "goalkit_stage_facts"
	stageBuckets = "goalkit_stage_buckets"
)

// copyRows empties the staging table (creating it if this connection has
// none), then COPYs rows into it.
func (t *tx) copyRows(ctx context.Context, table string, columns []string, rows [][]any) error {
	ddl := "CREATE TEMP TABLE IF NOT EXISTS " + table + " (" + strings.Join(columns, " TEXT, ") + " TEXT) ON COMMIT DELETE ROWS"
	if _, err := t.c.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("create staging table: %w", err)
	}
	if _, err := t.c.ExecContext(ctx, "TRUNCATE "+table); err != nil {
		return fmt.Errorf("empty staging table: %w", err)
	}
	return t.raw.Raw(func(dc any) error {
		if err := t.s.cfg.Copier.CopyFrom(ctx, dc, table, columns, rows); err != nil {
			return fmt.Errorf("copy into staging table: %w", err)
		}
		return nil
	})
}

// copying says whether write transactions stage batches with the Copier.
func (s *Store) copying() bool { return s.cfg.Copier != nil && s.cfg.Dialect == PostgreSQL }
