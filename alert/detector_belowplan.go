package alert

import "math"

// BelowPlanDesign is the fixed rule CRMs ship: signal when the period's rate (or count) is below
// Fraction of plan, optionally for Hold consecutive periods. It has no calibrated threshold; its
// false-alarm rate is whatever the data make it (InControlARL measures it), which is why the
// statistical detectors exist.
type BelowPlanDesign struct {
	// Baseline gives the plan: P0 for a RateStream, Lambda0 for a CountStream.
	Baseline Baseline
	// Fraction of plan under which a period counts as below plan, in (0, 1]; 0 means 0.5. A
	// period is below plan when Successes/Trials < Fraction × plan (strictly).
	Fraction float64
	// Hold is how many consecutive periods with data must be below plan to signal; 0 means 1.
	Hold int
}

// Validate reports whether d can be used, as a *ValidationError.
func (d BelowPlanDesign) Validate() error {
	if err := d.Baseline.Validate(); err != nil {
		return err
	}
	if err := checkFinite("BelowPlanDesign.Fraction", d.Fraction); err != nil {
		return err
	}
	if d.Fraction < 0 || d.Fraction > 1 {
		return invalid("BelowPlanDesign.Fraction", "must be in (0, 1] (0 for the default 0.5), got %v", d.Fraction)
	}
	if d.Hold < 0 {
		return invalid("BelowPlanDesign.Hold", "must be at least 1 period (0 for the default 1), got %d", d.Hold)
	}
	return nil
}

// New returns the rule's detector in its starting state.
func (d BelowPlanDesign) New() (*BelowPlan, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &BelowPlan{Design: d}, nil
}

// fraction returns Fraction with its default.
func (d BelowPlanDesign) fraction() float64 {
	if d.Fraction == 0 {
		return 0.5
	}
	return d.Fraction
}

// hold returns Hold with its default.
func (d BelowPlanDesign) hold() int {
	if d.Hold == 0 {
		return 1
	}
	return d.Hold
}

// BelowPlan is the fixed-threshold rule's detector. Its statistic is Run, the number of
// consecutive periods with data below plan; it signals when Run reaches Hold. Periods with no
// data neither extend nor break the run. Not safe for concurrent use.
type BelowPlan struct {
	// Design is the rule.
	Design BelowPlanDesign
	// Run is the number of consecutive periods with data below plan so far.
	Run int
}

// Update implements Detector.
func (d *BelowPlan) Update(o Observation) (bool, error) {
	if err := d.Design.Validate(); err != nil {
		return false, err
	}
	if err := o.validate(d.Design.Baseline.Kind); err != nil {
		return false, err
	}
	d.observe(o)
	return d.Run >= d.Design.hold(), nil
}

// observe implements tracker.
func (d *BelowPlan) observe(o Observation) {
	if o.Trials == 0 {
		return
	}
	if float64(o.Successes)/float64(o.Trials) < d.Design.fraction()*d.Design.Baseline.level() {
		if d.Run < math.MaxInt {
			d.Run++
		}
	} else {
		d.Run = 0
	}
}

// Statistic implements Detector: the current run of below-plan periods.
func (d *BelowPlan) Statistic() float64 { return float64(d.Run) }

// Reset implements Detector.
func (d *BelowPlan) Reset() { d.Run = 0 }
