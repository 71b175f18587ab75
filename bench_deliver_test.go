package goalkit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/stretchr/testify/require"
)

// BenchmarkDeliver measures Deliver of 100 firing pace notifications, each
// from its own plan (the worst case for wording them: one plan read and one
// status per notification), on the memory store and on PostgreSQL (with
// GOALKIT_POSTGRES_DSN). Each round adds 100 plans and evaluates them
// untimed, so run a fixed number of rounds:
//
//	go test -run '^$' -bench Deliver -benchtime 10x .
func BenchmarkDeliver(b *testing.B) {
	b.Run("memory", func(b *testing.B) { benchDeliver(b, nil) })
	b.Run("postgres", func(b *testing.B) {
		benchDeliver(b, sqltest.Store(b, sqltest.Postgres(b), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"}))
	})
}

func benchDeliver(b *testing.B, store storage.Store) {
	const plans = 100
	f := newFixture(b, store, func(c *goalkit.Config) {
		c.Rules.Pace = callsPace
		c.Notifier = alert.NotifierFunc(func(context.Context, alert.Notification) error { return nil })
	})
	b.ReportAllocs()
	round := 0
	for b.Loop() {
		b.StopTimer()
		for i := range plans {
			f.callsPlan(b, fmt.Sprintf("r%d-calls-%03d", round, i), "li", 220)
		}
		round++
		_, err := f.engine.Evaluate(f.ctx, day("2026-03-20"))
		require.NoError(b, err)
		b.StartTimer()
		n, err := f.engine.Deliver(f.ctx)
		require.NoError(b, err)
		require.Equal(b, plans, n)
	}
}
