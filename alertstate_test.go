package goalkit

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func goldenInstance() alert.Instance {
	at := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	return alert.Instance{
		Fingerprint: "fp", Rule: "pace", Unit: "li", Labels: alert.Labels{"rule": "pace", "unit": "li"},
		State: alert.StateFiring, Severity: alert.SeverityWarning, Since: at, LastEval: at.Add(time.Hour), FiredAt: at,
		ClearedAt: at.Add(2 * time.Hour), LastNotified: at, ActiveEvals: 3, ClearEvals: 1, FiringEvals: 2, Reminders: 1,
		FiringNotified: true, Escalated: true, Value: decimal.RequireFromString("12.50"), Threshold: decimal.NewFromInt(20),
		Message: "li is behind",
	}
}

// The stored formats are pinned: changing a name here breaks every
// stored state, so it needs a new version and a reader for version 1.
const (
	goldenInstanceJSON = `{"v":1,"fingerprint":"fp","rule":"pace","unit":"li","labels":{"rule":"pace","unit":"li"},` +
		`"state":"firing","severity":"warning","since":"2026-03-04T00:00:00Z","last_eval":"2026-03-04T01:00:00Z",` +
		`"fired_at":"2026-03-04T00:00:00Z","cleared_at":"2026-03-04T02:00:00Z","resolved_at":"0001-01-01T00:00:00Z",` +
		`"last_notified":"2026-03-04T00:00:00Z","active_evals":3,"clear_evals":1,"firing_evals":2,"reminders":1,` +
		`"firing_notified":true,"resolved_notified":false,"escalated":true,"value":"12.5","threshold":"20","message":"li is behind"}`
	goldenCUSUMJSON = `{"v":1,"cusum":{"baseline":{"kind":"rate","p0":0.3,"mean_trials":40,"lambda0":0,"dispersion":1.5},` +
		`"shifted":0.2,"threshold":4.5,"s":1.25},"through":"2026-03-01"}`
)

func TestInstanceRecordGolden(t *testing.T) {
	data, err := encodeInstance(goldenInstance())
	require.NoError(t, err)
	require.JSONEq(t, goldenInstanceJSON, string(data))
	got, err := decodeInstance("fp", []byte(goldenInstanceJSON))
	require.NoError(t, err)
	require.Equal(t, goldenInstance().Value.String(), got.Value.String())
	got.Value = goldenInstance().Value
	require.Equal(t, goldenInstance(), got)

	_, err = decodeInstance("other", []byte(goldenInstanceJSON))
	require.ErrorIs(t, err, ErrStoredState, "a record under another fingerprint")
	_, err = decodeInstance("fp", []byte(goldenInstanceJSON+`{}`))
	require.ErrorIs(t, err, ErrStoredState, "trailing data")
}

func TestDetectorRecordGolden(t *testing.T) {
	through := date.MustParseISO("2026-03-01")
	c := &alert.CUSUM{Design: alert.CUSUMDesign{Baseline: alert.Baseline{Kind: alert.RateStream, P0: 0.3, MeanTrials: 40, Dispersion: 1.5}, Shifted: 0.2},
		Threshold: 4.5, S: 1.25}
	data, err := encodeDetector(c, through)
	require.NoError(t, err)
	require.JSONEq(t, goldenCUSUMJSON, string(data))
	d, got, err := decodeDetector("k", data)
	require.NoError(t, err)
	require.Equal(t, through, got)
	require.Equal(t, c, d)

	ewma := &alert.EWMA{Design: alert.EWMADesign{Baseline: alert.CountBaseline(12), Smoothing: 0.1}, Limit: 2.8, Mean: 11.5, Variance: 0.4}
	bb := &alert.BetaBinomial{Design: alert.BetaBinomialDesign{Baseline: alert.RateBaseline(0.2, 30), Discount: 0.9, Below: 0.18, PriorTrials: 100},
		Threshold: 0.95, Alpha: 20, Beta: 80}
	for _, want := range []alert.Detector{ewma, bb} {
		data, err := encodeDetector(want, through)
		require.NoError(t, err)
		d, _, err := decodeDetector("k", data)
		require.NoError(t, err)
		require.Equal(t, want, d)
	}

	// Before versions: the alert structs by their Go field names.
	legacy, err := json.Marshal(legacyDetectorRecord{CUSUM: c, Through: through})
	require.NoError(t, err)
	d, got, err = decodeDetector("k", legacy)
	require.NoError(t, err)
	require.Equal(t, through, got)
	require.Equal(t, c, d)

	for name, bad := range map[string]string{
		"renamed field":  `{"v":1,"cusum":{"baseline":{"kind":"rate","p0":0.3,"mean_trials":40},"shift":0.2,"threshold":4.5,"s":1},"through":1}`,
		"two detectors":  `{"v":1,"cusum":{"baseline":{"kind":"rate"}},"ewma":{"baseline":{"kind":"rate"}},"through":1}`,
		"none":           `{"v":1,"through":1}`,
		"unknown kind":   `{"v":1,"cusum":{"baseline":{"kind":"ratio"}},"through":1}`,
		"old renamed":    `{"cusum":{"Design":{"Baseline":{"Kind":1}},"Limit":4,"S":1},"through":"2026-03-01"}`,
		"old two":        `{"cusum":{"S":1},"ewma":{"Mean":1},"through":"2026-03-01"}`,
		"newer version":  `{"v":2,"cusum":{}}`,
		"not an object":  `[1]`,
		"truncated json": `{"v":1,"cusum":`,
	} {
		_, _, err := decodeDetector("k", []byte(bad))
		require.ErrorIs(t, err, ErrStoredState, name)
		var se *StateError
		require.True(t, errors.As(err, &se), name)
		require.Equal(t, "detector", se.Kind)
	}
}

