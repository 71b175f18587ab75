package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// BenchmarkPostgresWriteLock measures what the tenant's write lock costs
// ingest: batches of 500 new facts on a 21-unit org, from one writer and
// from four at once, with the lock and without it (WithoutWriteLock), each
// on fresh tables. Compare facts/s of lock and nolock from the same run.
func BenchmarkPostgresWriteLock(b *testing.B) {
	ctx := context.Background()
	db := sqltest.Postgres(b)
	units := []goal.Unit{{ID: "co", Kind: "company"}}
	var reps []string
	for t := range 4 {
		units = append(units, goal.Unit{ID: fmt.Sprint("t", t), Parent: "co", Kind: "team"})
		for r := range 4 {
			reps = append(reps, fmt.Sprintf("r%d%d", t, r))
			units = append(units, goal.Unit{ID: reps[len(reps)-1], Parent: fmt.Sprint("t", t), Kind: "rep"})
		}
	}
	const size = 500
	n := 0
	for _, writers := range []int{1, 4} {
		for _, mode := range []string{"lock", "nolock"} {
			b.Run(fmt.Sprintf("writers=%d/%s", writers, mode), func(b *testing.B) {
				n++
				s := sqltest.Store(b, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: fmt.Sprintf("lb%d_", n)})
				if mode == "nolock" {
					s = sqlstore.WithoutWriteLock(s)
				}
				if err := s.PutUnits(ctx, units); err != nil {
					b.Fatal(err)
				}
				next := 0
				b.ReportAllocs()
				for b.Loop() {
					var wg sync.WaitGroup
					errs := make([]error, writers)
					for w := range writers {
						from := next + w*size
						wg.Add(1)
						go func() {
							defer wg.Done()
							facts := make([]kpi.Fact, size)
							for i := range facts {
								k := from + i
								facts[i] = kpi.Fact{Key: fmt.Sprintf("f%09d", k), Metric: "revenue", Unit: reps[k%len(reps)],
									Date: date.New(2026, 1, 1) + date.Date(k%365), Value: decimal.New(int64(k%100000), -2)}
							}
							_, errs[w] = s.AppendFacts(ctx, facts)
						}()
					}
					wg.Wait()
					for _, err := range errs {
						if err != nil {
							b.Fatal(err)
						}
					}
					next += writers * size
				}
				b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "facts/s")
			})
		}
	}
}
