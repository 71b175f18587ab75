package kpi

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

func TestRatiosRecomputeFromParts(t *testing.T) {
	l := newTestLedger(t)
	// "calls" stands for closed deals and "hours" is unused; revenue facts
	// are won deals. Rep a: 1 won of 1 closed; rep b: 1 won of 9.
	var facts []Fact
	facts = append(facts, rev("w1", "a", d(2026, 3, 1), "1000"), rev("w2", "b", d(2026, 3, 2), "3000"))
	facts = append(facts, Fact{Key: "c-a", Metric: "calls", Unit: "a", Date: d(2026, 3, 1), Value: dec("1")})
	facts = append(facts, Fact{Key: "c-b", Metric: "calls", Unit: "b", Date: d(2026, 3, 1), Value: dec("9")})
	ingestAll(t, l, facts)
	y := period(t, "2026")
	winRate := Ratio(Count("revenue"), Sum("calls"))
	for _, c := range []struct{ unit, want string }{{"a", "1"}, {"b", "0.111111"}, {"e1", "0.2"}, {"co", "0.2"}, {"west", ""}} {
		v, err := l.Value(winRate, c.unit, y, Subtree)
		require.NoError(t, err)
		requireNull(t, c.want, v, "win rate "+c.unit)
	}
	size := Average("revenue")
	v, err := l.Value(size, "e1", y, Subtree)
	require.NoError(t, err)
	requireNull(t, "2000", v, "deal size e1") // 4000 ÷ 2, not the mean of reps' averages
	// A split deal counts its share at each rep and once for the team.
	_, err = l.Ingest(Fact{Key: "w3", Metric: "revenue", Date: d(2026, 3, 3), Value: dec("500"), Credits: []Credit{{"a", dec("0.5")}, {"b", dec("0.5")}}})
	require.NoError(t, err)
	for _, c := range []struct{ unit, want string }{{"a", "833.333333"}, {"b", "2166.666667"}, {"e1", "1500"}} {
		v, err := l.Value(size, c.unit, y, Subtree)
		require.NoError(t, err)
		requireNull(t, c.want, v, "deal size "+c.unit)
	}
	sum, err := l.Value(Sum("revenue"), "e1", y, Own)
	require.NoError(t, err)
	requireNull(t, "0", sum, "own")
	custom := winRate
	custom.Places = 2
	v, err = l.Value(custom, "b", y, Subtree)
	require.NoError(t, err)
	requireNull(t, "0.17", v, "2 places") // 1.5 ÷ 9
}

