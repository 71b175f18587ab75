package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// planReads is a store whose transactions count GetPlan.
type planReads struct {
	storage.Store
	n *int
}

func (s planReads) InTx(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.InTx(ctx, func(tx storage.Tx) error { return fn(countingTx{tx, s.n}) })
}

type countingTx struct {
	storage.Tx
	n *int
}

func (t countingTx) GetPlan(ctx context.Context, id string) (*goal.Plan, error) {
	*t.n++
	return t.Tx.GetPlan(ctx, id)
}

// Evaluate reads a plan again only when its stored version changed, and
// then judges the goals by the new targets.
func TestEvaluateReadsAPlanOncePerVersion(t *testing.T) {
	configure := func(c *goalkit.Config) { c.Rules.Pace = callsPace }
	f := newFixture(t, nil, configure)
	p := f.callsPlan(t, "li-calls", "li", 220)
	cfg := &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Calendar: f.cal, Now: f.clock.Now}
	configure(cfg)
	reads := 0
	e, err := goalkit.New(f.ctx, planReads{f.store, &reads}, cfg)
	require.NoError(t, err)

	_, err = e.Evaluate(f.ctx, day("2026-03-05"))
	require.NoError(t, err)
	_, err = e.Evaluate(f.ctx, day("2026-03-06"))
	require.NoError(t, err)
	require.Equal(t, 1, reads, "the plan did not change")

	stored, err := f.engine.Plan(f.ctx, p.ID)
	require.NoError(t, err)
	root := stored.Goals[0]
	_, err = f.engine.SetTarget(f.ctx, p.ID, root.ID, root.Target.Mul(decimal.NewFromInt(10)), stored.Version, who)
	require.NoError(t, err)
	ev, err := e.Evaluate(f.ctx, day("2026-03-09"))
	require.NoError(t, err)
	require.Equal(t, 2, reads, "the plan changed")

	want, err := f.engine.Status(f.ctx, p.ID, root.ID, day("2026-03-09"))
	require.NoError(t, err)
	found := false
	for _, in := range ev.States {
		if in.Unit == root.Unit && in.Labels[alert.LabelPeriod] == alert.PeriodLabel(root.Period) {
			require.True(t, want.Expected.Equal(in.Threshold), "judged by the new target: %s, want %s", in.Threshold, want.Expected)
			found = true
		}
	}
	require.True(t, found, "the root goal's alert is live")
}

func (s planReads) GetPlan(ctx context.Context, id string) (*goal.Plan, error) {
	*s.n++
	return s.Store.GetPlan(ctx, id)
}

// Status, Statuses and CellStatus read a plan's goals again only when its
// stored version changed (by any engine on the store), and then answer by
// the new targets; an unknown plan is still not found.
func TestStatusReadsAPlanOncePerVersion(t *testing.T) {
	f := newFixture(t, nil, nil)
	p := f.callsPlan(t, "li-calls", "li", 220)
	reads := 0
	e, err := goalkit.New(f.ctx, planReads{f.store, &reads}, &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Calendar: f.cal, Now: f.clock.Now})
	require.NoError(t, err)
	root := p.Goals[0]
	asOf := day("2026-03-09")

	before, err := e.Status(f.ctx, p.ID, root.ID, asOf)
	require.NoError(t, err)
	_, err = e.Statuses(f.ctx, p.ID, asOf)
	require.NoError(t, err)
	_, err = e.CellStatus(f.ctx, p.ID, root.Unit, root.Period, asOf)
	require.NoError(t, err)
	require.Equal(t, 1, reads, "the plan did not change")

	stored, err := f.engine.Plan(f.ctx, p.ID)
	require.NoError(t, err)
	_, err = f.engine.SetTarget(f.ctx, p.ID, root.ID, root.Target.Mul(decimal.NewFromInt(10)), stored.Version, who)
	require.NoError(t, err)
	after, err := e.Status(f.ctx, p.ID, root.ID, asOf)
	require.NoError(t, err)
	require.Equal(t, 2, reads, "the plan changed")
	require.True(t, after.Target.Equal(before.Target.Mul(decimal.NewFromInt(10))), "the new target: %s", after.Target)
	want, err := f.engine.Status(f.ctx, p.ID, root.ID, asOf)
	require.NoError(t, err)
	require.Equal(t, want, after)

	_, err = e.Status(f.ctx, "no-such-plan", root.ID, asOf)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

