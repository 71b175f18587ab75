package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCalibrateHitsTargetOnFreshData(t *testing.T) {
	dispersed := RateBaseline(0.2, 40)
	dispersed.Dispersion = 2
	tests := []struct {
		name   string
		design Design
	}{
		{"cusum A1", CUSUMDesign{Baseline: RateBaseline(0.2, 40), Shifted: 0.14}},
		{"cusum A2", CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.14}},
		{"cusum B1", CUSUMDesign{Baseline: CountBaseline(10), Shifted: 7}},
		{"cusum dispersed", CUSUMDesign{Baseline: dispersed, Shifted: 0.14}},
		{"ewma rate", EWMADesign{Baseline: RateBaseline(0.2, 40)}},
		{"ewma count", EWMADesign{Baseline: CountBaseline(10), Smoothing: 0.1}},
		{"beta-binomial", BetaBinomialDesign{Baseline: RateBaseline(0.2, 10)}},
	}
	const target = 100
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := Calibrate(tt.design, target, &CalibrateOptions{Replicates: 600, Seed: 1})
			require.NoError(t, err)
			require.Equal(t, 600, cal.Replicates)
			require.GreaterOrEqual(t, cal.ARL, float64(target), "the sample ARL at the threshold reaches the target")
			require.Less(t, cal.ARL, 1.1*target, "and not by much")
			require.Zero(t, cal.Censored)

			det, err := tt.design.NewDetector(cal.Threshold)
			require.NoError(t, err)
			check, err := InControlARL(det, tt.design.inControl(), &CalibrateOptions{Replicates: 1500, Seed: 2})
			require.NoError(t, err)
			// Calibration (±4%) and check (±2.6%) are both noisy: allow ±20%.
			require.InDelta(t, target, check.ARL, 0.2*target, "threshold %v", cal.Threshold)
		})
	}
}

func TestCalibrateIsDeterministic(t *testing.T) {
	d := EWMADesign{Baseline: RateBaseline(0.2, 10)}
	opts := &CalibrateOptions{Replicates: 300, Seed: 42}
	a, err := Calibrate(d, 50, opts)
	require.NoError(t, err)
	b, err := Calibrate(d, 50, opts)
	require.NoError(t, err)
	require.Equal(t, a, b)
	c, err := Calibrate(d, 50, &CalibrateOptions{Replicates: 300, Seed: 43})
	require.NoError(t, err)
	require.NotEqual(t, a.Threshold, c.Threshold)
}

func TestCalibrateThresholdGrowsWithTarget(t *testing.T) {
	d := CUSUMDesign{Baseline: CountBaseline(10), Shifted: 7}
	prev := math.Inf(-1)
	for _, target := range []float64{5, 20, 80, 200} {
		cal, err := Calibrate(d, target, &CalibrateOptions{Replicates: 300, Seed: 7})
		require.NoError(t, err)
		require.Greater(t, cal.Threshold, prev, "target %v", target)
		prev = cal.Threshold
	}
}

// TestCalibrateAccountsForDispersion shows why Dispersion matters: a CUSUM calibrated on the
// binomial model raises false alarms several times too often on over-dispersed data, while one
// calibrated with the dispersion holds its target.
func TestCalibrateAccountsForDispersion(t *testing.T) {
	const target = 100
	plain := RateBaseline(0.2, 40)
	dispersed := plain
	dispersed.Dispersion = 2.5

	naive, err := Calibrate(CUSUMDesign{Baseline: plain, Shifted: 0.14}, target, &CalibrateOptions{Replicates: 500, Seed: 1})
	require.NoError(t, err)
	naiveDet, err := CUSUMDesign{Baseline: plain, Shifted: 0.14}.NewDetector(naive.Threshold)
	require.NoError(t, err)
	onDispersed, err := InControlARL(naiveDet, dispersed, &CalibrateOptions{Replicates: 1000, Seed: 2})
	require.NoError(t, err)
	require.Less(t, onDispersed.ARL, 0.5*target)

	aware := CUSUMDesign{Baseline: dispersed, Shifted: 0.14}
	cal, err := Calibrate(aware, target, &CalibrateOptions{Replicates: 500, Seed: 1})
	require.NoError(t, err)
	det, err := aware.NewDetector(cal.Threshold)
	require.NoError(t, err)
	check, err := InControlARL(det, dispersed, &CalibrateOptions{Replicates: 1000, Seed: 2})
	require.NoError(t, err)
	require.InDelta(t, target, check.ARL, 0.2*target)
}

func TestCalibrateValidation(t *testing.T) {
	good := CUSUMDesign{Baseline: RateBaseline(0.2, 40), Shifted: 0.14}
	tests := []struct {
		name   string
		design Design
		target float64
		opts   *CalibrateOptions
		field  string
	}{
		{"nil design", nil, 200, nil, "Design"},
		{"invalid design", CUSUMDesign{Baseline: RateBaseline(0.2, 40), Shifted: 0.3}, 200, nil, "CUSUMDesign.Shifted"},
		{"target below 1", good, 0.5, nil, "targetARL"},
		{"target 1", good, 1, nil, "targetARL"},
		{"target NaN", good, math.NaN(), nil, "targetARL"},
		{"target huge", good, 1e9, nil, "targetARL"},
		{"negative replicates", good, 200, &CalibrateOptions{Replicates: -1}, "CalibrateOptions.Replicates"},
		{"negative max periods", good, 200, &CalibrateOptions{MaxPeriods: -1}, "CalibrateOptions.MaxPeriods"},
		{"max periods below target", good, 200, &CalibrateOptions{MaxPeriods: 150}, "CalibrateOptions.MaxPeriods"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Calibrate(tt.design, tt.target, tt.opts)
			requireInvalid(t, err, tt.field)
			var c Calibrator
			_, err = c.Calibrate(tt.design, tt.target, tt.opts)
			requireInvalid(t, err, tt.field)
		})
	}
	_, err := InControlARL(nil, RateBaseline(0.2, 4), nil)
	requireInvalid(t, err, "Detector")
	det, err := good.NewDetector(3)
	require.NoError(t, err)
	_, err = InControlARL(det, RateBaseline(2, 4), nil)
	requireInvalid(t, err, "Baseline.P0")
}

func TestSolveReadsRunLengthsOffRecords(t *testing.T) {
	// Two runs with statistic paths 1, 3, 2, 5 and 2, 1, 4: records (1:1, 2:3, 4:5) and
	// (1:2, 3:4). Run lengths at h ∈ [2, 3): 2 and 3, mean 2.5; at h ∈ [3, 4): 4 and 3, mean 3.5.
	runs := []run{
		{t: 4, max: 5, recT: []int{1, 2, 4}, recM: []float64{1, 3, 5}},
		{t: 3, max: 4, recT: []int{1, 3}, recM: []float64{2, 4}},
	}
	h, ok := solve(runs, 2.5)
	require.True(t, ok)
	require.Equal(t, 2.5, h, "midway between 2 and 3")
	require.Equal(t, 2.5, estimate(runs, h).ARL)
	h, ok = solve(runs, 3.2)
	require.True(t, ok)
	require.Equal(t, 3.5, h, "midway between 3 and the bound 4")
	require.Equal(t, 3.5, estimate(runs, h).ARL)
	_, ok = solve(runs, 4)
	require.False(t, ok, "thresholds from 4 up are beyond the second run's simulation")
}
