package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/stretchr/testify/require"
)

// engineScenario runs the engine's main path on store: plans, a rejected
// and a good batch, a replay, a conflict, the statuses by hand, an alert
// through the outbox, and delivery by a restarted engine. Every store runs
// the same assertions.
func engineScenario(t *testing.T, store storage.Store) {
	rec := &alert.Recorder{}
	f := newFixture(t, store, func(c *goalkit.Config) {
		c.Notifier = rec
		c.Rules.Pace = callsPace
	})
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	f.callsPlan(t, "north-calls", "north", 440)
	audit, err := f.store.ListAudit(f.ctx, "north-calls")
	require.NoError(t, err)
	require.Len(t, audit, 3)

	good := []kpi.Fact{
		rev("a", "li", "2026-01-10", "80.00"),
		rev("b", "li", "2026-02-05", "50.00"),
		{Key: "c", Metric: "revenue", Date: day("2026-02-13"), Value: dec("40.00"),
			Credits: []kpi.Credit{{Unit: "li", Share: dec("0.5")}, {Unit: "wang", Share: dec("0.5")}}},
		rev("late", "li", "2026-02-14", "1000.00"),
	}
	_, err = f.engine.Ingest(f.ctx, append(good[:2:2], rev("bad", "li", "2026-02-05", "0.001")), kpi.AllOrNothing)
	var be *kpi.BatchError
	require.ErrorAs(t, err, &be)
	require.Equal(t, 2, be.Rejected[0].Index)
	stored, err := f.store.ListFacts(f.ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, stored)

	res, err := f.engine.Ingest(f.ctx, good, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, goalkit.IngestResult{Inserted: 4}, res)
	res, err = f.engine.Ingest(f.ctx, good, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, goalkit.IngestResult{Unchanged: 4}, res)
	_, err = f.engine.Ingest(f.ctx, []kpi.Fact{rev("a", "li", "2026-01-10", "80.01")}, kpi.AllOrNothing)
	require.ErrorIs(t, err, storage.ErrConflict)
	require.ErrorAs(t, err, new(*storage.ConflictError))
	requireNamesOnly(t, err, "Engine.Replace", "ReplaceFact", "retract")

	// As in TestStatusOnThePlansCurve, with li's half of c (20.00).
	s, err := f.engine.Status(f.ctx, "li-q1", "q1", day("2026-02-13"))
	require.NoError(t, err)
	requireDec(t, "150", s.Actual)
	requireDec(t, "0.333333", s.TimeProgress)
	requireNullDec(t, "0.25", s.Attainment)
	requireNullDec(t, "-0.083333", s.GapRate)
	requireDec(t, "200", s.Expected)
	requireNullDec(t, "450", s.Projected)
	requireNullDec(t, "14.0625", s.RequiredRunRate)
	require.NoError(t, f.engine.Retract(f.ctx, "b"))
	require.NoError(t, f.engine.Replace(f.ctx, rev("a", "li", "2026-01-10", "90.00")))
	s, err = f.engine.Status(f.ctx, "li-q1", "q1", day("2026-02-13"))
	require.NoError(t, err)
	requireDec(t, "110", s.Actual)

	// North and its reps made no calls by 3 March: north fires, the reps
	// are inhibited.
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-03"))
	require.NoError(t, err)
	require.Equal(t, 5, ev.Goals, "north's three and li's quarter and March")
	require.Len(t, ev.States, 3)
	require.Len(t, ev.Notifications, 1)
	require.Equal(t, "north", ev.Notifications[0].Unit)
	require.Len(t, ev.Muted, 2)
	require.Equal(t, []string{ev.Notifications[0].Key}, storedKeys(undelivered(t, f)))
	again, err := f.engine.Evaluate(f.ctx, day("2026-03-03"))
	require.NoError(t, err)
	require.Empty(t, again.Notifications)
	require.Empty(t, again.StateChanges)
	require.Len(t, undelivered(t, f), 1)

	// A restarted engine on the same store delivers it, once.
	restarted := engineOn(t, f, store, rec)
	n, err := restarted.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, keysOf(ev.Notifications), keysOf(rec.Notifications()))
	require.Zero(t, rec.Duplicates())

	// li and wang catch up by 4 March (north expects 60): north resolves.
	f.ingest(t, call("li-0304", "li", "2026-03-04", 30), call("wang-0304", "wang", "2026-03-04", 30))
	ev, err = f.engine.Evaluate(f.ctx, day("2026-03-04"))
	require.NoError(t, err)
	require.Len(t, ev.Notifications, 1)
	require.Equal(t, alert.NotifyResolved, ev.Notifications[0].Kind)
	n, err = restarted.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

// onEveryStore runs fn against a fresh store of each kind: memory, SQLite,
// and PostgreSQL (see sqltest for when it is skipped).
func onEveryStore(t *testing.T, fn func(t *testing.T, s storage.Store)) {
	t.Run("memory", func(t *testing.T) {
		s, err := memory.New(memory.Config{Tenant: "acme"})
		require.NoError(t, err)
		fn(t, s)
	})
	t.Run("sqlite", func(t *testing.T) {
		fn(t, sqltest.Store(t, sqltest.SQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"}))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, sqltest.Store(t, sqltest.Postgres(t), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"}))
	})
}

func TestEngineOnEveryStore(t *testing.T) { onEveryStore(t, engineScenario) }

// requireNamesOnly checks that err, reached through the Engine, points the
// host at the Engine's method want and never at a store's method or advice
// (not).
func requireNamesOnly(t *testing.T, err error, want string, not ...string) {
	t.Helper()
	require.Contains(t, err.Error(), want)
	for _, n := range not {
		require.NotContains(t, err.Error(), n)
	}
}
