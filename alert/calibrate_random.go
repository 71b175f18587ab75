package alert

import (
	"math"
	"math/rand/v2"
)

// The samplers below are exact (no normal approximations), take their randomness only from the
// *rand.Rand passed in, and are deterministic for a given generator state.

// newRand returns the generator of replicate i of a seeded simulation. Replicates get
// independent PCG streams, so a replicate's data does not depend on how many others ran before.
func newRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, splitmix64(uint64(i)+0x9e3779b97f4a7c15)))
}

// splitmix64 scrambles x (Steele, Lea and Flood's SplitMix64 finaliser).
func splitmix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// poisson draws from Poisson(mean). Means below 10 use Knuth's multiplication method (mean+1
// uniforms on average, exact); larger means use Hörmann's transformed rejection with squeeze
// (PTRS, 1993), exact and O(1). mean ≤ 0 or NaN yields 0.
func poisson(r *rand.Rand, mean float64) int {
	if !(mean > 0) {
		return 0
	}
	if mean < 10 {
		limit := math.Exp(-mean)
		k := 0
		for prod := r.Float64(); prod > limit; prod *= r.Float64() {
			k++
		}
		return k
	}
	slam := math.Sqrt(mean)
	loglam := math.Log(mean)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + mean + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -mean+k*loglam-lg {
			return int(k)
		}
	}
}

// binomial draws from Binomial(n, p) by inversion (Kachitvichyanukul and Schmeiser's BINV),
// O(n·min(p, 1−p)) work. Large n is split so that the probability of zero never underflows.
func binomial(r *rand.Rand, n int, p float64) int {
	if n <= 0 || !(p > 0) {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - binomial(r, n, 1-p)
	}
	q := 1 - p
	if float64(n)*-math.Log1p(-p) > 600 {
		half := n / 2
		return binomial(r, half, p) + binomial(r, n-half, p)
	}
	s := p / q
	a := float64(n+1) * s
	f0 := math.Pow(q, float64(n))
	for {
		u := r.Float64()
		f := f0
		x := 0
		for u > f {
			u -= f
			x++
			if x > n {
				break
			}
			f *= a/float64(x) - s
		}
		if x <= n {
			return x
		}
		// Rounding left u above the total mass: draw again.
	}
}

// gammaVariate draws from Gamma(shape, 1) by Marsaglia and Tsang's method (2000), boosting
// shapes below 1 with U^(1/shape). shape ≤ 0 yields 0.
func gammaVariate(r *rand.Rand, shape float64) float64 {
	if !(shape > 0) {
		return 0
	}
	if shape < 1 {
		return gammaVariate(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// betaVariate draws from Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).
func betaVariate(r *rand.Rand, a, b float64) float64 {
	x := gammaVariate(r, a)
	y := gammaVariate(r, b)
	if x+y == 0 {
		return a / (a + b)
	}
	return x / (x + y)
}
