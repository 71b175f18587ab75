package goalkit_test

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
)

// BenchmarkPutDeals re-sends 500 won deals (a nightly sync of unchanged
// deals, 7 derived facts each) on the memory store and SQLite, three ways:
// deals only (plain), deals whose funnel derives the facts (derived), and
// the peer a host without derivation runs: the deals, then the same facts
// through Ingest (host-facts).
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
		for _, mode := range []string{"plain", "derived", "host-facts"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				fn := derivingFunnel
				var facts []kpi.Fact
				for _, d := range deals {
					fs, err := funnel.DealFacts(fn, d)
					if err != nil {
						b.Fatal(err)
					}
					facts = append(facts, fs...)
				}
				if mode != "derived" {
					fn.Derive = nil
				}
				if mode != "host-facts" {
					facts = nil
				}
				f := newFixture(b, stores[name](b), func(c *goalkit.Config) {
					c.Metrics = append(c.Metrics, dealMetrics...)
					c.Funnels = []funnel.Funnel{fn}
				})
				send := func() {
					if err := f.engine.PutDeals(f.ctx, deals); err != nil {
						b.Fatal(err)
					}
					if len(facts) > 0 {
						if _, err := f.engine.Ingest(f.ctx, facts, kpi.AllOrNothing); err != nil {
							b.Fatal(err)
						}
					}
				}
				send()
				b.ReportAllocs()
				for b.Loop() {
					send()
				}
			})
		}
	}
}
