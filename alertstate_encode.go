package goalkit

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/internal/jsonstr"
	"github.com/shopspring/decimal"
)

// encodeInstance returns the stored bytes of an alert instance: exactly
// json.Marshal of its instanceRecord (a test holds the two together), written
// field by field, since Evaluate encodes every live alert state and
// reflection over the record was a large share of its time.
func encodeInstance(in alert.Instance) ([]byte, error) {
	b := make([]byte, 0, 512+len(in.Message))
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, stateVersion, 10)
	b = appendField(b, "fingerprint", in.Fingerprint)
	b = appendField(b, "rule", in.Rule)
	b = appendField(b, "unit", in.Unit)
	b = append(b, `,"labels":`...)
	b = appendLabels(b, in.Labels)
	b = appendField(b, "state", string(in.State))
	if sev := in.Severity.String(); sev != "" {
		b = appendField(b, "severity", sev)
	}
	var err error
	for _, t := range [...]struct {
		name string
		at   *time.Time
	}{{"since", &in.Since}, {"last_eval", &in.LastEval}, {"fired_at", &in.FiredAt}, {"cleared_at", &in.ClearedAt},
		{"resolved_at", &in.ResolvedAt}, {"last_notified", &in.LastNotified}} {
		if b, err = appendTime(b, t.name, t.at); err != nil {
			return nil, err
		}
	}
	for _, n := range [...]struct {
		name string
		v    int
	}{{"active_evals", in.ActiveEvals}, {"clear_evals", in.ClearEvals}, {"firing_evals", in.FiringEvals}, {"reminders", in.Reminders}} {
		b = append(b, ',', '"')
		b = append(b, n.name...)
		b = append(b, '"', ':')
		b = strconv.AppendInt(b, int64(n.v), 10)
	}
	for _, f := range [...]struct {
		name string
		v    bool
	}{{"firing_notified", in.FiringNotified}, {"resolved_notified", in.ResolvedNotified}, {"escalated", in.Escalated}} {
		b = append(b, ',', '"')
		b = append(b, f.name...)
		b = append(b, '"', ':')
		b = strconv.AppendBool(b, f.v)
	}
	for _, d := range [...]struct {
		name string
		v    decimal.Decimal
	}{{"value", in.Value}, {"threshold", in.Threshold}} {
		if b, err = appendJSON(b, d.name, d.v); err != nil {
			return nil, err
		}
	}
	b = appendField(b, "message", in.Message)
	return append(b, '}'), nil
}

// appendField appends ,"name":"value" with value escaped as json.Marshal
// escapes it.
func appendField(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return jsonstr.Append(b, value)
}

// appendJSON appends ,"name": and v's own JSON encoding (a time or a
// decimal: a JSON string, already compact).
func appendJSON(b []byte, name string, v json.Marshaler) ([]byte, error) {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	data, err := v.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(b, data...), nil
}

// appendTime appends ,"name": and t as time.Time.MarshalJSON writes it:
// RFC 3339 with nanoseconds, quoted; through MarshalJSON itself (which fails)
// outside years 0 to 9999 or for an offset of a day or more.
func appendTime(b []byte, name string, t *time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return appendJSON(b, name, t)
	}
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return appendJSON(b, name, t)
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// appendLabels appends the labels as json.Marshal writes a map: keys sorted,
// null for a nil map.
func appendLabels(b []byte, l alert.Labels) []byte {
	if l == nil {
		return append(b, "null"...)
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.Append(b, k)
		b = append(b, ':')
		b = jsonstr.Append(b, l[k])
	}
	return append(b, '}')
}
