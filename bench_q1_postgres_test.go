package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/sqlstore"
)

// BenchmarkQ1SumManyPostgres is BenchmarkQ1SumManyMemory on PostgreSQL:
// Q1's 93,245 actuals over W1's first 200,000 facts through SumMany. The
// tables are analyzed after ingest (Store.Analyze, as autovacuum also soon
// does), so the figure is the steady one (a just-loaded table has no statistics, and the
// planner then picks a slower plan; docs/ARCHITECTURE.md):
//
//	GOALKIT_POSTGRES_DSN=… go test -run '^$' -bench Q1SumManyPostgres .
func BenchmarkQ1SumManyPostgres(b *testing.B) {
	ctx := context.Background()
	db := sqltest.Postgres(b)
	s := sqltest.Store(b, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "w1"})
	w, facts := ingestBenchWorld(b)
	e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: w.Metrics, Calendar: w.Cal})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.SetOrg(ctx, w.Units); err != nil {
		b.Fatal(err)
	}
	for lo := 0; lo < len(facts); lo += ingestBenchBatch {
		if _, err := e.Ingest(ctx, facts[lo:min(lo+ingestBenchBatch, len(facts))], kpi.AllOrNothing); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	benchQ1(b, s, w)
}
