package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// raceTests run writers of one tenant concurrently, each on its own
// goroutine (and, in a SQL store, its own connection), and check that the
// result is one of the serial orders: every write sees everything committed
// before it, so no delta counts twice and no org is a mix of two.
var raceTests = []test{
	{name: "Race/RetractSameKeys", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		for round := range 5 {
			var facts []kpi.Fact
			for i := range 20 {
				facts = append(facts, fact(fmt.Sprintf("r%d-k%02d", round, i), "revenue", []string{"a", "b", "c", "d"}[i%4], "2026-03-02", "10"))
			}
			append1(t, s, facts...)
			runWorkers(t, 4, func(int) error {
				for i := range 10 {
					if err := s.RetractFact(ctx, fmt.Sprintf("r%d-k%02d", round, i)); err != nil {
						return err
					}
				}
				return nil
			})
			n := 10 * (round + 1)
			requireTotal(t, fmt.Sprint(10*n), fmt.Sprint(n), sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")),
				"round %d: each retraction counts once", round)
		}
		requireTotalsMatchFacts(t, s)
	}},
	{name: "Race/ReplaceSameKeys", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		reps := []string{"a", "b", "c", "d"}
		var facts []kpi.Fact
		for i := range 10 {
			facts = append(facts, fact(fmt.Sprintf("k%02d", i), "revenue", reps[i%4], "2026-03-02", "10"))
		}
		append1(t, s, facts...)
		runWorkers(t, 4, func(w int) error {
			for r := range 3 {
				for i := range 10 {
					// Each worker moves the fact to another rep and value.
					f := fact(fmt.Sprintf("k%02d", i), "revenue", reps[(i+w+r)%4], "2026-03-02", fmt.Sprint(w*10+r+1))
					if err := s.ReplaceFact(ctx, f); err != nil {
						return err
					}
				}
			}
			return nil
		})
		requireTotalsMatchFacts(t, s)
	}},
	{name: "Race/PutUnitsOneOrgWins", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		const writers = 4
		orgs := make([][]goal.Unit, writers)
		for w := range orgs {
			orgs[w] = wideOrg(w)
		}
		append1(t, s, fact("f1", "revenue", "u00", "2026-03-02", "1"), fact("f2", "revenue", "u07", "2026-03-02", "2"))
		for round := range 5 {
			runWorkers(t, writers, func(w int) error { return s.PutUnits(ctx, orgs[w]) })
			got, err := s.ListUnits(ctx)
			require.NoError(t, err)
			require.Truef(t, slices.ContainsFunc(orgs, func(o []goal.Unit) bool { return slices.EqualFunc(o, got, sameUnit) }),
				"round %d: the stored org (%d units) is none of the %d written, but a mix", round, len(got), writers)
			requireTotalsMatchFacts(t, s)
		}
	}},
	{name: "Race/PutUnitsDuringAppendFacts", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		moved := org()
		for i := range moved {
			if moved[i].ID == "c" {
				moved[i].Parent = "t3" // c moves from r1/t2 to r2/t3
			}
		}
		for round := range 3 {
			runWorkers(t, 4, func(w int) error {
				for b := range 40 {
					if w == 0 {
						if err := s.PutUnits(ctx, [][]goal.Unit{moved, org()}[b%2]); err != nil {
							return err
						}
						continue
					}
					var facts []kpi.Fact
					for i := range 4 {
						unit := "c" // mostly the rep that moves
						if i == 0 {
							unit = "a"
						}
						facts = append(facts, fact(fmt.Sprintf("r%d-w%d-%d-%d", round, w, b, i), "revenue", unit, "2026-03-02", "1"))
					}
					if _, err := s.AppendFacts(ctx, facts); err != nil {
						return err
					}
				}
				return nil
			})
			n := fmt.Sprint(480 * (round + 1))
			requireTotal(t, n, n, sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
			requireTotalsMatchFacts(t, s)
		}
	}},
}

