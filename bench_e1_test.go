package goalkit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/cmd/e1/sweep"
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
	err = w.Batches(n, 4096, func(facts []kpi.Fact) error {
		_, err := e.Ingest(ctx, facts, kpi.AllOrNothing)
		return err
	})
	if err != nil {
		return nil, err
	}
	plans, err := w.Plans(n)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if _, err := e.SavePlan(ctx, p, goalkit.Change{Actor: "e1", Reason: "benchmark", Unbalanced: true}); err != nil {
			return nil, err
		}
	}
	return &e1Fixture{store: store, cfg: cfg, world: w}, nil
}

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

// BenchmarkE1AllGoals runs E1 over all 93,245 goals (package sweep): every
// plan's statuses (the 71,305 goals started by 2026-09-15) and both rules
// over each.
func BenchmarkE1AllGoals(b *testing.B) {
	fx := e1Setup(b)
	ctx := context.Background()
	e, err := goalkit.New(ctx, fx.store, fx.cfg)
	require.NoError(b, err)
	plans, err := fx.world.Plans(e1BenchFacts)
	require.NoError(b, err)
	pace, miss, err := fx.world.Rules()
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sweep.Run(ctx, e, plans, world.AsOf, pace, miss); err != nil {
			b.Fatal(err)
		}
	}
}
