package goal

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/goalkit/goalkit/internal/jsonstr"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// planJSON is a plan's JSON shape: see Plan.MarshalJSON.
type planJSON struct {
	ID      string     `json:"id"`
	Metric  Metric     `json:"metric"`
	Version int64      `json:"version"`
	Goals   []goalJSON `json:"goals"`
}

// goalJSON is a goal inside a plan's JSON, its decimals written with the
// metric's places.
type goalJSON struct {
	ID      string  `json:"id"`
	Parent  string  `json:"parent,omitempty"`
	Metric  string  `json:"metric"`
	Unit    string  `json:"unit"`
	Period  Period  `json:"period"`
	Target  string  `json:"target"`
	Stretch *string `json:"stretch,omitempty"`
	Floor   *string `json:"floor,omitempty"`
	Locked  bool    `json:"locked,omitempty"`
}

// MarshalJSON writes a plan as {"id", "metric", "version", "goals"}, every
// target, stretch and floor a string with exactly the metric's decimal
// places ("60000000.00"), enums as words and dates as ISO 8601.
//
// It writes field by field (a test holds it to json.Marshal of the
// planJSON shape, byte for byte): every saved plan version is encoded
// whole, and reflection over tens of thousands of goals was a large share
// of a target edit on a big plan.
func (p *Plan) MarshalJSON() ([]byte, error) {
	metric, err := json.Marshal(p.Metric)
	if err != nil {
		return nil, err
	}
	places := p.Metric.Places
	b := make([]byte, 0, 64+len(metric)+len(p.Goals)*(160+int(places)*3))
	b = append(b, `{"id":`...)
	b = jsonstr.Append(b, p.ID)
	b = append(b, `,"metric":`...)
	b = append(b, metric...)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, p.Version, 10)
	b = append(b, `,"goals":[`...)
	for i, g := range p.Goals {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendGoal(b, g, places); err != nil {
			return nil, err
		}
	}
	return append(b, "]}"...), nil
}

// appendGoal appends a goal as goalJSON's JSON.
func appendGoal(b []byte, g Goal, places int32) ([]byte, error) {
	grain, err := g.Period.Grain.MarshalText()
	if err != nil {
		return nil, err
	}
	b = append(b, `{"id":`...)
	b = jsonstr.Append(b, g.ID)
	if g.Parent != "" {
		b = append(b, `,"parent":`...)
		b = jsonstr.Append(b, g.Parent)
	}
	b = append(b, `,"metric":`...)
	b = jsonstr.Append(b, g.Metric)
	b = append(b, `,"unit":`...)
	b = jsonstr.Append(b, g.Unit)
	b = append(b, `,"period":{"grain":"`...)
	b = append(b, grain...)
	b = append(b, `","start":"`...)
	b = appendDate(b, g.Period.Start)
	b = append(b, `","end":"`...)
	b = appendDate(b, g.Period.End)
	b = append(b, `","label":`...)
	b = jsonstr.Append(b, g.Period.Label)
	b = append(b, `},"target":"`...)
	b = append(b, g.Target.StringFixed(places)...)
	b = append(b, '"')
	for _, x := range [...]struct {
		name string
		v    decimal.NullDecimal
	}{{`,"stretch":"`, g.Stretch}, {`,"floor":"`, g.Floor}} {
		if x.v.Valid {
			b = append(b, x.name...)
			b = append(b, x.v.Decimal.StringFixed(places)...)
			b = append(b, '"')
		}
	}
	if g.Locked {
		b = append(b, `,"locked":true`...)
	}
	return append(b, '}'), nil
}

// appendDate appends d as date.Date.String writes it: YYYY-MM-DD for years
// 0 to 9999, d.String() for the others.
func appendDate(b []byte, d date.Date) []byte {
	y, m, dd := d.Date()
	if y < 0 || y > 9999 {
		return append(b, d.String()...)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// UnmarshalJSON reads what MarshalJSON writes and validates it as NewPlan
// does, so the plan it fills is indexed and well formed.
func (p *Plan) UnmarshalJSON(b []byte) error {
	var in planJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("goal: read plan JSON: %w", err)
	}
	goals := make([]Goal, len(in.Goals))
	for i, g := range in.Goals {
		t, err := decimal.NewFromString(g.Target)
		if err != nil {
			return invalid("target", g.Target, "goal %q: write the target as a decimal string such as \"1200.00\"", g.ID)
		}
		goals[i] = Goal{ID: g.ID, Parent: g.Parent, Metric: g.Metric, Unit: g.Unit, Period: g.Period, Target: t, Locked: g.Locked}
		if goals[i].Stretch, err = nullFromString(g.Stretch); err != nil {
			return invalid("stretch", *g.Stretch, "goal %q: write the stretch as a decimal string or leave it out", g.ID)
		}
		if goals[i].Floor, err = nullFromString(g.Floor); err != nil {
			return invalid("floor", *g.Floor, "goal %q: write the floor as a decimal string or leave it out", g.ID)
		}
	}
	np, err := NewPlan(in.ID, in.Metric, goals)
	if err != nil {
		return err
	}
	np.Version = in.Version
	*p = *np
	return nil
}

func nullFromString(s *string) (decimal.NullDecimal, error) {
	if s == nil {
		return decimal.NullDecimal{}, nil
	}
	d, err := decimal.NewFromString(*s)
	return decimal.NullDecimal{Decimal: d, Valid: err == nil}, err
}
