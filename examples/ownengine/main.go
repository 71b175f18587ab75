// Command ownengine is a host that writes its own engine from goalkit's
// domain packages and a store, without the goalkit.Engine: it validates and
// stores facts, computes the statuses of a plan as of a day, and runs a pace
// rule through the alert lifecycle. Its test checks that goalkit.Engine gives
// the same statuses and alerts on the same data, which is the claim of the
// design: the Engine is a shell over goal, kpi, alert and storage, and a
// host that wants another shell (its own transactions, queue or clock) can
// write it.
//
//	go run ./examples/ownengine
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ownengine:", err)
		os.Exit(1)
	}
}

// engine is the host's own engine: a store, a calendar, its metrics and a
// pace rule per metric. Nothing else.
type engine struct {
	store   storage.Store
	cal     *goal.Calendar
	metrics map[string]goal.Metric
	pace    map[string]alert.PaceRule
}

// org reads the stored org and validates it.
func (e *engine) org(ctx context.Context, tx storage.Units) (*goal.Org, error) {
	units, err := tx.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	return goal.NewOrg(units)
}

// ingest validates every fact against the org and its metric and stores the
// batch idempotently, all or nothing.
func (e *engine) ingest(ctx context.Context, facts []kpi.Fact) error {
	return e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.org(ctx, tx)
		if err != nil {
			return err
		}
		for _, f := range facts {
			m, ok := e.metrics[f.Metric]
			if !ok {
				return fmt.Errorf("fact %q: unknown metric %q", f.Key, f.Metric)
			}
			if err := kpi.CheckFact(f, m, org); err != nil {
				return err
			}
		}
		_, err = tx.AppendFacts(ctx, facts)
		return err
	})
}

