package goalkit_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// nine is 09:00 UTC on day s, when the test clock stands.
func nine(s string) time.Time { return day(s).MidnightUTC().Add(9 * time.Hour) }

func targetOf(t *testing.T, p *goal.Plan, id string) string {
	t.Helper()
	g, err := p.Goal(id)
	require.NoError(t, err)
	return g.Target.StringFixed(2)
}

// versionedPlan saves li-q1 on 5 January (version 1), and on 20 January
// bob moves January to 120 (version 2); on 1 February carol moves
// March to 350 (version 3).
func versionedPlan(t *testing.T, f *fixture) {
	t.Helper()
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	f.clock.Set(day("2026-01-20"))
	_, err = f.engine.SetTarget(f.ctx, "li-q1", "jan", dec("120.00"), 1, goalkit.Change{Unbalanced: true, Actor: "bob", Reason: "new customer"})
	require.NoError(t, err)
	f.clock.Set(day("2026-02-01"))
	_, err = f.engine.SetTarget(f.ctx, "li-q1", "mar", dec("350.00"), 2, goalkit.Change{Unbalanced: true, Actor: "carol", Reason: "trade fair"})
	require.NoError(t, err)
}

func TestPlanVersionsAreRecordedOnEveryWrite(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		versionedPlan(t, f)
		vs, err := f.engine.PlanVersions(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, vs, 3)
		for i, want := range []struct {
			at            time.Time
			actor, reason string
		}{{nine("2026-01-05"), who.Actor, who.Reason}, {nine("2026-01-20"), "bob", "new customer"}, {nine("2026-02-01"), "carol", "trade fair"}} {
			require.Equal(t, int64(i+1), vs[i].Version)
			require.True(t, want.at.Equal(vs[i].At), "version %d saved at %s, not %s", i+1, want.at, vs[i].At)
			require.Equal(t, want.actor, vs[i].Actor)
			require.Equal(t, want.reason, vs[i].Reason)
		}
		for v, jan := range map[int64]string{1: "100.00", 2: "120.00", 3: "120.00"} {
			p, rec, err := f.engine.PlanVersion(f.ctx, "li-q1", goalkit.VersionRef{Version: v})
			require.NoError(t, err)
			require.Equal(t, v, p.Version)
			require.Equal(t, v, rec.Version)
			require.Equal(t, jan, targetOf(t, p, "jan"))
		}
		_, _, err = f.engine.PlanVersion(f.ctx, "li-q1", goalkit.VersionRef{Version: 4})
		require.ErrorIs(t, err, storage.ErrNotFound)

		// Re-planning and promoting are saves too; so is a decomposed plan.
		f.clock.Set(day("2026-02-02"))
		_, _, err = f.engine.Replan(f.ctx, "li-q1", f.engine.Today(), goal.CatchUp, goalkit.Change{Actor: "nightly"})
		require.NoError(t, err)
		vs, err = f.engine.PlanVersions(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, vs, 4)
		require.Equal(t, "nightly", vs[3].Actor)
		_, err = f.engine.Decompose(f.ctx, goal.Spec{PlanID: "fy", Metric: revenue, Unit: "acme", Period: f.period(t, "2026"), Target: dec("1000.00")}, who)
		require.NoError(t, err)
		vs, err = f.engine.PlanVersions(f.ctx, "fy")
		require.NoError(t, err)
		require.Len(t, vs, 1)
	})
}

