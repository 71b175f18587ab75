package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func version(t *testing.T, s storage.Units) int64 {
	t.Helper()
	v, err := s.OrgVersion(context.Background())
	require.NoError(t, err)
	return v
}

func edit(t *testing.T, s storage.Units, e goal.OrgEdit) {
	t.Helper()
	v := version(t, s)
	got, err := s.EditOrg(context.Background(), e, v)
	require.NoError(t, err, e.String())
	require.Equal(t, v+1, got)
}

// recomputed checks every subtree and own total of every unit over
// [2026-01-01, 2027-01-01) and over each month against a recomputation from
// the live facts (as appended: a split is computed from the value as given,
// whose places a store may not keep) and the stored org's ancestors on each
// fact's day.
func recomputed(t *testing.T, s storage.Store, live ...kpi.Fact) {
	t.Helper()
	ctx := context.Background()
	units, err := s.ListUnits(ctx)
	require.NoError(t, err)
	o, err := goal.NewOrg(units)
	require.NoError(t, err)
	type key struct {
		unit    string
		subtree bool
		month   int
	}
	want := map[key]storage.Total{}
	add := func(k key, v, n decimal.Decimal) {
		for _, m := range []int{0, k.month} {
			k.month = m
			w := want[k]
			w.Value, w.Count = w.Value.Add(v), w.Count.Add(n)
			want[k] = w
		}
	}
	for _, f := range live {
		if f.Metric != "revenue" || f.Date.Year() != 2026 {
			continue
		}
		parts, err := storage.Split(f)
		require.NoError(t, err)
		for _, p := range parts {
			m := int(f.Date.Month())
			add(key{p.Unit, false, m}, p.Value, p.Share)
			add(key{p.Unit, true, m}, p.Value, p.Share)
			anc, err := o.AncestorsAt(p.Unit, f.Date)
			if err != nil {
				continue // a unit outside the org is its own subtree
			}
			for _, a := range anc {
				add(key{a.ID, true, m}, p.Value, p.Share)
			}
		}
	}
	var qs []storage.Query
	var keys []key
	for _, u := range units {
		for _, subtree := range []bool{false, true} {
			for m := range 13 {
				start, end := day("2026-01-01"), day("2027-01-01")
				if m > 0 {
					start = day(fmt.Sprintf("2026-%02d-01", m))
					end = start.AddDate(0, 1, 0)
				}
				qs = append(qs, storage.Query{Metric: "revenue", Unit: u.ID, Subtree: subtree, Start: start, End: end})
				keys = append(keys, key{u.ID, subtree, m})
			}
		}
	}
	got, err := s.SumMany(ctx, qs)
	require.NoError(t, err)
	defer func() {
		if t.Failed() {
			t.FailNow()
		}
	}()
	for i, k := range keys {
		w := want[k]
		if !w.Value.Equal(got[i].Value) || !w.Count.Equal(got[i].Count) {
			t.Errorf("%+v: want %s (%s facts), got %s (%s)", k, w.Value, w.Count, got[i].Value, got[i].Count)
		}
	}
}

