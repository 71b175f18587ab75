package goalkit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// BenchmarkSetTargetVersions measures what recording every saved version
// costs: Engine.SetTarget on a plan of 10k goals (which records the version)
// against its peer, SetTarget as it was before versions were kept (read,
// re-index, edit, audit the changed targets, UpdatePlan, in one
// transaction), on every store.
// Compare the two sub-benchmarks of one store in one run:
//
//	go test -run '^$' -bench 'SetTargetVersions/sqlite' -count 5 .
//
// PostgreSQL needs GOALKIT_POSTGRES_DSN.
func BenchmarkSetTargetVersions(b *testing.B) {
	const goals = 10_000
	for _, kind := range []string{"memory", "sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			store := storeOfKind(b, kind, "bench")
			f := newFixture(b, store, nil)
			q1 := f.period(b, "2026-Q1")
			gs := []goal.Goal{{ID: "root", Metric: "revenue", Unit: "acme", Period: q1, Target: decimal.NewFromInt(goals - 1)}}
			for i := 1; i < goals; i++ {
				gs = append(gs, goal.Goal{ID: fmt.Sprint("g", i), Parent: "root", Metric: "revenue", Unit: "li", Period: q1, Target: decimal.NewFromInt(1)})
			}
			p, err := goal.NewPlan("big", revenue, gs)
			require.NoError(b, err)
			version, err := f.engine.SavePlan(ctx, p, who)
			require.NoError(b, err)
			n := int64(0)
			next := func() decimal.Decimal { n++; return decimal.NewFromInt(n % 7) }
			b.Run("SetTarget", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					p, err := f.engine.SetTarget(ctx, "big", "g1", next(), version, unbalanced(who))
					if err != nil {
						b.Fatal(err)
					}
					version = p.Version
				}
			})
			b.Run("WithoutRecord", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					err := store.InTx(ctx, func(tx storage.Tx) error {
						old, err := tx.GetPlan(ctx, "big")
						if err != nil {
							return err
						}
						p, err := goal.NewPlan(old.ID, old.Metric, old.Goals)
						if err != nil {
							return err
						}
						if err := p.SetTarget("g1", next()); err != nil {
							return err
						}
						version, err = tx.UpdatePlan(ctx, p, old.Version, auditOf(old, p))
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// auditOf is the audit SetTarget writes: one entry per goal whose target
// changed from old to p.
func auditOf(old, p *goal.Plan) []storage.AuditEntry {
	before := make(map[string]decimal.Decimal, len(old.Goals))
	for _, g := range old.Goals {
		before[g.ID] = g.Target
	}
	var out []storage.AuditEntry
	for _, g := range p.Goals {
		if prev := before[g.ID]; !prev.Equal(g.Target) {
			out = append(out, storage.AuditEntry{Goal: g.ID, Actor: who.Actor, Old: decimal.NewNullDecimal(prev), New: decimal.NewNullDecimal(g.Target)})
		}
	}
	return out
}

// storeOfKind returns a fresh store of kind "memory", "sqlite" or
// "postgres" (skipped without GOALKIT_POSTGRES_DSN) bound to tenant.
func storeOfKind(tb testing.TB, kind, tenant string) storage.Store {
	tb.Helper()
	switch kind {
	case "sqlite":
		return sqltest.Store(tb, sqltest.SQLite(tb), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: tenant})
	case "postgres":
		return sqltest.Store(tb, sqltest.Postgres(tb), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: tenant})
	}
	s, err := memory.New(memory.Config{Tenant: tenant})
	require.NoError(tb, err)
	return s
}
