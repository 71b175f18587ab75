package alert

import (
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// rlCost is a lower-is-better amount: a budget ceiling.
var rlCost = goal.Metric{Key: "travel", Name: "Travel cost", Kind: goal.Amount, Currency: "EUR", Places: 2, Direction: goal.LowerIsBetter}

func TestProjectedMissRule(t *testing.T) {
	aug15 := date.New(2026, 8, 15) // 46 of Q3's 92 days: half the quarter by calendar days
	aug31 := date.New(2026, 8, 31) // half of a 20/30/50 plan
	linear := kpi.Pace{}
	withPipe := func(p string) kpi.Pace { return kpi.Pace{Pipeline: decimal.NewNullDecimal(rlD(p))} }
	seasonal := kpi.Pace{Curve: rlBackLoaded(1_000_000)}
	tests := []struct {
		name      string
		rule      ProjectedMissRule
		status    kpi.Status
		active    bool
		value     string
		threshold string
		message   string
	}{
		{
			name: "run-rate short beyond tolerance", rule: ProjectedMissRule{Tolerance: rlD("0.05")},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, linear),
			active: true, value: "800000.00", threshold: "950000.00",
			message: "team-3 revenue 2026-Q3: projected 800,000.00 by period end (run-rate, as of 15 Aug 2026) against target 1,000,000.00, 80.0% of target (limit 950,000.00): projected to miss",
		},
		{
			name: "run-rate within tolerance", rule: ProjectedMissRule{Tolerance: rlD("0.05")},
			status: rlTrack(t, rlRevenue, "1000000.00", "480000.00", aug15, linear),
			value:  "960000.00", threshold: "950000.00",
		},
		{
			name: "zero tolerance flags any shortfall", rule: ProjectedMissRule{},
			status: rlTrack(t, rlRevenue, "1000000.00", "499999.99", aug15, linear),
			active: true, value: "999999.98", threshold: "1000000.00",
		},
		{
			name: "on a back-loaded plan's curve", rule: ProjectedMissRule{Tolerance: rlD("0.05")},
			status: rlTrack(t, rlRevenue, "1000000.00", "500000.00", aug31, seasonal),
			value:  "1000000.00", threshold: "950000.00",
		},
		{
			name: "pipeline covers the gap", rule: ProjectedMissRule{Tolerance: rlD("0.05"), Projection: ProjectPipeline},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, withPipe("600000.00")),
			value:  "1000000.00", threshold: "950000.00",
		},
		{
			name: "pipeline short", rule: ProjectedMissRule{Tolerance: rlD("0.05"), Projection: ProjectPipeline},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, withPipe("100000.00")),
			active: true, value: "500000.00", threshold: "950000.00",
			message: "team-3 revenue 2026-Q3: projected 500,000.00 by period end (actual plus weighted pipeline, as of 15 Aug 2026) against target 1,000,000.00, 50.0% of target (limit 950,000.00): projected to miss",
		},
		{
			name: "best: pipeline rescues a lagging run-rate", rule: ProjectedMissRule{Tolerance: rlD("0.05"), Projection: ProjectBest},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, withPipe("600000.00")),
			value:  "1000000.00", threshold: "950000.00",
		},
		{
			name: "best: both short, the higher is judged", rule: ProjectedMissRule{Tolerance: rlD("0.05"), Projection: ProjectBest},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, withPipe("100000.00")),
			active: true, value: "800000.00", threshold: "950000.00",
		},
		{
			name: "best without a pipeline is the run-rate", rule: ProjectedMissRule{Tolerance: rlD("0.05"), Projection: ProjectBest},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, linear),
			active: true, value: "800000.00", threshold: "950000.00",
		},
		{
			name: "pipeline projection without a pipeline", rule: ProjectedMissRule{Projection: ProjectPipeline},
			status: rlTrack(t, rlRevenue, "1000000.00", "400000.00", aug15, linear),
			value:  "0", threshold: "1000000.00",
			message: "team-3 revenue 2026-Q3: no pipeline projection as of 15 Aug 2026, not judged",
		},
		{
			name: "nothing elapsed", rule: ProjectedMissRule{},
			status: rlTrack(t, rlRevenue, "1000000.00", "0.00", date.New(2026, 6, 30), linear),
			value:  "0", threshold: "1000000.00",
		},
		{
			name: "too early to judge", rule: ProjectedMissRule{MinProgress: rlD("0.6")},
			status: rlTrack(t, rlRevenue, "1000000.00", "100000.00", aug15, linear),
			value:  "200000.00", threshold: "1000000.00",
			message: "team-3 revenue 2026-Q3: projected 200,000.00 (run-rate) with 50.0% of the period elapsed, not judged before 60.0%",
		},
		{
			name: "ceiling projected over", rule: ProjectedMissRule{Tolerance: rlD("0.05")},
			status: rlTrack(t, rlCost, "10000.00", "5400.00", aug15, linear),
			active: true, value: "10800.00", threshold: "10500.00",
			message: "team-3 travel 2026-Q3: projected 10,800.00 by period end (run-rate, as of 15 Aug 2026) against ceiling 10,000.00, 108.0% of ceiling (limit 10,500.00): projected over the ceiling",
		},
		{
			name: "ceiling within tolerance", rule: ProjectedMissRule{Tolerance: rlD("0.05")},
			status: rlTrack(t, rlCost, "10000.00", "5200.00", aug15, linear),
			value:  "10400.00", threshold: "10500.00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.rule.Check(tt.status)
			require.NoError(t, err)
			require.Equal(t, tt.active, s.Active, s.Message)
			require.Equal(t, RuleProjectedMiss, s.Rule)
			require.Equal(t, "team-3", s.Unit)
			require.Equal(t, tt.status.Metric, s.Metric)
			require.Equal(t, rlQ3, s.Period)
			require.Equal(t, tt.value, s.Value.StringFixed(placesOf(s.Value)), "value")
			require.True(t, s.Value.Equal(rlD(tt.value)), "value %s", s.Value)
			require.True(t, s.Threshold.Equal(rlD(tt.threshold)), "threshold %s", s.Threshold)
			require.NoError(t, s.validate("sample"))
			if tt.message != "" {
				require.Equal(t, tt.message, s.Message)
			}
		})
	}
}

