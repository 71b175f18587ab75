package goalkit

import (
	"context"
	"fmt"
	"math"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ConversionWatch watches the conversion of every stage of a funnel, for
// every unit of the org, with a calibrated detector per (unit, stage) (see
// alert.ConversionDropRule): a stage whose conversion falls below the
// model's plan raises a conversion_drop alert that stays one episode for as
// long as the drop lasts.
//
// Each Evaluate folds into each detector the periods of Grain whose cohort
// has settled: a period is folded once Settle days have passed since it
// ended (by default the stage's typical duration, StageModel.Days), and its
// observation is the cohort of deals that entered the stage in the period,
// measured as of the evaluation. With a measured model (Measurement.Model,
// whose stages carry their conversion Curve) the observation is
// censoring-aware: every cohort deal is a trial and those that advanced
// within Settle days (at least one) are the successes, compared with the
// model's share advancing within as many days (StageModel.AdvanceWithin), so leads that
// stop moving without being marked lost lower the rate. With a hand-made
// model (no Curve) those resolved are the trials, those that advanced the
// successes, compared with StageModel.Advance. A unit's first evaluation calibrates its detector
// from the model's rate, the unit's mean resolved deals per period and their
// overdispersion (alert.EstimateDispersion) over the History periods before,
// and folds nothing; a unit with no resolved
// deals in that window is not watched yet. Detectors are stored with the
// alert states, in the same transaction.
type ConversionWatch struct {
	Model funnel.Model
	Rule  alert.ConversionDropRule
	// Grain is the period folded at a time; zero means goal.Week.
	Grain goal.Grain
	// Settle is how many days after a period ends its cohort is measured;
	// zero means each stage's typical duration.
	Settle int
	// History is how many settled periods estimate a new detector's mean
	// trials per period; zero means 8.
	History int
}

func (w ConversionWatch) validate() error {
	if err := w.Model.Validate(); err != nil {
		return err
	}
	if w.Grain != goal.Range && (w.Grain < goal.Day || w.Grain > goal.Year) {
		return fmt.Errorf("conversion watch of funnel %q: grain %s is not a calendar grain: %w", w.Model.Funnel.Key, w.Grain, ErrInvalid)
	}
	if w.Settle < 0 || w.History < 0 {
		return fmt.Errorf("conversion watch of funnel %q: Settle and History must not be negative: %w", w.Model.Funnel.Key, ErrInvalid)
	}
	_, err := w.Rule.Detector.Design(alert.RateBaseline(0.5, 10))
	return err
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

// observation is what one settled cohort of stage s says. With a measured
// model (a StageModel with a Curve) it is censoring-aware: the cohort's deals
// are the trials and those that advanced within the settling time the
// successes (StageMeasure.Within), so a lead that stopped moving counts
// against the rate even though nobody marked it lost. With a hand-made
// model it is the resolved deals (alert.ConversionObservation).
func (w ConversionWatch) observation(s int, sm funnel.StageMeasure) alert.Observation {
	if len(w.Model.Stages[s].Curve) == 0 {
		return alert.ConversionObservation(sm)
	}
	return alert.Observation{Trials: sm.Within.Trials, Successes: sm.Within.Hits}
}

// planned is the in-control rate of stage s that observations are compared
// with: the model's share advancing within the settling time when it has a
// curve, else its conversion.
func (w ConversionWatch) planned(s int) decimal.Decimal {
	if p, ok := w.Model.Stages[s].AdvanceWithin(w.horizon(s)); ok {
		return p
	}
	return w.Model.Stages[s].Advance
}

// horizon is the number of days within which a settled cohort's deals of
// stage s must advance to count as successes: the settling time, at least a
// day (funnel.MeasureOptions.Horizon 0 measures nothing).
func (w ConversionWatch) horizon(s int) int {
	return max(w.settle(s), 1)
}

// watching is the State of a stream detector's row, stored as a
// storage.AlertDetector beside the alert instances under the fingerprint
// detectorPrefix + the stream's fingerprint.
const (
	watching       = "watching"
	detectorPrefix = "detector/"
)

// conversionSamples folds the settled periods of every conversion watch into
// its detectors, writes the detectors back, and appends one sample per
// watched (unit, stage).
func (e *Engine) conversionSamples(ctx context.Context, tx storage.Tx, org *goal.Org, out []alert.Sample, asOf date.Date) ([]alert.Sample, error) {
	if len(e.rules.Conversion) == 0 {
		return out, nil
	}
	rows, err := tx.ListLiveAlerts(ctx, storage.AlertDetector)
	if err != nil {
		return nil, err
	}
	stored := make(map[string]storage.AlertState, len(rows))
	for _, r := range rows {
		stored[r.Fingerprint] = r
	}
	for _, w := range e.rules.Conversion {
		f := w.Model.Funnel
		deals, err := tx.ListDeals(ctx, storage.DealFilter{Funnel: f.Key})
		if err != nil {
			return nil, err
		}
		m := &measurer{f: f, deals: deals, org: org, asOf: asOf, cache: map[measureKey][]funnel.Measurement{}}
		for s := range f.Stages {
			last := e.lastSettled(w, s, asOf)
			for u := range org.Len() {
				unit := org.At(u).ID
				smp, err := e.foldStream(ctx, tx, stored, w, m, s, u, unit, last)
				if err != nil {
					return nil, fmt.Errorf("conversion of %s at stage %q: %w", unit, f.Stages[s].Key, err)
				}
				if smp != nil {
					out = append(out, *smp)
				}
			}
		}
	}
	return out, nil
}

// lastSettled returns the last period of the watch's grain whose cohort at
// stage s has settled by asOf (the zero Period before any has).
func (e *Engine) lastSettled(w ConversionWatch, s int, asOf date.Date) goal.Period {
	p, _ := e.cal.PeriodOf(w.grain(), asOf-date.Date(w.settle(s)))
	return e.cal.Prev(p)
}

// foldStream brings one (unit, stage) detector up to the last settled
// period and returns its sample, or nil while the unit is not watched.
func (e *Engine) foldStream(ctx context.Context, tx storage.Tx, stored map[string]storage.AlertState, w ConversionWatch, m *measurer, s, u int, unit string, last goal.Period) (*alert.Sample, error) {
	f := w.Model.Funnel
	in := alert.StreamInput{Unit: unit, Metric: f.StageMetric(s), Stage: f.Stages[s].Key, Period: last}
	name := w.Rule.Name
	if name == "" {
		name = alert.RuleConversionDrop
	}
	key := detectorPrefix + alert.Sample{Rule: name, Unit: unit, Metric: in.Metric, Extra: alert.Labels{alert.LabelStage: in.Stage}}.Fingerprint()
	row, known := stored[key]
	var (
		d       alert.Detector
		through date.Date
		err     error
	)
	if known {
		if d, through, err = decodeDetector(key, row.Detector); err != nil {
			return nil, err
		}
	} else {
		// A new stream: calibrate from the plan's rate and the unit's mean
		// resolved deals per period, fold nothing yet.
		var history []alert.Observation
		trials := 0
		for p := last; len(history) < w.history(); p = e.cal.Prev(p) {
			ms, err := m.at(p, w.horizon(s))
			if err != nil {
				return nil, err
			}
			o := w.observation(s, ms[u].Stages[s])
			history = append(history, o)
			trials += o.Trials
		}
		mean := roundTrials(float64(trials) / float64(len(history)))
		if mean == 0 {
			return nil, nil
		}
		// Real rates wobble more than a binomial: estimate the dispersion
		// from the same history (1 when it cannot tell), rounded to a tenth
		// so that similar streams share a calibration.
		phi, err := alert.EstimateDispersion(alert.RateStream, history)
		if err != nil || phi >= mean {
			phi = 1
		}
		phi = math.Round(phi*10) / 10
		p0, _ := w.planned(s).Float64()
		if d, err = w.Rule.NewDetector(p0, mean, phi, &e.calibrator); err != nil {
			return nil, err
		}
		through = last.End
	}
	var smp alert.Sample
	folded := false
	for p := e.cal.Next(e.periodBefore(w, through)); p.End <= last.End; p = e.cal.Next(p) {
		ms, err := m.at(p, w.horizon(s))
		if err != nil {
			return nil, err
		}
		in.Period, in.Observation = p, w.observation(s, ms[u].Stages[s])
		if smp, d, err = w.Rule.Check(d, in); err != nil {
			return nil, err
		}
		folded = true
	}
	if !folded {
		// Nothing new settled: repeat the detector's standing.
		in.Observation = alert.Observation{}
		if smp, d, err = w.Rule.Check(d, in); err != nil {
			return nil, err
		}
	}
	if !known || folded {
		data, err := encodeDetector(d, max(through, last.End))
		if err != nil {
			return nil, err
		}
		state := storage.AlertState{Fingerprint: key, Kind: storage.AlertDetector, Rule: name, Labels: smp.Labels(), State: watching, LastEval: row.LastEval, Detector: data}
		if _, err := tx.PutAlert(ctx, state, row.Version); err != nil {
			return nil, err
		}
	}
	return &smp, nil
}

// periodBefore returns the period of the watch's grain that ends at end.
func (e *Engine) periodBefore(w ConversionWatch, end date.Date) goal.Period {
	p, _ := e.cal.PeriodOf(w.grain(), end-1)
	return p
}

// roundTrials rounds a mean number of trials to two significant digits, so
// that streams of about the same size share one calibration.
func roundTrials(x float64) float64 {
	if x <= 0 {
		return 0
	}
	scale := math.Pow(10, math.Floor(math.Log10(x))-1)
	return math.Round(x/scale) * scale
}

// measurer measures a funnel's cohorts per period for every unit, once per
// period and horizon.
type measurer struct {
	f     funnel.Funnel
	deals []funnel.Deal
	org   *goal.Org
	asOf  date.Date
	cache map[measureKey][]funnel.Measurement
}

type measureKey struct {
	period  goal.Period
	horizon int
}

func (m *measurer) at(p goal.Period, horizon int) ([]funnel.Measurement, error) {
	k := measureKey{p, horizon}
	if ms, ok := m.cache[k]; ok {
		return ms, nil
	}
	ms, err := funnel.MeasureByUnit(m.f, m.deals, m.org, funnel.MeasureOptions{AsOf: m.asOf, From: p.Start, To: p.End, PriorStrength: -1, Horizon: horizon})
	if err != nil {
		return nil, err
	}
	m.cache[k] = ms
	return ms, nil
}
