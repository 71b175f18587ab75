package funnel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestIncidenceByHand checks the Aalen–Johansen estimator and its variance
// against tables computed by hand.
func TestIncidenceByHand(t *testing.T) {
	t.Run("nothing competes: Kaplan–Meier and Greenwood", func(t *testing.T) {
		// 10 deals: 2 advance on day 1, 3 are open since day 1 (censored
		// after the day's events), 1 advances on day 2, 4 are open since day 3.
		// Day 1: n=10, d=2, S=0.8. Day 2: n=5, d=1, S=0.64, F=0.36.
		// Greenwood: 0.64² · (2/(10·8) + 1/(5·4)) = 0.03072.
		xs := []obs{{1, event}, {1, event}, {1, censored}, {1, censored}, {1, censored}, {2, event}, {3, censored}, {3, censored}, {3, censored}, {3, censored}}
		inc := incidenceOf(xs)
		require.Equal(t, []string{"1: 0.2 won, 0 ended, 10 at risk", "2: 0.36 won, 0 ended, 5 at risk"}, curveStrings(inc.curve()))
		f, k := inc.at(2)
		require.InDelta(t, 0.36, f, 1e-15)
		require.InDelta(t, 0.03072, inc.variance(k), 1e-15)
		e := inc.estimate(inc.lastEvent())
		require.Equal(t, 2, e.Horizon)
		require.Equal(t, 10, e.N)
		require.Equal(t, 5, e.AtRisk, "followed for at least 2 days: the one that advanced on day 2 and the four open since day 3")
	})
	t.Run("won competes with lost", func(t *testing.T) {
		// Day 2: n=5, 1 event: F1=0.2, S=0.8. Day 3: n=4, 1 ended (and 1
		// censored after it): F2=0.2, S=0.6. Day 5: n=2, 1 event: F1=0.2+0.6/2=0.5,
		// S=0.3. Day 6: censored.
		// Variance at day 5, F=0.5, per step (gap = F − F1(tj)):
		//   day 2: 0.3²·1/(5·4) + 1²·1·4/5³ − 2·0.3·1·1/5² = 0.0045 + 0.032 − 0.024 = 0.0125
		//   day 3: 0.3²·1/(4·3) = 0.0075
		//   day 5: 0.6²·1·1/2³ = 0.045
		// total 0.065.
		xs := []obs{{5, event}, {3, ended}, {2, event}, {6, censored}, {3, censored}}
		inc := incidenceOf(xs)
		require.Equal(t, []string{"2: 0.2 won, 0 ended, 5 at risk", "3: 0.2 won, 0.2 ended, 4 at risk", "5: 0.5 won, 0.2 ended, 2 at risk"}, curveStrings(inc.curve()))
		f, k := inc.at(5)
		require.InDelta(t, 0.5, f, 1e-15)
		require.InDelta(t, 0.065, inc.variance(k), 1e-15)
		f, _ = inc.at(4)
		require.InDelta(t, 0.2, f, 1e-15, "a day between events keeps the last value")
		// Wins: half on day 2, half on day 5 (each step added 0.2 and 0.3 of
		// the 0.5 won: 40% and 60%).
		require.Equal(t, []Lag{{Days: 2, Weight: 400_000}, {Days: 5, Weight: 600_000}}, inc.lags())
		// cloglog interval: se = √0.065 / (0.5·ln 2) = 0.735612...
		e := inc.estimate(5)
		lo, hi := math.Pow(0.5, math.Exp(z95*math.Sqrt(0.065)/(0.5*math.Ln2))), math.Pow(0.5, math.Exp(-z95*math.Sqrt(0.065)/(0.5*math.Ln2)))
		requireDec(t, toRate(lo).String(), e.Low)
		requireDec(t, toRate(hi).String(), e.High)
		requireDec(t, "0.5", e.Rate)
		require.InDelta(t, 0.25/0.065, e.Effective, 1e-6)
	})
	t.Run("no deals, none advanced, all advanced", func(t *testing.T) {
		e := incidenceOf(nil).estimate(0)
		requireDec(t, "0", e.Rate)
		requireDec(t, "1", e.High)
		e = incidenceOf([]obs{{1, ended}, {2, censored}}).estimate(1)
		requireDec(t, "0", e.Rate)
		requireDec(t, "0", e.Low)
		requireDec(t, toRate(1-math.Pow(0.025, 0.5)).String(), e.High, "exact binomial bound for 2 deals")
		e = incidenceOf([]obs{{1, event}, {2, event}}).estimate(2)
		requireDec(t, "1", e.Rate)
		requireDec(t, "1", e.High)
	})
}