// wideOrg is the w-th of several orgs of 41 units: a company "top", w+1
// regions and 39−w reps spread over them, so two of them share IDs in other
// trees and differ in size.
func wideOrg(w int) []goal.Unit {
	units := []goal.Unit{{ID: "top", Kind: "company"}}
	for r := range w + 1 {
		units = append(units, goal.Unit{ID: fmt.Sprintf("g%d", r), Parent: "top", Kind: "region"})
	}
	for i := range 40 - w - 1 {
		units = append(units, goal.Unit{ID: fmt.Sprintf("u%02d", i), Parent: fmt.Sprintf("g%d", i%(w+1)), Kind: "rep"})
	}
	return units
}

// requireTotalsMatchFacts checks the revenue of 2026 (see
// RequireTotalsMatchFacts).
func requireTotalsMatchFacts(t *testing.T, s storage.Tx) {
	t.Helper()
	RequireTotalsMatchFacts(t, s, "revenue", day("2026-01-01"), day("2027-01-01"))
}

// RequireTotalsMatchFacts checks every unit's own and subtree totals of
// metric over [start, end) against a recomputation from the live facts and
// the stored org (each fact up the parents its unit had on the fact's day),
// as after concurrent writers: each is what the facts
// listed by ListFacts sum to. It handles facts credited to one unit (no
// split credit) and fails t otherwise.
func RequireTotalsMatchFacts(t testing.TB, s storage.Tx, metric string, start, end date.Date) {
	t.Helper()
	ctx := context.Background()
	units, err := s.ListUnits(ctx)
	require.NoError(t, err)
	facts, err := s.ListFacts(ctx, "", 0)
	require.NoError(t, err)
	byID := map[string]goal.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	type tot struct{ v, n decimal.Decimal }
	own, tree := map[string]tot{}, map[string]tot{}
	add := func(m map[string]tot, u string, v decimal.Decimal) {
		x := m[u]
		m[u] = tot{x.v.Add(v), x.n.Add(decimal.NewFromInt(1))}
	}
	for _, f := range facts {
		require.Empty(t, f.Credits, "the recomputation handles facts credited to one unit")
		if f.Retracted || f.Metric != metric || f.Date < start || f.Date >= end {
			continue
		}
		add(own, f.Unit, f.Value)
		// Up the chain of parents each unit had on the fact's day.
		for u, seen := f.Unit, 0; u != "" && seen <= len(units); u, seen = byID[u].ParentAt(f.Date), seen+1 {
			add(tree, u, f.Value)
		}
	}
	ids := map[string]bool{}
	for _, u := range units {
		ids[u.ID] = true
	}
	for _, f := range facts {
		ids[f.Unit] = true
	}
	var qs []storage.Query
	var want []tot
	for id := range ids {
		qs = append(qs, storage.Query{Metric: metric, Unit: id, Start: start, End: end},
			storage.Query{Metric: metric, Unit: id, Subtree: true, Start: start, End: end})
		want = append(want, own[id], tree[id])
	}
	got, err := s.SumMany(ctx, qs)
	require.NoError(t, err)
	for i, qq := range qs {
		require.Truef(t, want[i].v.Equal(got[i].Value) && want[i].n.Equal(got[i].Count),
			"%s (subtree %v): the store says %s over %s facts, the live facts sum to %s over %s",
			qq.Unit, qq.Subtree, got[i].Value, got[i].Count, want[i].v, want[i].n)
	}
}

// sameUnit reports whether two units are equal field by field (Earlier by
// content, nil and empty alike).
func sameUnit(a, b goal.Unit) bool {
	return a.ID == b.ID && a.Parent == b.Parent && a.Kind == b.Kind && a.Name == b.Name &&
		a.ActiveFrom == b.ActiveFrom && a.ActiveUntil == b.ActiveUntil && slices.Equal(a.Earlier, b.Earlier)
}
