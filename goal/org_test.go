package goal_test

import (
	"fmt"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
)

// testOrg is company → {east → {e1, e2 → {e2a}}, west → {w1}}, listed with
// some children before their parents.
func testOrg(t testing.TB) *goal.Org {
	t.Helper()
	o, err := goal.NewOrg([]goal.Unit{
		{ID: "e2a", Parent: "e2", Kind: "rep"},
		{ID: "co", Kind: "company"},
		{ID: "east", Parent: "co", Kind: "region"},
		{ID: "e1", Parent: "east", Kind: "rep"},
		{ID: "e2", Parent: "east", Kind: "team"},
		{ID: "w1", Parent: "west", Kind: "rep"},
		{ID: "west", Parent: "co", Kind: "region"},
	})
	require.NoError(t, err)
	return o
}

func unitIDs(units []goal.Unit) []string {
	out := []string{}
	for _, u := range units {
		out = append(out, u.ID)
	}
	return out
}

func TestNewOrgRejects(t *testing.T) {
	tests := []struct {
		name   string
		units  []goal.Unit
		id     string // the unit the error must name
		reason string
	}{
		{"empty ID", []goal.Unit{{ID: "co"}, {ID: "", Parent: "co"}}, "#1", "the ID is empty"},
		{"duplicate ID", []goal.Unit{{ID: "co"}, {ID: "r1", Parent: "co"}, {ID: "r1", Parent: "co"}}, "r1", "appears twice"},
		{"unknown parent", []goal.Unit{{ID: "co"}, {ID: "r1", Parent: "cp"}}, "r1", `parent "cp" is not among the units`},
		{"self-parent", []goal.Unit{{ID: "co"}, {ID: "r1", Parent: "r1"}}, "r1", "parent chain r1 → r1"},
		{"2-cycle", []goal.Unit{{ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}}, "a", "parent chain a → b → a"},
		{"3-cycle", []goal.Unit{{ID: "co"}, {ID: "x", Parent: "z"}, {ID: "y", Parent: "x"}, {ID: "z", Parent: "y"}}, "x", "parent chain x → z → y → x"},
		// A unit hanging below a cycle is not itself on it: name one that is.
		{"below a cycle", []goal.Unit{{ID: "leaf", Parent: "a"}, {ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}}, "a", "parent chain a → b → a"},
		{"inverted active range", []goal.Unit{{ID: "r1", ActiveFrom: ymd("2026-07-01"), ActiveUntil: ymd("2026-03-01")}}, "r1", "ActiveUntil 2026-03-01 is not after ActiveFrom 2026-07-01"},
		{"empty active range", []goal.Unit{{ID: "r1", ActiveFrom: ymd("2026-07-01"), ActiveUntil: ymd("2026-07-01")}}, "r1", "is not after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := goal.NewOrg(tc.units)
			require.Nil(t, o)
			ve := requireInvalid(t, err, "unit", tc.reason, fmt.Sprintf("%q", tc.id))
			require.Equal(t, tc.id, ve.Value)
		})
	}
}

func TestNewOrgAcceptsEmptyAndCopies(t *testing.T) {
	o, err := goal.NewOrg(nil)
	require.NoError(t, err)
	require.Equal(t, 0, o.Len())
	require.Empty(t, o.Roots())

	units := []goal.Unit{{ID: "co", Name: "ACME"}}
	o, err = goal.NewOrg(units)
	require.NoError(t, err)
	units[0].Name = "changed"
	require.Equal(t, "ACME", o.At(0).Name)
	all := o.Units()
	all[0].Name = "changed"
	require.Equal(t, "ACME", o.At(0).Name)
}

func TestOrgTraversal(t *testing.T) {
	o := testOrg(t)
	require.Equal(t, 7, o.Len())
	require.Equal(t, []string{"co"}, unitIDs(o.Roots()))

	tests := []struct {
		id                                string
		children, ancestors, desc, leaves []string
	}{
		{"co", []string{"east", "west"}, []string{}, []string{"east", "e1", "e2", "e2a", "west", "w1"}, []string{"e1", "e2a", "w1"}},
		{"east", []string{"e1", "e2"}, []string{"co"}, []string{"e1", "e2", "e2a"}, []string{"e1", "e2a"}},
		{"e2", []string{"e2a"}, []string{"east", "co"}, []string{"e2a"}, []string{"e2a"}},
		{"e2a", []string{}, []string{"e2", "east", "co"}, []string{}, []string{"e2a"}},
		{"west", []string{"w1"}, []string{"co"}, []string{"w1"}, []string{"w1"}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			children, err := o.Children(tc.id)
			require.NoError(t, err)
			require.Equal(t, tc.children, unitIDs(children))
			ancestors, err := o.Ancestors(tc.id)
			require.NoError(t, err)
			require.Equal(t, tc.ancestors, unitIDs(ancestors))
			desc, err := o.Descendants(tc.id)
			require.NoError(t, err)
			require.Equal(t, tc.desc, unitIDs(desc))
			leaves, err := o.Leaves(tc.id)
			require.NoError(t, err)
			require.Equal(t, tc.leaves, unitIDs(leaves))

			i, ok := o.Index(tc.id)
			require.True(t, ok)
			require.Equal(t, tc.id, o.At(i).ID)
			require.Equal(t, len(tc.ancestors), o.Depth(i))
			if len(tc.ancestors) == 0 {
				require.Equal(t, -1, o.ParentIndex(i))
			} else {
				require.Equal(t, tc.ancestors[0], o.At(o.ParentIndex(i)).ID)
			}
			u, err := o.Unit(tc.id)
			require.NoError(t, err)
			require.Equal(t, o.At(i), u)
		})
	}
	// Indexes follow the input order.
	for i, id := range []string{"e2a", "co", "east", "e1", "e2", "w1", "west"} {
		j, ok := o.Index(id)
		require.True(t, ok)
		require.Equal(t, i, j)
	}

	require.True(t, o.IsAncestor("co", "e2a"))
	require.True(t, o.IsAncestor("east", "e2a"))
	require.True(t, o.IsAncestor("e2", "e2a"))
	require.False(t, o.IsAncestor("e2a", "e2a"), "a unit is not its own proper ancestor")
	require.False(t, o.IsAncestor("west", "e2a"))
	require.False(t, o.IsAncestor("e2a", "co"))
	require.False(t, o.IsAncestor("nobody", "co"))
	require.False(t, o.IsAncestor("co", "nobody"))
}

