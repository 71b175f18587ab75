package main

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestOwnEngineMatchesEngine feeds the same org, plans and facts to the
// host's own engine and to goalkit.Engine, each over its own store, and
// requires the same statuses on every day of the quarter and the same
// alerts and notifications from the pace rule.
func TestOwnEngineMatchesEngine(t *testing.T) {
	ctx := context.Background()
	ownStore, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	own, err := setUp(ctx, ownStore)
	require.NoError(t, err)
	require.NoError(t, own.ingest(ctx, facts()))

	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	e, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{revenue},
		Rules:   goalkit.Rules{Pace: map[string]alert.PaceRule{revenue.Key: pace}},
	})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, units))
	ps, err := plans(e.Calendar())
	require.NoError(t, err)
	for _, p := range ps {
		_, err := e.SavePlan(ctx, p, goalkit.Change{Actor: "test"})
		require.NoError(t, err)
	}
	_, err = e.Ingest(ctx, facts(), kpi.AllOrNothing)
	require.NoError(t, err)

	for _, p := range ps {
		for day := p.Goals[0].Period.Start; day < p.Goals[0].Period.End; day++ {
			want, err := e.Statuses(ctx, p.ID, day)
			require.NoError(t, err)
			got, err := own.statuses(ctx, ownStore, p, day, func(g goal.Goal) bool { return g.Period.Start <= day })
			require.NoError(t, err)
			require.Equal(t, want, got, "plan %s as of %s", p.ID, day)
		}
	}

	ev, err := e.Evaluate(ctx, asOf)
	require.NoError(t, err)
	res, err := own.evaluate(ctx, asOf)
	require.NoError(t, err)
	require.NotEmpty(t, res.States, "the example raises alerts")
	require.Equal(t, goalkit.LabelPlan, "plan", "the own engine labels alerts by plan as the Engine does")
	require.Equal(t, ev.States, res.States)
	require.Equal(t, ev.Notifications, res.Notifications)
}

// TestOwnEngineImports: the host's engine is built from the domain packages
// and a store alone, never the root package.
func TestOwnEngineImports(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ImportsOnly)
	require.NoError(t, err)
	require.NotEmpty(t, f.Imports)
	for _, im := range f.Imports {
		path, err := strconv.Unquote(im.Path.Value)
		require.NoError(t, err)
		require.NotEqual(t, "github.com/goalkit/goalkit", path, "main.go must not use goalkit.Engine")
	}
}

// TestRun: the command prints the statuses and the pace alerts, the same on
// every run.
func TestRun(t *testing.T) {
	var first, second bytes.Buffer
	require.NoError(t, run(context.Background(), &first))
	require.NoError(t, run(context.Background(), &second))
	require.Equal(t, first.String(), second.String())
	out := first.String()
	require.Contains(t, out, "as of "+asOf.String())
	require.Contains(t, out, "north/2026-Q1    target  300000.00  actual   84500.00")
	require.Contains(t, out, "firing pace: north revenue 2026-Q1:")
}

// TestIngestRefusesBadFacts: the own engine validates like the Engine and
// stores nothing of a bad batch.
func TestIngestRefusesBadFacts(t *testing.T) {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	own, err := setUp(ctx, store)
	require.NoError(t, err)
	bad := facts()
	bad[2].Unit = "nobody"
	require.ErrorIs(t, own.ingest(ctx, bad), kpi.ErrInvalid)
	bad = facts()
	bad[1].Metric = "margin"
	require.ErrorContains(t, own.ingest(ctx, bad), `unknown metric "margin"`)
	tot, err := store.Sum(ctx, storage.Query{Metric: revenue.Key, Unit: "north", Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2026, 4, 1)})
	require.NoError(t, err)
	require.True(t, tot.Value.IsZero(), "nothing stored")
}