func TestStateErrorSaysWhatToDo(t *testing.T) {
	_, err := decodeInstance("fp", []byte(`{"v":3}`))
	require.EqualError(t, err, `goalkit: stored alert instance "fp" has format version 3, this engine reads version 1; run the goalkit version that wrote it`)
	_, err = decodeNotification(storage.Notification{Key: "n1", Payload: []byte(`{"Key":"n1","Kind":"firing","Colour":"red"}`)})
	require.ErrorIs(t, err, ErrStoredState)
	require.Contains(t, err.Error(), `stored notification "n1" cannot be read`)
	require.Contains(t, err.Error(), `unknown field "Colour"`)
}

func FuzzDecodeInstance(f *testing.F) {
	f.Add([]byte(goldenInstanceJSON))
	f.Add([]byte(`{"v":1,"fingerprint":"fp","severity":"critical","value":"1e400","threshold":"-0"}`))
	f.Add([]byte(`{"Fingerprint":"fp","FiringNotified":true,"Severity":"info","Value":"2"}`))
	f.Add([]byte(`{"v":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := decodeInstance("fp", data)
		if err != nil {
			var se *StateError
			require.True(t, errors.As(err, &se))
			require.ErrorIs(t, err, ErrStoredState)
			return
		}
		// What decodes re-encodes to the same state.
		again, err := encodeInstance(in)
		require.NoError(t, err)
		back, err := decodeInstance("fp", again)
		require.NoError(t, err)
		require.True(t, in.Value.Equal(back.Value) && in.Threshold.Equal(back.Threshold))
		back.Value, back.Threshold = in.Value, in.Threshold
		requireSameJSON(t, in, back)
	})
}

func FuzzDecodeDetector(f *testing.F) {
	f.Add([]byte(goldenCUSUMJSON))
	f.Add([]byte(`{"v":1,"ewma":{"baseline":{"kind":"count","lambda0":12},"smoothing":0.1,"limit":2.8,"mean":11,"variance":0.4},"through":"2026-01-05"}`))
	f.Add([]byte(`{"v":1,"beta_binomial":{"baseline":{"kind":"rate","p0":0.2,"mean_trials":30},"discount":0.9,"threshold":0.95,"alpha":1e308,"beta":80},"through":"2025-12-29"}`))
	f.Add([]byte(`{"v":1,"cusum":{"baseline":{"kind":"rate"}},"ewma":{"baseline":{"kind":"rate"}},"through":1}`))
	f.Add([]byte(`{"cusum":{"Design":{"Baseline":{"Kind":1,"P0":0.2}},"Threshold":4,"S":1},"through":"2026-03-01"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, through, err := decodeDetector("k", data)
		if err != nil {
			require.ErrorIs(t, err, ErrStoredState)
			return
		}
		again, err := encodeDetector(d, through)
		require.NoError(t, err)
		d2, through2, err := decodeDetector("k", again)
		require.NoError(t, err)
		require.Equal(t, through, through2)
		require.Equal(t, d, d2)
	})
}

func FuzzDecodeNotification(f *testing.F) {
	n := alert.Notification{Key: "fp/firing/2026-03-04T00:00:00Z/0", Kind: alert.NotifyFiring, Fingerprint: "fp", Rule: "pace", Unit: "li",
		Labels: alert.Labels{"unit": "li"}, Recipient: "li", Severity: alert.SeverityCritical, Message: "behind",
		Value: decimal.NewFromInt(3), Threshold: decimal.RequireFromString("7.5"), FiredAt: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)}
	seed, err := json.Marshal(n)
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{"Key":"k","Severity":"loud"}`))
	f.Add([]byte(`{"Key":"k","Value":"1e999999999"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := decodeNotification(storage.Notification{Key: "k", Payload: payload})
		if err != nil {
			require.ErrorIs(t, err, ErrStoredState)
			return
		}
		again, err := json.Marshal(got)
		if err != nil {
			return // a severity out of range decodes only from a number, and is refused on the way out
		}
		back, err := decodeNotification(storage.Notification{Key: "k", Payload: again})
		require.NoError(t, err)
		require.Equal(t, got.Key, back.Key)
		require.Equal(t, got.Severity, back.Severity)
	})
}

// requireSameJSON compares two values by their JSON, which ignores the
// internal representation of times and decimals.
func requireSameJSON(t *testing.T, want, got any) {
	t.Helper()
	a, err := json.Marshal(want)
	require.NoError(t, err)
	b, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(a), string(b))
}

func TestAlertInstance(t *testing.T) {
	data, err := encodeInstance(goldenInstance())
	require.NoError(t, err)
	in, err := AlertInstance(storage.AlertState{Fingerprint: "fp", State: "firing", Detector: data})
	require.NoError(t, err)
	require.Equal(t, "li is behind", in.Message)
	require.True(t, in.FiringNotified)
	_, err = AlertInstance(storage.AlertState{Fingerprint: "detector/x", Kind: storage.AlertDetector, Detector: data})
	require.ErrorIs(t, err, ErrInvalid)
	_, err = AlertInstance(storage.AlertState{Fingerprint: "fp", State: inactive})
	require.ErrorIs(t, err, ErrInvalid)
	require.ErrorContains(t, err, "Engine.Store().ListLiveAlerts", "the advice names a method the host has")
	_, err = AlertInstance(storage.AlertState{Fingerprint: "fp", Detector: []byte(`{"v":9}`)})
	require.ErrorIs(t, err, ErrStoredState)
}
