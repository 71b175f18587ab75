// Package world builds benchmark E1's inputs (docs BENCHMARKS.md) on
// workload W1 of package internal/w1: the org, metrics and facts as the
// engine takes them, and one plan per metric holding a goal for every (unit,
// period) — 1,097 units × 17 periods (FY2026, Q1–Q4, M1–M12) — with the pace
// and projected-miss rules. It imports no goalkit engine code, so the root
// package's benchmark can use it too.
package world

import (
	"fmt"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MetricKeys are W1's metrics 0..4.
var MetricKeys = w1.MetricKeys

// AsOf is E1's evaluation day.
var AsOf = date.New(2026, time.September, 15)

// NewGen returns W1's generator at fact 0.
func NewGen() w1.Gen { return w1.NewGen() }

// World is the W1 org, calendar, periods and metrics.
type World struct {
	Units   []goal.Unit
	Org     *goal.Org
	Cal     *goal.Calendar
	Year    goal.Period
	Periods []goal.Period // FY, Q1–Q4, M1–M12
	Metrics []goal.Metric
}

// New builds the W1 world.
func New() (*World, error) {
	w := &World{Units: w1.OrgUnits(), Periods: w1.Periods(), Metrics: w1.Metrics()}
	var err error
	if w.Org, err = goal.NewOrg(w.Units); err != nil {
		return nil, err
	}
	if w.Cal, err = goal.NewCalendar(nil); err != nil {
		return nil, err
	}
	w.Year = w.Periods[0]
	return w, nil
}

// Fact fills f with fact i of the workload, x being the generator's i-th
// output.
func (w *World) Fact(f *kpi.Fact, i int, x uint64) {
	rep, day, m, v := w1.Draw(x)
	*f = kpi.Fact{Key: strconv.Itoa(i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(m, v)}
}

// Batches makes the first n facts of the workload, batch facts at a time
// into one reused buffer, and hands each batch to fn; it stops at fn's
// first error.
func (w *World) Batches(n, batch int, fn func([]kpi.Fact) error) error {
	buf := make([]kpi.Fact, min(batch, n))
	g := NewGen()
	for i := 0; i < n; i += batch {
		k := min(batch, n-i)
		for j := range k {
			w.Fact(&buf[j], i+j, g.Next())
		}
		if err := fn(buf[:k]); err != nil {
			return err
		}
	}
	return nil
}

// Plans returns one plan per metric with a goal for every (unit, period):
// the company's FY goal is the root, its quarters hang under it and its
// months under their quarter; every other unit's (unit, period) goal hangs
// under its parent unit's goal for the same period. Targets are what W1's
// generator is expected to produce with n facts: each rep's month is its
// expected total (rounded to the metric's places), and every other goal the
// exact sum of its rep months, so every parent sums its children in both
// directions. The company's goals hold both kinds of children, which
// goal.Plan.Check adds together, so savers pass goalkit.Change.Unbalanced.
func (w *World) Plans(n int) ([]*goal.Plan, error) {
	np := len(w.Periods)
	months := w.Periods[5:]
	var out []*goal.Plan
	for mi, m := range w.Metrics {
		// targets[u][p] in minor units, filled for reps, then rolled up.
		targets := make([][]int64, w.Org.Len())
		for u := range targets {
			targets[u] = make([]int64, np)
		}
		for r := range w1.Reps {
			u, _ := w.Org.Index(w1.RepID(r))
			t := targets[u]
			for j, p := range months {
				// n × share/10 × mean × days / (reps × days a year), rounded.
				num := int64(n) * w1.Share[mi] * w1.MeanMinor[mi] * int64(p.Days())
				den := int64(10 * w1.Reps * w1.Days)
				v := (2*num + den) / (2 * den)
				t[5+j] = v
				t[1+j/3] += v
				t[0] += v
			}
		}
		for u := w.Org.Len() - 1; u > 0; u-- {
			parent := w.Org.ParentIndex(u)
			for p := range np {
				targets[parent][p] += targets[u][p]
			}
		}
		goals := make([]goal.Goal, 0, w.Org.Len()*np)
		for u := 0; u < w.Org.Len(); u++ {
			unit := w.Org.At(u)
			for pi, p := range w.Periods {
				g := goal.Goal{ID: goal.GoalID(m.Key, unit.ID, p), Metric: m.Key, Unit: unit.ID, Period: p,
					Target: decimal.New(targets[u][pi], -m.Places)}
				switch {
				case unit.Parent != "":
					g.Parent = goal.GoalID(m.Key, unit.Parent, p)
				case pi == 0:
				case pi < 5:
					g.Parent = goal.GoalID(m.Key, unit.ID, w.Periods[0])
				default:
					g.Parent = goal.GoalID(m.Key, unit.ID, w.Periods[1+(pi-5)/3])
				}
				goals = append(goals, g)
			}
		}
		p, err := goal.NewPlan("e1-"+m.Key, m, goals)
		if err != nil {
			return nil, fmt.Errorf("plan of %s: %w", m.Key, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Rules returns the pace rule of every metric (Dispersion: E[X²]/E[X] of
// the generator's revenue values, estimated from the first facts with
// alert.PaceDispersion; 1 for counts) and the projected-miss rule (5%
// tolerance).
func (w *World) Rules() (map[string]alert.PaceRule, *alert.ProjectedMissRule, error) {
	var values []decimal.Decimal
	for i := 0; len(values) < 20_000; i++ {
		if _, _, m, v := w1.Fact(i); m == 0 {
			values = append(values, decimal.New(v, -2))
		}
	}
	d, err := alert.PaceDispersion(values)
	if err != nil {
		return nil, nil, err
	}
	pace := map[string]alert.PaceRule{"revenue": {Dispersion: d}}
	for _, k := range w1.MetricKeys[1:] {
		pace[k] = alert.PaceRule{Dispersion: 1}
	}
	return pace, &alert.ProjectedMissRule{Tolerance: decimal.RequireFromString("0.05")}, nil
}
