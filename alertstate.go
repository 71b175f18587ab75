package goalkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The engine stores two kinds of alert state (storage.AlertState.Kind):
// alert instances, whose Detector bytes hold an instanceRecord, and the
// detectors of conversion streams, whose bytes hold a detectorRecord. Both
// are JSON of the small wire structs below, with explicit field names and a
// version "v": the names are the format, not the Go fields of alert's types,
// so renaming a field in alert changes nothing stored. Decoding is strict:
// an unknown version, an unknown field or a malformed value is a
// *StateError, never a silently reset detector or a lost FiringNotified.
// Version 1 is the only version so far; a later one must keep reading 1.
// Rows without "v" were written before versions, as the Go fields of
// alert's types: they are read strictly too (a field renamed since fails),
// and rewritten in version 1 by the next evaluation that changes them.
const stateVersion = 1

// ErrStoredState reports stored alert state or an outbox payload that this
// engine cannot read: written by a newer version of goalkit, or damaged.
var ErrStoredState = errors.New("goalkit: unreadable stored state")

// StateError says which stored record could not be read and why. It
// matches ErrStoredState with errors.Is.
type StateError struct {
	// Kind is "alert instance", "detector" or "notification".
	Kind string
	// Key is the alert's fingerprint or the notification's key.
	Key string
	// Version is the format version found; 0 when there was none.
	Version int
	// Err is the decoding error.
	Err error
}

// Error names the stored row and what could not be read in it.
func (e *StateError) Error() string {
	if e.Version != 0 && e.Version != stateVersion {
		return fmt.Sprintf("goalkit: stored %s %q has format version %d, this engine reads version %d; run the goalkit version that wrote it", e.Kind, e.Key, e.Version, stateVersion)
	}
	return fmt.Sprintf("goalkit: stored %s %q cannot be read: %v; the row was damaged or written by another program", e.Kind, e.Key, e.Err)
}

// Unwrap makes a StateError match ErrStoredState and its cause.
func (e *StateError) Unwrap() []error { return []error{ErrStoredState, e.Err} }

// instanceRecord is the stored form of an alert.Instance, version 1.
type instanceRecord struct {
	V                int               `json:"v"`
	Fingerprint      string            `json:"fingerprint"`
	Rule             string            `json:"rule"`
	Unit             string            `json:"unit"`
	Labels           map[string]string `json:"labels"`
	State            string            `json:"state"`
	Severity         string            `json:"severity,omitempty"`
	Since            time.Time         `json:"since"`
	LastEval         time.Time         `json:"last_eval"`
	FiredAt          time.Time         `json:"fired_at"`
	ClearedAt        time.Time         `json:"cleared_at"`
	ResolvedAt       time.Time         `json:"resolved_at"`
	LastNotified     time.Time         `json:"last_notified"`
	ActiveEvals      int               `json:"active_evals"`
	ClearEvals       int               `json:"clear_evals"`
	FiringEvals      int               `json:"firing_evals"`
	Reminders        int               `json:"reminders"`
	FiringNotified   bool              `json:"firing_notified"`
	ResolvedNotified bool              `json:"resolved_notified"`
	Escalated        bool              `json:"escalated"`
	Value            decimal.Decimal   `json:"value"`
	Threshold        decimal.Decimal   `json:"threshold"`
	Message          string            `json:"message"`
}

// AlertInstance returns the alert instance the engine stored as s (see
// storage.Store's ListAlerts and ListLiveAlerts), for hosts that read stored
// alert states: its counters, value and message live in the engine's
// encoding of s.Detector, which hosts should not parse themselves. A state
// of another kind is ErrInvalid; one this engine cannot read is a
// *StateError.
func AlertInstance(s storage.AlertState) (alert.Instance, error) {
	if s.Kind != storage.AlertInstance {
		return alert.Instance{}, fmt.Errorf("goalkit: alert state %q holds a %s, not an alert instance: %w", s.Fingerprint, s.Kind, ErrInvalid)
	}
	if len(s.Detector) == 0 {
		return alert.Instance{}, fmt.Errorf("goalkit: alert state %q holds no instance (it is %s); read live ones with Engine.Store().ListLiveAlerts(ctx, storage.AlertInstance): %w", s.Fingerprint, s.State, ErrInvalid)
	}
	return decodeInstance(s.Fingerprint, s.Detector)
}

// decodeInstance reads an alert instance stored under fingerprint, in
// format version 1 or in the untagged format before versions.
func decodeInstance(fingerprint string, data []byte) (alert.Instance, error) {
	var in alert.Instance
	v, err := formatVersion(data)
	if err == nil {
		switch v {
		case 0:
			// Before versions: the JSON of alert.Instance by its Go field
			// names. Read strictly, so a field renamed since fails here; the
			// next evaluation rewrites it in version 1.
			err = decodeStrict(data, &in)
		case stateVersion:
			in, err = decodeInstanceV1(data)
		default:
			err = fmt.Errorf("format version %d is not %d", v, stateVersion)
		}
	}
	switch {
	case err != nil:
	case in.Fingerprint != fingerprint:
		err = fmt.Errorf("it holds the instance %q", in.Fingerprint)
	case in.ActiveEvals < 0 || in.ClearEvals < 0 || in.FiringEvals < 0 || in.Reminders < 0:
		err = errors.New("a counter is negative")
	}
	if err != nil {
		return alert.Instance{}, &StateError{Kind: "alert instance", Key: fingerprint, Version: v, Err: err}
	}
	return in, nil
}

