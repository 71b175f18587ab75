package rollup_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A host's own store keeps own buckets (here a map from rollup.Deltas) and
// answers SumMany with the shared core: segments, roll-up along the org as
// it was on each day, answers. Rep "bo" moved from team "north" to "south"
// on March 1, so the teams split his facts by date.
func Example_hostStore() {
	day := func(m, d int) date.Date { return date.New(2026, time.Month(m), d) }
	units := []goal.Unit{
		{ID: "co"},
		{ID: "north", Parent: "co"},
		{ID: "south", Parent: "co"},
		{ID: "ana", Parent: "north"},
		{ID: "bo", Parent: "south", Earlier: []goal.Tenure{{Parent: "north", Until: day(3, 1)}}},
	}
	facts := []kpi.Fact{
		{Key: "1", Metric: "revenue", Unit: "ana", Date: day(1, 10), Value: decimal.RequireFromString("100")},
		{Key: "2", Metric: "revenue", Unit: "bo", Date: day(2, 10), Value: decimal.RequireFromString("40")},
		{Key: "3", Metric: "revenue", Unit: "bo", Date: day(3, 10), Value: decimal.RequireFromString("60.5")},
	}

	// Ingest: each fact's parts become own bucket deltas, one per cell.
	buckets := rollup.Deltas{}
	for _, f := range facts {
		parts, err := storage.Split(f)
		if err != nil {
			fmt.Println(err)
			return
		}
		buckets.AddFact(f.Metric, f.Date, parts, +1)
	}

	// SumMany: Q1 for both teams and the company, and bo's own total.
	q1 := func(unit string, subtree bool) storage.Query {
		return storage.Query{Metric: "revenue", Unit: unit, Subtree: subtree, Start: day(1, 1), End: day(4, 1)}
	}
	qs := []storage.Query{q1("north", true), q1("south", true), q1("co", true), q1("bo", false)}
	subtrees := map[string]bool{"north": true, "south": true, "co": true}
	org, err := rollup.NewOrg(units, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	read := rollup.Below(units, subtrees) // the units whose own buckets count
	read["bo"] = true
	bounds := rollup.CutAtMoves(rollup.Bounds(qs), units)
	segs := rollup.NewSegments(bounds)
	for _, c := range buckets.Sorted() {
		i := rollup.Segment(bounds, c.Day)
		if !read[c.Unit] || i < 0 {
			continue
		}
		var v, n rollup.Sum
		v.Add(buckets[c].Value)
		n.Add(buckets[c].Count)
		segs.Add(rollup.Series{Scope: rollup.Self, Metric: c.Metric, Unit: c.Unit}, i, v, n)
	}
	segs.RollUp(org, subtrees)
	for k, t := range segs.Answer(qs) {
		fmt.Printf("%s subtree=%t: %s (%s facts)\n", qs[k].Unit, qs[k].Subtree, t.Value, t.Count)
	}
	// Output:
	// north subtree=true: 140 (2 facts)
	// south subtree=true: 60.5 (1 facts)
	// co subtree=true: 200.5 (3 facts)
	// bo subtree=false: 100.5 (2 facts)
}