func TestPlanAsOf(t *testing.T) {
	f := newFixture(t, nil, nil)
	versionedPlan(t, f)
	for _, tt := range []struct {
		at   time.Time
		jan  string
		mar  string
		vers int64
	}{
		{nine("2026-01-05"), "100.00", "300.00", 1},
		{nine("2026-01-19"), "100.00", "300.00", 1},
		{nine("2026-01-20"), "120.00", "300.00", 2},
		{nine("2026-01-31"), "120.00", "300.00", 2},
		{nine("2026-03-01"), "120.00", "350.00", 3},
	} {
		p, err := f.engine.PlanAsOf(f.ctx, "li-q1", tt.at)
		require.NoError(t, err, tt.at)
		require.Equal(t, tt.vers, p.Version, tt.at)
		require.Equal(t, tt.jan, targetOf(t, p, "jan"), tt.at)
		require.Equal(t, tt.mar, targetOf(t, p, "mar"), tt.at)
	}
	_, err := f.engine.PlanAsOf(f.ctx, "li-q1", nine("2026-01-04"))
	require.ErrorIs(t, err, storage.ErrNotFound, "before the first version")
	require.Contains(t, err.Error(), "first recorded version was saved later")
	_, err = f.engine.PlanAsOf(f.ctx, "li-q1", time.Time{})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	_, err = f.engine.PlanAsOf(f.ctx, "nope", nine("2026-03-01"))
	require.ErrorIs(t, err, storage.ErrNotFound)

	// Two saves at one instant: the later version is the one in force.
	p, err := f.engine.SetTarget(f.ctx, "li-q1", "feb", dec("210.00"), 3, unbalanced(who))
	require.NoError(t, err)
	p, err = f.engine.SetTarget(f.ctx, "li-q1", "feb", dec("220.00"), p.Version, unbalanced(who))
	require.NoError(t, err)
	got, err := f.engine.PlanAsOf(f.ctx, "li-q1", nine("2026-02-01"))
	require.NoError(t, err)
	require.Equal(t, p.Version, got.Version)
	require.Equal(t, "220.00", targetOf(t, got, "feb"))
}

func TestSnapshot(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
		require.NoError(t, err)
		board, err := f.engine.Snapshot(f.ctx, "li-q1", "board approved", goalkit.Change{Actor: "ceo", Reason: "board meeting"})
		require.NoError(t, err)
		require.Equal(t, int64(1), board.Version)
		f.clock.Set(day("2026-01-20"))
		_, err = f.engine.SetTarget(f.ctx, "li-q1", "jan", dec("120.00"), 1, unbalanced(who))
		require.NoError(t, err)

		_, err = f.engine.Snapshot(f.ctx, "li-q1", "board approved", who)
		require.ErrorIs(t, err, storage.ErrDuplicate, "a name is never moved")
		_, err = f.engine.Snapshot(f.ctx, "nope", "x", who)
		require.ErrorIs(t, err, storage.ErrNotFound)
		after, err := f.engine.Snapshot(f.ctx, "li-q1", "after January", who)
		require.NoError(t, err)
		require.Equal(t, int64(2), after.Version)

		ss, err := f.engine.Snapshots(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, ss, 2)
		require.Equal(t, "board approved", ss[0].Name)
		require.Equal(t, "ceo", ss[0].Actor)
		require.Equal(t, "board meeting", ss[0].Reason)
		require.True(t, nine("2026-01-05").Equal(ss[0].At))
		p, _, err := f.engine.PlanVersion(f.ctx, "li-q1", goalkit.VersionRef{Snapshot: "board approved"})
		require.NoError(t, err)
		require.Equal(t, "100.00", targetOf(t, p, "jan"), "the snapshot reads the plan as it was")
		_, _, err = f.engine.PlanVersion(f.ctx, "li-q1", goalkit.VersionRef{Snapshot: "nope"})
		require.ErrorIs(t, err, storage.ErrNotFound)
	})
}

// A plan saved before versions were recorded (straight into the store) has
// its current version recorded when it is first snapshot.
func TestSnapshotRecordsAnUnrecordedVersion(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, err := f.store.CreatePlan(f.ctx, f.seasonalPlan(t, "li-q1"), nil)
	require.NoError(t, err)
	_, err = f.engine.PlanAsOf(f.ctx, "li-q1", nine("2026-01-05"))
	require.ErrorIs(t, err, storage.ErrNotFound)
	require.Contains(t, err.Error(), "no recorded version")
	_, err = f.engine.Snapshot(f.ctx, "li-q1", "baseline", goalkit.Change{Actor: "ops"})
	require.NoError(t, err)
	vs, err := f.engine.PlanVersions(f.ctx, "li-q1")
	require.NoError(t, err)
	require.Len(t, vs, 1)
	require.Equal(t, "ops", vs[0].Actor)
}

