package goalkit_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// dailyCallsPlan gives each of li, wang and zhao 10 calls a day of the
// first quarter, under one quarter goal each: with no calls made, every
// day's goal fires on its day, resolves the next when its period ended,
// and is dropped (retired) the day after.
func (f *fixture) dailyCallsPlan(t testing.TB) {
	t.Helper()
	q1 := f.period(t, "2026-Q1")
	days, err := f.cal.Split(q1, goal.Day)
	require.NoError(t, err)
	goals := []goal.Goal{{ID: "root", Metric: "calls", Unit: "acme", Period: q1, Target: decimal.NewFromInt(int64(30 * len(days)))}}
	for _, u := range []string{"li", "wang", "zhao"} {
		qid := goal.GoalID("calls", u, q1)
		goals = append(goals, goal.Goal{ID: qid, Parent: "root", Metric: "calls", Unit: u, Period: q1, Target: decimal.NewFromInt(int64(10 * len(days)))})
		for _, d := range days {
			goals = append(goals, goal.Goal{ID: goal.GoalID("calls", u, d), Parent: qid, Metric: "calls", Unit: u, Period: d, Target: decimal.NewFromInt(10)})
		}
	}
	p, err := goal.NewPlan("daily-calls", calls, goals)
	require.NoError(t, err)
	_, err = f.engine.SavePlan(f.ctx, p, who)
	require.NoError(t, err)
}

