package alert

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// rlQ3 is the quarter the rule tests are about.
var rlQ3 = goal.Period{Grain: goal.Quarter, Start: date.New(2026, 7, 1), End: date.New(2026, 10, 1), Label: "2026-Q3"}

// rlD parses a decimal.
func rlD(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// rlStatus returns a status of team-3's revenue in Q3 as of 15 Sep with the given figures; the
// derived figures a rule reads (AheadBy, TimeProgress) are filled in as kpi.Track would.
func rlStatus(dir goal.Direction, target, expected, actual string) kpi.Status {
	s := kpi.Status{
		Goal: "revenue/team-3/2026-Q3", Metric: "revenue", Unit: "team-3", Period: rlQ3,
		AsOf: date.New(2026, 9, 15), Direction: dir,
		Target: rlD(target), Expected: rlD(expected), Actual: rlD(actual),
	}
	s.AheadBy = s.Actual.Sub(s.Expected)
	if dir == goal.LowerIsBetter {
		s.AheadBy = s.AheadBy.Neg()
	}
	if s.Target.IsPositive() {
		s.TimeProgress = s.Expected.DivRound(s.Target, kpi.RatePlaces)
	}
	return s
}

func TestPaceRuleCheck(t *testing.T) {
	hi, lo := goal.HigherIsBetter, goal.LowerIsBetter
	tests := []struct {
		name    string
		rule    PaceRule
		status  kpi.Status
		active  bool
		z       float64 // expected score; NaN when undefined
		message string  // when not empty, the exact message
	}{
		{
			name: "count on plan", rule: PaceRule{Dispersion: 1},
			status: rlStatus(hi, "200", "100", "100"), z: 0,
		},
		{
			// z = (75 − 100)/√100 = −2.5 < −2.326
			name: "count behind", rule: PaceRule{Dispersion: 1},
			status: rlStatus(hi, "200", "100", "75"), active: true, z: -2.5,
		},
		{
			// z = (80 − 100)/√100 = −2: short, but within chance at 1%
			name: "count within chance", rule: PaceRule{Dispersion: 1},
			status: rlStatus(hi, "200", "100", "80"), z: -2,
		},
		{
			// the same shortfall is flagged at 5% (z_α = 1.645)
			name: "count at alpha 5%", rule: PaceRule{Dispersion: 1, Alpha: 0.05},
			status: rlStatus(hi, "200", "100", "80"), active: true, z: -2,
		},
		{
			// over-dispersed: D = 4 doubles the standard deviation, z = −25/20 = −1.25
			name: "over-dispersed count", rule: PaceRule{Dispersion: 4},
			status: rlStatus(hi, "200", "100", "75"), z: -1.25,
		},
		{
			// sd = √(5000 × 1,450,000) = 85,146.93; z = −250,000/85,146.93 = −2.936
			name: "amount behind", rule: PaceRule{Dispersion: 5000},
			status: rlStatus(hi, "2500000.00", "1450000.00", "1200000.00"), active: true, z: -2.936,
			message: "team-3 revenue 2026-Q3: 1,200,000.00 against 1,450,000.00 expected by 15 Sep 2026 (58.0% of the plan), z = −2.94 (flag below −2.33): behind pace",
		},
		{
			name: "ahead", rule: PaceRule{Dispersion: 1},
			status: rlStatus(hi, "200", "100", "130"), z: 3,
			message: "team-3 revenue 2026-Q3: 130 against 100 expected by 15 Sep 2026 (50.0% of the plan), z = 3.00 (flag below −2.33): on pace",
		},
		{
			// a ceiling: spending 130 where 100 was expected is bad, z = −3
			name: "lower is better over", rule: PaceRule{Dispersion: 1},
			status: rlStatus(lo, "200", "100", "130"), active: true, z: -3,
		},
		{
			name: "lower is better under", rule: PaceRule{Dispersion: 1},
			status: rlStatus(lo, "200", "100", "70"), z: 3,
		},
		{
			name: "nothing expected yet", rule: PaceRule{Dispersion: 1},
			status: rlStatus(hi, "200", "0", "0"), z: math.NaN(),
			message: "team-3 revenue 2026-Q3: 0 against 0 expected by 15 Sep 2026 (0.0% of the plan); nothing expected yet, pace not judged",
		},
		{
			name: "zero target", rule: PaceRule{Dispersion: 1},
			status: rlStatus(hi, "0", "0", "5"), z: math.NaN(),
		},
		{
			name: "below the minimum to judge", rule: PaceRule{Dispersion: 1, MinExpected: rlD("150")},
			status: rlStatus(hi, "200", "100", "50"), z: -5,
			message: "team-3 revenue 2026-Q3: 50 against 100 expected by 15 Sep 2026 (50.0% of the plan); below the minimum 150 to judge pace",
		},
		{
			name: "at the minimum", rule: PaceRule{Dispersion: 1, MinExpected: rlD("100")},
			status: rlStatus(hi, "200", "100", "50"), active: true, z: -5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.rule.Check(tt.status)
			require.NoError(t, err)
			require.Equal(t, tt.active, s.Active, s.Message)
			require.Equal(t, RulePace, s.Rule)
			require.Equal(t, "team-3", s.Unit)
			require.Equal(t, "revenue", s.Metric)
			require.Equal(t, rlQ3, s.Period)
			require.True(t, s.Value.Equal(tt.status.Actual))
			require.True(t, s.Threshold.Equal(tt.status.Expected))
			require.NoError(t, s.validate("sample"))
			z, ok := tt.rule.score(tt.status)
			if math.IsNaN(tt.z) {
				require.False(t, ok)
			} else {
				require.True(t, ok)
				require.InDelta(t, tt.z, z, 1e-3)
			}
			if tt.message != "" {
				require.Equal(t, tt.message, s.Message)
			}
		})
	}
}

