package alert

import (
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/goal"
)

// Selection chooses the goals a rule applies to, so that each rule runs with
// its own parameters where it fits: pace on monthly revenue, a projected miss
// only on quarters, pace with count dispersion on weekly visits. Each
// dimension left empty selects every goal; a dimension listed selects the
// goals with one of its values, and a goal must pass every dimension listed.
// The zero Selection selects every goal.
//
// Precedence: when several selections of the same rule match a goal, the most
// specific wins. A selection naming units is more specific than any that does
// not; then one naming levels, then plans, then grains, then metrics (Rank).
// Two selections of one rule that name the same dimensions and can match the
// same goal are ambiguous, and Overlap reports them.
type Selection struct {
	// Metrics are metric keys ("revenue", "visits").
	Metrics []string
	// Grains are the grains of the goal's period (goal.Week, goal.Month,
	// goal.Quarter, goal.Year, ...).
	Grains []goal.Grain
	// Plans are plan IDs.
	Plans []string
	// Levels are unit levels: the Kind of the goal's unit in the org
	// ("company", "team", "rep").
	Levels []string
	// Units are unit IDs.
	Units []string
}

// Subject is what a Selection is matched against: one goal of one plan.
type Subject struct {
	Metric string
	Grain  goal.Grain
	Plan   string
	// Level is the Kind of Unit in the org ("" when the org says none).
	Level string
	Unit  string
}

// Matches reports whether s selects x.
func (s Selection) Matches(x Subject) bool {
	return in(s.Metrics, x.Metric) && in(s.Grains, x.Grain) && in(s.Plans, x.Plan) &&
		in(s.Levels, x.Level) && in(s.Units, x.Unit)
}

// in reports whether an empty dimension or one listing v.
func in[T comparable](list []T, v T) bool { return len(list) == 0 || slices.Contains(list, v) }

// UsesLevels reports whether s selects by unit level, so that a caller
// needs to look up the level of each goal's unit.
func (s Selection) UsesLevels() bool { return len(s.Levels) > 0 }

// Rank orders selections by specificity: a bit per dimension named, units
// highest, then levels, plans, grains and metrics. The higher rank wins.
func (s Selection) Rank() int {
	r := 0
	for i, n := range []int{len(s.Metrics), len(s.Grains), len(s.Plans), len(s.Levels), len(s.Units)} {
		if n > 0 {
			r |= 1 << i
		}
	}
	return r
}

// Validate checks that every listed value can match a goal: no empty metric,
// plan, level or unit, and only the grains of goal periods (day, week,
// month, quarter, half, year). The error is a *ValidationError matching
// ErrInvalid.
func (s Selection) Validate() error {
	for _, g := range s.Grains {
		if g <= goal.Range || g > goal.Year {
			return invalid("Selection.Grains", "unknown grain %s; use goal.Day, goal.Week, goal.Month, goal.Quarter, goal.Half or goal.Year", g)
		}
	}
	for _, d := range []struct {
		field string
		list  []string
	}{{"Selection.Metrics", s.Metrics}, {"Selection.Plans", s.Plans}, {"Selection.Levels", s.Levels}, {"Selection.Units", s.Units}} {
		if slices.Contains(d.list, "") {
			return invalid(d.field, "an empty value matches no goal; remove it, or leave the list empty to select every goal")
		}
	}
	return nil
}

// Overlap checks a rule's selections for ambiguity: it returns a
// *ValidationError matching ErrInvalid naming the first two that name the
// same dimensions (equal Rank) and share a value in each of them, since
// neither is more specific than the other for the goals they both match.
func Overlap(rule string, sels []Selection) error {
	for i := range sels {
		for j := i + 1; j < len(sels); j++ {
			a, b := sels[i], sels[j]
			if a.Rank() == b.Rank() && meet(a.Metrics, b.Metrics) && meet(a.Grains, b.Grains) &&
				meet(a.Plans, b.Plans) && meet(a.Levels, b.Levels) && meet(a.Units, b.Units) {
				return invalid(fmt.Sprintf("%s selections %d and %d", rule, i, j),
					"both can select the same goal and neither is more specific (the most specific wins: units, then levels, plans, grains, metrics); make their values disjoint or name one more dimension in one of them")
			}
		}
	}
	return nil
}

// meet reports whether two dimensions can both pass one goal: either is
// empty, or they share a value.
func meet[T comparable](a, b []T) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, v := range a {
		if slices.Contains(b, v) {
			return true
		}
	}
	return false
}
