package kpi

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func nd(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	return valid(dec(s))
}

func requireNull(t *testing.T, want string, got decimal.NullDecimal, what string) {
	t.Helper()
	if want == "" {
		require.Falsef(t, got.Valid, "%s: want undefined, got %s", what, got.Decimal)
		return
	}
	require.Truef(t, got.Valid, "%s: want %s, got undefined", what, want)
	require.Truef(t, dec(want).Equal(got.Decimal), "%s: want %s, got %s", what, want, got.Decimal)
}

func TestStatus(t *testing.T) {
	q1 := period(t, "2026-Q1")
	jan := period(t, "2026-01")
	backLoaded := []Weight{{period(t, "2026-01"), dec("100")}, {period(t, "2026-02"), dec("100")}, {period(t, "2026-03"), dec("800")}}
	tests := []struct {
		name   string
		metric string
		period goal.Period
		target string
		facts  []Fact
		asOf   date.Date
		pace   Pace
		// want
		actual, progress, expected, ahead, remaining string
		days                                         int
		attain, gap, rrr, proj, projLin, projAtt     string
	}{
		{name: "on pace by calendar days", metric: "revenue", period: q1, target: "900",
			facts: []Fact{rev("1", "a", d(2026, 1, 10), "300"), rev("2", "a", d(2026, 1, 31), "5")}, asOf: d(2026, 1, 30),
			actual: "300", progress: "0.333333", expected: "300", ahead: "0", remaining: "600", days: 60,
			attain: "0.333333", gap: "0", rrr: "10", proj: "900", projLin: "900", projAtt: "1"},
		{name: "behind, mid-period", metric: "revenue", period: q1, target: "1000",
			facts: []Fact{rev("1", "a", d(2026, 2, 1), "200")}, asOf: d(2026, 2, 14),
			actual: "200", progress: "0.5", expected: "500", ahead: "-300", remaining: "800", days: 45,
			attain: "0.2", gap: "-0.3", rrr: "17.777778", proj: "400", projLin: "400", projAtt: "0.4"},
		{name: "zero target is undefined, not 100%", metric: "revenue", period: q1, target: "0",
			facts: []Fact{rev("1", "a", d(2026, 1, 10), "50")}, asOf: d(2026, 1, 30),
			actual: "50", progress: "0.333333", expected: "0", ahead: "50", remaining: "-50", days: 60,
			attain: "", gap: "", rrr: "-0.833333", proj: "150", projLin: "150", projAtt: ""},
		{name: "zero target, nothing done", metric: "revenue", period: q1, target: "0", asOf: d(2026, 1, 30),
			actual: "0", progress: "0.333333", expected: "0", ahead: "0", remaining: "0", days: 60,
			attain: "", gap: "", rrr: "0", proj: "0", projLin: "0", projAtt: ""},
		{name: "lower is better, under the ceiling's pace", metric: "cost", period: jan, target: "1000",
			facts: []Fact{{Key: "c", Metric: "cost", Unit: "b", Date: d(2026, 1, 3), Value: dec("400")}}, asOf: d(2026, 1, 15),
			actual: "400", progress: "0.483871", expected: "483.87", ahead: "83.87", remaining: "600", days: 16,
			attain: "0.4", gap: "0.083871", rrr: "37.5", proj: "826.67", projLin: "826.67", projAtt: "0.82667"},
		{name: "lower is better, over the ceiling's pace", metric: "cost", period: jan, target: "1000",
			facts: []Fact{{Key: "c", Metric: "cost", Unit: "b", Date: d(2026, 1, 3), Value: dec("600")}}, asOf: d(2026, 1, 15),
			actual: "600", progress: "0.483871", expected: "483.87", ahead: "-116.13", remaining: "400", days: 16,
			attain: "0.6", gap: "-0.116129", rrr: "25", proj: "1240", projLin: "1240", projAtt: "1.24"},
		{name: "seasonal curve, back-loaded quarter", metric: "revenue", period: q1, target: "1000",
			facts: []Fact{rev("1", "d", d(2026, 2, 20), "200")}, asOf: d(2026, 2, 28), pace: Pace{Curve: backLoaded},
			actual: "200", progress: "0.2", expected: "200", ahead: "0", remaining: "800", days: 31,
			attain: "0.2", gap: "0", rrr: "25.806452", proj: "1000", projLin: "305.08", projAtt: "1"},
		{name: "seasonal curve, month in progress", metric: "revenue", period: q1, target: "1000",
			facts: []Fact{rev("1", "d", d(2026, 2, 20), "587.10")}, asOf: d(2026, 3, 15), pace: Pace{Curve: backLoaded},
			actual: "587.1", progress: "0.587097", expected: "587.1", ahead: "0", remaining: "412.9", days: 16,
			attain: "0.5871", gap: "0.000003", rrr: "25.80625", proj: "1000.01", projLin: "714.04", projAtt: "1.00001"},
		{name: "before the period", metric: "revenue", period: period(t, "2026-02"), target: "100",
			facts: []Fact{rev("1", "a", d(2026, 1, 10), "300")}, asOf: d(2026, 1, 20),
			actual: "0", progress: "0", expected: "0", ahead: "0", remaining: "100", days: 28,
			attain: "0", gap: "0", rrr: "3.571429", proj: "", projLin: "", projAtt: ""},
		{name: "after the period", metric: "revenue", period: jan, target: "100",
			facts: []Fact{rev("1", "a", d(2026, 1, 31), "120"), rev("2", "a", d(2026, 2, 1), "1")}, asOf: d(2026, 3, 1),
			actual: "120", progress: "1", expected: "100", ahead: "20", remaining: "-20", days: 0,
			attain: "1.2", gap: "0.2", rrr: "", proj: "120", projLin: "120", projAtt: "1.2"},
		{name: "pipeline hook", metric: "revenue", period: jan, target: "100",
			facts: []Fact{rev("1", "a", d(2026, 1, 2), "31")}, asOf: d(2026, 1, 1), pace: Pace{Pipeline: nd("55.5")},
			actual: "0", progress: "0.032258", expected: "3.23", ahead: "-3.23", remaining: "100", days: 30,
			attain: "0", gap: "-0.032258", rrr: "3.333333", proj: "0", projLin: "0", projAtt: "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t)
			ingestAll(t, l, tt.facts)
			g := goal.Goal{ID: "g", Metric: tt.metric, Unit: "co", Period: tt.period, Target: dec(tt.target)}
			s, err := l.Status(g, tt.asOf, tt.pace)
			require.NoError(t, err)
			requireDec(t, tt.actual, s.Actual, "actual")
			requireDec(t, tt.progress, s.TimeProgress, "progress")
			requireDec(t, tt.expected, s.Expected, "expected")
			requireDec(t, tt.ahead, s.AheadBy, "ahead by")
			requireDec(t, tt.remaining, s.Remaining, "remaining")
			require.Equal(t, tt.days, s.RemainingDays)
			requireNull(t, tt.attain, s.Attainment, "attainment")
			requireNull(t, tt.gap, s.GapRate, "gap")
			requireNull(t, tt.rrr, s.RequiredRunRate, "required run-rate")
			requireNull(t, tt.proj, s.Projected, "projected")
			requireNull(t, tt.projLin, s.ProjectedLinear, "projected linear")
			requireNull(t, tt.projAtt, s.ProjectedAttainment, "projected attainment")
			if tt.pace.Pipeline.Valid {
				requireNull(t, tt.pace.Pipeline.Decimal.Add(s.Actual).String(), s.ProjectedWithPipeline, "with pipeline")
			} else {
				require.False(t, s.ProjectedWithPipeline.Valid)
			}
		})
	}
}