func decodeInstanceV1(data []byte) (alert.Instance, error) {
	var r instanceRecord
	if err := decodeStrict(data, &r); err != nil {
		return alert.Instance{}, err
	}
	in := alert.Instance{
		Fingerprint: r.Fingerprint, Rule: r.Rule, Unit: r.Unit, Labels: r.Labels, State: alert.State(r.State),
		Since: r.Since, LastEval: r.LastEval, FiredAt: r.FiredAt, ClearedAt: r.ClearedAt, ResolvedAt: r.ResolvedAt,
		LastNotified: r.LastNotified, ActiveEvals: r.ActiveEvals, ClearEvals: r.ClearEvals, FiringEvals: r.FiringEvals,
		Reminders: r.Reminders, FiringNotified: r.FiringNotified, ResolvedNotified: r.ResolvedNotified,
		Escalated: r.Escalated, Value: r.Value, Threshold: r.Threshold, Message: r.Message,
	}
	var err error
	if r.Severity != "" {
		in.Severity, err = alert.ParseSeverity(r.Severity)
	}
	return in, err
}

// detectorRecord is the stored state of one conversion stream's detector,
// version 1: exactly one of the detector fields is set.
type detectorRecord struct {
	V            int                 `json:"v"`
	CUSUM        *cusumRecord        `json:"cusum,omitempty"`
	EWMA         *ewmaRecord         `json:"ewma,omitempty"`
	BetaBinomial *betaBinomialRecord `json:"beta_binomial,omitempty"`
	// Through is the end of the last period folded.
	Through date.Date `json:"through"`
}

// baselineRecord is an alert.Baseline; Kind is "rate" or "count".
type baselineRecord struct {
	Kind       string  `json:"kind"`
	P0         float64 `json:"p0"`
	MeanTrials float64 `json:"mean_trials"`
	Lambda0    float64 `json:"lambda0"`
	Dispersion float64 `json:"dispersion"`
}

// cusumRecord is an alert.CUSUM: design, threshold and statistic.
type cusumRecord struct {
	Baseline  baselineRecord `json:"baseline"`
	Shifted   float64        `json:"shifted"`
	Threshold float64        `json:"threshold"`
	S         float64        `json:"s"`
}

// ewmaRecord is an alert.EWMA: design, limit and state.
type ewmaRecord struct {
	Baseline  baselineRecord `json:"baseline"`
	Smoothing float64        `json:"smoothing"`
	Limit     float64        `json:"limit"`
	Mean      float64        `json:"mean"`
	Variance  float64        `json:"variance"`
}

// betaBinomialRecord is an alert.BetaBinomial: design, threshold and
// posterior.
type betaBinomialRecord struct {
	Baseline    baselineRecord `json:"baseline"`
	Discount    float64        `json:"discount"`
	Below       float64        `json:"below"`
	PriorTrials float64        `json:"prior_trials"`
	Threshold   float64        `json:"threshold"`
	Alpha       float64        `json:"alpha"`
	Beta        float64        `json:"beta"`
}

func newBaselineRecord(b alert.Baseline) baselineRecord {
	return baselineRecord{Kind: b.Kind.String(), P0: b.P0, MeanTrials: b.MeanTrials, Lambda0: b.Lambda0, Dispersion: b.Dispersion}
}

// baselineOf returns the baseline of one of the detectors a record holds.
func baselineOf(d alert.Detector) alert.Baseline {
	switch d := d.(type) {
	case *alert.CUSUM:
		return d.Design.Baseline
	case *alert.EWMA:
		return d.Design.Baseline
	case *alert.BetaBinomial:
		return d.Design.Baseline
	}
	return alert.Baseline{}
}

func (r baselineRecord) baseline() (alert.Baseline, error) {
	b := alert.Baseline{P0: r.P0, MeanTrials: r.MeanTrials, Lambda0: r.Lambda0, Dispersion: r.Dispersion}
	switch r.Kind {
	case alert.RateStream.String():
		b.Kind = alert.RateStream
	case alert.CountStream.String():
		b.Kind = alert.CountStream
	default:
		return b, fmt.Errorf("baseline kind %q is not rate or count", r.Kind)
	}
	return b, nil
}

