// Package orgtest makes random orgs with effective-dated moves for property
// tests, and computes ancestors the slow, obvious way (one Unit.ParentAt at
// a time) for those tests to compare the roll-up paths against.
package orgtest

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// Moved returns n units forming a valid org (goal.NewOrg accepts it) over
// the days [start, end): unit i is "u<i>", its parent on every day a unit
// of smaller index (or none), so the org is a forest on every day; about
// half the units moved once or twice within the days, some of them from or
// to no parent at all.
func Moved(r *rand.Rand, n int, start, end date.Date) []goal.Unit {
	parent := func(i int) string {
		if i == 0 || r.IntN(6) == 0 {
			return ""
		}
		return ID(r.IntN(i))
	}
	units := make([]goal.Unit, n)
	for i := range units {
		units[i] = goal.Unit{ID: ID(i), Parent: parent(i)}
		if i == 0 || r.IntN(2) == 0 {
			continue
		}
		var untils []date.Date
		for range 1 + r.IntN(2) {
			untils = append(untils, start+date.Date(1+r.IntN(int(end-start)-1)))
		}
		slices.Sort(untils)
		for _, u := range slices.Compact(untils) {
			units[i].Earlier = append(units[i].Earlier, goal.Tenure{Parent: parent(i), Until: u})
		}
	}
	return units
}

// ID is the ID of unit i of Moved.
func ID(i int) string { return fmt.Sprintf("u%d", i) }

// Ancestors returns the unit's proper ancestors on day d, nearest first,
// following each unit's ParentAt(d) through units, which must be a valid
// org.
func Ancestors(units []goal.Unit, id string, d date.Date) []string {
	byID := make(map[string]goal.Unit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	var out []string
	for p := byID[id].ParentAt(d); p != ""; p = byID[p].ParentAt(d) {
		out = append(out, p)
	}
	return out
}
