package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBelowPlanRate(t *testing.T) {
	// Plan 20%, fraction 0.5: below plan means a rate under 10% (strictly).
	det, err := BelowPlanDesign{Baseline: RateBaseline(0.2, 10), Hold: 2}.New()
	require.NoError(t, err)
	steps := []struct {
		obs    Observation
		run    int
		signal bool
	}{
		{Observation{Trials: 10, Successes: 1}, 0, false}, // exactly 10%: not below
		{Observation{Trials: 20, Successes: 1}, 1, false}, // 5%
		{Observation{}, 1, false},                         // no data: neither extends nor breaks
		{Observation{Trials: 3, Successes: 0}, 2, true},
		{Observation{Trials: 3, Successes: 0}, 3, true},
		{Observation{Trials: 4, Successes: 1}, 0, false},
	}
	for i, st := range steps {
		signal, err := det.Update(st.obs)
		require.NoError(t, err)
		require.Equal(t, st.run, det.Run, "step %d", i)
		require.Equal(t, float64(st.run), det.Statistic())
		require.Equal(t, st.signal, signal, "step %d", i)
	}
	det.Reset()
	require.Zero(t, det.Run)
}

func TestBelowPlanCountDefaults(t *testing.T) {
	det, err := BelowPlanDesign{Baseline: CountBaseline(10)}.New()
	require.NoError(t, err)
	for _, st := range []struct {
		count  int
		signal bool
	}{{5, false}, {4, true}, {0, true}, {11, false}} {
		signal, err := det.Update(CountObservation(st.count))
		require.NoError(t, err)
		require.Equal(t, st.signal, signal, "count %d", st.count)
	}
}

func TestBelowPlanARLIsGeometric(t *testing.T) {
	// A1: n ~ Poisson(40), p = 0.2; P(rate < 10%) = 0.04923 exactly (summed over n), so the ARL
	// of the one-period rule is 1/0.04923 = 20.3 periods.
	det, err := BelowPlanDesign{Baseline: RateBaseline(0.2, 40)}.New()
	require.NoError(t, err)
	est, err := InControlARL(det, RateBaseline(0.2, 40), &CalibrateOptions{Replicates: 4000, Seed: 3})
	require.NoError(t, err)
	require.InDelta(t, 1/0.04923, est.ARL, 4*est.StdErr)
	require.Zero(t, det.Run, "left reset")
}

func TestBelowPlanDesignValidate(t *testing.T) {
	for _, tt := range []struct {
		design BelowPlanDesign
		field  string
	}{
		{BelowPlanDesign{Baseline: RateBaseline(0.2, 10), Fraction: 1.5}, "BelowPlanDesign.Fraction"},
		{BelowPlanDesign{Baseline: RateBaseline(0.2, 10), Fraction: math.NaN()}, "BelowPlanDesign.Fraction"},
		{BelowPlanDesign{Baseline: RateBaseline(0.2, 10), Hold: -1}, "BelowPlanDesign.Hold"},
		{BelowPlanDesign{Baseline: RateBaseline(0, 10)}, "Baseline.P0"},
	} {
		_, err := tt.design.New()
		requireInvalid(t, err, tt.field)
	}
}