func TestDiffVersions(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		versionedPlan(t, f)
		_, err := f.engine.Snapshot(f.ctx, "li-q1", "approved", who)
		require.NoError(t, err)
		// A fourth version puts January back: it moved twice, by two people.
		_, err = f.engine.SetTarget(f.ctx, "li-q1", "jan", dec("110.00"), 3, goalkit.Change{Unbalanced: true, Actor: "dave", Reason: "lost deal"})
		require.NoError(t, err)

		d, err := f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Version: 1}, goalkit.VersionRef{At: nine("2026-03-01")})
		require.NoError(t, err)
		require.Equal(t, int64(1), d.From.Version)
		require.Equal(t, int64(4), d.To.Version)
		require.Len(t, d.Changes, 2)
		jan, mar := d.Changes[0], d.Changes[1]
		require.Equal(t, "jan", jan.Goal)
		requireDec(t, "10", jan.Delta)
		require.Equal(t, []string{"bob", "dave"}, actors(jan.By))
		require.Equal(t, "mar", mar.Goal)
		requireDec(t, "50", mar.Delta)
		require.Equal(t, []string{"carol"}, actors(mar.By))
		require.Equal(t, "trade fair", mar.By[0].Reason)

		// From a snapshot to the live version, and backwards.
		d, err = f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Snapshot: "approved"}, goalkit.VersionRef{Version: 4})
		require.NoError(t, err)
		require.Len(t, d.Changes, 1)
		requireDec(t, "-10", d.Changes[0].Delta)
		require.Equal(t, []string{"dave"}, actors(d.Changes[0].By))
		d, err = f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Version: 3}, goalkit.VersionRef{Version: 1})
		require.NoError(t, err)
		require.Len(t, d.Changes, 2)
		requireDec(t, "-20", d.Changes[0].Delta)
		require.Equal(t, []string{"bob"}, actors(d.Changes[0].By))

		d, err = f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Version: 2}, goalkit.VersionRef{Version: 2})
		require.NoError(t, err)
		require.Empty(t, d.Changes)
		_, err = f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Version: 1}, goalkit.VersionRef{Snapshot: "nope"})
		require.ErrorIs(t, err, storage.ErrNotFound)
		require.Contains(t, err.Error(), `snapshot "nope"`)
	})
}

func actors(vs []storage.PlanVersion) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Actor
	}
	return out
}

func TestVersionRefSetsExactlyOneField(t *testing.T) {
	f := newFixture(t, nil, nil)
	versionedPlan(t, f)
	for _, ref := range []goalkit.VersionRef{{}, {Version: 1, Snapshot: "x"}, {Version: 1, At: nine("2026-03-01")}, {Version: -1}} {
		_, _, err := f.engine.PlanVersion(f.ctx, "li-q1", ref)
		require.ErrorIs(t, err, goalkit.ErrInvalid, "%+v", ref)
	}
	require.Equal(t, "version 3", goalkit.VersionRef{Version: 3}.String())
	require.Equal(t, `snapshot "board"`, goalkit.VersionRef{Snapshot: "board"}.String())
	require.Equal(t, "the version in force at 2026-03-01T09:00:00Z", goalkit.VersionRef{At: nine("2026-03-01")}.String())
}

// TestEveryVersionReadsAsSaved is a property test: after a random run of
// edits and saves at random times, every version reads back exactly the
// targets saved at it, by number and by time.
func TestEveryVersionReadsAsSaved(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		r := rand.New(rand.NewPCG(12, 1))
		saved := map[int64]*goal.Plan{}
		at := map[int64]time.Time{}
		v, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
		require.NoError(t, err)
		p, err := f.engine.Plan(f.ctx, "li-q1")
		require.NoError(t, err)
		saved[v], at[v] = p, f.clock.Now()
		ids := []string{"q1", "jan", "feb", "mar"}
		for range 25 {
			if r.IntN(3) > 0 {
				f.clock.Set(day("2026-01-05") + date.Date(r.IntN(5)+len(saved)*5))
			}
			target := decimal.New(r.Int64N(1_000_000), -2)
			if r.IntN(2) == 0 {
				p, err = f.engine.SetTarget(f.ctx, "li-q1", ids[r.IntN(len(ids))], target, v, goalkit.Change{Unbalanced: true, Actor: fmt.Sprint("u", r.IntN(3))})
				require.NoError(t, err)
			} else {
				q, err := p.Clone()
				require.NoError(t, err)
				require.NoError(t, q.SetTarget(ids[r.IntN(len(ids))], target))
				q.Version = v
				_, err = f.engine.SavePlan(f.ctx, q, unbalanced(who))
				require.NoError(t, err)
				p, err = f.engine.Plan(f.ctx, "li-q1")
				require.NoError(t, err)
			}
			v = p.Version
			saved[v], at[v] = p, f.clock.Now()
		}
		for v, want := range saved {
			got, _, err := f.engine.PlanVersion(f.ctx, "li-q1", goalkit.VersionRef{Version: v})
			require.NoError(t, err)
			requireSameTargets(t, want, got)
			// By time: the last version saved at that instant.
			latest := v
			for w, tm := range at {
				if tm.Equal(at[v]) && w > latest {
					latest = w
				}
			}
			got, err = f.engine.PlanAsOf(f.ctx, "li-q1", at[v])
			require.NoError(t, err)
			require.Equal(t, latest, got.Version)
			requireSameTargets(t, saved[latest], got)
		}
	})
}

