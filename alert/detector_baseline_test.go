package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBaselineValidate(t *testing.T) {
	withDispersion := func(b Baseline, phi float64) Baseline { b.Dispersion = phi; return b }
	tests := []struct {
		name     string
		baseline Baseline
		field    string
	}{
		{"rate", RateBaseline(0.2, 40), ""},
		{"count", CountBaseline(10), ""},
		{"dispersed rate", withDispersion(RateBaseline(0.2, 40), 3), ""},
		{"dispersion 0 means none", withDispersion(CountBaseline(3), 0), ""},
		{"zero value", Baseline{}, "Baseline.Kind"},
		{"p0 zero", RateBaseline(0, 40), "Baseline.P0"},
		{"p0 one", RateBaseline(1, 40), "Baseline.P0"},
		{"p0 percent", RateBaseline(20, 40), "Baseline.P0"},
		{"p0 NaN", RateBaseline(math.NaN(), 40), "Baseline.P0"},
		{"no trials", RateBaseline(0.2, 0), "Baseline.MeanTrials"},
		{"infinite trials", RateBaseline(0.2, math.Inf(1)), "Baseline.MeanTrials"},
		{"λ negative", CountBaseline(-1), "Baseline.Lambda0"},
		{"λ infinite", CountBaseline(math.Inf(1)), "Baseline.Lambda0"},
		{"under-dispersion", withDispersion(CountBaseline(3), 0.5), "Baseline.Dispersion"},
		{"dispersion NaN", withDispersion(CountBaseline(3), math.NaN()), "Baseline.Dispersion"},
		{"dispersion beyond trials", withDispersion(RateBaseline(0.2, 4), 4), "Baseline.Dispersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.baseline.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			requireInvalid(t, err, tt.field)
			require.Equal(t, Observation{}, tt.baseline.Sample(newRand(1, 1)), "an invalid baseline samples no data")
		})
	}
}

// moments returns the mean and variance of f over draws.
func moments(draws int, f func() float64) (mean, variance float64) {
	var sum, sumSq float64
	for range draws {
		x := f()
		sum += x
		sumSq += x * x
	}
	mean = sum / float64(draws)
	return mean, sumSq/float64(draws) - mean*mean
}

func TestBaselineSampleMoments(t *testing.T) {
	const draws = 50000
	src := newRand(21, 0)
	t.Run("rate", func(t *testing.T) {
		b := RateBaseline(0.2, 40)
		var trials, successes int
		for range draws {
			o := b.Sample(src)
			require.NoError(t, o.validate(RateStream))
			trials += o.Trials
			successes += o.Successes
		}
		require.InDelta(t, 40, float64(trials)/draws, 0.15)
		require.InDelta(t, 0.2, float64(successes)/float64(trials), 0.002)
	})
	t.Run("count", func(t *testing.T) {
		mean, variance := moments(draws, func() float64 { return float64(CountBaseline(10).Sample(src).Successes) })
		require.InDelta(t, 10, mean, 0.1)
		require.InDelta(t, 10, variance, 0.5)
	})
	t.Run("dispersed count", func(t *testing.T) {
		b := CountBaseline(10)
		b.Dispersion = 3
		mean, variance := moments(draws, func() float64 { return float64(b.Sample(src).Successes) })
		require.InDelta(t, 10, mean, 0.15)
		require.InDelta(t, 30, variance, 1.5)
	})
	t.Run("dispersed rate", func(t *testing.T) {
		b := Baseline{Kind: RateStream, P0: 0.2, MeanTrials: 40, Dispersion: 3}
		// Pearson residual variance at the realised n is 1 + (n−1)ρ with ρ = 2/39: about 3.
		_, variance := moments(draws, func() float64 {
			o := b.Sample(src)
			if o.Trials == 0 {
				return 0
			}
			n := float64(o.Trials)
			return (float64(o.Successes) - n*0.2) / math.Sqrt(n*0.2*0.8)
		})
		require.InDelta(t, 3, variance, 0.15)
	})
}
