package goalkit

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// watching is the State of a stream detector's row, stored as a
// storage.AlertDetector beside the alert instances under the fingerprint
// detectorPrefix + the stream's fingerprint.
const (
	watching       = "watching"
	detectorPrefix = "detector/"
)

// conversionSamples runs every conversion watch (alert.ConversionWatch) as
// of asOf: it reads each stream's stored detector, lets the watch fold the
// settled periods into it, writes back what changed in the same
// transaction, and appends one sample per watched (unit, stage). The policy
// (what settles, how a detector is calibrated) is the alert package's; the
// engine only loads and stores.
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
		round, err := w.Round(e.cal, org, deals, asOf, &e.calibrator)
		if err != nil {
			return nil, err
		}
		for s := range f.Stages {
			for u := range org.Len() {
				unit := org.At(u).ID
				smp, err := e.foldStream(ctx, tx, stored, round, s, u, unit)
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

// foldStream folds one (unit, stage) stream with its stored detector and
// stores the detector when it changed. It returns the stream's sample, or
// nil while the unit is not watched.
func (e *Engine) foldStream(ctx context.Context, tx storage.Tx, stored map[string]storage.AlertState, round *alert.ConversionRound, s, u int, unit string) (*alert.Sample, error) {
	fp, err := round.Fingerprint(s, unit)
	if err != nil {
		return nil, err
	}
	key := detectorPrefix + fp
	row, known := stored[key]
	var prev *alert.StreamState
	if known {
		d, through, err := decodeDetector(key, row.Detector)
		if err != nil {
			return nil, err
		}
		prev = &alert.StreamState{Detector: d, Through: through}
	}
	smp, next, err := round.Fold(s, u, prev)
	if smp == nil || err != nil {
		return nil, err
	}
	if next != nil {
		data, err := encodeDetector(next.Detector, next.Through)
		if err != nil {
			return nil, err
		}
		state := storage.AlertState{Fingerprint: key, Kind: storage.AlertDetector, Rule: smp.Rule, Labels: smp.Labels(), State: watching, LastEval: row.LastEval, Detector: data}
		if _, err := tx.PutAlert(ctx, state, row.Version); err != nil {
			return nil, err
		}
	}
	return smp, nil
}
