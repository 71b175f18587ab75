package alert

import (
	"math"
	"math/rand/v2"
)

// Baseline is a stream's in-control model: the plan a detector compares against, and the process
// calibration simulates to set its threshold.
//
// Build one with RateBaseline or CountBaseline, then set Dispersion if history shows more
// period-to-period variation than the binomial or Poisson model allows (see EstimateDispersion).
// The zero value is invalid. A Baseline is a plain value, safe for concurrent use.
type Baseline struct {
	// Kind says whether the stream is a conversion rate or a count.
	Kind StreamKind
	// P0 is the planned conversion rate of a RateStream, in (0, 1).
	P0 float64
	// MeanTrials is the mean number of trials per period of a RateStream (> 0). Calibration draws
	// each period's trials from a Poisson distribution of this mean; EWMA and BetaBinomial use it
	// to start in their steady state.
	MeanTrials float64
	// Lambda0 is the planned mean count per period of a CountStream (> 0).
	Lambda0 float64
	// Dispersion is φ, the ratio of the observed period-to-period variance to the binomial or
	// Poisson variance (the quasi-likelihood dispersion factor). 0 or 1 means none. When φ > 1
	// the detectors scale their evidence by 1/φ and calibration simulates the in-control stream
	// as beta-binomial (rates) or negative binomial (counts) with that variance. For a RateStream
	// φ must stay below MeanTrials.
	Dispersion float64
}

// RateBaseline returns the in-control model of a conversion rate p0 with, on average,
// meanTrials trials per period.
func RateBaseline(p0, meanTrials float64) Baseline {
	return Baseline{Kind: RateStream, P0: p0, MeanTrials: meanTrials}
}

// CountBaseline returns the in-control model of a count with mean lambda0 per period.
func CountBaseline(lambda0 float64) Baseline {
	return Baseline{Kind: CountStream, Lambda0: lambda0}
}

// Validate reports whether b can be used, as a *ValidationError naming the field.
func (b Baseline) Validate() error {
	if err := checkFinite("Baseline.Dispersion", b.Dispersion); err != nil {
		return err
	}
	if b.Dispersion != 0 && b.Dispersion < 1 {
		return invalid("Baseline.Dispersion", "must be 0 (none) or at least 1, got %v; under-dispersion is not credited, use 1", b.Dispersion)
	}
	switch b.Kind {
	case RateStream:
		if !(b.P0 > 0 && b.P0 < 1) {
			return invalid("Baseline.P0", "must be a rate strictly between 0 and 1, got %v; give the planned conversion as a fraction (0.2 for 20%%)", b.P0)
		}
		if !(b.MeanTrials > 0) || math.IsInf(b.MeanTrials, 0) {
			return invalid("Baseline.MeanTrials", "must be a positive finite mean of trials per period, got %v", b.MeanTrials)
		}
		if b.dispersion() > 1 && b.dispersion() >= b.MeanTrials {
			return invalid("Baseline.Dispersion", "%v must be below MeanTrials %v: a rate over n trials cannot vary more than n times the binomial variance", b.Dispersion, b.MeanTrials)
		}
	case CountStream:
		if !(b.Lambda0 > 0) || math.IsInf(b.Lambda0, 0) {
			return invalid("Baseline.Lambda0", "must be a positive finite mean count per period, got %v", b.Lambda0)
		}
	default:
		return invalid("Baseline.Kind", "must be RateStream or CountStream, got %d; build the baseline with RateBaseline or CountBaseline", b.Kind)
	}
	return nil
}

// level returns the planned value per trial (rate) or per period (count).
func (b Baseline) level() float64 {
	if b.Kind == RateStream {
		return b.P0
	}
	return b.Lambda0
}

// dispersion returns φ with 0 read as 1.
func (b Baseline) dispersion() float64 {
	if b.Dispersion < 1 {
		return 1
	}
	return b.Dispersion
}

// variance returns the in-control variance of one period's rate (or count per period) for an
// observation of the given trials (or exposure), dispersion included.
func (b Baseline) variance(trials float64) float64 {
	if b.Kind == RateStream {
		return b.P0 * (1 - b.P0) * b.dispersion() / trials
	}
	return b.Lambda0 * b.dispersion() / trials
}

// Sample draws one period from the model using r: for a RateStream, trials ~ Poisson(MeanTrials)
// and successes ~ Binomial(trials, p) where p = P0, or with Dispersion φ > 1, p ~ Beta with mean
// P0 and intra-period correlation ρ = (φ−1)/(MeanTrials−1); for a CountStream, one full period
// with count ~ Poisson(Lambda0), or with φ > 1 Poisson of a Gamma mean with variance
// (φ−1)·Lambda0 (negative binomial). b must be valid; an invalid b yields a no-data observation.
func (b Baseline) Sample(r *rand.Rand) Observation {
	if b.Validate() != nil {
		return Observation{}
	}
	return b.sample(r)
}

// sample is Sample for a valid b.
func (b Baseline) sample(r *rand.Rand) Observation {
	phi := b.dispersion()
	if b.Kind == CountStream {
		mean := b.Lambda0
		if phi > 1 {
			mean = gammaVariate(r, b.Lambda0/(phi-1)) * (phi - 1)
		}
		return Observation{Trials: 1, Successes: poisson(r, mean)}
	}
	n := poisson(r, b.MeanTrials)
	p := b.P0
	if phi > 1 && n > 1 {
		rho := (phi - 1) / (b.MeanTrials - 1)
		s := (1 - rho) / rho
		p = betaVariate(r, b.P0*s, (1-b.P0)*s)
	}
	return Observation{Trials: n, Successes: binomial(r, n, p)}
}
