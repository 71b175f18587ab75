package alert

import "math"

// BetaBinomialDesign is a Bayesian detector on a RateStream: a Beta posterior of the recent
// conversion rate, with old periods discounted, that signals when the posterior probability that
// the rate is below Below exceeds a threshold.
//
// Each period with data updates the Beta(α, β) posterior as α ← δ·α + x/φ, β ← δ·β + (n−x)/φ:
// the discount δ makes a period's evidence fade geometrically (an effective memory of
// MeanTrials/(1−δ) trials), so the posterior follows a rate that moves, and the dispersion φ
// counts an over-dispersed trial as 1/φ of an independent one.
type BetaBinomialDesign struct {
	// Baseline is the in-control model; it must be a RateStream.
	Baseline Baseline
	// Discount is δ in (0, 1]; 0 means 0.85. 1 means no forgetting.
	Discount float64
	// Below is the rate whose posterior probability of being undershot is the statistic, in
	// (0, 1); 0 means Baseline.P0, "the probability that the rate is below plan".
	Below float64
	// PriorTrials is the weight, in trials, of the Beta prior centred on P0 that the posterior
	// starts from (and returns to on Reset); 0 means MeanTrials/(1−δ), the steady-state weight,
	// so the detector starts as if it had watched an in-control stream for a long time. With
	// Discount 1, 0 means 2.
	PriorTrials float64
}

// Validate implements Design.
func (d BetaBinomialDesign) Validate() error {
	if err := d.Baseline.Validate(); err != nil {
		return err
	}
	if d.Baseline.Kind != RateStream {
		return invalid("BetaBinomialDesign.Baseline.Kind", "must be RateStream, got %v; watch counts with CUSUMDesign or EWMADesign", d.Baseline.Kind)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"Discount", d.Discount}, {"Below", d.Below}, {"PriorTrials", d.PriorTrials}} {
		if err := checkFinite("BetaBinomialDesign."+f.name, f.v); err != nil {
			return err
		}
	}
	if d.Discount < 0 || d.Discount > 1 {
		return invalid("BetaBinomialDesign.Discount", "must be in (0, 1] (0 for the default 0.85), got %v", d.Discount)
	}
	if d.Below < 0 || d.Below >= 1 {
		return invalid("BetaBinomialDesign.Below", "must be a rate in (0, 1) (0 for the plan P0), got %v", d.Below)
	}
	if d.PriorTrials < 0 {
		return invalid("BetaBinomialDesign.PriorTrials", "must not be negative (0 for the steady-state weight), got %v", d.PriorTrials)
	}
	return nil
}

// inControl implements Design.
func (d BetaBinomialDesign) inControl() Baseline { return d.Baseline }

// NewDetector implements Design; threshold is the posterior probability in [0, 1) the statistic
// must exceed.
func (d BetaBinomialDesign) NewDetector(threshold float64) (Detector, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := checkThreshold("BetaBinomial.Threshold", threshold, 0, 1); err != nil {
		return nil, err
	}
	bb := &BetaBinomial{Design: d, Threshold: threshold}
	bb.Reset()
	return bb, nil
}

// withDefaults implements Design.
func (d BetaBinomialDesign) withDefaults() Design {
	d.Discount = d.discount()
	d.Below = d.below()
	d.PriorTrials = d.priorTrials()
	return d
}

// tracker implements Design.
func (d BetaBinomialDesign) tracker() tracker {
	bb := &BetaBinomial{Design: d}
	bb.Reset()
	return bb
}

func (d BetaBinomialDesign) discount() float64 {
	if d.Discount == 0 {
		return 0.85
	}
	return d.Discount
}

func (d BetaBinomialDesign) below() float64 {
	if d.Below == 0 {
		return d.Baseline.P0
	}
	return d.Below
}

func (d BetaBinomialDesign) priorTrials() float64 {
	switch {
	case d.PriorTrials > 0:
		return d.PriorTrials
	case d.discount() < 1:
		return d.Baseline.MeanTrials / (1 - d.discount())
	default:
		return 2
	}
}

// BetaBinomial is the detector of a BetaBinomialDesign. Its state is the posterior
// Beta(Alpha, Beta) of the recent rate; its statistic is P(rate < Below | data), the Beta CDF at
// Below, and it signals while that probability exceeds Threshold. Not safe for concurrent use.
type BetaBinomial struct {
	// Design is what the detector watches.
	Design BetaBinomialDesign
	// Threshold is the posterior probability the statistic must exceed, usually from Calibrate.
	Threshold float64
	// Alpha is the posterior's weight of successes.
	Alpha float64
	// Beta is the posterior's weight of failures.
	Beta float64
}

// Update implements Detector.
func (d *BetaBinomial) Update(o Observation) (bool, error) {
	if err := d.Design.Validate(); err != nil {
		return false, err
	}
	if err := checkThreshold("BetaBinomial.Threshold", d.Threshold, 0, 1); err != nil {
		return false, err
	}
	if err := o.validate(RateStream); err != nil {
		return false, err
	}
	if !(d.Alpha > 0 && d.Beta > 0) || math.IsInf(d.Alpha+d.Beta, 0) {
		return false, invalid("BetaBinomial.Alpha", "the posterior Beta(%v, %v) needs both weights positive and finite; call Reset", d.Alpha, d.Beta)
	}
	d.observe(o)
	return d.Statistic() > d.Threshold, nil
}

// observe implements tracker.
func (d *BetaBinomial) observe(o Observation) {
	if o.Trials == 0 {
		return
	}
	delta := d.Design.discount()
	phi := d.Design.Baseline.dispersion()
	d.Alpha = math.Max(minWeight, delta*d.Alpha+float64(o.Successes)/phi)
	d.Beta = math.Max(minWeight, delta*d.Beta+float64(o.Trials-o.Successes)/phi)
}

// minWeight keeps a long run of periods without successes (or failures) from discounting a
// posterior weight to zero, where the Beta distribution is undefined.
const minWeight = 1e-9

// Statistic implements Detector: P(rate < Below | data) under Beta(Alpha, Beta).
func (d *BetaBinomial) Statistic() float64 {
	p := betaCDF(d.Design.below(), d.Alpha, d.Beta)
	if math.IsNaN(p) {
		return 0
	}
	return p
}

// Reset implements Detector: the prior Beta(P0·m, (1−P0)·m) with m the prior weight.
func (d *BetaBinomial) Reset() {
	m := d.Design.priorTrials()
	d.Alpha = d.Design.Baseline.P0 * m
	d.Beta = (1 - d.Design.Baseline.P0) * m
}
