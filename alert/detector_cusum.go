package alert

import "math"

// CUSUMDesign is a one-sided lower CUSUM on the log-likelihood ratio of the drop it is designed
// for: from the baseline P0 to Shifted (a RateStream, binomial) or from Lambda0 to Shifted (a
// CountStream, Poisson). Among detectors with the same in-control average run length it has, to
// a first approximation, the shortest delay to detect exactly that drop (Moustakides, 1986), and
// stays close to it for nearby drops.
type CUSUMDesign struct {
	// Baseline is the in-control model.
	Baseline Baseline
	// Shifted is the out-of-control rate p1 (RateStream) or mean count λ1 (CountStream) the
	// CUSUM is tuned to detect; it must be below the baseline's plan and above 0. A drop about
	// the size that matters to the business is the usual choice, e.g. 0.2 → 0.14.
	Shifted float64
}

// Validate implements Design.
func (d CUSUMDesign) Validate() error {
	if err := d.Baseline.Validate(); err != nil {
		return err
	}
	if err := checkFinite("CUSUMDesign.Shifted", d.Shifted); err != nil {
		return err
	}
	if !(d.Shifted > 0) || d.Shifted >= d.Baseline.level() {
		return invalid("CUSUMDesign.Shifted", "must be above 0 and below the plan %v for a drop detector, got %v; give the lower rate or count the CUSUM should detect", d.Baseline.level(), d.Shifted)
	}
	return nil
}

// inControl implements Design.
func (d CUSUMDesign) inControl() Baseline { return d.Baseline }

// NewDetector implements Design; threshold is h ≥ 0.
func (d CUSUMDesign) NewDetector(threshold float64) (Detector, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := checkThreshold("CUSUM.Threshold", threshold, 0, math.Inf(1)); err != nil {
		return nil, err
	}
	return &CUSUM{Design: d, Threshold: threshold}, nil
}

// withDefaults implements Design.
func (d CUSUMDesign) withDefaults() Design { return d }

// tracker implements Design.
func (d CUSUMDesign) tracker() tracker { return &CUSUM{Design: d} }

// CUSUM is the detector of a CUSUMDesign. Its statistic is S = max(0, S + ℓ/φ) over periods
// with data, where ℓ is the period's log-likelihood ratio of the shifted against the in-control
// model and φ the baseline's dispersion:
//
//	rate:  ℓ = x·ln(p1/p0) + (n−x)·ln((1−p1)/(1−p0))
//	count: ℓ = x·ln(λ1/λ0) − t·(λ1−λ0)
//
// It signals while S > Threshold (h). S is never negative and starts at 0. Not safe for
// concurrent use.
type CUSUM struct {
	// Design is what the CUSUM watches.
	Design CUSUMDesign
	// Threshold is h, usually from Calibrate.
	Threshold float64
	// S is the CUSUM statistic, ≥ 0.
	S float64
}

// Update implements Detector.
func (d *CUSUM) Update(o Observation) (bool, error) {
	if err := d.Design.Validate(); err != nil {
		return false, err
	}
	if err := checkThreshold("CUSUM.Threshold", d.Threshold, 0, math.Inf(1)); err != nil {
		return false, err
	}
	if err := o.validate(d.Design.Baseline.Kind); err != nil {
		return false, err
	}
	d.observe(o)
	return d.S > d.Threshold, nil
}

// observe implements tracker.
func (d *CUSUM) observe(o Observation) {
	if o.Trials == 0 {
		return
	}
	b := d.Design.Baseline
	x, n := float64(o.Successes), float64(o.Trials)
	var llr float64
	if b.Kind == RateStream {
		llr = x*math.Log(d.Design.Shifted/b.P0) + (n-x)*math.Log((1-d.Design.Shifted)/(1-b.P0))
	} else {
		llr = x*math.Log(d.Design.Shifted/b.Lambda0) - n*(d.Design.Shifted-b.Lambda0)
	}
	d.S = math.Max(0, d.S+llr/b.dispersion())
}

// Statistic implements Detector: S.
func (d *CUSUM) Statistic() float64 { return d.S }

// Reset implements Detector: S = 0.
func (d *CUSUM) Reset() { d.S = 0 }

// checkThreshold validates a threshold in [lo, hi).
func checkThreshold(field string, v, lo, hi float64) error {
	if err := checkFinite(field, v); err != nil {
		return err
	}
	if v < lo || v >= hi {
		return invalid(field, "must be in [%v, %v), got %v; take it from Calibrate", lo, hi, v)
	}
	return nil
}
