package alert

import (
	"fmt"
	"strconv"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// DetectorKind chooses the statistical detector a DetectorSpec builds.
type DetectorKind uint8

const (
	// DetectCUSUM is the zero value: a CUSUMDesign tuned to a drop of DetectorSpec.Drop.
	DetectCUSUM DetectorKind = iota
	// DetectEWMA is an EWMADesign with DetectorSpec.Smoothing.
	DetectEWMA
	// DetectBetaBinomial is a BetaBinomialDesign with its defaults; rates only.
	DetectBetaBinomial
)

// String returns "CUSUM", "EWMA" or "beta-binomial".
func (k DetectorKind) String() string {
	switch k {
	case DetectCUSUM:
		return "CUSUM"
	case DetectEWMA:
		return "EWMA"
	case DetectBetaBinomial:
		return "beta-binomial"
	}
	return fmt.Sprintf("DetectorKind(%d)", uint8(k))
}

// Defaults of a DetectorSpec.
const (
	// DefaultRuleARL is the in-control average run length a DetectorSpec calibrates to when ARL
	// is zero: 200 periods between false alarms, 5 per 1,000 periods.
	DefaultRuleARL = 200
	// DefaultRuleDrop is the relative drop a CUSUM is designed for when Drop is zero: 30%, the
	// 20% → 14% of BENCHMARKS.md W3.
	DefaultRuleDrop = 0.3
)

// DetectorSpec says how a ConversionDropRule or VolumeDropRule builds a detector for a stream:
// which kind, designed for which drop, calibrated to which false-alarm rate. The zero value is a
// CUSUM for a 30% drop at 200 periods between false alarms. It is a plain value, safe for
// concurrent use.
type DetectorSpec struct {
	// Kind is the detector; the zero value is DetectCUSUM.
	Kind DetectorKind
	// ARL is the in-control average run length to calibrate to, in periods (> 1): the false-alarm
	// rate the host can live with, 200 weekly periods being about one false alarm per stream every
	// four years. 0 means DefaultRuleARL.
	ARL float64
	// Drop is the relative drop a CUSUM is designed for, in (0, 1): 0.3 designs for a rate of
	// 0.20 falling to 0.14 or a need of 10 falling to 7. 0 means DefaultRuleDrop. Ignored by the
	// other kinds.
	Drop float64
	// Smoothing is the EWMA's λ (EWMADesign.Smoothing); 0 means its default 0.2.
	Smoothing float64
	// Options tune the calibration simulation; nil means the defaults (seed 0, 2,000 runs).
	Options *CalibrateOptions
}

// design returns the design the spec describes for the in-control model b.
func (s DetectorSpec) design(b Baseline) (Design, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if err := checkFinite("DetectorSpec.Drop", s.Drop); err != nil {
		return nil, err
	}
	if s.Drop < 0 || s.Drop >= 1 {
		return nil, invalid("DetectorSpec.Drop", "must be in (0, 1) (0 for the default %v), got %v", DefaultRuleDrop, s.Drop)
	}
	var d Design
	switch s.Kind {
	case DetectCUSUM:
		drop := s.Drop
		if drop == 0 {
			drop = DefaultRuleDrop
		}
		d = CUSUMDesign{Baseline: b, Shifted: b.level() * (1 - drop)}
	case DetectEWMA:
		d = EWMADesign{Baseline: b, Smoothing: s.Smoothing}
	case DetectBetaBinomial:
		if b.Kind != RateStream {
			return nil, invalid("DetectorSpec.Kind", "the beta-binomial detector watches rates, not %s streams; use DetectCUSUM or DetectEWMA", b.Kind)
		}
		d = BetaBinomialDesign{Baseline: b}
	default:
		return nil, invalid("DetectorSpec.Kind", "unknown detector kind %d", s.Kind)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// NewDetector builds the spec's detector for the in-control model b, calibrated to ARL with c
// (which remembers calibrations; nil calibrates afresh), in its starting state. The engine
// persists the detector and passes it to the rule's Check period after period.
func (s DetectorSpec) NewDetector(b Baseline, c *Calibrator) (Detector, error) {
	d, err := s.design(b)
	if err != nil {
		return nil, err
	}
	if err := checkFinite("DetectorSpec.ARL", s.ARL); err != nil {
		return nil, err
	}
	arl := s.ARL
	switch {
	case arl == 0:
		arl = DefaultRuleARL
	case arl <= 1:
		return nil, invalid("DetectorSpec.ARL", "must be above 1 period (0 for the default %d), got %v", DefaultRuleARL, s.ARL)
	}
	var cal Calibration
	if c != nil {
		cal, err = c.Calibrate(d, arl, s.Options)
	} else {
		cal, err = Calibrate(d, arl, s.Options)
	}
	if err != nil {
		return nil, err
	}
	return d.NewDetector(cal.Threshold)
}

// StreamInput is one closed period of a watched stream, for ConversionDropRule and
// VolumeDropRule.
type StreamInput struct {
	// Unit is the org unit the stream is about; required.
	Unit string
	// Metric names the stream: the stage's metric (funnel.Funnel.StageMetric) for a conversion,
	// the activity's count metric for a volume. Optional, but it is part of the alert's identity,
	// so two streams of one unit need different metrics (or stages).
	Metric string
	// Stage is the funnel stage's key, set as the LabelStage extra label; optional.
	Stage string
	// Period is the period observed. It appears in the message only: the alert's identity has no
	// period, because a detector accumulates evidence across periods and one drop is one alert
	// however many periods it lasts.
	Period goal.Period
	// Observation is the period's data. For a conversion: Trials = the deals of the stage's
	// cohort that resolved (advanced, lost or invalid), Successes = those that advanced (see
	// ConversionObservation). For a volume: CountObservation(count). Trials 0 means no data.
	Observation Observation
}

// ConversionDropRule watches a funnel stage's conversion rate, per unit and stage, with a
// calibrated rate detector: CUSUM by default, or EWMA or beta-binomial, each set by the
// false-alarm rate the host can live with (DetectorSpec.ARL). A period with no resolved deals is
// no data, never a 0% rate: it leaves the detector as it was.
//
// The engine builds a detector per (unit, stage) once with NewDetector, from the stage's planned
// rate (the model's StageModel.Advance, or a measured baseline) and its mean resolved deals per
// period, persists it, and after each closed period calls Check with it and the period's
// observation, saving the detector Check returns. Measure the period's cohort late enough for
// most of it to resolve (for example a stage's typical duration after the period ends): rates
// over the few deals resolved early lean toward the fast outcomes.
//
// A ConversionDropRule is a plain value, safe for concurrent use.
type ConversionDropRule struct {
	// Name is the rule's name in samples; empty means RuleConversionDrop.
	Name string
	// Detector says how NewDetector builds and calibrates the detector.
	Detector DetectorSpec
}

// NewDetector returns a calibrated detector for a stage whose planned conversion is p0 with
// meanTrials resolved deals per period on average, and with dispersion φ (0 or 1 for none; see
// EstimateDispersion). c remembers calibrations and may be nil.
func (r ConversionDropRule) NewDetector(p0, meanTrials, dispersion float64, c *Calibrator) (Detector, error) {
	b := RateBaseline(p0, meanTrials)
	b.Dispersion = dispersion
	return r.Detector.NewDetector(b, c)
}

// Check folds one closed period into the stage's detector and returns the sample and the updated
// detector; d itself is not modified, so a failed save can be retried with it. d must be one of
// this package's detectors (*CUSUM, *EWMA, *BetaBinomial, *BelowPlan) on a RateStream.
//
// The sample is about in.Unit and in.Metric with the stage as an extra label and no period (see
// StreamInput.Period). Its Value is the detector's statistic after the period and its Threshold
// the detector's threshold (h, L, the posterior probability, or the hold of a BelowPlan), so
// Active means Value is past Threshold; the message gives the period's rate against plan. In a
// period with no data the detector does not move and the sample repeats its standing, so an
// alert that fires is neither resolved nor raised by a week without deals.
func (r ConversionDropRule) Check(d Detector, in StreamInput) (Sample, Detector, error) {
	return checkStream(ruleName(r.Name, RuleConversionDrop), RateStream, d, in)
}

// ConversionObservation returns the Observation of a stage's conversion in one period from the
// stage's measurement over that period's cohort (funnel.Measure with From and To the period):
// trials are the cohort deals resolved as of the measurement (Advance.Trials: advanced, lost or
// invalid), successes those that advanced (Advance.Hits). No resolved deal means no data.
func ConversionObservation(sm funnel.StageMeasure) Observation {
	return Observation{Trials: sm.Advance.Trials, Successes: sm.Advance.Hits}
}

// VolumeDropRule watches an activity or lead count (calls, visits, new leads) per unit and
// period against what the reverse funnel needs (funnel.ProcessTarget.Count for the period),
// with a calibrated Poisson detector: CUSUM by default, or EWMA. A period whose count is missing
// (Observation.Trials 0) is no data, never zero activity.
//
// The detector's in-control mean is the need per period. When the need changes (a new quarter's
// process targets), build a new detector for it; the Calibrator remembers designs, so this is
// cheap. Within a period, before it closes, use PaceRule with Dispersion 1 (or the stream's φ)
// on the activity goal (funnel.ProcessPlan.Goals) to see whether the count so far keeps up.
//
// A VolumeDropRule is a plain value, safe for concurrent use.
type VolumeDropRule struct {
	// Name is the rule's name in samples; empty means RuleVolumeDrop.
	Name string
	// Detector says how NewDetector builds and calibrates the detector.
	Detector DetectorSpec
}

// NewDetector returns a calibrated detector for a count whose need is needed per period, with
// dispersion φ (0 or 1 for none; see EstimateDispersion). c remembers calibrations and may be
// nil.
func (r VolumeDropRule) NewDetector(needed, dispersion float64, c *Calibrator) (Detector, error) {
	b := CountBaseline(needed)
	b.Dispersion = dispersion
	return r.Detector.NewDetector(b, c)
}

// Check folds one closed period into the stream's detector and returns the sample and the
// updated detector, exactly as ConversionDropRule.Check does for rates; d must watch a
// CountStream. The message gives the period's count against the need.
func (r VolumeDropRule) Check(d Detector, in StreamInput) (Sample, Detector, error) {
	return checkStream(ruleName(r.Name, RuleVolumeDrop), CountStream, d, in)
}

// detectorView is what a rule reads of a detector to explain it.
type detectorView struct {
	name      string
	baseline  Baseline
	threshold float64
}

// copyDetector returns an independent copy of d and what a message needs to know about it.
func copyDetector(d Detector) (Detector, detectorView, error) {
	switch d := d.(type) {
	case *CUSUM:
		if d != nil {
			c := *d
			return &c, detectorView{"CUSUM", d.Design.Baseline, d.Threshold}, nil
		}
	case *EWMA:
		if d != nil {
			c := *d
			return &c, detectorView{"EWMA", d.Design.Baseline, d.Limit}, nil
		}
	case *BetaBinomial:
		if d != nil {
			c := *d
			return &c, detectorView{"beta-binomial", d.Design.Baseline, d.Threshold}, nil
		}
	case *BelowPlan:
		if d != nil {
			c := *d
			return &c, detectorView{"below-plan run", d.Design.Baseline, float64(d.Design.hold())}, nil
		}
	default:
		if d != nil {
			return nil, detectorView{}, invalid("detector", "%T is not a detector of this package; build one with DetectorSpec.NewDetector, a Design or BelowPlanDesign.New", d)
		}
	}
	return nil, detectorView{}, invalid("detector", "is nil; build one with the rule's NewDetector")
}

// checkStream is ConversionDropRule.Check and VolumeDropRule.Check.
func checkStream(rule string, kind StreamKind, d Detector, in StreamInput) (Sample, Detector, error) {
	next, view, err := copyDetector(d)
	if err != nil {
		return Sample{}, nil, err
	}
	if view.baseline.Kind != kind {
		return Sample{}, nil, invalid("detector", "watches a %s stream; this rule needs a %s stream", view.baseline.Kind, kind)
	}
	if in.Unit == "" {
		return Sample{}, nil, invalid("StreamInput.Unit", "must not be empty")
	}
	signal, err := next.Update(in.Observation)
	if err != nil {
		return Sample{}, nil, err
	}
	out := Sample{Rule: rule, Unit: in.Unit, Metric: in.Metric, Active: signal}
	if in.Stage != "" {
		out.Extra = Labels{LabelStage: in.Stage}
	}
	stat := next.Statistic()
	out.Value = floatDecimal(stat)
	out.Threshold = floatDecimal(view.threshold)
	out.Message = streamMessage(kind, in, view, stat, signal)
	return out, next, nil
}

// streamMessage explains one period of a stream.
func streamMessage(kind StreamKind, in StreamInput, v detectorView, stat float64, signal bool) string {
	what := in.Metric
	if in.Stage != "" && what == "" {
		what = in.Stage
	}
	head := in.Unit
	if what != "" {
		head += " " + what
	}
	if kind == RateStream {
		head += " conversion"
	}
	if !in.Period.IsZero() {
		head += ", " + periodText(in.Period)
	}
	o := in.Observation
	var seen string
	switch {
	case o.noData() && kind == RateStream:
		seen = "no resolved deals (no data)"
	case o.noData():
		seen = "no count reported (no data)"
	case kind == RateStream:
		rate := decimal.NewFromInt(int64(o.Successes)).DivRound(decimal.NewFromInt(int64(o.Trials)), 4)
		seen = fmt.Sprintf("%d of %d advanced (%s) against %s planned", o.Successes, o.Trials,
			percentText(rate), percentText(floatDecimal(v.baseline.P0)))
	case o.Trials == 1:
		seen = fmt.Sprintf("%d against %s needed", o.Successes, numText(v.baseline.Lambda0))
	default:
		seen = fmt.Sprintf("%d over %d periods against %s needed per period", o.Successes, o.Trials, numText(v.baseline.Lambda0))
	}
	verdict := "in control"
	switch {
	case signal && kind == RateStream:
		verdict = "conversion has dropped below plan"
	case signal:
		verdict = "volume has dropped below what the funnel needs"
	}
	hold := ""
	if o.noData() {
		hold = " holds"
	}
	return fmt.Sprintf("%s: %s; %s%s at %s (threshold %s): %s", head, seen, v.name, hold,
		numText(stat), numText(v.threshold), verdict)
}

// floatDecimal converts a detector figure to a decimal with 6 significant decimals; non-finite
// values (never produced by valid detectors) become zero.
func floatDecimal(f float64) decimal.Decimal {
	if f != f || f > 1e15 || f < -1e15 {
		return decimal.Zero
	}
	return decimal.NewFromFloat(f).Round(6)
}

// numText formats a detector figure briefly: up to 2 decimals, no trailing zeros.
func numText(f float64) string {
	return strconv.FormatFloat(floatDecimal(f).Round(2).InexactFloat64(), 'f', -1, 64)
}
