package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// Options adjust what FromEngine puts in a report. A nil *Options means the
// zero value.
type Options struct {
	// Title is the page's heading; empty means the metric's name and the
	// plan's period ("Won revenue 2017").
	Title string
	// Funnel is measured over the deals of the plan's unit and its
	// sub-units, cohorts entering from the start of the plan's period; a
	// zero Funnel (no Key) leaves the funnel out.
	Funnel funnel.Funnel
	// Leaders caps the leaderboard; 0 means 10, a negative number every
	// unit.
	Leaders int
	// UnitNames, MetricNames and StageNames name units (by ID), metrics and
	// funnel stages (by key) in the report's language, over the org's unit
	// names, the metrics' names and the funnel's stage names; a key missing
	// from them keeps the engine's name.
	UnitNames, MetricNames, StageNames map[string]string
}

// DefaultLeaders is the length of the leaderboard when Options.Leaders is 0.
const DefaultLeaders = 10

// FromEngine fills Data for the stored plan planID as of asOf (a day after
// the plan's period reports its last day), reading only e's exported API:
//
//   - the burn-up puts the plan's cumulative target at the end of each of its
//     finest periods against the actual of the plan's unit and sub-units,
//     and the expected amount and actual on asOf;
//   - markers count, per day, the alerts of this plan whose latest firing
//     fell in the period by asOf (the store keeps one firing per alert);
//   - the funnel (Options.Funnel) is funnel.Measure over the deals of the
//     plan's unit and its sub-units;
//   - the heat map has the plan's leaf goals: their units as rows, their
//     periods as columns;
//   - the leaderboard ranks the units with a goal for the whole period and
//     no sub-unit goal for it, by attainment, then actual, then name;
//   - the open alerts are the stored alerts firing now, fired by asOf, of
//     this plan or of no plan (stagnation, conversion) about the plan's
//     unit or its sub-units.
//
// Names are the org's unit names and the metric's name; a host writing in
// another language may replace them in the returned Data before Render.
func FromEngine(ctx context.Context, e *goalkit.Engine, planID string, asOf date.Date, o *Options) (*Data, error) {
	if e == nil {
		return nil, invalid("engine", "nil", "pass the goalkit Engine that holds the plan")
	}
	if o == nil {
		o = &Options{}
	}
	p, err := e.Plan(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("report: plan %q: %w", planID, err)
	}
	if len(p.Goals) == 0 {
		return nil, invalid("plan", planID, "the plan has no goals; decompose a target first")
	}
	root := p.Root()
	if asOf < root.Period.Start {
		return nil, invalid("as-of date", asOf.String(), fmt.Sprintf("plan %q starts on %s; give a day from then on", planID, root.Period.Start))
	}
	asOf = min(asOf, root.Period.End-1)
	sts, err := e.Statuses(ctx, planID, asOf)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	b := &builder{e: e, o: o, p: p, root: root, asOf: asOf, org: e.Org(), status: make(map[string]kpi.Status, len(sts))}
	for _, s := range sts {
		b.status[s.Goal] = s
	}
	d := &Data{Title: o.Title, Plan: p.ID, Metric: b.metricName(p.Metric.Key), Currency: p.Metric.Currency, Places: p.Metric.Places,
		Start: root.Period.Start, End: root.Period.End, AsOf: asOf}
	if d.Title == "" {
		d.Title = d.Metric + " " + root.Period.Label
	}
	if d.Burnup, err = b.burnup(ctx); err != nil {
		return nil, err
	}
	if d.Markers, d.Alerts, err = b.alerts(ctx); err != nil {
		return nil, err
	}
	if o.Funnel.Key != "" {
		if d.Funnel, err = b.funnel(ctx); err != nil {
			return nil, err
		}
	}
	d.Heatmap = b.heatmap()
	d.Leaders = b.leaders(o.Leaders)
	return d, nil
}

// builder holds what every section of FromEngine reads.
type builder struct {
	e      *goalkit.Engine
	o      *Options
	p      *goal.Plan
	root   goal.Goal
	asOf   date.Date
	org    *goal.Org
	status map[string]kpi.Status // by goal ID; goals started by asOf
}

func (b *builder) unitName(id string) string {
	if n, ok := b.o.UnitNames[id]; ok {
		return n
	}
	if u, err := b.org.Unit(id); err == nil && u.Name != "" {
		return u.Name
	}
	return id
}

