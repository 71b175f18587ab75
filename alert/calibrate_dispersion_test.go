package alert

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEstimateDispersion(t *testing.T) {
	simulate := func(b Baseline, periods int, seed uint64) []Observation {
		src := newRand(seed, 0)
		out := make([]Observation, periods)
		for i := range out {
			out[i] = b.Sample(src)
		}
		return out
	}
	dispersedRate := RateBaseline(0.2, 40)
	dispersedRate.Dispersion = 3
	dispersedCount := CountBaseline(10)
	dispersedCount.Dispersion = 2
	tests := []struct {
		name  string
		kind  StreamKind
		b     Baseline
		want  float64
		delta float64
	}{
		{"binomial", RateStream, RateBaseline(0.2, 40), 1, 0.15},
		{"beta-binomial", RateStream, dispersedRate, 3, 0.35},
		{"poisson", CountStream, CountBaseline(10), 1, 0.15},
		{"negative binomial", CountStream, dispersedCount, 2, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phi, err := EstimateDispersion(tt.kind, simulate(tt.b, 2000, 3))
			require.NoError(t, err)
			require.GreaterOrEqual(t, phi, 1.0)
			require.InDelta(t, tt.want, phi, tt.delta)
		})
	}
}

func TestEstimateDispersionArithmetic(t *testing.T) {
	// Rates 2/10 and 6/10: p̂ = 0.4, χ² = (2−4)²/2.4 + (6−4)²/2.4 = 3.333, one degree of freedom.
	// The no-data period is ignored.
	phi, err := EstimateDispersion(RateStream, []Observation{{Trials: 10, Successes: 2}, {}, {Trials: 10, Successes: 6}})
	require.NoError(t, err)
	require.InDelta(t, 10.0/3, phi, 1e-12)
	// Counts 10, 10, 10: no variation at all; under-dispersion is not credited.
	phi, err = EstimateDispersion(CountStream, []Observation{CountObservation(10), CountObservation(10), CountObservation(10)})
	require.NoError(t, err)
	require.Equal(t, 1.0, phi)
}

func TestEstimateDispersionErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		kind    StreamKind
		history []Observation
		field   string
	}{
		{"no kind", 0, []Observation{CountObservation(1), CountObservation(2)}, "kind"},
		{"one period", CountStream, []Observation{CountObservation(3), {}}, "history"},
		{"all zero", CountStream, []Observation{CountObservation(0), CountObservation(0)}, "history"},
		{"all converted", RateStream, []Observation{{Trials: 3, Successes: 3}, {Trials: 2, Successes: 2}}, "history"},
		{"bad observation", RateStream, []Observation{{Trials: 3, Successes: 4}, {Trials: 2, Successes: 1}}, "Observation.Successes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := EstimateDispersion(tt.kind, tt.history)
			requireInvalid(t, err, tt.field)
		})
	}
}
