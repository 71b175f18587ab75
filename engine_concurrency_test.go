package goalkit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/storagetest"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// instance opens its own *sql.DB on the schema at dsn, as another process
// of the host's app would, and returns a store on it.
func instance(t *testing.T, dsn string) storage.Store {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return sqltest.Store(t, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
}

// TestTwoEnginesOnOnePostgres runs two engines, each with its own pool of
// connections to one PostgreSQL schema, doing everything at once: ingest
// (with keys both send), retract, replace, org moves (EditOrg) and
// SetOrg, target edits with versions, Evaluate and Deliver. Afterwards
// every total is what the live facts sum to (along each fact's ancestors
// on its own day), every notification was delivered once, and every edit
// that succeeded is in the plan.
func TestTwoEnginesOnOnePostgres(t *testing.T) {
	ctx := context.Background()
	dsn, drop, err := sqltest.Schema(ctx, sqltest.DSN(t), "goalkit_test_")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, drop()) })

	rec := &alert.Recorder{}
	clock := &testClock{day: day("2026-03-02")}
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	engines := make([]*goalkit.Engine, 2)
	for i := range engines {
		s := instance(t, dsn)
		if i == 0 {
			// The org exists before the second instance starts.
			e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: []goal.Metric{revenue, calls}})
			require.NoError(t, err)
			require.NoError(t, e.SetOrg(ctx, orgUnits))
		}
		engines[i], err = goalkit.New(ctx, s, &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Calendar: cal,
			Now: clock.Now, Notifier: rec, Rules: goalkit.Rules{Pace: callsPace}})
		require.NoError(t, err)
	}
	march, err := cal.Parse("2026-03")
	require.NoError(t, err)
	p, err := engines[0].Decompose(ctx, goal.Spec{PlanID: "north-calls", Metric: calls, Unit: "north", Period: march, Target: decimal.NewFromInt(440)}, who)
	unbalanced := who // the edits below leave the parent behind, on purpose
	unbalanced.Unbalanced = true
	require.NoError(t, err)
	edited := p.Goals[len(p.Goals)-1]
	auditBefore, err := engines[0].Store().ListAudit(ctx, "north-calls")
	require.NoError(t, err)

	reps := []string{"li", "wang", "zhao"}
	callFact := func(key string, r *rand.Rand) kpi.Fact {
		return call(key, reps[r.IntN(len(reps))], fmt.Sprintf("2026-03-%02d", 2+r.IntN(10)), int64(1+r.IntN(5)))
	}
	var (
		mu      sync.Mutex
		enqueue []string // keys of the notifications evaluations wrote
		edits   int      // target edits that succeeded
		moves   int      // org moves tried
		moved   int      // org moves that succeeded
	)
	work := []func(e *goalkit.Engine, r *rand.Rand) error{
		func(e *goalkit.Engine, r *rand.Rand) error { // ingest; keys k00..k59 are sent by both engines
			for b := range 6 {
				var facts []kpi.Fact
				for i := range 10 {
					key := fmt.Sprintf("k%02d", b*10+i)
					facts = append(facts, callFact(key, rand.New(rand.NewPCG(uint64(b*10+i), 1))))
				}
				// A batch holding a key replaced meanwhile is refused whole.
				if _, err := e.Ingest(ctx, facts, kpi.AllOrNothing); err != nil && !errors.Is(err, storage.ErrConflict) {
					return err
				}
			}
			return nil
		},
		func(e *goalkit.Engine, r *rand.Rand) error { // retract
			for range 15 {
				if err := e.Retract(ctx, fmt.Sprintf("k%02d", r.IntN(60))); err != nil && !errors.Is(err, storage.ErrNotFound) {
					return err
				}
			}
			return nil
		},
		func(e *goalkit.Engine, r *rand.Rand) error { // replace
			for range 15 {
				if err := e.Replace(ctx, callFact(fmt.Sprintf("k%02d", r.IntN(60)), r)); err != nil && !errors.Is(err, storage.ErrNotFound) {
					return err
				}
			}
			return nil
		},
		func(e *goalkit.Engine, r *rand.Rand) error { // org and plan edits
			for i := range 8 {
				switch i % 4 {
				case 0: // zhao changes team from a later day each time
					mu.Lock()
					moves++
					from, to := day("2026-03-02")+date.Date(moves), []string{"north", "south"}[moves%2]
					mu.Unlock()
					_, err := e.EditOrg(ctx, goal.MoveUnit("zhao", to, from))
					if err != nil && !errors.Is(err, storage.ErrConflict) && !errors.Is(err, goal.ErrInvalid) {
						return err // a stale edit conflicts; one behind a later move is invalid
					}
					if err == nil {
						mu.Lock()
						moved++
						mu.Unlock()
					}
				case 2:
					if err := e.SetOrg(ctx, orgUnits); err != nil {
						return err
					}
				}
				cur, err := e.Plan(ctx, "north-calls")
				if err != nil {
					return err
				}
				g := slices.IndexFunc(cur.Goals, func(g goal.Goal) bool { return g.ID == edited.ID })
				_, err = e.SetTarget(ctx, "north-calls", edited.ID, cur.Goals[g].Target.Add(decimal.NewFromInt(1)), cur.Version, unbalanced)
				if errors.Is(err, storage.ErrConflict) {
					continue // the other engine edited first
				}
				if err != nil {
					return err
				}
				mu.Lock()
				edits++
				mu.Unlock()
			}
			return nil
		},
		func(e *goalkit.Engine, r *rand.Rand) error { // evaluate and deliver
			for d := range 5 {
				ev, err := e.Evaluate(ctx, day("2026-03-02")+date.Date(d*2))
				if err != nil && !errors.Is(err, storage.ErrConflict) {
					return err
				}
				mu.Lock()
				enqueue = append(enqueue, keysOf(ev.Notifications)...)
				mu.Unlock()
				if _, err := e.Deliver(ctx); err != nil {
					return err
				}
			}
			return nil
		},
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(work)*len(engines))
	for w, fn := range work {
		for i, e := range engines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := fn(e, rand.New(rand.NewPCG(42, uint64(w*2+i)))); err != nil {
					errs <- fmt.Errorf("engine %d, worker %d: %w", i, w, err)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for _, e := range engines {
		_, err := e.Deliver(ctx)
		require.NoError(t, err)
	}

	store := engines[1].Store()
	storagetest.RequireTotalsMatchFacts(t, store, "calls", day("2026-01-01"), day("2027-01-01"))

	require.NotEmpty(t, enqueue, "the evaluations raised notifications")
	require.Zero(t, rec.Duplicates(), "no notification was sent twice")
	require.Subset(t, keysOf(rec.Notifications()), enqueue, "every notification written was delivered")
	left, err := store.ListUndelivered(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, left)

	got, err := engines[1].Plan(ctx, "north-calls")
	require.NoError(t, err)
	require.Positive(t, edits)
	require.Positive(t, moved, "some org move went through")
	require.Equal(t, int64(1+edits), got.Version, "one version per successful edit")
	g := slices.IndexFunc(got.Goals, func(g goal.Goal) bool { return g.ID == edited.ID })
	requireDec(t, edited.Target.Add(decimal.NewFromInt(int64(edits))).String(), got.Goals[g].Target, "no lost target edit")
	audit, err := store.ListAudit(ctx, "north-calls")
	require.NoError(t, err)
	audit = slices.DeleteFunc(audit, func(a storage.AuditEntry) bool { return strings.HasPrefix(a.Reason, "accepted unbalanced") })
	require.Len(t, audit, len(auditBefore)+edits, "one audit entry per successful edit (besides the discrepancies it accepted)")
}
