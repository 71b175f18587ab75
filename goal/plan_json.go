package goal

import (
	"encoding/json"
	"fmt"

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
func (p *Plan) MarshalJSON() ([]byte, error) {
	out := planJSON{ID: p.ID, Metric: p.Metric, Version: p.Version, Goals: make([]goalJSON, len(p.Goals))}
	places := p.Metric.Places
	for i, g := range p.Goals {
		out.Goals[i] = goalJSON{ID: g.ID, Parent: g.Parent, Metric: g.Metric, Unit: g.Unit, Period: g.Period,
			Target: g.Target.StringFixed(places), Stretch: fixedOrNil(g.Stretch, places), Floor: fixedOrNil(g.Floor, places), Locked: g.Locked}
	}
	return json.Marshal(out)
}

func fixedOrNil(d decimal.NullDecimal, places int32) *string {
	if !d.Valid {
		return nil
	}
	s := d.Decimal.StringFixed(places)
	return &s
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
