package alert

import "math"

// EWMADesign is a lower EWMA chart on the period's rate (or count per period): an exponentially
// weighted moving average of the observed rates, compared with the plan in units of its own
// standard deviation. It reacts to drops of any size without being tuned to one.
type EWMADesign struct {
	// Baseline is the in-control model.
	Baseline Baseline
	// Smoothing is λ, the weight of the newest period, in (0, 1]; 0 means 0.2. Smaller values
	// remember longer and suit smaller drops; 1 is a Shewhart chart.
	Smoothing float64
}

// Validate implements Design.
func (d EWMADesign) Validate() error {
	if err := d.Baseline.Validate(); err != nil {
		return err
	}
	if err := checkFinite("EWMADesign.Smoothing", d.Smoothing); err != nil {
		return err
	}
	if d.Smoothing < 0 || d.Smoothing > 1 {
		return invalid("EWMADesign.Smoothing", "must be in (0, 1] (0 for the default 0.2), got %v", d.Smoothing)
	}
	return nil
}

// inControl implements Design.
func (d EWMADesign) inControl() Baseline { return d.Baseline }

// NewDetector implements Design; threshold is the control limit L in standard deviations.
func (d EWMADesign) NewDetector(threshold float64) (Detector, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := checkFinite("EWMA.Limit", threshold); err != nil {
		return nil, err
	}
	e := &EWMA{Design: d, Limit: threshold}
	e.Reset()
	return e, nil
}

// withDefaults implements Design.
func (d EWMADesign) withDefaults() Design {
	d.Smoothing = d.smoothing()
	return d
}

// tracker implements Design.
func (d EWMADesign) tracker() tracker {
	e := &EWMA{Design: d}
	e.Reset()
	return e
}

// smoothing returns Smoothing with its default.
func (d EWMADesign) smoothing() float64 {
	if d.Smoothing == 0 {
		return 0.2
	}
	return d.Smoothing
}

// EWMA is the detector of an EWMADesign. Over periods with data, with w the smoothing weight,
// r = x/n the period's rate (or count per period) and σ²(n) its in-control variance
// (p0(1−p0)φ/n, or λ0φ/t for counts):
//
//	Mean     ← (1−w)·Mean + w·r
//	Variance ← (1−w)²·Variance + w²·σ²(n)
//
// so Variance is the exact variance of Mean given the trials seen, and periods with many trials
// weigh as much as they deserve in the limit. The statistic is Z = (plan − Mean)/√Variance and
// the detector signals while Z > Limit. It starts at Mean = plan and at the steady-state variance
// w/(2−w)·σ²(MeanTrials), as if it had watched an in-control stream for a long time, so the first
// period is not a Shewhart test. Not safe for concurrent use.
type EWMA struct {
	// Design is what the EWMA watches.
	Design EWMADesign
	// Limit is L, in standard deviations of Mean, usually from Calibrate.
	Limit float64
	// Mean is the exponentially weighted mean rate (or count per period).
	Mean float64
	// Variance is the in-control variance of Mean.
	Variance float64
}

// Update implements Detector.
func (d *EWMA) Update(o Observation) (bool, error) {
	if err := d.Design.Validate(); err != nil {
		return false, err
	}
	if err := checkFinite("EWMA.Limit", d.Limit); err != nil {
		return false, err
	}
	if err := o.validate(d.Design.Baseline.Kind); err != nil {
		return false, err
	}
	d.observe(o)
	return d.Statistic() > d.Limit, nil
}

// observe implements tracker.
func (d *EWMA) observe(o Observation) {
	if o.Trials == 0 {
		return
	}
	w := d.Design.smoothing()
	n := float64(o.Trials)
	d.Mean = (1-w)*d.Mean + w*float64(o.Successes)/n
	d.Variance = (1-w)*(1-w)*d.Variance + w*w*d.Design.Baseline.variance(n)
}

// Statistic implements Detector: Z = (plan − Mean)/√Variance, 0 while Variance is 0.
func (d *EWMA) Statistic() float64 {
	if !(d.Variance > 0) {
		return 0
	}
	return (d.Design.Baseline.level() - d.Mean) / math.Sqrt(d.Variance)
}

// Reset implements Detector: Mean = plan, Variance = its steady-state value.
func (d *EWMA) Reset() {
	b := d.Design.Baseline
	w := d.Design.smoothing()
	d.Mean = b.level()
	per := 1.0
	if b.Kind == RateStream {
		per = b.MeanTrials
	}
	d.Variance = w / (2 - w) * b.variance(per)
	if math.IsNaN(d.Variance) || math.IsInf(d.Variance, 0) {
		d.Variance = 0
	}
}