// A plan write starts from the stored plan: from the engine's cached copy
// while that is the stored version (no goals read), read again after
// another engine changed it; the cached copy is never changed by a write.
func TestPlanWritesStartFromTheStoredVersion(t *testing.T) {
	f, p, v, e, reads := seasonalReads(t)
	asOf := day("2026-02-14")
	before, err := e.Status(f.ctx, p.ID, "jan", asOf)
	require.NoError(t, err)
	require.Equal(t, 1, *reads)

	// Another engine moves jan; this one then moves feb from that version.
	_, err = f.engine.SetTarget(f.ctx, p.ID, "jan", dec("150.00"), v, unbalanced(who))
	require.NoError(t, err)
	got, err := e.SetTarget(f.ctx, p.ID, "feb", dec("250.00"), v+1, unbalanced(who))
	require.NoError(t, err)
	require.Equal(t, 2, *reads, "the stored version changed: read again")
	jan, err := got.Goal("jan")
	require.NoError(t, err)
	require.Equal(t, "150", jan.Target.String(), "the other engine's change is kept")

	// A status reads the version this engine wrote; the next write starts
	// from that copy.
	_, err = e.Status(f.ctx, p.ID, "jan", asOf)
	require.NoError(t, err)
	_, err = e.SetTarget(f.ctx, p.ID, "mar", dec("350.00"), v+2, unbalanced(who))
	require.NoError(t, err)
	require.Equal(t, 3, *reads, "the write started from the cached copy")
	stored, err := f.store.GetPlan(f.ctx, p.ID)
	require.NoError(t, err)
	for id, want := range map[string]string{"jan": "150", "feb": "250", "mar": "350", "q1": "600"} {
		g, err := stored.Goal(id)
		require.NoError(t, err)
		require.Equal(t, want, g.Target.String(), id)
	}
	after, err := e.Status(f.ctx, p.ID, "jan", asOf)
	require.NoError(t, err)
	require.Equal(t, "150", after.Target.String())
	require.Equal(t, "100", before.Target.String(), "a status handed out earlier is unchanged")
}

// Plan hands out the caller's own copy of the cached plan: an unchanged
// plan reads no goals, and changing the copy changes nothing else.
func TestPlanIsACopyOfTheCachedPlan(t *testing.T) {
	f, p, _, e, reads := seasonalReads(t)
	first, err := e.Plan(f.ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, first.SetTarget("jan", dec("1.00")))
	second, err := e.Plan(f.ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, 1, *reads)
	jan, err := second.Goal("jan")
	require.NoError(t, err)
	require.Equal(t, "100", jan.Target.String(), "the first copy's edit is its own")
	st, err := e.Status(f.ctx, p.ID, "jan", day("2026-01-31"))
	require.NoError(t, err)
	require.Equal(t, "100", st.Target.String())
}

// seasonalReads saves the fixture's seasonal plan (at version v) and
// returns a second engine on the store whose plan reads are counted.
func seasonalReads(t *testing.T) (f *fixture, p *goal.Plan, v int64, e *goalkit.Engine, reads *int) {
	f = newFixture(t, nil, nil)
	p = f.seasonalPlan(t, "li-q1")
	v, err := f.engine.SavePlan(f.ctx, p, who)
	require.NoError(t, err)
	reads = new(int)
	e, err = goalkit.New(f.ctx, planReads{f.store, reads}, &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Calendar: f.cal, Now: f.clock.Now})
	require.NoError(t, err)
	return f, p, v, e, reads
}
