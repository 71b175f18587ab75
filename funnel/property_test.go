package funnel

import (
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// requireChain checks the rounding guarantee of one need: each count is the
// smallest whole number that is enough for the next step.
func requireChain(t *testing.T, m Model, n Need) {
	t.Helper()
	won := decimal.NewFromInt(n.Won)
	require.True(t, won.Mul(m.AvgWonValue).Cmp(n.Target.Revenue) >= 0, "won deals cover the revenue")
	if n.Won > 0 {
		require.True(t, won.Sub(decimal.NewFromInt(1)).Mul(m.AvgWonValue).Cmp(n.Target.Revenue) < 0, "one deal fewer would not")
	}
	next := n.Won
	for k := len(n.Stages) - 1; k >= 0; k-- {
		sn := n.Stages[k]
		adv := m.Stages[len(m.Stages)-len(n.Stages)+k].Advance
		c := decimal.NewFromInt(sn.Count)
		require.True(t, c.Mul(adv).Cmp(decimal.NewFromInt(next)) >= 0,
			"stage %s: %d × %s < %d", sn.Stage, sn.Count, adv, next)
		if sn.Count > 0 {
			require.True(t, c.Sub(decimal.NewFromInt(1)).Mul(adv).Cmp(decimal.NewFromInt(next)) < 0, "stage %s is not minimal", sn.Stage)
		}
		next = sn.Count
	}
}

func TestPropertyReverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 6))
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	for iter := range 200 {
		m := randomModel(rng)
		grain := []goal.Grain{goal.Week, goal.Month, goal.Quarter}[rng.IntN(3)]
		opts := &ReverseOptions{Grain: grain, Activities: []Activity{{Metric: "calls", Stage: "lead", PerDeal: decimal.New(rng.Int64N(50), -1)}}}
		var small, big []Target
		for k := range 1 + rng.IntN(6) {
			p, err := cal.Parse([]string{"2026-01", "2026-02", "2026-06", "2026-12", "2027-03"}[rng.IntN(5)])
			require.NoError(t, err)
			rev := decimal.New(rng.Int64N(100_000_000), -2)
			more := rev.Add(decimal.New(rng.Int64N(1_000_000), -2))
			unit := []string{"rep1", "rep2"}[k%2]
			small = append(small, Target{Unit: unit, Period: p, Revenue: rev})
			big = append(big, Target{Unit: unit, Period: p, Revenue: more})
		}
		ps, err := Reverse(m, small, opts)
		require.NoError(t, err, "iteration %d", iter)
		pb, err := Reverse(m, big, opts)
		require.NoError(t, err, "iteration %d", iter)

		for i := range ps.Needs {
			requireChain(t, m, ps.Needs[i])
			requireChain(t, m, pb.Needs[i])
			// More target never means fewer deals, at any stage.
			require.GreaterOrEqual(t, pb.Needs[i].Won, ps.Needs[i].Won)
			for k := range ps.Needs[i].Stages {
				require.GreaterOrEqual(t, pb.Needs[i].Stages[k].Count, ps.Needs[i].Stages[k].Count)
			}
			require.GreaterOrEqual(t, pb.Needs[i].Activities[0], ps.Needs[i].Activities[0])
		}
		// Spreading over periods neither creates nor loses a deal.
		for _, p := range []*ProcessPlan{ps, pb} {
			spread := map[[2]string]int64{}
			for _, r := range p.Targets {
				spread[[2]string{r.Metric, r.Unit}] += r.Count
			}
			needed := map[[2]string]int64{}
			for _, n := range p.Needs {
				for _, sn := range n.Stages {
					needed[[2]string{sn.Metric, n.Target.Unit}] += sn.Count
				}
				needed[[2]string{m.Funnel.WonMetric(), n.Target.Unit}] += n.Won
				needed[[2]string{"calls", n.Target.Unit}] += n.Activities[0]
			}
			require.Equal(t, needed, spread)
		}
		// More target never means fewer leads per unit in total.
		leads := func(p *ProcessPlan) map[string]int64 {
			out := map[string]int64{}
			for _, r := range p.Targets {
				if r.Metric == "sales.lead" {
					out[r.Unit] += r.Count
				}
			}
			return out
		}
		leadsB := leads(pb)
		for u, n := range leads(ps) {
			require.GreaterOrEqual(t, leadsB[u], n)
		}
	}
}