func requireSameTargets(t *testing.T, want, got *goal.Plan) {
	t.Helper()
	require.Len(t, got.Goals, len(want.Goals))
	for i, w := range want.Goals {
		require.Equal(t, w.ID, got.Goals[i].ID)
		require.True(t, w.Target.Equal(got.Goals[i].Target), "version %d goal %s: want %s, got %s", want.Version, w.ID, w.Target, got.Goals[i].Target)
		require.Equal(t, w.Period, got.Goals[i].Period)
		require.Equal(t, w.Parent, got.Goals[i].Parent)
	}
}

// Pruning keeps what PlanAsOf answers from the cutoff on and every
// snapshot; a diff across pruned versions names no one for the gap.
func TestPruneVersions(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		versionedPlan(t, f)
		_, err := f.engine.Snapshot(f.ctx, "li-q1", "first", who) // version 3
		require.NoError(t, err)
		_, err = f.engine.SetTarget(f.ctx, "li-q1", "feb", dec("250.00"), 3, goalkit.Change{Unbalanced: true, Actor: "erin"})
		require.NoError(t, err)
		before, err := f.engine.PlanAsOf(f.ctx, "li-q1", nine("2026-01-25"))
		require.NoError(t, err)

		n, err := f.engine.PruneVersions(f.ctx, "li-q1", nine("2026-01-25"))
		require.NoError(t, err)
		require.Equal(t, 1, n, "version 1 goes; 2 is in force on the 25th")
		after, err := f.engine.PlanAsOf(f.ctx, "li-q1", nine("2026-01-25"))
		require.NoError(t, err)
		require.Equal(t, before.Version, after.Version)
		_, err = f.engine.PlanAsOf(f.ctx, "li-q1", nine("2026-01-06"))
		require.ErrorIs(t, err, storage.ErrNotFound, "the pruned past is gone")

		n, err = f.engine.PruneVersions(f.ctx, "li-q1", nine("2026-03-01"))
		require.NoError(t, err)
		require.Equal(t, 1, n, "version 2 goes; 3 is named, 4 is in force")
		d, err := f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Snapshot: "first"}, goalkit.VersionRef{Version: 4})
		require.NoError(t, err)
		require.Len(t, d.Changes, 1)
		require.Equal(t, []string{"erin"}, actors(d.Changes[0].By))
	})
}

// After a version that is not recorded, DiffVersions names no one for the
// step that spans it, rather than blaming the next save for both.
func TestDiffVersionsAcrossAGap(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	p, err := f.store.GetPlan(f.ctx, "li-q1")
	require.NoError(t, err)
	require.NoError(t, p.SetTarget("jan", dec("130.00")))
	_, err = f.store.UpdatePlan(f.ctx, p, 1, nil) // version 2, not recorded
	require.NoError(t, err)
	_, err = f.engine.SetTarget(f.ctx, "li-q1", "mar", dec("330.00"), 2, goalkit.Change{Unbalanced: true, Actor: "bob"})
	require.NoError(t, err)
	d, err := f.engine.DiffVersions(f.ctx, "li-q1", goalkit.VersionRef{Version: 1}, goalkit.VersionRef{Version: 3})
	require.NoError(t, err)
	require.Len(t, d.Changes, 2)
	for _, c := range d.Changes {
		require.Empty(t, c.By, c.Goal)
	}
}

// unbalanced returns ch accepting a plan that no longer adds up: these
// tests edit one cell by hand to make versions, not to keep plans exact.
func unbalanced(ch goalkit.Change) goalkit.Change {
	ch.Unbalanced = true
	return ch
}