func (b *builder) metricName(key string) string {
	if n, ok := b.o.MetricNames[key]; ok {
		return n
	}
	if m, ok := b.e.Metric(key); ok && m.Name != "" {
		return m.Name
	}
	return key
}

func (b *builder) stageName(key string) string {
	if n, ok := b.o.StageNames[key]; ok {
		return n
	}
	if i := slices.IndexFunc(b.o.Funnel.Stages, func(s funnel.Stage) bool { return s.Key == key }); i >= 0 && b.o.Funnel.Stages[i].Name != "" {
		return b.o.Funnel.Stages[i].Name
	}
	return key
}

// covers reports whether unit is the plan's unit or one of its sub-units.
func (b *builder) covers(unit string) bool {
	return unit == b.root.Unit || b.org.IsAncestor(b.root.Unit, unit)
}

// leaves returns the goals nobody decomposed further, in plan order.
func (b *builder) leaves() []goal.Goal {
	parents := make(map[string]bool, len(b.p.Goals))
	for _, g := range b.p.Goals {
		parents[g.Parent] = true
	}
	var out []goal.Goal
	for _, g := range b.p.Goals {
		if !parents[g.ID] {
			out = append(out, g)
		}
	}
	return out
}

// burnup reads the cumulative actual at the end of every finest period up
// to asOf in one SumMany, and takes the plan's curve from the leaf targets.
func (b *builder) burnup(ctx context.Context) ([]Point, error) {
	leaves := b.leaves()
	var ends []date.Date
	for _, g := range leaves {
		ends = append(ends, g.Period.End)
	}
	slices.Sort(ends)
	ends = slices.Compact(ends)
	var out []Point
	var qs []storage.Query
	for _, end := range ends {
		pt := Point{Day: end - 1}
		for _, g := range leaves {
			if g.Period.End <= end {
				pt.Plan = pt.Plan.Add(g.Target)
			}
		}
		if end-1 < b.asOf {
			qs = append(qs, storage.Query{Metric: b.root.Metric, Unit: b.root.Unit, Subtree: true, Start: b.root.Period.Start, End: end})
		}
		out = append(out, pt)
	}
	totals, err := b.e.Store().SumMany(ctx, qs)
	if err != nil {
		return nil, fmt.Errorf("report: burn-up actuals: %w", err)
	}
	for i, t := range totals {
		out[i].Actual.Decimal, out[i].Actual.Valid = t.Value, true
	}
	// asOf itself: the engine's expected amount on the plan's curve.
	st := b.status[b.root.ID]
	now := Point{Day: b.asOf, Plan: st.Expected}
	now.Actual.Decimal, now.Actual.Valid = st.Actual, true
	i, found := slices.BinarySearchFunc(out, b.asOf, func(p Point, d date.Date) int { return cmp.Compare(p.Day, d) })
	if found {
		out[i].Actual = now.Actual
	} else {
		out = slices.Insert(out, i, now)
	}
	return out, nil
}

// alerts returns the days this plan's alerts fired, and the open alerts.
func (b *builder) alerts(ctx context.Context) ([]Marker, []Alert, error) {
	stored, err := b.e.Store().ListAlerts(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("report: alerts: %w", err)
	}
	periods := map[string]string{} // alert.PeriodLabel → the plan's label
	for _, g := range b.p.Goals {
		periods[alert.PeriodLabel(g.Period)] = g.Period.Label
	}
	fired := map[date.Date]int{}
	var open []Alert
	for _, a := range stored {
		plan, unit := a.Labels[goalkit.LabelPlan], a.Labels[alert.LabelUnit]
		if a.FiredAt.IsZero() || (plan != "" && plan != b.p.ID) || !b.covers(unit) {
			continue
		}
		day := date.NewAt(a.FiredAt)
		if day > b.asOf {
			continue
		}
		if plan == b.p.ID && day >= b.root.Period.Start {
			fired[day]++
		}
		if a.State == string(alert.StateFiring) {
			open = append(open, Alert{Rule: a.Rule, Unit: b.unitName(unit), Subject: b.subject(a.Labels, periods), Since: day})
		}
	}
	var markers []Marker
	for day, n := range fired {
		markers = append(markers, Marker{Day: day, Count: n})
	}
	slices.SortFunc(markers, func(x, y Marker) int { return cmp.Compare(x.Day, y.Day) })
	slices.SortFunc(open, func(x, y Alert) int {
		return cmp.Or(cmp.Compare(x.Since, y.Since), cmp.Compare(x.Unit, y.Unit), cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Subject, y.Subject))
	})
	return markers, open, nil
}