func TestProjectedMissRuleInvalid(t *testing.T) {
	rev := rlTrack(t, rlRevenue, "1000000.00", "400000.00", date.New(2026, 8, 15), kpi.Pace{})
	cost := rlTrack(t, rlCost, "10000.00", "5400.00", date.New(2026, 8, 15), kpi.Pace{})
	noUnit := rev
	noUnit.Unit = ""
	tests := []struct {
		name   string
		rule   ProjectedMissRule
		status kpi.Status
		field  string
	}{
		{"negative tolerance", ProjectedMissRule{Tolerance: rlD("-0.01")}, rev, "ProjectedMissRule.Tolerance"},
		{"tolerance of 100%", ProjectedMissRule{Tolerance: rlD("1")}, rev, "ProjectedMissRule.Tolerance"},
		{"unknown projection", ProjectedMissRule{Projection: 9}, rev, "ProjectedMissRule.Projection"},
		{"negative progress", ProjectedMissRule{MinProgress: rlD("-0.5")}, rev, "ProjectedMissRule.MinProgress"},
		{"progress past the end", ProjectedMissRule{MinProgress: rlD("1.5")}, rev, "ProjectedMissRule.MinProgress"},
		{"pipeline for a ceiling", ProjectedMissRule{Projection: ProjectPipeline}, cost, "ProjectedMissRule.Projection"},
		{"best for a ceiling", ProjectedMissRule{Projection: ProjectBest}, cost, "ProjectedMissRule.Projection"},
		{"no unit", ProjectedMissRule{}, noUnit, "Status.Unit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.rule.Check(tt.status)
			requireInvalid(t, err, tt.field)
		})
	}
	require.Equal(t, "run-rate", ProjectRunRate.String())
	require.Equal(t, "pipeline", ProjectPipeline.String())
	require.Equal(t, "best", ProjectBest.String())
	require.Equal(t, "Projection(9)", Projection(9).String())
}

// Property: for a higher-is-better goal, a lower actual never clears a projected miss, and a
// larger tolerance never raises one.
func TestProjectedMissRuleMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		asOf := rlQ3.Start + date.Date(r.IntN(rlQ3.Days()))
		a, b := r.IntN(1_000_000), r.IntN(1_000_000)
		lo, hi := min(a, b), max(a, b)
		tol := decimal.NewFromInt(int64(r.IntN(50))).Shift(-2)
		rule := ProjectedMissRule{Tolerance: tol}
		sHi, err := rule.Check(rlTrack(t, rlRevenue, "1000000.00", itoa(hi), asOf, kpi.Pace{}))
		require.NoError(t, err)
		sLo, err := rule.Check(rlTrack(t, rlRevenue, "1000000.00", itoa(lo), asOf, kpi.Pace{}))
		require.NoError(t, err)
		if sHi.Active {
			require.True(t, sLo.Active, "actual %d flagged, %d not, as of %s", hi, lo, asOf)
		}
		looser, err := ProjectedMissRule{Tolerance: tol.Add(rlD("0.1"))}.Check(rlTrack(t, rlRevenue, "1000000.00", itoa(lo), asOf, kpi.Pace{}))
		require.NoError(t, err)
		if looser.Active {
			require.True(t, sLo.Active)
		}
	}
}
