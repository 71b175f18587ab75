package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEWMARateArithmetic(t *testing.T) {
	// p0 = 0.2, MeanTrials 40, w = 0.2: σ²(n) = 0.16/n; V0 = w/(2−w)·0.16/40 = 4.4444e-4.
	d, err := EWMADesign{Baseline: RateBaseline(0.2, 40)}.NewDetector(0.5)
	require.NoError(t, err)
	e := d.(*EWMA)
	require.InDelta(t, 0.2, e.Mean, 1e-15)
	require.InDelta(t, 4.4444444444e-4, e.Variance, 1e-13)
	require.Zero(t, e.Statistic())

	steps := []struct {
		obs      Observation
		mean     float64
		variance float64
		z        float64
		signal   bool
	}{
		// Mean = 0.8·0.2 + 0.2·0.1; V = 0.64·V0 + 0.04·0.16/20.
		{Observation{Trials: 20, Successes: 2}, 0.18, 6.0444444444e-4, 0.8134892168, true},
		{Observation{}, 0.18, 6.0444444444e-4, 0.8134892168, true},
		// Mean = 0.8·0.18 + 0.2·0.25; V = 0.64·6.0444e-4 + 0.04·0.16/40.
		{Observation{Trials: 40, Successes: 10}, 0.194, 5.4684444444e-4, 0.2565779602, false},
	}
	for i, st := range steps {
		signal, err := e.Update(st.obs)
		require.NoError(t, err)
		require.InDelta(t, st.mean, e.Mean, 1e-12, "step %d", i)
		require.InDelta(t, st.variance, e.Variance, 1e-13, "step %d", i)
		require.InDelta(t, st.z, e.Statistic(), 1e-9, "step %d", i)
		require.Equal(t, st.signal, signal, "step %d", i)
	}
	e.Reset()
	require.InDelta(t, 0.2, e.Mean, 1e-15)
	require.InDelta(t, 4.4444444444e-4, e.Variance, 1e-13)
}

func TestEWMACountArithmetic(t *testing.T) {
	// λ0 = 10, w = 0.2: V0 = w/(2−w)·10 = 1.1111; a count of 4 gives Mean 8.8, V = 0.64·V0 + 0.04·10.
	d, err := EWMADesign{Baseline: CountBaseline(10), Smoothing: 0.2}.NewDetector(1)
	require.NoError(t, err)
	signal, err := d.Update(CountObservation(4))
	require.NoError(t, err)
	e := d.(*EWMA)
	require.InDelta(t, 8.8, e.Mean, 1e-12)
	require.InDelta(t, 1.1111111111, e.Variance, 1e-9)
	require.InDelta(t, 1.1384199577, e.Statistic(), 1e-9)
	require.True(t, signal)
}

func TestEWMASmoothingOneIsShewhart(t *testing.T) {
	d, err := EWMADesign{Baseline: RateBaseline(0.2, 25), Smoothing: 1}.NewDetector(3)
	require.NoError(t, err)
	_, err = d.Update(Observation{Trials: 100, Successes: 10})
	require.NoError(t, err)
	// z = (0.2 − 0.1)/√(0.16/100) = 2.5, whatever came before.
	require.InDelta(t, 2.5, d.Statistic(), 1e-12)
}

func TestEWMADesignValidate(t *testing.T) {
	for _, w := range []float64{-0.1, 1.5, math.NaN(), math.Inf(1)} {
		_, err := EWMADesign{Baseline: RateBaseline(0.2, 10), Smoothing: w}.NewDetector(2)
		requireInvalid(t, err, "EWMADesign.Smoothing")
	}
	_, err := EWMADesign{Baseline: RateBaseline(0.2, 0)}.NewDetector(2)
	requireInvalid(t, err, "Baseline.MeanTrials")
	_, err = EWMADesign{Baseline: RateBaseline(0.2, 10)}.NewDetector(math.NaN())
	requireInvalid(t, err, "EWMA.Limit")
}
