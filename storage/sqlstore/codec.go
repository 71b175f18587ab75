package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The store keeps a few small structured values as JSON text with short,
// fixed field names of its own, so a change to a domain type's JSON shape
// never changes what is stored. Decimals are JSON strings: exact.

type metricJSON struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	Kind      uint8  `json:"kind"`
	Currency  string `json:"currency"`
	Places    int32  `json:"places"`
	Direction uint8  `json:"direction"`
}

func encodeMetric(m goal.Metric) (string, error) {
	b, err := json.Marshal(metricJSON{m.Key, m.Name, uint8(m.Kind), m.Currency, m.Places, uint8(m.Direction)})
	return string(b), err
}

func decodeMetric(s string) (goal.Metric, error) {
	var m metricJSON
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return goal.Metric{}, fmt.Errorf("read metric: %w", err)
	}
	return goal.Metric{Key: m.Key, Name: m.Name, Kind: goal.Kind(m.Kind), Currency: m.Currency, Places: m.Places, Direction: goal.Direction(m.Direction)}, nil
}

type partJSON struct {
	Unit  string `json:"u"`
	Value string `json:"v,omitempty"`
	Share string `json:"s"`
	Day   string `json:"d,omitempty"` // a range fact's day (ISO)
}

// encodeCredits stores credits as given (shares keep their text).
func encodeCredits(cs []kpi.Credit) any {
	if len(cs) == 0 {
		return nil
	}
	out := make([]partJSON, len(cs))
	for i, c := range cs {
		out[i] = partJSON{Unit: c.Unit, Share: c.Share.String()}
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

func decodeCredits(s *string) ([]kpi.Credit, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	var in []partJSON
	if err := json.Unmarshal([]byte(*s), &in); err != nil {
		return nil, fmt.Errorf("read credits: %w", err)
	}
	out := make([]kpi.Credit, len(in))
	for i, p := range in {
		sh, err := parseDecimal(p.Share)
		if err != nil {
			return nil, fmt.Errorf("read credits: %w", err)
		}
		out[i] = kpi.Credit{Unit: p.Unit, Share: sh}
	}
	return out, nil
}

// encodeParts stores the parts of a split fact; nil for a simple one,
// whose single part is (Unit, Value, 1).
func encodeParts(f kpi.Fact, parts []storage.Part) any {
	if simple(f) {
		return nil
	}
	out := make([]partJSON, len(parts))
	for i, p := range parts {
		out[i] = partJSON{Unit: p.Unit, Value: p.Value.String(), Share: p.Share.String()}
		if p.Day != 0 {
			out[i].Day = p.Day.String()
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeParts(f kpi.Fact, s *string) ([]storage.Part, error) {
	if s == nil || *s == "" {
		return []storage.Part{{Unit: f.Unit, Value: f.Value, Share: decimal.NewFromInt(1)}}, nil
	}
	var in []partJSON
	if err := json.Unmarshal([]byte(*s), &in); err != nil {
		return nil, fmt.Errorf("read parts of fact %q: %w", f.Key, err)
	}
	out := make([]storage.Part, len(in))
	for i, p := range in {
		v, err := parseDecimal(p.Value)
		if err != nil {
			return nil, fmt.Errorf("read parts of fact %q: %w", f.Key, err)
		}
		sh, err := parseDecimal(p.Share)
		if err != nil {
			return nil, fmt.Errorf("read parts of fact %q: %w", f.Key, err)
		}
		out[i] = storage.Part{Unit: p.Unit, Value: v, Share: sh}
		if p.Day != "" {
			if out[i].Day, err = parseDay(p.Day); err != nil {
				return nil, fmt.Errorf("read parts of fact %q: %w", f.Key, err)
			}
		}
	}
	return out, nil
}

// parseDay reads a stored ISO day strictly (date.ParseISO would roll
// 2026-13-01 over into 2027) and within the years goalkit stores.
func parseDay(s string) (date.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("read day %q: it is not YYYY-MM-DD", goal.Excerpt(s))
	}
	d := date.NewAt(t)
	if !goal.InDateRange(d) {
		return 0, fmt.Errorf("read day %q: outside %s..%s", s, goal.FirstDate, goal.LastDate)
	}
	return d, nil
}

// extraJSON is what few facts carry beyond the columns: a range (end,
// working days) and a conversion (original currency, amount, rate). "v"
// is the format's version, 1.
type extraJSON struct {
	V         int    `json:"v"`
	End       string `json:"end,omitempty"`
	Working   bool   `json:"working,omitempty"`
	Currency  string `json:"cur,omitempty"`
	Amount    string `json:"amount,omitempty"`
	Rate      string `json:"rate,omitempty"`
	Converted bool   `json:"conv,omitempty"`
}

// encodeExtra stores f's range and conversion; nil when it has neither.
func encodeExtra(f kpi.Fact) any {
	if f.End == 0 && !f.WorkingDays && f.Converted == nil {
		return nil
	}
	x := extraJSON{V: 1, Working: f.WorkingDays}
	if f.End != 0 {
		x.End = f.End.String()
	}
	if c := f.Converted; c != nil {
		x.Converted, x.Currency, x.Amount, x.Rate = true, c.Currency, c.Amount.String(), c.Rate.String()
	}
	b, _ := json.Marshal(x) // strings and bools only: cannot fail
	return string(b)
}

// decodeExtra reads what encodeExtra wrote into f, strictly: an unknown
// version or field is an error, never a silently dropped range.
func decodeExtra(s *string, f *kpi.Fact) error {
	if s == nil || *s == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(*s))
	dec.DisallowUnknownFields()
	var x extraJSON
	if err := dec.Decode(&x); err != nil || dec.More() {
		return fmt.Errorf("read range and conversion of fact %q: not a version-1 record", goal.Excerpt(f.Key))
	}
	if x.V != 1 {
		return fmt.Errorf("read range and conversion of fact %q: version %d is unknown; upgrade goalkit", goal.Excerpt(f.Key), x.V)
	}
	var err error
	if x.End != "" {
		if f.End, err = parseDay(x.End); err != nil {
			return fmt.Errorf("read range of fact %q: %w", goal.Excerpt(f.Key), err)
		}
	}
	f.WorkingDays = x.Working
	if x.Converted {
		c := kpi.Conversion{Currency: x.Currency}
		if c.Amount, err = parseDecimal(x.Amount); err != nil {
			return fmt.Errorf("read conversion of fact %q: %w", goal.Excerpt(f.Key), err)
		}
		if c.Rate, err = parseDecimal(x.Rate); err != nil {
			return fmt.Errorf("read conversion of fact %q: %w", goal.Excerpt(f.Key), err)
		}
		f.Converted = &c
	}
	return nil
}

func encodeMap(m map[string]string) any {
	if len(m) == 0 {
		return nil
	}
	b, _ := json.Marshal(m) // keys sorted: deterministic
	return string(b)
}

func decodeMap(s *string) (map[string]string, error) {
	if s == nil || *s == "" || *s == "null" || *s == "{}" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(*s), &m); err != nil {
		return nil, fmt.Errorf("read map: %w", err)
	}
	return m, nil
}

// parseDecimal reads a stored decimal, refusing text that is no decimal or
// one beyond goal.MaxExponent (which no store writes), with a short message.
func parseDecimal(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil { // its message holds s whole: leave it out
		return decimal.Decimal{}, fmt.Errorf("read decimal %q: it is not a decimal", goal.Excerpt(s))
	}
	if err := goal.CheckDecimal("stored decimal", d); err != nil {
		return decimal.Decimal{}, fmt.Errorf("read decimal: %w", err)
	}
	return d, nil
}

type transitionJSON struct {
	Stage string `json:"s"`
	Day   string `json:"d"`
}

func encodeTransitions(ts []funnel.Transition) string {
	out := make([]transitionJSON, len(ts))
	for i, t := range ts {
		out[i] = transitionJSON{t.Stage, t.Date.String()}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeTransitions(s string) ([]funnel.Transition, error) {
	var in []transitionJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("read transitions: %w", err)
	}
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]funnel.Transition, len(in))
	for i, t := range in {
		d, err := date.ParseISO(t.Day)
		if err != nil {
			return nil, fmt.Errorf("read transitions: %w", err)
		}
		out[i] = funnel.Transition{Stage: t.Stage, Date: d}
	}
	return out, nil
}

type tenureJSON struct {
	Parent string `json:"p"`
	Until  string `json:"u"`
}

// encodeEarlier stores a unit's earlier parents; NULL when it never moved.
func encodeEarlier(ts []goal.Tenure) any {
	if len(ts) == 0 {
		return nil
	}
	out := make([]tenureJSON, len(ts))
	for i, e := range ts {
		out[i] = tenureJSON{Parent: e.Parent, Until: e.Until.String()}
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

func decodeEarlier(s *string) ([]goal.Tenure, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	var in []tenureJSON
	if err := json.Unmarshal([]byte(*s), &in); err != nil {
		return nil, fmt.Errorf("read earlier parents: %w", err)
	}
	out := make([]goal.Tenure, len(in))
	for i, e := range in {
		out[i].Parent = e.Parent
		if err := (dayScan{&out[i].Until}).parse(e.Until); err != nil {
			return nil, fmt.Errorf("read earlier parents: %w", err)
		}
	}
	return out, nil
}
