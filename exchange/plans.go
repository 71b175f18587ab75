package exchange

import (
	"fmt"
	"io"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/csvtable"
)

// GoalRow is one goal of a plan in the long form: the plan's ID and the
// goal. A plan is its rows in order (parents before children).
type GoalRow struct {
	Plan string `json:"plan"`
	goal.Goal
}

// goalCodec is the long form, one goal a row: plan, id, parent, metric,
// unit, grain, start, end, label, target, stretch, floor, locked.
var goalCodec = &codec[GoalRow]{
	required: []string{"plan", "id", "parent", "metric", "unit", "grain", "start", "end", "label", "target"},
	optional: []string{"stretch", "floor", "locked"},
	fromCSV: func(t *csvtable.Reader) GoalRow {
		g := goal.Goal{ID: t.Required("id"), Parent: t.Text("parent"), Metric: t.Required("metric"), Unit: t.Required("unit")}
		g.Period.Grain = csvtable.Field(t, "grain", func(s string) (goal.Grain, error) {
			var gr goal.Grain
			return gr, gr.UnmarshalText([]byte(s))
		})
		g.Period.Start, g.Period.End, g.Period.Label = requiredDate(t, "start"), requiredDate(t, "end"), t.Required("label")
		g.Target = decimalField(t, "target")
		g.Stretch, g.Floor, g.Locked = nullDecimalField(t, "stretch"), nullDecimalField(t, "floor"), boolField(t, "locked")
		return GoalRow{Plan: t.Required("plan"), Goal: g}
	},
	toCSV: func(r GoalRow, row []string) []string {
		g := r.Goal
		return append(row, r.Plan, g.ID, g.Parent, g.Metric, g.Unit, g.Period.Grain.String(), g.Period.Start.String(), g.Period.End.String(),
			g.Period.Label, fixed(g.Target), fixedNull(g.Stretch), fixedNull(g.Floor), boolText(g.Locked))
	},
	toJSON: func(r GoalRow) any {
		return struct {
			GoalRow
			Target  string  `json:"target"` // with its places, "60000000.00"
			Stretch *string `json:"stretch"`
			Floor   *string `json:"floor"`
		}{r, fixed(r.Target), nullText(r.Stretch), nullText(r.Floor)}
	},
	check: func(r GoalRow) (string, string) {
		switch {
		case r.Plan == "":
			return "plan", "the plan ID is empty"
		case r.ID == "":
			return "id", "the goal ID is empty"
		}
		return "", ""
	},
}

// NewGoalReader reads the long form of plans from r; file names r in
// errors. PlansFrom groups what it reads into plans.
func NewGoalReader(r io.Reader, f Format, file string) *Reader[GoalRow] {
	return newReader(r, f, file, goalCodec)
}

// NewGoalWriter writes the long form of plans to w; WritePlan writes a
// whole plan.
func NewGoalWriter(w io.Writer, f Format) *Writer[GoalRow] {
	return newWriter(w, f, goalCodec)
}

// WritePlan writes every goal of p, in plan order, with its targets in the
// metric's places.
func WritePlan(w *Writer[GoalRow], p *goal.Plan) error {
	for _, g := range p.Goals {
		g.Target = g.Target.Round(p.Metric.Places)
		if g.Stretch.Valid {
			g.Stretch.Decimal = g.Stretch.Decimal.Round(p.Metric.Places)
		}
		if g.Floor.Valid {
			g.Floor.Decimal = g.Floor.Decimal.Round(p.Metric.Places)
		}
		if err := w.Write(GoalRow{Plan: p.ID, Goal: g}); err != nil {
			return fmt.Errorf("exchange: write plan %q: %w", p.ID, err)
		}
	}
	return nil
}

// ReadPlans reads the long form from r and builds its plans (goal.NewPlan)
// in the order their first rows come, the metric of each looked up by key.
// Every bad row, every unknown metric and every plan goal.NewPlan rejects
// is in the *ImportError; no plan is returned then.
func ReadPlans(r io.Reader, f Format, file string, metric func(key string) (goal.Metric, bool)) ([]*goal.Plan, error) {
	rd := NewGoalReader(r, f, file)
	bad := &ImportError{File: file}
	var order []string
	goals := map[string][]goal.Goal{}
	lines := map[string]int{}
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if re, ok := err.(*RowError); ok {
			bad.add(*re)
			continue
		}
		if err != nil {
			return nil, err
		}
		if _, seen := goals[row.Plan]; !seen {
			order = append(order, row.Plan)
			lines[row.Plan] = rd.Line()
		}
		goals[row.Plan] = append(goals[row.Plan], row.Goal)
	}
	var plans []*goal.Plan
	for _, id := range order {
		gs := goals[id]
		m, ok := metric(gs[0].Metric)
		if !ok {
			bad.add(RowError{File: file, Line: lines[id], Column: "metric", Value: gs[0].Metric, Reason: "the metric is not configured; add it to the engine's Config.Metrics or fix the key"})
			continue
		}
		p, err := goal.NewPlan(id, m, gs)
		if err != nil {
			bad.add(RowError{File: file, Line: lines[id], Column: "plan", Value: id, Reason: err.Error()})
			continue
		}
		plans = append(plans, p)
	}
	if err := bad.orNil(); err != nil {
		return nil, err
	}
	return plans, nil
}