func TestStatusWorkingDays(t *testing.T) {
	cal, err := goal.NewCalendar(&goal.CalendarConfig{Holidays: []date.Date{d(2026, 1, 1), d(2026, 1, 19)}})
	require.NoError(t, err)
	jan := period(t, "2026-01")
	asOf := d(2026, 1, 16)
	// Count Monday–Friday days without holidays by hand.
	count := func(from, to date.Date) int64 {
		n := int64(0)
		for x := from; x < to; x++ {
			if wd := x.Weekday(); wd != time.Saturday && wd != time.Sunday && x != d(2026, 1, 1) && x != d(2026, 1, 19) {
				n++
			}
		}
		return n
	}
	done, all := count(jan.Start, asOf+1), count(jan.Start, jan.End)
	require.Equal(t, int64(11), done) // 2, 5–9, 12–16
	require.Equal(t, int64(20), all)

	l := newTestLedger(t)
	ingestAll(t, l, []Fact{rev("1", "e", d(2026, 1, 3), "550")})
	g := goal.Goal{ID: "g", Metric: "revenue", Unit: "west", Period: jan, Target: dec("1000")}
	s, err := l.Status(g, asOf, Pace{Days: goal.ByWorkingDays, Calendar: cal})
	require.NoError(t, err)
	requireDec(t, "0.55", s.TimeProgress)
	requireDec(t, "550", s.Expected)
	requireNull(t, "0", s.GapRate, "gap")
	require.Equal(t, 9, s.RemainingDays)
	requireNull(t, "50", s.RequiredRunRate, "run-rate")
	requireNull(t, "1000", s.Projected, "projected")
	requireNull(t, "1065.63", s.ProjectedLinear, "projected linear") // 550 × 31 / 16

	p, err := TimeProgress(jan, asOf, Pace{Days: goal.ByWorkingDays, Calendar: cal})
	require.NoError(t, err)
	requireDec(t, "0.55", p)
}