// TestMeasureCensoredByHand checks the censoring-aware figures of the hand
// history of TestMeasureByHand.
func TestMeasureCensoredByHand(t *testing.T) {
	m, err := Measure(salesFunnel(), handDeals(t), MeasureOptions{AsOf: day(t, "2026-06-30")})
	require.NoError(t, err)
	// lead: d6 and d9 advance on day 1 and d3 goes invalid on day 1 (n=7);
	// d1 advances on day 4 (n=4), d2 on day 8 (n=3), d4 on day 16 (n=2);
	// d5 is open since day 0, censored at 117 days. Resolved-only counts
	// say 5 of 6; the deal left open is at risk, not a failure: 5/7.
	lead := m.Stages[0]
	require.Equal(t, []string{"1: 0.285714 won, 0.142857 ended, 7 at risk", "4: 0.428571 won, 0.142857 ended, 4 at risk", "8: 0.571429 won, 0.142857 ended, 3 at risk", "16: 0.714286 won, 0.142857 ended, 2 at risk"}, curveStrings(lead.Curve))
	requireDec(t, "0.714286", lead.Conversion.Rate)
	require.Equal(t, 16, lead.Conversion.Horizon)
	require.Equal(t, 7, lead.Conversion.N)
	requireDec(t, "0.833333", lead.Advance.Rate, "the resolved-only ratio is unchanged")
	// Winning from lead: invalid d3 on day 1 (n=7); d2 lost on day 18
	// (n=5: d3 gone, d6 open since day 1 censored at 116, d5 at 117, d9
	// won at 121, d1 won at 31, d4 won at 37, d2 lost at 18):
	// day 1: n=7, ended 1 → S=6/7. day 18: n=6, ended 1 → S=5/7.
	// day 31: n=5, won 1 → F=1/7, S=4/7. day 37: n=4, won → F=2/7, S=3/7.
	// day 116, 117: censored. day 121: n=1, won → F=2/7+3/7=5/7.
	requireDec(t, "0.714286", lead.Winning.Rate)
	require.Equal(t, 121, lead.Winning.Horizon)
	require.Equal(t, []Lag{{Days: 31, Weight: 200_000}, {Days: 37, Weight: 200_000}, {Days: 121, Weight: 600_000}}, lead.Lags)
}

// TestCensoredCoverage simulates funnels with a known conversion and
// checks that the 95% interval covers it at its nominal rate: 200 seeded
// replicates of 400 deals each, entering on random days of a year measured
// at its end, so each deal is censored at a random age.
func TestCensoredCoverage(t *testing.T) {
	f := Funnel{Key: "leads", Stages: []Stage{{Key: "lead"}}, Won: "won", Lost: "lost"}
	start := date.New(2026, 1, 1)
	asOf := start + 365
	cases := []struct {
		name       string
		p          float64 // true probability of winning
		recordLoss bool    // losses are recorded (competing) or never (open forever)
	}{
		{"losses never recorded, 10.5%", 0.105, false},
		{"losses never recorded, 40%", 0.4, false},
		{"losses recorded, 30%", 0.3, true},
	}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(ci)))
			const reps, n = 200, 400
			covered, resolvedOnly := 0, 0.0
			deals := make([]Deal, n)
			for range reps {
				for i := range deals {
					entered := start + date.Date(rng.IntN(365))
					d := Deal{ID: fmt.Sprint(i), Transitions: []Transition{{Stage: "lead", Date: entered}}}
					switch {
					case rng.Float64() < c.p:
						d.Transitions = append(d.Transitions, Transition{Stage: "won", Date: entered + date.Date(1+rng.IntN(60))})
					case c.recordLoss:
						d.Transitions = append(d.Transitions, Transition{Stage: "lost", Date: entered + date.Date(1+rng.IntN(90))})
					}
					deals[i] = d
				}
				m, err := Measure(f, deals, MeasureOptions{AsOf: asOf})
				require.NoError(t, err)
				e := m.Stages[0].Winning
				lo, _ := e.Low.Float64()
				hi, _ := e.High.Float64()
				if lo <= c.p && c.p <= hi {
					covered++
				}
				rate, _ := m.Stages[0].Win.Rate.Float64()
				resolvedOnly += rate / reps
			}
			t.Logf("true rate %.3f: the 95%% interval covered it in %d of %d replicates; resolved-only mean %.3f", c.p, covered, reps, resolvedOnly)
			// Binomial(200, 0.95): mean 190, sd 3.1; 181 is three sd below.
			require.GreaterOrEqual(t, covered, 181)
			if !c.recordLoss {
				require.InDelta(t, 1, resolvedOnly, 1e-9, "counting only resolved deals says 100%")
			}
		})
	}
}

// curveStrings prints a curve compactly: "days: event won, ended ended, n at risk".
func curveStrings(c []CurvePoint) []string {
	out := make([]string, len(c))
	for i, p := range c {
		out[i] = fmt.Sprintf("%d: %s won, %s ended, %d at risk", p.Days, p.Event, p.Ended, p.AtRisk)
	}
	return out
}

func TestAdvanceWithin(t *testing.T) {
	s := StageModel{Curve: []CurvePoint{{Days: 1, Event: dec(t, "0.2")}, {Days: 4, Event: dec(t, "0.5")}}}
	for days, want := range map[int]string{0: "0", 1: "0.2", 3: "0.2", 4: "0.5", 100: "0.5"} {
		got, ok := s.AdvanceWithin(days)
		require.True(t, ok)
		requireDec(t, want, got, "within %d days", days)
	}
	_, ok := StageModel{}.AdvanceWithin(3)
	require.False(t, ok, "a hand-made stage has no curve")
	m := handModel(t)
	m.Stages[0].Curve = []CurvePoint{{Days: 4, Event: dec(t, "0.5")}, {Days: 4, Event: dec(t, "0.6")}}
	require.ErrorIs(t, m.Validate(), ErrInvalid, "days must go up")
}

// incidenceOf estimates the incidence of xs.
func incidenceOf(xs []obs) incidence {
	keys := make([]int64, len(xs))
	for i, o := range xs {
		keys[i] = o.key()
	}
	return estimateIncidence(keys)
}
