package alert

import (
	"math"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ConversionWatch watches the conversion of every stage of a funnel, for every unit of the org,
// with a calibrated detector per (unit, stage) (see ConversionDropRule): a stage whose
// conversion falls below the model's plan raises a conversion_drop alert that stays one episode
// for as long as the drop lasts.
//
// A period's cohort (the deals that entered the stage in it) is folded into the detector once
// Settle days have passed since the period ended. With a measured model
// (funnel.Measurement.Model, whose stages carry a Curve) the observation is censoring-aware:
// every cohort deal is a trial and those that advanced within Settle days are the successes,
// against the model's share advancing within as many days, so leads that stop moving without
// being marked lost lower the rate. With a hand-made model the resolved deals are the trials
// and those that advanced the successes, against funnel.StageModel.Advance. A stream's first
// round calibrates its detector from the History periods before (mean trials and their
// overdispersion) and folds nothing; a unit with no resolved deals then is not watched yet.
//
// A ConversionWatch is a plain value, safe for concurrent use; Round starts one evaluation.
type ConversionWatch struct {
	Model funnel.Model
	Rule  ConversionDropRule
	// Grain is the period folded at a time; zero means goal.Week.
	Grain goal.Grain
	// Settle is how many days after a period ends its cohort is measured; zero means each
	// stage's typical duration.
	Settle int
	// History is how many settled periods estimate a new detector's mean trials per period;
	// zero means 8.
	History int
}

// Validate reports whether the watch can run: a valid model, a calendar grain, no negative
// Settle or History, and a detector spec that designs.
func (w ConversionWatch) Validate() error {
	if err := w.Model.Validate(); err != nil {
		return err
	}
	if w.Grain != goal.Range && (w.Grain < goal.Day || w.Grain > goal.Year) {
		return invalid("ConversionWatch.Grain", "of funnel %q: %s is not a calendar grain; use goal.Day up to goal.Year, or zero for goal.Week", w.Model.Funnel.Key, w.Grain)
	}
	if w.Settle < 0 || w.History < 0 {
		return invalid("ConversionWatch.Settle", "of funnel %q: Settle and History must not be negative (zero for the defaults)", w.Model.Funnel.Key)
	}
	_, err := w.Rule.Detector.design(RateBaseline(0.5, 10))
	return err
}

// StreamState is what a host persists of one watched stream between evaluations: its detector
// and the end of the last period folded into it.
type StreamState struct {
	Detector Detector
	Through  date.Date
}

// ConversionRound is one evaluation of a ConversionWatch as of a day: it measures the funnel's
// deals per period for every unit of the org, each period once, and folds them into the
// streams' detectors. It is not safe for concurrent use.
type ConversionRound struct {
	w     ConversionWatch
	cal   *goal.Calendar
	org   *goal.Org
	deals []funnel.Deal
	asOf  date.Date
	calib *Calibrator
	cache map[measureKey][]funnel.Measurement
}

type measureKey struct {
	period  goal.Period
	horizon int
}

// Round starts an evaluation as of asOf over the funnel's deals, on the calendar's periods and
// the org's units. c remembers calibrations across rounds and may be nil. A watch that does not
// Validate, or a nil calendar or org, is an error matching ErrInvalid.
func (w ConversionWatch) Round(cal *goal.Calendar, org *goal.Org, deals []funnel.Deal, asOf date.Date, c *Calibrator) (*ConversionRound, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if cal == nil || org == nil {
		return nil, invalid("ConversionWatch.Round", "of funnel %q needs a calendar and an org", w.Model.Funnel.Key)
	}
	return &ConversionRound{w: w, cal: cal, org: org, deals: deals, asOf: asOf, calib: c, cache: map[measureKey][]funnel.Measurement{}}, nil
}

// Fingerprint returns the fingerprint of the stream of stage (an index into the funnel's
// stages) and unit: the identity of its alert, under which a host stores its StreamState.
func (r *ConversionRound) Fingerprint(stage int, unit string) (string, error) {
	if err := r.checkStage(stage); err != nil {
		return "", err
	}
	return r.input(stage, unit).sample(r.w.Rule).Fingerprint(), nil
}

// Fold brings the stream of stage and unit (an index into the org) up to the last period
// settled as of the round's day. prev is the stream's stored state, nil for a stream not seen
// before, which is calibrated from its history and folds nothing yet. Fold returns the
// stream's sample, nil while the unit is not watched (no resolved deals in its history), and
// the state to store, nil when nothing changed. prev is not modified.
func (r *ConversionRound) Fold(stage, unit int, prev *StreamState) (*Sample, *StreamState, error) {
	if err := r.checkStage(stage); err != nil {
		return nil, nil, err
	}
	if unit < 0 || unit >= r.org.Len() {
		return nil, nil, invalid("unit", "index %d is not a unit of the org (0 to %d)", unit, r.org.Len()-1)
	}
	w := r.w
	last := r.lastSettled(stage)
	in := r.input(stage, r.org.At(unit).ID)
	in.Period = last
	var st StreamState
	if prev != nil {
		st = *prev
	} else {
		d, err := r.calibrate(stage, unit, last)
		if d == nil || err != nil {
			return nil, nil, err
		}
		st = StreamState{Detector: d, Through: last.End}
	}
	var (
		smp    Sample
		err    error
		folded bool
	)
	start := r.periodOf(st.Through - 1)
	for p := r.cal.Next(start); p.End <= last.End; p = r.cal.Next(p) {
		if in.Observation, err = r.observe(stage, unit, p); err != nil {
			return nil, nil, err
		}
		in.Period = p
		if smp, st.Detector, err = w.Rule.Check(st.Detector, in); err != nil {
			return nil, nil, err
		}
		folded = true
	}
	if !folded {
		// Nothing new settled: repeat the detector's standing.
		in.Observation = Observation{}
		if smp, st.Detector, err = w.Rule.Check(st.Detector, in); err != nil {
			return nil, nil, err
		}
	}
	if prev != nil && !folded {
		return &smp, nil, nil
	}
	st.Through = max(st.Through, last.End)
	return &smp, &st, nil
}

// checkStage reports whether stage is an index of the funnel's stages.
func (r *ConversionRound) checkStage(stage int) error {
	if n := len(r.w.Model.Funnel.Stages); stage < 0 || stage >= n {
		return invalid("stage", "index %d is not a stage of funnel %q (0 to %d)", stage, r.w.Model.Funnel.Key, n-1)
	}
	return nil
}

// calibrate builds a new stream's detector from the plan's rate and the unit's mean trials per
// period over the History settled periods up to last, or returns nil when there were none.
func (r *ConversionRound) calibrate(stage, unit int, last goal.Period) (Detector, error) {
	w := r.w
	var history []Observation
	trials := 0
	for p := last; len(history) < w.history(); p = r.cal.Prev(p) {
		o, err := r.observe(stage, unit, p)
		if err != nil {
			return nil, err
		}
		history = append(history, o)
		trials += o.Trials
	}
	mean := roundTrials(float64(trials) / float64(len(history)))
	if mean == 0 {
		return nil, nil
	}
	// Real rates wobble more than a binomial: estimate the dispersion from the same history (1
	// when it cannot tell), rounded to a tenth so that similar streams share a calibration.
	phi, err := EstimateDispersion(RateStream, history)
	if err != nil || phi >= mean {
		phi = 1
	}
	phi = math.Round(phi*10) / 10
	p0, _ := w.planned(stage).Float64()
	return w.Rule.NewDetector(p0, mean, phi, r.calib)
}

// input is the stream of stage and unit, without a period or observation.
func (r *ConversionRound) input(stage int, unit string) StreamInput {
	f := r.w.Model.Funnel
	return StreamInput{Unit: unit, Metric: f.StageMetric(stage), Stage: f.Stages[stage].Key}
}

// sample is the identity of the stream's samples under rule.
func (in StreamInput) sample(rule ConversionDropRule) Sample {
	return Sample{Rule: ruleName(rule.Name, RuleConversionDrop), Unit: in.Unit, Metric: in.Metric, Extra: Labels{LabelStage: in.Stage}}
}

// lastSettled returns the last period of the watch's grain whose cohort at stage has settled
// by the round's day.
func (r *ConversionRound) lastSettled(stage int) goal.Period {
	return r.cal.Prev(r.periodOf(r.asOf - date.Date(r.w.settle(stage))))
}

// periodOf returns the period of the watch's grain that holds d. Round validated the grain, the
// one thing goal.Calendar.PeriodOf can refuse.
func (r *ConversionRound) periodOf(d date.Date) goal.Period {
	p, _ := r.cal.PeriodOf(r.w.grain(), d)
	return p
}

// observe returns what the cohort of period p says about stage for unit. With a measured model
// (a StageModel with a Curve) it is censoring-aware: the cohort's deals are the trials and
// those that advanced within the settling time the successes (StageMeasure.Within), so a lead
// that stopped moving counts against the rate even though nobody marked it lost. With a
// hand-made model it is the resolved deals (ConversionObservation).
func (r *ConversionRound) observe(stage, unit int, p goal.Period) (Observation, error) {
	h := r.w.horizon(stage)
	k := measureKey{p, h}
	ms, ok := r.cache[k]
	if !ok {
		var err error
		ms, err = funnel.MeasureByUnit(r.w.Model.Funnel, r.deals, r.org, funnel.MeasureOptions{AsOf: r.asOf, From: p.Start, To: p.End, PriorStrength: -1, Horizon: h})
		if err != nil {
			return Observation{}, err
		}
		r.cache[k] = ms
	}
	sm := ms[unit].Stages[stage]
	if len(r.w.Model.Stages[stage].Curve) == 0 {
		return ConversionObservation(sm), nil
	}
	return Observation{Trials: sm.Within.Trials, Successes: sm.Within.Hits}, nil
}

func (w ConversionWatch) grain() goal.Grain {
	if w.Grain == goal.Range {
		return goal.Week
	}
	return w.Grain
}

func (w ConversionWatch) history() int {
	if w.History == 0 {
		return 8
	}
	return w.History
}

func (w ConversionWatch) settle(stage int) int {
	if w.Settle == 0 {
		return w.Model.Stages[stage].Days
	}
	return w.Settle
}

// planned is the in-control rate of stage that observations are compared with: the model's
// share advancing within the settling time when it has a curve, else its conversion.
func (w ConversionWatch) planned(stage int) decimal.Decimal {
	if p, ok := w.Model.Stages[stage].AdvanceWithin(w.horizon(stage)); ok {
		return p
	}
	return w.Model.Stages[stage].Advance
}

// horizon is the number of days within which a settled cohort's deals of stage must advance to
// count as successes: the settling time, at least a day (funnel.MeasureOptions.Horizon 0
// measures nothing).
func (w ConversionWatch) horizon(stage int) int {
	return max(w.settle(stage), 1)
}

// roundTrials rounds a mean number of trials to two significant digits, so that streams of
// about the same size share one calibration.
func roundTrials(x float64) float64 {
	if x <= 0 {
		return 0
	}
	scale := math.Pow(10, math.Floor(math.Log10(x))-1)
	return math.Round(x/scale) * scale
}
