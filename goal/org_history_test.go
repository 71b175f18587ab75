package goal_test

import (
	"fmt"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
)

func ancestorsAt(t *testing.T, o *goal.Org, id, day string) []string {
	t.Helper()
	a, err := o.AncestorsAt(id, ymd(day))
	require.NoError(t, err)
	return unitIDs(a)
}

func TestOrgEditsKeepHistory(t *testing.T) {
	o := testOrg(t)
	// e1 moves from east to west on 1 April, then to e2 on 1 July.
	o1, err := o.Apply(goal.MoveUnit("e1", "west", ymd("2026-04-01")))
	require.NoError(t, err)
	o2, err := o1.Apply(goal.MoveUnit("e1", "e2", ymd("2026-07-01")))
	require.NoError(t, err)
	require.Equal(t, []string{"east", "co"}, ancestorsAt(t, o, "e1", "2026-05-01"), "the original org is unchanged")
	require.Equal(t, []string{"east", "co"}, ancestorsAt(t, o2, "e1", "2026-03-31"))
	require.Equal(t, []string{"west", "co"}, ancestorsAt(t, o2, "e1", "2026-04-01"))
	require.Equal(t, []string{"west", "co"}, ancestorsAt(t, o2, "e1", "2026-06-30"))
	require.Equal(t, []string{"e2", "east", "co"}, ancestorsAt(t, o2, "e1", "2026-07-01"))
	u, err := o2.Unit("e1")
	require.NoError(t, err)
	require.Equal(t, "e2", u.Parent, "Parent is today's parent")
	require.Equal(t, []goal.Tenure{{Parent: "east", Until: ymd("2026-04-01")}, {Parent: "west", Until: ymd("2026-07-01")}}, u.Earlier)
	anc, err := o2.Ancestors("e1")
	require.NoError(t, err)
	require.Equal(t, []string{"e2", "east", "co"}, unitIDs(anc))

	// A move dated before a planned one replaces it; moving back merges.
	o3, err := o2.Apply(goal.MoveUnit("e1", "east", ymd("2026-05-01")))
	require.NoError(t, err)
	u, _ = o3.Unit("e1")
	require.Equal(t, []goal.Tenure{{Parent: "east", Until: ymd("2026-04-01")}, {Parent: "west", Until: ymd("2026-05-01")}}, u.Earlier)
	o4, err := o3.Apply(goal.MoveUnit("e1", "east", ymd("2026-04-01")))
	require.NoError(t, err)
	u, _ = o4.Unit("e1")
	require.Nil(t, u.Earlier, "back where it always was")

	// Add and deactivate.
	o5, err := o2.Apply(goal.AddUnit(goal.Unit{ID: "w2", Parent: "west", Kind: "rep"}))
	require.NoError(t, err)
	require.Equal(t, o2.Len()+1, o5.Len())
	o6, err := o5.Apply(goal.DeactivateUnit("w2", ymd("2026-09-01")))
	require.NoError(t, err)
	u, _ = o6.Unit("w2")
	require.Equal(t, ymd("2026-09-01"), u.ActiveUntil)
}

func TestOrgEditsRejected(t *testing.T) {
	o := testOrg(t)
	tests := []struct {
		name string
		edit goal.OrgEdit
		is   error
		msg  string
	}{
		{"zero", goal.OrgEdit{}, goal.ErrInvalid, "zero OrgEdit"},
		{"unknown unit", goal.MoveUnit("nobody", "west", ymd("2026-04-01")), goal.ErrNotFound, "nobody"},
		{"unknown parent", goal.MoveUnit("e1", "nowhere", ymd("2026-04-01")), goal.ErrInvalid, "nowhere"},
		{"below itself", goal.MoveUnit("east", "e2a", ymd("2026-04-01")), goal.ErrInvalid, "its own ancestor"},
		{"own parent", goal.MoveUnit("east", "east", ymd("2026-04-01")), goal.ErrInvalid, "own parent"},
		{"add twice", goal.AddUnit(goal.Unit{ID: "e1", Parent: "west"}), goal.ErrInvalid, "exists"},
		{"add empty", goal.AddUnit(goal.Unit{Parent: "west"}), goal.ErrInvalid, "empty"},
		{"deactivate unknown", goal.DeactivateUnit("nobody", ymd("2026-04-01")), goal.ErrNotFound, "nobody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := o.Apply(tc.edit)
			require.ErrorIs(t, err, tc.is)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

// The tree rules hold on every day: a history that makes a cycle or too
// deep a chain on some past day is refused, naming the day.
func TestNewOrgChecksHistory(t *testing.T) {
	d := ymd("2026-04-01")
	_, err := goal.NewOrg([]goal.Unit{
		{ID: "a", Parent: "", Earlier: []goal.Tenure{{Parent: "b", Until: d}}},
		{ID: "b", Parent: "a"},
	})
	require.ErrorIs(t, err, goal.ErrInvalid)
	require.Contains(t, err.Error(), "on 2026-03-31 it is its own ancestor")

	units := chain(goal.MaxDepth + 1)
	units = append(units, goal.Unit{ID: "x", Parent: "0", Earlier: []goal.Tenure{{Parent: fmt.Sprint(goal.MaxDepth), Until: d}}})
	_, err = goal.NewOrg(units)
	require.ErrorIs(t, err, goal.ErrInvalid)
	require.Contains(t, err.Error(), "on 2026-03-31")

	for _, earlier := range [][]goal.Tenure{
		{{Parent: "a", Until: d}, {Parent: "", Until: d}},
		{{Parent: "ghost", Until: d}},
		{{Parent: "b", Until: d}},
	} {
		_, err = goal.NewOrg([]goal.Unit{{ID: "a"}, {ID: "b", Earlier: earlier}})
		require.ErrorIs(t, err, goal.ErrInvalid, "%v", earlier)
	}
}

func TestUnitParentAt(t *testing.T) {
	u := goal.Unit{ID: "x", Parent: "c", Earlier: []goal.Tenure{{Parent: "a", Until: ymd("2026-02-01")}, {Parent: "", Until: ymd("2026-03-01")}}}
	for day, want := range map[string]string{"2026-01-31": "a", "2026-02-01": "", "2026-02-28": "", "2026-03-01": "c"} {
		require.Equal(t, want, u.ParentAt(ymd(day)), day)
	}
	var _ date.Date = ymd("2026-01-01")
}
