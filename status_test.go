package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

// sumReads is a store that counts SumMany calls.
type sumReads struct {
	storage.Store
	n *int
}

func (s sumReads) SumMany(ctx context.Context, qs []storage.Query) ([]storage.Total, error) {
	*s.n++
	return s.Store.SumMany(ctx, qs)
}

// StatusesOf answers each goal named, in the order named, as Status does,
// with one SumMany; an unknown goal is not found and nothing is returned.
func TestStatusesOf(t *testing.T) {
	sums := 0
	s, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	f := newFixture(t, sumReads{s, &sums}, nil)
	p := f.seasonalPlan(t, "li-q1")
	_, err = f.engine.SavePlan(f.ctx, p, who)
	require.NoError(t, err)
	f.ingest(t, rev("a", "li", "2026-01-20", "40.00"), rev("b", "li", "2026-02-03", "75.50"), rev("c", "li", "2026-03-02", "10.00"))
	asOf := day("2026-02-14")

	ids := []string{"feb", "q1", "jan", "feb", "mar"}
	sums = 0
	got, err := f.engine.StatusesOf(f.ctx, p.ID, ids, asOf)
	require.NoError(t, err)
	require.Equal(t, 1, sums, "one batch of actuals")
	require.Len(t, got, len(ids))
	for k, id := range ids {
		want, err := f.engine.Status(f.ctx, p.ID, id, asOf)
		require.NoError(t, err)
		require.Equal(t, want, got[k], id)
	}
	require.Equal(t, "115.5", got[1].Actual.String(), "q1 through Feb 14")

	got, err = f.engine.StatusesOf(f.ctx, p.ID, []string{"jan", "no-such-goal"}, asOf)
	require.ErrorIs(t, err, goal.ErrNotFound)
	require.ErrorContains(t, err, "no-such-goal")
	require.Nil(t, got)

	got, err = f.engine.StatusesOf(f.ctx, p.ID, nil, asOf)
	require.NoError(t, err)
	require.Empty(t, got)
}