// statuses returns the status as of asOf of every goal of plan p that keep
// accepts: the actuals of each goal's unit and its sub-units in one batched
// query, tracked with kpi.Track on the plan's own pace.
func (e *engine) statuses(ctx context.Context, tx storage.Totals, p *goal.Plan, asOf date.Date, keep func(goal.Goal) bool) ([]kpi.Status, error) {
	var goals []goal.Goal
	var qs []storage.Query
	for _, g := range p.Goals {
		if keep(g) {
			goals = append(goals, g)
			end := min(g.Period.End, max(asOf+1, g.Period.Start))
			qs = append(qs, storage.Query{Metric: g.Metric, Unit: g.Unit, Subtree: true, Start: g.Period.Start, End: end})
		}
	}
	totals, err := tx.SumMany(ctx, qs)
	if err != nil {
		return nil, err
	}
	out := make([]kpi.Status, len(goals))
	for i, g := range goals {
		if out[i], err = kpi.Track(g, p.Metric, totals[i].Value, asOf, e.paceOf(p, g)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// paceOf paces a goal split over time by its sub-periods' targets (the
// plan's own seasonality, kpi.CurveFromGoals), and a leaf by working days,
// or calendar days when its period has none. That is the Engine's rule for
// plans split over time only, as this one is.
func (e *engine) paceOf(p *goal.Plan, g goal.Goal) kpi.Pace {
	if kids := p.Children(g.ID); len(kids) > 0 {
		return kpi.Pace{Days: goal.ByWorkingDays, Calendar: e.cal, Curve: kpi.CurveFromGoals(kids)}
	}
	if e.cal.WorkingDays(g.Period.Start, g.Period.End) == 0 {
		return kpi.Pace{}
	}
	return kpi.Pace{Days: goal.ByWorkingDays, Calendar: e.cal}
}

// evaluate runs the pace rules over the open goals of every stored plan as
// of asOf, from no earlier alerts, and returns the lifecycle's result. A
// host that keeps alerts between evaluations stores result.States and passes
// them back as previous.
func (e *engine) evaluate(ctx context.Context, asOf date.Date) (alert.Result, error) {
	var res alert.Result
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.org(ctx, tx)
		if err != nil {
			return err
		}
		plans, err := tx.ListPlans(ctx)
		if err != nil {
			return err
		}
		var samples []alert.Sample
		for _, ps := range plans {
			p, err := tx.GetPlan(ctx, ps.ID)
			if err != nil {
				return err
			}
			open := func(g goal.Goal) bool { return g.Period.Contains(asOf) }
			statuses, err := e.statuses(ctx, tx, p, asOf, open)
			if err != nil {
				return err
			}
			for _, s := range statuses {
				rule, ok := e.pace[s.Metric]
				if !ok {
					continue
				}
				smp, err := rule.Check(s)
				if err != nil {
					return err
				}
				// The plan is part of the alert's identity: two plans
				// with a goal for the same cell raise two alerts.
				smp.Extra = alert.Labels{"plan": p.ID}
				samples = append(samples, smp)
			}
		}
		lc, err := alert.NewLifecycle(&alert.LifecycleConfig{Org: org})
		if err != nil {
			return err
		}
		res, err = lc.Evaluate(asOf.MidnightIn(time.UTC), nil, samples, nil)
		return err
	})
	return res, err
}

// The example's data: a team and two reps, revenue in CNY, Q1 plans split by
// month for the team and for li, and January to mid-February's sales.
var (
	revenue = goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	units   = []goal.Unit{{ID: "north"}, {ID: "li", Parent: "north"}, {ID: "wang", Parent: "north"}}
	asOf    = date.New(2026, 2, 16)
	pace    = alert.PaceRule{Dispersion: 2000}
)

// quarter returns the plan's goals: unit's 2026-Q1 target and its months.
func quarter(cal *goal.Calendar, unit string, months ...int64) []goal.Goal {
	q1, _ := cal.Parse("2026-Q1")
	total := int64(0)
	for _, m := range months {
		total += m
	}
	out := []goal.Goal{{ID: unit + "/2026-Q1", Metric: revenue.Key, Unit: unit, Period: q1, Target: decimal.NewFromInt(total)}}
	for i, m := range months {
		p, _ := cal.Parse(fmt.Sprintf("2026-%02d", i+1))
		out = append(out, goal.Goal{ID: unit + "/" + p.Label, Parent: out[0].ID, Metric: revenue.Key, Unit: unit, Period: p, Target: decimal.NewFromInt(m)})
	}
	return out
}

// plans returns the example's plans, indexed by goal.NewPlan.
func plans(cal *goal.Calendar) ([]*goal.Plan, error) {
	north, err := goal.NewPlan("north-q1", revenue, quarter(cal, "north", 80_000, 100_000, 120_000))
	if err != nil {
		return nil, err
	}
	li, err := goal.NewPlan("li-q1", revenue, quarter(cal, "li", 40_000, 50_000, 60_000))
	return []*goal.Plan{north, li}, err
}

// facts returns the sales of January and the first half of February.
func facts() []kpi.Fact {
	sale := func(key, unit string, d date.Date, v int64) kpi.Fact {
		return kpi.Fact{Key: key, Metric: revenue.Key, Unit: unit, Date: d, Value: decimal.New(v*100, -2)}
	}
	return []kpi.Fact{
		sale("o1", "li", date.New(2026, 1, 9), 22_000),
		sale("o2", "wang", date.New(2026, 1, 20), 31_000),
		sale("o3", "li", date.New(2026, 1, 28), 18_500),
		sale("o4", "wang", date.New(2026, 2, 3), 9_000),
		sale("o5", "li", date.New(2026, 2, 12), 4_000),
	}
}

// setUp stores the org and the plan in store and returns the host's engine.
func setUp(ctx context.Context, store storage.Store) (*engine, error) {
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		return nil, err
	}
	if _, err := goal.NewOrg(units); err != nil {
		return nil, err
	}
	if err := store.PutUnits(ctx, units); err != nil {
		return nil, err
	}
	ps, err := plans(cal)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if _, err := store.CreatePlan(ctx, p, nil); err != nil {
			return nil, err
		}
	}
	return &engine{store: store, cal: cal, metrics: map[string]goal.Metric{revenue.Key: revenue}, pace: map[string]alert.PaceRule{revenue.Key: pace}}, nil
}

// run builds the engine over an in-memory store, ingests the facts and
// prints the plan's statuses and the alerts as of asOf.
func run(ctx context.Context, w io.Writer) error {
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		return err
	}
	e, err := setUp(ctx, store)
	if err != nil {
		return err
	}
	if err := e.ingest(ctx, facts()); err != nil {
		return err
	}
	fmt.Fprintf(w, "as of %s\n", asOf)
	for _, id := range []string{"north-q1", "li-q1"} {
		p, err := store.GetPlan(ctx, id)
		if err != nil {
			return err
		}
		started := func(g goal.Goal) bool { return g.Period.Start <= asOf }
		statuses, err := e.statuses(ctx, store, p, asOf, started)
		if err != nil {
			return err
		}
		for _, s := range statuses {
			fmt.Fprintf(w, "%-16s target %10s  actual %10s  attainment %s  time %s\n", s.Goal, s.Target.StringFixed(2), s.Actual.StringFixed(2), s.Attainment.Decimal.StringFixed(3), s.TimeProgress.StringFixed(3))
		}
	}
	res, err := e.evaluate(ctx, asOf)
	if err != nil {
		return err
	}
	for _, n := range res.Notifications {
		fmt.Fprintf(w, "%s %s: %s\n", n.Kind, n.Rule, n.Message)
	}
	return nil
}
