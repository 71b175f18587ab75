package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var diffMetric = goal.Metric{Key: "revenue", Name: "Revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}

// diffPeriods are the periods random plans use.
var diffPeriods = []goal.Period{
	{Grain: goal.Year, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1), Label: "2026"},
	{Grain: goal.Quarter, Start: date.New(2026, 1, 1), End: date.New(2026, 4, 1), Label: "2026-Q1"},
	{Grain: goal.Quarter, Start: date.New(2026, 4, 1), End: date.New(2026, 7, 1), Label: "2026-Q2"},
	{Grain: goal.Month, Start: date.New(2026, 7, 1), End: date.New(2026, 8, 1), Label: "2026-07"},
}

// randomValue is a value of 0, 1 or 2 places, some with trailing zeros
// (1.50), which the store writes as 1.5.
func randomValue(rng *rand.Rand) decimal.Decimal {
	return decimal.New(rng.Int64N(1_000_000_000), -int32(rng.IntN(3)))
}

func randomNull(rng *rand.Rand) decimal.NullDecimal {
	if rng.IntN(2) == 0 {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(randomValue(rng))
}

// randomGoal is goal id under one of the goals before it.
func randomGoal(rng *rand.Rand, id string, before []goal.Goal) goal.Goal {
	g := goal.Goal{ID: id, Metric: diffMetric.Key, Unit: fmt.Sprint("u", rng.IntN(20)), Period: diffPeriods[rng.IntN(len(diffPeriods))],
		Target: randomValue(rng), Stretch: randomNull(rng), Floor: randomNull(rng), Locked: rng.IntN(4) == 0}
	if len(before) > 0 {
		g.Parent = before[rng.IntN(len(before))].ID
	}
	return g
}

// diffEdits are the edits the property applies; reshape marks those that
// add, remove or reorder goals (the store's fallback).
var diffEdits = []struct {
	name    string
	reshape bool
	edit    func(rng *rand.Rand, gs []goal.Goal, next *int) []goal.Goal
}{
	{"target", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		gs[rng.IntN(len(gs))].Target = randomValue(rng)
		return gs
	}},
	{"targets", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		for i := range gs {
			if rng.IntN(3) == 0 {
				gs[i].Target = randomValue(rng)
			}
		}
		return gs
	}},
	{"same value, other digits", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		g := &gs[rng.IntN(len(gs))]
		g.Target = g.Target.Shift(2).Truncate(0).Shift(-2) // 1.5 as 1.50: the same stored text
		return gs
	}},
	{"stretch and floor", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		g := &gs[rng.IntN(len(gs))]
		g.Stretch, g.Floor = randomNull(rng), randomNull(rng)
		return gs
	}},
	{"locked", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		g := &gs[rng.IntN(len(gs))]
		g.Locked = !g.Locked
		return gs
	}},
	{"label", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		gs[rng.IntN(len(gs))].Period.Label += "'"
		return gs
	}},
	{"period", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		g := &gs[rng.IntN(len(gs))]
		g.Period.Start, g.Period.End, g.Period.Grain = g.Period.Start+1, g.Period.End+7, goal.Week
		return gs
	}},
	{"unit", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		gs[rng.IntN(len(gs))].Unit = fmt.Sprint("v", rng.IntN(20))
		return gs
	}},
	{"parent", false, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		if i := rng.IntN(len(gs)); i > 0 {
			gs[i].Parent = gs[rng.IntN(i)].ID
		}
		return gs
	}},
	{"nothing", false, func(_ *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal { return gs }},
	{"add", true, func(rng *rand.Rand, gs []goal.Goal, next *int) []goal.Goal {
		*next++
		return append(gs, randomGoal(rng, fmt.Sprint("g", *next), gs))
	}},
	{"remove", true, func(_ *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		if len(gs) == 1 {
			return gs
		}
		return gs[:len(gs)-1] // the last goal is no goal's parent
	}},
	{"swap", true, func(rng *rand.Rand, gs []goal.Goal, _ *int) []goal.Goal {
		if len(gs) > 2 {
			i, j := 1+rng.IntN(len(gs)-1), 1+rng.IntN(len(gs)-1)
			gs[i], gs[j] = gs[j], gs[i] // kept only if parents stay first (NewPlan)
		}
		return gs
	}},
	{"rename", true, func(rng *rand.Rand, gs []goal.Goal, next *int) []goal.Goal {
		*next++
		gs[len(gs)-1].ID = fmt.Sprint("g", *next) // same length, another ID at a position
		return gs
	}},
}

