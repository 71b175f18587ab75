package goal_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/orgtest"
)

// Over random orgs with effective-dated moves, Chains gives on every day
// the ancestors one Unit.ParentAt at a time gives, by ID and by index; a
// unit is Dated exactly when its ancestors differ between two days, and
// Internal exactly when it is a parent on some day. Org.AncestorsAt says
// the same.
func TestChainsFollowParentAt(t *testing.T) {
	start := date.New(2026, time.January, 1)
	end := start + 40
	r := rand.New(rand.NewPCG(10, 1))
	for range 300 {
		units := orgtest.Moved(r, 1+r.IntN(25), start, end)
		org, err := goal.NewOrg(units)
		require.NoError(t, err)
		c := org.Chains()
		require.Equal(t, len(units), c.Len())
		for i, u := range units {
			idx, ok := c.Index(u.ID)
			require.True(t, ok)
			require.Equal(t, int32(i), idx)
			var seen [][]string
			for d := start - 1; d <= end; d++ {
				want := orgtest.Ancestors(units, u.ID, d)
				got := c.AncestorIDs(idx, d)
				require.Equal(t, want, nilIfEmpty(got), "%s on %s", u.ID, d)
				byIndex := []string{}
				for _, a := range c.Ancestors(idx, d) {
					byIndex = append(byIndex, units[a].ID)
				}
				require.Equal(t, want, nilIfEmpty(byIndex))
				fromOrg, err := org.AncestorsAt(u.ID, d)
				require.NoError(t, err)
				require.Equal(t, want, nilIfEmpty(unitIDs(fromOrg)))
				if !slices.ContainsFunc(seen, func(s []string) bool { return slices.Equal(s, want) }) {
					seen = append(seen, want)
				}
			}
			require.Equal(t, len(seen) > 1, c.Dated(idx), "%s: %v", u.ID, seen)
			parent := slices.ContainsFunc(units, func(v goal.Unit) bool {
				return v.Parent == u.ID || slices.ContainsFunc(v.Earlier, func(e goal.Tenure) bool { return e.Parent == u.ID })
			})
			require.Equal(t, parent, c.Internal(idx), u.ID)
		}
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// Ancestors returns the same slice on every day of an era and allocates
// nothing, so a roll-up can call it once a fact.
func TestChainsShareSlices(t *testing.T) {
	day := func(m, d int) date.Date { return date.New(2026, time.Month(m), d) }
	c, err := goal.NewChains([]goal.Unit{
		{ID: "co"},
		{ID: "north", Parent: "co"},
		{ID: "south", Parent: "co"},
		{ID: "bo", Parent: "south", Earlier: []goal.Tenure{{Parent: "north", Until: day(3, 1)}}},
	})
	require.NoError(t, err)
	jan, feb, mar := c.Ancestors(3, day(1, 5)), c.Ancestors(3, day(2, 28)), c.Ancestors(3, day(3, 1))
	require.Same(t, &jan[0], &feb[0])
	require.Equal(t, []int32{2, 0}, mar)
	require.Same(t, &c.Ancestors(1, day(1, 1))[0], &c.Ancestors(1, day(12, 31))[0], "an undated chain is one slice")
	require.Zero(t, testing.AllocsPerRun(100, func() { c.Ancestors(3, day(2, 1)) }))
	require.Nil(t, c.Ancestors(0, day(1, 1)), "a root")
	require.Nil(t, c.Ancestors(4, day(1, 1)), "out of range")
	require.Nil(t, c.Ancestors(-1, day(1, 1)), "out of range")
	require.False(t, c.Dated(4))
	require.False(t, c.Internal(-1))
}

// NewChains takes a subset of an org as a store loads it: a parent not
// among the units ends a chain, a cycle is cut where it closes. Empty and
// duplicate IDs and chains deeper than MaxDepth are invalid.
func TestChainsTolerateWhatStoresLoad(t *testing.T) {
	c, err := goal.NewChains([]goal.Unit{
		{ID: "team", Parent: "gone"},
		{ID: "rep", Parent: "team"},
		{ID: "a", Parent: "b"},
		{ID: "b", Parent: "a"},
	})
	require.NoError(t, err)
	require.Equal(t, []string{"team"}, c.AncestorIDs(1, 0))
	require.Nil(t, c.AncestorIDs(0, 0))
	require.Equal(t, []string{"b"}, c.AncestorIDs(2, 0))
	require.Equal(t, []string{"a"}, c.AncestorIDs(3, 0))

	for name, units := range map[string][]goal.Unit{
		"empty ID":  {{ID: "a"}, {ID: ""}},
		"duplicate": {{ID: "a"}, {ID: "a"}},
	} {
		_, err := goal.NewChains(units)
		require.ErrorIs(t, err, goal.ErrInvalid, name)
	}
	deep := make([]goal.Unit, goal.MaxDepth+2)
	for i := range deep {
		deep[i].ID = fmt.Sprint(i)
		if i > 0 {
			deep[i].Parent = fmt.Sprint(i - 1)
		}
	}
	_, err = goal.NewChains(deep[:goal.MaxDepth+1])
	require.NoError(t, err)
	_, err = goal.NewChains(deep)
	require.ErrorIs(t, err, goal.ErrInvalid)
	require.ErrorContains(t, err, "MaxDepth")
	// Too deep only before a move.
	moved := slices.Clone(deep)
	moved[len(moved)-1].Parent = ""
	moved[len(moved)-1].Earlier = []goal.Tenure{{Parent: fmt.Sprint(goal.MaxDepth), Until: 100}}
	_, err = goal.NewChains(moved)
	require.ErrorIs(t, err, goal.ErrInvalid)
}
