package alert

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCalibratorRemembers(t *testing.T) {
	var c Calibrator
	d := EWMADesign{Baseline: CountBaseline(10)}
	opts := &CalibrateOptions{Replicates: 200, Seed: 9}
	first, err := c.Calibrate(d, 50, opts)
	require.NoError(t, err)
	direct, err := Calibrate(d, 50, opts)
	require.NoError(t, err)
	require.Equal(t, direct, first)
	require.Equal(t, 1, c.len())

	// The default smoothing spelled out is the same design.
	again, err := c.Calibrate(EWMADesign{Baseline: CountBaseline(10), Smoothing: 0.2}, 50, opts)
	require.NoError(t, err)
	require.Equal(t, first, again)
	require.Equal(t, 1, c.len())

	// Another seed, target or design is another calibration; failures are not remembered.
	_, err = c.Calibrate(d, 50, &CalibrateOptions{Replicates: 200, Seed: 10})
	require.NoError(t, err)
	_, err = c.Calibrate(d, 0, opts)
	require.Error(t, err)
	require.Equal(t, 2, c.len())
}

func TestCalibratorConcurrent(t *testing.T) {
	var c Calibrator
	designs := []Design{
		CUSUMDesign{Baseline: CountBaseline(10), Shifted: 7},
		CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.14},
	}
	opts := &CalibrateOptions{Replicates: 200, Seed: 1}
	results := make([]Calibration, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			cal, err := c.Calibrate(designs[i%2], 60, opts)
			if err == nil {
				results[i] = cal
			}
		})
	}
	wg.Wait()
	require.Equal(t, 2, c.len())
	for i := range results {
		require.Equal(t, results[i%2], results[i])
		require.NotZero(t, results[i].Threshold)
	}
}