func TestPropertyMeasure(t *testing.T) {
	f := salesFunnel()
	org := handOrg(t)
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		deals := randomDeals(rng, 200)
		for _, d := range deals {
			require.NoError(t, d.Validate(f))
		}
		o := MeasureOptions{AsOf: day(t, "2026-09-30"), From: day(t, "2026-02-01"), To: day(t, "2026-09-01")}
		all, err := Measure(f, deals, o)
		require.NoError(t, err)
		for _, s := range all.Stages {
			require.Equal(t, s.Entered, s.Advanced+s.Lost+s.Invalid+s.OpenHere, "every cohort deal is in one state")
			require.Equal(t, s.Advanced, s.Advance.Hits)
			require.Equal(t, s.Entered-s.OpenHere, s.Advance.Trials)
			require.LessOrEqual(t, s.Win.Hits, s.Advanced)
			require.LessOrEqual(t, s.Skipped, s.Entered)
			require.LessOrEqual(t, s.Days.N, s.Advanced, "only advancers have durations")
			require.LessOrEqual(t, s.Days.Median, s.Days.P90)
			for _, r := range []Ratio{s.Advance, s.Win} {
				require.True(t, r.Low.Cmp(r.Rate) <= 0 && r.Rate.Cmp(r.High) <= 0, "%s not in [%s, %s]", r.Rate, r.Low, r.High)
				require.True(t, isFraction(r.Rate) && isFraction(r.Low) && isFraction(r.High))
			}
		}

		// Order does not matter.
		shuffled := append([]Deal(nil), deals...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again, err := Measure(f, shuffled, o)
		require.NoError(t, err)
		require.Equal(t, all, again)

		// The root of the org pools every deal; a parent pools its children.
		ms, err := MeasureByUnit(f, deals, org, o)
		require.NoError(t, err)
		co, _ := org.Index("co")
		for s := range all.Stages {
			require.Equal(t, countsOf(all.Stages[s]), countsOf(ms[co].Stages[s]))
		}
		for i := range org.Len() {
			kids, err := org.Children(org.At(i).ID)
			require.NoError(t, err)
			if len(kids) == 0 {
				continue
			}
			for s := range all.Stages {
				var entered, advanced, won int
				for _, k := range kids {
					j, _ := org.Index(k.ID)
					entered += ms[j].Stages[s].Entered
					advanced += ms[j].Stages[s].Advanced
					won += ms[j].Stages[s].Win.Hits
				}
				require.Equal(t, [3]int{entered, advanced, won}, [3]int{ms[i].Stages[s].Entered, ms[i].Stages[s].Advanced, ms[i].Stages[s].Win.Hits})
			}
			// Smoothed rates lie between the unit's own rate and its parent's.
			for _, k := range kids {
				j, _ := org.Index(k.ID)
				for s := range all.Stages {
					own, parent := ms[j].Stages[s].Advance, ms[i].Stages[s].Advance.Smoothed
					lo, hi := decimal.Min(own.Rate, parent), decimal.Max(own.Rate, parent)
					if own.Trials == 0 {
						lo = parent
					}
					eps := decimal.New(1, -RatePlaces)
					require.True(t, own.Smoothed.Cmp(lo.Sub(eps)) >= 0 && own.Smoothed.Cmp(hi.Add(eps)) <= 0,
						"%s smoothed %s outside [%s, %s]", k.ID, own.Smoothed, lo, hi)
				}
			}
		}
	}
}