func TestPaceRuleName(t *testing.T) {
	s, err := PaceRule{Name: "pace-revenue", Dispersion: 1}.Check(rlStatus(goal.HigherIsBetter, "200", "100", "100"))
	require.NoError(t, err)
	require.Equal(t, "pace-revenue", s.Rule)
}

func TestPaceRuleZ(t *testing.T) {
	require.InDelta(t, 2.3263, PaceRule{}.z(), 1e-4)
	require.InDelta(t, 1.6449, PaceRule{Alpha: 0.05}.z(), 1e-4)
	require.InDelta(t, 3.0902, PaceRule{Alpha: 0.001}.z(), 1e-4)
}

func TestPaceRuleInvalid(t *testing.T) {
	ok := rlStatus(goal.HigherIsBetter, "200", "100", "100")
	noUnit := ok
	noUnit.Unit = ""
	noPeriod := ok
	noPeriod.Period = goal.Period{}
	tests := []struct {
		name   string
		rule   PaceRule
		status kpi.Status
		field  string
	}{
		{"no dispersion", PaceRule{}, ok, "PaceRule.Dispersion"},
		{"negative dispersion", PaceRule{Dispersion: -1}, ok, "PaceRule.Dispersion"},
		{"NaN dispersion", PaceRule{Dispersion: math.NaN()}, ok, "PaceRule.Dispersion"},
		{"infinite dispersion", PaceRule{Dispersion: math.Inf(1)}, ok, "PaceRule.Dispersion"},
		{"negative alpha", PaceRule{Dispersion: 1, Alpha: -0.1}, ok, "PaceRule.Alpha"},
		{"alpha one half", PaceRule{Dispersion: 1, Alpha: 0.5}, ok, "PaceRule.Alpha"},
		{"NaN alpha", PaceRule{Dispersion: 1, Alpha: math.NaN()}, ok, "PaceRule.Alpha"},
		{"negative minimum", PaceRule{Dispersion: 1, MinExpected: rlD("-1")}, ok, "PaceRule.MinExpected"},
		{"no unit", PaceRule{Dispersion: 1}, noUnit, "Status.Unit"},
		{"no period", PaceRule{Dispersion: 1}, noPeriod, "Status.Period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.rule.Check(tt.status)
			requireInvalid(t, err, tt.field)
		})
	}
}

// rlTrack returns the status of a goal of metric m over rlQ3 with target, tracked with pace.
func rlTrack(t *testing.T, m goal.Metric, target, actual string, asOf date.Date, pace kpi.Pace) kpi.Status {
	t.Helper()
	g := goal.Goal{ID: "g", Metric: m.Key, Unit: "team-3", Period: rlQ3, Target: rlD(target)}
	s, err := kpi.Track(g, m, rlD(actual), asOf, pace)
	require.NoError(t, err)
	return s
}

// rlRevenue is an amount metric with 2 places.
var rlRevenue = goal.Metric{Key: "revenue", Name: "Revenue", Kind: goal.Amount, Currency: "EUR", Places: 2}

