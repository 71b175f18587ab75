package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestAnalyze: after a load, Analyze leaves statistics of the facts and
// the totals where the planner reads them, changes no data, and says what
// failed when the database refuses.
func TestAnalyze(t *testing.T) {
	for _, d := range []struct {
		name    string
		dialect sqlstore.Dialect
		open    func(testing.TB) *sql.DB
		// stats counts the statistics rows the database keeps of table.
		stats string
	}{
		{"sqlite", sqlstore.SQLite, sqltest.SQLite, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = ?"},
		{"postgres", sqlstore.PostgreSQL, sqltest.Postgres, "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = $1"},
	} {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			db := d.open(t)
			s := newStore(t, db, sqlstore.Config{Dialect: d.dialect, Tenant: "acme", TablePrefix: "an_"})
			require.NoError(t, s.PutUnits(ctx, []goal.Unit{{ID: "co"}}))
			var facts []kpi.Fact
			for i := range 300 {
				facts = append(facts, kpi.Fact{Key: fmt.Sprint(i), Metric: "calls", Unit: "co", Date: date.New(2026, 1, 1) + date.Date(i%90), Value: decimal.NewFromInt(1)})
			}
			_, err := s.AppendFacts(ctx, facts)
			require.NoError(t, err)
			q := storage.Query{Metric: "calls", Unit: "co", Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)}
			before, err := s.Sum(ctx, q)
			require.NoError(t, err)
			require.Equal(t, "300", before.Value.String())
			require.NoError(t, s.Analyze(ctx))
			for _, table := range []string{"an_facts", "an_monthly"} {
				var n int
				require.NoError(t, db.QueryRowContext(ctx, d.stats, table).Scan(&n))
				require.Positive(t, n, "statistics of %s", table)
			}
			after, err := s.Sum(ctx, q)
			require.NoError(t, err)
			require.Equal(t, before, after, "Analyze changes no data")

			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			require.ErrorIs(t, s.Analyze(cancelled), context.Canceled)
			require.ErrorContains(t, s.Analyze(cancelled), "sqlstore: analyze")
		})
	}
}
