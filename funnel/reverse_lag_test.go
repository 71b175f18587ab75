package funnel

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReverseSpreadsByLagDistribution(t *testing.T) {
	// One stage converting half its deals; a won deal is worth 100.
	// 1,000 in March 2026 = 10 won deals = 20 entries. Half the deals that
	// win do so on the day they enter, half 31 days later: the entries for
	// March wins fall on [1 Mar, 1 Apr) with weight 1 and on [29 Jan, 1 Mar)
	// with weight 1: January 3 days, February 28, March 31, of 62 →
	// 0.97, 9.03 and 10 entries; largest remainder gives January the odd
	// one: 1, 9, 10. The median lag alone would have put them all in one
	// place.
	f := Funnel{Key: "leads", Stages: []Stage{{Key: "lead", Metric: "new_leads"}}, Won: "won", Lost: "lost"}
	m := Model{Funnel: f, Stages: []StageModel{{Advance: dec(t, "0.5"), Win: dec(t, "0.5"), Days: 0,
		Lags: []Lag{{Days: 0, Weight: 1}, {Days: 31, Weight: 1}}}}, AvgWonValue: dec(t, "100"), Currency: "USD"}
	p, err := Reverse(m, []Target{{Unit: "rep1", Period: month(t, "2026-03"), Revenue: dec(t, "1000")}}, nil)
	require.NoError(t, err)
	require.Equal(t, []row{
		{"new_leads", "rep1", "2026-01", 1},
		{"new_leads", "rep1", "2026-02", 9},
		{"new_leads", "rep1", "2026-03", 10},
		{"leads.won", "rep1", "2026-03", 10},
	}, rowsOf(p))

	m.Stages[0].Lags = nil
	p, err = Reverse(m, []Target{{Unit: "rep1", Period: month(t, "2026-03"), Revenue: dec(t, "1000")}}, nil)
	require.NoError(t, err)
	require.Equal(t, []row{{"new_leads", "rep1", "2026-03", 20}, {"leads.won", "rep1", "2026-03", 10}}, rowsOf(p), "without lags: the typical lead of 0 days")
}

func TestPipelineClosesByLagDistribution(t *testing.T) {
	// Lead deals win 10 (weight 1), 30 (1) or 60 (2) days after entering.
	// Entered 1 Jan: as of 5 Jan (4 days in) the weighted median of all
	// lags is 30 → 31 Jan; as of 21 Jan (20 days in) of 30 and 60 it is 60
	// → 2 Mar; as of 12 Mar (70 days in) no lag is left: overdue, so it
	// closes in the as-of month.
	f := Funnel{Key: "leads", Stages: []Stage{{Key: "lead"}}, Won: "won", Lost: "lost"}
	m := Model{Funnel: f, Stages: []StageModel{{Advance: dec(t, "0.5"), Win: dec(t, "0.5"), Days: 5,
		Lags: []Lag{{Days: 10, Weight: 1}, {Days: 30, Weight: 1}, {Days: 60, Weight: 2}}}}, AvgWonValue: dec(t, "100"), Currency: "USD"}
	deals := []Deal{deal(t, "a", "rep1", "100", "lead@2026-01-01")}
	for asOf, want := range map[string]string{"2026-01-05": "2026-01", "2026-01-21": "2026-03", "2026-03-12": "2026-03"} {
		rows, err := Pipeline(m, deals, day(t, asOf), nil)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		require.Equal(t, want, rows[0].Period.Label, "as of %s", asOf)
		requireDec(t, "50", rows[0].Weighted)
	}
	m.Stages[0].Lags = []Lag{{Days: 30, Weight: 1}, {Days: 10, Weight: 1}}
	require.ErrorIs(t, m.Validate(), ErrInvalid, "lags go by days, ascending")
}
