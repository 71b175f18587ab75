// Package world builds benchmark E1's inputs (docs BENCHMARKS.md): the W1
// org, metrics and facts (splitmix64 seeded with 42), and one plan per metric
// holding a goal for every (unit, period) — 1,097 units × 17 periods (FY2026,
// Q1–Q4, M1–M12) — with the pace and projected-miss rules. It imports no
// goalkit engine code, so the root package's benchmark can use it too.
package world

import (
	"fmt"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

const (
	Reps    = 1024
	Days    = 365
	Metrics = 5
	// CheckRevenue is FY2026 company revenue for the 10M-fact workload.
	CheckRevenue = "25046040539.55"
)

// MetricKeys are W1's metrics 0..4.
var MetricKeys = [Metrics]string{"revenue", "won_deals", "calls", "meetings", "new_leads"}

// AsOf is E1's evaluation day.
var AsOf = date.New(2026, time.September, 15)

// Gen is the W1 generator: splitmix64 seeded with 42.
type Gen struct{ state uint64 }

// NewGen returns the generator at fact 0.
func NewGen() Gen { return Gen{state: 42} }

// Next returns the next output.
func (g *Gen) Next() uint64 {
	g.state += 0x9E3779B97F4A7C15
	z := g.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// Draw decodes one output into rep, day index, metric and value (cents for
// revenue, 1 for counts).
func Draw(x uint64) (rep, day, metric int, value int64) {
	rep, day = int(x%Reps), int((x>>10)%Days)
	switch m := (x >> 20) % 10; {
	case m == 0:
		return rep, day, 0, int64(10000 + (x>>32)%4990001)
	case m == 1:
		metric = 1
	case m <= 5:
		metric = 2
	case m <= 7:
		metric = 3
	default:
		metric = 4
	}
	return rep, day, metric, 1
}

// share is each metric's probability in tenths; meanMinor its mean value in
// minor units.
var (
	share     = [Metrics]int64{1, 1, 4, 2, 2}
	meanMinor = [Metrics]int64{2505000, 1, 1, 1, 1}
)

// World is the W1 org, calendar, periods and metrics.
type World struct {
	Units   []goal.Unit
	Org     *goal.Org
	Cal     *goal.Calendar
	Year    goal.Period
	Periods []goal.Period // FY, Q1–Q4, M1–M12
	Metrics []goal.Metric
	RepIDs  []string
	Start   date.Date
}

// New builds the W1 world.
func New() (*World, error) {
	w := &World{}
	w.Units = []goal.Unit{{ID: "company", Kind: "company"}}
	for r := 0; r < 8; r++ {
		w.Units = append(w.Units, goal.Unit{ID: fmt.Sprintf("region%d", r), Parent: "company", Kind: "region"})
	}
	for t := 0; t < 64; t++ {
		w.Units = append(w.Units, goal.Unit{ID: fmt.Sprintf("team%02d", t), Parent: fmt.Sprintf("region%d", t/8), Kind: "team"})
	}
	for r := 0; r < Reps; r++ {
		id := fmt.Sprintf("rep%04d", r)
		w.RepIDs = append(w.RepIDs, id)
		w.Units = append(w.Units, goal.Unit{ID: id, Parent: fmt.Sprintf("team%02d", r/16), Kind: "rep"})
	}
	var err error
	if w.Org, err = goal.NewOrg(w.Units); err != nil {
		return nil, err
	}
	if w.Cal, err = goal.NewCalendar(nil); err != nil {
		return nil, err
	}
	w.Start = date.New(2026, time.January, 1)
	w.Year, _ = w.Cal.PeriodOf(goal.Year, w.Start)
	qs, _ := w.Cal.Split(w.Year, goal.Quarter)
	ms, _ := w.Cal.Split(w.Year, goal.Month)
	w.Periods = append(append([]goal.Period{w.Year}, qs...), ms...)
	w.Metrics = []goal.Metric{{Key: "revenue", Name: "Revenue", Kind: goal.Amount, Currency: "USD", Places: 2}}
	for _, k := range MetricKeys[1:] {
		w.Metrics = append(w.Metrics, goal.Metric{Key: k, Name: k, Kind: goal.Count})
	}
	return w, nil
}

// Fact fills f with fact i of the workload, x being the generator's i-th
// output.
func (w *World) Fact(f *kpi.Fact, i int, x uint64) {
	rep, day, m, v := Draw(x)
	*f = kpi.Fact{Key: strconv.Itoa(i), Metric: MetricKeys[m], Unit: w.RepIDs[rep], Date: w.Start + date.Date(day)}
	if m == 0 {
		f.Value = decimal.New(v, -2)
	} else {
		f.Value = decimal.New(1, 0)
	}
}

// Plans returns one plan per metric with a goal for every (unit, period):
// the company's FY goal is the root, its quarters hang under it and its
// months under their quarter; every other unit's (unit, period) goal hangs
// under its parent unit's goal for the same period. Targets are what W1's
// generator is expected to produce with n facts: each rep's month is its
// expected total (rounded to the metric's places), and every other goal the
// exact sum of its rep months, so every parent sums its children in both
// directions.
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
		for _, id := range w.RepIDs {
			u, _ := w.Org.Index(id)
			t := targets[u]
			for j, p := range months {
				// n × share/10 × mean × days / (reps × days a year), rounded.
				num := int64(n) * share[mi] * meanMinor[mi] * int64(p.Days())
				den := int64(10 * Reps * Days)
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
	g := NewGen()
	for len(values) < 20_000 {
		if _, _, m, v := Draw(g.Next()); m == 0 {
			values = append(values, decimal.New(v, -2))
		}
	}
	d, err := alert.PaceDispersion(values)
	if err != nil {
		return nil, nil, err
	}
	pace := map[string]alert.PaceRule{"revenue": {Dispersion: d}}
	for _, k := range MetricKeys[1:] {
		pace[k] = alert.PaceRule{Dispersion: 1}
	}
	return pace, &alert.ProjectedMissRule{Tolerance: decimal.RequireFromString("0.05")}, nil
}
