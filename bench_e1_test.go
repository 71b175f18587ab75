package goalkit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

// Benchmark E1 (docs BENCHMARKS.md) at a smaller scale: W1's first 100,000
// facts and all 93,245 goals (one plan per metric with a goal for every
// unit and period), evaluated as of 2026-09-15 with the pace and
// projected-miss rules. internal/cmd/e1 runs the full 10M facts with a phase
// breakdown.

const e1BenchFacts = 100_000

// e1Rollback is a store whose transactions never commit, so every
// benchmarked Evaluate is a first evaluation doing the same work.
type e1Rollback struct{ storage.Store }

var errE1Rollback = errors.New("roll back")

func (r e1Rollback) InTx(ctx context.Context, fn func(tx storage.Tx) error) error {
	return r.Store.InTx(ctx, func(tx storage.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errE1Rollback
	})
}

type e1Fixture struct {
	store *memory.Store
	cfg   *goalkit.Config
	world *world.World
}

var (
	e1Once sync.Once
	e1Fix  *e1Fixture
	e1Err  error
)

// e1Setup ingests the facts and saves the plans once per test binary.
func e1Setup(tb testing.TB) *e1Fixture {
	tb.Helper()
	e1Once.Do(func() { e1Fix, e1Err = newE1Fixture(e1BenchFacts) })
	require.NoError(tb, e1Err)
	return e1Fix
}

func newE1Fixture(n int) (*e1Fixture, error) {
	ctx := context.Background()
	w, err := world.New()
	if err != nil {
		return nil, err
	}
	pace, miss, err := w.Rules()
	if err != nil {
		return nil, err
	}
	cfg := &goalkit.Config{
		Metrics:  w.Metrics,
		Calendar: w.Cal,
		Now:      func() time.Time { return world.AsOf.MidnightUTC().Add(12 * time.Hour) },
		Rules:    goalkit.Rules{Pace: pace, ProjectedMiss: miss},
	}
	store, err := memory.New(memory.Config{Tenant: "e1"})
	if err != nil {
		return nil, err
	}
	e, err := goalkit.New(ctx, store, cfg)
	if err != nil {
		return nil, err
	}
	if err := e.SetOrg(ctx, w.Units); err != nil {
		return nil, err
	}
	buf := make([]kpi.Fact, 4096)
	g := world.NewGen()
	for i := 0; i < n; i += len(buf) {
		k := min(len(buf), n-i)
		for j := range k {
			w.Fact(&buf[j], i+j, g.Next())
		}
		if _, err := e.Ingest(ctx, buf[:k], kpi.AllOrNothing); err != nil {
			return nil, err
		}
	}
	plans, err := w.Plans(n)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if _, err := e.SavePlan(ctx, p, goalkit.Change{Actor: "e1", Reason: "benchmark"}); err != nil {
			return nil, err
		}
	}
	return &e1Fixture{store: store, cfg: cfg, world: w}, nil
}

// TestE1Evaluate checks the benchmark's plans evaluate: a plan whose goals
// are split over time and over units at once (the company's quarters next to
// the regions' years) paces each goal by its own sub-periods, and Evaluate
// sees the 16,455 goals open on the day.
func TestE1Evaluate(t *testing.T) {
	if testing.Short() {
		t.Skip("saves 93,245 goals")
	}
	fx, err := newE1Fixture(5_000)
	require.NoError(t, err)
	ctx := context.Background()
	e, err := goalkit.New(ctx, e1Rollback{fx.store}, fx.cfg)
	require.NoError(t, err)
	ev, err := e.Evaluate(ctx, world.AsOf)
	require.ErrorIs(t, err, errE1Rollback)
	require.Zero(t, ev.Goals) // a failed evaluation reports nothing

	// With 5,000 facts most count targets are zero: goals whose sub-targets
	// are all zero are paced by working days instead of failing the
	// evaluation.

	plan, err := e.Plan(ctx, "e1-revenue")
	require.NoError(t, err)
	// The company's year is paced by its own finest sub-periods: its
	// quarters' months (the quarters are its first four children; the
	// regions' years follow), not by the sum of everything below it.
	fy := plan.Goals[0]
	st, err := e.Status(ctx, plan.ID, fy.ID, world.AsOf)
	require.NoError(t, err)
	var months []goal.Goal
	for _, q := range plan.Children(fy.ID)[:4] {
		for _, m := range plan.Children(q.ID) {
			if m.Unit == fy.Unit {
				months = append(months, m)
			}
		}
	}
	require.Len(t, months, 12)
	want, err := kpi.TimeProgress(fy.Period, world.AsOf, kpi.Pace{Basis: kpi.Seasonal, Calendar: fx.world.Cal, Curve: kpi.CurveFromGoals(months)})
	require.NoError(t, err)
	require.True(t, st.TimeProgress.Equal(want), "time progress %s, want %s", st.TimeProgress, want)

	n := 0
	for _, p := range []string{"e1-revenue", "e1-won_deals", "e1-calls", "e1-meetings", "e1-new_leads"} {
		pl, err := e.Plan(ctx, p)
		require.NoError(t, err)
		for _, g := range pl.Goals {
			if g.Period.Contains(world.AsOf) {
				n++
			}
		}
	}
	require.Equal(t, 1097*3*5, n)
}

// BenchmarkE1Evaluate evaluates all 93,245 goals' plans as of 2026-09-15
// (16,455 goals open that day) over 100,000 facts; each run is rolled back,
// so each is a first evaluation that raises and persists every alert.
func BenchmarkE1Evaluate(b *testing.B) {
	fx := e1Setup(b)
	ctx := context.Background()
	e, err := goalkit.New(ctx, e1Rollback{fx.store}, fx.cfg)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Evaluate(ctx, world.AsOf); !errors.Is(err, errE1Rollback) {
			b.Fatal(err)
		}
	}
}

// BenchmarkE1Statuses reads the status of every goal of the five plans
// started by 2026-09-15 (71,305 of the 93,245).
func BenchmarkE1Statuses(b *testing.B) {
	fx := e1Setup(b)
	ctx := context.Background()
	e, err := goalkit.New(ctx, fx.store, fx.cfg)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range world.MetricKeys {
			if _, err := e.Statuses(ctx, "e1-"+m, world.AsOf); err != nil {
				b.Fatal(err)
			}
		}
	}
}
