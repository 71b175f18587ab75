package goalkit_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// batchesOf yields n batches of size facts of 1.00 each, one a day, calling
// before(i) before yielding batch i.
func batchesOf(n, size int, before func(i int)) iter.Seq[[]kpi.Fact] {
	return func(yield func([]kpi.Fact) bool) {
		for i := range n {
			if before != nil {
				before(i)
			}
			b := make([]kpi.Fact, size)
			for j := range b {
				b[j] = kpi.Fact{Key: fmt.Sprintf("f%d-%d", i, j), Metric: "revenue", Unit: "a", Date: day("2026-01-01") + 1, Value: dec("1.00")}
			}
			if !yield(b) {
				return
			}
		}
	}
}

func TestIngestAllReportsProgress(t *testing.T) {
	ctx := context.Background()
	e, _, s := newRateEngine(t)
	var seen []goalkit.IngestProgress
	res, err := e.IngestAll(ctx, batchesOf(3, 4, nil), kpi.AllOrNothing, func(p goalkit.IngestProgress) { seen = append(seen, p) })
	require.NoError(t, err)
	require.Equal(t, 12, res.Inserted)
	require.Len(t, seen, 3)
	for i, p := range seen {
		require.Equal(t, i+1, p.Batches)
		require.Equal(t, 4*(i+1), p.Rows)
		require.Equal(t, 4*(i+1), p.Facts)
		if i > 0 {
			require.GreaterOrEqual(t, p.Elapsed, seen[i-1].Elapsed, "elapsed never goes back")
		}
	}
	require.Equal(t, "12.00", total(t, s, "2026-01-01", "2027-01-01"))

	// Again: every fact is unchanged, and KeepGood rejections are numbered
	// across batches.
	bad := func(yield func([]kpi.Fact) bool) {
		_ = yield([]kpi.Fact{rev("f0-0", "a", "2026-01-02", "1.00")}) && yield([]kpi.Fact{rev("ok", "a", "2026-01-02", "1.00"), rev("bad", "nobody", "2026-01-02", "1.00")})
	}
	res, err = e.IngestAll(ctx, bad, kpi.KeepGood, nil)
	require.NoError(t, err)
	require.Equal(t, 1, res.Unchanged)
	require.Equal(t, 1, res.Inserted)
	require.Len(t, res.Rejected, 1)
	require.Equal(t, 2, res.Rejected[0].Index)
}

func TestIngestAllCancelsBetweenBatches(t *testing.T) {
	e, _, s := newRateEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last goalkit.IngestProgress
	_, err := e.IngestAll(ctx, batchesOf(5, 3, func(i int) {
		if i == 2 {
			cancel()
		}
	}), kpi.AllOrNothing, func(p goalkit.IngestProgress) { last = p })
	require.ErrorIs(t, err, context.Canceled)
	stopped, ok := errors.AsType[*goalkit.IngestStopped](err)
	require.True(t, ok)
	require.Equal(t, 2, stopped.Done.Batches, "two whole batches were committed")
	require.Equal(t, 6, stopped.Done.Facts)
	require.Equal(t, last, stopped.Done)
	require.Equal(t, "6.00", total(t, s, "2026-01-01", "2027-01-01"), "nothing of the third batch")
	_, err = s.GetFact(context.Background(), "f2-0")
	require.ErrorIs(t, err, storage.ErrNotFound)

	// Running it again completes the work: keys are idempotent.
	res, err := e.IngestAll(context.Background(), batchesOf(5, 3, nil), kpi.AllOrNothing, nil)
	require.NoError(t, err)
	require.Equal(t, 9, res.Inserted)
	require.Equal(t, 6, res.Unchanged)
}

func TestIngestAllStopsAtAConflict(t *testing.T) {
	ctx := context.Background()
	e, _, s := newRateEngine(t)
	batches := func(yield func([]kpi.Fact) bool) {
		_ = yield([]kpi.Fact{rev("k", "a", "2026-01-02", "1.00")}) && yield([]kpi.Fact{rev("k2", "a", "2026-01-02", "1.00"), rev("k", "a", "2026-01-02", "2.00")}) &&
			yield([]kpi.Fact{rev("never", "a", "2026-01-02", "1.00")})
	}
	_, err := e.IngestAll(ctx, batches, kpi.AllOrNothing, nil)
	require.ErrorIs(t, err, storage.ErrConflict)
	stopped, ok := errors.AsType[*goalkit.IngestStopped](err)
	require.True(t, ok)
	require.Equal(t, goalkit.IngestProgress{Batches: 1, Rows: 1, Facts: 1, Elapsed: stopped.Done.Elapsed}, stopped.Done)
	require.Equal(t, "1.00", total(t, s, "2026-01-01", "2027-01-01"))
}
