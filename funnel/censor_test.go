package funnel

import (
	"testing"

	"github.com/goalkit/goalkit/goal"

	"github.com/stretchr/testify/require"
)

func TestMeasureAging(t *testing.T) {
	f := salesFunnel()
	asOf := day(t, "2026-06-30")
	t.Run("a host limit stalls the deals older than it", func(t *testing.T) {
		m, err := Measure(f, handDeals(t), MeasureOptions{AsOf: asOf, Aging: &Aging{Limits: map[string]int{"lead": 30}}})
		require.NoError(t, err)
		// d5 has sat in lead since 5 March (117 days): lost on day 30 for
		// measurement. d6, in qualified, has no limit and stays open.
		require.Equal(t, []Stall{{Deal: "d5", Unit: "rep2", Stage: "lead", Since: day(t, "2026-03-05"), Days: 117, Typical: 30}}, m.Stalled)
		require.Equal(t, []string{
			"1: 0.285714 won, 0.142857 ended, 7 at risk",
			"4: 0.428571 won, 0.142857 ended, 4 at risk",
			"8: 0.571429 won, 0.142857 ended, 3 at risk",
			"16: 0.714286 won, 0.142857 ended, 2 at risk",
			"30: 0.714286 won, 0.285714 ended, 1 at risk",
		}, curveStrings(m.Stages[0].Curve))
		requireDec(t, "0.714286", m.Stages[0].Conversion.Rate)
		require.Equal(t, 1, m.Stages[0].OpenHere, "the counts still say open")
	})
	t.Run("a percentile of the measured durations", func(t *testing.T) {
		// lead took 1, 1, 4, 8, 16 days: the median (nearest rank) is 4;
		// qualified 1, 10, 120: 10. d5 (117 days in lead) and d6 (115 in
		// qualified) both stall.
		m, err := Measure(f, handDeals(t), MeasureOptions{AsOf: asOf, Aging: &Aging{Percentile: 50}})
		require.NoError(t, err)
		require.Equal(t, []Stall{
			{Deal: "d5", Unit: "rep2", Stage: "lead", Since: day(t, "2026-03-05"), Days: 117, Typical: 4},
			{Deal: "d6", Unit: "rep2", Stage: "qualified", Since: day(t, "2026-03-07"), Days: 115, Typical: 10},
		}, m.Stalled)
		// Winning from lead: d6 (entered lead 6 March) now ends on 17 March,
		// day 11, instead of being censored; nothing is censored any more,
		// so the estimate is the plain 3 won of 7.
		requireDec(t, "0.428571", m.Stages[0].Winning.Rate)
	})
	t.Run("limits are checked", func(t *testing.T) {
		_, err := Measure(f, handDeals(t), MeasureOptions{AsOf: asOf, Aging: &Aging{Limits: map[string]int{"demo": 30}}})
		require.ErrorIs(t, err, ErrNotFound)
		_, err = Measure(f, handDeals(t), MeasureOptions{AsOf: asOf, Aging: &Aging{Limits: map[string]int{"lead": -1}}})
		require.ErrorIs(t, err, ErrInvalid)
		_, err = Measure(f, handDeals(t), MeasureOptions{AsOf: asOf, Aging: &Aging{Percentile: 101}})
		require.ErrorIs(t, err, ErrInvalid)
	})
}

func TestMeasureWithinHorizon(t *testing.T) {
	// As of 6 March with a 3-day horizon, the lead cohort is d1 d2 d3 d4 d5
	// d6 d9; those that entered by 3 March (d1 d2 d3 d9) had 3 days to
	// mature, and of them only d9 advanced within 3 days (d1 took 4). d4,
	// d5 and d6 are immature: neither failures nor successes.
	m, err := Measure(salesFunnel(), handDeals(t), MeasureOptions{AsOf: day(t, "2026-03-06"), Horizon: 3})
	require.NoError(t, err)
	lead := m.Stages[0]
	require.Equal(t, 7, lead.Entered)
	require.Equal(t, 4, lead.Matured)
	require.Equal(t, [2]int{1, 4}, [2]int{lead.Within.Hits, lead.Within.Trials})
	requireDec(t, "0.25", lead.Within.Rate)

	m, err = Measure(salesFunnel(), handDeals(t), MeasureOptions{AsOf: day(t, "2026-03-06")})
	require.NoError(t, err)
	require.Zero(t, m.Stages[0].Matured, "no horizon, no maturity")
	_, err = Measure(salesFunnel(), handDeals(t), MeasureOptions{AsOf: day(t, "2026-03-06"), Horizon: -1})
	require.ErrorIs(t, err, ErrInvalid)
}