// Stored alert state stays bounded: what retired more than AlertRetention
// ago is deleted by Evaluate, on every store. On main every alert ever
// raised stayed, and every Evaluate read all of them.
func TestEvaluatePrunesRetiredAlerts(t *testing.T) {
	stores := map[string]func(t *testing.T) storage.Store{
		"memory": func(*testing.T) storage.Store { return nil },
		"sqlite": func(t *testing.T) storage.Store {
			return sqltest.Store(t, sqltest.SQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
		},
		"postgres": func(t *testing.T) storage.Store {
			return sqltest.Store(t, sqltest.Postgres(t), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			const retention = 7 * 24 * time.Hour
			f := newFixture(t, open(t), func(c *goalkit.Config) {
				c.Rules.Pace = callsPace
				c.AlertRetention = retention
			})
			f.dailyCallsPlan(t)
			first, last := day("2026-01-05"), day("2026-03-05")
			for d := first; d <= last; d++ {
				_, err := f.engine.Evaluate(f.ctx, d)
				require.NoError(t, err, d)
			}
			all, err := f.store.ListAlerts(f.ctx)
			require.NoError(t, err)
			live, err := f.store.ListLiveAlerts(f.ctx, storage.AlertInstance)
			require.NoError(t, err)
			cutoff := last.MidnightUTC().Add(-retention)
			retired := 0
			for _, a := range all {
				if a.Retired.IsZero() {
					continue
				}
				retired++
				require.False(t, a.Retired.Before(cutoff), "%s retired at %s, before the cutoff %s", a.Fingerprint, a.Retired, cutoff)
				require.Equal(t, "inactive", a.State)
				require.Empty(t, a.Detector)
			}
			require.NotEmpty(t, live)
			require.Equal(t, len(all), len(live)+retired)
			// Three reps, one daily alert each retiring every day: at most
			// the last 8 days' worth are kept, not the 60 days'.
			require.LessOrEqual(t, retired, 3*8)
			require.Positive(t, retired)
		})
	}
}

// A retired alert whose goal comes back live continues from its stored
// version instead of conflicting with its own retired row.
// TestRetiredAlertComesBack runs on a store whose transactions are a
// storage.AlertBatch (the memory store) and on one whose are not: the
// engine's single-call path reads a returning state's version and writes
// it the same way.
func TestRetiredAlertComesBack(t *testing.T) {
	for name, wrap := range map[string]func(storage.Store) storage.Store{
		"batch":        func(s storage.Store) storage.Store { return s },
		"single calls": func(s storage.Store) storage.Store { return singleCalls{s} },
	} {
		t.Run(name, func(t *testing.T) {
			s, err := memory.New(memory.Config{Tenant: "acme"})
			require.NoError(t, err)
			retiredAlertComesBack(t, newFixture(t, wrap(s), func(c *goalkit.Config) { c.Rules.Pace = callsPace }))
		})
	}
}

// singleCalls is a store whose transactions hide their storage.AlertBatch.
type singleCalls struct{ storage.Store }

func (s singleCalls) InTx(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.InTx(ctx, func(tx storage.Tx) error { return fn(struct{ storage.Tx }{tx}) })
}

func retiredAlertComesBack(t *testing.T, f *fixture) {
	f.callsPlan(t, "li-calls", "li", 220)
	// Behind on the 4th (fires), caught up on the 5th (resolves), dropped
	// on the 6th (retired), behind again on the 13th (back).
	_, err := f.engine.Evaluate(f.ctx, day("2026-03-04"))
	require.NoError(t, err)
	f.ingest(t, call("catch-up", "li", "2026-03-05", 50))
	for _, d := range []string{"2026-03-05", "2026-03-06"} {
		_, err = f.engine.Evaluate(f.ctx, day(d))
		require.NoError(t, err)
	}
	live, err := f.store.ListLiveAlerts(f.ctx, storage.AlertInstance)
	require.NoError(t, err)
	require.Empty(t, live, "li's alert retired")
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-13"))
	require.NoError(t, err)
	require.NotEmpty(t, ev.States)
	got, err := f.store.GetAlert(f.ctx, ev.States[0].Fingerprint)
	require.NoError(t, err)
	require.True(t, got.Retired.IsZero())
	require.Equal(t, string(alert.StateFiring), got.State)
	require.Equal(t, int64(4), got.Version, "created, resolved, retired, back")
}

func TestNewRejectsNegativeAlertRetention(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, err := goalkit.New(f.ctx, f.store, &goalkit.Config{Metrics: []goal.Metric{calls}, AlertRetention: -time.Hour})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.Contains(t, err.Error(), "AlertRetention")
}

// Evaluate reads only live states: a retired row is never decoded, so even
// one the engine could not read does not stop it.
func TestEvaluateReadsOnlyLiveAlerts(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
	f.callsPlan(t, "li-calls", "li", 220)
	_, err := f.store.PutAlert(f.ctx, storage.AlertState{Fingerprint: "gone", Rule: alert.RulePace, State: "firing",
		Retired: day("2026-03-01").MidnightUTC(), Detector: []byte("not even json")}, 0)
	require.NoError(t, err)
	_, err = f.engine.Evaluate(f.ctx, day("2026-03-04"))
	require.NoError(t, err)
}

// Stored state that this engine cannot read fails Evaluate loudly, naming
// the alert, rather than resetting it: a field renamed since it was written
// (here firing_notified, or FiringNotified in the untagged JSON of
// alert.Instance that earlier versions wrote), a newer format version.
func TestEvaluateRefusesUnreadableAlertState(t *testing.T) {
	for name, c := range map[string]struct {
		blob    string
		version int
		msg     string
	}{
		"renamed field": {blob: `{"v":1,"fingerprint":"fp","rule":"pace","unit":"li","labels":{},"state":"firing",` +
			`"firing_notifed":true,"value":"1","threshold":"2"}`, version: 1, msg: `unknown field "firing_notifed"`},
		"renamed field before versions": {blob: `{"Fingerprint":"fp","Rule":"pace","Unit":"li","State":"firing","FiringNotice":true}`,
			msg: `unknown field "FiringNotice"`},
		"newer version": {blob: `{"v":2,"fingerprint":"fp","state":"firing","acked_by":"bob"}`, version: 2, msg: "format version 2"},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
			_, err := f.store.PutAlert(f.ctx, storage.AlertState{Fingerprint: "fp", Rule: "pace", State: "firing", Detector: []byte(c.blob)}, 0)
			require.NoError(t, err)
			_, err = f.engine.Evaluate(f.ctx, day("2026-03-04"))
			require.ErrorIs(t, err, goalkit.ErrStoredState)
			var se *goalkit.StateError
			require.True(t, errors.As(err, &se), "%v", err)
			require.Equal(t, "fp", se.Key)
			require.Equal(t, "alert instance", se.Kind)
			require.Equal(t, c.version, se.Version)
			require.Contains(t, err.Error(), c.msg)
			got, err := f.store.GetAlert(f.ctx, "fp")
			require.NoError(t, err)
			require.Equal(t, c.blob, string(got.Detector), "nothing was overwritten")
		})
	}
}

// A state written before format versions (the untagged JSON of
// alert.Instance) is read, and rewritten in version 1.
func TestEvaluateReadsStateWrittenBeforeVersions(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
	f.callsPlan(t, "li-calls", "li", 220)
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-04"))
	require.NoError(t, err)
	require.Len(t, ev.States, 1)
	in := ev.States[0]
	require.Equal(t, alert.StateFiring, in.State)
	require.True(t, in.FiringNotified)
	stored, err := f.store.GetAlert(f.ctx, in.Fingerprint)
	require.NoError(t, err)
	legacy, err := json.Marshal(in) // what goalkit wrote before versions
	require.NoError(t, err)
	stored.Detector = legacy
	_, err = f.store.PutAlert(f.ctx, stored, stored.Version)
	require.NoError(t, err)

	ev, err = f.engine.Evaluate(f.ctx, day("2026-03-05"))
	require.NoError(t, err)
	require.Len(t, ev.States, 1)
	require.True(t, ev.States[0].FiringNotified, "kept, not reset")
	require.Empty(t, ev.Notifications, "the firing was notified already")
	again, err := f.store.GetAlert(f.ctx, in.Fingerprint)
	require.NoError(t, err)
	require.Contains(t, string(again.Detector), `"v":1`)
	require.Contains(t, string(again.Detector), `"firing_notified":true`)
}
