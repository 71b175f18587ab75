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

// encodeInstance returns the stored bytes of an alert instance.
func encodeInstance(in alert.Instance) ([]byte, error) {
	return json.Marshal(instanceRecord{
		V: stateVersion, Fingerprint: in.Fingerprint, Rule: in.Rule, Unit: in.Unit, Labels: in.Labels,
		State: string(in.State), Severity: in.Severity.String(), Since: in.Since, LastEval: in.LastEval,
		FiredAt: in.FiredAt, ClearedAt: in.ClearedAt, ResolvedAt: in.ResolvedAt, LastNotified: in.LastNotified,
		ActiveEvals: in.ActiveEvals, ClearEvals: in.ClearEvals, FiringEvals: in.FiringEvals, Reminders: in.Reminders,
		FiringNotified: in.FiringNotified, ResolvedNotified: in.ResolvedNotified, Escalated: in.Escalated,
		Value: in.Value, Threshold: in.Threshold, Message: in.Message,
	})
}

// decodeInstance reads an alert instance stored under fingerprint.
func decodeInstance(fingerprint string, data []byte) (alert.Instance, error) {
	var r instanceRecord
	if err := decodeRecord(data, &r.V, &r); err != nil {
		return alert.Instance{}, &StateError{Kind: "alert instance", Key: fingerprint, Version: r.V, Err: err}
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
	if err == nil && r.Fingerprint != fingerprint {
		err = fmt.Errorf("it holds the instance %q", r.Fingerprint)
	}
	if err == nil && (r.ActiveEvals < 0 || r.ClearEvals < 0 || r.FiringEvals < 0 || r.Reminders < 0) {
		err = errors.New("a counter is negative")
	}
	if err != nil {
		return alert.Instance{}, &StateError{Kind: "alert instance", Key: fingerprint, Version: r.V, Err: err}
	}
	return in, nil
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
	return json.Marshal(r)
}

// decodeDetector reads the detector stored under key and the end of the
// last period it folded.
func decodeDetector(key string, data []byte) (alert.Detector, date.Date, error) {
	var r detectorRecord
	d, err := r.decode(data)
	if err != nil {
		return nil, 0, &StateError{Kind: "detector", Key: key, Version: r.V, Err: err}
	}
	return d, r.Through, nil
}

func (r *detectorRecord) decode(data []byte) (alert.Detector, error) {
	if err := decodeRecord(data, &r.V, r); err != nil {
		return nil, err
	}
	var (
		d   alert.Detector
		n   int
		b   alert.Baseline
		err error
	)
	if c := r.CUSUM; c != nil {
		b, err = c.Baseline.baseline()
		d, n = &alert.CUSUM{Design: alert.CUSUMDesign{Baseline: b, Shifted: c.Shifted}, Threshold: c.Threshold, S: c.S}, n+1
	}
	if e := r.EWMA; e != nil && err == nil {
		b, err = e.Baseline.baseline()
		d, n = &alert.EWMA{Design: alert.EWMADesign{Baseline: b, Smoothing: e.Smoothing}, Limit: e.Limit, Mean: e.Mean, Variance: e.Variance}, n+1
	}
	if bb := r.BetaBinomial; bb != nil && err == nil {
		b, err = bb.Baseline.baseline()
		d, n = &alert.BetaBinomial{Design: alert.BetaBinomialDesign{Baseline: b, Discount: bb.Discount, Below: bb.Below, PriorTrials: bb.PriorTrials},
			Threshold: bb.Threshold, Alpha: bb.Alpha, Beta: bb.Beta}, n+1
	}
	switch {
	case err != nil:
		return nil, err
	case n != 1:
		return nil, fmt.Errorf("it holds %d detectors, want exactly 1", n)
	}
	return d, nil
}

// decodeRecord decodes data strictly into out after checking that its
// version, read into v, is stateVersion.
func decodeRecord(data []byte, v *int, out any) error {
	var head struct {
		V int `json:"v"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	*v = head.V
	if head.V != stateVersion {
		return fmt.Errorf("format version %d is not %d", head.V, stateVersion)
	}
	return decodeStrict(data, out)
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
