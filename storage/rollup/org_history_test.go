package rollup

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// history: bo moved from north to south on March 1; cy has always been
// under south.
func history() []goal.Unit {
	return []goal.Unit{
		{ID: "co"},
		{ID: "north", Parent: "co"},
		{ID: "south", Parent: "co"},
		{ID: "bo", Parent: "south", Earlier: []goal.Tenure{{Parent: "north", Until: jan(60)}}},
		{ID: "cy", Parent: "south"},
	}
}

// jan returns the n-th day of 2026, Jan 1 being 1.
func jan(n int) date.Date { return date.New(2026, time.January, 1) + date.Date(n-1) }

// Below includes units that were under a root on any day, and their
// descendants, but not the roots.
func TestBelow(t *testing.T) {
	units := history()
	require.Equal(t, map[string]bool{"bo": true}, Below(units, map[string]bool{"north": true}))
	require.Equal(t, map[string]bool{"bo": true, "cy": true}, Below(units, map[string]bool{"south": true}))
	require.Equal(t, map[string]bool{"north": true, "south": true, "bo": true, "cy": true}, Below(units, map[string]bool{"co": true}))
	require.Empty(t, Below(units, map[string]bool{"cy": true}))
}

// CutAtMoves cuts the bounds at a move strictly inside them, and returns
// the bounds unchanged (the same slice) when no move falls inside.
func TestCutAtMoves(t *testing.T) {
	units := history()
	bounds := []date.Date{jan(1), jan(91)}
	require.Equal(t, []date.Date{jan(1), jan(60), jan(91)}, CutAtMoves(bounds, units))
	require.Equal(t, []date.Date{jan(1), jan(91)}, bounds, "the caller's bounds stay as they are")
	for _, b := range [][]date.Date{{jan(60), jan(91)}, {jan(1), jan(60)}, {jan(1), jan(30), jan(45)}} {
		got := CutAtMoves(b, units)
		require.Equal(t, b, got)
		require.Same(t, &b[0], &got[0])
	}
	require.Equal(t, []date.Date{jan(1), jan(60), jan(91)}, CutAtMoves([]date.Date{jan(1), jan(60), jan(91)}, units), "a move on a bound adds no segment")
}

// A unit is dated when it or a unit on its chain has earlier parents.
func TestOrgDated(t *testing.T) {
	units := append(history(), goal.Unit{ID: "di", Parent: "bo"})
	o, err := NewOrg(units, nil)
	require.NoError(t, err)
	for id, want := range map[string]bool{"co": false, "north": false, "south": false, "cy": false, "bo": true, "di": true, "nobody": false} {
		require.Equal(t, want, o.Dated(id), id)
	}
	require.Equal(t, []string{"north", "co"}, o.AncestorsAt("di", jan(1))[1:])
	require.Equal(t, []string{"south", "co"}, o.AncestorsAt("di", jan(60))[1:])
}