var orgTests = []test{
	{name: "Org/Version", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.Equal(t, int64(0), version(t, s), "no org stored yet")
		require.NoError(t, s.PutUnits(ctx, org()))
		require.Equal(t, int64(1), version(t, s))
		edit(t, s, goal.MoveUnit("c", "t1", day("2026-05-15")))
		// An edit based on version 1 is stale now: nothing is written.
		_, err := s.EditOrg(ctx, goal.AddUnit(goal.Unit{ID: "e", Parent: "t3"}), 1)
		var ce *storage.ConflictError
		require.ErrorAs(t, err, &ce)
		require.ErrorIs(t, err, storage.ErrConflict)
		require.Equal(t, "org", ce.Kind)
		require.Equal(t, "e", ce.Key)
		require.Contains(t, ce.Reason, "version 2")
		require.Equal(t, int64(2), version(t, s))
		units, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Len(t, units, len(org()))
		require.NoError(t, s.PutUnits(ctx, org()))
		require.Equal(t, int64(3), version(t, s), "PutUnits counts too")
		other := open("globex")
		require.Equal(t, int64(0), version(t, other), "versions are per tenant")
	}},
	{name: "Org/MoveKeepsHistory", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		split := fact("split", "revenue", "", "2026-06-01", "10")
		split.Credits = []kpi.Credit{{Unit: "c", Share: dec("0.5")}, {Unit: "a", Share: dec("0.5")}}
		append1(t, s, fact("c-apr", "revenue", "c", "2026-04-30", "1"), fact("c-may", "revenue", "c", "2026-05-15", "2"),
			fact("c-jun", "revenue", "c", "2026-06-01", "4"), split, fact("d-jun", "revenue", "d", "2026-06-02", "100"))
		// c (a rep of t2 in r1) moves to t3 in r2 from 15 May.
		edit(t, s, goal.MoveUnit("c", "t3", day("2026-05-15")))
		year := func(unit string) storage.Total {
			return sum(t, s, q("revenue", unit, true, "2026-01-01", "2027-01-01"))
		}
		requireTotal(t, "1", "1", year("t2"), "before the move c counts for t2")
		requireTotal(t, "1", "1", sum(t, s, q("revenue", "t2", true, "2026-04-01", "2026-06-01")))
		requireTotal(t, "111", "3.5", year("t3"), "from the move on for t3")
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "t3", true, "2026-04-01", "2026-05-15")))
		requireTotal(t, "5", "0.5", year("t1"), "a's half of the split stays in t1")
		requireTotal(t, "6", "1.5", year("r1"))
		requireTotal(t, "111", "3.5", year("r2"))
		requireTotal(t, "117", "5", year("co"), "the company counts everything once")
		requireTotal(t, "12", "3.5", sum(t, s, q("revenue", "c", true, "2026-01-01", "2027-01-01")), "c's own total does not move")
		// Later facts go up the chain valid on their own date.
		append1(t, s, fact("c-early", "revenue", "c", "2026-05-14", "1000"), fact("c-late", "revenue", "c", "2026-05-16", "2000"))
		requireTotal(t, "1001", "2", year("t2"))
		requireTotal(t, "2111", "4.5", year("t3"))
		require.NoError(t, s.RetractFact(ctx, "c-apr"))
		requireTotal(t, "1000", "1", year("t2"), "a retraction leaves the team of its day")
		f := fact("c-late", "revenue", "c", "2026-03-01", "2000")
		require.NoError(t, s.ReplaceFact(ctx, f))
		requireTotal(t, "3000", "2", year("t2"), "a replaced fact counts for the team of its new day")
		units, err := s.ListUnits(ctx)
		require.NoError(t, err)
		i := slices.IndexFunc(units, func(u goal.Unit) bool { return u.ID == "c" })
		require.Equal(t, "t3", units[i].Parent)
		require.Equal(t, []goal.Tenure{{Parent: "t2", Until: day("2026-05-15")}}, units[i].Earlier)
		live := []kpi.Fact{fact("c-may", "revenue", "c", "2026-05-15", "2"), fact("c-jun", "revenue", "c", "2026-06-01", "4"), split,
			fact("d-jun", "revenue", "d", "2026-06-02", "100"), fact("c-early", "revenue", "c", "2026-05-14", "1000"), f}
		recomputed(t, s, live...)
		// A whole team moves: its subtree follows from the move date only.
		edit(t, s, goal.MoveUnit("t1", "r2", day("2026-06-01")))
		requireTotal(t, "114", "3", sum(t, s, q("revenue", "r2", true, "2026-06-01", "2026-07-01")))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "r1", true, "2026-06-01", "2026-07-01")))
		recomputed(t, s, live...)
	}},
	{name: "Org/AddAndDeactivate", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		// Facts of a rep not yet in the org, and of a rep who becomes a
		// manager when a report is added under him.
		append1(t, s, fact("n1", "revenue", "newbie", "2026-03-01", "7"), fact("d1", "revenue", "d", "2026-03-01", "5"))
		edit(t, s, goal.AddUnit(goal.Unit{ID: "newbie", Parent: "t1", Kind: "rep"}))
		requireTotal(t, "7", "1", sum(t, s, q("revenue", "t1", true, "2026-01-01", "2027-01-01")), "its earlier facts join the tree")
		edit(t, s, goal.AddUnit(goal.Unit{ID: "intern", Parent: "d", Kind: "rep", ActiveFrom: day("2026-04-01")}))
		append1(t, s, fact("i1", "revenue", "intern", "2026-04-02", "1"))
		requireTotal(t, "6", "2", sum(t, s, q("revenue", "d", true, "2026-01-01", "2027-01-01")), "d's subtree: its own facts and the intern's")
		requireTotal(t, "5", "1", sum(t, s, q("revenue", "d", false, "2026-01-01", "2027-01-01")))
		requireTotal(t, "6", "2", sum(t, s, q("revenue", "r2", true, "2026-01-01", "2027-01-01")))
		edit(t, s, goal.DeactivateUnit("intern", day("2026-09-01")))
		units, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, goal.Unit{ID: "intern", Parent: "d", Kind: "rep", ActiveFrom: day("2026-04-01"), ActiveUntil: day("2026-09-01")}, units[len(units)-1])
		require.Equal(t, "newbie", units[len(units)-2].ID, "added units come last")
		requireTotal(t, "6", "2", sum(t, s, q("revenue", "d", true, "2026-01-01", "2027-01-01")), "deactivation keeps the facts")
		recomputed(t, s, fact("n1", "revenue", "newbie", "2026-03-01", "7"), fact("d1", "revenue", "d", "2026-03-01", "5"),
			fact("i1", "revenue", "intern", "2026-04-02", "1"))
	}},
	{name: "Org/InvalidEdit", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		append1(t, s, fact("c1", "revenue", "c", "2026-05-01", "3"))
		for _, tc := range []struct {
			e  goal.OrgEdit
			is error
		}{
			{goal.MoveUnit("r1", "c", day("2026-05-01")), storage.ErrInvalid},
			{goal.MoveUnit("c", "nowhere", day("2026-05-01")), storage.ErrInvalid},
			{goal.MoveUnit("ghost", "t1", day("2026-05-01")), storage.ErrNotFound},
			{goal.AddUnit(goal.Unit{ID: "a", Parent: "t3"}), storage.ErrInvalid},
			{goal.MoveUnit("c", "t3", day("10000-01-01")), storage.ErrInvalid},
		} {
			_, err := s.EditOrg(ctx, tc.e, 1)
			require.ErrorIs(t, err, tc.is, tc.e.String())
			require.Equal(t, int64(1), version(t, s), "a refused edit writes nothing")
		}
		units, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, org(), units)
		requireTotal(t, "3", "1", sum(t, s, q("revenue", "r1", true, "2026-01-01", "2027-01-01")))
	}},
	{name: "Org/DepthLimit", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		chain := func(n int) []goal.Unit {
			units := make([]goal.Unit, n)
			for i := range units {
				units[i].ID = fmt.Sprint(i)
				if i > 0 {
					units[i].Parent = fmt.Sprint(i - 1)
				}
			}
			return units
		}
		deep := chain(goal.MaxDepth + 1)
		require.NoError(t, s.PutUnits(ctx, deep))
		append1(t, s, fact("f", "revenue", fmt.Sprint(goal.MaxDepth), "2026-05-01", "3"))
		requireTotal(t, "3", "1", sum(t, s, q("revenue", "0", true, "2026-01-01", "2027-01-01")))
		for _, leafFirst := range []bool{false, true} {
			units := chain(10_000)
			if leafFirst {
				slices.Reverse(units)
			}
			err := s.PutUnits(ctx, units)
			require.ErrorIs(t, err, storage.ErrInvalid)
			require.Contains(t, err.Error(), "MaxDepth")
		}
		_, err := s.EditOrg(ctx, goal.AddUnit(goal.Unit{ID: "x", Parent: fmt.Sprint(goal.MaxDepth)}), version(t, s))
		require.ErrorIs(t, err, storage.ErrInvalid)
		require.ErrorIs(t, err, goal.ErrInvalid)
		units, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Len(t, units, goal.MaxDepth+1)
	}},
	{name: "Org/PutUnitsWithHistory", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		facts := generated(300)
		append1(t, s, facts...)
		units := org()
		units[8].Parent = "t3" // c: t2 until June, then t3
		units[8].Earlier = []goal.Tenure{{Parent: "t2", Until: day("2026-06-01")}}
		units[3].Parent = "r2" // t1: r1, then r2 in March and April, then r1 again
		units[3].Earlier = []goal.Tenure{{Parent: "r1", Until: day("2026-03-01")}, {Parent: "r2", Until: day("2026-05-01")}}
		units[3].Parent = "r1"
		require.NoError(t, s.PutUnits(ctx, units))
		got, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, units, got)
		recomputed(t, s, facts...)
		// Random edits keep every total equal to a recomputation.
		for i, e := range []goal.OrgEdit{
			goal.MoveUnit("t2", "r2", day("2026-02-10")),
			goal.MoveUnit("a", "t3", day("2026-07-01")),
			goal.MoveUnit("r2", "r1", day("2026-09-01")),
			goal.AddUnit(goal.Unit{ID: "t4", Parent: "co"}),
			goal.MoveUnit("b", "t4", day("2026-01-01")),
			goal.MoveUnit("a", "t1", day("2026-03-15")),
			goal.MoveUnit("r2", "co", day("2026-10-01")),
		} {
			edit(t, s, e)
			require.Equal(t, int64(3+i), version(t, s))
			recomputed(t, s, facts...)
		}
	}},
	{name: "Org/EditInTx", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		append1(t, s, fact("c1", "revenue", "c", "2026-05-01", "3"))
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx storage.Tx) error {
			if _, err := tx.EditOrg(ctx, goal.MoveUnit("c", "t3", day("2026-01-01")), 1); err != nil {
				return err
			}
			requireTotal(t, "3", "1", sum(t, tx, q("revenue", "r2", true, "2026-01-01", "2027-01-01")), "the edit is visible inside")
			return boom
		})
		require.ErrorIs(t, err, boom)
		require.Equal(t, int64(1), version(t, s), "a rolled back edit leaves nothing")
		requireTotal(t, "3", "1", sum(t, s, q("revenue", "r1", true, "2026-01-01", "2027-01-01")))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "r2", true, "2026-01-01", "2027-01-01")))
		recomputed(t, s, fact("c1", "revenue", "c", "2026-05-01", "3"))
	}},
}
