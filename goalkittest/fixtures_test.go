package goalkittest_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var (
	q1Start = date.New(2026, 1, 1)
	q1End   = date.New(2026, 4, 1)
)

func TestOrgAndPlan(t *testing.T) {
	org, err := goal.NewOrg(goalkittest.Org())
	require.NoError(t, err)
	for _, rep := range goalkittest.Reps() {
		_, err := org.Unit(rep)
		require.NoError(t, err, rep)
	}
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	q1, err := cal.Parse("2026-Q1")
	require.NoError(t, err)
	p, err := goalkittest.Plan(cal, "q1", q1, decimal.NewFromInt(1_200_000))
	require.NoError(t, err)
	require.Empty(t, p.Check())
	// acme, 2 teams, 4 reps, and 3 months for each rep.
	require.Len(t, p.Goals, 1+2+4+4*3)
}

// deterministic builds a stream of n for seeds 7, 7 again and 8: the same
// seed gives the same stream, another seed another. It returns seed 7's.
func deterministic[T any](t *testing.T, n int, build func(seed uint64, n int, start, end date.Date) ([]T, error)) []T {
	t.Helper()
	var streams [3][]T
	for i, seed := range []uint64{7, 7, 8} {
		s, err := build(seed, n, q1Start, q1End)
		require.NoError(t, err)
		require.Len(t, s, n)
		streams[i] = s
	}
	require.Equal(t, streams[0], streams[1], "the same seed gives the same stream")
	require.NotEqual(t, streams[0], streams[2], "another seed gives another stream")
	return streams[0]
}

func TestFactsAreDeterministicForASeed(t *testing.T) {
	a := deterministic(t, 200, goalkittest.Facts)

	keys := map[string]bool{}
	for _, f := range a {
		require.False(t, keys[f.Key], "duplicate key %s", f.Key)
		keys[f.Key] = true
		require.Contains(t, goalkittest.Reps(), f.Unit)
		require.True(t, f.Date >= q1Start && f.Date < q1End, "date %s", f.Date)
		require.True(t, f.Value.GreaterThanOrEqual(decimal.NewFromInt(1000)) && f.Value.LessThanOrEqual(decimal.NewFromInt(50000)), "value %s", f.Value)
		require.LessOrEqual(t, -f.Value.Exponent(), int32(goalkittest.Revenue().Places))
	}
}

func TestDealsAreDeterministicAndValid(t *testing.T) {
	a := deterministic(t, 300, goalkittest.Deals)

	f := goalkittest.Funnel()
	require.NoError(t, f.Validate())
	outcomes := map[string]int{}
	for _, d := range a {
		require.Equal(t, f.Key, d.Funnel)
		require.Equal(t, "lead", d.Transitions[0].Stage)
		for i, tr := range d.Transitions {
			require.True(t, tr.Date >= q1Start && tr.Date < q1End, "deal %s: %s", d.ID, tr.Date)
			if i > 0 {
				require.True(t, tr.Date > d.Transitions[i-1].Date, "deal %s steps forward", d.ID)
			}
		}
		outcomes[d.Transitions[len(d.Transitions)-1].Stage]++
	}
	for _, stage := range []string{"lead", "opportunity", f.Won, f.Lost} {
		require.Positive(t, outcomes[stage], "some deals end at %s", stage)
	}
	_, err := funnel.Measure(f, a, funnel.MeasureOptions{AsOf: q1End})
	require.NoError(t, err, "the deals measure")
}

func TestFixturesRejectUnusableArguments(t *testing.T) {
	_, err := goalkittest.Facts(1, -1, q1Start, q1End)
	require.ErrorIs(t, err, goalkittest.ErrInvalid)
	_, err = goalkittest.Facts(1, 10, q1End, q1Start)
	require.ErrorIs(t, err, goalkittest.ErrInvalid)
	_, err = goalkittest.Deals(1, 10, q1Start, q1Start)
	require.ErrorIs(t, err, goalkittest.ErrInvalid)
}

// TestFixturesAreValidEngineInput ingests the seeded facts and puts the
// seeded deals through an engine on the fixtures' org: none is rejected.
func TestFixturesAreValidEngineInput(t *testing.T) {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{goalkittest.Revenue()},
		Funnels: []funnel.Funnel{goalkittest.Funnel()},
	})
	require.NoError(t, err)
	require.NoError(t, engine.SetOrg(ctx, goalkittest.Org()))
	q1, err := engine.Calendar().Parse("2026-Q1")
	require.NoError(t, err)
	_, err = engine.Decompose(ctx, goalkittest.Spec("q1", q1, decimal.NewFromInt(1_000_000)), goalkit.Change{Actor: "test"})
	require.NoError(t, err)

	facts, err := goalkittest.Facts(3, 500, q1Start, q1End)
	require.NoError(t, err)
	res, err := engine.Ingest(ctx, facts, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, len(facts), res.Inserted)
	deals, err := goalkittest.Deals(3, 200, q1Start, q1End)
	require.NoError(t, err)
	require.NoError(t, engine.PutDeals(ctx, deals))
}
