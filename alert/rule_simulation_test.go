package alert

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The pacing claim of BENCHMARKS.md, simulated: a back-loaded quarter (20/30/50 over its months),
// a team winning deals as a Poisson process at exactly the plan's daily rate, with deal sizes
// uniform on 5,000..15,000, and making 10 calls per planned deal, checked every day.
const (
	simDeals        = 400 // planned deals in the quarter
	simCallsPerDeal = 10
	simMinDeal      = 5_000
	simMaxDeal      = 15_000
	simRuns         = 200
)

// simQuarter holds one simulated quarter: cumulative revenue and calls through each day.
type simQuarter struct {
	revenue, calls []int64
}

// simulate draws a quarter of a unit planned to win deals deals, working at scale × the plan
// (1 = on plan).
func simulate(r *rand.Rand, curve []kpi.Weight, deals int, scale float64) simQuarter {
	days := rlQ3.Days()
	q := simQuarter{revenue: make([]int64, days), calls: make([]int64, days)}
	var rev, calls int64
	total := decimal.Zero
	for _, w := range curve {
		total = total.Add(w.Weight)
	}
	for i := range days {
		d := rlQ3.Start + date.Date(i)
		for _, w := range curve {
			if w.Period.Contains(d) {
				share := w.Weight.Div(total).InexactFloat64() / float64(w.Period.Days())
				for range poisson(r, scale*float64(deals)*share) {
					rev += simMinDeal + r.Int64N(simMaxDeal-simMinDeal+1)
				}
				calls += int64(poisson(r, scale*float64(deals*simCallsPerDeal)*share))
			}
		}
		q.revenue[i], q.calls[i] = rev, calls
	}
	return q
}

func TestPacingSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	revenueCurve := rlBackLoaded(simDeals * 10_000)
	seasonal := kpi.Pace{Curve: revenueCurve}
	revenueGoal := goal.Goal{ID: "revenue/team-3/2026-Q3", Metric: "revenue", Unit: "team-3", Period: rlQ3, Target: decimal.NewFromInt(simDeals * 10_000)}

	// the revenue metric's dispersion, estimated as a host would from last year's deal sizes
	r := rand.New(rand.NewPCG(2026, 1))
	past := make([]decimal.Decimal, 500)
	for i := range past {
		past[i] = decimal.NewFromInt(simMinDeal + r.Int64N(simMaxDeal-simMinDeal+1))
	}
	dispersion, err := PaceDispersion(past)
	require.NoError(t, err)
	paceRule := PaceRule{Dispersion: dispersion}
	linearRule := LinearPaceRule{}
	projectedRule := ProjectedMissRule{Tolerance: rlD("0.05")}

	check := func(rule interface {
		Check(kpi.Status) (Sample, error)
	}, s kpi.Status) bool {
		out, err := rule.Check(s)
		require.NoError(t, err)
		return out.Active
	}
	days := rlQ3.Days()

	// An on-plan team: how many daily checks flag it?
	var checks, linearFlags, paceFlags, projectedFlags, runsPaceFlagged int
	for run := range simRuns {
		q := simulate(rand.New(rand.NewPCG(1, uint64(run))), revenueCurve, simDeals, 1)
		flagged := false
		for i := range days {
			s, err := kpi.Track(revenueGoal, rlRevenue, decimal.NewFromInt(q.revenue[i]), rlQ3.Start+date.Date(i), seasonal)
			require.NoError(t, err)
			checks++
			if check(linearRule, s) {
				linearFlags++
			}
			if check(paceRule, s) {
				paceFlags++
				flagged = true
			}
			if check(projectedRule, s) {
				projectedFlags++
			}
		}
		if flagged {
			runsPaceFlagged++
		}
	}
	linearRate := float64(linearFlags) / float64(checks)
	paceRate := float64(paceFlags) / float64(checks)
	t.Logf("on-plan team, %d runs × %d daily checks, dispersion %.0f: linear rule flags %.1f%% of checks, pace rule %.2f%% (%.1f%% of quarters flagged at least once), projected-miss (seasonal run-rate, 5%% tolerance) %.1f%%",
		simRuns, days, dispersion, 100*linearRate, 100*paceRate, 100*float64(runsPaceFlagged)/simRuns, 100*float64(projectedFlags)/float64(checks))
	require.Greater(t, linearRate, 0.5, "the straight line calls an on-plan team behind in most checks")
	require.Less(t, paceRate, 0.10, "the plan's curve with the metric's variance keeps false flags to a few percent")

	// A team 20% short, in deals and in calls: when does each pace check first flag it?
	team := simShortfall(t, simDeals, simRuns, dispersion)
	t.Logf("team (%d deals a quarter) 20%% short: %s", simDeals, team)
	require.Less(t, team.revenueMissed, simRuns/2, "the pace rule flags a 20%% shortfall before the quarter ends in most runs")
	require.Less(t, team.calls[len(team.calls)/2], team.revenue[len(team.revenue)/2], "activities warn earlier than revenue")
	// A rep of the same team, with a tenth of its deals: revenue pacing sees the same 20% late.
	rep := simShortfall(t, simDeals/10, simRuns/2, dispersion)
	t.Logf("rep (%d deals a quarter) 20%% short: %s", simDeals/10, rep)
	require.Less(t, rep.calls[len(rep.calls)/2], rep.revenue[len(rep.revenue)/2], "activities warn earlier than revenue")
}