// rlBackLoaded is Q3 split 20/30/50 over its months.
func rlBackLoaded(total int64) []kpi.Weight {
	return []kpi.Weight{
		{Period: goal.Period{Grain: goal.Month, Start: date.New(2026, 7, 1), End: date.New(2026, 8, 1), Label: "2026-07"}, Weight: decimal.NewFromInt(total * 20 / 100)},
		{Period: goal.Period{Grain: goal.Month, Start: date.New(2026, 8, 1), End: date.New(2026, 9, 1), Label: "2026-08"}, Weight: decimal.NewFromInt(total * 30 / 100)},
		{Period: goal.Period{Grain: goal.Month, Start: date.New(2026, 9, 1), End: date.New(2026, 10, 1), Label: "2026-09"}, Weight: decimal.NewFromInt(total * 50 / 100)},
	}
}

// A team exactly on a back-loaded plan at the end of August (50% of the plan, 67% of the
// days) is on pace by the plan's curve and behind by the straight line.
func TestPaceRuleOnThePlansCurve(t *testing.T) {
	asOf := date.New(2026, 8, 31)
	seasonal := kpi.Pace{Curve: rlBackLoaded(1_000_000)}
	s := rlTrack(t, rlRevenue, "1000000.00", "500000.00", asOf, seasonal)
	require.Equal(t, "500000", s.Expected.String())

	pace, err := PaceRule{Dispersion: 10_000}.Check(s)
	require.NoError(t, err)
	require.False(t, pace.Active, pace.Message)
	require.Equal(t, "team-3 revenue 2026-Q3: 500,000.00 against 500,000.00 expected by 31 Aug 2026 (50.0% of the plan), z = 0.00 (flag below −2.33): on pace", pace.Message)

	// 62 of 92 days: the straight line expects 673,913.04
	require.Equal(t, "673913.04", linearExpected(s).String())
	lin, err := LinearPaceRule{}.Check(s)
	require.NoError(t, err)
	require.True(t, lin.Active, lin.Message)
	require.Equal(t, "673913.04", lin.Threshold.String())
	require.Equal(t, "team-3 revenue 2026-Q3: 500,000.00 against 673,913.04 on a straight line by 31 Aug 2026 (limit 673,913.04): behind pace", lin.Message)
}

func TestLinearPaceRule(t *testing.T) {
	hi, lo := goal.HigherIsBetter, goal.LowerIsBetter
	// as of 15 Sep, 77 of Q3's 92 days have elapsed: the line for a target of 920 is 770
	tests := []struct {
		name      string
		rule      LinearPaceRule
		dir       goal.Direction
		actual    string
		threshold string
		active    bool
	}{
		{"on the line", LinearPaceRule{}, hi, "770", "770", false},
		{"just under the line", LinearPaceRule{}, hi, "769", "770", true},
		{"above 90% of the line", LinearPaceRule{Fraction: rlD("0.9")}, hi, "693", "693", false},
		{"below 90% of the line", LinearPaceRule{Fraction: rlD("0.9")}, hi, "692", "693", true},
		{"ceiling on the line", LinearPaceRule{}, lo, "770", "770", false},
		{"ceiling over the line", LinearPaceRule{}, lo, "771", "770", true},
		{"ceiling within 110%", LinearPaceRule{Fraction: rlD("0.9")}, lo, "847", "847", false},
		{"ceiling over 110%", LinearPaceRule{Fraction: rlD("0.9")}, lo, "848", "847", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := rlStatus(tt.dir, "920", "0", tt.actual)
			require.Equal(t, "770", linearExpected(st).String())
			s, err := tt.rule.Check(st)
			require.NoError(t, err)
			require.Equal(t, RuleLinearPace, s.Rule)
			require.Equal(t, tt.active, s.Active, s.Message)
			require.Equal(t, tt.threshold, s.Threshold.String())
			require.True(t, s.Value.Equal(rlD(tt.actual)))
		})
	}
	for _, f := range []string{"-0.1", "1.01"} {
		_, err := LinearPaceRule{Fraction: rlD(f)}.Check(rlStatus(hi, "920", "0", "1"))
		requireInvalid(t, err, "LinearPaceRule.Fraction")
	}
	// before the period and after it
	st := rlStatus(hi, "920", "0", "0")
	st.AsOf = date.New(2026, 6, 30)
	require.True(t, linearExpected(st).IsZero())
	st.AsOf = date.New(2026, 12, 31)
	require.Equal(t, "920", linearExpected(st).String())
}

