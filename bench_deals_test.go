package goalkit_test

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
)

// BenchmarkPutDeals re-sends 500 won deals (a nightly sync of unchanged
// deals) with and without derived facts, on the memory store and SQLite:
// the derivation's cost is the plain/derived ratio of the same store.
func BenchmarkPutDeals(b *testing.B) {
	deals := make([]funnel.Deal, 500)
	for i := range deals {
		deals[i] = dealOf(fmt.Sprintf("D%d", i), []string{"li", "wang", "zhao"}[i%3], "1200.00",
			"lead@2026-01-05", "opportunity@2026-01-12", "proposal@2026-01-20", "won@2026-02-02")
	}
	stores := map[string]func(b *testing.B) storage.Store{
		"memory": func(b *testing.B) storage.Store {
			s, err := memory.New(memory.Config{Tenant: "acme"})
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
		"sqlite": func(b *testing.B) storage.Store {
			return sqltest.Store(b, sqltest.SQLite(b), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
		},
	}
	for _, name := range []string{"memory", "sqlite"} {
		for _, derive := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/derived=%t", name, derive), func(b *testing.B) {
				fn := derivingFunnel
				if !derive {
					fn.Derive = nil
				}
				f := newFixture(b, stores[name](b), func(c *goalkit.Config) {
					c.Metrics = append(c.Metrics, dealMetrics...)
					c.Funnels = []funnel.Funnel{fn}
				})
				if err := f.engine.PutDeals(f.ctx, deals); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := f.engine.PutDeals(f.ctx, deals); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
