package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var unitTests = []test{
	{name: "Units/RoundTrip", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		got, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Empty(t, got)
		require.NoError(t, s.PutUnits(ctx, org()))
		got, err = s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, org(), got, "units come back in the order given, dates exact")
	}},
	{name: "Units/ReplaceWholeOrg", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		smaller := []goal.Unit{{ID: "co"}, {ID: "d", Parent: "co", Name: "renamed"}}
		require.NoError(t, s.PutUnits(ctx, smaller))
		got, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, smaller, got)
	}},
	{name: "Units/Invalid", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		for _, units := range [][]goal.Unit{{{ID: ""}}, {{ID: "x"}, {ID: "x"}}} {
			require.ErrorIs(t, s.PutUnits(ctx, units), storage.ErrInvalid)
		}
		got, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, org(), got, "a rejected org changes nothing")
	}},
}

var planTests = []test{
	{name: "Plans/RoundTrip", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		p := plan("fy26")
		p.Version = 99 // ignored
		v, err := s.CreatePlan(ctx, p, nil)
		require.NoError(t, err)
		require.Equal(t, int64(1), v)
		got, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, plan("fy26"), 1, got)
		require.Empty(t, got.Check(), "the stored plan is usable: children still sum to parents")
		g, err := got.Goal("revenue/r2/2026-H1")
		require.NoError(t, err, "a loaded plan indexes its goals")
		requireDec(t, "0.891", g.Target)
		require.Len(t, got.Children("revenue/co/2026"), 2, "a loaded plan links children to parents")
	}},
	{name: "Plans/NoAliasing", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		p := plan("fy26")
		_, err := s.CreatePlan(ctx, p, nil)
		require.NoError(t, err)
		p.Goals[0].Target = dec("1")
		p.Goals[1].Unit = "mutated"
		got, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		got.Goals[2].Target = dec("2")
		got.Goals = got.Goals[:1]
		again, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, plan("fy26"), 1, again)
	}},
	{name: "Plans/CreateDuplicate", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.CreatePlan(ctx, plan("fy26"), nil)
		require.NoError(t, err)
		other := plan("fy26")
		other.Goals = other.Goals[:1]
		_, err = s.CreatePlan(ctx, other, []storage.AuditEntry{{Goal: "x", Actor: "a"}})
		require.ErrorIs(t, err, storage.ErrDuplicate)
		got, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, plan("fy26"), 1, got)
		audit, err := s.ListAudit(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, audit, "the rejected create wrote no audit entry")
	}},
	{name: "Plans/NotFound", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.GetPlan(ctx, "nope")
		require.ErrorIs(t, err, storage.ErrNotFound)
		require.Contains(t, err.Error(), `"nope"`, "the error names the plan")
		_, err = s.UpdatePlan(ctx, plan("nope"), 1, nil)
		require.ErrorIs(t, err, storage.ErrNotFound)
		audit, err := s.ListAudit(ctx, "nope")
		require.NoError(t, err)
		require.Empty(t, audit)
	}},
	{name: "Plans/UpdateBumpsVersion", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.CreatePlan(ctx, plan("fy26"), nil)
		require.NoError(t, err)
		p, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		require.NoError(t, p.SetTarget("revenue/r2/2026", dec("0.892")))
		p.Goals = p.Goals[:3]
		v, err := s.UpdatePlan(ctx, p, p.Version, nil)
		require.NoError(t, err)
		require.Equal(t, int64(2), v)
		got, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, p, 2, got)
	}},
	{name: "Plans/StaleVersionConflicts", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.CreatePlan(ctx, plan("fy26"), nil)
		require.NoError(t, err)
		first, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		second, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		require.NoError(t, first.SetTarget("revenue/r2/2026", dec("1")))
		_, err = s.UpdatePlan(ctx, first, first.Version, []storage.AuditEntry{{Goal: "revenue/r2/2026", Actor: "ann"}})
		require.NoError(t, err)
		require.NoError(t, second.SetTarget("revenue/r2/2026", dec("2")))
		_, err = s.UpdatePlan(ctx, second, second.Version, []storage.AuditEntry{{Goal: "revenue/r2/2026", Actor: "bob"}})
		require.ErrorIs(t, err, storage.ErrConflict)
		var ce *storage.ConflictError
		require.True(t, errors.As(err, &ce))
		require.Equal(t, "fy26", ce.Key)
		got, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, first, 2, got)
		audit, err := s.ListAudit(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, audit, 1, "the losing edit wrote no audit entry")
		require.Equal(t, "ann", audit[0].Actor)
	}},
	{name: "Plans/ListOrderedByID", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		for _, id := range []string{"b", "c", "a"} {
			_, err := s.CreatePlan(ctx, plan(id), nil)
			require.NoError(t, err)
		}
		p, err := s.GetPlan(ctx, "c")
		require.NoError(t, err)
		_, err = s.UpdatePlan(ctx, p, 1, nil)
		require.NoError(t, err)
		got, err := s.ListPlans(ctx)
		require.NoError(t, err)
		require.Equal(t, []storage.PlanSummary{
			{ID: "a", Metric: revenue, Version: 1, Goals: 4},
			{ID: "b", Metric: revenue, Version: 1, Goals: 4},
			{ID: "c", Metric: revenue, Version: 2, Goals: 4},
		}, got)
	}},
	{name: "Plans/AuditRoundTripAndOrder", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		t1 := at("2026-03-01T10:00:00.123456789+08:00")
		t0 := at("2026-03-01T01:00:00Z")
		created := []storage.AuditEntry{
			{Goal: "revenue/co/2026", Actor: "ann", At: t1, New: decimal.NewNullDecimal(dec(twenty)), Reason: "创建"},
			{Plan: "fy26", Goal: "revenue/r1/2026", Actor: "ann", At: t1, Old: decimal.NewNullDecimal(dec("0")), New: decimal.NewNullDecimal(dec("1.5"))},
		}
		_, err := s.CreatePlan(ctx, plan("fy26"), created)
		require.NoError(t, err)
		_, err = s.UpdatePlan(ctx, plan("fy26"), 1, []storage.AuditEntry{
			{Goal: "revenue/r2/2026", Actor: "bob", At: t0, Old: decimal.NewNullDecimal(dec("1.5")), Reason: "removed"},
		})
		require.NoError(t, err)
		got, err := s.ListAudit(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, "bob", got[0].Actor, "ordered by time first, though written last")
		require.Equal(t, "revenue/co/2026", got[1].Goal, "then by write order")
		require.Equal(t, "revenue/r1/2026", got[2].Goal)
		require.Less(t, got[1].Seq, got[2].Seq)
		for _, e := range got {
			require.Equal(t, "fy26", e.Plan)
		}
		requireTime(t, t1, got[1].At, "at")
		requireTime(t, t0, got[0].At, "at")
		requireNull(t, decimal.NullDecimal{}, got[1].Old, "old of a new goal")
		requireNull(t, decimal.NewNullDecimal(dec(twenty)), got[1].New, "new")
		requireNull(t, decimal.NewNullDecimal(dec("0")), got[2].Old, "old")
		requireNull(t, decimal.NullDecimal{}, got[0].New, "new of a removed goal")
		require.Equal(t, "创建", got[1].Reason)
	}},
	{name: "Plans/InvalidInput", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		tooFine := plan("fy26")
		tooFine.Goals[2].Target = dec("0.0000000000001")
		tooBig := plan("fy26")
		tooBig.Goals[2].Target = dec("1000000000000000000000")
		// Structures goal.NewPlan rejects: a store keeps only plans that read
		// back indexed.
		orphan, twoRoots, otherMetric := plan("fy26"), plan("fy26"), plan("fy26")
		orphan.Goals[3].Parent = "nowhere"
		twoRoots.Goals[1].Parent = ""
		otherMetric.Goals[1].Metric = "calls"
		for name, c := range map[string]struct {
			p     *goal.Plan
			audit []storage.AuditEntry
		}{
			"empty id":        {p: plan("")},
			"13 places":       {p: tooFine},
			"22 digits":       {p: tooBig},
			"nil plan":        {p: nil},
			"no goals":        {p: &goal.Plan{ID: "fy26", Metric: revenue}},
			"unknown parent":  {p: orphan},
			"two roots":       {p: twoRoots},
			"other metric":    {p: otherMetric},
			"audit elsewhere": {p: plan("fy26"), audit: []storage.AuditEntry{{Plan: "other", Goal: "g"}}},
		} {
			_, err := s.CreatePlan(ctx, c.p, c.audit)
			require.ErrorIs(t, err, storage.ErrInvalid, name)
		}
		got, err := s.ListPlans(ctx)
		require.NoError(t, err)
		require.Empty(t, got)
		_, err = s.CreatePlan(ctx, plan("fy26"), nil)
		require.NoError(t, err)
		_, err = s.UpdatePlan(ctx, orphan, 1, nil)
		require.ErrorIs(t, err, storage.ErrInvalid, "update of an unknown parent")
		stored, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, plan("fy26"), 1, stored)
	}},
}
