package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// planAt returns plan(id) at version v with r2's H1 target moved by v
// thousandths, so every version differs.
func planAt(id string, v int64) *goal.Plan {
	p := plan(id)
	p.Goals[3].Target = p.Goals[3].Target.Add(decimal.New(v, -3))
	p.Version = v
	return p
}

func putVersions(t *testing.T, ctx context.Context, s storage.Versions, id string, n int64) {
	t.Helper()
	for v := int64(1); v <= n; v++ {
		rec := storage.PlanVersion{At: at("2026-03-01T09:00:00Z").Add(time.Duration(v) * time.Hour), Actor: "alice", Reason: fmt.Sprint("save ", v)}
		require.NoError(t, s.PutPlanVersion(ctx, rec, planAt(id, v)))
	}
}

var versionTests = []test{
	{name: "Versions/RoundTrip", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		got, err := s.ListPlanVersions(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, got)
		require.NotNil(t, got, "an empty slice, not nil")
		putVersions(t, ctx, s, "fy26", 3)
		for v := int64(1); v <= 3; v++ {
			p, rec, err := s.GetPlanVersion(ctx, "fy26", v)
			require.NoError(t, err)
			requirePlan(t, planAt("fy26", v), v, p)
			_, err = p.Goal("revenue/r2/2026-H1")
			require.NoError(t, err, "a stored version is indexed")
			require.Equal(t, "fy26", rec.Plan)
			require.Equal(t, v, rec.Version)
			require.Equal(t, "alice", rec.Actor)
		}
		list, err := s.ListPlanVersions(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, list, 3)
		for i, rec := range list {
			require.Equal(t, int64(i+1), rec.Version, "ordered by version")
			requireTime(t, at("2026-03-01T09:00:00Z").Add(time.Duration(i+1)*time.Hour), rec.At, "time kept")
			require.Equal(t, fmt.Sprint("save ", i+1), rec.Reason)
		}
		err = s.PutPlanVersion(ctx, storage.PlanVersion{Actor: "bob"}, planAt("fy26", 2))
		require.ErrorIs(t, err, storage.ErrDuplicate, "a recorded version is never replaced")
		p, _, err := s.GetPlanVersion(ctx, "fy26", 2)
		require.NoError(t, err)
		requirePlan(t, planAt("fy26", 2), 2, p)
		_, _, err = s.GetPlanVersion(ctx, "fy26", 4)
		require.ErrorIs(t, err, storage.ErrNotFound)
		_, _, err = s.GetPlanVersion(ctx, "other", 1)
		require.ErrorIs(t, err, storage.ErrNotFound)
	}},
	{name: "Versions/CopiesInAndOut", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		p := planAt("fy26", 1)
		require.NoError(t, s.PutPlanVersion(ctx, storage.PlanVersion{Actor: "alice"}, p))
		p.Goals[0].Target = dec("1")
		got, _, err := s.GetPlanVersion(ctx, "fy26", 1)
		require.NoError(t, err)
		requirePlan(t, planAt("fy26", 1), 1, got)
		got.Goals[1].Target = dec("2")
		again, _, err := s.GetPlanVersion(ctx, "fy26", 1)
		require.NoError(t, err)
		requirePlan(t, planAt("fy26", 1), 1, again)
	}},
	{name: "Versions/Snapshots", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		putVersions(t, ctx, s, "fy26", 2)
		board := storage.Snapshot{Plan: "fy26", Name: "board approved", Version: 1, At: at("2026-03-02T00:00:00Z"), Actor: "ceo", Reason: "approved"}
		replan := storage.Snapshot{Plan: "fy26", Name: "after Q1 re-plan", Version: 2, At: at("2026-04-02T00:00:00Z"), Actor: "cfo"}
		same := storage.Snapshot{Plan: "fy26", Name: "also 2", Version: 2, At: at("2026-04-02T00:00:00Z"), Actor: "cfo"}
		require.NoError(t, s.PutSnapshot(ctx, replan))
		require.NoError(t, s.PutSnapshot(ctx, board))
		require.NoError(t, s.PutSnapshot(ctx, same))
		got, err := s.ListSnapshots(ctx, "fy26")
		require.NoError(t, err)
		require.Equal(t, []string{"board approved", "after Q1 re-plan", "also 2"}, snapshotNames(got), "by time, then name")
		require.Equal(t, board.Actor, got[0].Actor)
		require.Equal(t, board.Reason, got[0].Reason)
		require.Equal(t, int64(1), got[0].Version)
		requireTime(t, board.At, got[0].At, "snapshot time")
		moved := board
		moved.Version = 2
		require.ErrorIs(t, s.PutSnapshot(ctx, moved), storage.ErrDuplicate, "a name is never moved to another version")
		missing := storage.Snapshot{Plan: "fy26", Name: "future", Version: 9}
		require.ErrorIs(t, s.PutSnapshot(ctx, missing), storage.ErrNotFound, "a snapshot names a recorded version")
		got, err = s.ListSnapshots(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, got, 3, "refused snapshots wrote nothing")
		none, err := s.ListSnapshots(ctx, "other")
		require.NoError(t, err)
		require.NotNil(t, none)
		require.Empty(t, none)
	}},
	{name: "Scenarios/RoundTripAndConflict", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		sc := storage.Scenario{Name: "stretch", Plan: planAt("fy26", 2), Base: 2, At: at("2026-03-05T00:00:00Z"), Actor: "alice", Reason: "what if"}
		sc.Plan.Version = 7 // ignored
		v, err := s.PutScenario(ctx, sc, 0)
		require.NoError(t, err)
		require.Equal(t, int64(1), v)
		_, err = s.PutScenario(ctx, sc, 0)
		var ce *storage.ConflictError
		require.ErrorAs(t, err, &ce, "creating a scenario twice is a conflict")
		require.Equal(t, "scenario", ce.Kind)
		got, err := s.GetScenario(ctx, "fy26", "stretch")
		require.NoError(t, err)
		requirePlan(t, planAt("fy26", 2), 2, got.Plan)
		require.Equal(t, int64(2), got.Base)
		require.Equal(t, int64(1), got.Version)
		require.Equal(t, "alice", got.Actor)
		require.Equal(t, "what if", got.Reason)
		requireTime(t, sc.At, got.At, "scenario time")

		edited := got
		edited.Plan = planAt("fy26", 3)
		edited.Actor = "bob"
		v, err = s.PutScenario(ctx, edited, 1)
		require.NoError(t, err)
		require.Equal(t, int64(2), v)
		_, err = s.PutScenario(ctx, got, 1)
		require.ErrorIs(t, err, storage.ErrConflict, "a stale scenario write is refused")
		got, err = s.GetScenario(ctx, "fy26", "stretch")
		require.NoError(t, err)
		requirePlan(t, planAt("fy26", 3), 2, got.Plan)
		require.Equal(t, "bob", got.Actor)

		_, err = s.PutScenario(ctx, storage.Scenario{Name: "a cut", Plan: planAt("fy26", 1), Base: 2}, 0)
		require.NoError(t, err)
		list, err := s.ListScenarios(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, list, 2)
		require.Equal(t, "a cut", list[0].Name, "ordered by name")
		requirePlan(t, planAt("fy26", 1), 2, list[0].Plan)
		require.Equal(t, "stretch", list[1].Name)

		require.NoError(t, s.DeleteScenario(ctx, "fy26", "stretch"))
		require.ErrorIs(t, s.DeleteScenario(ctx, "fy26", "stretch"), storage.ErrNotFound)
		_, err = s.GetScenario(ctx, "fy26", "stretch")
		require.ErrorIs(t, err, storage.ErrNotFound)
		_, err = s.PutScenario(ctx, edited, 2)
		require.ErrorIs(t, err, storage.ErrConflict, "a deleted scenario is not updated")
		none, err := s.ListScenarios(ctx, "other")
		require.NoError(t, err)
		require.NotNil(t, none)
		require.Empty(t, none)
	}},
	{name: "Versions/Invalid", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		unsaved := planAt("fy26", 0)
		require.ErrorIs(t, s.PutPlanVersion(ctx, storage.PlanVersion{}, unsaved), storage.ErrInvalid, "version 0 was never saved")
		require.ErrorIs(t, s.PutPlanVersion(ctx, storage.PlanVersion{}, nil), storage.ErrInvalid)
		require.ErrorIs(t, s.PutPlanVersion(ctx, storage.PlanVersion{Actor: "a\x00b"}, planAt("fy26", 1)), storage.ErrInvalid)
		require.ErrorIs(t, s.PutSnapshot(ctx, storage.Snapshot{Plan: "fy26", Version: 1}), storage.ErrInvalid, "a snapshot has a name")
		_, err := s.PutScenario(ctx, storage.Scenario{Name: "x", Plan: planAt("fy26", 1)}, 0)
		require.ErrorIs(t, err, storage.ErrInvalid, "a scenario has a base version")
		_, err = s.PutScenario(ctx, storage.Scenario{Plan: planAt("fy26", 1), Base: 1}, 0)
		require.ErrorIs(t, err, storage.ErrInvalid, "a scenario has a name")
		_, _, err = s.GetPlanVersion(ctx, "a\x00b", 1)
		require.ErrorIs(t, err, storage.ErrInvalid)
		_, err = s.GetScenario(ctx, "fy26", "a\x00b")
		require.ErrorIs(t, err, storage.ErrInvalid)
		list, err := s.ListPlanVersions(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, list, "refused versions wrote nothing")
	}},
	{name: "Versions/TenantsAndRollback", run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		a, b := open("acme"), open("globex")
		putVersions(t, ctx, a, "fy26", 1)
		require.NoError(t, a.PutSnapshot(ctx, storage.Snapshot{Plan: "fy26", Name: "board", Version: 1}))
		_, err := a.PutScenario(ctx, storage.Scenario{Name: "s", Plan: planAt("fy26", 1), Base: 1}, 0)
		require.NoError(t, err)
		_, _, err = b.GetPlanVersion(ctx, "fy26", 1)
		require.ErrorIs(t, err, storage.ErrNotFound, "another tenant's versions are invisible")
		require.ErrorIs(t, b.PutSnapshot(ctx, storage.Snapshot{Plan: "fy26", Name: "board", Version: 1}), storage.ErrNotFound)
		_, err = b.GetScenario(ctx, "fy26", "s")
		require.ErrorIs(t, err, storage.ErrNotFound)
		require.ErrorIs(t, b.DeleteScenario(ctx, "fy26", "s"), storage.ErrNotFound)

		boom := errors.New("boom")
		err = a.InTx(ctx, func(tx storage.Tx) error {
			if err := tx.PutPlanVersion(ctx, storage.PlanVersion{}, planAt("fy26", 2)); err != nil {
				return err
			}
			if err := tx.PutSnapshot(ctx, storage.Snapshot{Plan: "fy26", Name: "later", Version: 2}); err != nil {
				return err
			}
			if _, err := tx.PutScenario(ctx, storage.Scenario{Name: "s", Plan: planAt("fy26", 2), Base: 2}, 1); err != nil {
				return err
			}
			if err := tx.DeleteScenario(ctx, "fy26", "s"); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		list, err := a.ListPlanVersions(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, list, 1, "a rolled-back transaction records no version")
		snaps, err := a.ListSnapshots(ctx, "fy26")
		require.NoError(t, err)
		require.Equal(t, []string{"board"}, snapshotNames(snaps))
		sc, err := a.GetScenario(ctx, "fy26", "s")
		require.NoError(t, err, "nor deletes a scenario")
		require.Equal(t, int64(1), sc.Version)
		requirePlan(t, planAt("fy26", 1), 1, sc.Plan)
	}},
	{name: "Versions/Prune", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		putVersions(t, ctx, s, "fy26", 5) // saved at 10:00, 11:00, ... 14:00
		putVersions(t, ctx, s, "fy27", 2)
		require.NoError(t, s.PutSnapshot(ctx, storage.Snapshot{Plan: "fy26", Name: "board", Version: 2}))
		n, err := s.PrunePlanVersions(ctx, "fy26", at("2026-03-01T13:30:00Z"))
		require.NoError(t, err)
		require.Equal(t, 2, n, "versions 1 and 3 go: 2 is named, 4 is in force at the cutoff, 5 is later")
		list, err := s.ListPlanVersions(ctx, "fy26")
		require.NoError(t, err)
		require.Equal(t, []int64{2, 4, 5}, versionNumbers(list))
		p, _, err := s.GetPlanVersion(ctx, "fy26", 2)
		require.NoError(t, err)
		requirePlan(t, planAt("fy26", 2), 2, p)
		n, err = s.PrunePlanVersions(ctx, "fy26", at("2026-03-01T13:30:00Z"))
		require.NoError(t, err)
		require.Zero(t, n, "pruning again deletes nothing")
		n, err = s.PrunePlanVersions(ctx, "fy26", at("2026-03-01T14:00:00Z"))
		require.NoError(t, err)
		require.Equal(t, 1, n, "a version saved at the cutoff is in force there and kept")
		list, err = s.ListPlanVersions(ctx, "fy26")
		require.NoError(t, err)
		require.Equal(t, []int64{2, 5}, versionNumbers(list))
		n, err = s.PrunePlanVersions(ctx, "fy26", at("2026-01-01T00:00:00Z"))
		require.NoError(t, err)
		require.Zero(t, n, "nothing is older than a cutoff before every version")
		list, err = s.ListPlanVersions(ctx, "fy27")
		require.NoError(t, err)
		require.Len(t, list, 2, "another plan's versions are kept")
	}},
}

func versionNumbers(vs []storage.PlanVersion) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = v.Version
	}
	return out
}

func snapshotNames(ss []storage.Snapshot) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}