func TestMeasureKeepGood(t *testing.T) {
	f := salesFunnel()
	o := MeasureOptions{AsOf: day(t, "2026-06-30")}
	bad := []Deal{
		deal(t, "won-first", "rep1", "5", "won@2026-03-01", "lead@2026-03-05"),
		deal(t, "backwards", "rep1", "5", "lead@2026-03-05", "won@2026-03-01"),
		deal(t, "demo", "rep2", "5", "lead@2026-03-05", "demo@2026-03-06"),
	}
	yen := deal(t, "yen", "rep2", "5", "lead@2026-03-05")
	yen.Currency = "JPY"
	bad = append(bad, yen)
	mixed := append(append([]Deal{bad[0]}, handDeals(t)...), bad[1:]...)

	_, err := Measure(f, mixed, o)
	require.ErrorIs(t, err, ErrInvalid, "strict mode fails on the first bad deal")
	require.Contains(t, err.Error(), "won-first")

	o.KeepGood = true
	got, err := Measure(f, mixed, o)
	require.NoError(t, err)
	want, err := Measure(f, handDeals(t), MeasureOptions{AsOf: o.AsOf})
	require.NoError(t, err)
	require.Equal(t, want.Stages, got.Stages, "the good deals are measured as if alone")
	require.Equal(t, want.Deals, got.Deals)
	require.Len(t, got.Rejected, 4)
	for i, r := range got.Rejected {
		require.Equal(t, bad[i].ID, r.Deal)
		require.Equal(t, bad[i].Unit, r.Unit)
	}
	require.ErrorIs(t, got.Rejected[0].Err, ErrInvalid)
	require.Contains(t, got.Rejected[0].Err.Error(), "follows the outcome")
	require.ErrorIs(t, got.Rejected[1].Err, ErrInvalid)
	require.Contains(t, got.Rejected[1].Err.Error(), "earlier than the one before it")
	require.ErrorIs(t, got.Rejected[2].Err, ErrNotFound)
	require.ErrorIs(t, got.Rejected[3].Err, ErrCurrencyMismatch)

	t.Run("by unit, a deal of a unit outside the org", func(t *testing.T) {
		org := handOrg(t)
		ghost := deal(t, "ghost", "nobody", "1", "lead@2026-03-01")
		_, err := MeasureByUnit(f, append(handDeals(t), ghost), org, MeasureOptions{AsOf: o.AsOf})
		require.ErrorIs(t, err, ErrNotFound)
		ms, err := MeasureByUnit(f, append(handDeals(t), ghost), org, o)
		require.NoError(t, err)
		require.Len(t, ms[0].Rejected, 1)
		require.Equal(t, "ghost", ms[0].Rejected[0].Deal)
		require.ErrorIs(t, ms[0].Rejected[0].Err, ErrNotFound)
		plain, err := MeasureByUnit(f, handDeals(t), org, MeasureOptions{AsOf: o.AsOf})
		require.NoError(t, err)
		for i := range ms {
			require.Equal(t, plain[i].Stages, ms[i].Stages)
		}
	})
}

func TestMeasureByUnitSmoothsEstimates(t *testing.T) {
	org := handOrg(t)
	ms, err := MeasureByUnit(salesFunnel(), handDeals(t), org, MeasureOptions{AsOf: day(t, "2026-06-30")})
	require.NoError(t, err)
	for i, m := range ms {
		p := org.ParentIndex(i)
		for s, st := range m.Stages {
			if p == -1 {
				require.True(t, st.Conversion.Smoothed.Equal(st.Conversion.Rate))
				continue
			}
			// The smoothed rate lies between the unit's own and its parent's.
			parent := ms[p].Stages[s].Conversion.Smoothed
			lo, hi := st.Conversion.Rate, parent
			if lo.GreaterThan(hi) {
				lo, hi = hi, lo
			}
			require.True(t, st.Conversion.Smoothed.GreaterThanOrEqual(lo) && st.Conversion.Smoothed.LessThanOrEqual(hi),
				"%s %s: %s between %s and %s", org.At(i).ID, st.Stage, st.Conversion.Smoothed, st.Conversion.Rate, parent)
		}
	}
}

func TestCohorts(t *testing.T) {
	// Weekly lead cohorts as of 10 March with a 5-day horizon. The ISO week
	// of 23 February ends on Sunday 1 March and holds d1 and d9, which
	// advanced in 4 days and 1: 2 of 2, mature. The week of 2 March holds d2
	// d3 d4 d5 d6; those that entered by 5 March matured, d6 (6 March) not.
	// Within 5 days: d2 (8 days) no, d3 invalid, d4 (16) no, d5 open: 0 of 4.
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	w1, err := cal.PeriodOf(goal.Week, day(t, "2026-02-23"))
	require.NoError(t, err)
	w2 := cal.Next(w1)
	cs, err := Cohorts(salesFunnel(), handDeals(t), []goal.Period{w1, w2}, MeasureOptions{AsOf: day(t, "2026-03-10"), Horizon: 5})
	require.NoError(t, err)
	require.Len(t, cs, 6)
	lead1, lead2 := cs[0], cs[3]
	require.Equal(t, [4]int{2, 2, 2, 2}, [4]int{lead1.Entered, lead1.Matured, lead1.Within.Hits, lead1.Within.Trials})
	require.True(t, lead1.Mature)
	require.Equal(t, [4]int{5, 4, 0, 4}, [4]int{lead2.Entered, lead2.Matured, lead2.Within.Hits, lead2.Within.Trials})
	require.False(t, lead2.Mature, "d6 entered four days ago: the cohort is immature")
	_, err = Cohorts(salesFunnel(), handDeals(t), []goal.Period{w1}, MeasureOptions{AsOf: day(t, "2026-03-10")})
	require.ErrorIs(t, err, ErrInvalid)
}
