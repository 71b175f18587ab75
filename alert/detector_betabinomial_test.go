package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBetaBinomialArithmetic(t *testing.T) {
	// p0 = 0.2, MeanTrials 10, δ = 0.5: prior weight 10/(1−0.5) = 20, Beta(4, 16).
	d, err := BetaBinomialDesign{Baseline: RateBaseline(0.2, 10), Discount: 0.5}.NewDetector(0.9)
	require.NoError(t, err)
	bb := d.(*BetaBinomial)
	require.InDelta(t, 4, bb.Alpha, 1e-12)
	require.InDelta(t, 16, bb.Beta, 1e-12)

	// 0 of 10: Beta(0.5·4 + 0, 0.5·16 + 10) = Beta(2, 18), and
	// P(rate < 0.2) = I_0.2(2, 18) = P(Bin(19, 0.2) ≥ 2) = 1 − 0.8^19 − 19·0.2·0.8^18.
	signal, err := bb.Update(Observation{Trials: 10, Successes: 0})
	require.NoError(t, err)
	require.InDelta(t, 2, bb.Alpha, 1e-12)
	require.InDelta(t, 18, bb.Beta, 1e-12)
	require.InDelta(t, 0.9171337669, bb.Statistic(), 1e-9)
	require.True(t, signal)

	// No data: nothing is discounted.
	_, err = bb.Update(Observation{})
	require.NoError(t, err)
	require.InDelta(t, 2, bb.Alpha, 1e-12)

	// 5 of 10: Beta(1 + 5, 9 + 5).
	signal, err = bb.Update(Observation{Trials: 10, Successes: 5})
	require.NoError(t, err)
	require.InDelta(t, 6, bb.Alpha, 1e-12)
	require.InDelta(t, 14, bb.Beta, 1e-12)
	require.False(t, signal)

	bb.Reset()
	require.InDelta(t, 4, bb.Alpha, 1e-12)
	require.InDelta(t, 16, bb.Beta, 1e-12)
}

func TestBetaBinomialDispersionDownweights(t *testing.T) {
	b := RateBaseline(0.2, 10)
	b.Dispersion = 2
	d, err := BetaBinomialDesign{Baseline: b, Discount: 1, PriorTrials: 10}.NewDetector(0.5)
	require.NoError(t, err)
	_, err = d.Update(Observation{Trials: 10, Successes: 4})
	require.NoError(t, err)
	bb := d.(*BetaBinomial)
	require.InDelta(t, 2+2, bb.Alpha, 1e-12)
	require.InDelta(t, 8+3, bb.Beta, 1e-12)
}

func TestBetaBinomialLongDroughtStillSignals(t *testing.T) {
	d, err := BetaBinomialDesign{Baseline: RateBaseline(0.2, 10), Discount: 0.5}.NewDetector(0.99)
	require.NoError(t, err)
	for range 5000 { // α would underflow to 0 without a floor
		signal, err := d.Update(Observation{Trials: 10})
		require.NoError(t, err)
		require.False(t, math.IsNaN(d.Statistic()))
		_ = signal
	}
	require.Greater(t, d.Statistic(), 0.99)
}

func TestBetaBinomialDesignValidate(t *testing.T) {
	rate := RateBaseline(0.2, 10)
	tests := []struct {
		name   string
		design BetaBinomialDesign
		field  string
	}{
		{"counts", BetaBinomialDesign{Baseline: CountBaseline(10)}, "BetaBinomialDesign.Baseline.Kind"},
		{"discount above 1", BetaBinomialDesign{Baseline: rate, Discount: 1.1}, "BetaBinomialDesign.Discount"},
		{"below 1", BetaBinomialDesign{Baseline: rate, Below: 1}, "BetaBinomialDesign.Below"},
		{"negative prior", BetaBinomialDesign{Baseline: rate, PriorTrials: -1}, "BetaBinomialDesign.PriorTrials"},
		{"NaN discount", BetaBinomialDesign{Baseline: rate, Discount: math.NaN()}, "BetaBinomialDesign.Discount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireInvalid(t, tt.design.Validate(), tt.field)
		})
	}
	for _, thr := range []float64{-0.1, 1, math.NaN()} {
		_, err := BetaBinomialDesign{Baseline: rate}.NewDetector(thr)
		requireInvalid(t, err, "BetaBinomial.Threshold")
	}
	zero := &BetaBinomial{Design: BetaBinomialDesign{Baseline: rate}, Threshold: 0.9}
	_, err := zero.Update(Observation{Trials: 1})
	requireInvalid(t, err, "BetaBinomial.Alpha")
}

func TestBetaCDFMatchesBinomialTails(t *testing.T) {
	// I_p(k, n−k+1) = P(Bin(n, p) ≥ k).
	for _, n := range []int{1, 5, 19, 60, 300} {
		for _, p := range []float64{0.01, 0.14, 0.2, 0.5, 0.93} {
			tail := 1.0
			for k := 1; k <= n; k++ {
				tail -= binomialPMF(n, k-1, p)
				got := betaCDF(p, float64(k), float64(n-k+1))
				require.InDelta(t, tail, got, 1e-10, "n=%d p=%v k=%d", n, p, k)
			}
		}
	}
	require.Zero(t, betaCDF(0, 2, 3))
	require.Equal(t, 1.0, betaCDF(1, 2, 3))
	require.True(t, math.IsNaN(betaCDF(0.5, 0, 3)))
	require.InDelta(t, 0.5, betaCDF(0.5, 7.5, 7.5), 1e-14, "symmetry")
}

// binomialPMF returns P(Bin(n, p) = k).
func binomialPMF(n, k int, p float64) float64 {
	ln, _ := math.Lgamma(float64(n + 1))
	lk, _ := math.Lgamma(float64(k + 1))
	lnk, _ := math.Lgamma(float64(n - k + 1))
	return math.Exp(ln - lk - lnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
}