func TestPaceDispersion(t *testing.T) {
	// (1 + 4 + 9) / (1 + 2 + 3) = 14/6
	d, err := PaceDispersion([]decimal.Decimal{rlD("1"), rlD("2"), rlD("3")})
	require.NoError(t, err)
	require.InDelta(t, 14.0/6, d, 1e-12)
	// deals all of one size v: the total is v × a Poisson count, variance v × mean
	d, err = PaceDispersion([]decimal.Decimal{rlD("5000.00"), rlD("5000.00")})
	require.NoError(t, err)
	require.InDelta(t, 5000, d, 1e-9)

	_, err = PaceDispersion(nil)
	requireInvalid(t, err, "values")
	_, err = PaceDispersion([]decimal.Decimal{rlD("1"), rlD("0")})
	requireInvalid(t, err, "values[1]")
	_, err = PaceDispersion([]decimal.Decimal{rlD("-3"), rlD("1")})
	requireInvalid(t, err, "values[0]")
}

func TestPaceDispersionFromTotals(t *testing.T) {
	// c = 120/100 = 1.2; fitted 24, 36, 60; deviations −4, 4, 0;
	// χ² = 16/24 + 16/36 = 1.1111; D = χ²/2 = 0.5556
	d, err := PaceDispersionFromTotals(
		[]decimal.Decimal{rlD("20"), rlD("40"), rlD("60")},
		[]decimal.Decimal{rlD("20"), rlD("30"), rlD("50")})
	require.NoError(t, err)
	require.InDelta(t, (16.0/24+16.0/36)/2, d, 1e-12)

	tests := []struct {
		name             string
		actual, expected []string
		field            string
	}{
		{"lengths differ", []string{"1", "2"}, []string{"1"}, "actual"},
		{"one period", []string{"1"}, []string{"1"}, "actual"},
		{"zero expected", []string{"1", "2"}, []string{"1", "0"}, "expected[1]"},
		{"nothing done", []string{"0", "0"}, []string{"1", "1"}, "actual"},
		{"exactly the plan's shape", []string{"2", "4"}, []string{"1", "2"}, "actual"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, e []decimal.Decimal
			for _, s := range tt.actual {
				a = append(a, rlD(s))
			}
			for _, s := range tt.expected {
				e = append(e, rlD(s))
			}
			_, err := PaceDispersionFromTotals(a, e)
			requireInvalid(t, err, tt.field)
		})
	}
}

// PaceDispersion recovers E[X²]/E[X] of a known deal-size distribution, and a pace rule using it
// flags an on-plan compound-Poisson total about Alpha of the time.
func TestPaceDispersionOfUniformDeals(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	values := make([]decimal.Decimal, 20_000)
	for i := range values {
		values[i] = decimal.NewFromInt(5000 + r.Int64N(10_001))
	}
	d, err := PaceDispersion(values)
	require.NoError(t, err)
	// uniform on 5,000..15,000: E[X²]/E[X] = (10,000² + 10,001²/12 − 1/12)/10,000 ≈ 10,833
	require.InDelta(t, 10_833, d, 100)
}

// Properties: for a higher-is-better goal, a lower actual never turns a flag off; a
// lower-is-better goal is flagged exactly when its mirror image is.
func TestPaceRuleProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		rule := PaceRule{Dispersion: 0.5 + 10*r.Float64(), Alpha: 0.001 + 0.2*r.Float64()}
		expected := r.IntN(1000)
		a := r.IntN(2000)
		b := r.IntN(2000)
		lowA, lowB := min(a, b), max(a, b)
		sHigh, err := rule.Check(rlStatus(goal.HigherIsBetter, "2000", itoa(expected), itoa(lowB)))
		require.NoError(t, err)
		sLow, err := rule.Check(rlStatus(goal.HigherIsBetter, "2000", itoa(expected), itoa(lowA)))
		require.NoError(t, err)
		if sHigh.Active {
			require.True(t, sLow.Active, "actual %d flagged but %d not (expected %d)", lowB, lowA, expected)
		}
		// mirror: a ceiling overspent by δ is flagged exactly when a target short by δ is
		mirror := 2*expected - a
		up, err := rule.Check(rlStatus(goal.LowerIsBetter, "2000", itoa(expected), itoa(a)))
		require.NoError(t, err)
		down, err := rule.Check(rlStatus(goal.HigherIsBetter, "2000", itoa(expected), itoa(mirror)))
		require.NoError(t, err)
		require.Equal(t, down.Active, up.Active, "expected %d, actual %d", expected, a)
	}
}

func itoa(i int) string { return decimal.NewFromInt(int64(i)).String() }
