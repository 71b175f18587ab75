package sqlstore

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
)

// Copier is the optional COPY path of a PostgreSQL store. With one in
// Config.Copier, AppendFacts loads a batch's new facts with COPY straight
// into the facts table, in the store's transaction, under the same
// savepoint, lock and checks as the array INSERT it replaces; if the COPY
// fails (a key already stored, or any other error) the store rolls back
// to the savepoint and inserts with ON CONFLICT, as without a Copier. The
// totals are written as before. The store still imports no driver:
// package pgxcopy implements Copier for github.com/jackc/pgx/v5/stdlib.
type Copier interface {
	// CopyFrom writes rows into table (a table name, unquoted) on
	// driverConn, the driver's connection that runs the store's
	// transaction (from database/sql's (*sql.Conn).Raw), so the rows are
	// part of that transaction. Each value is nil (NULL), a string, a
	// bool, a decimal.Decimal (a NUMERIC column) or a date.Date (a DATE
	// column). It returns the number of rows written, and an error unless
	// all were.
	CopyFrom(ctx context.Context, driverConn any, table string, columns []string, rows [][]any) (int64, error)
}

// copying says whether write transactions load facts with the Copier.
func (s *Store) copying() bool { return s.cfg.Copier != nil && s.cfg.Dialect == PostgreSQL }

// factColumns are the columns of a fact row, in the order copyFacts and
// the array insert (writeFactsPG) write them.
var factColumns = []string{"tenant", "fact_key", "metric", "unit", "day", "value", "currency", "credits", "dims", "parts", "retracted", "extra"}

// copyFacts loads the facts at idx with the Copier.
func (t *tx) copyFacts(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int) error {
	rows := make([][]any, len(idx))
	cells := make([]any, len(idx)*len(factColumns))
	for r, i := range idx {
		f := facts[i]
		row := cells[r*len(factColumns) : (r+1)*len(factColumns)]
		row[0], row[1], row[2], row[3], row[4], row[5] = t.s.cfg.Tenant, f.Key, f.Metric, f.Unit, f.Date, f.Value
		row[6], row[7], row[8], row[9] = f.Currency, encodeCredits(f.Credits), encodeMap(f.Dims), encodeParts(f, parts[i])
		row[10], row[11] = false, encodeExtra(f)
		rows[r] = row
	}
	return t.raw.Raw(func(dc any) error {
		n, err := t.s.cfg.Copier.CopyFrom(ctx, dc, t.s.t.facts, factColumns, rows)
		switch {
		case err != nil:
			return fmt.Errorf("copy facts: %w", err)
		case n != int64(len(rows)):
			return fmt.Errorf("copy facts: the Copier wrote %d of %d rows", n, len(rows))
		}
		return nil
	})
}