// subject says what an alert is about from its labels: the stage's name
// for an alert about a funnel stage, otherwise the metric's name; then the
// period's label.
func (b *builder) subject(labels map[string]string, periods map[string]string) string {
	var parts []string
	if s := labels[alert.LabelStage]; s != "" {
		parts = append(parts, b.stageName(s))
	} else if m := labels[alert.LabelMetric]; m != "" {
		parts = append(parts, b.metricName(m))
	}
	if p := labels[alert.LabelPeriod]; p != "" {
		parts = append(parts, cmp.Or(periods[p], p))
	}
	return strings.Join(parts, " ")
}

// funnel measures Options.Funnel over the deals of the plan's unit and
// sub-units.
func (b *builder) funnel(ctx context.Context) (*Funnel, error) {
	f := b.o.Funnel
	all, err := b.e.Store().ListDeals(ctx, storage.DealFilter{Funnel: f.Key})
	if err != nil {
		return nil, fmt.Errorf("report: deals of funnel %q: %w", f.Key, err)
	}
	deals := slices.DeleteFunc(all, func(d funnel.Deal) bool { return !b.covers(d.Unit) })
	m, err := funnel.Measure(f, deals, funnel.MeasureOptions{AsOf: b.asOf, From: b.root.Period.Start})
	if err != nil {
		return nil, fmt.Errorf("report: funnel %q: %w", f.Key, err)
	}
	out := &Funnel{Won: m.Won}
	for _, s := range m.Stages {
		out.Stages = append(out.Stages, Stage{Name: b.stageName(s.Stage), Entered: s.Entered, Advanced: s.Advanced,
			Rate: s.Advance.Rate, Low: s.Advance.Low, High: s.Advance.High})
	}
	return out, nil
}

// heatmap puts the leaf goals in a table: units in plan order, periods in
// date order.
func (b *builder) heatmap() Heatmap {
	leaves := b.leaves()
	var periods []goal.Period
	var units []string
	for _, g := range leaves {
		if !slices.Contains(periods, g.Period) {
			periods = append(periods, g.Period)
		}
		if !slices.Contains(units, g.Unit) {
			units = append(units, g.Unit)
		}
	}
	slices.SortStableFunc(periods, func(x, y goal.Period) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.End, y.End))
	})
	h := Heatmap{}
	for _, p := range periods {
		h.Periods = append(h.Periods, p.Label)
	}
	rows := make(map[string]int, len(units))
	for i, u := range units {
		rows[u] = i
		h.Rows = append(h.Rows, HeatRow{Unit: b.unitName(u), Cells: make([]Cell, len(periods))})
	}
	for _, g := range leaves {
		st, started := b.status[g.ID]
		if !started {
			continue
		}
		c := &h.Rows[rows[g.Unit]].Cells[slices.Index(periods, g.Period)]
		c.Attainment, c.InProgress = st.Attainment, g.Period.End-1 > b.asOf
	}
	return h
}

// leaders ranks the units that hold a goal for the whole period and did not
// split it over sub-units.
func (b *builder) leaders(limit int) []Leader {
	split := map[string]bool{} // goals split over units
	for _, g := range b.p.Goals {
		if g.Period == b.root.Period && g.Parent != "" {
			split[g.Parent] = true
		}
	}
	var out []Leader
	for _, g := range b.p.Goals {
		if g.Period != b.root.Period || split[g.ID] || g.ID == b.root.ID {
			continue
		}
		st := b.status[g.ID]
		out = append(out, Leader{Unit: b.unitName(g.Unit), Target: g.Target, Actual: st.Actual, Attainment: st.Attainment})
	}
	slices.SortStableFunc(out, func(x, y Leader) int {
		if x.Attainment.Valid != y.Attainment.Valid {
			if x.Attainment.Valid {
				return -1
			}
			return 1
		}
		return cmp.Or(y.Attainment.Decimal.Cmp(x.Attainment.Decimal), y.Actual.Cmp(x.Actual), cmp.Compare(x.Unit, y.Unit))
	})
	if limit == 0 {
		limit = DefaultLeaders
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
