package funnel

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// pipelineDeals are open and closed deals as of 15 June 2026 under
// handModel (typical stays 10, 20 and 30 days; win probabilities 0.05, 0.1
// and 0.25, overridden by the host in TestPipelineByHand).
func pipelineDeals(t testing.TB) []Deal {
	p4 := deal(t, "p4", "rep2", "1000", "lead@2026-03-01", "proposal@2026-04-10")
	p4.ExpectedClose = day(t, "2026-09-03")
	return []Deal{
		deal(t, "p1", "rep1", "1000", "lead@2026-06-01"),                       // closes 1 Jun + 60 = 31 Jul
		deal(t, "p2", "rep1", "500", "lead@2026-05-01", "proposal@2026-06-10"), // 10 Jun + 30 = 10 Jul
		deal(t, "p3", "rep1", "200", "qualified@2026-04-01"),                   // 1 Apr + 50 = 21 May: overdue → 15 Jun
		p4, // host says 3 Sep
		deal(t, "p5", "rep1", "900", "lead@2026-05-01", "won@2026-06-01"),                         // won: not pipeline
		deal(t, "p6", "rep1", "900", "lead@2026-06-20"),                                           // after the as-of date
		deal(t, "p7", "rep2", "300", "lead@2026-05-01", "proposal@2026-06-01", "lost@2026-06-20"), // lost after as-of: still open
	}
}

func hostProbabilities(t testing.TB) Model {
	m := handModel(t)
	m.Stages[0].Win, m.Stages[1].Win, m.Stages[2].Win = dec(t, "0.1"), dec(t, "0.3"), dec(t, "0.8")
	return m
}

type pipeRow struct {
	Unit, Period    string
	Deals           int
	Value, Weighted string
}

func pipeRows(rows []PipelineRow) []pipeRow {
	out := make([]pipeRow, len(rows))
	for i, r := range rows {
		out[i] = pipeRow{r.Unit, r.Period.Label, r.Deals, r.Value.String(), r.Weighted.String()}
	}
	return out
}

func TestPipelineByHand(t *testing.T) {
	asOf := day(t, "2026-06-15")
	rows, err := Pipeline(hostProbabilities(t), pipelineDeals(t), asOf, nil)
	require.NoError(t, err)
	// p7 (proposal since 1 Jun, lost after the as-of date) closes 1 Jun + 30
	// = 1 Jul: 300 × 0.8 = 240.
	require.Equal(t, []pipeRow{
		{"rep1", "2026-06", 1, "200", "60"},   // p3: 200 × 0.3
		{"rep1", "2026-07", 2, "1500", "500"}, // p1 1000 × 0.1 + p2 500 × 0.8
		{"rep2", "2026-07", 1, "300", "240"},  // p7
		{"rep2", "2026-09", 1, "1000", "800"}, // p4
	}, pipeRows(rows))

	t.Run("rolled up by org, quarterly", func(t *testing.T) {
		rows, err := Pipeline(hostProbabilities(t), pipelineDeals(t), asOf, &PipelineOptions{Org: handOrg(t), Grain: goal.Quarter})
		require.NoError(t, err)
		require.Equal(t, []pipeRow{
			{"rep1", "2026-Q2", 1, "200", "60"},
			{"rep1", "2026-Q3", 2, "1500", "500"},
			{"rep2", "2026-Q3", 2, "1300", "1040"},
			{"A", "2026-Q2", 1, "200", "60"},
			{"A", "2026-Q3", 4, "2800", "1540"},
			{"co", "2026-Q2", 1, "200", "60"},
			{"co", "2026-Q3", 4, "2800", "1540"},
		}, pipeRows(rows))
		v, w := SumPipeline(rows, "A", month(t, "2026-Q3"))
		requireDec(t, "2800", v)
		requireDec(t, "1540", w)
		v, _ = SumPipeline(rows, "A", month(t, "2026"))
		requireDec(t, "3000", v)
	})

	t.Run("coverage", func(t *testing.T) {
		_, w := SumPipeline(rows, "rep1", month(t, "2026"))
		c, ok := Coverage(w, dec(t, "2000"))
		require.True(t, ok)
		requireDec(t, "0.28", c) // 560 / 2000
		_, ok = Coverage(w, dec(t, "0"))
		require.False(t, ok, "target met: coverage undefined")
		_, ok = Coverage(w, dec(t, "-5"))
		require.False(t, ok)
	})

	t.Run("errors", func(t *testing.T) {
		_, err := Pipeline(hostProbabilities(t), pipelineDeals(t), 0, nil)
		require.ErrorIs(t, err, ErrInvalid)
		m := hostProbabilities(t)
		m.Currency = "EUR"
		_, err = Pipeline(m, pipelineDeals(t), asOf, nil)
		require.ErrorIs(t, err, ErrCurrencyMismatch)
		_, err = Pipeline(hostProbabilities(t), append(pipelineDeals(t), deal(t, "g", "ghost", "1", "lead@2026-06-01")), asOf, &PipelineOptions{Org: handOrg(t)})
		require.ErrorIs(t, err, ErrNotFound)
		_, err = Pipeline(hostProbabilities(t), pipelineDeals(t), asOf, &PipelineOptions{Grain: goal.Grain(9)})
		require.ErrorIs(t, err, ErrInvalid)
	})
}

func TestStalled(t *testing.T) {
	asOf := day(t, "2026-06-15")
	stalls, err := Stalled(handModel(t), pipelineDeals(t), asOf, dec(t, "2"))
	require.NoError(t, err)
	// p3: qualified since 1 Apr, 75 days > 2 × 20. p4: proposal since 10 Apr,
	// 66 days > 2 × 30. p1 (14 days in lead) and p2, p7 are within bounds.
	require.Equal(t, []Stall{
		{Deal: "p3", Unit: "rep1", Stage: "qualified", Since: day(t, "2026-04-01"), Days: 75, Typical: 20},
		{Deal: "p4", Unit: "rep2", Stage: "proposal", Since: day(t, "2026-04-10"), Days: 66, Typical: 30},
	}, stalls)

	// At 1.2× the lead's 10 days, p1's 14 days are too long as well.
	stalls, err = Stalled(handModel(t), pipelineDeals(t), asOf, dec(t, "1.2"))
	require.NoError(t, err)
	require.Len(t, stalls, 3)
	require.Equal(t, "p1", stalls[2].Deal)

	// A same-day stage still gets one day's grace.
	m := handModel(t)
	m.Stages[0].Days = 0
	stalls, err = Stalled(m, []Deal{deal(t, "x", "u", "1", "lead@2026-06-14")}, asOf, dec(t, "1"))
	require.NoError(t, err)
	require.Empty(t, stalls)

	_, err = Stalled(handModel(t), nil, asOf, dec(t, "0"))
	require.ErrorIs(t, err, ErrInvalid)
	_, err = Stalled(handModel(t), nil, 0, dec(t, "2"))
	require.ErrorIs(t, err, ErrInvalid)
}
