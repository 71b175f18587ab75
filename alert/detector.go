package alert

import "math"

// StreamKind says what one period of a stream measures.
type StreamKind uint8

const (
	// RateStream is a conversion rate: each period has Trials attempts (deals reaching a
	// stage, calls made) of which Successes convert. In control, Successes is binomial with
	// the planned rate.
	RateStream StreamKind = iota + 1
	// CountStream is an activity count: each period has Successes events (visits, calls, new
	// leads). In control, the count is Poisson with the planned mean per period.
	CountStream
)

// String returns "rate" or "count".
func (k StreamKind) String() string {
	switch k {
	case RateStream:
		return "rate"
	case CountStream:
		return "count"
	default:
		return "unknown"
	}
}

// Observation is what one period contributed to a stream.
//
// For a RateStream, Trials is the number of attempts and Successes the number that
// converted (0 ≤ Successes ≤ Trials). For a CountStream, Successes is the count and Trials the
// exposure in periods: 1 for a full period (see CountObservation); a value above 1 means the
// count covers that many periods.
//
// Trials == 0 means the period has no data: detectors leave their state untouched, so a week
// with no deals is never read as a 0% conversion rate, and a missing activity feed is never read
// as zero activity.
type Observation struct {
	// Trials is the number of attempts (rate) or the exposure in periods (count); 0 = no data.
	Trials int
	// Successes is the number of conversions (rate) or the count (count).
	Successes int
}

// CountObservation returns the Observation of a count stream for one full period.
func CountObservation(count int) Observation {
	return Observation{Trials: 1, Successes: count}
}

// noData reports whether the observation carries no data (Trials == 0).
func (o Observation) noData() bool { return o.Trials == 0 }

// validate checks an observation for a stream of the given kind.
func (o Observation) validate(kind StreamKind) error {
	switch {
	case o.Trials < 0:
		return invalid("Observation.Trials", "must not be negative, got %d; use 0 for a period with no data", o.Trials)
	case o.Successes < 0:
		return invalid("Observation.Successes", "must not be negative, got %d", o.Successes)
	case o.Trials == 0 && o.Successes != 0:
		return invalid("Observation.Successes", "is %d in a period with no data (Trials 0); set Trials (the attempts, or 1 for a count over one period)", o.Successes)
	case kind == RateStream && o.Successes > o.Trials:
		return invalid("Observation.Successes", "%d exceeds Trials %d; a conversion rate cannot pass 100%%", o.Successes, o.Trials)
	}
	return nil
}

// Detector watches one stream, one period at a time, for a drop below plan.
//
// Every detector keeps a statistic oriented so that larger means more evidence of a drop, and
// signals while the statistic is past its threshold. The state does not reset by itself after a
// signal: the caller decides (call Reset to start watching afresh, as after a handled alarm).
//
// The implementations in this package (*BelowPlan, *CUSUM, *EWMA, *BetaBinomial) are plain
// structs whose exported fields are the whole of their design and state, so a store can persist
// them (for example as JSON) between evaluations and a copy is an independent detector. They are
// not safe for concurrent use; copy one per goroutine.
type Detector interface {
	// Update folds one period's observation into the state and reports whether the detector
	// signals after it. A period with no data leaves the state, and so the answer, unchanged.
	// An invalid observation or design returns a *ValidationError and leaves the state unchanged.
	Update(o Observation) (signal bool, err error)
	// Statistic returns the current value of the detector's statistic.
	Statistic() float64
	// Reset returns the detector to its starting, in-control state.
	Reset()
}

// Design is a statistical detector's design without its threshold: what it watches (the
// Baseline) and how. Calibrate turns a Design and a target in-control average run length into a
// threshold; NewDetector builds the detector.
//
// Designs are comparable values and safe for concurrent use. The implementations are
// CUSUMDesign, EWMADesign and BetaBinomialDesign; the set is closed.
type Design interface {
	// Validate reports whether the design can be used, as a *ValidationError.
	Validate() error
	// inControl returns the in-control model the design is built on and calibrated against.
	inControl() Baseline
	// NewDetector returns a detector in its starting state that signals while its statistic
	// exceeds threshold.
	NewDetector(threshold float64) (Detector, error)

	// withDefaults returns the design with zero fields replaced by their defaults.
	withDefaults() Design
	// tracker returns a detector in its starting state for simulation; the design is valid.
	tracker() tracker
}

// tracker is the unvalidated fast path calibration drives.
type tracker interface {
	// observe folds a valid observation into the state.
	observe(o Observation)
	Statistic() float64
	Reset()
}

// checkFinite validates that v is a finite number.
func checkFinite(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return invalid(field, "must be a finite number, got %v", v)
	}
	return nil
}
