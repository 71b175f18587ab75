package kpi

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// A fact counts for the ancestors its unit had on the fact's day
// (goal.Chains), whenever it is ingested, retracted or replaced: rep c moved
// from e2 (east) to w1 (west) on April 1, and e2, a leaf after the move,
// keeps its own series because it had c below it before.
func TestLedgerRollsUpAlongTheOrgOfTheFactsDay(t *testing.T) {
	units := append([]goal.Unit(nil), testUnits...)
	units[8] = goal.Unit{ID: "c", Parent: "w1", Earlier: []goal.Tenure{{Parent: "e2", Until: d(2026, 4, 1)}}}
	org, err := goal.NewOrg(units)
	require.NoError(t, err)
	l, err := NewLedger(LedgerConfig{Org: org, Metrics: testMetrics, Span: period(t, "2026")})
	require.NoError(t, err)
	_, err = l.IngestBatch([]Fact{
		rev("march", "c", d(2026, 3, 31), "10"),
		rev("april", "c", d(2026, 4, 1), "20"),
		rev("e2", "e2", d(2026, 5, 1), "1"),
	}, AllOrNothing)
	require.NoError(t, err)
	for _, tt := range []struct{ unit, label, want string }{
		{"e2", "2026-Q1", "10"}, {"e2", "2026-Q2", "1"}, {"east", "2026", "11"},
		{"w1", "2026-Q1", "0"}, {"w1", "2026-Q2", "20"}, {"west", "2026", "20"}, {"co", "2026", "31"},
	} {
		requireDec(t, tt.want, actual(t, l, "revenue", tt.unit, tt.label, Subtree), tt.unit+" "+tt.label)
	}
	requireDec(t, "1", actual(t, l, "revenue", "e2", "2026", Own))

	require.NoError(t, l.Replace(rev("march", "c", d(2026, 4, 2), "10")))
	requireDec(t, "1", actual(t, l, "revenue", "east", "2026", Subtree))
	requireDec(t, "30", actual(t, l, "revenue", "west", "2026", Subtree))
	require.NoError(t, l.Retract("april"))
	require.NoError(t, l.Retract("march"))
	requireDec(t, "0", actual(t, l, "revenue", "west", "2026", Subtree))
	requireDec(t, "1", actual(t, l, "revenue", "co", "2026", Subtree))
}