func TestKPIValidate(t *testing.T) {
	bad := []KPI{
		{Key: "x"},
		{Key: "x", Op: OpSum},
		{Key: "x", Op: OpRatio, Num: &KPI{Op: OpSum, Metric: "m"}},
		{Key: "x", Op: OpRatio, Num: &KPI{Op: OpSum, Metric: "m"}, Den: &KPI{Op: 7}},
		{Key: "x", Op: OpRatio, Num: &KPI{Op: OpSum, Metric: "m"}, Den: &KPI{Op: OpSum, Metric: "m"}, Places: 19},
	}
	for _, k := range bad {
		require.ErrorIs(t, k.Validate(), ErrInvalid, "%+v", k)
	}
	deep := Sum("m")
	for i := 0; i < 20; i++ {
		deep = Ratio(deep, Sum("m"))
	}
	require.ErrorIs(t, deep.Validate(), ErrInvalid)
	require.NoError(t, Average("m").Validate())
	l := newTestLedger(t)
	_, err := l.Value(Sum("visits"), "co", period(t, "2026"), Subtree)
	require.ErrorIs(t, err, ErrNotFound)
	_, err = l.Value(KPI{}, "co", period(t, "2026"), Subtree)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestCompare(t *testing.T) {
	tests := []struct{ now, before, delta, rate string }{
		{"125", "100", "25", "0.25"},
		{"50", "100", "-50", "-0.5"},
		{"10", "0", "10", ""}, // zero base: undefined
		{"0", "0", "0", ""},
		{"-50", "-100", "50", "0.5"}, // a loss shrinking is growth
		{"", "100", "", ""},
		{"1", "3", "-2", "-0.666667"},
	}
	for _, tt := range tests {
		c := Compare(nd(tt.now), nd(tt.before))
		requireNull(t, tt.delta, c.Delta, "delta "+tt.now+" vs "+tt.before)
		requireNull(t, tt.rate, c.Rate, "rate "+tt.now+" vs "+tt.before)
	}
}

func TestYearAgo(t *testing.T) {
	cal := testCal(t)
	tests := []struct{ label, want string }{
		{"2026", "2025"}, {"2026-Q3", "2025-Q3"}, {"2026-03", "2025-03"}, {"2026-H2", "2025-H2"},
		{"2028-02-29", "2027-02-28"}, {"2026-07-04", "2025-07-04"},
		{"2026-W10", "2025-W10"}, {"2026-W01", "2025-W01"},
		{"[2026-03-05,2026-03-20)", "[2025-03-05,2025-03-20)"},
	}
	for _, tt := range tests {
		p, err := cal.Parse(tt.label)
		require.NoError(t, err, tt.label)
		got, err := YearAgo(cal, p)
		require.NoError(t, err)
		require.Equal(t, tt.want, got.Label, tt.label)
		require.Equal(t, p.Days(), got.Days(), tt.label)
	}
}

func TestYoYAndMoM(t *testing.T) {
	org, err := goal.NewOrg(testUnits)
	require.NoError(t, err)
	cal := testCal(t)
	span, err := goal.NewRange(d(2025, 1, 1), d(2027, 1, 1))
	require.NoError(t, err)
	l, err := NewLedger(LedgerConfig{Org: org, Metrics: testMetrics, Span: span})
	require.NoError(t, err)
	ingestAll(t, l, []Fact{
		rev("1", "a", d(2025, 3, 10), "100"), rev("2", "a", d(2026, 2, 10), "80"), rev("3", "b", d(2026, 3, 31), "150"),
	})
	c, err := l.YoY(Sum("revenue"), "e1", cal, period(t, "2026-03"), Subtree)
	require.NoError(t, err)
	require.Equal(t, "2025-03", c.Previous.Label)
	requireNull(t, "0.5", c.Rate, "yoy")
	c, err = l.MoM(Sum("revenue"), "e1", cal, period(t, "2026-03"), Subtree)
	require.NoError(t, err)
	require.Equal(t, "2026-02", c.Previous.Label)
	requireNull(t, "0.875", c.Rate, "mom")
	c, err = l.MoM(Sum("revenue"), "e1", cal, period(t, "2026-02"), Subtree)
	require.NoError(t, err)
	requireNull(t, "80", c.Delta, "mom from zero")
	requireNull(t, "", c.Rate, "mom from zero")
	_, err = l.YoY(Sum("revenue"), "e1", cal, period(t, "2025-03"), Subtree)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestRank(t *testing.T) {
	scores := []Score{
		{"d", nd("5")}, {"b", nd("7")}, {"c", nd("7")}, {"x", nd("")}, {"a", nd("9")}, {"e", nd("7.00")}, {"f", nd("1")}, {"w", nd("")},
	}
	got := Rank(scores, goal.HigherIsBetter)
	var units []string
	var ranks []int
	for _, r := range got {
		units = append(units, r.Unit)
		ranks = append(ranks, r.Rank)
	}
	require.Equal(t, []string{"a", "b", "c", "e", "d", "f", "w", "x"}, units)
	require.Equal(t, []int{1, 2, 2, 2, 5, 6, 0, 0}, ranks)

	got = Rank(scores, goal.LowerIsBetter)
	units, ranks = nil, nil
	for _, r := range got {
		units = append(units, r.Unit)
		ranks = append(ranks, r.Rank)
	}
	require.Equal(t, []string{"f", "d", "b", "c", "e", "a", "w", "x"}, units)
	require.Equal(t, []int{1, 2, 3, 3, 3, 6, 0, 0}, ranks)

	// Input order does not matter.
	rev := make([]Score, len(scores))
	for i := range scores {
		rev[i] = scores[len(scores)-1-i]
	}
	require.Equal(t, Rank(scores, goal.HigherIsBetter), Rank(rev, goal.HigherIsBetter))
	require.Empty(t, Rank(nil, goal.HigherIsBetter))
}

func TestLeaderboard(t *testing.T) {
	l := newTestLedger(t)
	ingestAll(t, l, []Fact{
		rev("1", "a", d(2026, 3, 1), "100"), rev("2", "b", d(2026, 3, 1), "300"), rev("3", "c", d(2026, 3, 1), "100"),
	})
	board, err := l.Leaderboard(Sum("revenue"), []string{"c", "d", "a", "b"}, period(t, "2026-03"), Subtree)
	require.NoError(t, err)
	require.Equal(t, "b", board[0].Unit)
	require.Equal(t, []int{1, 2, 2, 4}, []int{board[0].Rank, board[1].Rank, board[2].Rank, board[3].Rank})
	require.Equal(t, []string{"b", "a", "c", "d"}, []string{board[0].Unit, board[1].Unit, board[2].Unit, board[3].Unit})
	_, err = l.Leaderboard(Sum("revenue"), []string{"zed"}, period(t, "2026-03"), Subtree)
	require.ErrorIs(t, err, ErrNotFound)
}