// simShortfallResult is when pace checks first flagged a unit 20% short, per run, sorted; day
// days+1 means never in the quarter.
type simShortfallResult struct {
	revenue, calls []int
	revenueMissed  int
}

// String summarises the first-flag days.
func (r simShortfallResult) String() string {
	pct := func(s []int, p float64) int { return s[int(p*float64(len(s)-1))] }
	return fmt.Sprintf("revenue pace first flags on day %d (median; 10th–90th percentile %d–%d) of %d, never within the quarter in %.1f%% of runs; calls pace (dispersion 1) on day %d (%d–%d)",
		pct(r.revenue, 0.5), pct(r.revenue, 0.1), pct(r.revenue, 0.9), rlQ3.Days(), 100*float64(r.revenueMissed)/float64(len(r.revenue)),
		pct(r.calls, 0.5), pct(r.calls, 0.1), pct(r.calls, 0.9))
}

// simShortfall simulates runs quarters of a unit planned to win deals deals that wins and calls
// 20% less than planned, and returns when the daily pace checks of revenue and calls first flag it.
func simShortfall(t *testing.T, deals, runs int, dispersion float64) simShortfallResult {
	revenueCurve := rlBackLoaded(int64(deals) * 10_000)
	callsCurve := rlBackLoaded(int64(deals * simCallsPerDeal))
	seasonal := kpi.Pace{Curve: revenueCurve}
	callsPace := kpi.Pace{Curve: callsCurve}
	revenueGoal := goal.Goal{ID: "revenue", Metric: "revenue", Unit: "team-3", Period: rlQ3, Target: decimal.NewFromInt(int64(deals) * 10_000)}
	calls := goal.Metric{Key: "calls", Name: "Calls", Kind: goal.Count}
	callsGoal := goal.Goal{ID: "calls", Metric: "calls", Unit: "team-3", Period: rlQ3, Target: decimal.NewFromInt(int64(deals * simCallsPerDeal))}
	paceRule := PaceRule{Dispersion: dispersion}
	callsRule := PaceRule{Dispersion: 1}
	days := rlQ3.Days()
	var out simShortfallResult
	for run := range runs {
		q := simulate(rand.New(rand.NewPCG(uint64(deals), uint64(run))), revenueCurve, deals, 0.8)
		rf, cf := -1, -1
		for i := range days {
			asOf := rlQ3.Start + date.Date(i)
			if rf < 0 {
				s, err := kpi.Track(revenueGoal, rlRevenue, decimal.NewFromInt(q.revenue[i]), asOf, seasonal)
				require.NoError(t, err)
				if z, ok := paceRule.score(s); ok && z < -paceRule.z() {
					rf = i + 1
				}
			}
			if cf < 0 {
				s, err := kpi.Track(callsGoal, calls, decimal.NewFromInt(q.calls[i]), asOf, callsPace)
				require.NoError(t, err)
				if z, ok := callsRule.score(s); ok && z < -callsRule.z() {
					cf = i + 1
				}
			}
			if rf >= 0 && cf >= 0 {
				break
			}
		}
		if rf < 0 {
			out.revenueMissed++
			rf = days + 1
		}
		if cf < 0 {
			cf = days + 1
		}
		out.revenue = append(out.revenue, rf)
		out.calls = append(out.calls, cf)
	}
	slices.Sort(out.revenue)
	slices.Sort(out.calls)
	return out
}