// goalText is a goal as it reads back: decimals as their value's text.
func goalText(g goal.Goal) string {
	null := func(v decimal.NullDecimal) string {
		if !v.Valid {
			return "NULL"
		}
		return v.Decimal.String()
	}
	return fmt.Sprintf("%s parent=%s %s %s %v %s/%s %q target=%s stretch=%s floor=%s locked=%t", g.ID, g.Parent, g.Metric, g.Unit,
		g.Period.Grain, g.Period.Start, g.Period.End, g.Period.Label, g.Target, null(g.Stretch), null(g.Floor), g.Locked)
}

func requireSamePlan(t *testing.T, want *goal.Plan, got *goal.Plan, msg string) {
	t.Helper()
	w, g := make([]string, len(want.Goals)), make([]string, len(got.Goals))
	for i := range want.Goals {
		w[i] = goalText(want.Goals[i])
	}
	for i := range got.Goals {
		g[i] = goalText(got.Goals[i])
	}
	require.Equal(t, w, g, msg)
	require.Equal(t, want.Metric, got.Metric, msg)
}

// TestUpdatePlanRandomEdits is the property: after any sequence of random
// edits (in place or reshaping), the plan read back is the plan written,
// position by position and field by field, with its version and audit.
func TestUpdatePlanRandomEdits(t *testing.T) {
	for _, tc := range dialects {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, tc.open(t), sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"})
			rng := rand.New(rand.NewPCG(1, 2))
			ran := map[string]int{}
			for round := range 6 {
				id := fmt.Sprint("p", round)
				next := 0
				var gs []goal.Goal
				for range 1 + rng.IntN(60) {
					next++
					gs = append(gs, randomGoal(rng, fmt.Sprint("g", next), gs))
				}
				cur, err := goal.NewPlan(id, diffMetric, gs)
				require.NoError(t, err)
				version, err := s.CreatePlan(ctx, cur, nil)
				require.NoError(t, err)
				audits := 0
				for step := range 40 {
					gs := append([]goal.Goal(nil), cur.Goals...)
					var names []string
					for range 1 + rng.IntN(3) {
						e := diffEdits[rng.IntN(len(diffEdits))]
						gs = e.edit(rng, gs, &next)
						names = append(names, e.name)
					}
					p, err := goal.NewPlan(id, diffMetric, gs)
					if err != nil {
						continue // a swap that put a child before its parent
					}
					for _, n := range names {
						ran[n]++
					}
					msg := fmt.Sprintf("plan %s step %d after %v", id, step, names)
					version, err = s.UpdatePlan(ctx, p, version, []storage.AuditEntry{{Goal: p.Goals[0].ID, Actor: "ann", Reason: msg}})
					require.NoError(t, err, msg)
					audits++
					got, err := s.GetPlan(ctx, id)
					require.NoError(t, err, msg)
					require.Equal(t, version, got.Version, msg)
					requireSamePlan(t, p, got, msg)
					sums, err := s.ListPlans(ctx)
					require.NoError(t, err)
					require.Contains(t, sums, storage.PlanSummary{ID: id, Metric: diffMetric, Version: version, Goals: len(p.Goals)}, msg)
					cur = got
				}
				entries, err := s.ListAudit(ctx, id)
				require.NoError(t, err)
				require.Len(t, entries, audits, "one audit entry appended per update")
			}
			for _, e := range diffEdits {
				require.Greater(t, ran[e.name], 5, "edit %q ran", e.name)
			}
		})
	}
}

// touches installs row triggers counting the inserts, updates and deletes
// of goal rows, and returns a function that reads and resets the counts.
func touches(t *testing.T, db *sql.DB, dialect sqlstore.Dialect) func() map[string]int {
	ctx := context.Background()
	stmts := []string{"CREATE TABLE touched (op TEXT NOT NULL)"}
	if dialect == sqlstore.PostgreSQL {
		stmts = append(stmts,
			"CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO touched VALUES (TG_OP); RETURN NULL; END $$",
			"CREATE TRIGGER touch AFTER INSERT OR UPDATE OR DELETE ON goalkit_goals FOR EACH ROW EXECUTE FUNCTION touch()")
	} else {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, "CREATE TRIGGER touch_"+op+" AFTER "+op+" ON goalkit_goals BEGIN INSERT INTO touched VALUES ('"+op+"'); END")
		}
	}
	for _, q := range stmts {
		_, err := db.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return func() map[string]int {
		rows, err := db.QueryContext(ctx, "SELECT op, count(*) FROM touched GROUP BY op")
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var op string
			var n int
			require.NoError(t, rows.Scan(&op, &n))
			out[op] = n
		}
		require.NoError(t, rows.Err())
		_, err = db.ExecContext(ctx, "DELETE FROM touched")
		require.NoError(t, err)
		return out
	}
}

