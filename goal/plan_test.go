package goal_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
)

var revenue = goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}

func amount(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func planGoal(id, parent, target string) goal.Goal {
	return goal.Goal{ID: id, Parent: parent, Metric: "revenue", Unit: id, Target: amount(target)}
}

// testPlan is co 1000.00 → {east 600.00 → {e1 250.00, e2 350.00}, west 400.00}.
func testPlan(t testing.TB) *goal.Plan {
	t.Helper()
	p, err := goal.NewPlan("p1", revenue, []goal.Goal{
		planGoal("co", "", "1000.00"),
		planGoal("east", "co", "600.00"),
		planGoal("west", "co", "400"),
		planGoal("e1", "east", "250.00"),
		planGoal("e2", "east", "350.000"),
	})
	require.NoError(t, err)
	return p
}

func TestNewPlanRejects(t *testing.T) {
	other := planGoal("east", "co", "600")
	other.Metric = "calls"
	tests := []struct {
		name   string
		goals  []goal.Goal
		id     string
		reason string
	}{
		{"empty ID", []goal.Goal{planGoal("co", "", "1"), planGoal("", "co", "1")}, "#1", "the ID is empty"},
		{"duplicate ID", []goal.Goal{planGoal("co", "", "2"), planGoal("east", "co", "1"), planGoal("east", "co", "1")}, "east", "appears twice"},
		{"root with a parent", []goal.Goal{planGoal("co", "x", "1")}, "co", "first goal must be the root"},
		{"second root", []goal.Goal{planGoal("co", "", "1"), planGoal("other", "", "1")}, "other", "only the first goal may be a root"},
		{"parent missing", []goal.Goal{planGoal("co", "", "1"), planGoal("east", "nowhere", "1")}, "east", `parent "nowhere" is not earlier`},
		{"parent after child", []goal.Goal{planGoal("co", "", "1"), planGoal("e1", "east", "1"), planGoal("east", "co", "1")}, "e1", `parent "east" is not earlier`},
		{"own parent", []goal.Goal{planGoal("co", "", "1"), planGoal("east", "east", "1")}, "east", "is not earlier"},
		{"wrong metric", []goal.Goal{planGoal("co", "", "1"), other}, "east", `metric "calls" differs from the plan's "revenue"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := goal.NewPlan("p1", revenue, tc.goals)
			require.Nil(t, p)
			ve := requireInvalid(t, err, "goal", tc.reason)
			require.Equal(t, tc.id, ve.Value)
		})
	}

	p, err := goal.NewPlan("p1", revenue, []goal.Goal{planGoal("co", "", "1"), planGoal("east", "co", "0.125")})
	require.Nil(t, p)
	requireInvalid(t, err, "value", `goal "east"`, "0.125", "allows 2 decimal places")

	p, err = goal.NewPlan("p1", goal.Metric{Key: "revenue", Kind: goal.Amount, Places: 2}, []goal.Goal{planGoal("co", "", "1")})
	require.Nil(t, p)
	requireInvalid(t, err, "metric", "ISO 4217")
}

func TestPlanLookups(t *testing.T) {
	goals := []goal.Goal{planGoal("co", "", "1000.00"), planGoal("east", "co", "1000.00")}
	p, err := goal.NewPlan("p1", revenue, goals)
	require.NoError(t, err)
	goals[0].Target = amount("5") // NewPlan copied the goals
	require.True(t, p.Root().Target.Equal(amount("1000")))

	p = testPlan(t)
	require.Equal(t, "co", p.Root().ID)
	require.Equal(t, []string{"east", "west"}, goalIDs(p.Children("co")))
	require.Equal(t, []string{"e1", "e2"}, goalIDs(p.Children("east")))
	require.Empty(t, p.Children("e1"))
	require.Empty(t, p.Children("nobody"))
	e2, err := p.Goal("e2")
	require.NoError(t, err)
	require.Equal(t, "east", e2.Parent)
	_, err = p.Goal("nobody")
	require.ErrorIs(t, err, goal.ErrNotFound)
	require.Contains(t, err.Error(), `"nobody"`)

	_, err = goal.NewPlan("empty", revenue, nil)
	require.ErrorIs(t, err, goal.ErrInvalid, "a plan needs its root goal")
	require.Equal(t, goal.Goal{}, (&goal.Plan{}).Root())
}

func TestPlanReadsAreSafeAndNeverRebuild(t *testing.T) {
	p, err := goal.NewPlan("p", revenue, []goal.Goal{
		{ID: "root", Metric: "revenue", Target: decimal.NewFromInt(10)},
		{ID: "a", Parent: "root", Metric: "revenue", Target: decimal.NewFromInt(4)},
		{ID: "b", Parent: "root", Metric: "revenue", Target: decimal.NewFromInt(6)},
	})
	require.NoError(t, err)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				_ = p.Children("root")
				_ = p.Check()
				_, _ = p.Goal("b")
			}
		}()
	}
	for range 4 {
		<-done
	}
}

// A plan not built by NewPlan has no index: it is never searched goal by
// goal (a lookup would cost the whole plan), its reads fail loudly instead.
func TestPlanWithoutIndexFailsLoudly(t *testing.T) {
	p := testPlan(t)
	raw := &goal.Plan{ID: "raw", Metric: revenue, Goals: append([]goal.Goal(nil), p.Goals...)}
	raw.Goals = append(raw.Goals, goal.Goal{ID: "c", Parent: "e1", Metric: "revenue", Target: amount("1")})
	for _, q := range []*goal.Plan{raw, {ID: "literal", Metric: revenue, Goals: p.Goals}} {
		_, err := q.Goal("e1")
		requireInvalid(t, err, "plan", "goal.NewPlan")
		requireInvalid(t, q.SetTarget("e1", amount("1")), "plan", "goal.NewPlan")
		require.Empty(t, q.Children("co"))
		require.Nil(t, q.ChildIndexes(0))
		_, ok := q.Index("co")
		require.False(t, ok)
	}
	require.Len(t, raw.Check(), 1, "Check indexes a copy: e1 has a child summing to 1, not 250")

	// Clone indexes an unindexed plan, and shares nothing writable.
	c, err := raw.Clone()
	require.NoError(t, err)
	require.Equal(t, []string{"c"}, goalIDs(c.Children("e1")))
	c2, err := c.Clone()
	require.NoError(t, err)
	require.NoError(t, c2.SetTarget("c", amount("2")))
	g, _ := c.Goal("c")
	requireDec(t, "1", g.Target)
	_, err = (&goal.Plan{ID: "bad", Metric: revenue, Goals: []goal.Goal{planGoal("x", "nowhere", "1")}}).Clone()
	require.ErrorIs(t, err, goal.ErrInvalid)
}

func goalIDs(goals []goal.Goal) []string {
	out := []string{}
	for _, g := range goals {
		out = append(out, g.ID)
	}
	return out
}

func TestPlanCheck(t *testing.T) {
	p := testPlan(t)
	require.Empty(t, p.Check(), "trailing zeros do not break an exact plan")

	// Raise a child: its parent is over-allocated by exactly the raise.
	require.NoError(t, p.SetTarget("e1", amount("250.01")))
	got := p.Check()
	require.Len(t, got, 1)
	require.Equal(t, "east", got[0].Goal)
	requireDec(t, "600", got[0].Target)
	requireDec(t, "600.01", got[0].ChildrenSum)
	requireDec(t, "-0.01", got[0].Unallocated)

	// Lower the root: now the root is over-allocated too, reported in plan order.
	require.NoError(t, p.SetTarget("co", amount("999.99")))
	got = p.Check()
	require.Len(t, got, 2)
	require.Equal(t, "co", got[0].Goal)
	requireDec(t, "-0.01", got[0].Unallocated)
	require.Equal(t, "east", got[1].Goal)

	// Lower a child below the parent: part of the target is unallocated.
	require.NoError(t, p.SetTarget("e1", amount("200")))
	got = p.Check()
	require.Len(t, got, 2)
	requireDec(t, "-0.01", got[0].Unallocated)
	require.Equal(t, "east", got[1].Goal)
	requireDec(t, "550", got[1].ChildrenSum)
	requireDec(t, "50", got[1].Unallocated)

	// Restore: exact again.
	require.NoError(t, p.SetTarget("e1", amount("250")))
	require.NoError(t, p.SetTarget("co", amount("1000")))
	require.Empty(t, p.Check())

	// Large values outside int64 minor units are summed exactly too.
	big, err := goal.NewPlan("big", revenue, []goal.Goal{
		planGoal("co", "", "100000000000000000000.00"),
		planGoal("a", "co", "99999999999999999999.99"),
		planGoal("b", "co", "0.02"),
	})
	require.NoError(t, err)
	got = big.Check()
	require.Len(t, got, 1)
	requireDec(t, "-0.01", got[0].Unallocated)
}

func TestPlanSetTargetRejects(t *testing.T) {
	p := testPlan(t)
	err := p.SetTarget("nobody", amount("1"))
	require.ErrorIs(t, err, goal.ErrNotFound)
	err = p.SetTarget("e1", amount("1.005"))
	requireInvalid(t, err, "value", "1.005", "2 decimal places")
	e1, _ := p.Goal("e1")
	requireDec(t, "250", e1.Target)
	require.Empty(t, p.Check())
}

func TestGoalID(t *testing.T) {
	c := newCal(t, aprilByEnd)
	q, _ := c.Parse("FY2026-Q1")
	require.Equal(t, "revenue/east/FY2026-Q1", goal.GoalID("revenue", "east", q))
}

func requireDec(t testing.TB, want string, got decimal.Decimal) {
	t.Helper()
	require.True(t, amount(want).Equal(got), "want %s, got %s", want, got)
}