// TestSeasonalDays: Pace.Days says which days of a curve's sub-period in
// progress count, whether or not a calendar is given.
func TestSeasonalDays(t *testing.T) {
	cal, err := goal.NewCalendar(&goal.CalendarConfig{Holidays: []date.Date{d(2026, 1, 1), d(2026, 1, 19)}})
	require.NoError(t, err)
	q1, asOf := period(t, "2026-Q1"), d(2026, 1, 16)
	curve := []Weight{{period(t, "2026-01"), dec("1")}, {period(t, "2026-02"), dec("1")}, {period(t, "2026-03"), dec("2")}}
	for _, tt := range []struct {
		pace Pace
		want string
	}{
		{Pace{Curve: curve}, "0.129032"},                                        // 16 of 31 days of a quarter of the weight
		{Pace{Calendar: cal, Curve: curve}, "0.129032"},                         // the calendar alone changes RemainingDays only
		{Pace{Days: goal.ByWorkingDays, Calendar: cal, Curve: curve}, "0.1375"}, // 11 of 20 working days
	} {
		require.Equal(t, "seasonal", tt.pace.String())
		p, err := TimeProgress(q1, asOf, tt.pace)
		require.NoError(t, err)
		requireDec(t, tt.want, p)
	}
	require.Equal(t, "calendar days", Pace{Calendar: cal}.String())
	require.Equal(t, "working days", Pace{Days: goal.ByWorkingDays, Calendar: cal}.String())
}

func TestStatusErrors(t *testing.T) {
	l := newTestLedger(t)
	q1 := period(t, "2026-Q1")
	g := goal.Goal{ID: "g", Metric: "revenue", Unit: "co", Period: q1, Target: dec("100")}
	tests := []struct {
		name     string
		g        goal.Goal
		pace     Pace
		sentinel error
		says     string
	}{
		{"working days without calendar", g, Pace{Days: goal.ByWorkingDays}, ErrInvalid, "needs Pace.Calendar"},
		{"seasonal by working days without calendar", g, Pace{Days: goal.ByWorkingDays, Curve: []Weight{{period(t, "2026-01"), dec("1")}}}, ErrInvalid, "needs Pace.Calendar"},
		{"overlapping curve", g, Pace{Curve: []Weight{{period(t, "2026-01"), dec("1")}, {period(t, "2026-W03"), dec("1")}}}, ErrInvalid, "overlap"},
		{"curve outside", g, Pace{Curve: []Weight{{period(t, "2026-04"), dec("1")}}}, ErrInvalid, "not within"},
		{"negative weight", g, Pace{Curve: []Weight{{period(t, "2026-01"), dec("-1")}}}, ErrInvalid, "negative"},
		{"zero curve", g, Pace{Curve: []Weight{{period(t, "2026-01"), dec("0")}}}, ErrInvalid, "positive total"},
		{"unknown basis", g, Pace{Days: 9}, ErrInvalid, "unknown pace basis"},
		{"target too precise", goal.Goal{ID: "g", Metric: "revenue", Unit: "co", Period: q1, Target: dec("1.001")}, Pace{}, goal.ErrInvalid, "decimal places"},
		{"unknown metric", goal.Goal{ID: "g", Metric: "visits", Unit: "co", Period: q1}, Pace{}, ErrNotFound, "visits"},
		{"unknown unit", goal.Goal{ID: "g", Metric: "revenue", Unit: "zed", Period: q1}, Pace{}, ErrNotFound, "zed"},
		{"outside span", goal.Goal{ID: "g", Metric: "revenue", Unit: "co", Period: period(t, "2027-Q1")}, Pace{}, ErrInvalid, "span"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Status(tt.g, d(2026, 2, 1), tt.pace)
			require.ErrorIs(t, err, tt.sentinel)
			require.Contains(t, err.Error(), tt.says)
		})
	}
	wd, err := goal.NewCalendar(&goal.CalendarConfig{Workweek: []time.Weekday{time.Monday}})
	require.NoError(t, err)
	_, err = TimeProgress(period(t, "2026-01-03"), d(2026, 1, 3), Pace{Days: goal.ByWorkingDays, Calendar: wd})
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "no working days")
}

func TestCurveFromGoals(t *testing.T) {
	kids := []goal.Goal{
		{ID: "m1", Period: period(t, "2026-01"), Target: dec("100")},
		{ID: "m2", Period: period(t, "2026-02"), Target: dec("300")},
	}
	c := CurveFromGoals(kids)
	require.Len(t, c, 2)
	require.Equal(t, "2026-02", c[1].Period.Label)
	requireDec(t, "300", c[1].Weight)
	p, err := TimeProgress(period(t, "2026-Q1"), d(2026, 1, 31), Pace{Curve: c})
	require.NoError(t, err)
	requireDec(t, "0.25", p)
}
