package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCUSUMBinomialArithmetic(t *testing.T) {
	// p0 = 0.2, p1 = 0.14: ℓ = x·ln(0.7) + (n−x)·ln(1.075) = −0.35667494x + 0.07232066(n−x).
	det, err := CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.14}.NewDetector(1)
	require.NoError(t, err)
	steps := []struct {
		obs    Observation
		s      float64
		signal bool
	}{
		{Observation{Trials: 10, Successes: 0}, 0.7232066158, false},
		{Observation{Trials: 10, Successes: 4}, 0, false}, // 0.7232 − 0.9928 floors at 0
		{Observation{Trials: 20, Successes: 1}, 1.0174176261, true},
		// No data: unchanged, still signalling.
		{Observation{}, 1.0174176261, true},
		// 0.95 is not above h.
		{Observation{Trials: 5, Successes: 1}, 1.0174176261 - 0.3566749439 + 4*0.0723206616, false},
	}
	for i, st := range steps {
		signal, err := det.Update(st.obs)
		require.NoError(t, err)
		require.InDelta(t, st.s, det.Statistic(), 1e-9, "step %d", i)
		require.Equal(t, st.signal, signal, "step %d", i)
	}
	det.Reset()
	require.Zero(t, det.Statistic())
}

func TestCUSUMPoissonArithmetic(t *testing.T) {
	// λ0 = 10, λ1 = 7: ℓ = x·ln(0.7) + 3t.
	det, err := CUSUMDesign{Baseline: CountBaseline(10), Shifted: 7}.NewDetector(4)
	require.NoError(t, err)
	steps := []struct {
		obs    Observation
		s      float64
		signal bool
	}{
		{CountObservation(5), 1.2166252803, false},
		{CountObservation(12), 0, false},
		{Observation{Trials: 2, Successes: 4}, 4.5733002242, true}, // a count over two periods
	}
	for i, st := range steps {
		signal, err := det.Update(st.obs)
		require.NoError(t, err)
		require.InDelta(t, st.s, det.Statistic(), 1e-9, "step %d", i)
		require.Equal(t, st.signal, signal, "step %d", i)
	}
}

func TestCUSUMDispersionScalesEvidence(t *testing.T) {
	plain := &CUSUM{Design: CUSUMDesign{Baseline: RateBaseline(0.2, 40), Shifted: 0.14}, Threshold: 5}
	b := RateBaseline(0.2, 40)
	b.Dispersion = 2
	over := &CUSUM{Design: CUSUMDesign{Baseline: b, Shifted: 0.14}, Threshold: 5}
	for _, o := range []Observation{{Trials: 40, Successes: 3}, {Trials: 40, Successes: 4}} {
		_, err := plain.Update(o)
		require.NoError(t, err)
		_, err = over.Update(o)
		require.NoError(t, err)
	}
	require.InDelta(t, plain.S/2, over.S, 1e-12)
}

// TestCUSUMNeverNegative is a property test: over random streams, in control and not, S is
// never negative or NaN, the signal is exactly S > h, and Reset returns S to 0.
func TestCUSUMNeverNegative(t *testing.T) {
	for seed := range 20 {
		src := newRand(uint64(seed), 0)
		for _, b := range []Baseline{RateBaseline(0.2, 8), RateBaseline(0.14, 30), CountBaseline(10), CountBaseline(6)} {
			shifted := 0.14
			if b.Kind == CountStream {
				shifted = 7
			}
			plan := b
			plan.P0, plan.Lambda0 = 0.2*boolf(b.Kind == RateStream), 10*boolf(b.Kind == CountStream)
			det := &CUSUM{Design: CUSUMDesign{Baseline: plan, Shifted: shifted}, Threshold: 3}
			for range 200 {
				signal, err := det.Update(b.Sample(src))
				require.NoError(t, err)
				require.GreaterOrEqual(t, det.S, 0.0)
				require.Equal(t, det.S > 3, signal)
				require.False(t, math.IsNaN(det.S))
				if signal {
					det.Reset()
					require.Zero(t, det.S)
				}
			}
		}
	}
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestCUSUMDesignValidate(t *testing.T) {
	tests := []struct {
		name   string
		design CUSUMDesign
		field  string
	}{
		{"p1 equal to p0", CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.2}, "CUSUMDesign.Shifted"},
		{"p1 above p0", CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.3}, "CUSUMDesign.Shifted"},
		{"p1 zero", CUSUMDesign{Baseline: RateBaseline(0.2, 10)}, "CUSUMDesign.Shifted"},
		{"p1 NaN", CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: math.NaN()}, "CUSUMDesign.Shifted"},
		{"λ1 above λ0", CUSUMDesign{Baseline: CountBaseline(10), Shifted: 12}, "CUSUMDesign.Shifted"},
		{"p0 out of range", CUSUMDesign{Baseline: RateBaseline(1.2, 10), Shifted: 0.1}, "Baseline.P0"},
		{"λ0 not positive", CUSUMDesign{Baseline: CountBaseline(0), Shifted: 0.1}, "Baseline.Lambda0"},
		{"no kind", CUSUMDesign{Baseline: Baseline{P0: 0.2}, Shifted: 0.1}, "Baseline.Kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireInvalid(t, tt.design.Validate(), tt.field)
			_, err := tt.design.NewDetector(4)
			requireInvalid(t, err, tt.field)
			_, err = Calibrate(tt.design, 200, nil)
			requireInvalid(t, err, tt.field)
		})
	}
	good := CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.14}
	for _, h := range []float64{-1, math.Inf(1), math.NaN()} {
		_, err := good.NewDetector(h)
		requireInvalid(t, err, "CUSUM.Threshold")
	}
	// A detector restored with a broken design reports it instead of computing nonsense.
	broken := &CUSUM{Design: CUSUMDesign{Baseline: RateBaseline(0.2, 10), Shifted: 0.25}, Threshold: 4}
	_, err := broken.Update(Observation{Trials: 3, Successes: 1})
	requireInvalid(t, err, "CUSUMDesign.Shifted")
}