func TestOrgUnknownUnit(t *testing.T) {
	o := testOrg(t)
	_, ok := o.Index("nobody")
	require.False(t, ok)
	calls := map[string]func() error{
		"Unit":        func() error { _, err := o.Unit("nobody"); return err },
		"Children":    func() error { _, err := o.Children("nobody"); return err },
		"Ancestors":   func() error { _, err := o.Ancestors("nobody"); return err },
		"Descendants": func() error { _, err := o.Descendants("nobody"); return err },
		"Leaves":      func() error { _, err := o.Leaves("nobody"); return err },
	}
	for name, call := range calls {
		err := call()
		require.ErrorIs(t, err, goal.ErrNotFound, name)
		require.Contains(t, err.Error(), `"nobody"`, name)
	}
}

func TestOrgForestAndDeterminism(t *testing.T) {
	units := []goal.Unit{{ID: "b"}, {ID: "a"}, {ID: "b1", Parent: "b"}, {ID: "a2", Parent: "a"}, {ID: "a1", Parent: "a"}}
	for range 20 {
		o, err := goal.NewOrg(units)
		require.NoError(t, err)
		require.Equal(t, []string{"b", "a"}, unitIDs(o.Roots()))
		kids, _ := o.Children("a")
		require.Equal(t, []string{"a2", "a1"}, unitIDs(kids))
		leaves, _ := o.Leaves("a")
		require.Equal(t, []string{"a2", "a1"}, unitIDs(leaves))
	}
}

func chain(n int) []goal.Unit {
	units := make([]goal.Unit, n)
	for i := range units {
		units[i].ID = fmt.Sprint(i)
		if i > 0 {
			units[i].Parent = fmt.Sprint(i - 1)
		}
	}
	return units
}

// The deepest org allowed is walked; a deeper one (the 10,000-level
// chain cost 1.7 GB in SetOrg) is refused with an error naming the first
// unit too deep and the limit.
func TestOrgDepthLimit(t *testing.T) {
	n := goal.MaxDepth + 1
	o, err := goal.NewOrg(chain(n))
	require.NoError(t, err)
	desc, err := o.Descendants("0")
	require.NoError(t, err)
	require.Len(t, desc, n-1)
	leaves, err := o.Leaves("0")
	require.NoError(t, err)
	require.Equal(t, []string{fmt.Sprint(n - 1)}, unitIDs(leaves))
	require.Equal(t, n-1, o.Depth(n-1))

	for _, n := range []int{goal.MaxDepth + 2, 20_000} {
		_, err = goal.NewOrg(chain(n))
		var ve *goal.ValidationError
		require.ErrorAs(t, err, &ve)
		require.ErrorIs(t, err, goal.ErrInvalid)
		require.Equal(t, fmt.Sprint(goal.MaxDepth+1), ve.Value)
		require.Contains(t, err.Error(), "at most goal.MaxDepth = 64 levels")
	}
}

func TestUnitActiveDays(t *testing.T) {
	y0, y1 := ymd("2026-01-01"), ymd("2027-01-01")
	tests := []struct {
		name        string
		from, until date.Date
		want        int
	}{
		{"always active", 0, 0, 365},
		{"joins 1 July", ymd("2026-07-01"), 0, 184},
		{"leaves 1 April", 0, ymd("2026-04-01"), 90},
		{"joins 1 March, leaves 1 June", ymd("2026-03-01"), ymd("2026-06-01"), 92},
		{"joined before the year", ymd("2020-05-05"), 0, 365},
		{"left before the year", 0, ymd("2025-12-31"), 0},
		{"joins after the year", ymd("2027-02-01"), 0, 0},
		{"leaves on the first day of the year", 0, ymd("2026-01-01"), 0},
		{"leaves on the year's end", 0, ymd("2027-01-01"), 365},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := goal.Unit{ID: "r", ActiveFrom: tc.from, ActiveUntil: tc.until}
			require.Equal(t, tc.want, u.ActiveDays(y0, y1))
		})
	}
	require.Equal(t, 0, goal.Unit{}.ActiveDays(y1, y0))
}
