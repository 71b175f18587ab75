package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// Analyze refreshes the database's statistics of the tables a load of
// facts fills (facts and the daily and monthly totals), as PostgreSQL's
// guide to populating a database advises after a bulk load. Until the
// tables are analyzed (autovacuum does so some time after a load; SQLite
// never does on its own), the planner takes freshly loaded tables for
// nearly empty ones and may sum them by slower plans: on PostgreSQL, Q1
// (93,245 sums) right after loading 1M W1 facts took about twice as long
// as once the tables were analyzed. It changes no data and takes no write
// lock; it reads a sample of each table (tens of milliseconds a table at
// 1M facts). The goalkit command runs it after importing facts.
func (s *Store) Analyze(ctx context.Context) error {
	tables := []string{s.t.facts, s.t.daily, s.t.monthly}
	stmts := tables // SQLite analyzes one table a statement
	if s.cfg.Dialect == PostgreSQL {
		stmts = []string{strings.Join(tables, ", ")}
	}
	for _, q := range stmts {
		if _, err := s.db.ExecContext(ctx, "ANALYZE "+q); err != nil {
			return fmt.Errorf("sqlstore: analyze %s: %w", q, err)
		}
	}
	return nil
}