// encodeDetector returns the stored bytes of a stream's detector that has
// folded the periods up to through.
func encodeDetector(d alert.Detector, through date.Date) ([]byte, error) {
	r := detectorRecord{V: stateVersion, Through: through}
	switch d := d.(type) {
	case *alert.CUSUM:
		r.CUSUM = &cusumRecord{Baseline: newBaselineRecord(d.Design.Baseline), Shifted: d.Design.Shifted, Threshold: d.Threshold, S: d.S}
	case *alert.EWMA:
		r.EWMA = &ewmaRecord{Baseline: newBaselineRecord(d.Design.Baseline), Smoothing: d.Design.Smoothing,
			Limit: d.Limit, Mean: d.Mean, Variance: d.Variance}
	case *alert.BetaBinomial:
		r.BetaBinomial = &betaBinomialRecord{Baseline: newBaselineRecord(d.Design.Baseline), Discount: d.Design.Discount,
			Below: d.Design.Below, PriorTrials: d.Design.PriorTrials, Threshold: d.Threshold, Alpha: d.Alpha, Beta: d.Beta}
	default:
		return nil, fmt.Errorf("detector %T cannot be stored", d)
	}
	if _, err := r.detector(); err != nil {
		return nil, fmt.Errorf("detector cannot be stored: %w", err)
	}
	return json.Marshal(r)
}

// legacyDetectorRecord is how detectors were stored before versions: the
// alert package's detector structs by their Go field names.
type legacyDetectorRecord struct {
	CUSUM        *alert.CUSUM        `json:"cusum,omitempty"`
	EWMA         *alert.EWMA         `json:"ewma,omitempty"`
	BetaBinomial *alert.BetaBinomial `json:"beta_binomial,omitempty"`
	Through      date.Date           `json:"through"`
}

// decodeDetector reads the detector stored under key and the end of the
// last period it folded, in format version 1 or in the format before
// versions (read strictly; the next fold rewrites it in version 1).
func decodeDetector(key string, data []byte) (alert.Detector, date.Date, error) {
	var (
		d       alert.Detector
		through date.Date
	)
	v, err := formatVersion(data)
	if err == nil {
		switch v {
		case 0:
			var r legacyDetectorRecord
			if err = decodeStrict(data, &r); err == nil {
				d, err = exactlyOne(r.CUSUM, r.EWMA, r.BetaBinomial)
				through = r.Through
				if k := baselineOf(d).Kind; err == nil && k != alert.RateStream && k != alert.CountStream {
					err = fmt.Errorf("baseline kind %d is not rate or count", k)
				}
			}
		case stateVersion:
			var r detectorRecord
			if err = decodeStrict(data, &r); err == nil {
				d, err = r.detector()
				through = r.Through
			}
		default:
			err = fmt.Errorf("format version %d is not %d", v, stateVersion)
		}
	}
	if err != nil {
		return nil, 0, &StateError{Kind: "detector", Key: key, Version: v, Err: err}
	}
	return d, through, nil
}

// exactlyOne returns the one non-nil detector of a record.
func exactlyOne(c *alert.CUSUM, e *alert.EWMA, b *alert.BetaBinomial) (alert.Detector, error) {
	var out []alert.Detector
	if c != nil {
		out = append(out, c)
	}
	if e != nil {
		out = append(out, e)
	}
	if b != nil {
		out = append(out, b)
	}
	if len(out) != 1 {
		return nil, fmt.Errorf("it holds %d detectors, want exactly 1", len(out))
	}
	return out[0], nil
}

func (r *detectorRecord) detector() (alert.Detector, error) {
	var (
		c  *alert.CUSUM
		e  *alert.EWMA
		bb *alert.BetaBinomial
	)
	if w := r.CUSUM; w != nil {
		b, err := w.Baseline.baseline()
		if err != nil {
			return nil, err
		}
		c = &alert.CUSUM{Design: alert.CUSUMDesign{Baseline: b, Shifted: w.Shifted}, Threshold: w.Threshold, S: w.S}
	}
	if w := r.EWMA; w != nil {
		b, err := w.Baseline.baseline()
		if err != nil {
			return nil, err
		}
		e = &alert.EWMA{Design: alert.EWMADesign{Baseline: b, Smoothing: w.Smoothing}, Limit: w.Limit, Mean: w.Mean, Variance: w.Variance}
	}
	if w := r.BetaBinomial; w != nil {
		b, err := w.Baseline.baseline()
		if err != nil {
			return nil, err
		}
		bb = &alert.BetaBinomial{Design: alert.BetaBinomialDesign{Baseline: b, Discount: w.Discount, Below: w.Below, PriorTrials: w.PriorTrials},
			Threshold: w.Threshold, Alpha: w.Alpha, Beta: w.Beta}
	}
	return exactlyOne(c, e, bb)
}

// formatVersion returns the "v" of a stored record: 0 for the untagged
// format written before versions.
func formatVersion(data []byte) (int, error) {
	var head struct {
		V int `json:"v"`
	}
	err := json.Unmarshal(data, &head)
	return head.V, err
}

// decodeStrict decodes one JSON value into out, refusing unknown fields and
// trailing data.
func decodeStrict(data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the record")
	}
	return nil
}

// decodeNotification reads an outbox payload: the JSON of an
// alert.Notification, decoded strictly.
func decodeNotification(n storage.Notification) (alert.Notification, error) {
	var out alert.Notification
	if err := decodeStrict(n.Payload, &out); err != nil {
		return alert.Notification{}, &StateError{Kind: "notification", Key: n.Key, Err: err}
	}
	return out, nil
}
