package rollup

import (
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// Below returns the units that are, on some day, under one of roots (the
// roots not included): the units whose own buckets the roots' subtree
// totals sum. O(units × depth).
func Below(units []goal.Unit, roots map[string]bool) map[string]bool {
	out := map[string]bool{}
	for grew := true; grew; {
		grew = false
		for _, u := range units {
			if out[u.ID] {
				continue
			}
			for _, p := range u.Parents() {
				if roots[p] || out[p] {
					out[u.ID], grew = true, true
					break
				}
			}
		}
	}
	return out
}

// CutAtMoves adds to bounds every day within them on which a unit changed
// parent, so the org is the same on every day of each segment.
func CutAtMoves(bounds []date.Date, units []goal.Unit) []date.Date {
	lo, hi := bounds[0], bounds[len(bounds)-1]
	out := slices.Clip(bounds) // appending copies: bounds stays as it is
	for _, u := range units {
		for _, e := range u.Earlier {
			if e.Until > lo && e.Until < hi {
				out = append(out, e.Until)
			}
		}
	}
	if len(out) == len(bounds) {
		return bounds
	}
	slices.Sort(out)
	return slices.Compact(out)
}