// bigPlan is a root and n-1 leaves under it.
func bigPlan(t testing.TB, n int) *goal.Plan {
	gs := []goal.Goal{{ID: "root", Metric: "revenue", Unit: "co", Period: diffPeriods[0], Target: decimal.NewFromInt(int64(n - 1))}}
	for i := 1; i < n; i++ {
		gs = append(gs, goal.Goal{ID: fmt.Sprint("g", i), Parent: "root", Metric: "revenue", Unit: fmt.Sprint("u", i), Period: diffPeriods[1], Target: decimal.NewFromInt(1)})
	}
	p, err := goal.NewPlan("big", diffMetric, gs)
	require.NoError(t, err)
	return p
}

// TestUpdatePlanTouchesChangedRows counts the goal rows an update writes:
// a new target rewrites one row of a thousand, an unchanged plan none, and
// a reshaped plan all (deleted and inserted again).
func TestUpdatePlanTouchesChangedRows(t *testing.T) {
	for _, tc := range dialects {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			s := newStore(t, db, sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"})
			p := bigPlan(t, 1000)
			v, err := s.CreatePlan(ctx, p, nil)
			require.NoError(t, err)
			touched := touches(t, db, tc.dialect)

			require.NoError(t, p.SetTarget("g7", decimal.NewFromInt(2)))
			v, err = s.UpdatePlan(ctx, p, v, nil)
			require.NoError(t, err)
			require.Equal(t, map[string]int{"UPDATE": 1}, touched(), "one new target")

			p.Goals[9].Stretch, p.Goals[500].Locked = decimal.NewNullDecimal(decimal.NewFromInt(3)), true
			v, err = s.UpdatePlan(ctx, p, v, nil)
			require.NoError(t, err)
			require.Equal(t, map[string]int{"UPDATE": 2}, touched(), "a stretch set, a goal locked")

			v, err = s.UpdatePlan(ctx, p, v, nil)
			require.NoError(t, err)
			require.Empty(t, touched(), "nothing changed")

			p.Goals = p.Goals[:999]
			p, err = goal.NewPlan(p.ID, p.Metric, p.Goals)
			require.NoError(t, err)
			_, err = s.UpdatePlan(ctx, p, v, nil)
			require.NoError(t, err)
			require.Equal(t, map[string]int{"DELETE": 1000, "INSERT": 999}, touched(), "a goal removed: written whole")
			got, err := s.GetPlan(ctx, "big")
			require.NoError(t, err)
			requireSamePlan(t, p, got, "after the fallback")
		})
	}
}

// TestUpdatePlanInPlaceIsAtomic fails an in-place update after its goal
// rows are written (inside a host's transaction, and at the store's fault
// point) and finds the plan, its goals and its audit as they were.
func TestUpdatePlanInPlaceIsAtomic(t *testing.T) {
	errBoom := errors.New("boom")
	for _, tc := range dialects {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, tc.open(t), sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"})
			old := bigPlan(t, 50)
			_, err := s.CreatePlan(ctx, old, nil)
			require.NoError(t, err)
			edited := func() *goal.Plan {
				p, err := old.Clone()
				require.NoError(t, err)
				require.NoError(t, p.SetTarget("g3", decimal.NewFromInt(9)))
				p.Goals[4].Floor = decimal.NewNullDecimal(decimal.NewFromInt(1))
				return p
			}
			audit := []storage.AuditEntry{{Goal: "g3", Actor: "ann"}}
			err = s.InTx(ctx, func(tx storage.Tx) error {
				if _, err := tx.UpdatePlan(ctx, edited(), 1, audit); err != nil {
					return err
				}
				return errBoom
			})
			require.ErrorIs(t, err, errBoom)
			faulty := fault.With(ctx, func(point string) error {
				if point == fault.PlanWritten {
					return errBoom
				}
				return nil
			})
			err = s.InTx(ctx, func(tx storage.Tx) error {
				_, err := tx.UpdatePlan(faulty, edited(), 1, audit)
				require.ErrorIs(t, err, errBoom)
				return nil // the host commits what else it did; the update left nothing
			})
			require.NoError(t, err)
			got, err := s.GetPlan(ctx, "big")
			require.NoError(t, err)
			require.Equal(t, int64(1), got.Version)
			requireSamePlan(t, old, got, "the failed updates left the plan as it was")
			entries, err := s.ListAudit(ctx, "big")
			require.NoError(t, err)
			require.Empty(t, entries)
		})
	}
}
