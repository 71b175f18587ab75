package alert

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// chiSquare returns Pearson's χ² of counts against pmf over 0..len(counts)-1 (the last cell
// takes the upper tail) and the degrees of freedom, merging cells with expected counts below 5.
func chiSquare(counts []int, total int, pmf func(k int) float64) (float64, int) {
	var chi2, expAcc, obsAcc, massLeft float64 = 0, 0, 0, 1
	cells := 0
	for k := range counts {
		p := pmf(k)
		if k == len(counts)-1 {
			p = massLeft
		}
		massLeft -= p
		expAcc += p * float64(total)
		obsAcc += float64(counts[k])
		if expAcc >= 5 || k == len(counts)-1 {
			chi2 += (obsAcc - expAcc) * (obsAcc - expAcc) / math.Max(expAcc, 1e-9)
			cells++
			expAcc, obsAcc = 0, 0
		}
	}
	return chi2, cells - 1
}

func poissonPMF(mean float64, k int) float64 {
	lg, _ := math.Lgamma(float64(k + 1))
	return math.Exp(-mean + float64(k)*math.Log(mean) - lg)
}

func TestPoissonSamplerMatchesPMF(t *testing.T) {
	// Both branches: Knuth below 10, PTRS from 10.
	for _, mean := range []float64{0.3, 3, 9.9, 10, 40, 250} {
		src := newRand(11, int(mean*10))
		const draws = 40000
		counts := make([]int, int(mean+8*math.Sqrt(mean)+10))
		for range draws {
			k := poisson(src, mean)
			require.GreaterOrEqual(t, k, 0)
			counts[min(k, len(counts)-1)]++
		}
		chi2, df := chiSquare(counts, draws, func(k int) float64 { return poissonPMF(mean, k) })
		// The 99.9% point of χ²(df) is below df + 3.3√(2df) + 10 for these df.
		require.Less(t, chi2, float64(df)+3.3*math.Sqrt(2*float64(df))+10, "mean %v: χ²=%.1f df=%d", mean, chi2, df)
	}
	require.Zero(t, poisson(newRand(1, 1), 0))
	require.Zero(t, poisson(newRand(1, 1), math.NaN()))
}

func TestBinomialSamplerMatchesPMF(t *testing.T) {
	for _, c := range []struct {
		n int
		p float64
	}{{1, 0.2}, {10, 0.2}, {40, 0.14}, {40, 0.8}, {200, 0.5}, {5000, 0.3}} {
		src := newRand(12, c.n)
		const draws = 30000
		counts := make([]int, c.n+1)
		for range draws {
			x := binomial(src, c.n, c.p)
			require.True(t, x >= 0 && x <= c.n)
			counts[x]++
		}
		chi2, df := chiSquare(counts, draws, func(k int) float64 { return binomialPMF(c.n, k, c.p) })
		require.Less(t, chi2, float64(df)+3.3*math.Sqrt(2*float64(df))+10, "n=%d p=%v: χ²=%.1f df=%d", c.n, c.p, chi2, df)
	}
	src := newRand(1, 1)
	require.Zero(t, binomial(src, 0, 0.5))
	require.Zero(t, binomial(src, 10, 0))
	require.Equal(t, 10, binomial(src, 10, 1))
}

func TestGammaAndBetaSamplerMoments(t *testing.T) {
	src := newRand(13, 0)
	for _, shape := range []float64{0.4, 1, 2.5, 30} {
		const draws = 60000
		var sum, sumSq float64
		for range draws {
			x := gammaVariate(src, shape)
			require.GreaterOrEqual(t, x, 0.0)
			sum += x
			sumSq += x * x
		}
		mean := sum / draws
		variance := sumSq/draws - mean*mean
		// Gamma(k, 1): mean k, variance k; allow 5 standard errors.
		require.InDelta(t, shape, mean, 5*math.Sqrt(shape/draws), "shape %v", shape)
		require.InDelta(t, shape, variance, 0.05*shape+5*math.Sqrt(6*shape*shape/draws), "shape %v", shape)
	}
	var sum float64
	for range 40000 {
		sum += betaVariate(src, 2, 8)
	}
	require.InDelta(t, 0.2, sum/40000, 0.003)
}

func TestReplicateStreamsAreIndependentOfOrder(t *testing.T) {
	a := newRand(5, 7).Uint64()
	_ = newRand(5, 6).Uint64()
	require.Equal(t, a, newRand(5, 7).Uint64())
	require.NotEqual(t, a, newRand(5, 8).Uint64())
	require.NotEqual(t, a, newRand(6, 7).Uint64())
}
